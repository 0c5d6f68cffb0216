"""An independent oracle for the span matching: brute force over every pair and every assignment.

Nothing here comes from the code under test except the two functions checked,
``overlap_pairs`` and ``match``: the overlapping pairs are every ``(g, p)`` with
``max(starts) < min(ends)``, and the optimum is found by enumerating every
one-to-one assignment of a small instance and scoring it lexicographically
(total overlap, then pairs with identical boundaries, then pairs with the same
label). The spans are dense (starts 0–15, lengths 1–6) so that they tangle and
tie often; every counterexample found so far is pinned with ``@example``.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsgold.scoring.matching import match, overlap_pairs

Span = tuple[int, int, str]

dense_span = st.builds(
    lambda s, n, lab: (s, s + n, lab),
    st.integers(0, 15),
    st.integers(1, 6),
    st.sampled_from(("A", "B", "C")),
)
small = st.lists(dense_span, max_size=5)
medium = st.lists(dense_span, max_size=9)

# Each pinned case is (gold, pred). Every one of them broke some wrong matching:
TOUCHING = ([(5, 9, "A")], [(0, 5, "A")])  # gold start == pred end: no shared code point
TOUCHING_OTHER_SIDE = ([(0, 5, "A")], [(5, 9, "A")])  # gold end == pred start
SORT_BY_END = ([(0, 1, "A")], [(0, 10, "A"), (2, 3, "A")])  # pred sorted by end loses (0, 0)
SORT_BY_END_MANY = ([(0, 2, "A"), (4, 6, "B")], [(0, 8, "A"), (1, 3, "B"), (5, 6, "A")])
# a 3 x 3 component whose best matching is one pair (overlap 6 beats 2 + 2): an assignment
# solver fills the other two rows with zero-weight, non-overlapping pairs that must be dropped
ZERO_WEIGHT = (
    [(0, 10, "A"), (12, 14, "A"), (16, 18, "A")],
    [(4, 20, "A"), (0, 2, "A"), (8, 10, "A")],
)
# two gold spans tie exactly for one prediction: the choice must not follow input order
GOLD_TIE = ([(0, 4, "A"), (2, 6, "A")], [(1, 5, "A")])
PRED_TIE = ([(1, 5, "A")], [(0, 4, "A"), (2, 6, "A")])
GOLD_TIE_TANGLED = ([(0, 4, "A"), (2, 6, "A"), (7, 9, "B")], [(1, 5, "A"), (3, 8, "B")])
# equal overlap and boundaries; only the label tells the optimum
LABEL_TIE_BREAK = ([(0, 4, "A"), (4, 8, "B")], [(2, 6, "B"), (2, 6, "A")])
BOUNDS_TIE_BREAK = ([(0, 4, "A"), (0, 6, "A")], [(0, 4, "B"), (1, 6, "B")])
# identical boundaries outrank a same label at equal overlap (a bounds weight too small ties them)
BOUNDS_BEFORE_LABEL = ([(6, 9, "C")], [(6, 9, "A"), (5, 10, "C")])
# same offsets, different labels, neither matching the prediction: the canonical order of the
# spans must look past the offsets, or the choice follows input order
SAME_OFFSETS = ([(8, 13, "A"), (8, 13, "C")], [(6, 9, "B")])
# two distant parts, the second with a tie: solving both parts as one assignment problem can
# break that tie the other way (g1, p1, g2, p2; the second part is shifted far away)
LOCAL_TIE = (
    [(5, 10, "A"), (4, 7, "A")],
    [(5, 9, "A")],
    [(7, 12, "A")],
    [(5, 9, "A"), (8, 10, "A")],
)
PINNED = [
    TOUCHING,
    TOUCHING_OTHER_SIDE,
    SORT_BY_END,
    SORT_BY_END_MANY,
    ZERO_WEIGHT,
    GOLD_TIE,
    PRED_TIE,
    GOLD_TIE_TANGLED,
    LABEL_TIE_BREAK,
    BOUNDS_TIE_BREAK,
    BOUNDS_BEFORE_LABEL,
    SAME_OFFSETS,
]


def brute_pairs(gold: Sequence[Span], pred: Sequence[Span]) -> list[tuple[int, int]]:
    """Every pair sharing at least one code point, in (gold, pred) index order."""
    return [
        (g, p)
        for g in range(len(gold))
        for p in range(len(pred))
        if max(gold[g][0], pred[p][0]) < min(gold[g][1], pred[p][1])
    ]


def value(
    gold: Sequence[Span], pred: Sequence[Span], pairs: Sequence[tuple[int, int]]
) -> tuple[int, int, int]:
    """(total overlap, pairs with identical boundaries, pairs with the same label)."""
    overlap = sum(min(gold[g][1], pred[p][1]) - max(gold[g][0], pred[p][0]) for g, p in pairs)
    bounds = sum(gold[g][:2] == pred[p][:2] for g, p in pairs)
    labels = sum(gold[g][2] == pred[p][2] for g, p in pairs)
    return overlap, bounds, labels


def brute_optimum(gold: Sequence[Span], pred: Sequence[Span]) -> tuple[int, int, int]:
    """The best value over every one-to-one assignment (each gold to one unused pred or none).

    Non-overlapping pairs are enumerated too and simply not counted (a pair
    that shares nothing is no match), so the candidates do not come from
    ``overlap_pairs``.
    """
    best = (0, 0, 0)

    def walk(g: int, used: frozenset[int], acc: tuple[int, int, int]) -> None:
        nonlocal best
        if g == len(gold):
            best = max(best, acc)
            return
        walk(g + 1, used, acc)
        for p in range(len(pred)):
            if p in used:
                continue
            a, b = gold[g], pred[p]
            overlap = min(a[1], b[1]) - max(a[0], b[0])
            if overlap <= 0:
                continue
            step = (overlap, int(a[:2] == b[:2]), int(a[2] == b[2]))
            walk(g + 1, used | {p}, (acc[0] + step[0], acc[1] + step[1], acc[2] + step[2]))

    walk(0, frozenset(), (0, 0, 0))
    return best


def chosen_spans(
    gold: Sequence[Span], pred: Sequence[Span], pairs: Sequence[tuple[int, int]]
) -> list[tuple[Span, Span]]:
    return sorted((gold[g], pred[p]) for g, p in pairs)


def test_pinned_cases_are_what_they_claim() -> None:
    """The pinned cases check themselves against the brute force (so a typo cannot make one vacuous)."""
    assert brute_pairs(*TOUCHING) == brute_pairs(*TOUCHING_OTHER_SIDE) == []
    assert brute_pairs(*SORT_BY_END) == [(0, 0)]
    assert brute_optimum(*ZERO_WEIGHT) == (6, 0, 1)  # one pair of overlap 6 beats 2 + 2
    assert brute_optimum(*GOLD_TIE) == (3, 0, 1)
    assert brute_optimum(*LABEL_TIE_BREAK) == (4, 0, 2)


# --------------------------------------------------------------------------- overlap_pairs


@settings(max_examples=300, derandomize=True, deadline=None)
@given(medium, medium)
@example(*TOUCHING)
@example(*TOUCHING_OTHER_SIDE)
@example(*SORT_BY_END)
@example(*SORT_BY_END_MANY)
@example(*ZERO_WEIGHT)
@example([(3, 4, "A"), (0, 9, "A"), (3, 4, "A")], [(4, 5, "A"), (2, 3, "A"), (3, 4, "B")])
def test_overlap_pairs_equal_brute_force(gold: list[Span], pred: list[Span]) -> None:
    """Exactly the pairs with max(starts) < min(ends), sorted, whatever the input order."""
    assert overlap_pairs(gold, pred) == brute_pairs(gold, pred)


def test_overlap_pairs_by_hand() -> None:
    """Nested, crossing on either side, touching on either side, identical and empty inputs."""
    gold = [(2, 8), (10, 12)]
    assert overlap_pairs(gold, [(0, 2)]) == []  # touches gold 0 on the left
    assert overlap_pairs(gold, [(8, 10)]) == []  # touches both, shares nothing
    assert overlap_pairs(gold, [(0, 3)]) == [(0, 0)]
    assert overlap_pairs(gold, [(7, 11)]) == [(0, 0), (1, 0)]
    assert overlap_pairs(gold, [(3, 4), (0, 20)]) == [(0, 0), (0, 1), (1, 1)]
    assert overlap_pairs(gold, [(11, 12), (2, 8)]) == [(0, 1), (1, 0)]
    assert overlap_pairs([], [(0, 1)]) == overlap_pairs([(0, 1)], []) == []


# --------------------------------------------------------------------------- match


def _shuffled(items: list[Span], rnd: random.Random) -> list[Span]:
    out = list(items)
    rnd.shuffle(out)
    return out


def _check_match(gold: list[Span], pred: list[Span], rnd: random.Random) -> None:
    chosen = match(gold, pred)
    # one-to-one, sorted, and only pairs that share a code point
    assert chosen == sorted(chosen)
    assert len({g for g, _ in chosen}) == len(chosen) == len({p for _, p in chosen})
    assert set(chosen) <= set(brute_pairs(gold, pred))
    # the optimum value of the brute force
    assert value(gold, pred, chosen) == brute_optimum(gold, pred)
    # the same span pairs whatever the order of either side
    expected = chosen_spans(gold, pred, chosen)
    for g2, p2 in (
        (gold[::-1], pred[::-1]),
        (gold[::-1], pred),
        (gold, pred[::-1]),
        (_shuffled(gold, rnd), _shuffled(pred, rnd)),
    ):
        assert chosen_spans(g2, p2, match(g2, p2)) == expected


@settings(max_examples=300, derandomize=True, deadline=None)
@given(small, small, st.randoms(use_true_random=False))
@example(*TOUCHING, random.Random(0))
@example(*TOUCHING_OTHER_SIDE, random.Random(0))
@example(*SORT_BY_END, random.Random(0))
@example(*SORT_BY_END_MANY, random.Random(0))
@example(*ZERO_WEIGHT, random.Random(0))
@example(*GOLD_TIE, random.Random(0))
@example(*PRED_TIE, random.Random(0))
@example(*GOLD_TIE_TANGLED, random.Random(0))
@example(*LABEL_TIE_BREAK, random.Random(0))
@example(*BOUNDS_TIE_BREAK, random.Random(0))
@example(*BOUNDS_BEFORE_LABEL, random.Random(0))
@example(*SAME_OFFSETS, random.Random(0))
def test_match_is_optimal_one_to_one_and_order_free(
    gold: list[Span], pred: list[Span], rnd: random.Random
) -> None:
    """Optimal value = brute force over all assignments; shuffling gold and pred keeps the span pairs."""
    _check_match(gold, pred, rnd)


def _far(spans: list[Span], by: int = 100) -> list[Span]:
    return [(s + by, e + by, lab) for s, e, lab in spans]


@settings(max_examples=200, derandomize=True, deadline=None)
@given(small, small, small, small)
@example(*LOCAL_TIE)
def test_matching_is_local(g1: list[Span], p1: list[Span], g2: list[Span], p2: list[Span]) -> None:
    """Spans far apart do not interact: matching a document made of two distant parts gives the
    union of the parts' own matchings (ties inside a part are broken the same way)."""
    gold, pred = g1 + _far(g2), _far(p2) + p1
    both = chosen_spans(gold, pred, match(gold, pred))
    parts = chosen_spans(g1, p1, match(g1, p1)) + chosen_spans(
        _far(g2), _far(p2), match(_far(g2), _far(p2))
    )
    assert both == sorted(parts)


def test_pinned_matches_by_hand() -> None:
    """The pinned cases' matchings, written out."""
    assert match(*TOUCHING) == match(*TOUCHING_OTHER_SIDE) == []
    assert match(*SORT_BY_END) == [(0, 0)]
    assert match(*ZERO_WEIGHT) == [(0, 0)]  # and nothing else, though every label agrees
    assert len(match(*GOLD_TIE)) == 1
    assert match(*LABEL_TIE_BREAK) == [(0, 1), (1, 0)]  # A with A, B with B
    assert match(*BOUNDS_TIE_BREAK) == [(0, 0), (1, 1)]  # (0, 4) with (0, 4)
    assert match(*BOUNDS_BEFORE_LABEL) == [(0, 0)]  # (6, 9) with (6, 9), not the C with the C
    gold, pred = SAME_OFFSETS
    assert chosen_spans(gold, pred, match(gold, pred)) == chosen_spans(
        gold[::-1], pred, match(gold[::-1], pred)
    )


def test_match_on_bare_offsets() -> None:
    """Spans without a third field are matched on overlap and boundaries alone, tangled or not,
    also when only one side has the field."""
    assert match([(0, 4), (2, 6)], [(1, 5)]) == [(0, 0)]  # equal overlap: the canonical first
    assert match([(0, 4), (2, 6)], [(2, 6), (0, 3)]) == [(0, 1), (1, 0)]
    assert match([(0, 4)], [(4, 8)]) == []
    assert match([(0, 4), (2, 6)], [(1, 5, "A")]) == [(0, 0)]
    assert match([(0, 4, "A"), (2, 6, "B")], [(1, 5)]) == [(0, 0)]


def test_match_on_larger_tangles_is_still_optimal() -> None:
    """A seeded sweep of 6 x 6 dense instances (bigger than the property's) against the brute force."""
    rng = random.Random(18)
    for _ in range(150):
        gold: list[Any] = []
        pred: list[Any] = []
        for side in (gold, pred):
            for _ in range(rng.randint(3, 6)):
                s = rng.randint(0, 15)
                side.append((s, s + rng.randint(1, 6), rng.choice("AB")))
        _check_match(gold, pred, rng)
