"""The ``dateparser`` baseline: dates only, from ``dateparser.search.search_dates``.

Each document is searched with its creation date as ``RELATIVE_BASE`` and
English as the only language (so no language detection runs; dateparser never
touches the network or downloads anything). A found string is trimmed of
leading prepositions and determiners (``on Thursday`` → ``Thursday``); its
TIMEX value is the parsed date at the granularity the string names
(:func:`timex_value`): a clock time gives a TIME to the minute, a day a day, a
weekday that day of the document date's week (dateparser would take the last
one before it), a month name alone a month, a year alone a year, and an amount of time
(``50 minutes``) a DURATION. A month named without a year takes the year
nearest the document date (dateparser itself would take the current year).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import Any

from ..model import Date, Prediction
from .timex import MONTHS, WEEKDAYS, midnight, nearest_year, strip_span, weekday_date

_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}\b")
_DURATION = re.compile(
    r"^(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?P<unit>minute|hour|day|week|month|year)s?$",
    re.I,
)
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_NUMBERS |= {"six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_UNIT = {"minute": "PT{}M", "hour": "PT{}H", "day": "P{}D", "week": "P{}W", "month": "P{}M"}
_UNIT["year"] = "P{}Y"
_DAYISH = re.compile(r"\b(?:\d{1,2}(?:st|nd|rd|th)?|today|yesterday|tomorrow|later|ago)\b", re.I)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")

#: dateparser settings: the document date as the base, no guessing of missing parts from "now".
SETTINGS: dict[str, Any] = {
    "PREFER_DATES_FROM": "current_period",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "STRICT_PARSING": False,
}


def timex_value(surface: str, parsed: dt.datetime, dct: dt.date) -> tuple[str, str] | None:
    """``(type, value)`` of a string dateparser parsed, at the granularity the string names.

    Args:
        surface: the trimmed string (``Thursday``, ``January 10``, ``20:30 GMT``).
        parsed: what dateparser made of it.
        dct: the document date.

    Returns:
        The TIMEX type and value, or ``None`` for a string that is not a date.

    >>> base = dt.date(2021, 12, 31)
    >>> timex_value("January 10", dt.datetime(2021, 1, 10), base)
    ('DATE', '2022-01-10')
    >>> timex_value("50 minutes", dt.datetime(2021, 12, 30, 23, 10), base)
    ('DURATION', 'PT50M')
    >>> timex_value("December", dt.datetime(2021, 12, 31), base)
    ('DATE', '2021-12')
    >>> timex_value("Thursday", dt.datetime(2021, 12, 23), dt.date(2021, 12, 29))
    ('DATE', '2021-12-30')
    """
    m = _DURATION.match(surface)
    if m:
        n = m["n"].lower()
        number = int(n) if n.isdigit() else _NUMBERS[n]
        return "DURATION", _UNIT[m["unit"].lower()].format(number)
    words = [w.strip(".,").lower() for w in surface.split()]
    if any(w.strip(".,") == "may" for w in surface.split()):
        return None  # lowercase "may" is the verb
    month_named = next((MONTHS[w] for w in words if w in MONTHS), None)
    year_named = bool(_YEAR.search(surface))
    day = parsed.date()
    if month_named is not None and not year_named:
        # dateparser puts a month without a year in the current year: take the nearest instead
        year = nearest_year(month_named, dct)
        try:
            day = day.replace(year=year)
        except ValueError:
            return None
    if _CLOCK.search(surface):
        return "TIME", f"{day.isoformat()}T{parsed:%H:%M}"
    weekday = next((WEEKDAYS[w] for w in words if w in WEEKDAYS), None)
    if weekday is not None and month_named is None:
        # news names a weekday of the current week; dateparser takes the last one before the base
        return "DATE", weekday_date(weekday, dct).isoformat()
    if _DAYISH.search(surface):
        return "DATE", day.isoformat()
    if month_named is not None:
        return "DATE", f"{day.year}-{day.month:02d}"
    if year_named:
        return "DATE", f"{day.year}"
    return None


def find_dates(
    text: str, dct: dt.date, search: Callable[..., Sequence[tuple[str, dt.datetime]] | None]
) -> list[Date]:
    """The dates ``search`` (``dateparser.search.search_dates``) finds, located and normalized.

    Args:
        text: the document text.
        dct: the document date.
        search: ``search_dates``.

    Returns:
        Dates sorted by offset, never overlapping.
    """
    base = midnight(dct)
    found = search(text, languages=["en"], settings={**SETTINGS, "RELATIVE_BASE": base}) or []
    out: list[Date] = []
    cursor = 0
    for surface, parsed in found:
        # search_dates returns strings in text order; locate each after the previous one
        at = text.find(surface, cursor)
        if at == -1:
            continue
        cursor = at + len(surface)
        start, end = strip_span(text, at, at + len(surface))
        if start >= end:
            continue
        got = timex_value(text[start:end], parsed, dct)
        if got is None:
            continue
        if out and out[-1].end > start:
            continue
        out.append(Date(start, end, text[start:end], got[0], got[1]))
    return out


def make_predictor() -> Callable[[str, str, dt.date], Prediction]:
    """Import dateparser and return ``predict(doc_id, text, dct)`` (dates only)."""
    from dateparser.search import search_dates  # type: ignore[import-untyped]

    def predict(doc_id: str, text: str, dct: dt.date) -> Prediction:
        return Prediction(doc_id=doc_id, dates=tuple(find_dates(text, dct, search_dates)))

    return predict
