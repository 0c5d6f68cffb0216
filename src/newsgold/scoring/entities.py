"""The entity layer: SemEval-2013 Task 9.1 modes (as nervaluate defines them), micro and macro.

Gold and predicted mentions are matched one-to-one by :mod:`.matching`
(overlap, optimal, order-independent). Each matched pair is then judged per
mode; an unmatched gold mention is *missed*, an unmatched prediction
*spurious*:

- ``entities.strict.v1``: correct when boundaries and label are both equal,
  else incorrect.
- ``entities.exact.v1``: correct when boundaries are equal (label ignored),
  else incorrect.
- ``entities.partial.v1``: correct when boundaries are equal, else partial
  (label ignored); a partial counts 0.5.
- ``entities.type.v1``: correct when the labels are equal (any overlap), else
  incorrect.

With COR, INC, PAR, MIS, SPU the counts: ACT = COR+INC+PAR+SPU (= predicted
mentions), POS = COR+INC+PAR+MIS (= gold mentions), precision
(COR + 0.5·PAR)/ACT, recall (COR + 0.5·PAR)/POS, F1 their harmonic mean.

Per label (``entities.per_label.v1``), both sides are first restricted to the
label and matched again, as nervaluate does; macro figures
(``entities.macro.v1``) are the unweighted means of the per-label figures
defined for that label. ``entities.kb_id_accuracy.v1``: among strict matches,
the share whose predicted ``kb_id`` equals the gold one; ``null`` when the
system links nothing.

>>> gold = [(0, 5, "PER", "putin"), (10, 16, "GPE", "russia")]
>>> pred = [(0, 5, "PER", None), (10, 14, "ORG", None), (20, 25, "ORG", None)]
>>> row = doc_counts(gold, pred, ("PER", "GPE", "ORG"))
>>> dict(zip(columns(("PER", "GPE", "ORG"))[:7], row[:7]))
{'gold': 2, 'pred': 3, 'matched': 2, 'exact': 1, 'typed': 1, 'strict': 1, 'strict_kb': 0}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .common import Figures, mean_defined, prf, ratio
from .matching import SpanTuple, assign, overlap_pairs

MODES = ("strict", "exact", "partial", "type")
"""The four SemEval-2013 / nervaluate modes, in report order."""

BASE = ("gold", "pred", "matched", "exact", "typed", "strict", "strict_kb", "linked")
LABEL_COLUMNS = ("gold", "pred", "matched", "exact")
"""Per label, both sides hold only that label, so every match is typed and strict = exact."""


def columns(labels: Sequence[str]) -> tuple[str, ...]:
    """The names of the count columns for an evaluation label set.

    >>> columns(("PER",))[-2:]
    ('PER:matched', 'PER:exact')
    """
    return BASE + tuple(f"{lab}:{c}" for lab in labels for c in LABEL_COLUMNS)


def doc_counts(
    gold: Sequence[SpanTuple], pred: Sequence[SpanTuple], labels: Sequence[str]
) -> list[int]:
    """Count one document's matches.

    Args:
        gold: gold mentions as ``(start, end, label, kb_id)`` (labels already projected).
        pred: predicted mentions, same shape (``kb_id`` ``None`` when not linked).
        labels: the evaluation labels, for the per-label columns.

    Returns:
        One int per column of :func:`columns`.
    """
    pairs = overlap_pairs(gold, pred)
    chosen = assign(pairs, gold, pred)
    exact = typed = strict = strict_kb = 0
    for g, p in chosen:
        a, b = gold[g], pred[p]
        same_bounds = a[0] == b[0] and a[1] == b[1]
        same_label = a[2] == b[2]
        exact += same_bounds
        typed += same_label
        if same_bounds and same_label:
            strict += 1
            strict_kb += a[3] is not None and a[3] == b[3]
    linked = sum(1 for b in pred if b[3] is not None)
    row = [len(gold), len(pred), len(chosen), exact, typed, strict, strict_kb, linked]
    for lab in labels:
        ng = sum(1 for a in gold if a[2] == lab)
        np_ = sum(1 for b in pred if b[2] == lab)
        if not ng or not np_:
            row += [ng, np_, 0, 0]
            continue
        lab_pairs = [(g, p) for g, p in pairs if gold[g][2] == lab and pred[p][2] == lab]
        lab_chosen = assign(lab_pairs, gold, pred)
        lab_exact = sum(
            1 for g, p in lab_chosen if gold[g][0] == pred[p][0] and gold[g][1] == pred[p][1]
        )
        row += [ng, np_, len(lab_chosen), lab_exact]
    return row


def _modes(c: Mapping[str, Any], prefix: str, typed: Any, strict: Any) -> Figures:
    gold, pred, matched, exact = (
        c[prefix + "gold"],
        c[prefix + "pred"],
        c[prefix + "matched"],
        c[prefix + "exact"],
    )
    missed, spurious = gold - matched, pred - matched
    zero = np.zeros_like(np.asarray(gold, dtype=np.float64))
    out: Figures = {}
    for mode, correct, incorrect, partial in (
        ("strict", strict, matched - strict, zero),
        ("exact", exact, matched - exact, zero),
        ("partial", exact, zero, matched - exact),
        ("type", typed, matched - typed, zero),
    ):
        fig = prf(correct + 0.5 * partial, pred, gold)
        fig.update(
            correct=correct,
            incorrect=incorrect,
            partial=partial,
            missed=missed,
            spurious=spurious,
        )
        out[mode] = fig
    return out


def summarize(c: Mapping[str, Any], labels: Sequence[str], *, detail: bool = True) -> Figures:
    """Every entity figure from summed count columns.

    Args:
        c: column name → array of sums (see :func:`columns`).
        labels: the evaluation labels.
        detail: include per-label and macro figures.

    Returns:
        Nested figures: ``{strict, exact, partial, type}`` each with precision,
        recall, f1 and the five counts; ``kb_id_accuracy``; with ``detail`` also
        ``per_label`` and ``macro``.
    """
    out = _modes(c, "", c["typed"], c["strict"])
    for mode in MODES:
        for key in ("correct", "incorrect", "partial", "missed", "spurious"):
            out[mode][key] = np.asarray(out[mode][key], dtype=np.float64)
    out["kb_id_accuracy"] = np.where(
        np.asarray(c["linked"]) > 0, ratio(c["strict_kb"], c["strict"]), np.nan
    )
    out["gold"] = np.asarray(c["gold"], dtype=np.float64)
    out["predicted"] = np.asarray(c["pred"], dtype=np.float64)
    if detail:
        per_label: Figures = {}
        for lab in labels:
            fig = _modes(c, f"{lab}:", c[f"{lab}:matched"], c[f"{lab}:exact"])
            fig["gold"] = np.asarray(c[f"{lab}:gold"], dtype=np.float64)
            fig["predicted"] = np.asarray(c[f"{lab}:pred"], dtype=np.float64)
            per_label[lab] = fig
        out["per_label"] = per_label
        out["macro"] = {
            mode: {
                key: mean_defined([per_label[lab][mode][key] for lab in labels])
                for key in ("precision", "recall", "f1")
            }
            for mode in MODES
        }
    return out
