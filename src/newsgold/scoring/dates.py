"""The dates layer, after TempEval-3 (UzZaman et al. 2013), on half-open code-point offsets.

Gold and predicted temporal expressions are matched one-to-one by
:mod:`.matching` (overlap, optimal, order-independent).

- ``dates.strict.v1``: span P/R/F1 counting only matches with identical
  boundaries.
- ``dates.relaxed.v1``: span P/R/F1 counting every overlapping match.
- ``dates.type_accuracy.v1``, ``dates.value_accuracy.v1``,
  ``dates.mod_accuracy.v1``: among relaxed matches, the share with the same
  ``type``, ``value``, ``mod`` (a missing predicted value is wrong).
- ``dates.type_f1.v1``, ``dates.value_f1.v1``: attribute F1 as TempEval-3
  defines it, accuracy × relaxed F1 (= 2·right/(predicted + gold)).

>>> gold = [(0, 8, "DATE", "2021-12-30", None), (20, 25, "DURATION", "P1M", None)]
>>> pred = [(0, 8, "DATE", "2021-12-30", None), (18, 25, "DATE", "P1M", None)]
>>> doc_counts(gold, pred)
[2, 2, 2, 1, 1, 2, 2]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .common import Figures, prf, ratio
from .matching import SpanTuple, match

COLUMNS = ("gold", "pred", "matched", "strict", "type_ok", "value_ok", "mod_ok")
"""The count columns of one document."""


def doc_counts(gold: Sequence[SpanTuple], pred: Sequence[SpanTuple]) -> list[int]:
    """Count one document's matches.

    Args:
        gold: gold expressions as ``(start, end, type, value, mod)``.
        pred: predicted expressions, same shape (``None`` for what a system omits).

    Returns:
        One int per column of :data:`COLUMNS`.
    """
    chosen = match(gold, pred)
    strict = type_ok = value_ok = mod_ok = 0
    for g, p in chosen:
        a, b = gold[g], pred[p]
        strict += a[0] == b[0] and a[1] == b[1]
        type_ok += a[2] == b[2]
        value_ok += b[3] is not None and a[3] == b[3]
        mod_ok += a[4] == b[4]
    return [len(gold), len(pred), len(chosen), strict, type_ok, value_ok, mod_ok]


def summarize(c: Mapping[str, Any], **_: Any) -> Figures:
    """Every date figure from summed count columns (see the module docstring).

    Args:
        c: column name → array of sums.

    Returns:
        ``strict``/``relaxed`` P/R/F1, the attribute accuracies and F1s, counts.
    """
    both = c["pred"] + c["gold"]
    return {
        "strict": prf(c["strict"], c["pred"], c["gold"]),
        "relaxed": prf(c["matched"], c["pred"], c["gold"]),
        "type_accuracy": ratio(c["type_ok"], c["matched"]),
        "value_accuracy": ratio(c["value_ok"], c["matched"]),
        "mod_accuracy": ratio(c["mod_ok"], c["matched"]),
        "type_f1": ratio(2 * c["type_ok"], both),
        "value_f1": ratio(2 * c["value_ok"], both),
        "gold": c["gold"] * 1.0,
        "predicted": c["pred"] * 1.0,
    }
