"""TimeML: TIMEX3 inline tags, as HeidelTime, SUTime and the TempEval tools write them.

A temporal tagger returns the document's text with ``<TIMEX3 tid type value
mod>`` tags around each expression, sometimes inside a ``<TimeML>`` root
(HeidelTime adds ``<?xml?>``, a DOCTYPE and a newline on either side of the
text) and sometimes inside a ``<TEXT>`` element (the TempEval-3 files, whose
``<DCT>``, ``<DOCID>`` and links sit outside it). :func:`from_timeml` maps the
tags back to code-point offsets of the original text and returns
:class:`~newsgold.model.Date` records.

How the tagged text is read:

- With a ``<TEXT>`` element, only its content is the document; otherwise the
  content of the ``<TimeML>`` root (a ``<DCT>`` element in it is dropped: it
  holds the creation time, not a span); otherwise the whole input.
- Every tag other than TIMEX3 (``EVENT``, ``SIGNAL``, ``s``, ``MAKEINSTANCE``,
  ``TLINK``, comments, processing instructions, the DOCTYPE) is stripped;
  ``CDATA`` sections are text.
- XML entities (``&amp;``, ``&lt;``, ``&quot;``, ``&#8220;``, ``&#x201c;``) are
  decoded. HeidelTime does not escape the text it tags: a bare ``&`` or a ``<``
  that starts no tag is text, and when the decoded text does not match the
  document but the text read as written does (the document holds ``&amp;``,
  or something tag-like such as ``<now>`` or ``<br>``, literally: only the
  TIMEX3 tags are markup then), that reading is taken.
- White space that a tool adds or removes at the very start and end of the
  text (HeidelTime's newlines around the text) is not a mismatch.
- Anything else that differs from the document is an error that names the
  document offset, line and column, the line and column in the tagged text,
  and both texts there. Nothing is re-aligned by guessing.
- Attribute names are read in any case (``TYPE``), and ``VAL`` (the TIMEX2
  name that GUTime-style output keeps) stands for ``value`` when there is no ``value``.
- Empty ``<TIMEX3 .../>`` elements (TimeML's non-consuming timexes, which
  cover no text) are not spans and are skipped, as TempEval-3's scorer does; a TIMEX3 inside another, a
  TIMEX3 left open or a stray ``</TIMEX3>`` is an error.

>>> text = "Talks on Thursday & Friday."
>>> tagged = ('<TimeML>\\nTalks on <TIMEX3 tid="t1" type="DATE" value="2021-12-30">Thursday'
...           '</TIMEX3> &amp; <TIMEX3 tid="t2" type="DATE" value="2021-12-31">Friday</TIMEX3>.\\n'
...           '</TimeML>')
>>> [(d.start, d.end, d.text, d.value) for d in from_timeml(tagged, text)]
[(9, 17, 'Thursday', '2021-12-30'), (20, 26, 'Friday', '2021-12-31')]
>>> from_timeml(to_timeml(text, from_timeml(tagged, text)), text) == from_timeml(tagged, text)
True
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import Problem, ValidationError, short
from ..model import Date, Prediction

if TYPE_CHECKING:
    from ..model import Gold

__all__ = ["from_timeml", "from_timeml_files", "to_timeml"]

#: One piece of markup: comment, CDATA, processing instruction, declaration or tag.
#: (Comments, CDATA sections and processing instructions are found by :class:`_Closers`,
#: not by a lazy ``.*?``, which rescans to the end for every unclosed opener: quadratic.)
_OPENERS = (("<!--", "-->"), ("<![CDATA[", "]]>"), ("<?", "?>"), ("<!", ">"))
_MARKUP = re.compile(
    r"<(?P<close>/)?(?P<name>[A-Za-z_][\w.:-]*)(?P<attrs>(?:\s+[^<>]*?)?)(?P<empty>/)?\s*>",
    re.DOTALL,
)
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_ATTR = re.compile(r"""([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_WS = " \t\n\r"
#: What the as-written reading of a tool that does not escape reads differently: an entity or markup.
_UNESCAPED = re.compile(r"&|<(?!/?TIMEX3\b)", re.IGNORECASE)


@dataclass(frozen=True)
class _Text:
    """Characters of the tagged text: ``raw`` as written at ``pos``, ``value`` as decoded."""

    pos: int
    raw: str
    value: str


@dataclass(frozen=True)
class _Tag:
    """A TIMEX3 tag at ``pos``: opening (with its attributes) or closing."""

    pos: int
    raw: str
    closing: bool
    attrs: dict[str, str]


def _line_col(text: str, pos: int) -> tuple[int, int]:
    """1-based line and column of code point ``pos`` in ``text``."""
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def _region(tagged: str) -> tuple[int, int, bool]:
    """Where the document's text lies in ``tagged``: ``(start, end, drop_dct)``."""
    m = re.search(r"<TEXT(?:\s[^>]*)?>", tagged)
    if m:
        close = tagged.find("</TEXT>", m.end())
        return m.end(), close if close >= 0 else len(tagged), False
    m = re.search(r"<TimeML(?:\s[^>]*)?>", tagged)
    if m:
        close = tagged.rfind("</TimeML>")
        return m.end(), close if close >= m.end() else len(tagged), True
    return 0, len(tagged), False


def _attrs(raw: str) -> dict[str, str]:
    """Attributes by lower-case name (GUTime-style output writes ``TYPE``, ``VAL``)."""
    return {
        m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or "")
        for m in _ATTR.finditer(raw)
    }


def _pieces(
    tagged: str, start: int, end: int, drop_dct: bool, literal: bool
) -> Iterator[_Text | _Tag]:
    """The region of ``tagged`` as text pieces and TIMEX3 tags; other markup dropped.

    With ``literal``, entities and markup other than TIMEX3 tags (and a dropped ``<DCT>``)
    are text as written (output of a tool that does not escape).
    """
    pos = start
    in_dct = False
    closers = _Closers(tagged, end)
    # the next '<' and '&', searched again only once passed (-1: none left): linear
    lt, amp = tagged.find("<", pos, end), tagged.find("&", pos, end)
    while pos < end:
        if 0 <= lt < pos:
            lt = tagged.find("<", pos, end)
        if 0 <= amp < pos:
            amp = tagged.find("&", pos, end)
        nxt = min(lt if lt >= 0 else end, amp if amp >= 0 else end)
        if nxt > pos:
            if not in_dct:
                yield _Text(pos, tagged[pos:nxt], tagged[pos:nxt])
            pos = nxt
            continue
        if tagged[pos] == "&":
            m = _ENTITY.match(tagged, pos, end)
            decoded = html.unescape(m.group(0)) if m else "&"
            raw = m.group(0) if m and decoded != m.group(0) else "&"
            if not in_dct:
                yield _Text(pos, raw, raw if literal else decoded if raw != "&" else "&")
            pos += len(raw)
            continue
        opened = None
        if tagged[pos + 1 : pos + 2] in ("!", "?"):
            opened = next(((o, c) for o, c in _OPENERS if tagged.startswith(o, pos)), None)
        if opened == ("<!", ">") and not _ASCII_LETTER.match(tagged, pos + 2, end):
            opened = None  # a declaration starts with a letter (<!DOCTYPE); else plain text
        close = -1 if opened is None else closers.find(opened[1], pos + len(opened[0]))
        if opened is not None and close >= 0:  # a comment, CDATA section or PI
            stop = close + len(opened[1])
            if literal:
                if not in_dct:
                    yield _Text(pos, tagged[pos:stop], tagged[pos:stop])
            elif opened[0] == "<![CDATA[" and not in_dct:
                inner = tagged[pos + len(opened[0]) : close]
                yield _Text(pos + len(opened[0]), inner, inner)
            pos = stop
            continue
        m = None if opened is not None else _MARKUP.match(tagged, pos, end)
        if m is None:  # a bare '<' that starts no tag is text (HeidelTime does not escape)
            # one piece with the plain text after it (thousands of them stay cheap)
            lt = tagged.find("<", pos + 1, end)
            stop = min(lt if lt >= 0 else end, amp if amp >= 0 else end)
            if not in_dct:
                yield _Text(pos, tagged[pos:stop], tagged[pos:stop])
            pos = stop
            continue
        name = m.group("name") or ""  # comments, PIs and declarations have none
        if literal and name.upper() != "TIMEX3" and not (name == "DCT" and drop_dct):
            if not in_dct:  # the document's own characters, which the tool left unescaped
                yield _Text(pos, m.group(0), m.group(0))
            pos = m.end()
            continue
        pos = m.end()
        if name == "DCT" and drop_dct:
            in_dct = not m.group("close") and not m.group("empty")
            continue
        if name.upper() == "TIMEX3" and not in_dct and not m.group("empty"):
            yield _Tag(m.start(), m.group(0), bool(m.group("close")), _attrs(m.group("attrs")))


class _Closers:
    """The next ``-->`` (``]]>``, ``?>``) at or after a position, each part of the text
    searched once however many openers are never closed: linear, not quadratic."""

    def __init__(self, text: str, end: int) -> None:
        self._text, self._end = text, end
        self._last: dict[str, tuple[int, int]] = {}  # closer → (searched from, found or -1)

    def find(self, closer: str, start: int) -> int:
        """The first ``closer`` at or after ``start`` (before the end), or -1."""
        searched, found = self._last.get(closer, (self._end + 1, -1))
        if searched <= start and (found == -1 or found >= start):
            return found
        found = self._text.find(closer, start, self._end)
        self._last[closer] = (start, found)
        return found


class _Mismatch(ValidationError):
    """The tagged text differs from the document at document offset ``offset``."""

    def __init__(self, problems: list[Problem], offset: int) -> None:
        super().__init__(problems)
        self.offset = offset


def _mismatch(name: str, tagged: str, tpos: int, text: str, dpos: int, what: str) -> _Mismatch:
    dline, dcol = _line_col(text, dpos)
    tline, tcol = _line_col(tagged, tpos)
    return _Mismatch(
        [
            Problem(
                name,
                tline,
                "$",
                f"tagged text does not match the document at document offset {dpos} "
                f"(line {dline}, column {dcol}): {what}; tagged text (column {tcol}) has "
                f"{tagged[tpos : tpos + 20]!r}, document has {text[dpos : dpos + 20]!r} "
                "(expected the document's text, unchanged, with TIMEX3 tags inserted)",
            )
        ],
        dpos,
    )


def from_timeml(
    tagged: str, text: str, *, name: str = "<timeml>", lines: list[int] | None = None
) -> tuple[Date, ...]:
    """Read TIMEX3 inline tags as temporal expressions of ``text``.

    Args:
        tagged: the tagger's output: the document's text with ``<TIMEX3>`` tags,
            with or without a ``<TimeML>`` root or ``<TEXT>`` element.
        text: the document's original text.
        name: how to name the tagged file in errors.
        lines: when given, receives the line of each date's opening tag (so that a
            problem found later, such as a type outside the schema, names its line).

    Returns:
        One :class:`~newsgold.model.Date` per TIMEX3 that covers text, in
        document order, with code-point offsets into ``text``, its surface,
        and the tag's ``type``, ``value`` and ``mod`` (``None`` when absent).

    Raises:
        ValidationError: when the tagged text is not the document's text (the
            problem names both positions and both texts), or the tags are
            unbalanced or nested.

    >>> from_timeml('<TIMEX3 type="DURATION" value="PT50M">50 minutes</TIMEX3>', "50 minutes")
    (Date(start=0, end=10, text='50 minutes', type='DURATION', value='PT50M', mod=None, score=None),)
    >>> from_timeml("Talks in Genf.", "Talks in Geneva.", name="out/d1.tml")
    Traceback (most recent call last):
    ...
    newsgold.errors.ValidationError: out/d1.tml:1: $: tagged text does not match the document at document offset 12 (line 1, column 13): different text; tagged text (column 13) has 'f.', document has 'eva.' (expected the document's text, unchanged, with TIMEX3 tags inserted)
    """
    import gc

    # hundreds of thousands of small pieces make no cycles; the collector's rescans of them
    # would make a long file superlinear
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _from_timeml(tagged, text, name, lines)
    finally:
        if was_enabled:
            gc.enable()


def _from_timeml(tagged: str, text: str, name: str, lines: list[int] | None) -> tuple[Date, ...]:
    start, end, drop_dct = _region(tagged)
    try:
        return _align(
            list(_pieces(tagged, start, end, drop_dct, False)),
            tagged,
            text,
            name,
            start,
            end,
            lines,
        )
    except _Mismatch as strict:
        if not _UNESCAPED.search(tagged, start, end):
            raise ValidationError(strict.problems) from None
        # HeidelTime does not escape: the document may hold '&amp;' or '<now>' literally
        try:
            if lines is not None:
                lines.clear()
            return _align(
                list(_pieces(tagged, start, end, drop_dct, True)),
                tagged,
                text,
                name,
                start,
                end,
                lines,
            )
        except _Mismatch as literal:
            best = literal if literal.offset > strict.offset else strict
            raise ValidationError(best.problems) from None


def _align(
    pieces: list[_Text | _Tag],
    tagged: str,
    text: str,
    name: str,
    start: int,
    end: int,
    lines: list[int] | None = None,
) -> tuple[Date, ...]:
    """Walk the pieces of the tagged text along the document; see :func:`from_timeml`.

    With ``lines``, the line of each date's opening tag is appended to it (counted
    as the walk goes, so many tags cost one pass over the text)."""
    seen_pos, seen_line = 0, 1
    plain = "".join(p.value for p in pieces if isinstance(p, _Text))
    # white space added or removed around the whole text by the tool is not a difference
    lead_p = len(plain) - len(plain.lstrip(_WS))
    lead_d = len(text) - len(text.lstrip(_WS))
    skip = max(0, lead_p - lead_d)  # tagged-text characters to pass over
    j = max(0, lead_d - lead_p)  # document characters the tool left out
    if plain[skip:lead_p] != text[j:lead_d]:
        skip, j = 0, 0  # not white space the two can agree on: compare from the start
    dates: list[Date] = []
    open_tag: tuple[_Tag, int] | None = None
    last_pos = start
    for piece in pieces:
        last_pos = piece.pos
        if isinstance(piece, _Tag):
            if not piece.closing:
                if open_tag is not None:
                    line = _line_col(tagged, piece.pos)[0]
                    raise ValidationError(
                        [
                            Problem(
                                name,
                                line,
                                "$",
                                f"TIMEX3 inside another TIMEX3 (opened on line "
                                f"{_line_col(tagged, open_tag[0].pos)[0]}): {short(piece.raw)} "
                                "(expected TIMEX3 tags that do not nest)",
                            )
                        ]
                    )
                open_tag = (piece, j)
                continue
            if open_tag is None:
                raise ValidationError(
                    [
                        Problem(
                            name,
                            _line_col(tagged, piece.pos)[0],
                            "$",
                            "</TIMEX3> without an opening <TIMEX3> (expected balanced tags)",
                        )
                    ]
                )
            tag, begin = open_tag
            open_tag = None
            attrs = tag.attrs
            if begin == j:
                continue  # <TIMEX3 ...></TIMEX3> covers no text: a non-consuming timex
            if lines is not None:
                seen_line += tagged.count("\n", seen_pos, tag.pos)
                seen_pos = tag.pos
                lines.append(seen_line)
            dates.append(
                Date(
                    begin,
                    j,
                    text[begin:j],
                    attrs.get("type"),
                    attrs.get("value", attrs.get("val")),
                    attrs.get("mod"),
                )
            )
            continue
        k = 0
        if skip:
            k = min(skip, len(piece.value))
            skip -= k
            if k == len(piece.value):
                continue
        chunk = piece.value[k:]
        if text.startswith(chunk, j):
            j += len(chunk)
            continue
        # find the first differing code point, to name it exactly
        n = 0
        while n < len(chunk) and j + n < len(text) and chunk[n] == text[j + n]:
            n += 1
        tpos = piece.pos + k + n
        if j + n >= len(text) and not chunk[n:].strip(_WS):
            j += n  # only trailing white space left in this piece: checked below
            continue
        what = "the document ends here" if j + n >= len(text) else "different text"
        raise _mismatch(name, tagged, tpos, text, j + n, what)
    if open_tag is not None:
        raise ValidationError(
            [
                Problem(
                    name,
                    _line_col(tagged, open_tag[0].pos)[0],
                    "$",
                    f"{short(open_tag[0].raw)} is never closed (expected </TIMEX3>)",
                )
            ]
        )
    if text[j:].strip(_WS):
        raise _mismatch(
            name, tagged, min(end, max(last_pos, start)), text, j, "the tagged text ends here"
        )
    return tuple(dates)


def from_timeml_files(
    files: Mapping[str, str],
    gold: Gold,
    *,
    folder: str = "<timeml>",
    lines: dict[str, list[int]] | None = None,
) -> list[Prediction]:
    """A tagger's TimeML files as date predictions, one per document.

    Args:
        files: ``doc_id`` (the file stem) → the tagged text.
        gold: the gold, for the documents' texts.
        folder: how to name the folder in problems (``<folder>/<doc_id>.tml``).
        lines: when given, receives ``doc_id →`` the line of each date's opening tag.

    Returns:
        One prediction (dates only) per file, sorted by ``doc_id``.

    Raises:
        ValidationError: every problem of every file, including files for
            documents the gold does not have.

    >>> from newsgold.model import Document
    >>> from newsgold.model import Gold
    >>> gold = Gold({"d1": Document("d1", "on Monday", "2021-12-27", "r")}, ())
    >>> from_timeml_files({"d1": "on <TIMEX3 type='DATE' value='2021-12-27'>Monday</TIMEX3>"}, gold)
    [Prediction(doc_id='d1', entities=None, dates=(Date(start=3, end=9, text='Monday', type='DATE', value='2021-12-27', mod=None, score=None),), quotes=None)]
    """
    problems: list[Problem] = []
    out: list[Prediction] = []
    for doc_id in sorted(files):
        name = f"{folder}/{doc_id}.tml"
        doc = gold.docs.get(doc_id)
        if doc is None:
            problems.append(
                Problem(
                    name,
                    None,
                    "$",
                    f"no gold document {short(doc_id)} (expected files named <doc_id>.tml)",
                )
            )
            continue
        try:
            found: list[int] = []
            out.append(
                Prediction(
                    doc_id, dates=from_timeml(files[doc_id], doc.text, name=name, lines=found)
                )
            )
            if lines is not None:
                lines[doc_id] = found
        except ValidationError as exc:
            problems += exc.problems
    if problems:
        raise ValidationError(problems)
    return out


def to_timeml(text: str, dates: Sequence[Date], *, dct: str | None = None) -> str:
    """Write ``text`` with TIMEX3 tags in a TempEval-style ``<TimeML>`` file.

    The inverse of :func:`from_timeml`: text is escaped, tags get ``tid``,
    ``type``, ``value`` and ``mod`` where set.

    Args:
        text: the document's text.
        dates: non-overlapping temporal expressions of ``text``.
        dct: the document creation time, written as a ``<DCT>`` TIMEX3 when given.

    Returns:
        The TimeML document.

    >>> print(to_timeml("on Monday", [Date(3, 9, "Monday", "DATE", "2021-12-27")]))
    <?xml version="1.0" encoding="UTF-8"?>
    <TimeML>
    <TEXT>on <TIMEX3 tid="t1" type="DATE" value="2021-12-27">Monday</TIMEX3></TEXT>
    </TimeML>
    <BLANKLINE>
    """

    def esc(s: str) -> str:
        return html.escape(s, quote=True)

    parts: list[str] = []
    pos = 0
    for i, d in enumerate(sorted(dates, key=lambda d: (d.start, d.end)), start=1):
        if d.start < pos:
            raise ValueError(f"overlapping dates at {d.start} (TIMEX3 tags cannot overlap)")
        attrs = f' tid="t{i}"'
        for key in ("type", "value", "mod"):
            val = getattr(d, key)
            if val is not None:
                attrs += f' {key}="{esc(val)}"'
        parts.append(esc(text[pos : d.start]))
        parts.append(f"<TIMEX3{attrs}>{esc(text[d.start : d.end])}</TIMEX3>")
        pos = d.end
    parts.append(esc(text[pos:]))
    head = '<?xml version="1.0" encoding="UTF-8"?>\n<TimeML>\n'
    if dct is not None:
        head += (
            f'<DCT><TIMEX3 tid="t0" type="DATE" value="{esc(dct)}" '
            f'functionInDocument="CREATION_TIME">{esc(dct)}</TIMEX3></DCT>\n'
        )
    return head + "<TEXT>" + "".join(parts) + "</TEXT>\n</TimeML>\n"
