"""The quotes layer: spans, kind, and the speaker as an entity.

Gold and predicted quotations are matched one-to-one by :mod:`.matching`
(overlap, optimal, order-independent).

- ``quotes.strict.v1``: span P/R/F1 counting matches with identical boundaries.
- ``quotes.overlap.v1``: span P/R/F1 counting every overlapping match.
- ``quotes.kind_accuracy.v1``: among overlap matches, the share with the gold ``kind``.
- ``quotes.speaker_accuracy.v1``: among overlap matches, the share whose
  speaker is the gold speaker. A predicted speaker is a ``kb_id`` or a free
  name resolved through the KB's names and aliases, case-insensitively
  (:func:`speaker_resolver`); a name that resolves to no entity or to several
  is wrong. ``null`` is right only when the gold speaker is ``null``.
- ``quotes.end_to_end.v1``: P/R/F1 counting only matches with the right
  speaker (overlapping span and right speaker).

>>> gold = [(1, 20, "direct", "vladimir-putin"), (30, 35, "partial", None)]
>>> pred = [(1, 20, "direct", "vladimir-putin"), (29, 35, "direct", "joe-biden")]
>>> doc_counts(gold, pred)
[2, 2, 2, 1, 1, 1]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from ..model import KBEntry
from .common import Figures, prf, ratio
from .matching import SpanTuple, match

COLUMNS = ("gold", "pred", "matched", "strict", "kind_ok", "speaker_ok")
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


def doc_counts(gold: Sequence[SpanTuple], pred: Sequence[SpanTuple]) -> list[int]:
    """Count one document's matches.

    Args:
        gold: gold quotations as ``(start, end, kind, speaker)``.
        pred: predicted quotations, same shape, speakers already resolved.

    Returns:
        One int per column of :data:`COLUMNS`.
    """
    chosen = match(gold, pred)
    strict = kind_ok = speaker_ok = 0
    for g, p in chosen:
        a, b = gold[g], pred[p]
        strict += a[0] == b[0] and a[1] == b[1]
        kind_ok += a[2] == b[2]
        speaker_ok += a[3] == b[3]
    return [len(gold), len(pred), len(chosen), strict, kind_ok, speaker_ok]


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
        "kind_accuracy": ratio(c["kind_ok"], c["matched"]),
        "gold": c["gold"] * 1.0,
        "predicted": c["pred"] * 1.0,
    }
