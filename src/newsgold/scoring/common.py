"""Figures computed from summed counts, vectorised over bootstrap resamples.

Each layer turns one document into a row of integer counts; a figure is a
formula over the column sums. The formulas take numpy arrays, so the same code
gives the point estimate (arrays of one element), every bootstrap resample
(one element per resample) and every document (one element per document).
Undefined figures (a ratio with a zero denominator) are ``nan`` here and
``null`` in the report: "undefined" is not 0.

>>> import numpy as np
>>> prf(np.array([3.0]), np.array([4.0]), np.array([6.0]))["f1"]
array([0.6])
>>> ratio(np.array([1.0]), np.array([0.0]))
array([nan])
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

Array = Any  # numpy float arrays; kept loose so mypy does not need numpy stubs tuned
Figures = dict[str, Any]  # nested dict whose leaves are arrays


def ratio(num: Array, den: Array) -> Array:
    """``num / den``, ``nan`` where ``den`` is 0."""
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    safe = np.where(den > 0, den, 1.0)
    return np.where(den > 0, num / safe, np.nan)


def prf(num: Array, pred: Array, gold: Array) -> Figures:
    """Precision ``num/pred``, recall ``num/gold`` and F1 ``2·num/(pred+gold)``.

    F1 equals the harmonic mean of precision and recall whenever both are
    defined; it is 0 when exactly one side is empty (nothing predicted, or
    nothing to find) and undefined only when both are.

    Args:
        num: the credited matches (may be fractional: partial matches count 0.5).
        pred: the number of predicted items.
        gold: the number of gold items.

    Returns:
        ``{"precision", "recall", "f1"}`` arrays.
    """
    return {
        "precision": ratio(num, pred),
        "recall": ratio(num, gold),
        "f1": ratio(2 * np.asarray(num, dtype=np.float64), np.asarray(pred) + np.asarray(gold)),
    }


def nanmean_std(values: Array) -> tuple[float | None, float | None, int]:
    """Mean and population standard deviation of the defined values, and how many there are.

    >>> nanmean_std(np.array([1.0, np.nan, 0.0]))
    (0.5, 0.5, 2)
    >>> nanmean_std(np.array([np.nan]))
    (None, None, 0)
    """
    arr = np.asarray(values, dtype=np.float64)
    ok = arr[~np.isnan(arr)]
    if ok.size == 0:
        return None, None, 0
    return float(ok.mean()), float(ok.std()), int(ok.size)


def mean_defined(arrays: list[Array]) -> Array:
    """Element-wise mean over the arrays, ignoring ``nan``; ``nan`` where all are."""
    if not arrays:
        return np.array([np.nan])
    stack = np.vstack([np.asarray(a, dtype=np.float64) for a in arrays])
    ok = ~np.isnan(stack)
    n = ok.sum(axis=0)
    total = np.where(ok, stack, 0.0).sum(axis=0)
    return ratio(total, n)


def columns_view(matrix: Array, names: tuple[str, ...]) -> Mapping[str, Array]:
    """Name the columns of a (rows × columns) count matrix: name → column array."""
    return {name: matrix[:, i] for i, name in enumerate(names)}


def get_path(figures: Mapping[str, Any], path: str) -> Any:
    """A leaf of nested figures by a dotted path (``strict.f1``)."""
    node: Any = figures
    for part in path.split("."):
        node = node[part]
    return node
