"""The dates layer, after TempEval-3 (UzZaman et al. 2013), on half-open code-point offsets.

Gold and predicted temporal expressions are matched one-to-one by
:mod:`.matching` (overlap, optimal, order-independent).

- ``dates.strict.v1``: span P/R/F1 counting only matches with identical
  boundaries.
- ``dates.relaxed.v1``: span P/R/F1 counting every overlapping match.
- ``dates.type_accuracy.v1``, ``dates.value_accuracy.v1``,
  ``dates.mod_accuracy.v1``: among relaxed matches, the share with the same
  ``type``, ``value``, ``mod`` (a missing predicted value is wrong; when the
  system predicts no value at all, the value figures are undefined, ``null``).
- ``dates.type_f1.v1``, ``dates.value_f1.v1``: attribute F1 as TempEval-3
  defines it, accuracy × relaxed F1 (= 2·right/(predicted + gold)).
- ``dates.accepted.v1`` (corpus 2.0): strict span P/R/F1 where a matched
  prediction's extent may also be one of the gold expression's accepted
  alternatives (``the 1990s`` beside ``1990s``, ``a few hours`` beside
  ``just a few hours``, as TimeBank-style taggers mark them).

>>> LAYER.headline
('strict.f1', 'relaxed.f1', 'type_f1', 'value_f1', 'accepted.f1')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

import numpy as np

from ..model import DATE_TYPES
from .common import Figures, prf, ratio
from .spec import Layer, Metric

COLUMNS = (
    "gold",
    "pred",
    "matched",
    "strict",
    "type_ok",
    "value_ok",
    "mod_ok",
    "accepted",
    "valued",
)
"""The count columns of one document."""


def count(ctx: Any, codes: Mapping[str, Any]) -> Any:
    """One batch's count rows (see :mod:`.engine`), :data:`COLUMNS` wide."""
    g, p = ctx.gold.side, ctx.pred
    pairs = ctx.match()
    gi, pi = pairs.g, pairs.p
    exact = (g.start[gi] == p.start[pi]) & (g.end[gi] == p.end[pi])
    gc = g.codes
    type_ok = gc["type"][gi] == codes["type"][pi]
    # a value the system left out is wrong, whatever the gold holds
    value_ok = (codes["value"][pi] != -1) & (gc["value"][gi] == codes["value"][pi])
    mod_ok = gc["mod"][gi] == codes["mod"][pi]
    accepted = exact | ctx.on_alternative(pairs)
    return np.stack(
        [
            ctx.gold_count(),
            ctx.pred_count(),
            ctx.pair_count(pairs),
            ctx.pair_count(pairs, exact),
            ctx.pair_count(pairs, type_ok),
            ctx.pair_count(pairs, value_ok),
            ctx.pair_count(pairs, mod_ok),
            ctx.pair_count(pairs, accepted),
            ctx.pred_count(codes["value"] != -1),  # predictions that carry a value
        ],
        axis=1,
    )


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
        "value_accuracy": _if_valued(c, ratio(c["value_ok"], c["matched"])),
        "mod_accuracy": ratio(c["mod_ok"], c["matched"]),
        "type_f1": ratio(2 * c["type_ok"], both),
        "value_f1": _if_valued(c, ratio(2 * c["value_ok"], both)),
        "accepted": prf(c["accepted"], c["pred"], c["gold"]),
        "gold": c["gold"] * 1.0,
        "predicted": c["pred"] * 1.0,
    }


def _if_valued(c: Mapping[str, Any], figure: Any) -> Any:
    """``figure`` where the system predicted at least one value, undefined (NaN: ``null``) where
    it predicted none: a system that does not normalise dates is not scored 0 on values
    (as ``entities.kb_id_accuracy.v1`` for a system that does not link)."""
    return np.where(np.asarray(c["valued"]) > 0, figure, np.nan)


def _summary_figure(key: str, c: Mapping[str, Any], labels: Sequence[str]) -> Any:
    return summarize(c)[key]


def _figure(key: str) -> Any:
    """One figure of :func:`summarize` as a metric's ``compute`` (module-level, bound by partial)."""
    return partial(_summary_figure, key)


LAYER = Layer(
    name="dates",
    title="Dates",
    fields=("type", "value", "mod"),
    gold_values=lambda doc, scheme: [
        (t.start, t.end, t.type, t.value, t.mod, t.alternatives) for t in doc.dates
    ],
    columns=lambda labels: COLUMNS,
    count=count,
    metrics=[
        Metric(
            "strict",
            "dates.strict.v1",
            _figure("strict"),
            headline=("f1",),
            per_document=("precision", "recall", "f1"),
            board=(("f1", "strict F1"),),
            table=("",),
        ),
        Metric(
            "relaxed",
            "dates.relaxed.v1",
            _figure("relaxed"),
            headline=("f1",),
            per_document=("precision", "recall", "f1"),
            board=(("f1", "relaxed F1"),),
            table=("",),
        ),
        Metric("type_accuracy", "dates.type_accuracy.v1", _figure("type_accuracy"), table=("",)),
        Metric(
            "value_accuracy",
            "dates.value_accuracy.v1",
            _figure("value_accuracy"),
            per_document=("",),
            table=("",),
        ),
        Metric("mod_accuracy", "dates.mod_accuracy.v1", _figure("mod_accuracy")),
        Metric(
            "type_f1",
            "dates.type_f1.v1",
            _figure("type_f1"),
            headline=("",),
            board=(("", "type F1"),),
            table=("",),
        ),
        Metric(
            "value_f1",
            "dates.value_f1.v1",
            _figure("value_f1"),
            headline=("",),
            board=(("", "value F1"),),
            table=("",),
        ),
        Metric(
            "accepted",
            "dates.accepted.v1",
            _figure("accepted"),
            headline=("f1",),
            board=(("f1", "accepted F1"),),
            table=("",),
        ),
        Metric("gold", None, _figure("gold"), per_document=("",)),
        Metric("predicted", None, _figure("predicted"), per_document=("",)),
    ],
    name_order=(
        "strict",
        "relaxed",
        "type_accuracy",
        "value_accuracy",
        "mod_accuracy",
        "type_f1",
        "value_f1",
    ),
    primary="value_f1",
    vocabulary=lambda scheme: {"type": list(DATE_TYPES)},
    extras=("alternatives",),
)
"""The dates layer, as :mod:`.registry` holds it."""
