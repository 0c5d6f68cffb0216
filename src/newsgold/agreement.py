"""Inter-annotator agreement over partial work: per annotator pair and per layer, with the
disagreements listed (pure functions, no I/O).

Each annotator is an annotation set (a folder of gold documents, any subset of
the documents). For every pair of annotators the documents both annotated are
scored with the one scoring engine (:func:`newsgold.scoring.agree`, the first
annotator as reference): the pairwise F1 of each layer is Cohen-style, one
figure per pair, and symmetric (swapping the pair swaps precision and recall
only). With more than two annotators the summary gives, per layer, the mean of
the pairwise figures and the worst pair.

The figure of a layer is its strict F1: entities by span and label
(``entities.strict.f1``), dates and quotes by span (``dates.strict.f1``,
``quotes.strict.f1``); the full engine report of every pair is kept beside it.

A disagreement is a stretch of a document where the two readings differ: the
items of one annotator that the other does not have identically (every field:
span, label, ``kb_id``; type, value, mod; kind, speaker, cue; alternatives),
grouped with the other's items whose spans overlap them. The same function
splits a pair of documents into the agreed items and the disagreements for
adjudication (:mod:`newsgold.labelstudio.adjudicate`).

>>> from newsgold.model import Document, Entity
>>> t = "Russian troops near Russia."
>>> a = Document("d", t, "2021-12-30", "r", entities=(Entity(0, 6, "Russia", "GPE", "russia"),))
>>> b = Document("d", t, "2021-12-30", "r", entities=(Entity(0, 7, "Russian", "NORP", "russian"),))
>>> agreed, (d,) = split_document(a, b, ("entities",))
>>> agreed["entities"], d.text, d.reading_a()[0]["text"], d.reading_b()[0]["label"]
([], 'Russian', 'Russia', 'NORP')
"""

from __future__ import annotations

import html
import itertools
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .jsonio import document_to_json
from .model import Document, Gold
from .validate.common import LAYER_NAMES as LAYER_NAMES

#: the figure reported per layer and pair
MEASURES = {layer: f"{layer}.strict.f1" for layer in LAYER_NAMES}
AGREEMENT_VERSION = 1


def _key(item: Mapping[str, Any]) -> str:
    import json

    return json.dumps(item, sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class Disagreement:
    """One stretch of a document the two annotators read differently.

    Attributes:
        doc_id: the document.
        layer: ``entities``, ``dates`` or ``quotes``.
        start: first code point of the stretch (the union of the items' spans).
        end: its exclusive end.
        text: the document text of the stretch.
        a: the first annotator's items there (JSON objects as in a gold file), maybe none.
        b: the second annotator's items there, maybe none.
    """

    doc_id: str
    layer: str
    start: int
    end: int
    text: str
    a: tuple[str, ...] = field(default=())
    b: tuple[str, ...] = field(default=())

    def reading_a(self) -> list[dict[str, Any]]:
        """The first annotator's items as JSON objects."""
        import json

        return [json.loads(x) for x in self.a]

    def reading_b(self) -> list[dict[str, Any]]:
        """The second annotator's items as JSON objects."""
        import json

        return [json.loads(x) for x in self.b]

    def to_json(self) -> dict[str, Any]:
        """The disagreement as a JSON object."""
        return {
            "doc_id": self.doc_id,
            "layer": self.layer,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "a": self.reading_a(),
            "b": self.reading_b(),
        }


def _dct_disagreement(a: Document, b: Document) -> list[Disagreement]:
    """The document creation time read differently (it sets every relative date's value), as a
    disagreement of layer ``dct`` at the document's start, each reading with its reason; none
    when both give the same date (reasons worded differently are no disagreement)."""
    if a.dct == b.dct:
        return []
    return [
        Disagreement(
            a.doc_id,
            "dct",
            0,
            0,
            "document creation time",
            (_key({"dct": a.dct, "dct_reason": a.dct_reason}),),
            (_key({"dct": b.dct, "dct_reason": b.dct_reason}),),
        )
    ]


def split_document(
    a: Document, b: Document, layers: Sequence[str] = LAYER_NAMES
) -> tuple[dict[str, list[dict[str, Any]]], list[Disagreement]]:
    """The items two annotators agree on, and the stretches where they disagree.

    Args:
        a: the first annotator's document.
        b: the second annotator's document (same ``doc_id`` and text).
        layers: the layers to compare.

    Returns:
        ``(agreed items per layer as gold-file JSON objects, disagreements in text order)``.
    """
    ja, jb = document_to_json(a), document_to_json(b)
    agreed: dict[str, list[dict[str, Any]]] = {}
    out: list[Disagreement] = []
    for layer in layers:
        left = Counter(_key(x) for x in ja[layer])
        right = Counter(_key(x) for x in jb[layer])
        common = left & right
        agreed[layer] = [x for x in ja[layer] if common[_key(x)] > 0]
        only_a = [x for x in ja[layer] if _key(x) not in common]
        only_b = [x for x in jb[layer] if _key(x) not in common]
        out += _components(a.doc_id, a.text, layer, only_a, only_b)
    out.sort(key=lambda d: (d.start, d.end, LAYER_NAMES.index(d.layer)))
    return agreed, out


def _components(
    doc_id: str,
    text: str,
    layer: str,
    only_a: list[dict[str, Any]],
    only_b: list[dict[str, Any]],
) -> list[Disagreement]:
    """Group the differing items into stretches of overlapping spans (union-find)."""
    items = [("a", x) for x in only_a] + [("b", x) for x in only_b]
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in itertools.combinations(range(len(items)), 2):
        x, y = items[i][1], items[j][1]
        if x["start"] < y["end"] and y["start"] < x["end"]:
            parent[find(i)] = find(j)
    groups: dict[int, list[tuple[str, dict[str, Any]]]] = {}
    for i, item in enumerate(items):
        groups.setdefault(find(i), []).append(item)
    out = []
    for members in groups.values():
        s = min(x["start"] for _, x in members)
        e = max(x["end"] for _, x in members)
        out.append(
            Disagreement(
                doc_id,
                layer,
                s,
                e,
                text[s:e],
                tuple(_key(x) for side, x in members if side == "a"),
                tuple(_key(x) for side, x in members if side == "b"),
            )
        )
    return out


@dataclass(frozen=True)
class PairAgreement:
    """The agreement of one pair of annotators.

    Attributes:
        a: the first annotator (the engine's reference).
        b: the second annotator.
        doc_ids: the documents both annotated (those scored), sorted.
        f1: the pairwise F1 per layer (:data:`MEASURES`), ``None`` when undefined
            (no document in common, or no item in either set).
        report: the engine's full report object (``None`` with no document in common).
        disagreements: every disagreement, in document and text order.
    """

    a: str
    b: str
    doc_ids: tuple[str, ...]
    f1: Mapping[str, float | None]
    report: Mapping[str, Any] | None
    disagreements: tuple[Disagreement, ...]


@dataclass(frozen=True)
class Agreement:
    """Pairwise agreement of several annotators.

    Attributes:
        annotators: their names, in the order given.
        doc_ids: per annotator, the documents in their set.
        layers: the layers compared.
        pairs: one entry per pair of annotators.
    """

    annotators: tuple[str, ...]
    doc_ids: Mapping[str, tuple[str, ...]]
    layers: tuple[str, ...]
    pairs: tuple[PairAgreement, ...]

    @property
    def warnings(self) -> tuple[str, ...]:
        """Pairs with no document in common, one sentence each."""
        return tuple(
            f"{p.a} and {p.b} have no document in common: their pair is not scored"
            for p in self.pairs
            if not p.doc_ids
        )

    def summary(self) -> dict[str, dict[str, Any]]:
        """Per layer: the pairs scored, the mean pairwise F1 and the worst pair.

        >>> p = lambda a, b, f: PairAgreement(a, b, ("d",), {"entities": f}, None, ())
        >>> ag = Agreement(("x", "y", "z"), {}, ("entities",),
        ...                (p("x", "y", 1.0), p("x", "z", 0.5), p("y", "z", 0.75)))
        >>> ag.summary()["entities"]
        {'pairs': 3, 'mean_f1': 0.75, 'worst': {'a': 'x', 'b': 'z', 'f1': 0.5}}
        """
        out: dict[str, dict[str, Any]] = {}
        for layer in self.layers:
            scored = [(p.f1[layer], p) for p in self.pairs if p.f1.get(layer) is not None]
            if not scored:
                out[layer] = {"pairs": 0, "mean_f1": None, "worst": None}
                continue
            worst_f1, worst = min(scored, key=lambda fp: fp[0])  # type: ignore[arg-type,return-value]
            out[layer] = {
                "pairs": len(scored),
                "mean_f1": math.fsum(f for f, _ in scored) / len(scored),  # type: ignore[misc]
                "worst": {"a": worst.a, "b": worst.b, "f1": worst_f1},
            }
        return out

    def to_json(self) -> dict[str, Any]:
        """The agreement as a JSON object (floats rounded to 6 decimals)."""
        from .scoring.report import _rounded

        return _rounded(  # type: ignore[no-any-return]
            {
                "agreement_version": AGREEMENT_VERSION,
                "annotators": list(self.annotators),
                "documents": {k: list(v) for k, v in self.doc_ids.items()},
                "layers": list(self.layers),
                "measures": {layer: MEASURES[layer] for layer in self.layers},
                "pairs": [
                    {
                        "a": p.a,
                        "b": p.b,
                        "documents": list(p.doc_ids),
                        "f1": dict(p.f1),
                        "disagreements": [d.to_json() for d in p.disagreements],
                        "report": p.report,
                    }
                    for p in self.pairs
                ],
                "summary": self.summary(),
                "warnings": list(self.warnings),
            }
        )


def pairwise_agreement(
    sets: Mapping[str, Gold],
    *,
    layers: Iterable[str] = LAYER_NAMES,
    doc_ids: Iterable[str] | None = None,
    n_bootstrap: int = 0,
    seed: int = 0,
    unit: str | None = None,
    corpus_version: str = "unreleased",
) -> Agreement:
    """The agreement of every pair of annotation sets, over the documents each pair shares.

    Args:
        sets: annotator name → their annotation set (any subset of the documents).
        layers: the layers to compare.
        doc_ids: only these documents (default: all).
        n_bootstrap: bootstrap resamples for the intervals of the engine's reports.
        seed: the bootstrap's seed.
        unit: the resampling unit of the intervals (default
            :data:`newsgold.scoring.DEFAULT_UNIT`).
        corpus_version: recorded in each pair's report.

    Returns:
        The :class:`Agreement`, pairs in the order of ``sets``.
    """
    from .scoring import DEFAULT_UNIT, agree

    layers = tuple(layers)
    wanted = None if doc_ids is None else set(doc_ids)
    if wanted is not None:
        unknown = sorted(wanted - {d for g in sets.values() for d in g.docs})
        if unknown:
            from .errors import UsageError

            raise UsageError(
                f"no annotation set holds {', '.join(map(repr, unknown))} (expected doc_ids "
                "of documents the folders annotate)"
            )
    names = tuple(sets)
    pairs = []
    for x, y in itertools.combinations(names, 2):
        gx, gy = sets[x], sets[y]
        common = sorted(d for d in set(gx.docs) & set(gy.docs) if wanted is None or d in wanted)
        if not common:
            pairs.append(PairAgreement(x, y, (), dict.fromkeys(layers), None, ()))
            continue
        ref = Gold({d: gx.docs[d] for d in common}, gx.kb)
        other = Gold({d: gy.docs[d] for d in common}, gy.kb)
        scored = agree(
            ref,
            other,
            layers=layers,
            n_bootstrap=n_bootstrap,
            seed=seed,
            unit=unit or DEFAULT_UNIT,
            corpus_version=corpus_version,
        )
        report = scored.to_json()
        f1 = {layer: _at(scored.data, MEASURES[layer]) for layer in layers}
        found: list[Disagreement] = []
        for d in common:
            found += _dct_disagreement(gx.docs[d], gy.docs[d])
            found += split_document(gx.docs[d], gy.docs[d], layers)[1]
        pairs.append(PairAgreement(x, y, tuple(common), f1, report, tuple(found)))
    return Agreement(
        names,
        {n: tuple(sorted(g.docs)) for n, g in sets.items()},
        layers,
        tuple(pairs),
    )


def _at(report: Mapping[str, Any], path: str) -> float | None:
    node: Any = report
    for part in path.split("."):
        node = None if node is None else node.get(part)
    if node is None or math.isnan(float(node)):
        return None
    return float(node)


# --------------------------------------------------------------------------- rendering


def describe(layer: str, item: Mapping[str, Any]) -> str:
    """One reading in words: label and id, TIMEX type and value, quote kind and speaker.

    >>> describe("entities", {"start": 0, "end": 6, "text": "Russia", "label": "GPE",
    ...                       "kb_id": "russia"})
    'GPE russia [0:6] “Russia”'
    """
    if layer == "dct":
        return f"dct {item['dct']} (“{_cut(item['dct_reason'])}”)"
    where = f"[{item['start']}:{item['end']}] “{_cut(item['text'])}”"
    if layer == "entities":
        head = f"{item['label']} {item['kb_id']}"
    elif layer == "dates":
        head = f"{item['type']} {item['value']}" + (f" mod {item['mod']}" if item["mod"] else "")
    else:
        cue = item["cue"]
        head = f"{item['kind']} quote, speaker {item['speaker']}, cue " + (
            "none" if cue is None else f"“{cue['text']}” [{cue['start']}:{cue['end']}]"
        )
    alts = item.get("alternatives")
    if alts:
        head += ", alternatives " + " ".join(f"{x['start']}-{x['end']}" for x in alts)
    return f"{head} {where}"


def _cut(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _readings(layer: str, items: Sequence[Mapping[str, Any]]) -> list[str]:
    return [describe(layer, x) for x in items] or ["(nothing)"]


def _f(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def to_markdown(agreement: Agreement) -> str:
    """The agreement as Markdown: a table per pair, the summary, and the disagreements."""
    lines = ["# Inter-annotator agreement", ""]
    for name in agreement.annotators:
        lines.append(f"- `{_md(name)}`: {len(agreement.doc_ids.get(name, ()))} documents")
    lines += [
        "",
        "| pair | documents | " + " | ".join(MEASURES[x] for x in agreement.layers) + " |",
    ]
    lines.append("|---|---|" + "---|" * len(agreement.layers))
    for p in agreement.pairs:
        lines.append(
            f"| `{_md(p.a)}` / `{_md(p.b)}` | {len(p.doc_ids)} | "
            + " | ".join(_f(p.f1[x]) for x in agreement.layers)
            + " |"
        )
    if len(agreement.annotators) > 2:
        lines += ["", "| layer | pairs | mean F1 | worst pair |", "|---|---|---|---|"]
        for layer, s in agreement.summary().items():
            worst = s["worst"]
            w = (
                "–"
                if worst is None
                else f"`{_md(worst['a'])}` / `{_md(worst['b'])}` {_f(worst['f1'])}"
            )
            lines.append(f"| {layer} | {s['pairs']} | {_f(s['mean_f1'])} | {w} |")
    for w in agreement.warnings:
        lines += ["", f"warning: {_md(w)}"]
    for p in agreement.pairs:
        lines += ["", f"## Disagreements of `{_md(p.a)}` and `{_md(p.b)}` ({len(p.disagreements)})"]
        if not p.disagreements:
            lines += ["", "none"]
            continue
        lines += [
            "",
            f"| document | layer | text | {_md(p.a)} | {_md(p.b)} |",
            "|---|---|---|---|---|",
        ]
        for d in p.disagreements:
            lines.append(
                f"| {_md(d.doc_id)} | {d.layer} | [{d.start}:{d.end}] {_md(_cut(d.text))} | "
                + "<br>".join(_md(x) for x in _readings(d.layer, d.reading_a()))
                + " | "
                + "<br>".join(_md(x) for x in _readings(d.layer, d.reading_b()))
                + " |"
            )
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Text for a Markdown table cell: pipes, HTML and line breaks cannot break the table."""
    return html.escape(" ".join(text.split())).replace("|", "\\|").replace("`", "\\`")


def to_html(agreement: Agreement) -> str:
    """The agreement as one HTML page; every text from the data is escaped."""
    e = html.escape
    body = ["<h1>Inter-annotator agreement</h1>", "<table><tr><th>pair</th><th>documents</th>"]
    body[-1] += "".join(f"<th>{e(MEASURES[x])}</th>" for x in agreement.layers) + "</tr>"
    for p in agreement.pairs:
        body.append(
            f"<tr><td>{e(p.a)} / {e(p.b)}</td><td>{len(p.doc_ids)}</td>"
            + "".join(f"<td>{_f(p.f1[x])}</td>" for x in agreement.layers)
            + "</tr>"
        )
    body.append("</table>")
    if len(agreement.annotators) > 2:
        body.append(
            "<table><tr><th>layer</th><th>pairs</th><th>mean F1</th><th>worst pair</th></tr>"
        )
        for layer, s in agreement.summary().items():
            w = s["worst"]
            cell = "–" if w is None else f"{e(w['a'])} / {e(w['b'])} {_f(w['f1'])}"
            body.append(
                f"<tr><td>{layer}</td><td>{s['pairs']}</td><td>{_f(s['mean_f1'])}</td><td>{cell}</td></tr>"
            )
        body.append("</table>")
    for w in agreement.warnings:
        body.append(f"<p>warning: {e(w)}</p>")
    for p in agreement.pairs:
        body.append(f"<h2>Disagreements of {e(p.a)} and {e(p.b)} ({len(p.disagreements)})</h2>")
        if not p.disagreements:
            body.append("<p>none</p>")
            continue
        body.append(
            f"<table><tr><th>document</th><th>layer</th><th>text</th><th>{e(p.a)}</th><th>{e(p.b)}</th></tr>"
        )
        for d in p.disagreements:
            body.append(
                f"<tr><td>{e(d.doc_id)}</td><td>{e(d.layer)}</td><td>[{d.start}:{d.end}] {e(d.text)}</td><td>"
                + "<br>".join(e(x) for x in _readings(d.layer, d.reading_a()))
                + "</td><td>"
                + "<br>".join(e(x) for x in _readings(d.layer, d.reading_b()))
                + "</td></tr>"
            )
        body.append("</table>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>newsgold agree</title><style>table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.2em .5em;vertical-align:top}</style></head><body>"
        + "\n".join(body)
        + "</body></html>\n"
    )
