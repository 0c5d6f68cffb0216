"""Resampling units (issue 13): the engine's per-unit count rows against the per-record oracle,
the ownership rule (a span belongs to the unit of its start), and the units of the seeds."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from newsgold_tests_oracle import count_matrices
from newsgold_tests_oracle import unit_starts as oracle_unit_starts

from newsgold.jsonio import prediction_from_json, prediction_to_json
from newsgold.model import Date, Document, Entity, Gold, KBEntry, Prediction, Quote
from newsgold.scoring import count_stream, get_scheme, score
from newsgold.scoring.units import UNITS, unit_starts
from newsgold.validate import load_gold

LABELS = ("PER", "ORG", "GPE", "LOC", "NORP")
# short sentences and blank-line paragraphs, so that random spans cross both kinds of boundary
TEXT = "Ab. Cd ef.\n\nGh. Ij kl.\nMn.\n\n \nOp qr. St. Uv wx.\n\nYz. Ab cd. Ef."


def _span(rng: random.Random, n: int) -> tuple[int, int]:
    s = rng.randint(0, n - 2)
    return s, min(n, s + rng.randint(1, 9))


def _unique(items: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return sorted({(x[0], x[1]): x for x in items}.values(), key=lambda x: (x[0], x[1]))


def _random_gold(rng: random.Random, n_docs: int) -> Gold:
    n = len(TEXT)
    docs = {}
    for i in range(n_docs):
        ents = _unique(
            [
                (*_span(rng, n), rng.choice(LABELS), rng.choice([None, "nato", "vladimir-putin"]))
                for _ in range(rng.randint(0, 8))
            ]
        )
        dates = _unique(
            [
                (*_span(rng, n), rng.choice(["DATE", "TIME"]), rng.choice(["2021", "2021-12-30"]))
                for _ in range(rng.randint(0, 3))
            ]
        )
        quotes = _unique(
            [
                (*_span(rng, n), rng.choice(["direct", "partial", "indirect"]), "nato")
                for _ in range(rng.randint(0, 4))
            ]
        )
        docs[f"d{i}"] = Document(
            f"d{i}",
            TEXT,
            "2021-12-30",
            "r",
            entities=tuple(Entity(s, e, None, lab, kb) for s, e, lab, kb in ents),
            dates=tuple(Date(s, e, None, t, v, None) for s, e, t, v in dates),
            quotes=tuple(Quote(s, e, None, k, sp) for s, e, k, sp in quotes),
        )
    kb = (
        KBEntry("nato", "NATO", "ORG", ("NATO",)),
        KBEntry("vladimir-putin", "Vladimir Putin", "PER", ("Putin",)),
    )
    return Gold(docs, kb)


def _random_predictions(rng: random.Random, gold: Gold) -> list[Prediction]:
    n = len(TEXT)
    out = []
    for doc_id, doc in gold.docs.items():
        line: dict[str, Any] = {"doc_id": doc_id}
        near = [(e.start, e.end) for e in doc.entities]
        spans = {_span(rng, n) for _ in range(rng.randint(0, 8))}
        # shifted copies of gold spans: matched pairs whose starts fall in different units
        spans |= {(max(0, s - rng.randint(0, 4)), e) for s, e in near if rng.random() < 0.5}
        line["entities"] = [
            {
                "start": s,
                "end": e,
                "label": rng.choice(LABELS),
                **({"kb_id": rng.choice(["nato", "vladimir-putin"])} if rng.random() < 0.4 else {}),
            }
            for s, e in spans
        ]
        line["dates"] = [
            {"start": s, "end": e, "type": "DATE", "value": rng.choice(["2021", None])}
            for s, e in {_span(rng, n) for _ in range(rng.randint(0, 3))}
        ]
        q = {_span(rng, n) for _ in range(rng.randint(0, 3))}
        q |= {(max(0, x.start - 3), x.end) for x in doc.quotes if rng.random() < 0.5}
        line["quotes"] = [
            {"start": s, "end": e, "kind": rng.choice(["direct", "indirect"]), "speaker": "NATO"}
            for s, e in q
        ]
        out.append(prediction_from_json(line))
    return out


@pytest.mark.parametrize("seed", range(60))
@pytest.mark.parametrize("unit", UNITS)
def test_engine_equals_oracle_per_unit(seed: int, unit: str) -> None:
    """Random spans crossing paragraph and sentence boundaries: the engine's rows per unit equal
    the oracle's, whose attribution (start's unit; a matched prediction with its gold) is its own."""
    rng = random.Random(seed)
    gold = _random_gold(rng, rng.randint(1, 4))
    preds = _random_predictions(rng, gold)
    sch = get_scheme("newsgold")
    engine = count_stream(
        gold, [(None, prediction_to_json(p)) for p in preds], sch, "<test>", unit=unit
    )
    _, _, mats = engine.matrices()
    want, _, _ = count_matrices(gold, preds, sch, unit)
    for layer in ("entities", "dates", "quotes"):
        assert mats[layer].tolist() == want[layer].tolist(), layer
        # every unit's row is consistent: matched ≤ gold, matched ≤ predicted
        assert (mats[layer][:, 2] <= mats[layer][:, 0]).all()
        assert (mats[layer][:, 2] <= mats[layer][:, 1]).all()
    # the units sum to the documents' rows
    by_doc = count_stream(gold, [(None, prediction_to_json(p)) for p in preds], sch, "<test>")
    for layer in ("entities", "dates", "quotes"):
        summed = engine.layout.per_document(mats[layer])
        assert summed.tolist() == by_doc.matrices()[2][layer].tolist()


def test_unit_starts_of_a_random_text_equal_the_oracle() -> None:
    """The engine's units and the oracle's own scan agree, on the seeds and on odd white space."""
    gold = load_gold()
    texts = [d.text for d in gold.docs.values()] + [
        TEXT,
        "\n\nLead.\n \n\t\nBody. More.\n\n",
        "One line\nanother line\n\n\n  Indented. Next.",
    ]
    for text in texts:
        doc = Document("d", text, "2021-12-30", "r")
        for unit in UNITS:
            assert unit_starts(doc, unit) == oracle_unit_starts(doc, unit), (unit, text[:40])


def test_units_of_the_seeds() -> None:
    """Paragraphs are the seeds' blank-line blocks; sentences are the tokens config's sentences."""
    from newsgold.corpus import sentence_rows

    gold = load_gold()
    paragraphs = {d: len(unit_starts(doc, "paragraph")) for d, doc in gold.docs.items()}
    assert sorted(paragraphs.values()) == [5, 8, 14, 15, 23]
    for doc_id, doc in gold.docs.items():
        blocks = [b for b in doc.text.split("\n\n") if b.strip()]
        assert paragraphs[doc_id] == len(blocks)
        assert len(unit_starts(doc, "sentence")) == len(sentence_rows(doc))


def test_a_quote_across_sentences_belongs_to_the_sentence_of_its_start() -> None:
    """A quote cut by a sentence boundary stays whole: its sentence (of its start) owns it, with its
    prediction; a prediction that starts one sentence earlier moves to its gold quote's unit."""
    text = "He spoke. “We agree. We will talk,” Putin said. Then he left."
    start = text.index("“")
    end = text.index("”") + 1
    doc = Document(
        "d",
        text,
        "2021-12-30",
        "r",
        quotes=(Quote(start, end, text[start:end], "direct", "vladimir-putin"),),
    )
    gold = Gold({"d": doc}, (KBEntry("vladimir-putin", "Vladimir Putin", "PER", ("Putin",)),))
    starts = unit_starts(doc, "sentence")
    assert starts == [0, text.index("“"), text.index("We will"), text.index("Then")]
    sch = get_scheme("newsgold")
    for pred_start in (start, text.index("spoke")):  # the same span; one from sentence 1
        pred = {"doc_id": "d", "quotes": [{"start": pred_start, "end": end, "speaker": "Putin"}]}
        engine = count_stream(gold, [(None, pred)], sch, "<test>", unit="sentence")
        rows = engine.matrices()[2]["quotes"][:, :3].tolist()  # gold, pred, matched
        assert rows == [[0, 0, 0], [1, 1, 1], [0, 0, 0], [0, 0, 0]]
    # an unmatched prediction stays in the unit of its own start
    pred = {"doc_id": "d", "quotes": [{"start": 0, "end": 3, "speaker": "Putin"}]}
    engine = count_stream(gold, [(None, pred)], sch, "<test>", unit="sentence")
    assert engine.matrices()[2]["quotes"][:, :3].tolist() == [
        [0, 1, 0],
        [1, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
    ]


def test_bundled_systems_per_unit_equal_the_oracle(root: Path) -> None:
    """The real gold and every bundled system, per paragraph and per sentence."""
    import json

    from newsgold.validate import iter_predictions

    gold = load_gold(root)
    for sub in sorted((root / "eval" / "submissions").iterdir()):
        meta = json.loads((sub / "submission.json").read_text(encoding="utf-8"))
        sch = get_scheme(meta.get("scheme", "newsgold"))
        problems: list[Any] = []
        preds = list(
            iter_predictions(sub / "predictions.jsonl", gold.docs, problems, labels=sch.accepted)
        )
        assert not problems
        for unit in ("paragraph", "sentence"):
            engine = count_stream(
                gold, [(None, prediction_to_json(p)) for p in preds], sch, "<t>", unit=unit
            )
            want, _, _ = count_matrices(gold, preds, sch, unit)
            for layer in ("entities", "dates", "quotes"):
                assert engine.matrices()[2][layer].tolist() == want[layer].tolist(), (
                    sub.name,
                    unit,
                )


def test_the_unit_is_recorded_and_an_unknown_unit_is_an_error() -> None:
    from newsgold.errors import UsageError

    gold = load_gold()
    preds = [Prediction(d, entities=doc.entities) for d, doc in gold.docs.items()]
    for unit, n in (("document", 5), ("paragraph", 65)):
        report = score(gold, preds, n_bootstrap=10, unit=unit).to_json()
        assert report["bootstrap"]["unit"] == unit
        assert report["bootstrap"]["units"] == n
    with pytest.raises(UsageError, match="unknown unit 'word' \\(expected one of document, "):
        score(gold, preds, unit="word")
    assert np.isfinite(1.0)


@pytest.mark.parametrize("seed", range(40))
def test_reference_scorer_per_unit_counts_on_random_inputs(seed: int, reference: Any) -> None:
    """The reference scorer (no code shared with newsgold.scoring, its own matching and its own
    paragraph scan) gives the engine's per-unit gold, pred, matched and strict of dates and quotes."""
    rng = random.Random(1000 + seed)
    gold = _random_gold(rng, 2)
    preds = _random_predictions(rng, gold)
    sch = get_scheme("newsgold")
    checked = 0
    for unit in UNITS:
        engine = count_stream(
            gold, [(None, prediction_to_json(p)) for p in preds], sch, "<test>", unit=unit
        )
        mats = engine.matrices()[2]
        first = engine.layout.first
        for i, (doc_id, doc) in enumerate(gold.docs.items()):
            pred = next(p for p in preds if p.doc_id == doc_id)
            protected = [(e.start, e.end) for e in doc.entities] + [
                (d.start, d.end) for d in doc.dates
            ]
            starts = reference.unit_starts(doc.text, unit, protected)
            assert len(starts) == first[i + 1] - first[i]
            for layer, g, p in (
                ("dates", doc.dates, pred.dates or ()),
                ("quotes", doc.quotes, pred.quotes or ()),
            ):
                g_t = [(x.start, x.end, "x") for x in g]
                p_t = [(x.start, x.end, "x") for x in p]
                try:
                    rows = reference.span_unit_counts(g_t, p_t, starts)
                except reference.Ambiguous:
                    continue
                got = mats[layer][first[i] : first[i + 1], :4].tolist()
                assert got == [[r["gold"], r["pred"], r["matched"], r["strict"]] for r in rows]
                checked += 1
    assert checked > 0
