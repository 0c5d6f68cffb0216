"""Predictions as strings: the ``mentions`` format and its alignment to the text (``alignment.v1``).

Language models answer with strings, not offsets. A *mentions* object gives,
per document, each layer as a list of strings with their fields and no
offsets, in order of appearance, a mention repeated as often as the system
saw it::

    {"doc_id": "...", "entities": [{"text": "Vladimir Putin", "label": "PER"}],
     "dates": [{"text": "Thursday", "type": "DATE", "value": "2021-12-30"}],
     "quotes": [{"text": "...", "kind": "direct", "speaker": "Putin", "cue": "said"}]}

(``newsgold score --format mentions`` reads a JSONL file of them; a callable
system may return the same shape: no ``start``/``end`` in any item.) Each
mention is *aligned* to an occurrence of its text, and the aligned mentions
become ordinary prediction records that go through the one check and the one
engine like every other input.

Alignment ``alignment.v1``, for each document and layer, mention by mention:

1. **exact**: the occurrences of the text in the document (occurrences whose
   edges do not cut a word are preferred, a lower-case letter before a capital
   being a seam rather than a cut, as in a glued ``WorldBiden``; a word piece is
   used only when there is no other). The mention takes the first unused occurrence starting at or
   after the end of the previous aligned mention of the same layer; failing that, any
   unused occurrence; failing that (the system repeated a mention more often
   than the text has it) an occurrence already used, which the engine then
   counts as a spurious duplicate.
2. **normalised**: the same search after normalising both sides: runs of white
   space become one space, typographic quotation marks and apostrophes become
   ``"`` and ``'``, dashes and hyphens become ``-``, case is folded, and white
   space at the mention's edges is dropped.
3. **fuzzy**: only for a (normalised) mention of at least
   :data:`FUZZY_MIN_LENGTH` (20) code points, such as a quote: the window of
   the normalised text, starting and ending at word edges, with the highest
   ``difflib.SequenceMatcher`` ratio, if that ratio is at least
   :data:`FUZZY_THRESHOLD` (0.9).
4. **unaligned**: the text is not in the document (a hallucination).

A mention whose occurrence cannot be chosen by the order (no unused occurrence
at or after the previous one, and several unused ones before it; or several
fuzzy windows equally good) gets the status **ambiguous** and the first of
them. A mention repeated more often than the text has it keeps the status of
its text (``exact``, ...) and goes to the first occurrence again. So every
mention gets exactly one status: ``exact``, ``normalised``, ``fuzzy``,
``ambiguous`` or ``unaligned``. A quote's ``cue`` (a string) is aligned to the
occurrence nearest the quote, exactly or after normalisation; a cue not found
is dropped (counted as ``cues_unaligned``).

With ``each_occurrence=True`` (``--each-occurrence``), for systems that list
types rather than mentions, each distinct (text, fields) is aligned to every
occurrence (exact ones, else normalised ones, else the best fuzzy window) and
the statuses count distinct mentions.

**Unaligned mentions count as spurious.** An unaligned mention becomes a
*placeholder* record: a one-code-point span, without ``text``, at the first
position of the document that lies outside every gold span of every layer
(alternatives and cues included), carrying the mention's fields. It overlaps no
gold span, so the one engine counts it as predicted and unmatched under every
metric, per label, per document and in every bootstrap resample; nothing in the
scorer changes. (Written back to a predictions file, placeholders keep those
offsets, and scoring that file gives the same figures.)

The report's ``alignment`` section (:meth:`Aligner.section`) gives the version,
the mode, the fuzzy threshold, and per layer the number of mentions, the count
and rate of each status, and the unaligned strings.

>>> from newsgold.model import Document
>>> doc = Document("d", "Putin met Biden. Putin left.", "2021-12-30", "r")
>>> aligner = Aligner()
>>> rec = aligner.align(doc, {"entities": [{"text": "Putin", "label": "PER"},
...     {"text": "putin", "label": "PER"}, {"text": "Obama", "label": "PER"}]}, "<m>")
>>> [(e["start"], e["end"], e.get("text")) for e in rec["entities"]]
[(0, 5, 'Putin'), (17, 22, 'Putin'), (0, 1, None)]
>>> aligner.section()["layers"]["entities"]["counts"]
{'exact': 1, 'normalised': 1, 'fuzzy': 0, 'ambiguous': 0, 'unaligned': 1}
"""

from __future__ import annotations

import bisect
import dataclasses
import difflib
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Problem, ValidationError, short
from .jsonio import decode_utf8, loads_json
from .model import Document, Gold, Span

VERSION = "alignment.v1"
FUZZY_THRESHOLD = 0.9
FUZZY_MIN_LENGTH = 20
STATUSES = ("exact", "normalised", "fuzzy", "ambiguous", "unaligned")
MENTION_LAYERS = ("entities", "dates", "quotes")

#: The keys a mention of each layer may carry (``text`` is required).
FIELDS: dict[str, frozenset[str]] = {
    "entities": frozenset({"text", "label", "kb_id", "score"}),
    "dates": frozenset({"text", "type", "value", "mod", "score"}),
    "quotes": frozenset({"text", "kind", "speaker", "cue", "score"}),
}

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


# --------------------------------------------------------------------------- the shape


def is_mentions_shape(obj: Mapping[str, Any]) -> bool:
    """Whether a system's output is in the mentions shape: some item, and none with offsets.

    >>> is_mentions_shape({"entities": [{"text": "Putin", "label": "PER"}]})
    True
    >>> is_mentions_shape({"entities": [{"start": 0, "end": 5, "label": "PER"}]})
    False
    >>> is_mentions_shape({"entities": []})
    False
    """
    items = [
        item for layer in MENTION_LAYERS if isinstance(obj.get(layer), list) for item in obj[layer]
    ]
    return bool(items) and all(
        isinstance(item, Mapping) and "start" not in item and "end" not in item for item in items
    )


def mention_problems(
    obj: Any, source: str, line: int | None, *, doc_id_required: bool = True
) -> list[Problem]:
    """Problems of one mentions object (its shape only: labels, types and values are left
    to the one check, which sees the aligned records).

    >>> [str(p) for p in mention_problems({"doc_id": "a", "entities": [{"label": "PER"}]}, "m.jsonl", 2)]
    ["m.jsonl:2: $.entities[0]: missing 'text' (expected a non-empty string: the mention as written in the text)"]
    """
    if not isinstance(obj, Mapping):
        return [Problem(source, line, "$", f"got {short(obj)} (expected a JSON object)")]
    problems: list[Problem] = []
    allowed = {"doc_id", *MENTION_LAYERS}
    for key in obj:
        if key not in allowed:
            problems.append(
                Problem(
                    source,
                    line,
                    f"$.{key}",
                    f"unknown key (expected one of {', '.join(sorted(allowed))})",
                )
            )
    if doc_id_required and not isinstance(obj.get("doc_id"), str):
        problems.append(
            Problem(source, line, "$.doc_id", f"got {short(obj.get('doc_id'))} (expected a string)")
        )
    for layer in MENTION_LAYERS:
        if layer not in obj:
            continue
        items = obj[layer]
        if not isinstance(items, list):
            problems.append(
                Problem(source, line, f"$.{layer}", f"got {short(items)} (expected a list)")
            )
            continue
        for i, item in enumerate(items):
            at = f"$.{layer}[{i}]"
            if not isinstance(item, Mapping):
                problems.append(
                    Problem(source, line, at, f"got {short(item)} (expected a JSON object)")
                )
                continue
            if "start" in item or "end" in item:
                problems.append(
                    Problem(
                        source,
                        line,
                        at,
                        "has offsets (expected a mention without start/end; "
                        "offsets belong in the jsonl format)",
                    )
                )
                continue
            text = item.get("text")
            if "text" not in item:
                problems.append(
                    Problem(
                        source,
                        line,
                        at,
                        "missing 'text' (expected a non-empty string: the mention as written in the text)",
                    )
                )
            elif not isinstance(text, str) or not text.strip():
                problems.append(
                    Problem(
                        source,
                        line,
                        f"{at}.text",
                        f"got {short(text)} (expected a non-empty string)",
                    )
                )
            for key in item:
                if key not in FIELDS[layer]:
                    problems.append(
                        Problem(
                            source,
                            line,
                            f"{at}.{key}",
                            f"unknown key (expected one of {', '.join(sorted(FIELDS[layer]))})",
                        )
                    )
            cue = item.get("cue")
            if layer == "quotes" and cue is not None and not isinstance(cue, str):
                problems.append(
                    Problem(
                        source,
                        line,
                        f"{at}.cue",
                        f"got {short(cue)} (expected a string, the reporting verb, or null)",
                    )
                )
    return problems


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


# --------------------------------------------------------------------------- the file format


def read_mentions(path: Path, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line, mentions object)`` of a mentions JSONL file, every shape problem raised at once.

    Raises:
        ValidationError: a line that is not JSON or not a mentions object (``FILE:LINE: $.path:``).
    """
    text = decode_utf8(path.read_bytes(), name)
    problems: list[Problem] = []
    rows: list[tuple[int, dict[str, Any]]] = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = loads_json(line, name, first_line=lineno)
        except ValidationError as exc:
            problems.extend(exc.problems)
            continue
        found = mention_problems(obj, name, lineno)
        if found:
            problems.extend(found)
        else:
            rows.append((lineno, dict(obj)))
    if problems:
        raise ValidationError(problems)
    return iter(rows)


def aligned_records(
    path: Path, gold: Gold, name: str, aligner: Aligner
) -> Iterator[tuple[int | None, Any]]:
    """The records of a mentions file, aligned: ``(line, predictions record)`` for the one check.

    A ``doc_id`` not in the gold passes unaligned (the one check reports it with its line).
    """
    for lineno, obj in read_mentions(path, name):
        doc = gold.docs.get(obj["doc_id"])
        if doc is None:
            yield lineno, {"doc_id": obj["doc_id"]}
            continue
        yield lineno, aligner.align(doc, obj, f"{name}:{lineno}")


_ACTIVE: ContextVar[Aligner | None] = ContextVar("newsgold_aligner", default=None)


def read_format(path: Path, gold: Gold, name: str) -> Iterator[tuple[int | None, Any]]:
    """The ``mentions`` format's reader: ordered alignment, or that of the :func:`aligning`
    block it runs in (which then holds the statistics)."""
    return aligned_records(path, gold, name, _ACTIVE.get() or Aligner())


@contextmanager
def aligning(each_occurrence: bool = False) -> Iterator[Aligner]:
    """Within the block, the ``mentions`` reader aligns with this aligner (and its mode), so
    ``score_file(..., format="mentions")`` leaves its statistics there.

    >>> with aligning() as aligner:
    ...     pass
    >>> aligner.section()["mode"]
    'ordered'
    """
    aligner = Aligner(each_occurrence)
    token = _ACTIVE.set(aligner)
    try:
        yield aligner
    finally:
        _ACTIVE.reset(token)


def with_alignment(report: Any, aligner: Aligner) -> Any:
    """The report with its ``alignment`` section (the figures are unchanged)."""
    return dataclasses.replace(report, data={**report.data, "alignment": aligner.section()})


def score_mentions_file(
    gold: Gold,
    path: str | Path,
    *,
    each_occurrence: bool = False,
    **options: Any,
) -> Any:
    """Score a mentions JSONL file: :func:`newsgold.scoring.score_file` with ``format="mentions"``
    (the one check, the one engine), plus the report's ``alignment`` section.

    Args:
        gold: the gold.
        path: the mentions file.
        each_occurrence: align each distinct (text, fields) to every occurrence.
        **options: passed to ``score_file`` (layers, scheme, n_bootstrap, seed, keep, ...).

    Returns:
        The report, with ``alignment``.
    """
    from .scoring import score_file

    with aligning(each_occurrence) as aligner:
        report = score_file(gold, path, format="mentions", **options)
    return with_alignment(report, aligner)


def as_mentions(record: Mapping[str, Any], text: str) -> dict[str, Any]:
    """A predictions record (with offsets) as a mentions object: each span's text in order of
    offsets, its fields kept, a quote's cue as its text (what an LLM would answer).

    >>> as_mentions({"doc_id": "d", "entities": [{"start": 4, "end": 9, "label": "PER"}]},
    ...     "Mr. Putin")
    {'doc_id': 'd', 'entities': [{'text': 'Putin', 'label': 'PER'}]}
    """
    out: dict[str, Any] = {"doc_id": record["doc_id"]}
    for layer in MENTION_LAYERS:
        if record.get(layer) is None:
            continue
        items = []
        for item in sorted(record[layer], key=lambda x: (x["start"], x["end"])):
            mention: dict[str, Any] = {"text": text[item["start"] : item["end"]]}
            mention.update(
                (k, v)
                for k, v in item.items()
                if k not in ("start", "end", "text", "cue") and k in FIELDS[layer]
            )
            if layer == "quotes":
                cue = item.get("cue")
                mention["cue"] = None if cue is None else text[cue["start"] : cue["end"]]
            items.append(mention)
        out[layer] = items
    return out


def summary(section: Mapping[str, Any]) -> str:
    """One line per layer of an ``alignment`` section, for the command's table.

    >>> a = Aligner()
    >>> _ = a.align(Document("d", "Putin.", "2021-12-30", "r"), {"entities": [{"text": "Putin"}]}, "<t>")
    >>> print(summary(a.section()))
    alignment.v1 (ordered): entities 1 strings: exact 1
    """
    parts = []
    for layer, stats in section["layers"].items():
        counts = ", ".join(f"{k} {v}" for k, v in stats["counts"].items() if v)
        parts.append(f"{layer} {stats['mentions']} strings: {counts or 'none'}")
    return f"{section['version']} ({section['mode']}): " + "; ".join(parts)
