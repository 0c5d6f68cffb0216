"""A reference scorer for the tests, written from the figure definitions, sharing no code with newsgold.scoring.

It exists so that golden files, AGREEMENT.md, the leaderboard and a few
end-to-end tests are checked against numbers computed another way, not
against the code that wrote them. It is slow and simple on purpose:

- overlap is ``max(starts) < min(ends)`` over every pair;
- the matching is brute force per connected component of the overlap graph,
  every one-to-one assignment scored lexicographically (total overlap, then
  identical boundaries, then the same third field); when optimal assignments
  disagree on a count, it raises :class:`Ambiguous` rather than guess a tie-break;
- figures are plain ratios, ``None`` where the denominator is 0.

Test modules get it through the ``reference`` fixture (tests/conftest.py).
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

LABELS = ("PER", "ORG", "GPE", "LOC", "NORP")
MODES = ("strict", "exact", "partial", "type")

# The documented OntoNotes scheme (docs/scoring.md, "Definitions"), written out again here.
ONTONOTES_ENTITY = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "GPE",
    "LOC": "LOC",
    "NORP": "NORP",
    "FAC": "LOC",
}
ONTONOTES_DATE = {"DATE": "DATE", "TIME": "TIME"}
# The CoNLL scheme projects the gold: GPE → LOC, NORP → MISC.
CONLL_GOLD = {"PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "NORP": "MISC"}
CONLL_LABELS = ("PER", "ORG", "LOC", "MISC")
KINDS = ("direct", "partial", "indirect")


class Ambiguous(Exception):
    """Two optimal matchings give different counts: the reference does not pick one."""


def div(num: float, den: float) -> float | None:
    return None if den == 0 else num / den


def prf(num: float, pred: float, gold: float) -> dict[str, float | None]:
    return {
        "precision": div(num, pred),
        "recall": div(num, gold),
        "f1": div(2 * num, pred + gold),
    }


def _shares(a: Sequence[Any], b: Sequence[Any]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def matched_counts(
    gold: Sequence[Sequence[Any]],
    pred: Sequence[Sequence[Any]],
    judge: Callable[[Sequence[Any], Sequence[Any]], tuple[int, ...]],
    width: int,
) -> tuple[int, ...]:
    """(matched, *summed judge(gold, pred) over the matched pairs), over an optimal matching."""
    edges = [
        (g, p) for g in range(len(gold)) for p in range(len(pred)) if _shares(gold[g], pred[p])
    ]
    # connected components of the overlap graph (union-find over gold g and pred -1 - p)
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for g, p in edges:
        parent[root(g)] = root(-1 - p)
    by_root: dict[int, list[tuple[int, int]]] = {}
    for g, p in edges:
        by_root.setdefault(root(g), []).append((g, p))
    comps = list(by_root.values())
    total = [0] * (1 + width)
    for comp in comps:
        outcomes = _optimal_outcomes(comp, gold, pred, judge, width)
        if len(outcomes) != 1:
            raise Ambiguous(f"optimal matchings disagree on the counts: {sorted(outcomes)}")
        for k, v in enumerate(outcomes.pop()):
            total[k] += v
    return tuple(total)


def _optimal_outcomes(
    comp: Sequence[tuple[int, int]],
    gold: Sequence[Sequence[Any]],
    pred: Sequence[Sequence[Any]],
    judge: Callable[[Sequence[Any], Sequence[Any]], tuple[int, ...]],
    width: int,
) -> set[tuple[int, ...]]:
    """The counts of every optimal one-to-one assignment within one component."""
    golds = sorted({g for g, _ in comp})
    best: tuple[int, int, int] | None = None
    outcomes: set[tuple[int, ...]] = set()

    def walk(i: int, used: frozenset[int], chosen: list[tuple[int, int]]) -> None:
        nonlocal best, outcomes
        if i == len(golds):
            key = (
                sum(_shares(gold[g], pred[p]) for g, p in chosen),
                sum(tuple(gold[g][:2]) == tuple(pred[p][:2]) for g, p in chosen),
                sum(gold[g][2] == pred[p][2] for g, p in chosen),
            )
            counts = [len(chosen)] + [0] * width
            for g, p in chosen:
                for k, v in enumerate(judge(gold[g], pred[p])):
                    counts[1 + k] += v
            if best is None or key > best:
                best, outcomes = key, {tuple(counts)}
            elif key == best:
                outcomes.add(tuple(counts))
            return
        g = golds[i]
        walk(i + 1, used, chosen)
        for gg, p in comp:
            if gg == g and p not in used:
                walk(i + 1, used | {p}, [*chosen, (g, p)])

    walk(0, frozenset(), [])
    return outcomes


# --------------------------------------------------------------------------- per layer


def entity_counts(
    gold: Sequence[tuple[int, int, str, str | None]],
    pred: Sequence[tuple[int, int, str, str | None]],
    labels: Sequence[str] = LABELS,
) -> dict[str, Any]:
    """One document's entity counts; gold and pred are (start, end, label, kb_id)."""

    def judge(a: Sequence[Any], b: Sequence[Any]) -> tuple[int, ...]:
        exact = a[0] == b[0] and a[1] == b[1]
        typed = a[2] == b[2]
        strict = exact and typed
        on_alt = (b[0], b[1]) in (a[4] if len(a) > 4 else ())
        return (
            int(exact),
            int(typed),
            int(strict),
            int(strict and a[3] is not None and a[3] == b[3]),
            int(typed and (exact or on_alt)),
        )

    matched, exact, typed, strict, strict_kb, accepted = matched_counts(gold, pred, judge, 5)
    out: dict[str, Any] = {
        "gold": len(gold),
        "pred": len(pred),
        "matched": matched,
        "exact": exact,
        "typed": typed,
        "strict": strict,
        "strict_kb": strict_kb,
        "linked": sum(1 for b in pred if b[3] is not None),
        "accepted": accepted,
        "labels": {},
    }
    for lab in labels:
        g = [a for a in gold if a[2] == lab]
        p = [b for b in pred if b[2] == lab]
        m, e, _, s, _, _ = matched_counts(g, p, judge, 5)
        out["labels"][lab] = {
            "gold": len(g),
            "pred": len(p),
            "matched": m,
            "exact": e,
            "typed": m,
            "strict": e,
        }
    return out


LENGTHS = ("1", "2", "3", "4+")
ORDERS = ("first", "later")


def token_length(text: str, cuts: Sequence[int], start: int, end: int) -> str:
    """A span's length slice: the corpus tokens (the tokens config's tokenizer, used as it is)
    that share a character with it, 4 or more as ``4+``, none as ``1``."""
    from newsgold.tokenize import tokenize

    n = sum(1 for t in tokenize(text, cuts) if t.start < end and start < t.end)
    return LENGTHS[min(max(n, 1), 4) - 1]


def entity_slice_counts(
    gold: Sequence[tuple[Any, ...]],
    pred: Sequence[tuple[Any, ...]],
    gold_length: Sequence[str],
    pred_length: Sequence[str],
) -> dict[str, Any]:
    """Per length slice gold, pred and strict matches; per mention order (the first mention of a
    kb_id in the document by start then end, or a later one) gold and strict matches."""
    order = []
    for a in gold:
        if a[3] is None:
            order.append(None)
        else:
            order.append("later" if any(b[3] == a[3] and b[:2] < a[:2] for b in gold) else "first")
    g_ext = [(*a[:5], gold_length[i], order[i]) for i, a in enumerate(gold)]

    def judge(a: Sequence[Any], b: Sequence[Any]) -> tuple[int, ...]:
        strict = a[0] == b[0] and a[1] == b[1] and a[2] == b[2]
        return tuple(int(strict and a[5] == v) for v in LENGTHS) + tuple(
            int(strict and a[6] == v) for v in ORDERS
        )

    _, *right = matched_counts(g_ext, pred, judge, len(LENGTHS) + len(ORDERS))
    return {
        "length": {
            v: {
                "gold": sum(1 for x in gold_length if x == v),
                "pred": sum(1 for x in pred_length if x == v),
                "correct": right[i],
            }
            for i, v in enumerate(LENGTHS)
        },
        "mention": {
            v: {"gold": sum(1 for x in order if x == v), "correct": right[len(LENGTHS) + i]}
            for i, v in enumerate(ORDERS)
        },
    }


def date_counts(gold: Sequence[tuple[Any, ...]], pred: Sequence[tuple[Any, ...]]) -> dict[str, int]:
    """(start, end, type, value, mod) on both sides."""

    def judge(a: Sequence[Any], b: Sequence[Any]) -> tuple[int, ...]:
        exact = a[0] == b[0] and a[1] == b[1]
        return (
            int(exact),
            int(a[2] == b[2]),
            int(b[3] is not None and a[3] == b[3]),
            int(a[4] == b[4]),
            int(exact or (b[0], b[1]) in (a[5] if len(a) > 5 else ())),
        )

    m, s, t, v, md, acc = matched_counts(gold, pred, judge, 5)
    return {
        "gold": len(gold),
        "pred": len(pred),
        "matched": m,
        "strict": s,
        "type_ok": t,
        "value_ok": v,
        "mod_ok": md,
        "accepted": acc,
        "valued": sum(1 for b in pred if b[3] is not None),
    }


def quote_counts(
    gold: Sequence[tuple[Any, ...]], pred: Sequence[tuple[Any, ...]]
) -> dict[str, int]:
    """(start, end, kind, speaker kb_id) on both sides (predicted speakers already resolved)."""

    def judge(a: Sequence[Any], b: Sequence[Any]) -> tuple[int, ...]:
        out = [int(a[0] == b[0] and a[1] == b[1]), int(a[2] == b[2]), int(a[3] == b[3])]
        for (
            kind
        ) in KINDS:  # per kind: gold of the kind matched, pred of the kind matched, right speaker
            out += [int(a[2] == kind), int(b[2] == kind), int(a[2] == kind and a[3] == b[3])]
        return tuple(out)

    m, s, k, sp, *per = matched_counts(gold, pred, judge, 3 + 3 * len(KINDS))
    out: dict[str, Any] = {
        "gold": len(gold),
        "pred": len(pred),
        "matched": m,
        "strict": s,
        "kind_ok": k,
        "speaker_ok": sp,
        "kinded": sum(1 for b in pred if b[2] is not None),
    }
    for i, kind in enumerate(KINDS):
        out[kind] = {
            "gold": sum(1 for a in gold if a[2] == kind),
            "pred": sum(1 for b in pred if b[2] == kind),
            "gold_matched": per[3 * i],
            "pred_matched": per[3 * i + 1],
            "gold_speaker_ok": per[3 * i + 2],
        }
    return out


def resolver(kb: Iterable[Any]) -> Callable[[str | None], str | None]:
    """Speaker → kb_id: an id stays; a name or alias naming exactly one entity (case and
    surrounding space ignored) becomes its id; anything else is a marker no id equals."""
    kb = list(kb)
    ids = {k.kb_id for k in kb}
    owners: dict[str, set[str]] = {}
    for k in kb:
        for form in (k.name, *k.aliases):
            owners.setdefault(form.casefold(), set()).add(k.kb_id)

    def resolve(speaker: str | None) -> str | None:
        if speaker is None or speaker in ids:
            return speaker
        found = owners.get(speaker.strip().casefold(), set())
        return next(iter(found)) if len(found) == 1 else "<unresolved>" + speaker

    return resolve


# --------------------------------------------------------------------------- figures


def _add(rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Sum count rows (nested dicts of ints) key by key."""
    total: dict[str, Any] = {}
    for row in rows:
        for k, v in row.items():
            if isinstance(v, Mapping):
                total[k] = _add([total.get(k, {}), v])
            else:
                total[k] = total.get(k, 0) + v
    return total


def _modes(c: Mapping[str, int]) -> dict[str, Any]:
    out = {}
    matched = c["matched"]
    for mode, correct, incorrect, partial in (
        ("strict", c["strict"], matched - c["strict"], 0),
        ("exact", c["exact"], matched - c["exact"], 0),
        ("partial", c["exact"], 0, matched - c["exact"]),
        ("type", c["typed"], matched - c["typed"], 0),
    ):
        fig: dict[str, Any] = prf(correct + 0.5 * partial, c["pred"], c["gold"])
        fig.update(
            correct=correct,
            incorrect=incorrect,
            partial=partial,
            missed=c["gold"] - matched,
            spurious=c["pred"] - matched,
        )
        out[mode] = fig
    return out


def _mean_defined(values: Iterable[float | None]) -> float | None:
    ok = [v for v in values if v is not None]
    return sum(ok) / len(ok) if ok else None


def entity_figures(c: Mapping[str, Any], labels: Sequence[str] = LABELS) -> dict[str, Any]:
    out = _modes(c)
    out["accepted"] = {**prf(c["accepted"], c["pred"], c["gold"]), "correct": c["accepted"]}
    out["kb_id_accuracy"] = div(c["strict_kb"], c["strict"]) if c["linked"] else None
    out["gold"], out["predicted"] = c["gold"], c["pred"]
    per_label = {}
    for lab in labels:
        lc = c["labels"][lab]
        per_label[lab] = {**_modes(lc), "gold": lc["gold"], "predicted": lc["pred"]}
    out["per_label"] = per_label
    out["macro"] = {
        mode: {
            k: _mean_defined(per_label[lab][mode][k] for lab in labels)
            for k in ("precision", "recall", "f1")
        }
        for mode in MODES
    }
    if "slices" in c:
        s = c["slices"]
        out["slices"] = {
            "length": {
                v: {
                    **prf(
                        s["length"][v]["correct"], s["length"][v]["pred"], s["length"][v]["gold"]
                    ),
                    "predicted": s["length"][v]["pred"],
                    "gold": s["length"][v]["gold"],
                }
                for v in LENGTHS
            },
            "mention": {
                v: {
                    "recall": div(s["mention"][v]["correct"], s["mention"][v]["gold"]),
                    "gold": s["mention"][v]["gold"],
                }
                for v in ORDERS
            },
        }
    return out


def date_figures(c: Mapping[str, int]) -> dict[str, Any]:
    both = c["pred"] + c["gold"]
    return {
        "strict": prf(c["strict"], c["pred"], c["gold"]),
        "relaxed": prf(c["matched"], c["pred"], c["gold"]),
        "type_accuracy": div(c["type_ok"], c["matched"]),
        # undefined (None) for a system that predicts no value at all
        "value_accuracy": div(c["value_ok"], c["matched"]) if c["valued"] else None,
        "mod_accuracy": div(c["mod_ok"], c["matched"]),
        "type_f1": div(2 * c["type_ok"], both),
        "value_f1": div(2 * c["value_ok"], both) if c["valued"] else None,
        "accepted": prf(c["accepted"], c["pred"], c["gold"]),
        "gold": c["gold"],
        "predicted": c["pred"],
    }


def quote_figures(c: Mapping[str, int]) -> dict[str, Any]:
    return {
        "strict": prf(c["strict"], c["pred"], c["gold"]),
        "overlap": prf(c["matched"], c["pred"], c["gold"]),
        "end_to_end": prf(c["speaker_ok"], c["pred"], c["gold"]),
        "speaker_accuracy": div(c["speaker_ok"], c["matched"]),
        "kind_accuracy": div(c["kind_ok"], c["matched"]) if c["kinded"] else None,
        "per_kind": {
            kind: {
                "precision": div(c[kind]["pred_matched"], c[kind]["pred"]),
                "recall": div(c[kind]["gold_matched"], c[kind]["gold"]),
                "end_to_end_recall": div(c[kind]["gold_speaker_ok"], c[kind]["gold"]),
                "gold": c[kind]["gold"],
                "predicted": c[kind]["pred"],
            }
            for kind in KINDS
        },
        "gold": c["gold"],
        "predicted": c["pred"],
    }


FIGURES = {"entities": entity_figures, "dates": date_figures, "quotes": quote_figures}


def _get(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = obj[part]
    return obj


def layer_report(
    layer: str, per_doc_counts: Mapping[str, Mapping[str, Any]], labels: Sequence[str] = LABELS
) -> dict[str, Any]:
    """Point figures over all documents, plus every document's figures and the per-document
    mean and population standard deviation of each F1 (over the documents where it is defined)."""

    def figures(c: Mapping[str, Any]) -> dict[str, Any]:
        if layer == "entities":
            return entity_figures(c, labels)
        return FIGURES[layer](c)  # type: ignore[no-any-return]

    out = figures(_add(per_doc_counts.values()))
    out["per_document"] = {d: figures(c) for d, c in per_doc_counts.items()}
    out["per_document_mean"] = lambda path: _summary(out["per_document"], path)
    return out


def _summary(per_document: Mapping[str, Any], path: str) -> dict[str, Any]:
    values = [_get(fig, path) for fig in per_document.values()]
    ok = [v for v in values if v is not None]
    return {
        "mean": statistics.fmean(ok) if ok else None,
        "std": statistics.pstdev(ok) if ok else None,
        "documents": len(ok),
    }


# --------------------------------------------------------------------------- whole systems


def gold_tuples(doc: Any, scheme: str = "newsgold") -> dict[str, list[tuple[Any, ...]]]:
    project = CONLL_GOLD if scheme == "conll" else {lab: lab for lab in LABELS}
    return {
        "entities": [
            (e.start, e.end, project[e.label], e.kb_id, {(x.start, x.end) for x in e.alternatives})
            for e in doc.entities
        ],
        "dates": [
            (t.start, t.end, t.type, t.value, t.mod, {(x.start, x.end) for x in t.alternatives})
            for t in doc.dates
        ],
        "quotes": [(q.start, q.end, q.kind, q.speaker) for q in doc.quotes],
    }


def prediction_tuples(
    record: Mapping[str, Any], scheme: str, resolve: Callable[[str | None], str | None]
) -> dict[str, list[tuple[Any, ...]]]:
    """A prediction record (the JSON object of one JSONL line) as tuples, the scheme applied."""
    ents: list[tuple[Any, ...]] = []
    dates = [
        (t["start"], t["end"], t.get("type"), t.get("value"), t.get("mod"))
        for t in record.get("dates") or []
    ]
    extra = []
    for e in record.get("entities") or []:
        label = e.get("label")
        if scheme == "ontonotes" and label in ONTONOTES_DATE:
            extra.append((e["start"], e["end"], ONTONOTES_DATE[label], None, None))
            continue
        if scheme == "ontonotes":
            if label not in ONTONOTES_ENTITY:
                continue  # set aside
            label = ONTONOTES_ENTITY[label]
        ents.append((e["start"], e["end"], label, e.get("kb_id")))
    have = {(t[0], t[1]) for t in dates}
    dates += [t for t in extra if (t[0], t[1]) not in have]
    quotes = [
        (q["start"], q["end"], q.get("kind"), resolve(q.get("speaker")))
        for q in record.get("quotes") or []
    ]
    return {"entities": ents, "dates": dates, "quotes": quotes}


def score_records(
    gold: Any, records: Iterable[Mapping[str, Any]], scheme: str = "newsgold"
) -> dict[str, dict[str, Any]]:
    """Every layer's figures for prediction records against a newsgold Gold (missing documents
    predict nothing)."""
    resolve = resolver(gold.kb)
    labels = CONLL_LABELS if scheme == "conll" else LABELS
    by_doc = {r["doc_id"]: prediction_tuples(r, scheme, resolve) for r in records}
    empty: dict[str, list[Any]] = {"entities": [], "dates": [], "quotes": []}
    counts: dict[str, dict[str, Any]] = {"entities": {}, "dates": {}, "quotes": {}}
    for doc_id, doc in gold.docs.items():
        g = gold_tuples(doc, scheme)
        p = by_doc.get(doc_id, empty)
        counts["entities"][doc_id] = entity_counts(g["entities"], p["entities"], labels)
        cuts = sorted(
            {x for e in doc.entities for x in (e.start, e.end)}
            | {x for t in doc.dates for x in (t.start, t.end)}
        )
        counts["entities"][doc_id]["slices"] = entity_slice_counts(
            g["entities"],
            p["entities"],
            [token_length(doc.text, cuts, a[0], a[1]) for a in g["entities"]],
            [token_length(doc.text, cuts, b[0], b[1]) for b in p["entities"]],
        )
        counts["dates"][doc_id] = date_counts(g["dates"], p["dates"])
        counts["quotes"][doc_id] = quote_counts(g["quotes"], p["quotes"])
    return {layer: layer_report(layer, counts[layer], labels) for layer in counts}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def records_of_predictions(preds: Iterable[Any]) -> list[dict[str, Any]]:
    """Prediction records (newsgold.model.Prediction) as JSON-like records."""
    return [
        {
            "doc_id": p.doc_id,
            "entities": [
                {"start": e.start, "end": e.end, "label": e.label, "kb_id": e.kb_id}
                for e in p.entities or ()
            ],
            "dates": [
                {"start": t.start, "end": t.end, "type": t.type, "value": t.value, "mod": t.mod}
                for t in p.dates or ()
            ],
            "quotes": [
                {"start": q.start, "end": q.end, "kind": q.kind, "speaker": q.speaker}
                for q in p.quotes or ()
            ],
        }
        for p in preds
    ]


def records_of(gold: Any) -> list[dict[str, Any]]:
    """An annotation set as prediction records (for agreement)."""
    return records_of_predictions(gold.docs.values())


# --------------------------------------------------------------------------- resampling units


def unit_starts(text: str, unit: str, protected: Sequence[tuple[int, int]] = ()) -> list[int]:
    """Where each unit starts, from the definitions in docs/statistics.md: a paragraph starts at
    the first non-space character after a blank line; sentences are the tokens config's (the
    corpus tokenizer is not part of the scorer, so it is used as it is)."""
    if unit == "document":
        return [0]
    if unit == "sentence":
        from newsgold.tokenize import sentences

        return sorted({0, *(s[0].start for s in sentences(text, protected))})
    starts = [0]
    i = 0
    while True:
        j = text.find("\n", i)
        if j < 0:
            break
        k = j + 1
        while k < len(text) and text[k] in " \t\r\f\v":
            k += 1
        if k < len(text) and text[k] == "\n":  # a blank line: the paragraph starts after the space
            while k < len(text) and text[k].isspace():
                k += 1
            if k < len(text):
                starts.append(k)
        i = j + 1
    return sorted(set(starts))


def span_unit_counts(
    gold: Sequence[Sequence[Any]], pred: Sequence[Sequence[Any]], starts: Sequence[int]
) -> list[dict[str, int]]:
    """Per unit: gold, pred, matched and strict (same boundaries) of one layer, each span in the
    unit of its start, a matched pair and its prediction in the unit of the gold span."""

    def unit(offset: int) -> int:
        return sum(1 for s in starts if s <= offset) - 1

    n = len(starts)

    def judge(a: Sequence[Any], b: Sequence[Any]) -> tuple[int, ...]:
        out = []
        for u in range(n):
            here = unit(a[0]) == u
            out += [int(here), int(unit(b[0]) == u), int(here and a[0] == b[0] and a[1] == b[1])]
        return tuple(out)

    _, *per = matched_counts(gold, pred, judge, 3 * n)
    rows = []
    for u in range(n):
        matched, own_matched, strict = per[3 * u : 3 * u + 3]
        own = sum(1 for b in pred if unit(b[0]) == u)
        rows.append(
            {
                "gold": sum(1 for a in gold if unit(a[0]) == u),
                # unmatched predictions stay in their own unit; matched ones go with their gold
                "pred": own - own_matched + matched,
                "matched": matched,
                "strict": strict,
            }
        )
    return rows
