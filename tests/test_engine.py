"""The column-wise engine against the per-record oracle (tests/oracle.py), on random inputs.

Every input path feeds the same engine, so the checks here are: the engine's
count rows equal the oracle's for random predictions under every scheme
(tangled documents, overlapping and nested spans on both sides, DATE entities
on the span of a predicted date); the JSONL file path gives exactly the
report and problems of the record path.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from newsgold_tests_oracle import count_matrices

from newsgold.errors import ValidationError
from newsgold.jsonio import prediction_from_json, prediction_to_json
from newsgold.model import Date, Document, Entity, Gold, KBEntry, Prediction, Quote, Span
from newsgold.scoring import LAYERS as LAYERS_
from newsgold.scoring import count_stream, get_scheme, score, score_jsonl
from newsgold.validate import iter_predictions

LABELS = ("PER", "ORG", "GPE", "LOC", "NORP")
TEXT = 'Putin said "no" in Moscow; NATO and Biden\\Harris met. Russia, Ukraine and the EU ' * 2


def _gold(n_docs: int = 7) -> Gold:
    rng = random.Random(1)
    docs = {}
    for i in range(n_docs):
        ents = []
        pos = 0
        while pos < len(TEXT) - 12:
            pos += rng.randint(0, 6)
            length = rng.randint(2, 8)
            ents.append(
                Entity(
                    pos,
                    pos + length,
                    TEXT[pos : pos + length],
                    rng.choice(LABELS),
                    rng.choice([None, "vladimir-putin", "nato"]),
                )
            )
            pos += length
        docs[f"d{i}"] = Document(
            f"d{i}",
            TEXT,
            "2021-12-30",
            "r",
            entities=tuple(ents),
            dates=(Date(0, 5, TEXT[0:5], "DATE", "2021-12-30", None),),
            quotes=(Quote(12, 14, TEXT[12:14], "direct", "vladimir-putin"),),
        )
    kb = (
        KBEntry("nato", "NATO", "ORG", ("NATO",)),
        KBEntry("vladimir-putin", "Vladimir Putin", "PER", ("Putin",)),
    )
    return Gold(docs, kb)


def _entity(rng: random.Random, gold_ents: tuple[Entity, ...]) -> dict[str, Any]:
    if gold_ents and rng.random() < 0.6:
        g = rng.choice(gold_ents)
        start, end = g.start + rng.choice([0, 0, 1]), g.end + rng.choice([0, 0, -1, 2])
        end = max(end, start + 1)
    else:
        start = rng.randint(0, len(TEXT) - 10)
        end = start + rng.randint(1, 9)
    ent: dict[str, Any] = {"start": start, "end": end}
    shape = rng.random()
    if shape < 0.7:
        ent["label"] = rng.choice(LABELS)
    elif shape < 0.8:
        ent = {"label": rng.choice(LABELS), "end": end, "start": start}
    else:
        if rng.random() < 0.7:
            ent["label"] = rng.choice(LABELS)
        if rng.random() < 0.5:
            ent["text"] = TEXT[start:end]
        if rng.random() < 0.4:
            ent["kb_id"] = rng.choice([None, "vladimir-putin", "nato", "someone-else"])
        if rng.random() < 0.3:
            ent["score"] = rng.choice([0.5, 1])
    return ent


def _corrupt(rng: random.Random, line: dict[str, Any]) -> str:
    """Serialize a line, sometimes with one defect the reference path must catch."""
    r = rng.random()
    ents = line.get("entities") or []
    if r < 0.05 and ents:
        rng.choice(ents)["label"] = rng.choice([None, "", "PERSON", 3, ["PER"]])
    elif r < 0.10 and ents:
        e = rng.choice(ents)
        e[rng.choice(["start", "end"])] = rng.choice([-1, 5.0, 10**6, 10**30, "3", True, None])
    elif r < 0.13 and ents:
        rng.choice(ents)["text"] = "nope"
    elif r < 0.16:
        line["doc_id"] = rng.choice(["unknown", "bad id", 7])
    elif r < 0.19 and ents:
        rng.choice(ents)["extra"] = 1
    text = json.dumps(
        line, separators=rng.choice([(",", ":"), (", ", ": ")]), ensure_ascii=rng.random() < 0.5
    )
    if rng.random() < 0.05 and '"start":' in text.replace(" ", ""):
        text = text.replace('"start"', '"start": 0, "start"', 1)  # a duplicate key
    if rng.random() < 0.03:
        text = text[:-1]  # broken JSON
    if rng.random() < 0.03:
        text = text.replace('"doc_id"', '"doc_id" ', 1)  # white space before a colon
    return text


def _write(tmp_path: Path, gold: Gold, seed: int) -> Path:
    rng = random.Random(seed)
    out = []
    ids = list(gold.docs)
    rng.shuffle(ids)
    for doc_id in ids[: rng.randint(0, len(ids))] + ([ids[0]] if rng.random() < 0.1 else []):
        line: dict[str, Any] = {"doc_id": doc_id}
        if rng.random() < 0.9:
            line["entities"] = [
                _entity(rng, gold.docs[doc_id].entities) for _ in range(rng.randint(0, 25))
            ]
        if rng.random() < 0.2:
            line["dates"] = [
                {"start": 0, "end": 5, "type": "DATE", "value": rng.choice(["2021-12-30", None])}
            ]
        if rng.random() < 0.2:
            line["quotes"] = [
                {"start": 11, "end": 14, "speaker": rng.choice(["Putin", "nato", None])}
            ]
        out.append(_corrupt(rng, line))
        if rng.random() < 0.05:
            out.append("")
    path = tmp_path / f"p{seed}.jsonl"
    path.write_text("\n".join(out) + ("\n" if out else ""), encoding="utf-8")
    return path


def _reference(gold: Gold, path: Path, scheme: str) -> Any:
    """The record path: lines read and checked one by one, then scored as records."""
    problems: list = []
    preds = list(iter_predictions(path, gold.docs, problems, labels=get_scheme(scheme).accepted))
    if problems:
        return sorted(map(str, problems))
    try:
        return score(gold, preds, scheme=scheme, n_bootstrap=40).to_json()
    except ValidationError as exc:  # nothing to score: the same message, named otherwise
        return [p.message for p in exc.problems]


def _file(gold: Gold, path: Path, scheme: str) -> Any:
    try:
        return score_jsonl(gold, path, scheme=scheme, n_bootstrap=40).to_json()
    except ValidationError as exc:
        if any("nothing to score" in p.message for p in exc.problems):
            return [p.message for p in exc.problems]
        return sorted(map(str, exc.problems))


GOLD = _gold()


def _ontonotes(path: Path, seed: int) -> None:
    text = path.read_text(encoding="utf-8").replace('"PER"', '"PERSON"')
    text = text.replace('"NORP"', '"CARDINAL"')  # set aside by the scheme
    if seed % 2:
        text = text.replace('"LOC"', '"DATE"')  # moves to the dates layer
    path.write_text(text, encoding="utf-8")


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.integers(0, 10**9), st.sampled_from(["newsgold", "ontonotes"]))
def test_file_path_equals_record_path(seed: int, scheme: str) -> None:
    """Random files (valid or with one defect): the same report or the same problems both ways."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = _write(Path(tmp), GOLD, seed)
        if scheme == "ontonotes":
            _ontonotes(path, seed)
        assert _file(GOLD, path, scheme) == _reference(GOLD, path, scheme)


def _span(rng: random.Random, n: int) -> tuple[int, int]:
    start = rng.randint(0, n - 7)
    return start, start + rng.randint(1, 6)


def _by_span(items: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """One item per span (the gold never repeats a span), sorted by offsets."""
    return sorted({(x[0], x[1]): x for x in items}.values(), key=lambda x: (x[0], x[1]))


def _alts(rng: random.Random, s: int, e: int, n: int) -> tuple[Span, ...]:
    """Accepted alternative extents (containing or inside the span), sometimes."""
    out = set()
    for _ in range(rng.choice([0, 0, 1, 2])):
        a, b = max(0, s - rng.randint(0, 3)), min(n, e + rng.randint(0, 3))
        if rng.random() < 0.3 and e - s > 1:
            a, b = s + 1, e
        if (a, b) != (s, e):
            out.add((a, b))
    return tuple(Span(a, b) for a, b in sorted(out))


def _dense_gold(rng: random.Random, n_docs: int) -> Gold:
    """Dense gold with overlapping and nested spans in every layer (nested quotes, as in gold 2.0)."""
    docs = {}
    n = 40
    text = "x" * n
    for i in range(n_docs):
        ents = _by_span(
            [
                (*_span(rng, n), rng.choice(LABELS), rng.choice([None, "nato", "vladimir-putin"]))
                for _ in range(rng.randint(0, 8))
            ]
        )
        dates = _by_span(
            [
                (
                    *_span(rng, n),
                    rng.choice(["DATE", "TIME"]),
                    rng.choice(["2021-12-30", "2021"]),
                    rng.choice([None, "START"]),
                )
                for _ in range(rng.randint(0, 5))
            ]
        )
        quotes = _by_span(
            [
                (
                    *_span(rng, n),
                    rng.choice(["direct", "partial", "indirect"]),
                    rng.choice([None, "nato", "vladimir-putin"]),
                )
                for _ in range(rng.randint(0, 5))
            ]
        )
        docs[f"d{i}"] = Document(
            f"d{i}",
            text,
            "2021-12-30",
            "r",
            entities=tuple(
                Entity(s, e, None, lab, kb, None, _alts(rng, s, e, n)) for s, e, lab, kb in ents
            ),
            dates=tuple(
                Date(s, e, None, t, v, m, None, _alts(rng, s, e, n)) for s, e, t, v, m in dates
            ),
            quotes=tuple(Quote(s, e, None, k, sp) for s, e, k, sp in quotes),
        )
    kb = (
        KBEntry("nato", "NATO", "ORG", ("NATO",)),
        KBEntry("vladimir-putin", "Vladimir Putin", "PER", ("Putin",)),
    )
    return Gold(docs, kb)


def _dense_predictions(rng: random.Random, gold: Gold, scheme: str) -> list[Prediction]:
    labels = {
        "newsgold": list(LABELS),
        "ontonotes": ["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "DATE", "TIME", "MONEY"],
        "conll": ["PER", "ORG", "LOC", "MISC"],
    }[scheme]
    n = 40
    out = []
    for doc_id in gold.docs:
        if rng.random() < 0.1:
            continue  # a missing document
        line: dict[str, Any] = {"doc_id": doc_id}
        if rng.random() < 0.9:
            spans = {_span(rng, n) for _ in range(rng.randint(0, 9))}
            line["entities"] = [
                {
                    "start": s,
                    "end": e,
                    **({"label": rng.choice(labels)} if rng.random() < 0.95 else {}),
                    **(
                        {"kb_id": rng.choice([None, "nato", "vladimir-putin", "someone"])}
                        if rng.random() < 0.5
                        else {}
                    ),
                }
                for s, e in sorted(spans, key=lambda _: rng.random())
            ]
        if rng.random() < 0.7:
            spans = {_span(rng, n) for _ in range(rng.randint(0, 5))}
            line["dates"] = [
                {
                    "start": s,
                    "end": e,
                    **({"type": rng.choice(["DATE", "TIME"])} if rng.random() < 0.8 else {}),
                    **(
                        {"mod": rng.choice([None, "START", "APPROX"])} if rng.random() < 0.5 else {}
                    ),
                }
                for s, e in spans
            ]
            for d in line["dates"]:
                if rng.random() < 0.7:
                    d["value"] = {"DATE": "2021-12-30", "TIME": "2021-12-30T20:30", None: "2021"}[
                        d.get("type")
                    ]
        if rng.random() < 0.7:
            spans = {_span(rng, n) for _ in range(rng.randint(0, 5))}
            line["quotes"] = [
                {
                    "start": s,
                    "end": e,
                    **(
                        {"kind": rng.choice(["direct", "partial", "indirect"])}
                        if rng.random() < 0.8
                        else {}
                    ),
                    "speaker": rng.choice(
                        [None, "nato", "Putin", " putin ", "Biden", "vladimir-putin"]
                    ),
                }
                for s, e in spans
            ]
        out.append(prediction_from_json(line))
    rng.shuffle(out)
    return out


@settings(max_examples=250, deadline=None, derandomize=True)
@given(st.integers(0, 10**9), st.sampled_from(["newsgold", "ontonotes", "conll"]))
def test_engine_equals_oracle(seed: int, scheme: str) -> None:
    """Dense random spans (most documents tangled), every scheme: identical count rows."""
    rng = random.Random(seed)
    gold = _dense_gold(rng, rng.randint(1, 6))
    preds = _dense_predictions(rng, gold, scheme)
    sch = get_scheme(scheme)
    engine = count_stream(gold, [(None, prediction_to_json(p)) for p in preds], sch, "<test>")
    _, _, mats = engine.matrices()
    want, predicted, aside = count_matrices(gold, preds, sch)
    for layer in ("entities", "dates", "quotes"):
        assert mats[layer].tolist() == want[layer].tolist(), layer
    assert engine.predicted == predicted
    assert dict(engine.set_aside) == dict(aside)


def test_engine_equals_oracle_on_the_gold_and_bundled_systems(root: Path) -> None:
    """The real gold with each bundled submission: identical count rows."""
    import json as json_

    from newsgold.validate import load_gold

    gold = load_gold(root)
    for sub in sorted((root / "eval" / "submissions").iterdir()):
        meta = json_.loads((sub / "submission.json").read_text(encoding="utf-8"))
        sch = get_scheme(meta.get("scheme", "newsgold"))
        problems: list = []
        preds = list(
            iter_predictions(sub / "predictions.jsonl", gold.docs, problems, labels=sch.accepted)
        )
        assert not problems
        engine = count_stream(gold, [(None, prediction_to_json(p)) for p in preds], sch, "<test>")
        want, _, _ = count_matrices(gold, preds, sch)
        for layer in ("entities", "dates", "quotes"):
            assert engine.matrices()[2][layer].tolist() == want[layer].tolist(), (sub.name, layer)


def test_duplicate_key_is_an_error(tmp_path: Path) -> None:
    """A duplicate key the C parser would swallow is reported with the strict decoder's words."""
    path = tmp_path / "p.jsonl"
    path.write_text(
        '{"doc_id":"d0","entities":[{"start":0,"start":1,"end":5,"label":"PER"}]}\n',
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as info:
        score_jsonl(GOLD, path)
    assert str(info.value) == (
        f"{path}:1: $: invalid JSON: duplicate key 'start' (expected one value per key)"
    )


def test_an_optional_key_in_every_span_keeps_the_checks(tmp_path: Path) -> None:
    """Every entity with text and kb_id (more keys per span than the usual shape): still checked,
    and a wrong text among them is found."""
    lines = [
        {
            "doc_id": doc.doc_id,
            "entities": [
                {"start": e.start, "end": e.end, "label": e.label, "text": e.text, "kb_id": None}
                for e in doc.entities
            ],
        }
        for doc in GOLD.docs.values()
    ]
    good = tmp_path / "good.jsonl"
    good.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    assert score_jsonl(GOLD, good, n_bootstrap=0).figure("entities.strict.f1") == 1.0
    lines[2]["entities"][3]["text"] = "not it"
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        score_jsonl(GOLD, bad, n_bootstrap=0)
    assert str(info.value).startswith(f"{bad}:3: $.entities[3].text: got 'not it'")


def test_score_jsonl_takes_a_path_string(tmp_path: Path) -> None:
    """The README calls score_jsonl with a string path."""
    path = tmp_path / "p.jsonl"
    path.write_text('{"doc_id":"d0","entities":[]}\n', encoding="utf-8")
    assert score_jsonl(GOLD, str(path), n_bootstrap=0).figure("entities.strict.recall") == 0.0


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.integers(0, 10**9), st.sampled_from(["newsgold", "ontonotes", "conll"]))
def test_projection_equals_the_oracle(seed: int, scheme: str) -> None:
    """Scheme.project against the oracle's own reading of the scheme's table: the same entity
    tuples (evaluation labels), the same dates (DATE/TIME entities moved, one per span), the same
    labels set aside; and Scheme.route agrees with it label by label."""
    from newsgold_tests_oracle import project as oracle_project

    rng = random.Random(seed)
    gold = _dense_gold(rng, 1)
    [pred] = _dense_predictions(rng, gold, scheme) or [Prediction("d0", entities=(), dates=())]
    sch = get_scheme(scheme)
    got = sch.project(pred)
    ents, dates, aside = oracle_project(pred, sch)

    def key(t: tuple) -> tuple:
        return (t[0], t[1], str(t[2:]))

    got_ents = [(e.start, e.end, e.label, e.kb_id) for e in got.prediction.entities or ()]
    got_dates = [(d.start, d.end, d.type, d.value, d.mod) for d in got.prediction.dates or ()]
    assert sorted(got_ents, key=key) == sorted(ents, key=key)
    assert sorted(got_dates, key=key) == sorted(dates, key=key)
    assert dict(got.set_aside) == dict(aside)
    labels = [e.label for e in pred.entities or ()]
    kinds, targets = sch.route(labels)
    for label, kind, target in zip(labels, kinds.tolist(), targets, strict=True):
        want = ("entity", None) if label is None else sch.pred_map[label]
        assert (kind, target) == ({"entity": 0, "date": 1, "drop": 2}[want[0]], want[1])


def test_one_unknown_value_everywhere_never_matches_a_gold_code() -> None:
    """Every predicted kb_id the same id the gold does not have: no strict_kb credit (the one-value
    path of the codes must give 'unknown', not some gold entity's code)."""
    rng = random.Random(7)
    gold = _dense_gold(rng, 3)
    lines = [
        {
            "doc_id": d,
            "entities": [
                {"start": e.start, "end": e.end, "label": e.label, "kb_id": "not-in-the-kb"}
                for e in doc.entities
            ],
        }
        for d, doc in gold.docs.items()
    ]
    engine = count_stream(gold, [(None, x) for x in lines], get_scheme("newsgold"), "<t>")
    mats = engine.matrices()[2]["entities"]
    cols = list(LAYERS_["entities"].columns(get_scheme("newsgold").labels))
    assert mats[:, cols.index("strict")].sum() > 0
    assert mats[:, cols.index("strict_kb")].sum() == 0


def test_projection_keeps_absent_layers_absent_and_merges_one_date_per_span() -> None:
    """A prediction without entities stays without (None, not empty); an OntoNotes DATE entity on
    exactly a predicted date's span is that date, in the projection and in the engine."""
    sch = get_scheme("ontonotes")
    only_dates = Prediction("d0", dates=(Date(0, 3, type="DATE"),))
    assert sch.project(only_dates).prediction.entities is None
    assert sch.project(Prediction("d0", entities=())).prediction.dates is None
    pred = Prediction(
        "d0",
        entities=(Entity(0, 3, label="DATE"), Entity(5, 9, label="TIME")),
        dates=(Date(0, 3, type="DATE", value="2021-12-30"),),
    )
    dates = sch.project(pred).prediction.dates or ()
    assert sorted((d.start, d.end, d.value) for d in dates) == [(0, 3, "2021-12-30"), (5, 9, None)]
    doc = Document(
        "d0", "x" * 20, "2021-12-30", "r", dates=(Date(0, 3, None, "DATE", "2021-12-30", None),)
    )
    engine = count_stream(Gold({"d0": doc}, ()), [(None, prediction_to_json(pred))], sch, "<t>")
    row = engine.matrices()[2]["dates"][0]
    assert row[:3].tolist() == [1, 2, 1]  # gold 1, predicted 2 (not 3), matched 1
