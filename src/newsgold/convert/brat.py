"""brat standoff ``.ann`` files: text-bound annotations as entity predictions.

One ``.ann`` file per document, named ``<doc_id>.ann``. Lines ``T<n>\\tLABEL
START END\\tTEXT`` are entities; brat's offsets are character offsets with an
exclusive end, the same as newsgold's (code points, as brat's Python server
counts them). The ``TEXT`` column must equal the document's text there.
A span that crosses a line break is written the brat way, as fragments
split at the line break (``T1\tORG 0 8;10 14\tBusiness News`` for
``Business\n\nNews``: brat joins the fragments' texts with a space); it reads
back as the one span from the first fragment's start to the last one's end.
Fragments separated by anything other than white space holding a line break
are a discontinuous span, which a newsgold span cannot be: an error. A span
that starts or ends with a line break cannot be written in brat at all; the
error then names the span. A ``T`` id given twice in a file is an error, as a
``doc_id`` given twice in JSONL is. Notes (``#``), relations (``R``), events (``E``), attributes
(``A``/``M``) and normalizations (``N``) carry nothing a prediction can hold
and are passed over; anything else is an error.

>>> from newsgold.model import Document
>>> from newsgold.model import Gold
>>> gold = Gold({"d1": Document("d1", "Putin met Biden", "2021-12-30", "r")}, ())
>>> pred = from_brat({"d1": "T1\\tPER 0 5\\tPutin\\nT2\\tPER 10 15\\tBiden\\n"}, gold)[0]
>>> [(e.start, e.end, e.label) for e in pred.entities]
[(0, 5, 'PER'), (10, 15, 'PER')]
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..errors import Problem, ValidationError, short
from ..model import Entity, Gold, Prediction

_TEXT_BOUND = re.compile(r"(T\w+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)")
#: Digits an offset may have (a longer number cannot be an offset into a document).
_MAX_DIGITS = 12
_PASSED_OVER = ("#", "R", "E", "A", "M", "N", "*")


def from_brat(
    files: Mapping[str, str],
    gold: Gold,
    *,
    folder: str = "<brat>",
    lines: dict[str, list[int]] | None = None,
) -> list[Prediction]:
    """Read ``.ann`` contents into entity predictions.

    Args:
        files: ``doc_id`` (the file stem) → the ``.ann`` file's text.
        gold: the gold, to check ids, offsets and surfaces.
        folder: how to name the folder in problems.
        lines: when given, receives ``doc_id →`` the line of each entity's ``T`` line
            (so that a problem found later, such as a label outside the scheme, names it).

    Returns:
        One prediction per file, sorted by ``doc_id``.

    Raises:
        ValidationError: every problem of every file.
    """
    problems: list[Problem] = []
    out: list[Prediction] = []
    for doc_id in sorted(files):
        name = f"{folder}/{doc_id}.ann"
        doc = gold.docs.get(doc_id)
        if doc is None:
            problems.append(
                Problem(
                    name,
                    None,
                    "$",
                    f"no gold document {short(doc_id)} (expected files named <doc_id>.ann)",
                )
            )
            continue
        ents = []
        at: list[int] = []
        ids: dict[str, int] = {}
        for lineno, line in enumerate(files[doc_id].split("\n"), start=1):
            if not line.strip():
                continue
            if line.startswith(_PASSED_OVER):
                continue
            m = _TEXT_BOUND.fullmatch(line.rstrip("\r"))
            if not m:
                problems.append(
                    Problem(
                        name,
                        lineno,
                        "$",
                        f"got {short(line)}, expected 'T<n><TAB>LABEL START END<TAB>TEXT'",
                    )
                )
                continue
            tid, label, offsets, surface = m.groups()
            if tid in ids:
                problems.append(
                    Problem(
                        name,
                        lineno,
                        "$",
                        f"duplicate id {short(tid)} (first on line {ids[tid]}; expected each "
                        "T id once in a file)",
                    )
                )
                continue
            ids[tid] = lineno
            span, why = _span(offsets, surface, doc.text)
            if span is None:
                problems.append(Problem(name, lineno, "$", why))
                continue
            start, end = span
            ents.append(Entity(start, end, doc.text[start:end], label))
            at.append(lineno)
        out.append(Prediction(doc_id, entities=tuple(ents)))
        if lines is not None:
            lines[doc_id] = at
    if problems:
        raise ValidationError(problems)
    return out


def _span(offsets: str, surface: str, text: str) -> tuple[tuple[int, int] | None, str]:
    """The newsgold span of a ``T`` line's offsets and text, or ``None`` and why not."""
    pairs = [tuple(part.split()) for part in offsets.split(";")]
    if any(len(x) > _MAX_DIGITS for pair in pairs for x in pair):
        return None, (
            f"offset {short(max((x for pair in pairs for x in pair), key=len))} is too long "
            f"(expected at most {_MAX_DIGITS} digits: a character offset into the text)"
        )
    frags = [(int(a), int(b)) for a, b in pairs]
    n = len(text)
    for a, b in frags:
        if not a < b <= n:
            return None, (
                f"span {a} {b} outside the text of length {n} or empty "
                f"(expected START < END <= {n})"
            )
    for (_, b), (c, _) in zip(frags, frags[1:], strict=False):
        gap = text[b:c] if b < c else ""
        if not gap or gap.strip() or "\n" not in gap:
            return None, (
                f"discontinuous span {short(offsets)} (expected one contiguous START END, or "
                "fragments split only at line breaks)"
            )
    start, end = frags[0][0], frags[-1][1]
    expected = " ".join(text[a:b] for a, b in frags)
    if surface != expected:
        whole = text[start:end]
        if len(frags) == 1 and ("\n" in whole or "\r" in whole):
            return None, (
                f"span {start} {end} {short(whole)} holds a line break, which brat's TEXT "
                "column cannot carry (expected fragments split at the line break, e.g. "
                f"{_fragments_hint(whole, start)}; a span cannot start or end with one)"
            )
        at = f"[{start}:{end}]" if len(frags) == 1 else f"[{offsets}]"
        return None, f"got {short(surface)}, expected the text at {at} = {short(expected)}"
    return (start, end), ""


def _fragments_hint(whole: str, start: int) -> str:
    """brat's fragments for a span crossing line breaks (the parts between them)."""
    parts = [(m.start() + start, m.end() + start) for m in re.finditer(r"[^\r\n]+", whole)]
    return "'" + ";".join(f"{a} {b}" for a, b in parts) + "'"
