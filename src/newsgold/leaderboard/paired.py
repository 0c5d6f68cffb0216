"""The paired test of a system against a layer's best, and the smallest p-value it can reach."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ..errors import Problem
from ..model import Gold, Prediction
from .constants import PRIMARY
from .submissions import Submission, _raise_if, stream_predictions, to_newsgold_labels


def _paired_p(
    gold: Gold,
    best: Submission,
    other: Submission,
    layer: str,
    n_resamples: int,
    compare: Callable[..., Any],
    unit: str = "document",
) -> float | None:
    """The p-value of the paired test of ``other`` against ``best`` on the layer's ranking figure."""
    if (
        best.scheme != other.scheme
        and layer == "entities"
        and "conll" in (best.scheme, other.scheme)
    ):
        return None  # the CoNLL projection changes the gold: no common ground to test on
    same = best.scheme == other.scheme
    found: list[Problem] = []

    def preds(sub: Submission) -> Iterator[Prediction]:
        for p in stream_predictions(sub, gold, found):
            yield p if same else to_newsgold_labels(p, sub.scheme)

    result = compare(
        gold,
        preds(best),
        preds(other),
        layers=[layer],
        scheme=best.scheme if same else "newsgold",
        n_resamples=n_resamples,
        unit=unit,
    )
    _raise_if(found)
    entry = result.to_json()["figures"].get(f"{layer}.{PRIMARY[layer]}")
    return None if entry is None else entry["p_value"]


def min_p_value(gold: Gold, n_resamples: int = 2000, unit: str = "document") -> float | None:
    """The smallest p-value the paired test can reach on this gold: perfect output against none.

    The test swaps the two systems' outputs unit by unit; on ``n`` units it is
    exact (all ``2**n`` swaps) and the identity and the full swap always count
    as extreme, so no comparison goes below ``2 / 2**n`` (above 16 units it
    samples, and the floor is ``1 / (resamples + 1)``). A perfect output against
    an empty one, better on every unit, reaches that floor. With few units it
    exceeds :data:`ALPHA`, and the board then says that no system can be told
    apart from the best yet.

    Args:
        gold: the gold.
        n_resamples: resamples of the test (it is exact on few units).
        unit: the resampling unit.

    Returns:
        The p-value on the entities' strict F1, or ``None`` when undefined.
    """
    from ..scoring import compare, gold_as_predictions

    empty = [Prediction(doc_id, (), (), ()) for doc_id in gold.docs]
    result = compare(
        gold,
        gold_as_predictions(gold),
        empty,
        layers=["entities"],
        n_resamples=n_resamples,
        unit=unit,
    )
    entry = result.to_json()["figures"].get("entities.strict.f1")
    return None if entry is None else entry["p_value"]
