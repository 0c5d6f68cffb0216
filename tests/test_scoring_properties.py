"""Hypothesis properties of the scorer and the matching."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgold.model import Date, Document, Entity, Gold, Prediction, Quote
from newsgold.scoring import score

LABELS = ("PER", "ORG", "GPE", "LOC", "NORP")
TEXT = "x" * 120


@st.composite
def spans(draw: Any, overlapping: bool) -> list[tuple[int, int, str]]:
    out = []
    pos = 0
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, 100)) if overlapping else pos + draw(st.integers(0, 5))
        length = draw(st.integers(1, 10))
        if not overlapping and start + length > 118:
            break
        out.append((start, min(start + length, 120), draw(st.sampled_from(LABELS))))
        pos = start + length
    return out


@st.composite
def corpora(draw: Any) -> tuple[Gold, list[Prediction]]:
    n = draw(st.integers(1, 4))
    docs = {}
    preds = []
    for i in range(n):
        g = draw(spans(False))
        p = draw(spans(True))
        docs[f"d{i}"] = Document(
            f"d{i}",
            TEXT,
            "2021-12-30",
            "r",
            entities=tuple(Entity(s, e, None, lab, None) for s, e, lab in g),
            dates=tuple(Date(s, e, None, "DATE", "2021-12-30", None) for s, e, _ in g[:2]),
            quotes=tuple(Quote(s, e, None, "direct", None) for s, e, _ in g[-2:]),
        )
        preds.append(
            Prediction(
                f"d{i}",
                entities=tuple(Entity(s, e, label=lab) for s, e, lab in p),
                dates=tuple(Date(s, e, type="DATE", value="2021-12-30") for s, e, _ in p[:3]),
                quotes=tuple(Quote(s, e, kind="direct") for s, e, _ in p[-2:]),
            )
        )
    return Gold(docs, ()), preds


def _leaves(obj: Any, path: str = "") -> list[tuple[str, Any]]:
    if isinstance(obj, dict):
        return [x for k, v in obj.items() for x in _leaves(v, f"{path}.{k}")]
    if isinstance(obj, list):
        return [x for i, v in enumerate(obj) for x in _leaves(v, f"{path}[{i}]")]
    return [(path, obj)]


RATE_WORDS = ("precision", "recall", "f1", "accuracy", "mean", "std", "ci95")


@settings(max_examples=60, deadline=None)
@given(corpora(), st.randoms(use_true_random=False))
def test_order_of_spans_and_documents_changes_nothing(corpus: Any, rnd: random.Random) -> None:
    """Shuffling predictions within documents and the documents themselves: the same report."""
    gold, preds = corpus
    shuffled = []
    for p in preds:
        ents = list(p.entities or ())
        rnd.shuffle(ents)
        dts = list(p.dates or ())
        rnd.shuffle(dts)
        shuffled.append(
            Prediction(p.doc_id, tuple(ents), tuple(dts), tuple(reversed(p.quotes or ())))
        )
    rnd.shuffle(shuffled)
    a = score(gold, preds, n_bootstrap=50, seed=1).to_json()
    b = score(gold, shuffled, n_bootstrap=50, seed=1).to_json()
    assert a == b


@settings(max_examples=60, deadline=None)
@given(corpora())
def test_every_figure_in_unit_interval(corpus: Any) -> None:
    """Every rate (P, R, F1, accuracies, intervals, means) is null or within [0, 1]."""
    gold, preds = corpus
    rep = score(gold, preds, n_bootstrap=30).to_json()
    for layer in ("entities", "dates", "quotes"):
        for path, value in _leaves(rep[layer]):
            if any(w in path.rsplit(".", 1)[-1] for w in RATE_WORDS) or "ci95" in path:
                assert value is None or 0.0 <= value <= 1.0, (path, value)


@settings(max_examples=60, deadline=None)
@given(corpora())
def test_perfect_scores_one_and_empty_scores_zero(corpus: Any) -> None:
    """Predicting the gold itself gives 1 wherever defined; predicting nothing gives F1 0 (or null)."""
    gold, _ = corpus
    perfect = [Prediction(d.doc_id, d.entities, d.dates, d.quotes) for d in gold.docs.values()]
    rep = score(gold, perfect, n_bootstrap=0).to_json()
    has_gold = any(d.entities for d in gold.docs.values())
    for layer in ("entities", "dates", "quotes"):
        for path, value in _leaves(rep[layer]):
            leaf = path.rsplit(".", 1)[-1]
            if (
                leaf in ("precision", "recall", "f1")
                or leaf.endswith("_accuracy")
                or leaf.endswith("_f1")
            ):
                if "kb_id" in leaf:
                    continue
                assert value is None or value == 1.0, (path, value)
    empty = [Prediction(d.doc_id, (), (), ()) for d in gold.docs.values()]
    rep0 = score(gold, empty, n_bootstrap=0).to_json()
    assert rep0["entities"]["strict"]["f1"] == (0.0 if has_gold else None)
    assert rep0["entities"]["strict"]["precision"] is None


# The matching's own optimality and order-independence are checked against an independent brute
# force in tests/test_scoring_oracle.py (candidate pairs not taken from the code under test).
