"""The one check of predicted records, for every input path.

Every way predictions reach newsgold (a JSONL file, an adapter for CoNLL,
brat, spaCy, Hugging Face, TimeML or Label Studio, a callable or a
``--cmd`` program, ``newsgold validate --predictions``) ends as a stream of
JSON-shaped objects (:func:`newsgold.jsonio.prediction_to_json` turns records
into them) that goes through :func:`check_stream`. The rules are those of
``schemas/predictions.schema.json`` (with integers meaning JSON integers, see
:mod:`newsgold.schema`), plus:

- ``doc_id`` names a gold document, once per stream;
- offsets lie inside that document's text, ``start < end``, and ``text``
  (optional) equals the slice; a quote's ``cue`` likewise;
- spans may come in any order and repeat (a repeated span can be matched
  once; the others count as spurious);
- an entity ``label`` belongs to the label scheme (``--scheme``).

Problems are worded in one place: :func:`record_problems` (the JSON Schema
words shape errors; :func:`newsgold.validate.check_spans` words offsets).
Large inputs are checked a batch at a time by :func:`batch_ok`, a
column-wise verdict over the same rules (no per-span Python on the common
shape); only a batch it refuses is worded record by record. A test checks on
random valid and invalid records that the verdict and the wording agree.

>>> from newsgold.model import Document
>>> docs = {"d1": Document("d1", "Putin spoke.", "2021-12-30", "r")}
>>> problems = []
>>> batches = check_stream([(1, {"doc_id": "d1", "entities": [{"start": 0, "end": 5, "label": "PER"}]}),
...                         (2, {"doc_id": "d1"})], docs, ("PER",), "p.jsonl", problems)
>>> [len(b) for b in batches], [str(p) for p in problems]
([1], ["p.jsonl:2: $.doc_id: duplicate doc_id 'd1' (first on line 1; expected one prediction per document)"])
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import chain, repeat
from operator import contains, itemgetter
from typing import Any

import numpy as np

from . import model
from .errors import CappedProblems, Problem, short
from .model import Document

BATCH = 1024
"""Records checked together (at most)."""

MAX_BATCH_SPANS = 100_000
"""Spans checked together (at most): memory holds one batch, whatever the lines' size."""

TOP_KEYS = frozenset({"doc_id", "entities", "dates", "quotes"})
LAYER_KEYS: dict[str, frozenset[str]] = {
    "entities": frozenset({"start", "end", "text", "score", "label", "kb_id"}),
    "dates": frozenset({"start", "end", "text", "score", "type", "value", "mod"}),
    "quotes": frozenset({"start", "end", "text", "score", "kind", "speaker", "cue"}),
}
CUE_KEYS = frozenset({"start", "end", "text"})
# jsonschema applies "pattern" with re.search, so these do too (``$`` also matches before a final newline)
DOC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
KB_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_DATE_TYPES = frozenset(model.DATE_TYPES)
_DATE_MODS = frozenset((*model.DATE_MODS, None))
_QUOTE_KINDS = frozenset(model.QUOTE_KINDS)
_get: Any = dict.get
_START = itemgetter("start")
_END = itemgetter("end")


@cache
def date_value_patterns() -> dict[str, re.Pattern[str]]:
    """Date type → the compiled value pattern of the predictions schema (read from the schema)."""
    from .schema import load_schema

    rules = load_schema("predictions")["properties"]["dates"]["items"]["allOf"]
    out = {}
    for rule in rules:
        dtype = rule["if"]["properties"]["type"]["const"]
        out[dtype] = re.compile(rule["then"]["properties"]["value"]["pattern"])
    return out


# --------------------------------------------------------------------------- wording (one record)


class RecordLines(int):
    """A record's line number that also knows the line of each of its spans.

    Adapters of line-based formats (CoNLL, TimeML) yield it as a record's line, so
    that a problem with one span names the line where that span starts, not the
    record's (and, for a folder of files, the span's own file).

    >>> at = RecordLines(3, {("entities", 1): 7})
    >>> at, at.of("$.entities[1].label"), at.of("$.doc_id")
    (3, 7, 3)
    """

    parts: Mapping[tuple[str, int], int]
    #: the file the record was read from, when it is not the input's own name (a folder of
    #: one file per document: TimeML)
    file: str | None

    def __new__(
        cls, line: int, parts: Mapping[tuple[str, int], int], file: str | None = None
    ) -> RecordLines:
        self = super().__new__(cls, line)
        self.parts = parts
        self.file = file
        return self

    def of(self, path: str) -> int:
        """The line of the value at ``path`` (``$.entities[1]...``): its span's, else the record's."""
        m = _SPAN_PATH.match(path)
        found = self.parts.get((m.group(1), int(m.group(2)))) if m else None
        return int(self) if found is None else found


_SPAN_PATH = re.compile(r"\$\.(\w+)\[(\d+)\]")


def where(doc_id: str, line: int | None) -> str:
    """The JSON path prefix of a record: ``$`` on a numbered line, ``$[doc_id]`` otherwise."""
    return "$" if line is not None else f"$[{doc_id}]"


def record_problems(
    obj: Any,
    source: str,
    line: int | None,
    docs: Mapping[str, Document] | None,
    accepted: Iterable[str] | None,
) -> list[Problem]:
    """Every problem of one predicted record, worded (see the module docstring).

    Args:
        obj: the record as parsed JSON.
        source: the input's name for problems.
        line: its line number, or ``None`` (paths then start ``$[doc_id]``).
        docs: the gold documents (``None``: shape only).
        accepted: the entity labels the scheme accepts (``None``: any).

    Returns:
        The problems (empty when the record is valid).
    """
    found = _record_problems(obj, source, line, docs, accepted)
    if isinstance(line, RecordLines):  # each span's own line and file (CoNLL, TimeML)
        return [Problem(line.file or p.file, line.of(p.path), p.path, p.message) for p in found]
    return found


def _record_problems(
    obj: Any,
    source: str,
    line: int | None,
    docs: Mapping[str, Document] | None,
    accepted: Iterable[str] | None,
) -> list[Problem]:
    from .schema import schema_problems
    from .validate import check_spans

    prefix = "$"
    if line is None and isinstance(obj, Mapping) and isinstance(obj.get("doc_id"), str):
        prefix = where(obj["doc_id"], None)

    def at(path: str) -> str:
        return prefix + path[1:]

    problems = [
        Problem(p.file, p.line, at(p.path), p.message)
        for p in schema_problems(obj, "predictions", source, line=line)
    ]
    if docs is None or not isinstance(obj, Mapping):
        return problems
    doc_id = obj.get("doc_id")
    doc = docs.get(doc_id) if type(doc_id) is str else None
    if doc is None and problems:
        return problems
    if doc is None:
        known = ", ".join(sorted(docs)[:3]) + ("…" if len(docs) > 3 else "")
        return [
            Problem(
                source,
                line,
                at("$.doc_id"),
                f"unknown doc_id {short(obj['doc_id'])} (expected one of {known})",
            )
        ]
    for layer in LAYER_KEYS:
        # offsets too, even when the schema found something else: every problem at once
        if type(obj.get(layer)) is list:
            for p in check_spans(
                obj[layer],
                doc.text,
                layer,
                source,
                lambda _p: line,
                require_text=False,
                require_sorted=False,
            ):
                problems.append(Problem(p.file, p.line, at(p.path), p.message))
    if accepted is not None and type(obj.get("entities")) is list:
        allowed = frozenset(accepted)
        for i, e in enumerate(obj["entities"]):
            label = e.get("label") if isinstance(e, Mapping) else None
            if type(label) is str and label and label not in allowed:
                problems.append(
                    Problem(
                        source,
                        line,
                        at(f"$.entities[{i}].label"),
                        f"unknown label {short(e['label'])} ({_labels_expected(allowed)})",
                    )
                )
    return problems


def _labels_expected(allowed: frozenset[str]) -> str:
    """What an unknown label should have been: the scheme's labels, and ``--scheme`` only when
    the default scheme is the one in use (a scheme the user chose is not second-guessed)."""
    from .scoring.schemes import DEFAULT_SCHEME, SCHEMES

    named = [name for name, sch in SCHEMES.items() if frozenset(sch.accepted) == allowed]
    listed = f"expected one of {', '.join(sorted(allowed))}"
    if not named or DEFAULT_SCHEME in named:
        return f"{listed}; or pass a --scheme"
    return f"{listed}, the labels of the {named[0]} scheme"


# --------------------------------------------------------------------------- verdict (a batch)


def _count(items: list[Any], key: str) -> int:
    return sum(map(contains, items, repeat(key)))


def _offsets(values: list[Any]) -> Any:
    """Offsets as an int64 array, or ``None`` unless every value is a JSON integer in range."""
    if not values:
        return np.zeros(0, dtype=np.int64)
    if set(map(type, values)) != {int}:
        return None
    try:
        return np.array(values, dtype=np.int64)
    except OverflowError:
        return None


def _spans_ok(
    items: list[Any], owner: Any, lengths: Any, texts: Sequence[str]
) -> tuple[bool, Any, Any]:
    """Offsets of span objects: integers, inside their document, ``text`` equal to the slice."""
    try:
        s = _offsets(list(map(_START, items)))
        e = _offsets(list(map(_END, items)))
    except (KeyError, TypeError):
        return False, None, None
    if s is None or e is None:
        return False, None, None
    if not (np.all(s >= 0) and np.all(e > s) and np.all(e <= lengths[owner])):
        return False, None, None
    if _count(items, "text"):
        for k, item in enumerate(items):
            if "text" in item:
                t = item["text"]
                if type(t) is not str or texts[owner[k]][s[k] : e[k]] != t:
                    return False, None, None
    return True, s, e


_KEY_ORDER = ("label", "type", "value", "kind", "speaker", "mod", "kb_id", "cue", "text", "score")
"""Optional keys, the usually present first (once every key is accounted for, the rest are absent)."""


def _keys_ok(
    items: list[Any], allowed: frozenset[str], seen: dict[str, list[Any]]
) -> dict[str, int] | None:
    """How many items hold each allowed key, or ``None`` when any item is not an object or
    holds a key outside ``allowed`` (a missing ``start``/``end`` is found when the offsets are read).
    ``seen`` receives the value lists read on the way (``None`` for a missing key)."""
    if items and set(map(type, items)) != {dict}:
        return None
    n = len(items)
    total = sum(map(len, items))
    present = {"start": n, "end": n}
    rest = [k for k in _KEY_ORDER if k in allowed]
    for k, key in enumerate(rest):
        if total == sum(present.values()):
            present.update(dict.fromkeys(rest[k:], 0))  # every key is accounted for
            break
        values = list(map(_get, items, repeat(key)))
        seen[key] = values
        present[key] = n if None not in values else _count(items, key)
    if total != sum(present.values()):
        return None  # a key outside the schema
    return present


def _values(items: list[Any], key: str, present: int, seen: dict[str, list[Any]]) -> list[Any]:
    """The values of ``key`` in the items that hold it."""
    if present == len(items) and key in seen:
        return seen[key]
    if present == len(items):
        return list(map(itemgetter(key), items))
    return [x.get(key) for x in items if key in x]


def _layer_ok(
    layer: str,
    items: list[Any],
    owner: Any,
    lengths: Any,
    texts: Sequence[str],
    accepted: frozenset[str] | None,
    read: dict[str, Any] | None = None,
) -> bool:
    seen: dict[str, list[Any]] = {}
    present = _keys_ok(items, LAYER_KEYS[layer], seen)
    if present is None:
        return False
    ok, s, e = _spans_ok(items, owner, lengths, texts)
    if not ok:
        return False
    if read is not None:  # what was read, for the engine (it need not read the spans again)
        read[layer] = Columns(owner, s, e, items, seen, present)
    if present["score"]:
        for v in _values(items, "score", present["score"], seen):
            if type(v) not in (int, float) or (type(v) is float and not math.isfinite(v)):
                return False
    if layer == "entities":
        if present["label"]:
            labels = set(_values(items, "label", present["label"], seen))
            if not all(type(x) is str and x for x in labels):
                return False
            if accepted is not None and not labels <= accepted:
                return False
        if present["kb_id"]:
            for v in set(_values(items, "kb_id", present["kb_id"], seen)) - {None}:
                if type(v) is not str or not KB_ID.search(v):
                    return False
    elif layer == "dates":
        types = _values(items, "type", present["type"], seen)
        if present["type"] and not set(types) <= _DATE_TYPES:
            return False
        if present["mod"] and not set(_values(items, "mod", present["mod"], seen)) <= _DATE_MODS:
            return False
        if present["value"]:
            patterns = date_value_patterns()
            pairs = {(x.get("type"), x["value"]) for x in items if "value" in x}
            for dtype, value in pairs:
                if value is None:
                    continue
                if type(value) is not str:
                    return False
                if dtype is not None and not patterns[dtype].search(value):
                    return False
    else:
        if (
            present["kind"]
            and not set(_values(items, "kind", present["kind"], seen)) <= _QUOTE_KINDS
        ):
            return False
        if present["speaker"]:
            if not all(
                v is None or type(v) is str
                for v in _values(items, "speaker", present["speaker"], seen)
            ):
                return False
        if present["cue"]:
            cues = [
                (k, x["cue"]) for k, x in enumerate(items) if "cue" in x and x["cue"] is not None
            ]
            if cues:
                cue_items = [c for _, c in cues]
                if _keys_ok(cue_items, CUE_KEYS, {}) is None:
                    return False
                ok, _, _ = _spans_ok(cue_items, owner[[k for k, _ in cues]], lengths, texts)
                if not ok:
                    return False
    return True


@dataclass(frozen=True)
class Columns:
    """One layer of a checked batch as read by :func:`batch_ok`.

    Attributes:
        owner: the record (its index in the batch) of each span.
        start, end: the offsets, int64 arrays.
        items: the span objects.
        values: key → list of values already read (``None`` where absent).
        present: key → how many spans hold it.
    """

    owner: Any
    start: Any
    end: Any
    items: list[Any]
    values: dict[str, list[Any]]
    present: dict[str, int]

    def get(self, key: str) -> list[Any]:
        """The value of ``key`` of every span (``None`` where absent)."""
        got = self.values.get(key)
        if got is not None:
            return got
        if not self.present.get(key):
            return [None] * len(self.items)
        return list(map(_get, self.items, repeat(key)))


class Batch(list[dict[str, Any]]):
    """Valid records of a stream, with the columns the check read when it read them all."""

    columns: dict[str, Columns] | None = None


def batch_ok(
    objs: Sequence[Any],
    docs: Mapping[str, Document],
    accepted: frozenset[str] | None,
    read: dict[str, Any] | None = None,
) -> bool:
    """Whether every record of a batch is valid (no wording; see :func:`record_problems`).

    Args:
        objs: parsed records.
        docs: the gold documents.
        accepted: the entity labels the scheme accepts (``None``: any).

        read: receives, per layer, the :class:`Columns` read on the way.

    Returns:
        ``True`` when :func:`record_problems` would find nothing in any of them.
    """
    if not objs or set(map(type, objs)) != {dict}:
        return not objs
    if not all(map(TOP_KEYS.issuperset, objs)):
        return False
    ids = list(map(dict.get, objs, repeat("doc_id")))
    if not all(type(d) is str and d in docs and DOC_ID.search(d) for d in ids):
        return False
    texts = [docs[str(d)].text for d in ids]
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    for layer in LAYER_KEYS:
        lists = [o[layer] for o in objs if layer in o]
        if not lists:
            continue
        if set(map(type, lists)) != {list}:
            return False
        owners = [k for k, o in enumerate(objs) if layer in o]
        sizes = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
        owner = np.repeat(np.array(owners, dtype=np.int64), sizes)
        items = list(chain.from_iterable(lists))
        try:
            if not _layer_ok(layer, items, owner, lengths, texts, accepted, read):
                return False
        except (TypeError, KeyError):  # an unhashable or missing value: the wording finds it
            return False
    return True


# --------------------------------------------------------------------------- the stream


def duplicate_problem(source: str, line: int | None, doc_id: str, first: int | None) -> Problem:
    """The one wording of a ``doc_id`` given twice."""
    first_at = f"line {first}" if first is not None else "an earlier record"
    return Problem(
        source,
        line,
        where(doc_id, line) + ".doc_id",
        f"duplicate doc_id {doc_id!r} (first on {first_at}; expected one prediction per document)",
    )


def check_stream(
    records: Iterable[tuple[int | None, Any]],
    docs: Mapping[str, Document] | None,
    accepted: Iterable[str] | None,
    source: str,
    problems: list[Problem],
    *,
    batch: int = BATCH,
) -> Iterator[Batch]:
    """Check a stream of records; yield the valid ones in batches, collect the problems.

    Args:
        records: ``(line or None, parsed record or Problem)`` pairs; a
            :class:`Problem` (a line that did not parse) is passed on as a problem.
        docs: the gold documents (``None``: shape only, no ``doc_id`` or offset checks).
        accepted: the entity labels of the scheme (``None``: any).
        source: the input's name for problems.
        problems: receives every problem; the caller must look at it when the
            iterator is exhausted (nothing is dropped silently).
        batch: records per batch.

    Yields:
        Lists of valid records, in input order.
    """
    acc = None if accepted is None else frozenset(accepted)
    seen: dict[str, int | None] = {}
    pending: list[tuple[int | None, Any]] = []
    spans = 0

    def settle() -> Batch:
        objs = [o for _, o in pending if not isinstance(o, Problem)]
        read: dict[str, Any] = {}
        verdict = docs is not None and len(objs) == len(pending) and batch_ok(objs, docs, acc, read)
        out = Batch()
        for ln, obj in pending:  # problems in input order
            if isinstance(obj, Problem):
                problems.append(obj)
                continue
            found = [] if verdict else record_problems(obj, source, ln, docs, acc)
            problems.extend(found)
            doc_id = obj.get("doc_id") if isinstance(obj, dict) else None
            if type(doc_id) is str and (docs is None or doc_id in docs):
                # a document given twice is a problem whether or not either record is valid
                if doc_id in seen:
                    problems.append(duplicate_problem(source, ln, doc_id, seen[doc_id]))
                    continue
                seen[doc_id] = ln
            if not found:
                out.append(obj)
        if verdict and len(out) == len(objs):
            out.columns = read
        pending.clear()
        return out

    capped = problems if isinstance(problems, CappedProblems) and problems.stop else None
    for line, obj in records:
        if capped is not None and capped.full:  # the count line tells the rest was not read
            capped.stopped = True
            break
        doc_id = obj.get("doc_id") if isinstance(obj, dict) else None
        if docs is not None and not (type(doc_id) is str and doc_id in docs):
            # not a record of a known document: settle what is pending, then word this one at
            # once (an unknown doc_id can be any size: it is never held)
            if pending:
                yield settle()
                spans = 0
            pending.append((line, obj))
            settle()
            continue
        pending.append((line, obj))
        if isinstance(obj, dict):
            spans += sum(len(v) for v in obj.values() if type(v) is list)
        if len(pending) >= batch or spans >= MAX_BATCH_SPANS:
            yield settle()
            spans = 0
    if pending:
        yield settle()
