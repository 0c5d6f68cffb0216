"""The records of newsgold: frozen, hashable dataclasses.

Spans are half-open code-point offsets ``[start, end)`` into the document text,
exactly Python slicing (spaCy's and Prodigy's convention): ``text[start:end]``
is the span's surface. Only the converters translate to other conventions
(seqeval's token tags, nervaluate's inclusive ends, Label Studio).

The closed vocabularies below are ``Literal`` types; the JSON Schemas in
``schemas/`` hold the same values as enums, and a test checks the two agree.

>>> e = Entity(start=0, end=6, text="Moscow", label="GPE", kb_id="moscow")
>>> e.end - e.start
6
>>> e == Entity(0, 6, "Moscow", "GPE", "moscow")
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

EntityLabel = Literal["PER", "ORG", "GPE", "LOC", "NORP"]
DateType = Literal["DATE", "TIME", "DURATION", "SET"]
DateMod = Literal[
    "START",
    "MID",
    "END",
    "APPROX",
    "LESS_THAN",
    "MORE_THAN",
    "BEFORE",
    "AFTER",
    "ON_OR_BEFORE",
    "ON_OR_AFTER",
    "EQUAL_OR_LESS",
    "EQUAL_OR_MORE",
]
QuoteKind = Literal["direct", "partial", "indirect"]
Layer = Literal["entities", "dates", "quotes"]

ENTITY_LABELS: tuple[str, ...] = get_args(EntityLabel)
DATE_TYPES: tuple[str, ...] = get_args(DateType)
DATE_MODS: tuple[str, ...] = get_args(DateMod)
QUOTE_KINDS: tuple[str, ...] = get_args(QuoteKind)
LAYERS: tuple[str, ...] = get_args(Layer)


@dataclass(frozen=True, order=True)
class Span:
    """A stretch of a document's text.

    Attributes:
        start: first code point, inclusive.
        end: code point after the last one (exclusive), so ``end - start`` is the length.
        text: the surface, ``doc_text[start:end]``; ``None`` only in predictions
            that do not carry it.
    """

    start: int
    end: int
    text: str | None = None


@dataclass(frozen=True, order=True)
class Entity:
    """A named-entity mention.

    Attributes:
        start: first code point, inclusive.
        end: exclusive end offset.
        text: the surface, ``doc_text[start:end]`` (optional in predictions).
        label: PER, ORG, GPE, LOC or NORP in the gold; a prediction may carry a
            foreign label (OntoNotes, CoNLL) that a scheme maps.
        kb_id: corpus-wide entity id (a slug in ``annotations/kb.json``);
            ``None`` in predictions of systems that do not link.
        score: a system's confidence, if it gives one; never set in the gold.
        alternatives: gold only: further extents that also count as
            boundary-correct (``the Kremlin`` beside ``Kremlin``), each
            containing or contained in ``[start, end)`` (left out of ``repr``); empty when only the
            gold extent is accepted, and always empty in predictions.
    """

    start: int
    end: int
    text: str | None = None
    label: str | None = None
    kb_id: str | None = None
    score: float | None = field(default=None, compare=False)
    alternatives: tuple[Span, ...] = field(default=(), repr=False)


@dataclass(frozen=True, order=True)
class Date:
    """A temporal expression (TIMEX3 subset).

    Attributes:
        start: first code point, inclusive.
        end: exclusive end offset.
        text: the surface (optional in predictions).
        type: DATE, TIME, DURATION or SET.
        value: the TIMEX3 normalized value (``2021-12-30``, ``PT50M``, ``PAST_REF``),
            resolved against the document's creation time.
        mod: TIMEX3 modifier (``START``, ``APPROX``, ...) or ``None``.
        score: a system's confidence, if any.
        alternatives: gold only: further extents that also count as
            boundary-correct (``the past`` beside ``past``, ``a few hours``
            beside ``just a few hours``), each containing or contained in
            ``[start, end)``; empty when only the gold extent is accepted.
    """

    start: int
    end: int
    text: str | None = None
    type: str | None = None
    value: str | None = None
    mod: str | None = None
    score: float | None = field(default=None, compare=False)
    alternatives: tuple[Span, ...] = field(default=(), repr=False)


@dataclass(frozen=True, order=True)
class Quote:
    """A quotation: the content between quotation marks, marks excluded, or reported speech.

    Direct and partial quotes are the content between quotation marks; an
    indirect quote is the reported clause of a verb of communication (or of
    ``according to``), which carries no marks and may nest in another quote.

    Attributes:
        start: first code point inside the marks (or of the reported clause), inclusive.
        end: exclusive end, before the closing mark (and any white space before it),
            or after the reported clause's last word.
        text: the quoted content (optional in predictions).
        kind: ``direct`` (full clauses as the source's own words), ``partial``
            (a fragment woven into the writer's sentence) or ``indirect``
            (a reported clause without quotation marks, ``Putin said that ...``).
        speaker: ``kb_id`` of the immediate source, or ``None`` when the text names
            none. In predictions this may be a free name resolved through the KB.
        cue: the reporting verb or phrase (``said``, ``according to``), or ``None``.
        score: a system's confidence, if any.
    """

    start: int
    end: int
    text: str | None = None
    kind: str | None = None
    speaker: str | None = None
    cue: Span | None = None
    score: float | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Document:
    """A gold document: the seed text and its three annotation layers.

    Attributes:
        doc_id: the seed file's stem, e.g. ``000_e9e65d9efa045d67``.
        text: the seed file's bytes decoded as UTF-8, untouched.
        dct: document creation time, ISO date, used to resolve relative dates.
        dct_reason: one line from the text that justifies ``dct``.
        entities: entity mentions, sorted by offsets, never overlapping.
        dates: temporal expressions, sorted by offsets.
        quotes: quotations, sorted by offsets.
    """

    doc_id: str
    text: str
    dct: str
    dct_reason: str
    entities: tuple[Entity, ...] = ()
    dates: tuple[Date, ...] = ()
    quotes: tuple[Quote, ...] = ()

    @property
    def text_sha256(self) -> str:
        """sha256 of the text's UTF-8 bytes, as stored in the gold file."""
        return sha256_text(self.text)


@dataclass(frozen=True)
class Prediction:
    """One document's system output (one JSONL line).

    A layer set to ``None`` is not predicted by the system (it is not scored);
    an empty tuple predicts nothing (every gold item is missed).

    Attributes:
        doc_id: the document the predictions are for.
        entities: predicted entity spans, or ``None``.
        dates: predicted temporal expressions, or ``None``.
        quotes: predicted quotations, or ``None``.
    """

    doc_id: str
    entities: tuple[Entity, ...] | None = None
    dates: tuple[Date, ...] | None = None
    quotes: tuple[Quote, ...] | None = None


@dataclass(frozen=True, order=True)
class KBEntry:
    """A corpus-wide entity of the knowledge base.

    Attributes:
        kb_id: slug such as ``vladimir-putin``, unique in the KB.
        name: canonical name.
        label: the entity's label (every mention of it carries this label).
        aliases: every surface form of the entity in the corpus, sorted.
    """

    kb_id: str
    name: str
    label: str
    aliases: tuple[str, ...] = ()


def sha256_text(text: str) -> str:
    """Return the hex sha256 of ``text`` encoded as UTF-8.

    Args:
        text: any string.

    Returns:
        64 lowercase hex digits.

    >>> sha256_text("")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Gold:
    """The validated gold: documents by id (sorted) and the knowledge base.

    Attributes:
        docs: ``doc_id`` → :class:`Document`, in ``doc_id`` order.
        kb: the knowledge base entries, sorted by ``kb_id``.
    """

    docs: Mapping[str, Document]
    kb: tuple[KBEntry, ...]

    @property
    def kb_by_id(self) -> dict[str, KBEntry]:
        """``kb_id`` → entry."""
        return {k.kb_id: k for k in self.kb}

    @property
    def sha256(self) -> str:
        """One digest of the whole gold (documents and KB), quoted by every result."""
        from .jsonio import document_to_json, dumps_json, kb_to_json

        h = hashlib.sha256()
        for doc_id in sorted(self.docs):
            h.update(dumps_json(document_to_json(self.docs[doc_id])).encode("utf-8"))
        h.update(dumps_json(kb_to_json(self.kb)).encode("utf-8"))
        return h.hexdigest()
