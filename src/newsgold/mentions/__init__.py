"""Predictions as strings: the ``mentions`` format and its alignment to the text (``alignment.v1``).

Language models answer with strings, not offsets. A *mentions* object gives,
per document, each layer as a list of strings with their fields and no
offsets, in order of appearance, a mention repeated as often as the system
saw it::

    {"doc_id": "...", "entities": [{"text": "Vladimir Putin", "label": "PER"}],
     "dates": [{"text": "Thursday", "type": "DATE", "value": "2021-12-30"}],
     "quotes": [{"text": "...", "kind": "direct", "speaker": "Putin", "cue": "said"}]}

(``newsgold score --format mentions`` reads a JSONL file of them; a callable
system may return the same shape: no ``start``/``end`` in any item.) Each
mention is *aligned* to an occurrence of its text, and the aligned mentions
become ordinary prediction records that go through the one check and the one
engine like every other input.

Alignment ``alignment.v1``, for each document and layer, mention by mention:

1. **exact**: the occurrences of the text in the document (occurrences whose
   edges do not cut a word are preferred, a lower-case letter before a capital
   being a seam rather than a cut, as in a glued ``WorldBiden``; a word piece is
   used only when there is no other). The mention takes the first unused occurrence starting at or
   after the end of the previous aligned mention of the same layer; failing that, any
   unused occurrence; failing that (the system repeated a mention more often
   than the text has it) an occurrence already used, which the engine then
   counts as a spurious duplicate.
2. **normalised**: the same search after normalising both sides: runs of white
   space become one space, typographic quotation marks and apostrophes become
   ``"`` and ``'``, dashes and hyphens become ``-``, case is folded, and white
   space at the mention's edges is dropped.
3. **fuzzy**: only for a (normalised) mention of at least
   :data:`FUZZY_MIN_LENGTH` (20) code points, such as a quote: the window of
   the normalised text, starting and ending at word edges, with the highest
   ``difflib.SequenceMatcher`` ratio, if that ratio is at least
   :data:`FUZZY_THRESHOLD` (0.9).
4. **unaligned**: the text is not in the document (a hallucination).

A mention whose occurrence cannot be chosen by the order (no unused occurrence
at or after the previous one, and several unused ones before it; or several
fuzzy windows equally good) gets the status **ambiguous** and the first of
them. A mention repeated more often than the text has it keeps the status of
its text (``exact``, ...) and goes to the first occurrence again. So every
mention gets exactly one status: ``exact``, ``normalised``, ``fuzzy``,
``ambiguous`` or ``unaligned``. A quote's ``cue`` (a string) is aligned to the
occurrence nearest the quote, exactly or after normalisation; a cue not found
is dropped (counted as ``cues_unaligned``).

With ``each_occurrence=True`` (``--each-occurrence``), for systems that list
types rather than mentions, each distinct (text, fields) is aligned to every
occurrence (exact ones, else normalised ones, else the best fuzzy window) and
the statuses count distinct mentions.

**Unaligned mentions count as spurious.** An unaligned mention becomes a
*placeholder* record: a one-code-point span, without ``text``, at the first
position of the document that lies outside every gold span of every layer
(alternatives and cues included), carrying the mention's fields. It overlaps no
gold span, so the one engine counts it as predicted and unmatched under every
metric, per label, per document and in every bootstrap resample; nothing in the
scorer changes. (Written back to a predictions file, placeholders keep those
offsets, and scoring that file gives the same figures.)

The report's ``alignment`` section (:meth:`Aligner.section`) gives the version,
the mode, the fuzzy threshold, and per layer the number of mentions, the count
and rate of each status, and the unaligned strings.

>>> from newsgold.model import Document
>>> doc = Document("d", "Putin met Biden. Putin left.", "2021-12-30", "r")
>>> aligner = Aligner()
>>> rec = aligner.align(doc, {"entities": [{"text": "Putin", "label": "PER"},
...     {"text": "putin", "label": "PER"}, {"text": "Obama", "label": "PER"}]}, "<m>")
>>> [(e["start"], e["end"], e.get("text")) for e in rec["entities"]]
[(0, 5, 'Putin'), (17, 22, 'Putin'), (0, 1, None)]
>>> aligner.section()["layers"]["entities"]["counts"]
{'exact': 1, 'normalised': 1, 'fuzzy': 0, 'ambiguous': 0, 'unaligned': 1}
"""

from __future__ import annotations

from .align import (
    Aligner,
    normalise,
)
from .files import (
    aligned_records,
    aligning,
    as_mentions,
    read_format,
    read_mentions,
    score_mentions_file,
    summary,
    with_alignment,
)
from .shape import (
    FIELDS,
    FUZZY_MIN_LENGTH,
    FUZZY_THRESHOLD,
    MENTION_LAYERS,
    STATUSES,
    VERSION,
    is_mentions_shape,
    mention_problems,
)

__all__ = [
    "Aligner",
    "FIELDS",
    "FUZZY_MIN_LENGTH",
    "FUZZY_THRESHOLD",
    "MENTION_LAYERS",
    "STATUSES",
    "VERSION",
    "aligned_records",
    "aligning",
    "as_mentions",
    "is_mentions_shape",
    "mention_problems",
    "normalise",
    "read_format",
    "read_mentions",
    "score_mentions_file",
    "summary",
    "with_alignment",
]
