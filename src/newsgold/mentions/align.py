"""Alignment ``alignment.v1``: mention strings to offsets in the text."""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem, ValidationError
from ..model import Document, Span
from .shape import (
    FUZZY_MIN_LENGTH,
    FUZZY_THRESHOLD,
    MENTION_LAYERS,
    STATUSES,
    VERSION,
    mention_problems,
)

_QUOTES = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2033": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u00b4": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
    }
)


# --------------------------------------------------------------------------- normalisation


def normalise(text: str) -> tuple[str, list[int]]:
    """``text`` normalised (white space, quotation marks, apostrophes, dashes, case),
    with the offset in ``text`` of each normalised code point.

    >>> normalise("A  \\u201cBig\\u201d\\u2014Deal")
    ('a "big"-deal', [0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    """
    chars: list[str] = []
    origin: list[int] = []
    space = False
    for i, c in enumerate(text):
        if c.isspace():
            if not space:
                chars.append(" ")
                origin.append(i)
            space = True
            continue
        space = False
        c = c.translate(_QUOTES)
        low = c.lower()
        chars.append(low if len(low) == 1 else c)
        origin.append(i)
    return "".join(chars), origin


def _cuts(left: str, right: str) -> bool:
    """Whether an edge between two code points cuts a word (``Russia|n``, ``U|SA``); a
    lower-case letter before a capital is a seam, not a cut (``World|Biden`` in a glued title)."""
    if not (left.isalnum() and right.isalnum()):
        return False
    return not (left.islower() and right.isupper())


def _occurrences(haystack: str, needle: str) -> list[int]:
    """Start offsets of ``needle`` in ``haystack``: those not cutting a word, else all."""
    starts = []
    i = haystack.find(needle)
    while i >= 0:
        starts.append(i)
        i = haystack.find(needle, i + 1)
    n = len(needle)

    def clean(s: int) -> bool:
        before = s > 0 and _cuts(haystack[s - 1], haystack[s])
        after = s + n < len(haystack) and _cuts(haystack[s + n - 1], haystack[s + n])
        return not before and not after

    whole = [s for s in starts if clean(s)]
    return whole or starts


@dataclass
class _Text:
    """A document's text, its normalised form and the word edges of that form."""

    text: str
    norm: str
    origin: list[int]
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, text: str) -> _Text:
        norm, origin = normalise(text)
        starts = [m.start() for m in re.finditer(r"\w+", norm)]
        ends = [m.end() for m in re.finditer(r"\w+", norm)]
        return cls(text, norm, origin, starts, ends)

    def span(self, nstart: int, nend: int) -> tuple[int, int]:
        """The original offsets of the normalised slice ``[nstart, nend)``."""
        return self.origin[nstart], self.origin[nend - 1] + 1


def _fuzzy(t: _Text, needle: str) -> list[tuple[float, int, int]]:
    """The best fuzzy windows (ratio, start, end; normalised offsets) at or above the threshold:
    every window with the top ratio, one per place (overlapping windows are one place)."""
    n = len(needle)
    lo, hi = int(n * FUZZY_THRESHOLD) - 1, int(n / FUZZY_THRESHOLD) + 2
    found: list[tuple[float, int, int]] = []
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(needle)
    for s in t.starts:
        for e in t.ends[bisect.bisect_left(t.ends, s + lo) :]:
            if e - s > hi:
                break
            matcher.set_seq1(t.norm[s:e])
            if (
                matcher.real_quick_ratio() < FUZZY_THRESHOLD
                or matcher.quick_ratio() < FUZZY_THRESHOLD
            ):
                continue
            r = matcher.ratio()
            if r >= FUZZY_THRESHOLD:
                found.append((r, s, e))
    if not found:
        return []
    top = max(r for r, _, _ in found)
    places: list[tuple[float, int, int]] = []
    for w in sorted(found, key=lambda w: (-w[0], w[1], w[2])):
        if top - w[0] > 1e-9:
            break
        if not any(w[1] < p[2] and p[1] < w[2] for p in places):
            places.append(w)
    return sorted(places, key=lambda w: w[1])


# --------------------------------------------------------------------------- the aligner


def _free_position(doc: Document) -> int:
    """The first code point outside every gold span (alternatives and cues included)."""
    covered = [0] * (len(doc.text) + 1)
    spans: list[tuple[int, int]] = []
    extents: list[tuple[int, int, tuple[Span, ...]]] = [
        (x.start, x.end, x.alternatives) for x in (*doc.entities,)
    ] + [(x.start, x.end, x.alternatives) for x in doc.dates]
    for start, end, alternatives in extents:
        spans.append((start, end))
        spans.extend((a.start, a.end) for a in alternatives)
    for quote in doc.quotes:
        spans.append((quote.start, quote.end))
        if quote.cue is not None:
            spans.append((quote.cue.start, quote.cue.end))
    for s, e in spans:
        covered[s] += 1
        covered[e] -= 1
    depth = 0
    for i in range(len(doc.text)):
        depth += covered[i]
        if depth == 0:
            return i
    raise ValidationError(
        [
            Problem(
                f"<{doc.doc_id}>",
                None,
                "$",
                "every code point lies in a gold span, so an unaligned mention has no place "
                "to count as spurious (expected a document with some text outside the gold)",
            )
        ]
    )


@dataclass
class _LayerStats:
    mentions: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    unaligned: list[dict[str, Any]] = field(default_factory=list)
    cues_unaligned: int = 0


class Aligner:
    """Aligns mentions objects to their documents and keeps the statistics of every call.

    Args:
        each_occurrence: align each distinct (text, fields) to every occurrence.
    """

    def __init__(self, each_occurrence: bool = False) -> None:
        self.each_occurrence = each_occurrence
        self.stats: dict[str, _LayerStats] = {}
        self.documents = 0

    def align(self, doc: Document, obj: Mapping[str, Any], source: str) -> dict[str, Any]:
        """One mentions object (already shape-checked) as a predictions record for ``doc``.

        Args:
            doc: the document (its gold places the placeholders of unaligned mentions).
            obj: the mentions object (``doc_id`` optional).
            source: how to name the object in problems.

        Returns:
            The JSON-shaped predictions record (``doc_id`` and the layers ``obj`` has).
        """
        problems = mention_problems(obj, source, None, doc_id_required=False)
        if problems:
            raise ValidationError(problems)
        self.documents += 1
        t = _Text.of(doc.text)
        record: dict[str, Any] = {"doc_id": doc.doc_id}
        free: list[int] = []

        def placeholder() -> tuple[int, int]:
            if not free:
                free.append(_free_position(doc))
            return free[0], free[0] + 1

        for layer in MENTION_LAYERS:
            if layer not in obj:
                continue
            stats = self.stats.setdefault(layer, _LayerStats())
            items: list[dict[str, Any]] = []
            if self.each_occurrence:
                self._each(t, layer, obj[layer], stats, items, placeholder, doc.doc_id)
            else:
                self._ordered(t, layer, obj[layer], stats, items, placeholder, doc.doc_id)
            record[layer] = items
        return record

    # ----------------------------------------------------------------- the two modes

    def _item(
        self, t: _Text, layer: str, mention: Mapping[str, Any], span: tuple[int, int] | None
    ) -> dict[str, Any]:
        out: dict[str, Any] = {k: v for k, v in mention.items() if k not in ("text", "cue")}
        if span is None:
            return out
        out = {"start": span[0], "end": span[1], "text": t.text[span[0] : span[1]], **out}
        return out

    def _cue(
        self, t: _Text, mention: Mapping[str, Any], span: tuple[int, int], stats: _LayerStats
    ) -> dict[str, Any] | None:
        cue = mention.get("cue")
        if not isinstance(cue, str) or not cue.strip():
            return None
        found = [(s, s + len(cue)) for s in _occurrences(t.text, cue)]
        if not found:
            ncue = normalise(cue.strip())[0]
            found = [t.span(s, s + len(ncue)) for s in _occurrences(t.norm, ncue)]
        if not found:
            stats.cues_unaligned += 1
            return None

        def distance(c: tuple[int, int]) -> tuple[int, int]:
            inside = span[0] <= c[0] and c[1] <= span[1]
            gap = max(span[0] - c[1], c[0] - span[1], 0)
            return (int(inside), gap)

        s, e = min(found, key=distance)
        return {"start": s, "end": e, "text": t.text[s:e]}

    def _finish(
        self,
        t: _Text,
        layer: str,
        mention: Mapping[str, Any],
        span: tuple[int, int] | None,
        status: str,
        stats: _LayerStats,
        items: list[dict[str, Any]],
        placeholder: Any,
        doc_id: str,
    ) -> None:
        stats.counts[status] += 1
        if span is None:
            stats.unaligned.append({"doc_id": doc_id, "text": mention["text"]})
            item = self._item(t, layer, mention, None)
            s, e = placeholder()
            item = {"start": s, "end": e, **item}
            if layer == "quotes":
                item["cue"] = None
            items.append(item)
            return
        item = self._item(t, layer, mention, span)
        if layer == "quotes":
            item["cue"] = self._cue(t, mention, span, stats)
        items.append(item)

    def _ordered(
        self,
        t: _Text,
        layer: str,
        mentions: Sequence[Mapping[str, Any]],
        stats: _LayerStats,
        items: list[dict[str, Any]],
        placeholder: Any,
        doc_id: str,
    ) -> None:
        used: set[tuple[int, int]] = set()
        previous = 0
        for mention in mentions:
            stats.mentions += 1
            span, status = self._locate(t, mention["text"], used, previous)
            if span is not None:
                used.add(span)
                previous = span[1]
            self._finish(t, layer, mention, span, status, stats, items, placeholder, doc_id)

    def _candidates(self, t: _Text, text: str) -> tuple[list[tuple[int, int]], str]:
        found = [(s, s + len(text)) for s in _occurrences(t.text, text)]
        if found:
            return found, "exact"
        needle = normalise(text)[0].strip()
        if not needle:
            return [], "unaligned"
        spans = [t.span(s, s + len(needle)) for s in _occurrences(t.norm, needle)]
        if spans:
            return spans, "normalised"
        if len(needle) >= FUZZY_MIN_LENGTH:
            windows = _fuzzy(t, needle)
            if windows:
                return [t.span(s, e) for _, s, e in windows], "fuzzy"
        return [], "unaligned"

    def _locate(
        self, t: _Text, text: str, used: set[tuple[int, int]], previous: int
    ) -> tuple[tuple[int, int] | None, str]:
        found, status = self._candidates(t, text)
        if not found:
            return None, "unaligned"
        unused = [c for c in found if c not in used]
        after = [c for c in unused if c[0] >= previous]
        if after:
            return after[0], status
        if not unused:  # said more often than written: a duplicate, spurious in the engine
            return found[0], status
        return unused[0], status if len(unused) == 1 else "ambiguous"

    def _each(
        self,
        t: _Text,
        layer: str,
        mentions: Sequence[Mapping[str, Any]],
        stats: _LayerStats,
        items: list[dict[str, Any]],
        placeholder: Any,
        doc_id: str,
    ) -> None:
        seen: set[str] = set()
        for mention in mentions:
            key = repr(sorted(mention.items()))
            if key in seen:
                continue
            seen.add(key)
            stats.mentions += 1
            found, status = self._candidates(t, mention["text"])
            if status == "fuzzy" and len(found) > 1:
                found, status = found[:1], "ambiguous"
            if not found:
                self._finish(t, layer, mention, None, status, stats, items, placeholder, doc_id)
                continue
            stats.counts[status] += 1
            for span in found:
                item = self._item(t, layer, mention, span)
                if layer == "quotes":
                    item["cue"] = self._cue(t, mention, span, stats)
                items.append(item)

    # ----------------------------------------------------------------- the report

    def section(self) -> dict[str, Any]:
        """The report's ``alignment`` section: version, mode, threshold, and per layer the
        mentions, count and rate of each status, and the unaligned strings."""
        layers: dict[str, Any] = {}
        for layer in MENTION_LAYERS:
            stats = self.stats.get(layer)
            if stats is None:
                continue
            n = stats.mentions
            layers[layer] = {
                "mentions": n,
                "counts": dict(stats.counts),
                "rates": {k: (v / n if n else None) for k, v in stats.counts.items()},
                "unaligned": list(stats.unaligned),
            }
            if layer == "quotes":
                layers[layer]["cues_unaligned"] = stats.cues_unaligned
        return {
            "version": VERSION,
            "mode": "each-occurrence" if self.each_occurrence else "ordered",
            "fuzzy_threshold": FUZZY_THRESHOLD,
            "fuzzy_min_length": FUZZY_MIN_LENGTH,
            "unaligned_counted_as": "spurious (a one-code-point placeholder outside every gold span)",
            "layers": layers,
        }
