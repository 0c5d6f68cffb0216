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

``entities.accepted.v1`` (corpus 2.0): strict P/R/F1 where a matched
prediction is boundary-correct when its extent is the gold extent *or one of
the gold mention's accepted alternatives* (``the Kremlin`` beside
``Kremlin``: the article that the guideline leaves out and OntoNotes-trained
systems include), like MUC's ALT/MIN and ACE's head/extent. The matching is
the strict one's; only the boundary verdict differs. ``entities.strict.v1``
is unchanged.

>>> LAYER.headline
('strict.f1', 'exact.f1', 'partial.f1', 'type.f1', 'accepted.f1', 'macro.strict.f1')
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .common import Figures, mean_defined, prf, ratio
from .slices import LENGTHS, ORDER, length_code, mention_code
from .spec import Layer, Metric, Slice

MODES = ("strict", "exact", "partial", "type")
"""The four SemEval-2013 / nervaluate modes, in report order."""

BASE = ("gold", "pred", "matched", "exact", "typed", "strict", "strict_kb", "linked", "accepted")
LABEL_COLUMNS = ("gold", "pred", "matched", "exact")
"""Per label, both sides hold only that label, so every match is typed and strict = exact."""


def columns(labels: Sequence[str]) -> tuple[str, ...]:
    """The names of the count columns for an evaluation label set.

    >>> columns(("PER",))[-2:]
    ('PER:matched', 'PER:exact')
    """
    return BASE + tuple(f"{lab}:{c}" for lab in labels for c in LABEL_COLUMNS)


def count(ctx: Any, codes: Mapping[str, Any]) -> Any:
    """One batch's count rows (see :mod:`.engine`): one row per document, :func:`columns` wide."""
    g, p = ctx.gold.side, ctx.pred
    gl, gk = g.codes["label"], g.codes["kb_id"]
    pl, pk = codes["label"], codes["kb_id"]
    pairs = ctx.match()
    gi, pi = pairs.g, pairs.p
    exact = (g.start[gi] == p.start[pi]) & (g.end[gi] == p.end[pi])
    typed = gl[gi] == pl[pi]
    strict = exact & typed
    strict_kb = strict & (gk[gi] >= 0) & (gk[gi] == pk[pi])
    cols = [
        ctx.gold_count(),
        ctx.pred_count(),
        ctx.pair_count(pairs),
        ctx.pair_count(pairs, exact),
        ctx.pair_count(pairs, typed),
        ctx.pair_count(pairs, strict),
        ctx.pair_count(pairs, strict_kb),
        ctx.pred_count(pk != -1),
        # accepted: the label right and the extent the gold's or one of its alternatives
        ctx.pair_count(pairs, typed & (exact | ctx.on_alternative(pairs))),
    ]
    for k in range(len(ctx.labels)):
        # per label, both sides hold only that label and are matched again (as nervaluate does)
        def gm(k: int = k) -> Any:
            return gl == k

        pm = pl == k
        lp = ctx.restrict(pairs, ("label", k), gm, pm)
        lex = (g.start[lp.g] == p.start[lp.p]) & (g.end[lp.g] == p.end[lp.p])
        cols += [
            ctx.gold_count(("label", k), gm),
            ctx.pred_count(pm, lp),  # a prediction counts in the unit of its pair in this matching
            ctx.pair_count(lp),
            ctx.pair_count(lp, lex),
        ]
    return np.stack(cols, axis=1)


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


# The metrics' functions are module-level and bound with functools.partial (not closures made
# at import time), so that every line of them runs when a report is made.


def _mode_figures(mode: str, c: Mapping[str, Any], labels: Sequence[str]) -> Figures:
    fig: Figures = _modes(c, "", c["typed"], c["strict"])[mode]
    for key in ("correct", "incorrect", "partial", "missed", "spurious"):
        fig[key] = np.asarray(fig[key], dtype=np.float64)
    return fig


def _mode(mode: str) -> Any:
    return functools.partial(_mode_figures, mode)


def _kb_id_accuracy(c: Mapping[str, Any], labels: Sequence[str]) -> Any:
    return np.where(np.asarray(c["linked"]) > 0, ratio(c["strict_kb"], c["strict"]), np.nan)


def _per_label(c: Mapping[str, Any], labels: Sequence[str]) -> Figures:
    per_label: Figures = {}
    for lab in labels:
        fig = _modes(c, f"{lab}:", c[f"{lab}:matched"], c[f"{lab}:exact"])
        fig["gold"] = np.asarray(c[f"{lab}:gold"], dtype=np.float64)
        fig["predicted"] = np.asarray(c[f"{lab}:pred"], dtype=np.float64)
        per_label[lab] = fig
    return per_label


def _macro(c: Mapping[str, Any], labels: Sequence[str]) -> Figures:
    per_label = _per_label(c, labels)
    return {
        mode: {
            key: mean_defined([per_label[lab][mode][key] for lab in labels])
            for key in ("precision", "recall", "f1")
        }
        for mode in MODES
    }


def _column(column: str, c: Mapping[str, Any], labels: Sequence[str]) -> Any:
    return np.asarray(c[column], dtype=np.float64)


def _count_of(column: str) -> Any:
    return functools.partial(_column, column)


def _gold_values(doc: Any, scheme: Any) -> list[tuple[Any, ...]]:
    gm = scheme.gold_map
    return [(e.start, e.end, gm[e.label or ""], e.kb_id, e.alternatives) for e in doc.entities]


def _strict_pairs(ctx: Any, pairs: Any, codes: Mapping[str, Any]) -> Any:
    """The slices' verdict: a strict match (boundaries and label)."""
    g, p = ctx.gold.side, ctx.pred
    gi, pi = pairs.g, pairs.p
    same = (g.start[gi] == p.start[pi]) & (g.end[gi] == p.end[pi])
    return same & (g.codes["label"][gi] == codes["label"][pi])


def _accepted(c: Mapping[str, Any], labels: Sequence[str]) -> Figures:
    fig = prf(c["accepted"], c["pred"], c["gold"])
    fig.update(correct=np.asarray(c["accepted"], dtype=np.float64))
    return fig


_PRF = ("precision", "recall", "f1")

LAYER = Layer(
    name="entities",
    title="Entities",
    fields=("label", "kb_id"),
    gold_values=_gold_values,
    columns=columns,
    count=count,
    metrics=[
        *(
            Metric(
                mode,
                f"entities.{mode}.v1",
                _mode(mode),
                headline=("f1",),
                per_document=_PRF,
                board=(("f1", f"{mode} F1"),),
                table=("",),
            )
            for mode in MODES
        ),
        Metric(
            "accepted",
            "entities.accepted.v1",
            _accepted,
            headline=("f1",),
            board=(("f1", "accepted F1"),),
            table=("",),
        ),
        Metric("kb_id_accuracy", "entities.kb_id_accuracy.v1", _kb_id_accuracy, table=("",)),
        Metric("gold", None, _count_of("gold"), per_document=("",)),
        Metric("predicted", None, _count_of("pred"), per_document=("",)),
        Metric("per_label", "entities.per_label.v1", _per_label, detail=True),
        Metric(
            "macro",
            "entities.macro.v1",
            _macro,
            headline=("strict.f1",),
            detail=True,
            board=(("strict.f1", "macro strict F1"),),
            table=("strict",),
        ),
    ],
    name_order=(
        "strict",
        "exact",
        "partial",
        "type",
        "macro",
        "per_label",
        "kb_id_accuracy",
        "accepted",
    ),
    primary="strict.f1",
    vocabulary=lambda scheme: {"label": list(scheme.labels)},
    extras=("alternatives",),
    slices=[
        Slice("length", LENGTHS, length_code, title="mention length in tokens"),
        Slice(
            "mention",
            ORDER,
            mention_code,
            pred=False,
            title="first or later mention of a KB entity in its document",
        ),
    ],
    slice_verdict=_strict_pairs,
    slice_metric="entities.slices.v1",
)
"""The entity layer, as :mod:`.registry` holds it."""
