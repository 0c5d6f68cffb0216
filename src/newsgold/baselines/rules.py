"""The ``rules`` baseline: no model, no third-party package, only regular expressions.

- Entities: runs of capitalised words and acronyms, titles and sentence-initial
  function words dropped, hyphenated name compounds split; the type from simple
  heuristics: a nationality suffix (``-ian``, ``-ern``, ...) is NORP, an
  organisation word (``Ministry``, ``Council``, ...) or a long acronym is ORG,
  a country-like suffix or a short ``U...`` acronym is GPE, two or more
  capitalised words or the surname of a person already seen is PER, and
  anything else GPE (the commonest label of news).
- Dates: weekdays, month names with or without a day, years, decades, clock
  times, ``today``/``yesterday``/``tomorrow``, relative weeks, months and years
  (``next week``) and simple durations, normalized against the document date.
- Quotes: text between quotation marks (any of the curly, straight and guillemet
  marks, mismatched pairs too), ``direct`` when it holds a clause of four words
  or more, else ``partial``; the cue is the nearest reporting verb in the same
  sentence and the speaker the named entity next to it (a pronoun resolves to
  the last person named before it).

>>> import datetime as dt
>>> p = predict("d", "Joe Biden said on Monday that NATO was “ready to talk”.", dt.date(2021, 12, 30))
>>> [(e.text, e.label) for e in p.entities]
[('Joe Biden', 'PER'), ('NATO', 'ORG')]
>>> [(d.text, d.value) for d in p.dates]
[('Monday', '2021-12-27')]
>>> [(q.text, q.speaker, q.cue.text) for q in p.quotes]
[('ready to talk', 'Joe Biden', 'said')]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence

from ..model import Date, Entity, Prediction, Quote, Span
from .timex import MONTHS, WEEKDAYS, iso_week, nearest_year, weekday_date

# --------------------------------------------------------------------------- entities

#: Capitalised words that begin sentences or titles but are not names on their own.
FUNCTION_WORDS = frozenset(
    """a an the in on at of for to by from with and or but as if it its this that these those
    he she they we i you his her their our my your there here when while after before since
    during amid according meanwhile earlier later also however moreover then thus so yet
    what which who whom whose where why how all some any each every no not one two first
    last next new please latest posts enter comment name category read more
    """.split()
)
#: Titles and roles dropped from the front of a name ("US President Joe Biden" -> "Joe Biden").
TITLES = frozenset(
    """president presidents minister ministers deputy foreign secretary press spokesman
    spokeswoman spokesperson ambassador chancellor prime general leader chairman head
    mr mrs ms dr senator governor adviser advisor assistant state counterpart
    """.split()
)
ORG_WORDS = frozenset(
    """ministry council department house kremlin agency office committee union alliance
    organization organisation news press service services bank parliament government
    commission court army forces party post times journal network institute
    """.split()
)
NORP_SUFFIXES = ("ian", "ians", "ern", "erns", "erner", "erners", "ese", "ish", "can", "cans")
GPE_SUFFIXES = ("ia", "land", "stan", "ine", "ium", "ia's")
NOT_NAMES = (
    frozenset(WEEKDAYS)
    | frozenset(MONTHS)
    | {"gmt", "utc", "ok", "today", "yesterday", "tomorrow", "tonight", "now"}
)

_WORD = r"(?:[A-Z][A-Za-z]*(?:\.[A-Za-z]+)*|[A-Z]{2,})"
_NAME_RUN = re.compile(rf"{_WORD}(?:[-‑]{_WORD})*(?:[ \t]+{_WORD}(?:[-‑]{_WORD})*)*")
_SENTENCE_END = re.compile(r"[.!?…]\s*$|^\s*$|[\n“«:]\s*$")


def _is_acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper()


def _entity_type(words: Sequence[str], persons: set[str]) -> str:
    """The heuristic type of a name given as its words."""
    lower = [w.lower() for w in words]
    if any(w in ORG_WORDS for w in lower):
        return "ORG"
    if len(words) == 1:
        w, lw = words[0], lower[0]
        if _is_acronym(w):
            return "GPE" if lw.startswith("u") and len(w) <= 4 else "ORG"
        if lw in persons:
            return "PER"
        if lw.endswith(NORP_SUFFIXES):
            return "NORP"
        if lw.endswith(GPE_SUFFIXES):
            return "GPE"
        return "GPE"
    if all(_is_acronym(w) for w in words):
        return "ORG"
    if lower[-1].endswith(GPE_SUFFIXES) and lower[0] in {"united", "north", "south", "new"}:
        return "GPE"
    return "PER"


def _at_sentence_start(text: str, start: int) -> bool:
    """Whether ``start`` begins a sentence, a line or a quotation."""
    before = text[max(0, start - 3) : start]
    return start == 0 or bool(_SENTENCE_END.search(before))


def _segments(text: str, tokens: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Cut a run of capitalised tokens into names: an organisation word ends an ORG, titles separate."""
    words = [text[s:e].lower() for s, e in tokens]
    org_at = [i for i, w in enumerate(words) if w in ORG_WORDS]
    if org_at:
        last = org_at[-1]
        head = tokens[: last + 1]
        # "Russian Foreign Ministry" keeps "Foreign"; "US President" before it does not
        while head and words[tokens.index(head[0])] in TITLES - {"foreign", "press", "state"}:
            head = head[1:]
        return ([head] if head else []) + _segments(text, tokens[last + 1 :])
    out: list[list[tuple[int, int]]] = [[]]
    for (s, e), w in zip(tokens, words, strict=True):
        if w in TITLES:
            out.append([])
        else:
            out[-1].append((s, e))
    return [seg for seg in out if seg]


def find_entities(text: str) -> list[Entity]:
    """Capitalised runs and acronyms of ``text`` with a heuristic type.

    Args:
        text: the document text.

    Returns:
        Entities sorted by offset, never overlapping, ``kb_id`` unset.

    >>> [(e.text, e.label) for e in find_entities("The Russian-American talks in Geneva.")]
    [('Russian', 'NORP'), ('American', 'NORP'), ('Geneva', 'GPE')]
    >>> [(e.text, e.label) for e in find_entities("Russian President Vladimir Putin met NATO.")]
    [('Russian', 'NORP'), ('Vladimir Putin', 'PER'), ('NATO', 'ORG')]
    """
    out: list[Entity] = []
    persons: set[str] = set()
    mid_sentence = {
        m[0].lower() for m in re.finditer(_WORD, text) if not _at_sentence_start(text, m.start())
    }
    for m in _NAME_RUN.finditer(text):
        tokens = [(t.start() + m.start(), t.end() + m.start()) for t in re.finditer(r"\S+", m[0])]
        # sentence-initial function words go; a function word inside a run ends it
        while tokens and text[tokens[0][0] : tokens[0][1]].lower() in FUNCTION_WORDS | NOT_NAMES:
            tokens = tokens[1:]
        for i, (s, e) in enumerate(tokens):
            if text[s:e].lower() in FUNCTION_WORDS | NOT_NAMES:
                tokens = tokens[:i]
                break
        for seg in _segments(text, tokens):
            start, end = seg[0][0], seg[-1][1]
            surface = text[start:end]
            if (
                len(seg) == 1
                and _at_sentence_start(text, start)
                and surface.lower() not in mid_sentence
                and not _is_acronym(surface)
                and not surface.lower().endswith(NORP_SUFFIXES)
            ):
                continue  # a capitalised first word seen nowhere else capitalised: not a name
            # "Russian-American" is two names; "Russia-NATO Council" stays one ORG
            if len(seg) == 1 and re.search(r"[-‑]", surface):
                offset = start
                for part in re.split(r"([-‑])", surface):
                    if part and part not in "-‑":
                        out.append(
                            Entity(offset, offset + len(part), part, _entity_type([part], persons))
                        )
                    offset += len(part)
                continue
            words = surface.split()
            label = _entity_type(words, persons)
            if label == "PER":
                persons.update(w.lower() for w in words)
            out.append(Entity(start, end, surface, label))
    return out


# --------------------------------------------------------------------------- dates

_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:" + "|".join(WEEKDAYS) + r")"
_NUM_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_UNITS = {
    "minute": "TM",
    "hour": "TH",
    "day": "D",
    "week": "W",
    "month": "M",
    "year": "Y",
}
_APPROX = r"(?:\b(?P<approx>around|about|approximately|some|less than|nearly|almost|more than|over|exactly)\s+)?"
_PART = r"(?:(?P<part>early|mid|late|end of|beginning of|the end of|the beginning of)[\s-]+)?"
_DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "time",
        re.compile(
            rf"{_APPROX}\b(?P<h>[01]?\d|2[0-3])[:.](?P<m>[0-5]\d)(?:\s*(?:GMT|UTC|Moscow time))?",
            re.I,
        ),
    ),
    (
        "month_day",
        re.compile(
            rf"\b(?P<month>{_MONTH})\s+(?P<day>[0-3]?\d)\b(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?", re.I
        ),
    ),
    (
        "day_month",
        re.compile(
            rf"\b(?P<day>[0-3]?\d)\s+(?P<month>{_MONTH})\b(?:\s+(?P<year>(?:19|20)\d\d)\b)?", re.I
        ),
    ),
    (
        "month",
        re.compile(rf"\b{_PART}(?P<month>{_MONTH})\b(?:\s+(?P<year>(?:19|20)\d\d)\b)?", re.I),
    ),
    ("weekday", re.compile(rf"\b(?P<weekday>{_WEEKDAY})\b", re.I)),
    ("decade", re.compile(r"\b(?:the\s+)?(?P<decade>(?:19|20)\d0)s\b")),
    ("year", re.compile(rf"\b{_PART}(?P<year>(?:19|20)\d\d)\b", re.I)),
    (
        "deictic",
        re.compile(
            r"\b(?P<deictic>today|yesterday|tomorrow|tonight)\b"
            r"(?:\s+(?:late\s+|early\s+)?(?:in\s+the\s+)?(?P<tod>morning|afternoon|evening|night))?",
            re.I,
        ),
    ),
    (
        "relative",
        re.compile(r"\b(?P<rel>next|last|this|coming|past)\s+(?P<unit>week|month|year)\b", re.I),
    ),
    (
        "duration",
        re.compile(
            rf"{_APPROX}\b(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
            r"(?P<unit>minute|hour|day|week|month|year)s?\b",
            re.I,
        ),
    ),
]
_APPROX_MODS = {
    "around": "APPROX",
    "about": "APPROX",
    "approximately": "APPROX",
    "some": "APPROX",
    "less than": "LESS_THAN",
    "nearly": "LESS_THAN",
    "almost": "LESS_THAN",
    "more than": "MORE_THAN",
    "over": "MORE_THAN",
    "exactly": None,
}
_MODS = {
    "early": "START",
    "beginning of": "START",
    "the beginning of": "START",
    "mid": "MID",
    "late": "END",
    "end of": "END",
    "the end of": "END",
}


def _date_value(kind: str, m: re.Match[str], dct: dt.date) -> tuple[str, str, str | None] | None:
    """``(type, value, mod)`` of one regex match, or ``None`` when it is not a date."""
    g = m.groupdict()
    mod = _MODS.get((g.get("part") or "").lower()) or _APPROX_MODS.get(
        (g.get("approx") or "").lower()
    )
    if kind == "time":
        return "TIME", f"{dct.isoformat()}T{int(g['h']):02d}:{g['m']}", mod
    if kind in ("month_day", "day_month"):
        month = MONTHS[g["month"].lower().rstrip(".")]
        year = int(g["year"]) if g.get("year") else nearest_year(month, dct)
        try:
            return "DATE", dt.date(year, month, int(g["day"])).isoformat(), None
        except ValueError:
            return None
    if kind == "month":
        if g["month"].lower() == "may" and not g.get("part") and not g.get("year"):
            return None  # the modal verb far more often than the month
        month = MONTHS[g["month"].lower().rstrip(".")]
        year = int(g["year"]) if g.get("year") else nearest_year(month, dct)
        return "DATE", f"{year}-{month:02d}", mod
    if kind == "weekday":
        return "DATE", weekday_date(WEEKDAYS[g["weekday"].lower()], dct).isoformat(), None
    if kind == "decade":
        return "DATE", g["decade"][:3], None
    if kind == "year":
        return "DATE", g["year"], mod
    if kind == "deictic":
        word = g["deictic"].lower()
        if word == "tonight":
            return "TIME", f"{dct.isoformat()}TNI", None
        shift = {"today": 0, "yesterday": -1, "tomorrow": 1}[word]
        day = (dct + dt.timedelta(days=shift)).isoformat()
        if g.get("tod"):
            part = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
            return "TIME", f"{day}T{part[g['tod'].lower()]}", None
        return "DATE", day, None
    if kind == "relative":
        rel, unit = g["rel"].lower(), g["unit"].lower()
        offset = {"next": 1, "coming": 1, "last": -1, "past": -1, "this": 0}[rel]
        if unit == "week":
            return "DATE", iso_week(dct, offset), None
        if unit == "month":
            month0 = dct.year * 12 + dct.month - 1 + offset
            return "DATE", f"{month0 // 12}-{month0 % 12 + 1:02d}", None
        return "DATE", str(dct.year + offset), None
    if kind == "duration":
        n = g["n"].lower()
        number = int(n) if n.isdigit() else _NUM_WORDS[n]
        unit = _UNITS[g["unit"].lower()]
        value = f"PT{number}{unit[1]}" if unit.startswith("T") else f"P{number}{unit}"
        return "DURATION", value, mod
    return None  # pragma: no cover - every kind is handled above


def find_dates(text: str, dct: dt.date) -> list[Date]:
    """Temporal expressions of ``text`` found by regular expressions, resolved against ``dct``.

    Patterns are tried in order; a later match overlapping an earlier one is skipped.

    Args:
        text: the document text.
        dct: the document creation date.

    Returns:
        Dates sorted by offset, never overlapping.

    >>> [(d.text, d.value, d.mod) for d in find_dates("early January and the 1990s", dt.date(2021, 12, 30))]
    [('early January', '2022-01', 'START'), ('1990s', '199', None)]
    """
    taken: list[tuple[int, int]] = []
    out: list[Date] = []
    for kind, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span()
            if text[start:end].lower().startswith("the "):
                start += 4
            if any(s < end and start < e for s, e in taken):
                continue
            got = _date_value(kind, m, dct)
            if got is None:
                continue
            taken.append((start, end))
            out.append(Date(start, end, text[start:end], got[0], got[1], got[2]))
    return sorted(out)


# --------------------------------------------------------------------------- quotes

OPENING = '“"«„'
CLOSING = '”“"»'
REPORTING_VERBS = (
    "said|says|say|told|tells|wrote|writes|added|adds|stated|states|noted|notes|warned|warns|"
    "announced|declared|stressed|emphasized|emphasised|explained|insisted|claimed|argued|"
    "replied|asked|believes|believed|called|quoted|according to|reported|reports|reminds"
)
_CUE = re.compile(rf"\b(?:{REPORTING_VERBS})\b", re.I)
_PRONOUN = re.compile(r"\b(?:he|she)\b", re.I)


def _pairs(text: str) -> list[tuple[int, int]]:
    """``(open, close)`` offsets of quotation-mark pairs: each opening mark with the next mark.

    A straight ``"`` closes when one is open; a curly ``“`` closes an open quote too (the texts
    hold ``“…“`` pairs), unless a blank line comes first.
    """
    out: list[tuple[int, int]] = []
    open_at: int | None = None
    for i, ch in enumerate(text):
        if open_at is not None and "\n\n" in text[open_at:i]:
            open_at = None  # never pair across paragraphs
        if open_at is None:
            if ch in OPENING:
                open_at = i
        elif ch in CLOSING:
            out.append((open_at, i))
            open_at = None
    return out


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or line) around ``[start, end)``, roughly."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
    right = min(right_candidates) if right_candidates else len(text)
    return left + 1, right + 1


def find_quotes(text: str, entities: Sequence[Entity]) -> list[Quote]:
    """Quotations between quotation marks, each with a cue and a speaker name when one is near.

    Args:
        text: the document text.
        entities: the document's entities (speaker candidates), sorted.

    Returns:
        Quotes sorted by offset; ``speaker`` is a free name (the scorer resolves it through the KB).

    >>> ents = find_entities("“We are ready,” Putin said.")
    >>> [(q.text, q.kind, q.speaker) for q in find_quotes("“We are ready,” Putin said.", ents)]
    [('We are ready,', 'partial', 'Putin')]
    """
    out: list[Quote] = []
    pairs = _pairs(text)
    inside = [(o, c) for o, c in pairs]
    for open_at, close_at in pairs:
        start, end = open_at + 1, close_at
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            continue
        content = text[start:end]
        kind = (
            "direct" if len(content.split()) >= 4 and re.search(r"[.,!?…]$", content) else "partial"
        )
        if len(content.split()) >= 8:
            kind = "direct"
        cue, speaker = _attribution(text, open_at, close_at + 1, entities, inside)
        out.append(Quote(start, end, content, kind, speaker, cue))
    return out


def _attribution(
    text: str,
    q_start: int,
    q_end: int,
    entities: Sequence[Entity],
    quotes: Sequence[tuple[int, int]],
) -> tuple[Span | None, str | None]:
    """The nearest reporting verb outside any quote in the sentence, and the name next to it."""
    s_start, s_end = _sentence_bounds(text, q_start, q_end)
    cues = [
        m
        for m in _CUE.finditer(text, s_start, s_end)
        if not any(o <= m.start() <= c for o, c in quotes)
    ]
    if not cues:
        return None, None
    cue = min(cues, key=lambda m: m.start() - q_end if m.start() >= q_end else q_start - m.end())
    cue_span = Span(cue.start(), cue.end(), cue[0])
    names = [e for e in entities if e.label in ("PER", "ORG", "GPE") and s_start <= e.start < s_end]
    names = [e for e in names if not q_start <= e.start < q_end]
    if cue[0].lower() == "according to":
        after = [e for e in names if e.start >= cue.end()]
        return cue_span, (after[0].text if after else None)
    before = [e for e in names if e.end <= cue.start()]
    after = [e for e in names if e.start >= cue.end()]
    pronoun = None
    for p in _PRONOUN.finditer(text, s_start, cue.start()):
        pronoun = p
    if pronoun is not None and (not before or before[-1].end < pronoun.start()):
        persons = [e for e in entities if e.label == "PER" and e.end <= pronoun.start()]
        return cue_span, (persons[-1].text if persons else None)
    if before and (not after or cue.start() - before[-1].end <= after[0].start - cue.end()):
        return cue_span, before[-1].text
    return cue_span, (after[0].text if after else None)


# a verb of communication (inflected) whose complement may be a finite clause: the generic list of
# reported speech (say, tell, announce, state, add, ... as attribution corpora use), not a list
# drawn from these texts
_SAY = re.compile(
    r"\b(?:said|says|told|tells|announced|announces|stated|states|added|adds|stressed|stresses|"
    r"noted|notes|reported|reports|wrote|writes|warned|warns|claimed|claims|insisted|insists|"
    r"confirmed|confirms|denied|denies|explained|explains|promised|promises|declared|declares|"
    r"emphasized|emphasised|emphasizes|replied|replies)\s+(?:(?:him|her|them|us|reporters|journalists)\s+)?(?:that\s+)?",
)


def find_indirect_quotes(text: str, entities: Sequence[Entity]) -> list[Quote]:
    """Reported speech without quotation marks: ``NAME <verb> [that] CLAUSE.`` in one sentence.

    The clause runs from after the verb (and ``that``) to the end of the sentence, without the
    final punctuation; a sentence holding a quotation mark is left to :func:`find_quotes`. The
    speaker is the nearest name before the verb in the sentence, the cue the verb.

    >>> text = "Later, Vladimir Putin said that the talks would go on."
    >>> [(q.text, q.kind, q.speaker) for q in find_indirect_quotes(text, find_entities(text))]
    [('the talks would go on', 'indirect', 'Vladimir Putin')]
    """
    out: list[Quote] = []
    for m in _SAY.finditer(text):
        s_start, s_end = _sentence_bounds(text, m.start(), m.end())
        sentence = text[s_start:s_end]
        if any(ch in sentence for ch in OPENING + CLOSING):
            continue
        start, end = m.end(), min(s_end, len(text))
        while end > start and (text[end - 1].isspace() or text[end - 1] in ".!?;:"):
            end -= 1
        if len(text[start:end].split()) < 3 or "\n" in text[start:end]:
            continue
        names = [
            e
            for e in entities
            if e.label in ("PER", "ORG", "GPE") and s_start <= e.start and e.end <= m.start()
        ]
        if not names:
            continue
        verb_end = m.start() + len(m[0].split()[0])
        cue = Span(m.start(), verb_end, text[m.start() : verb_end])
        out.append(Quote(start, end, text[start:end], "indirect", names[-1].text, cue))
    return out


# --------------------------------------------------------------------------- the system


def predict(doc_id: str, text: str, dct: dt.date) -> Prediction:
    """All three layers for one document.

    Args:
        doc_id: the document id.
        text: its text.
        dct: its creation date (relative dates resolve against it).

    Returns:
        The prediction.
    """
    entities = find_entities(text)
    dates = find_dates(text, dct)
    # a date found by the date patterns is not also an entity
    entities = [e for e in entities if not any(d.start < e.end and e.start < d.end for d in dates)]
    return Prediction(
        doc_id=doc_id,
        entities=tuple(entities),
        dates=tuple(dates),
        quotes=tuple(
            sorted(
                [*find_quotes(text, entities), *find_indirect_quotes(text, entities)],
                key=lambda q: (q.start, q.end),
            )
        ),
    )


def make_predictor() -> Callable[[str, str, dt.date], Prediction]:
    """The ``rules`` system needs no loading: :func:`predict` itself."""
    return predict
