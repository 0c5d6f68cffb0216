"""The quotes layer: spans, kind, and the speaker as an entity.

Gold and predicted quotations are matched one-to-one by :mod:`.matching`
(overlap, optimal, order-independent).

- ``quotes.strict.v1``: span P/R/F1 counting matches with identical boundaries.
- ``quotes.overlap.v1``: span P/R/F1 counting every overlapping match.
- ``quotes.kind_accuracy.v1``: among overlap matches, the share with the gold ``kind``
  (``null`` for a system that predicts no kinds).
- ``quotes.speaker_accuracy.v1``: among overlap matches, the share whose
  speaker is the gold speaker. A predicted speaker is a ``kb_id`` or a free
  name resolved through the KB's names and aliases, case-insensitively
  (:func:`speaker_resolver`); a name that resolves to no entity or to several
  is wrong. ``null`` is right only when the gold speaker is ``null``.
- ``quotes.end_to_end.v1``: P/R/F1 counting only matches with the right
  speaker (overlapping span and right speaker).
- ``quotes.per_kind.v1`` (corpus 2.0): for each kind (``direct``, ``partial``,
  ``indirect``), from the same matching: ``recall``, the share of gold quotes
  of that kind that are matched; ``end_to_end_recall``, matched with the
  right speaker; ``precision``, the share of predictions *labelled* with that
  kind that are matched (``null`` for a system that predicts no kinds). Recall
  per kind is what separates finding quotation marks from finding reported speech.

>>> LAYER.primary
'end_to_end.f1'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import Any

import numpy as np

from ..model import QUOTE_KINDS, KBEntry
from .common import Figures, prf, ratio
from .spec import Layer, Metric

BASE = ("gold", "pred", "matched", "strict", "kind_ok", "speaker_ok", "kinded")
KIND_COLUMNS = ("gold", "pred", "gold_matched", "pred_matched", "gold_speaker_ok")
COLUMNS = BASE + tuple(f"{k}:{c}" for k in QUOTE_KINDS for c in KIND_COLUMNS)
"""The count columns of one document."""

UNRESOLVED = "\x00unresolved:"
"""Prefix of a predicted speaker that names no single KB entity (it can never be right)."""


def speaker_resolver(kb: Iterable[KBEntry]) -> Callable[[str | None], str | None]:
    """A function that maps a predicted speaker to a ``kb_id``.

    Args:
        kb: the knowledge base.

    Returns:
        ``resolve(speaker)``: ``None`` stays ``None``; a ``kb_id`` stays; a
        name or alias (case-insensitive) becomes its entity's ``kb_id`` when it
        names exactly one entity; anything else becomes an unresolved marker.

    >>> r = speaker_resolver([KBEntry("vladimir-putin", "Vladimir Putin", "PER", ("Putin", "Poutine"))])
    >>> r("POUTINE"), r("vladimir-putin"), r(None)
    ('vladimir-putin', 'vladimir-putin', None)
    >>> r("Biden").startswith(UNRESOLVED)
    True
    """
    ids = {k.kb_id for k in kb}
    names: dict[str, set[str]] = {}
    for k in kb:
        for form in (k.name, *k.aliases):
            names.setdefault(form.casefold(), set()).add(k.kb_id)

    def resolve(speaker: str | None) -> str | None:
        if speaker is None or speaker in ids:
            return speaker
        hits = names.get(speaker.casefold().strip())
        if hits is not None and len(hits) == 1:
            return next(iter(hits))
        return UNRESOLVED + speaker

    return resolve


def count(ctx: Any, codes: Mapping[str, Any]) -> Any:
    """One batch's count rows (see :mod:`.engine`), :data:`COLUMNS` wide (speakers resolved)."""
    g, p = ctx.gold.side, ctx.pred
    pairs = ctx.match()
    gi, pi = pairs.g, pairs.p
    exact = (g.start[gi] == p.start[pi]) & (g.end[gi] == p.end[pi])
    kind_ok = g.codes["kind"][gi] == codes["kind"][pi]
    speaker_ok = g.codes["speaker"][gi] == codes["speaker"][pi]
    cols = [
        ctx.gold_count(),
        ctx.pred_count(),
        ctx.pair_count(pairs),
        ctx.pair_count(pairs, exact),
        ctx.pair_count(pairs, kind_ok),
        ctx.pair_count(pairs, speaker_ok),
        ctx.pred_count(codes["kind"] != -1),  # predictions that carry a kind
    ]
    gk, pk = g.codes["kind"], codes["kind"]
    for k in range(len(QUOTE_KINDS)):
        g_of_kind = gk[gi] == k
        cols += [
            ctx.gold_count(("kind", k), lambda k=k: gk == k),
            ctx.pred_count(pk == k),
            ctx.pair_count(pairs, g_of_kind),
            ctx.pair_count(pairs, pk[pi] == k),
            ctx.pair_count(pairs, g_of_kind & speaker_ok),
        ]
    return np.stack(cols, axis=1)


def summarize(c: Mapping[str, Any], **_: Any) -> Figures:
    """Every quote figure from summed count columns (see the module docstring).

    Args:
        c: column name → array of sums.

    Returns:
        ``strict``/``overlap``/``end_to_end`` P/R/F1, the two accuracies, counts.
    """
    return {
        "strict": prf(c["strict"], c["pred"], c["gold"]),
        "overlap": prf(c["matched"], c["pred"], c["gold"]),
        "end_to_end": prf(c["speaker_ok"], c["pred"], c["gold"]),
        "speaker_accuracy": ratio(c["speaker_ok"], c["matched"]),
        # undefined (null) for a system that predicts no kind at all, as kb_id_accuracy
        "kind_accuracy": np.where(
            np.asarray(c["kinded"]) > 0, ratio(c["kind_ok"], c["matched"]), np.nan
        ),
        "gold": c["gold"] * 1.0,
        "predicted": c["pred"] * 1.0,
    }


def _per_kind(c: Mapping[str, Any], labels: Sequence[str]) -> Figures:
    return {
        kind: {
            "precision": ratio(c[f"{kind}:pred_matched"], c[f"{kind}:pred"]),
            "recall": ratio(c[f"{kind}:gold_matched"], c[f"{kind}:gold"]),
            "end_to_end_recall": ratio(c[f"{kind}:gold_speaker_ok"], c[f"{kind}:gold"]),
            "gold": np.asarray(c[f"{kind}:gold"], dtype=np.float64),
            "predicted": np.asarray(c[f"{kind}:pred"], dtype=np.float64),
        }
        for kind in QUOTE_KINDS
    }


def _summary_figure(key: str, c: Mapping[str, Any], labels: Sequence[str]) -> Any:
    return summarize(c)[key]


def _figure(key: str) -> Any:
    """One figure of :func:`summarize` as a metric's ``compute`` (module-level, bound by partial)."""
    return partial(_summary_figure, key)


LAYER = Layer(
    name="quotes",
    title="Quotes",
    fields=("kind", "speaker"),
    gold_values=lambda doc, scheme: [(q.start, q.end, q.kind, q.speaker) for q in doc.quotes],
    columns=lambda labels: COLUMNS,
    count=count,
    metrics=[
        Metric(
            "strict",
            "quotes.strict.v1",
            _figure("strict"),
            headline=("f1",),
            per_document=("f1",),
            board=(("f1", "strict F1"),),
            table=("",),
        ),
        Metric(
            "overlap",
            "quotes.overlap.v1",
            _figure("overlap"),
            headline=("f1",),
            per_document=("precision", "recall", "f1"),
            board=(("f1", "overlap F1"),),
            table=("",),
        ),
        Metric(
            "end_to_end",
            "quotes.end_to_end.v1",
            _figure("end_to_end"),
            headline=("f1",),
            per_document=("f1",),
            board=(("f1", "end-to-end F1"),),
            table=("",),
        ),
        Metric(
            "speaker_accuracy",
            "quotes.speaker_accuracy.v1",
            _figure("speaker_accuracy"),
            per_document=("",),
            board=(("", "speaker accuracy"),),
            table=("",),
        ),
        Metric("kind_accuracy", "quotes.kind_accuracy.v1", _figure("kind_accuracy"), table=("",)),
        Metric(
            "per_kind",
            "quotes.per_kind.v1",
            _per_kind,
            detail=True,
            board=(("indirect.recall", "indirect recall"),),
        ),
        Metric("gold", None, _figure("gold"), per_document=("",)),
        Metric("predicted", None, _figure("predicted"), per_document=("",)),
    ],
    name_order=("strict", "overlap", "end_to_end", "speaker_accuracy", "kind_accuracy"),
    primary="end_to_end.f1",
    vocabulary=lambda scheme: {"kind": list(QUOTE_KINDS)},
)
"""The quotes layer, as :mod:`.registry` holds it."""
