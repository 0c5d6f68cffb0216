"""Slicings of the entity layer (HIPE-style figures per slice), registered on :data:`.registry.LAYERS`.

- ``length``: a mention's length in tokens of the corpus tokenizer (the
  ``tokens`` config: :func:`newsgold.tokenize.tokenize` with the gold entity
  and date boundaries as cuts): ``1``, ``2``, ``3``, ``4+``. A span's length
  is the number of tokens it overlaps, so a predicted span gets a length too
  and each slice has precision, recall and F1 (a strict match has the gold
  span's extent, so it is in the gold span's slice).
- ``mention``: ``first`` is the first mention (by start, then end offset) of a KB
  entity in its document, ``later`` every other mention of it; a gold
  mention with no ``kb_id`` is in neither. Only gold mentions carry this, so
  the slice reports recall.

Both credit strict matches (boundaries and label right), the layer's
:attr:`~.spec.Layer.slice_verdict`.

>>> from newsgold.scoring.registry import LAYERS
>>> [s.name for s in LAYERS["entities"].slices]
['length', 'mention']
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..model import Gold

LENGTHS = ("1", "2", "3", "4+")
ORDER = ("first", "later")


def _token_bounds(gold: Gold, cols: Any) -> tuple[Any, Any]:
    """Global starts and ends of every token of the gold texts (cached per gold)."""
    from ..corpus.tables import protected_spans
    from ..tokenize import tokenize
    from .engine import cached

    def make() -> tuple[Any, Any]:
        starts: list[int] = []
        ends: list[int] = []
        for base, doc in zip(cols.base.tolist(), gold.docs.values(), strict=True):
            cuts = sorted({x for span in protected_spans(doc) for x in span})
            for t in tokenize(doc.text, cuts):
                starts.append(base + t.start)
                ends.append(base + t.end)
        return np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)

    return cached(gold, "token-bounds", make)  # type: ignore[no-any-return]


def length_code(gold: Gold, cols: Any, side: Any, g_start: Any, g_end: Any) -> Any:
    """Per span: its length slice (0 → 1 token, …, 3 → 4 or more; a span over no token → 0)."""
    t_start, t_end = _token_bounds(gold, cols)
    starts, ends = np.asarray(g_start), np.asarray(g_end)
    # searched in start order (numpy's search is several times faster on sorted keys)
    order = np.argsort(starts, kind="stable")
    # tokens overlapping [start, end): those starting before the end, less those ending by the start
    n = np.empty(len(order), dtype=np.int64)
    n[order] = np.searchsorted(t_start, ends[order], side="left") - np.searchsorted(
        t_end, starts[order], side="right"
    )
    return np.clip(n, 1, 4) - 1


def mention_code(gold: Gold, cols: Any, side: Any, g_start: Any, g_end: Any) -> Any:
    """Per gold span: 0 for the first mention of its KB entity in its document, 1 for a later one,
    -1 without ``kb_id``."""
    out = np.full(len(g_start), -1, dtype=np.int64)
    seen: set[tuple[int, str]] = set()
    kb = side.values["kb_id"]
    for i in np.lexsort((np.asarray(g_end), np.asarray(g_start))).tolist():
        if kb[i] is None:
            continue
        key = (int(side.doc[i]), kb[i])
        out[i] = 1 if key in seen else 0
        seen.add(key)
    return out
