"""Uncertainty: the bootstrap and the paired significance test.

Both resample *units* (documents, paragraphs or sentences, :mod:`.units`),
not spans, and both work on per-unit count rows, so any figure that is a
formula of summed counts (every micro figure, and macro ones) is recomputed
exactly per resample.

- :func:`bootstrap_sums`: ``n`` resamples of the units with replacement
  (seeded, numpy's PCG64); an F1's 95% interval is the 2.5th and 97.5th
  percentiles of its resampled values (percentile bootstrap).
- :func:`randomization_sums`: approximate randomisation for two systems on
  the same units: each unit's pair of count rows is swapped with
  probability 1/2; with at most 16 units every one of the 2^n swaps is
  enumerated, which makes the test exact.

>>> import numpy as np
>>> rows = np.array([[1, 2], [3, 4]])
>>> bootstrap_sums(rows, 3, seed=0).shape
(3, 2)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

EXACT_LIMIT = 16
"""Up to this many documents the randomisation test enumerates every swap."""


def bootstrap_sums(rows: Any, n: int, *, seed: int = 0, chunk: int | None = None) -> Any:
    """Column sums of ``n`` bootstrap resamples of the rows.

    Args:
        rows: (documents × columns) count matrix.
        n: number of resamples.
        seed: random seed; the same seed and rows give the same sums.
        chunk: resamples built at once (default: about 50,000 draws, so memory stays
            small whatever the number of documents).

    Returns:
        An (n × columns) float matrix.
    """
    rows = np.asarray(rows, dtype=np.float64)
    docs = rows.shape[0]
    out = np.empty((n, rows.shape[1]), dtype=np.float64)
    if docs == 0:
        out.fill(0.0)
        return out
    rng = np.random.default_rng(seed)
    if chunk is None:
        # small blocks: they stay in cache and below the size where BLAS starts threads
        # (which on a small shared machine costs more than it gains)
        chunk = max(1, min(128, 50_000 // docs))
    # counts are integers, and every partial sum of a resample is at most docs × the largest
    # count: below 2**24 float32 holds them all exactly, and halves the work of the product
    bound = docs * float(np.abs(rows).max(initial=0.0))
    dtype = np.float32 if bound < 2**24 else np.float64
    small: Any = rows.astype(dtype)
    offsets = (np.arange(chunk, dtype=np.intp) * docs)[:, None]
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        idx = rng.integers(0, docs, size=(hi - lo, docs), dtype=np.intp)
        idx += offsets[: hi - lo]
        # how often each document is drawn in each resample, via one flat bincount
        weights: Any = np.bincount(idx.ravel(), minlength=(hi - lo) * docs).astype(dtype)
        # einsum without optimisation is numpy's own loop, not BLAS: BLAS starts threads for
        # products this size, which on a small shared machine is up to 20 times slower
        out[lo:hi] = np.einsum("rd,dc->rc", weights.reshape(hi - lo, docs), small, optimize=False)
    return out


def interval(values: Any, level: float = 0.95) -> list[float] | None:
    """Percentile interval of the defined (non-nan) values, or ``None`` if there are none.

    >>> [round(x, 3) for x in interval(np.array([0.0, 1.0, np.nan]))]
    [0.025, 0.975]
    """
    arr = np.asarray(values, dtype=np.float64)
    ok = arr[~np.isnan(arr)]
    if ok.size == 0:
        return None
    tail = (1 - level) / 2 * 100
    lo, hi = np.percentile(ok, [tail, 100 - tail])
    return [float(lo), float(hi)]


def intervals(values: Any, level: float = 0.95) -> list[list[float] | None]:
    """:func:`interval` of each row of a (figures × resamples) matrix, in one pass.

    >>> found = intervals(np.array([[0.0, 1.0, np.nan], [np.nan, np.nan, np.nan]]))
    >>> [round(x, 3) for x in found[0]], found[1]
    ([0.025, 0.975], None)
    """
    arr = np.atleast_2d(np.asarray(values, dtype=np.float64))
    tail = (1 - level) / 2 * 100
    ok = ~np.isnan(arr)
    defined = ok.any(axis=1)
    out: list[list[float] | None] = [None] * arr.shape[0]
    if not defined.any():
        return out
    sub = arr[defined]
    if ok[defined].all():
        bounds = np.percentile(sub, [tail, 100 - tail], axis=1)
    else:
        bounds = np.nanpercentile(sub, [tail, 100 - tail], axis=1)
    for k, i in enumerate(np.flatnonzero(defined).tolist()):
        out[i] = [float(bounds[0, k]), float(bounds[1, k])]
    return out


def _swap_patterns(docs: int, n: int, seed: int, chunk: int) -> Iterator[Any]:
    if docs <= EXACT_LIMIT:
        total = 1 << docs
        for lo in range(0, total, 4096):
            codes = np.arange(lo, min(total, lo + 4096), dtype=np.int64)
            yield ((codes[:, None] >> np.arange(docs)) & 1).astype(np.float64)
        return
    rng = np.random.default_rng(seed)
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        yield rng.integers(0, 2, size=(hi - lo, docs)).astype(np.float64)


def randomization_sums(
    rows_a: Any, rows_b: Any, n: int, *, seed: int = 0, chunk: int = 256
) -> tuple[Any, Any, bool]:
    """Column sums of both systems under random per-document swaps.

    Args:
        rows_a: (documents × columns) counts of system A.
        rows_b: the same for system B, same documents in the same order.
        n: number of random swaps (ignored when the test is exact).
        seed: random seed.
        chunk: swaps built at once.

    Returns:
        ``(sums_a, sums_b, exact)``: two (swaps × columns) matrices, and
        whether every swap pattern was enumerated.
    """
    a = np.asarray(rows_a, dtype=np.float64)
    b = np.asarray(rows_b, dtype=np.float64)
    diff = b - a
    base_a, base_b = a.sum(axis=0), b.sum(axis=0)
    outs_a, outs_b = [], []
    for pattern in _swap_patterns(a.shape[0], n, seed, chunk):
        moved = pattern @ diff
        outs_a.append(base_a + moved)
        outs_b.append(base_b - moved)
    return np.vstack(outs_a), np.vstack(outs_b), a.shape[0] <= EXACT_LIMIT
