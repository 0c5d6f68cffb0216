"""TIMEX3 values from calendar facts: the normalization shared by the date baselines.

Pure functions over ``datetime.date``; no parsing library is needed here, so the
``rules`` baseline stays free of third-party packages.

>>> import datetime as dt
>>> nearest_year(1, dt.date(2021, 12, 30))
2022
>>> weekday_date(2, dt.date(2021, 12, 30)).isoformat()
'2021-12-29'
>>> iso_week(dt.date(2021, 12, 30), +1)
'2022-W01'
"""

from __future__ import annotations

import datetime as dt
import re

#: Words that start a date span in running text but are not part of it (annotations/GUIDELINES.md:
#: "on Thursday" -> "Thursday").
LEADING_WORDS = frozenset(
    "on in at by for from since until till to of the this that during within around and or but "
    "after before".split()
)

#: The words the guideline leaves out of a date span when they lead it: prepositions and the
#: article (annotations/GUIDELINES.md 5.2, "without leading prepositions or determiners"); unlike
#: :data:`LEADING_WORDS` it keeps the modifier words a span holds (``around``, ``this``).
PREPOSITIONS = frozenset(
    "on in at by for from since until till to of the during within after before".split()
)

MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = {
    name: i
    for i, name in enumerate(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    )
}


def nearest_year(month: int, dct: dt.date) -> int:
    """The year that puts ``month`` closest to the document date (news talks of the near past or future).

    Args:
        month: 1 to 12.
        dct: the document creation date.

    Returns:
        ``dct.year`` or the year before or after it.

    >>> nearest_year(6, dt.date(2021, 12, 30))
    2021
    >>> nearest_year(12, dt.date(2022, 1, 2))
    2021
    """
    best = dct.year
    for year in (dct.year - 1, dct.year, dct.year + 1):
        if abs((year - dct.year) * 12 + month - dct.month) < abs(
            (best - dct.year) * 12 + month - dct.month
        ):
            best = year
    return best


def weekday_date(weekday: int, dct: dt.date) -> dt.date:
    """The day of the given weekday in the document date's ISO week (Monday 0 ... Sunday 6).

    Args:
        weekday: 0 (Monday) to 6 (Sunday).
        dct: the document creation date.

    Returns:
        The date.

    >>> weekday_date(6, dt.date(2021, 12, 30)).isoformat()
    '2022-01-02'
    """
    return dct + dt.timedelta(days=weekday - dct.weekday())


def iso_week(day: dt.date, offset: int = 0) -> str:
    """The TIMEX value of the ISO week ``offset`` weeks from the one holding ``day``.

    Args:
        day: any day.
        offset: weeks to move (``-1`` last week, ``+1`` next week).

    Returns:
        ``YYYY-Www``.
    """
    year, week, _ = (day + dt.timedelta(weeks=offset)).isocalendar()
    return f"{year}-W{week:02d}"


def strip_span(
    text: str, start: int, end: int, words: frozenset[str] = LEADING_WORDS
) -> tuple[int, int]:
    """Shrink ``[start, end)`` past leading prepositions/determiners and surrounding punctuation.

    Args:
        text: the document text.
        start: span start.
        end: span end (exclusive).
        words: the words to strip at either end (lowercase).

    Returns:
        The new ``(start, end)``; ``start == end`` when nothing is left.

    >>> t = "said on Thursday, the"
    >>> s, e = strip_span(t, 5, len(t))
    >>> t[s:e]
    'Thursday'
    """
    changed = True
    while changed and start < end:
        changed = False
        m = re.match(r"[\s,.;:()\"“”«»]+", text[start:end])
        if m:
            start += m.end()
            changed = True
        m = re.search(r"[\s,.;:()\"“”«»]+$", text[start:end])
        if m:
            end = start + m.start()
            changed = True
        m = re.match(r"(\w+)\s+", text[start:end])
        if m and m.group(1).lower() in words:
            start += m.end()
            changed = True
        m = re.search(r"\s+(\w+)$", text[start:end])
        if m and m.group(1).lower() in words:
            end = start + m.start()
            changed = True
    return start, max(start, end)


def midnight(day: dt.date) -> dt.datetime:
    """The naive datetime at the start of ``day``: the base dateparser resolves against.

    TIMEX values are calendar values local to the text, which names no time zone;
    dateparser compares naive datetimes, so this one is naive on purpose.

    >>> midnight(dt.date(2021, 12, 30)).isoformat()
    '2021-12-30T00:00:00'
    """
    return dt.datetime(day.year, day.month, day.day)  # noqa: DTZ001 (naive on purpose, see above)
