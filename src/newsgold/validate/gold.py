"""One gold document: dates on the calendar, spans inside the text, overlaps and nesting,
alternative extents, and the whole file against its seed text and the KB."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import Problem, ValidationError, short
from ..jsonio import PathPart, document_from_json, read_text
from ..model import ENTITY_LABELS, Document, KBEntry, sha256_text
from ..schema import schema_problems
from .common import LAYER_NAMES, _display, _jp, _read_json

_WEEK = re.compile(r"^(\d{4})-W(\d{2})")
_YMD = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?")


def calendar_problem(value: str) -> str | None:
    """Check that a TIMEX value names a real calendar day, month or week.

    >>> calendar_problem("2021-02-29")
    'no such day 2021-02-29 in the calendar'
    >>> calendar_problem("2021-W51") is None
    True
    """
    m = _YMD.match(value)
    if m and not value.startswith("XXXX"):
        year, month, day = int(m.group(1)), int(m.group(2)), m.group(3)
        if not 1 <= month <= 12:
            return f"no month {month:02d} in the calendar"
        if day is not None:
            try:
                dt.date(year, month, int(day))
            except ValueError:
                return f"no such day {m.group(0)} in the calendar"
    w = _WEEK.match(value)
    if w:
        year, week = int(w.group(1)), int(w.group(2))
        weeks = dt.date(year, 12, 28).isocalendar()[1]
        if not 1 <= week <= weeks:
            return f"no ISO week {week} in {year} (it has {weeks})"
    return None


def _is_span(obj: Any) -> bool:
    """A dict with integer start and end: enough to check offsets even when other keys are wrong."""
    return (
        isinstance(obj, Mapping)
        and type(obj.get("start")) is int
        and type(obj.get("end")) is int
        and obj["start"] >= 0
    )


def offset_problems(
    obj: Mapping[str, Any],
    text: str,
    parts: list[PathPart],
    file: str,
    locator: Callable[[Sequence[PathPart]], int | None],
    out: list[Problem],
) -> bool:
    """The offset rules of one span (inside the text, start < end, ``text`` equal to the slice).

    Appends what is wrong to ``out``; returns whether the offsets are usable.
    """
    n = len(text)
    start, end = obj["start"], obj["end"]
    ok = True
    if end > n:
        out.append(
            Problem(
                file,
                locator([*parts, "end"]),
                _jp([*parts, "end"]),
                f"{end} > len(text)={n} (expected an offset inside the text)",
            )
        )
        ok = False
    if start >= end:
        out.append(
            Problem(
                file,
                locator([*parts, "start"]),
                _jp([*parts, "start"]),
                f"start {start} >= end {end} (expected start < end, end exclusive)",
            )
        )
        ok = False
    if ok and isinstance(obj.get("text"), str) and text[start:end] != obj["text"]:
        out.append(
            Problem(
                file,
                locator([*parts, "text"]),
                _jp([*parts, "text"]),
                f"got {short(obj['text'])}, expected the text at [{start}:{end}] = {short(text[start:end])}",
            )
        )
    return ok


def check_spans(
    items: Sequence[Mapping[str, Any]],
    text: str,
    layer: str,
    file: str,
    locator: Callable[[Sequence[PathPart]], int | None],
    *,
    require_text: bool = True,
    require_sorted: bool = True,
) -> list[Problem]:
    """Offsets inside the text, ``text`` equal to the slice, sorted, no duplicates.

    Args:
        items: the layer's span objects (schema-valid).
        text: the document text.
        layer: ``entities``, ``dates`` or ``quotes`` (for paths).
        file: file name for problems.
        locator: JSON path → line.
        require_text: the gold carries ``text``; predictions may leave it out.
        require_sorted: the gold is sorted by offsets.

    Returns:
        The problems found.
    """
    out: list[Problem] = []

    def check_one(obj: Mapping[str, Any], parts: list[PathPart]) -> bool:
        return offset_problems(obj, text, parts, file, locator, out)

    previous: tuple[int, int] | None = None
    for i, obj in enumerate(items):
        if not _is_span(obj):
            continue  # the schema has reported it
        parts: list[PathPart] = [layer, i]
        check_one(obj, parts)
        cue = obj.get("cue") if layer == "quotes" else None
        if cue is not None and _is_span(cue):
            check_one(cue, [*parts, "cue"])
        key = (obj["start"], obj["end"])
        if previous is not None and require_sorted:
            # the gold lists each span once, sorted; a prediction may repeat a span (a system's
            # two readings of it: at most one can be matched, the other counts as spurious)
            if key == previous:
                out.append(
                    Problem(
                        file,
                        locator(parts),
                        _jp(parts),
                        f"duplicate span [{key[0]}:{key[1]}] (expected each span once)",
                    )
                )
            elif key < previous:
                out.append(
                    Problem(
                        file,
                        locator(parts),
                        _jp(parts),
                        f"span [{key[0]}:{key[1]}] comes after [{previous[0]}:{previous[1]}] (expected spans sorted by start, end)",
                    )
                )
        previous = key
    return out


#: Overlapping spans listed per layer of a document; the rest are counted in one more problem.
MAX_OVERLAP_PROBLEMS = 50


def overlap_problems(
    items: Sequence[Mapping[str, Any]],
    layer: str,
    file: str,
    locator: Callable[[Sequence[PathPart]], int | None],
    *,
    allow_nesting: bool = False,
    may_nest: Callable[[Mapping[str, Any], Mapping[str, Any]], bool] | None = None,
) -> list[Problem]:
    """Spans of one layer that overlap (crossing, or nested unless allowed).

    Args:
        items: the layer's span objects.
        layer: the layer's name (for paths).
        file: file name for problems.
        locator: JSON path → line.
        allow_nesting: accept every span that lies entirely inside another.
        may_nest: accept a span entirely inside another when this returns true
            for the pair ``(outer, inner)``; crossing spans are always refused.

    Returns:
        The problems found.
    """
    import heapq

    out: list[Problem] = []
    more = 0
    good = [i for i in range(len(items)) if _is_span(items[i])]
    order = sorted(good, key=lambda i: (items[i]["start"], -items[i]["end"]))
    # the spans still open at the current start, smallest end first: a span that starts
    # inside one of them overlaps it (each span is reported once, with one partner, so
    # 2,000 nested spans give at most 2,000 problems, not two million)
    open_: list[tuple[int, int]] = []
    for i in order:
        s, e = items[i]["start"], items[i]["end"]
        while open_ and open_[0][0] <= s:
            heapq.heappop(open_)
        partner = None
        if open_:
            end_j, j = open_[0]
            if end_j < e:
                partner = j  # crossing: always refused
            elif not allow_nesting:  # nested in every open span: refused unless allowed
                partner = next(
                    (k for _, k in open_ if may_nest is None or not may_nest(items[k], items[i])),
                    None,
                )
        heapq.heappush(open_, (e, i))
        if partner is None:
            continue
        if len(out) >= MAX_OVERLAP_PROBLEMS:
            more += 1
            continue
        a, b = items[partner], items[i]
        out.append(
            Problem(
                file,
                locator([layer, i]),
                _jp([layer, i]),
                f"[{b['start']}:{b['end']}] {short(b.get('text'))} overlaps [{a['start']}:{a['end']}] "
                f"{short(a.get('text'))} at $.{layer}[{partner}] (expected no overlapping {layer}"
                + (
                    ", except an indirect quote nested in a quote or around one)"
                    if may_nest
                    else ")"
                ),
            )
        )
    if more:
        out.append(
            Problem(
                file,
                locator([layer]),
                _jp([layer]),
                f"{more} more {layer} overlap another span (only the first "
                f"{MAX_OVERLAP_PROBLEMS} are listed; expected no overlapping {layer})",
            )
        )
    return out


#: what GUIDELINES.md 3.4 allows of a boundary that is not between two words
ALLOWED_CUTS = (
    "a hyphen between names (Russian-American), before a possessive (Russia’s) "
    "and where broken formatting glued words (GENERICO.ruWorldBiden)"
)


def word_cut_problem(text: str, start: int, end: int) -> str | None:
    """Why the span ``[start:end]`` cuts a word, or ``None`` when both ends lie between words.

    The words are the tokens of :mod:`newsgold.tokenize`, whose rules already
    cut where the guideline allows a span to end inside a run of letters.

    >>> word_cut_problem("Russian troops", 0, 6)  # doctest: +ELLIPSIS
    "[0:6] 'Russia' ends inside the word 'Russian' [0:7] (expected ... glued words (GENERICO.ruWorldBiden))"
    >>> word_cut_problem("Russian-American", 8, 16) is None
    True
    """
    from ..tokenize import straddled_tokens

    inside = straddled_tokens(text, (start, end))
    if not inside:
        return None
    offset = min(inside)
    token = inside[offset]
    which = "starts" if offset == start else "ends"
    return (
        f"[{start}:{end}] {short(text[start:end])} {which} inside the word {short(token.text)} "
        f"[{token.start}:{token.end}] (expected span boundaries between words; GUIDELINES.md 3.4 "
        f"allows a boundary inside a run of letters only at {ALLOWED_CUTS})"
    )


def word_cut_problems(
    items: Sequence[Any],
    text: str,
    layer: str,
    display: str,
    locator: Callable[[Sequence[PathPart]], int | None],
) -> list[Problem]:
    """Spans (and quote cues) of one layer whose boundary cuts a word (:func:`word_cut_problem`),
    at the span's path; items that are not well-formed spans were reported already."""
    out = []
    for i, item in enumerate(items):
        spans: list[tuple[list[PathPart], Any]] = [([layer, i], item)]
        if isinstance(item, Mapping) and _is_span(item.get("cue")):
            spans.append(([layer, i, "cue"], item["cue"]))
        for parts, span in spans:
            if not _is_span(span) or not span["start"] < span["end"] <= len(text):
                continue
            why = word_cut_problem(text, span["start"], span["end"])
            if why:
                out.append(Problem(display, locator(parts), _jp(parts), why))
    return out


def indirect_may_nest(outer: Mapping[str, Any], inner: Mapping[str, Any]) -> bool:
    """Quotes may nest when either of the two is ``indirect`` (reported speech inside reported speech).

    >>> indirect_may_nest({"kind": "indirect"}, {"kind": "partial"})
    True
    >>> indirect_may_nest({"kind": "direct"}, {"kind": "partial"})
    False
    """
    return "indirect" in (outer.get("kind"), inner.get("kind"))


def alternative_problems(
    items: Sequence[Mapping[str, Any]],
    text: str,
    layer: str,
    file: str,
    locator: Callable[[Sequence[PathPart]], int | None],
) -> list[Problem]:
    """The accepted alternative extents of a gold layer (``entities`` or ``dates``).

    Each alternative lies inside the text, carries ``text`` equal to its slice,
    differs from the item's gold extent, contains it or lies inside it, is
    listed once, and overlaps no other item of the layer (gold extent or
    alternative).

    Args:
        items: the layer's objects (schema-valid or not: ill-typed ones are skipped).
        text: the document text.
        layer: ``entities`` or ``dates`` (for paths).
        file: file name for problems.
        locator: JSON path → line.

    Returns:
        The problems found.
    """
    out: list[Problem] = []
    # every extent of every item: (start, end, item index, path of the extent)
    extents: list[tuple[int, int, int, list[PathPart]]] = []
    for i, obj in enumerate(items):
        if _is_span(obj):
            extents.append((obj["start"], obj["end"], i, [layer, i]))
    for i, obj in enumerate(items):
        if not _is_span(obj) or not isinstance(obj.get("alternatives"), list):
            continue
        gs, ge = obj["start"], obj["end"]
        seen: set[tuple[int, int]] = set()
        for k, alt in enumerate(obj["alternatives"]):
            if not _is_span(alt):
                continue  # the schema has reported it
            parts: list[PathPart] = [layer, i, "alternatives", k]
            s, e = alt["start"], alt["end"]

            def problem(key: str | None, message: str, parts: list[PathPart] = parts) -> None:
                where = parts if key is None else [*parts, key]
                out.append(Problem(file, locator(where), _jp(where), message))

            if not offset_problems(alt, text, parts, file, locator, out):
                continue  # the same offset rules as every span
            if (s, e) == (gs, ge):
                problem(
                    None,
                    f"[{s}:{e}] is the gold extent itself (expected a different extent)",
                )
                continue
            if (s, e) in seen:
                problem(None, f"duplicate alternative [{s}:{e}] (expected each extent once)")
                continue
            seen.add((s, e))
            if not (s <= gs and ge <= e) and not (gs <= s and e <= ge):
                problem(
                    None,
                    f"[{s}:{e}] {short(text[s:e])} neither contains nor lies inside the gold extent "
                    f"[{gs}:{ge}] {short(text[gs:ge])} (expected one of the two to contain the other)",
                )
            for os_, oe, j, other in extents:
                if j != i and s < oe and os_ < e:
                    problem(
                        None,
                        f"[{s}:{e}] {short(text[s:e])} overlaps [{os_}:{oe}] {short(text[os_:oe])} "
                        f"at {_jp(other)} (expected an alternative that overlaps no other span of {layer})",
                    )
        for k, alt in enumerate(obj["alternatives"]):
            if _is_span(alt):
                extents.append((alt["start"], alt["end"], i, [layer, i, "alternatives", k]))
    return out


def validate_document(
    path: Path,
    seeds: Path,
    kb: Mapping[str, KBEntry] | None,
    *,
    root: Path | None = None,
) -> tuple[Document | None, list[Problem]]:
    """Validate one gold document against its seed text and the KB.

    Checks the schema, ``doc_id`` equal to the file stem, the seed's existence
    and ``text_sha256``, ``dct`` a real date, offsets inside the text, every
    ``text`` equal to its slice, spans sorted and unique, no overlapping
    entities or dates, TIMEX values on the real calendar, and every ``kb_id``
    and ``speaker`` in the KB with the KB's label and one of its surface forms.

    Args:
        path: ``annotations/<doc_id>.json``.
        seeds: the seed folder.
        kb: the KB by id, or ``None`` to skip the KB checks (KB itself invalid).
        root: the project folder, to shorten file names in problems.

    Returns:
        ``(document or None, problems)``.
    """
    display = _display(path, root)
    try:
        obj, locator = _read_json(path, display)
    except ValidationError as exc:
        return None, exc.problems
    problems = schema_problems(obj, "document", display, locate_line=locator)
    # go on past schema problems, checking whatever is well-typed, so that one run reports all
    if not isinstance(obj, dict):
        return None, problems

    def items(layer: str) -> list[Any]:
        value = obj.get(layer)
        return value if isinstance(value, list) else []

    doc_id = obj.get("doc_id")
    if not isinstance(doc_id, str):
        return None, problems
    if doc_id != path.stem:
        problems.append(
            Problem(
                display,
                locator(["doc_id"]),
                "$.doc_id",
                f"got {short(doc_id)}, expected the file's stem {path.stem!r}",
            )
        )
    seed = seeds / f"{doc_id}.txt"
    try:
        text = read_text(seed, display=_display(seed, root))
    except ValidationError as exc:
        problems.append(
            Problem(
                display,
                locator(["doc_id"]),
                "$.doc_id",
                f"no seed text for {doc_id!r}: {exc.problems[0].message} ({_display(seed, root)})",
            )
        )
        return None, problems
    sha = obj.get("text_sha256")
    if isinstance(sha, str) and sha != sha256_text(text):
        problems.append(
            Problem(
                display,
                locator(["text_sha256"]),
                "$.text_sha256",
                f"got {sha[:12]}…, expected {sha256_text(text)[:12]}… (the sha256 of {_display(seed, root)})",
            )
        )
    dct = obj.get("dct")
    if isinstance(dct, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", dct):
        try:
            dt.date.fromisoformat(dct)
        except ValueError:
            problems.append(
                Problem(
                    display,
                    locator(["dct"]),
                    "$.dct",
                    f"got {short(dct)}, expected a real calendar date YYYY-MM-DD",
                )
            )

    for layer in LAYER_NAMES:
        problems += check_spans(items(layer), text, layer, display, locator)
    problems += overlap_problems(items("entities"), "entities", display, locator)
    problems += overlap_problems(items("dates"), "dates", display, locator)
    problems += overlap_problems(
        items("quotes"), "quotes", display, locator, may_nest=indirect_may_nest
    )
    problems += alternative_problems(items("entities"), text, "entities", display, locator)
    problems += alternative_problems(items("dates"), text, "dates", display, locator)
    for layer in LAYER_NAMES:
        problems += word_cut_problems(items(layer), text, layer, display, locator)

    for i, d in enumerate(items("dates")):
        value = d.get("value") if isinstance(d, dict) else None
        bad = calendar_problem(value) if isinstance(value, str) else None
        if bad:
            problems.append(
                Problem(
                    display,
                    locator(["dates", i, "value"]),
                    _jp(["dates", i, "value"]),
                    f"got {short(value)}: {bad}",
                )
            )

    if kb is not None:
        for i, e in enumerate(items("entities")):
            if not isinstance(e, dict) or not isinstance(e.get("kb_id"), str):
                continue
            entry = kb.get(e["kb_id"])
            parts: list[PathPart] = ["entities", i, "kb_id"]
            if entry is None:
                problems.append(
                    Problem(
                        display,
                        locator(parts),
                        _jp(parts),
                        f"unknown kb_id {short(e['kb_id'])} (expected an id in kb.json; add the entity there)",
                    )
                )
                continue
            if e.get("label") in ENTITY_LABELS and entry.label != e["label"]:
                problems.append(
                    Problem(
                        display,
                        locator(["entities", i, "label"]),
                        _jp(["entities", i, "label"]),
                        f"got {short(e['label'])}, expected {entry.label!r}, the label of {entry.kb_id!r} in kb.json",
                    )
                )
            if isinstance(e.get("text"), str) and e["text"] not in entry.aliases:
                problems.append(
                    Problem(
                        display,
                        locator(["entities", i, "text"]),
                        _jp(["entities", i, "text"]),
                        f"surface {short(e['text'])} is not among the aliases of {entry.kb_id!r} (expected it listed in kb.json)",
                    )
                )
        for i, q in enumerate(items("quotes")):
            speaker = q.get("speaker") if isinstance(q, dict) else None
            if isinstance(speaker, str) and speaker not in kb:
                parts = ["quotes", i, "speaker"]
                problems.append(
                    Problem(
                        display,
                        locator(parts),
                        _jp(parts),
                        f"unknown speaker {short(speaker)} (expected a kb_id in kb.json or null)",
                    )
                )

    if problems:
        return None, sorted(problems, key=lambda p: p.line or 0)
    return document_from_json(obj, text), []
