"""Resampling units: documents, paragraphs or sentences of the gold text.

Every interval and every paired test resamples *units*; the engine counts one
row per unit (:mod:`.engine`). The units come from the gold text alone, so
every system is cut the same way:

- ``document``: the whole document (the unit the corpus is sampled in).
- ``paragraph``: a block of the text between blank lines (a line break, then
  only white space up to the next line break). The seeds separate their
  paragraphs by blank lines; a single line break (a signature, a list of site
  links) stays inside its paragraph.
- ``sentence``: the sentences of the corpus's ``tokens`` config
  (:func:`newsgold.tokenize.sentences`, with the gold entities and dates
  protected), so every sentence also ends at a line break.

Each unit runs from its start to the next unit's start: white space before the
first sentence of a paragraph belongs to the unit before it, and the first
unit of a document starts at offset 0, so every offset has exactly one unit.

A span cut by a unit boundary stays whole: the unit that contains the span's
**start** owns it (gold and predicted spans alike). A matched pair is counted
in the unit of its gold span, and so is its prediction (when a prediction
starts in another unit than the gold span it is matched to, it moves to the
gold span's unit): every unit's row then keeps matched ≤ gold and matched ≤
predicted, so every resample's figures stay in [0, 1].

>>> from newsgold.model import Document
>>> d = Document("d", "One. Two.\\n\\nThree.", "2021-12-30", "r")
>>> unit_starts(d, "document"), unit_starts(d, "paragraph"), unit_starts(d, "sentence")
([0], [0, 11], [0, 5, 11])
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import UsageError, short
from ..model import Document, Gold

UNITS = ("document", "paragraph", "sentence")
"""The resampling units, coarsest first."""

DEFAULT_UNIT = "paragraph"
"""The unit of every interval and test unless asked otherwise (docs/statistics.md says why)."""

_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")


def check_unit(unit: str) -> str:
    """The unit, or a :class:`UsageError` naming the known ones."""
    if unit not in UNITS:
        raise UsageError(f"unknown unit {short(unit)} (expected one of {', '.join(UNITS)})")
    return unit


def unit_starts(doc: Document, unit: str) -> list[int]:
    """The offsets where the units of one document start (the first is 0).

    Args:
        doc: a gold document.
        unit: ``document``, ``paragraph`` or ``sentence``.

    Returns:
        Strictly increasing offsets, the first 0.
    """
    check_unit(unit)
    starts = [0]
    if unit == "paragraph":
        starts += [m.end() for m in _BLANK_LINE.finditer(doc.text) if m.end() < len(doc.text)]
    elif unit == "sentence":
        from ..corpus.tables import protected_spans
        from ..tokenize import sentences

        starts += [s[0].start for s in sentences(doc.text, protected_spans(doc))]
    return sorted(set(starts))


@dataclass(frozen=True)
class Layout:
    """The units of a whole gold, laid end to end as the engine's rows.

    Attributes:
        unit: the unit's name.
        first: ``first[d]`` is the row of document ``d``'s first unit; ``first[-1]``
            the number of units.
        starts: each unit's start as a global offset (document offsets laid end
            to end as in :class:`.engine.GoldColumns`), ascending.
        doc: the document of each unit.
    """

    unit: str
    first: Any
    starts: Any
    doc: Any

    @property
    def n_units(self) -> int:
        return int(self.first[-1])

    @property
    def by_document(self) -> bool:
        """Every unit is a whole document (the document unit, or one unit per document)."""
        return self.n_units == len(self.first) - 1

    def of(self, global_start: Any, doc: Any) -> Any:
        """The unit (row) of each span, from its global start and its document."""
        if self.by_document:
            return np.asarray(doc, dtype=np.int64)
        return np.searchsorted(self.starts, global_start, side="right").astype(np.int64) - 1

    def rows(self, docs: Any) -> Any:
        """The rows of the given documents' units, document after document."""
        if self.by_document:
            return np.asarray(docs, dtype=np.int64)
        lo, hi = self.first[docs], self.first[np.asarray(docs) + 1]
        sizes = hi - lo
        shift = np.repeat(lo - np.concatenate(([0], np.cumsum(sizes)[:-1])), sizes)
        return (np.arange(int(sizes.sum()), dtype=np.int64) + shift).astype(np.int64)

    def per_document(self, rows: Any) -> Any:
        """Sum unit rows (``units × columns``) into document rows."""
        if self.by_document:
            return rows
        return np.add.reduceat(np.asarray(rows), self.first[:-1], axis=0)


def layout(gold: Gold, unit: str, base: Any) -> Layout:
    """The units of every document of ``gold`` (``base``: each document's global offset)."""
    check_unit(unit)
    n = len(gold.docs)
    if unit == "document":
        return Layout(unit, np.arange(n + 1, dtype=np.int64), np.asarray(base), np.arange(n))
    starts: list[int] = []
    first = [0]
    doc: list[int] = []
    for i, d in enumerate(gold.docs.values()):
        local = unit_starts(d, unit)
        starts += [int(base[i]) + s for s in local]
        doc += [i] * len(local)
        first.append(len(starts))
    return Layout(
        unit,
        np.array(first, dtype=np.int64),
        np.array(starts, dtype=np.int64),
        np.array(doc, dtype=np.int64),
    )
