"""One-to-one optimal span matching on half-open code-point offsets.

Every layer is scored through the same matching. A gold span and a predicted
span *overlap* when they share at least one code point: with half-open offsets
``[start, end)`` that is ``max(starts) < min(ends)``. Among the overlapping
pairs, :func:`match` picks a one-to-one assignment that is optimal in this
lexicographic order:

1. the largest total overlap (in code points);
2. then the most pairs with identical boundaries;
3. then the most pairs whose third field (label, type or kind) agrees.

Ties left after that are broken on a canonical order of the spans (offsets,
then the other fields), never on input order, so shuffling either list never
changes the outcome. Most documents need no search at all: when every span
overlaps at most one span on the other side, the overlapping pairs *are* the
matching. Only the tangled components go to an exact assignment solver
(``scipy.optimize.linear_sum_assignment``, the Hungarian method).

nervaluate, by contrast, walks the predictions in input order and takes the
first overlapping gold span it has not used yet, with inclusive ends.

>>> gold = [(0, 10, "PER"), (10, 12, "ORG")]
>>> pred = [(0, 12, "PER")]
>>> match(gold, pred)
[(0, 0)]
>>> match([(0, 4, "A"), (4, 10, "B")], [(0, 10, "B"), (3, 5, "A")])
[(0, 1), (1, 0)]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

SpanTuple = tuple[Any, ...]
"""A span as a tuple: ``(start, end, field, ...)``; only the first three fields are used."""


def _key(item: SpanTuple) -> tuple[int, int, str]:
    return (item[0], item[1], repr(item[2:]))


def overlap_pairs(gold: Sequence[SpanTuple], pred: Sequence[SpanTuple]) -> list[tuple[int, int]]:
    """Every overlapping ``(gold index, pred index)`` pair.

    Args:
        gold: gold spans as tuples starting with ``start, end``.
        pred: predicted spans, same shape; either list in any order, overlaps allowed.

    Returns:
        The pairs, sorted by (gold index, pred index).

    >>> overlap_pairs([(0, 5), (5, 9)], [(4, 6), (9, 10)])
    [(0, 0), (1, 0)]
    """
    if not gold or not pred:
        return []
    go = sorted(range(len(gold)), key=lambda i: gold[i][0])
    po = sorted(range(len(pred)), key=lambda i: pred[i][0])
    pairs: list[tuple[int, int]] = []
    active: list[int] = []
    j = 0
    n = len(go)
    for p in po:
        ps, pe = pred[p][0], pred[p][1]
        while j < n and gold[go[j]][0] < pe:
            active.append(go[j])
            j += 1
        if active:
            # pred starts never decrease: a gold span ending at or before this start is done
            active = [g for g in active if gold[g][1] > ps]
            for g in active:
                if gold[g][0] < pe:
                    pairs.append((g, p))
    pairs.sort()
    return pairs


def assign(
    pairs: Sequence[tuple[int, int]], gold: Sequence[SpanTuple], pred: Sequence[SpanTuple]
) -> list[tuple[int, int]]:
    """The optimal one-to-one matching among given overlapping pairs (see the module docstring).

    Args:
        pairs: candidate ``(gold index, pred index)`` pairs, each overlapping.
        gold: the gold spans.
        pred: the predicted spans.

    Returns:
        The chosen pairs, sorted, each gold and each pred index at most once.

    >>> assign([(0, 0), (0, 1)], [(0, 5, "A")], [(0, 5, "B"), (0, 5, "A")])
    [(0, 1)]
    """
    if not pairs:
        return []
    gseen: dict[int, int] = {}
    pseen: dict[int, int] = {}
    tangled = False
    for g, p in pairs:
        if g in gseen or p in pseen:
            tangled = True
            break
        gseen[g] = p
        pseen[p] = g
    if not tangled:
        return sorted(pairs)
    return _assign_components(pairs, gold, pred)


def _assign_components(
    pairs: Sequence[tuple[int, int]], gold: Sequence[SpanTuple], pred: Sequence[SpanTuple]
) -> list[tuple[int, int]]:
    # union-find over nodes ("g", i) and ("p", j)
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x: tuple[str, int]) -> tuple[str, int]:
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for g, p in pairs:
        a, b = find(("g", g)), find(("p", p))
        if a != b:
            parent[a] = b
    groups: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for g, p in pairs:
        groups.setdefault(find(("g", g)), []).append((g, p))
    out: list[tuple[int, int]] = []
    for comp in groups.values():
        if len(comp) == 1:
            out.append(comp[0])
        else:
            out.extend(_solve(comp, gold, pred))
    return sorted(out)


def _solve(
    comp: Sequence[tuple[int, int]], gold: Sequence[SpanTuple], pred: Sequence[SpanTuple]
) -> list[tuple[int, int]]:
    import numpy as np
    from scipy.optimize import linear_sum_assignment  # type: ignore[import-untyped]

    gs = sorted({g for g, _ in comp}, key=lambda i: _key(gold[i]))
    ps = sorted({p for _, p in comp}, key=lambda i: _key(pred[i]))
    gi = {g: k for k, g in enumerate(gs)}
    pi = {p: k for k, p in enumerate(ps)}
    k = len(comp)
    third = k + 1  # the label terms of any assignment sum to at most k < third
    first = (k + 1) * third  # the lower terms sum to at most k * third + k < first
    weights = np.zeros((len(gs), len(ps)), dtype=np.float64)
    for g, p in comp:
        a, b = gold[g], pred[p]
        overlap = min(a[1], b[1]) - max(a[0], b[0])
        same_bounds = a[0] == b[0] and a[1] == b[1]
        same_field = len(a) > 2 and len(b) > 2 and a[2] == b[2]
        weights[gi[g], pi[p]] = overlap * first + same_bounds * third + same_field
    rows, cols = linear_sum_assignment(weights, maximize=True)
    return [
        (gs[r], ps[c])
        for r, c in zip(rows.tolist(), cols.tolist(), strict=False)
        if weights[r, c] > 0
    ]


def match(gold: Sequence[SpanTuple], pred: Sequence[SpanTuple]) -> list[tuple[int, int]]:
    """Match gold and predicted spans one-to-one, optimally and independently of order.

    Args:
        gold: gold spans as tuples ``(start, end, field, ...)``, half-open offsets.
        pred: predicted spans, same shape.

    Returns:
        Sorted ``(gold index, pred index)`` pairs.

    >>> match([(0, 5, "A")], [(5, 9, "A")])
    []
    """
    return assign(overlap_pairs(gold, pred), gold, pred)
