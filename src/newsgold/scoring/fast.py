"""Scoring a predictions JSONL file at the speed of parsing it.

:func:`score_jsonl` gives exactly the report of
``score(gold, iter_predictions(path, ...))`` but streams the file in batches
of lines and does the per-span work with numpy instead of per-span Python:

1. Lines are parsed a chunk at a time, by orjson when it is installed (else
   the standard library's C scanner), without per-line Python wrappers. A
   line with a backslash, ``true``/``false`` or anything odd takes the strict
   decoder of :mod:`newsgold.jsonio` instead. Duplicate keys, which a plain parser
   silently collapses, are caught per batch by counting ``"`` characters: two
   per string, and the parsed objects say how many strings there must be; on a
   mismatch every line of the batch goes through the strict decoder, which
   words the error.
2. The schema's rules for entity spans are checked over the whole batch at
   once (key sets, integer offsets, labels of the scheme, offsets inside the
   text, no span repeated right after itself). Lines with dates or quotes, and
   anything suspicious, go to :func:`newsgold.validate.check_prediction`, the
   reference check (with its hand-written schema fast path), which words every
   problem; a line it accepts is scored the reference way.
3. Entity matching is vectorised: with document offsets laid end to end, the
   gold spans of the whole corpus are one sorted array, and two binary
   searches find, for every prediction, the gold spans it overlaps. Documents
   where every span overlaps at most one span on the other side (nearly all)
   are counted with ``bincount``; the others go through :func:`.matching.match`,
   the same optimal matching :func:`newsgold.scoring.score` uses.

Memory holds one batch of lines plus one row of counts per document.
"""

from __future__ import annotations

import gc
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import Problem, ValidationError
from ..fastcheck import DOC_ID, ENTITY_KEYS, KB_ID, TOP_KEYS
from ..jsonio import MAX_LINE_BYTES, decode_utf8, loads_json
from ..model import Gold, Prediction
from ..validate import check_prediction
from . import Report, _cached, _check_args, _finish, _gold_tuples, _Scorer
from . import dates as dates_layer
from . import entities as entities_layer
from . import quotes as quotes_layer
from .schemes import Scheme, get_scheme

BATCH = 512
"""Lines handled together."""


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


_FAST_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
_SCAN = _FAST_DECODER.scan_once  # type: ignore[attr-defined]  # the C scanner itself

_ORJSON: Any
try:
    import orjson as _ORJSON
except ImportError:  # pragma: no cover - orjson is a dependency; the standard library also works
    _ORJSON = None
_GET_START = itemgetter("start")
_GET_END = itemgetter("end")
_GET_LABEL = itemgetter("label")


def _get_label(ent: dict[str, Any]) -> Any:
    return ent.get("label")


def _nothing() -> None:
    return None


@dataclass(frozen=True)
class _FastGold:
    doc_ids: list[str]
    index: dict[str, int]
    lengths: Any  # text length per document
    base: Any  # global offset of each document's first code point
    g_start: Any  # gold entities, global offsets, sorted
    g_end: Any
    g_label: Any  # evaluation label codes
    g_kb: Any  # kb codes, -1 for none
    g_doc: Any
    monotone: bool  # gold spans never overlap: both arrays sorted
    kb_codes: dict[str, int]
    empty: dict[str, Any]  # layer → (documents × columns) rows of predicting nothing


def _fast_gold(gold: Gold, sch: Scheme) -> _FastGold:
    def make() -> _FastGold:
        tuples = _gold_tuples(gold, sch)
        doc_ids = list(gold.docs)
        lengths = np.array([len(gold.docs[d].text) for d in doc_ids], dtype=np.int64)
        base = np.concatenate(([0], np.cumsum(lengths + 1)[:-1])).astype(np.int64)
        code = {lab: i for i, lab in enumerate(sch.labels)}
        kb_codes: dict[str, int] = {}
        gs, ge, gl, gk, gd = [], [], [], [], []
        for i, d in enumerate(doc_ids):
            for s, e, lab, kb in sorted(tuples.entities[d], key=lambda t: (t[0], t[1])):
                gs.append(s + int(base[i]))
                ge.append(e + int(base[i]))
                gl.append(code[lab])
                gk.append(-1 if kb is None else kb_codes.setdefault(kb, len(kb_codes)))
                gd.append(i)
        g_start = np.array(gs, dtype=np.int64)
        g_end = np.array(ge, dtype=np.int64)
        monotone = bool(np.all(g_start[1:] >= g_end[:-1])) if len(gs) > 1 else True
        labels = sch.labels
        empty = {
            "entities": np.array(
                [entities_layer.doc_counts(tuples.entities[d], [], labels) for d in doc_ids],
                dtype=np.float64,
            ).reshape(len(doc_ids), -1),
            "dates": np.array(
                [dates_layer.doc_counts(tuples.dates[d], []) for d in doc_ids], dtype=np.float64
            ).reshape(len(doc_ids), -1),
            "quotes": np.array(
                [quotes_layer.doc_counts(tuples.quotes[d], []) for d in doc_ids], dtype=np.float64
            ).reshape(len(doc_ids), -1),
        }
        return _FastGold(
            doc_ids,
            {d: i for i, d in enumerate(doc_ids)},
            lengths,
            base,
            g_start,
            g_end,
            np.array(gl, dtype=np.int64),
            np.array(gk, dtype=np.int64),
            np.array(gd, dtype=np.int64),
            monotone,
            kb_codes,
            empty,
        )

    return _cached(gold, "fast:" + sch.name, make)  # type: ignore[no-any-return]


class _Batch:
    def __init__(self) -> None:
        self.lines: list[tuple[int, dict[str, Any]]] = []  # (line number, parsed)
        self.raw: dict[int, bytes] = {}  # line number → raw bytes, for the strict decoder
        self.quotes = 0  # '"' characters in the batch's entity-only lines
        self.pending: set[str] = set()  # their documents

    def clear(self) -> None:
        self.lines.clear()
        self.raw.clear()
        self.quotes = 0
        self.pending.clear()


def score_jsonl(
    gold: Gold,
    path: Path,
    *,
    layers: Sequence[str] | None = None,
    scheme: str | Scheme = "newsgold",
    n_bootstrap: int = 1000,
    seed: int = 0,
    corpus_version: str = "unreleased",
    display: str | None = None,
) -> Report:
    """Score a predictions JSONL file (streamed) against the gold.

    The same report as :func:`newsgold.scoring.score` over
    :func:`newsgold.validate.iter_predictions`, and the same problems for bad
    lines, only faster (see the module docstring).

    Args:
        gold: the gold.
        path: the JSONL file.
        layers: layers to score (default: those the predictions carry).
        scheme: the label scheme.
        n_bootstrap: bootstrap resamples.
        seed: the bootstrap's seed.
        corpus_version: recorded in the report.
        display: the file name used in problems (default: the path).

    Returns:
        The :class:`~newsgold.scoring.Report`.

    Raises:
        ValidationError: every problem of every line.
    """
    sch = scheme if isinstance(scheme, Scheme) else get_scheme(scheme)
    wanted = _check_args(layers, n_bootstrap)
    name = display or str(path)
    fg = _fast_gold(gold, sch)
    run = _Run(gold, sch, fg, name)
    if not path.exists():
        raise ValidationError([Problem(name, None, "$", "no such file")])
    if path.is_dir():
        raise ValidationError([Problem(name, None, "$", "is a directory (expected a JSONL file)")])
    # The batches create and drop millions of small containers; with a large gold alive, the
    # cyclic garbage collector would rescan it again and again (nothing here makes cycles).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        _stream(run, path)
    finally:
        if gc_was_enabled:
            gc.enable()
    if run.problems:
        # batches settle later than single lines: restore line order (stable within a line)
        raise ValidationError(sorted(run.problems, key=lambda p: p.line or 0))
    missing = [d for d in fg.doc_ids if d not in run.seen]
    return _finish(
        gold,
        sch,
        wanted,
        fg.doc_ids,
        missing,
        run.mats,
        run.predicted,
        run.set_aside,
        n_bootstrap,
        seed,
        corpus_version,
    )[0]


def _stream(run: _Run, path: Path) -> None:
    with path.open("rb") as fh:
        batch = _Batch()
        chunk: list[tuple[int, bytes]] = []
        for lineno, raw in enumerate(fh, start=1):
            if len(raw) > MAX_LINE_BYTES:
                run.line(lineno, raw, batch)  # reports it
            elif not raw.isspace():
                chunk.append((lineno, raw))
                if len(chunk) >= BATCH:
                    run.lines(chunk, batch)
                    chunk = []
        if chunk:
            run.lines(chunk, batch)
        run.flush(batch)


class _Run:
    def __init__(self, gold: Gold, sch: Scheme, fg: _FastGold, name: str) -> None:
        self.gold = gold
        self.sch = sch
        self.fg = fg
        self.name = name
        self.problems: list[Problem] = []
        self.seen: dict[str, int] = {}
        self.mats = {layer: rows.copy() for layer, rows in fg.empty.items()}
        self.predicted: set[str] = set()
        self.set_aside: Counter[str] = Counter()
        self.slow = _Scorer(gold, sch, check=False, source=name)
        self.accepted = frozenset(sch.accepted)
        self.codes: dict[Any, int] = {None: -1}
        for label, (kind, target) in sch.pred_map.items():
            self.codes[label] = sch.labels.index(target) if kind == "entity" else -2
        self.has_dates_target = any(kind == "date" for kind, _ in sch.pred_map.values())
        self.resolve = self.slow.resolve

    # ------------------------------------------------------------------ per line

    def _word(self, lineno: int, obj: Any) -> list[Problem]:
        return check_prediction(obj, self.name, lineno, self.gold.docs, labels=self.accepted)

    def line(self, lineno: int, raw: bytes, batch: _Batch) -> None:
        if len(raw) > MAX_LINE_BYTES:
            self.problems.append(
                Problem(
                    self.name,
                    lineno,
                    "$",
                    f"line too long ({len(raw)} bytes, expected at most {MAX_LINE_BYTES})",
                )
            )
            return
        if not raw.strip():
            return
        # Duplicate keys: the C parser keeps the last value silently. A line with only
        # entities and no backslash is checked per batch by counting '"' characters
        # (two per string: keys and string values); any other line takes the strict decoder.
        quick = (
            b"\\" not in raw
            and b"true" not in raw
            and b"false" not in raw
            and (lineno > 1 or not raw.startswith(b"\xef\xbb\xbf"))
        )
        obj = None
        if quick:
            try:
                obj = _FAST_DECODER.decode(raw.decode("utf-8"))
            except ValueError:
                quick = False
        if not (quick and type(obj) is dict and not ("dates" in obj or "quotes" in obj)):
            obj = self._strict_parse(lineno, raw)
            if obj is None:
                return
            quick = False
        self._accept(lineno, raw, obj, quick, batch)

    def lines(self, chunk: list[tuple[int, bytes]], batch: _Batch) -> None:
        """Many lines at once: one scan for what needs the careful path, one decode, C parsing.

        Falls back to :meth:`line` for the whole chunk, or for single lines, on anything unusual.
        """
        joined = b"".join(raw for _, raw in chunk)
        if (
            b"\\" in joined
            or b"true" in joined
            or b"false" in joined
            or (chunk[0][0] == 1 and joined.startswith(b"\xef\xbb\xbf"))
        ):
            self._one_by_one(chunk, batch)
            return
        if _ORJSON is not None:
            # orjson parses about twice as fast as the standard library; whatever it refuses
            # (or reads differently: huge integers become floats, which fail the offset
            # checks) takes the careful path, so the result is the same either way
            try:
                objs = list(map(_ORJSON.loads, [raw for _, raw in chunk]))
            except ValueError:
                self._one_by_one(chunk, batch)
                return
            for (lineno, raw), obj in zip(chunk, objs, strict=True):
                if type(obj) is not dict or "dates" in obj or "quotes" in obj:
                    self.line(lineno, raw, batch)
                else:
                    self._accept(lineno, raw, obj, True, batch)
                if len(batch.lines) >= BATCH:
                    self.flush(batch)
            return
        try:
            parts = joined.decode("utf-8").split("\n")
        except UnicodeDecodeError:
            self._one_by_one(chunk, batch)
            return
        if parts and parts[-1] == "":
            parts.pop()
        if len(parts) != len(chunk):
            self._one_by_one(chunk, batch)
            return
        try:
            results = list(map(_SCAN, parts, repeat(0)))
        except (StopIteration, ValueError, RecursionError):
            self._one_by_one(chunk, batch)
            return
        for (lineno, raw), part, (obj, end) in zip(chunk, parts, results, strict=True):
            if end != len(part) or type(obj) is not dict or "dates" in obj or "quotes" in obj:
                self.line(lineno, raw, batch)
            else:
                self._accept(lineno, raw, obj, True, batch)
            if len(batch.lines) >= BATCH:
                self.flush(batch)

    def _one_by_one(self, chunk: list[tuple[int, bytes]], batch: _Batch) -> None:
        for lineno, raw in chunk:
            self.line(lineno, raw, batch)
            if len(batch.lines) >= BATCH:
                self.flush(batch)

    def _accept(self, lineno: int, raw: bytes, obj: Any, quick: bool, batch: _Batch) -> None:
        """The checks of one parsed line before its entities join the batch (or the slow path).

        A quickly parsed line that fails a check is parsed again by the strict decoder, whose
        object (and error) are the reference's.
        """
        doc_id = obj.get("doc_id") if type(obj) is dict else None
        if (
            type(obj) is not dict
            or not TOP_KEYS.issuperset(obj)
            or type(doc_id) is not str
            or not DOC_ID.search(doc_id)
            or doc_id not in self.fg.index
        ):
            if quick:
                obj = self._strict_parse(lineno, raw)
                if obj is None:
                    return
            self.problems += self._word(lineno, obj)
            return
        if doc_id in batch.pending:
            # an earlier line of this document is still pending: settle whether it was valid first
            self.flush(batch)
        if doc_id in self.seen:
            # as the reference path does: the line's own problems first, else the duplicate
            if quick:
                obj = self._strict_parse(lineno, raw)
                if obj is None:
                    return
            found = self._word(lineno, obj)
            self.problems += found or [
                Problem(
                    self.name,
                    lineno,
                    "$.doc_id",
                    f"duplicate doc_id {doc_id!r} (first on line {self.seen[doc_id]}; expected one line per document)",
                )
            ]
            return
        if quick:
            self.seen[doc_id] = lineno  # tentatively: dropped again if the line turns out invalid
            batch.pending.add(doc_id)
            batch.quotes += raw.count(b'"')
            batch.raw[lineno] = raw
            batch.lines.append((lineno, obj))
        elif self._slow_line(lineno, obj):
            self.seen[doc_id] = lineno

    def _strict_parse(self, lineno: int, raw: bytes) -> Any:
        """The reference decoder, which words what is wrong with the line."""
        try:
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raise ValidationError(
                    [
                        Problem(
                            self.name,
                            1,
                            "$",
                            "UTF-8 byte-order mark (BOM) at the start (expected UTF-8 without BOM)",
                        )
                    ]
                )
            return loads_json(decode_utf8(raw, self.name, lineno), self.name, lineno)
        except ValidationError as exc:
            self.problems.append(exc.problems[0])
            return None

    # ------------------------------------------------------------------ per batch

    def _slow_line(self, lineno: int, obj: dict[str, Any]) -> bool:
        """The reference path for one line: the full check, then per-document scoring."""
        from ..jsonio import prediction_from_json

        found = self._word(lineno, obj)
        if found:
            self.problems += found
            return False
        pred = prediction_from_json(obj)
        self._score_slow(pred)
        return True

    def _score_slow(self, pred: Prediction) -> None:
        slow = self.slow
        slow.rows.pop(pred.doc_id, None)
        before = Counter(slow.set_aside)
        slow.add(pred)
        i = self.fg.index[pred.doc_id]
        ent, dts, qts = slow.rows.pop(pred.doc_id)
        self.mats["entities"][i] = ent
        self.mats["dates"][i] = dts
        self.mats["quotes"][i] = qts
        self.predicted |= slow.predicted
        self.set_aside += slow.set_aside - before

    def flush(self, batch: _Batch) -> None:
        try:
            self._flush(batch)
        finally:
            batch.clear()

    def _flush(self, batch: _Batch) -> None:
        lines = list(batch.lines)
        if not lines:
            return
        if any("entities" in o for _, o in lines):
            self.predicted.add("entities")
        ok, strings, commit = self._entities_batch(lines)
        # two '"' per string: keys, the doc_id and every string value; more means a duplicate key
        if ok and 2 * (strings + sum(len(o) + 1 for _, o in lines)) == batch.quotes:
            commit()
            return
        for lineno, obj in lines:
            strict = self._strict_parse(lineno, batch.raw[lineno])
            if strict is None or not self._slow_line(lineno, strict):
                self.seen.pop(obj["doc_id"], None)

    def _entities_batch(
        self, lines: list[tuple[int, dict[str, Any]]]
    ) -> tuple[bool, int, Callable[[], None]]:
        """Check the entity layer of a batch of entity-only lines.

        Returns:
            ``(ok, strings, commit)``: ``ok`` is ``False`` when a line needs the
            reference path; ``strings`` counts the keys and string values of the
            entity objects; ``commit()`` records the counts.
        """
        fail = (False, 0, _nothing)
        fg = self.fg
        lines = [(ln, o) for ln, o in lines if "entities" in o]
        if not lines:
            return True, 0, _nothing
        if not all(type(o["entities"]) is list for _, o in lines):
            return fail
        docs = np.array([fg.index[o["doc_id"]] for _, o in lines], dtype=np.int64)
        lists = [o["entities"] for _, o in lines]
        lens = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
        ents: list[Any] = list(chain.from_iterable(lists))
        n = len(ents)
        strings = 0
        starts: Sequence[Any]
        ends: Sequence[Any]
        labels: Sequence[Any]
        if n:
            codes_of = self.codes
            try:  # the common shape: start, end, label in every entity (a non-object raises)
                starts = list(map(_GET_START, ents))
                ends = list(map(_GET_END, ents))
                labels = list(map(_GET_LABEL, ents))
                common = True
            except (KeyError, TypeError):
                common = False
            if common:
                # Exactly these three keys: any other key adds '"' characters that the
                # duplicate-key count in _flush (which assumes 4 strings per entity) then misses.
                # Offsets: quick lines hold no true/false literal, so an int64 array means ints.
                try:
                    label_set = set(labels)
                except TypeError:  # an unhashable label: the reference check words it
                    return fail
                if None in label_set or not label_set <= codes_of.keys():
                    return fail
                optional = False
                strings = 4 * n  # three keys and the label
            else:
                if set(map(type, ents)) != {dict}:
                    return fail
                keysets = set(map(tuple, ents))
                optional = False
                all_labelled = True
                for ks in keysets:
                    if not ENTITY_KEYS.issuperset(ks) or "start" not in ks or "end" not in ks:
                        return fail
                    optional = optional or bool(set(ks) - {"start", "end", "label"})
                    all_labelled = all_labelled and "label" in ks
                starts = list(map(_GET_START, ents))
                ends = list(map(_GET_END, ents))
                if not set(map(type, chain(starts, ends))) <= {int}:
                    return fail
                labels = list(map(_GET_LABEL if all_labelled else _get_label, ents))
                try:
                    if not set(labels) <= codes_of.keys():
                        return fail
                except TypeError:  # an unhashable label: the reference check words it
                    return fail
                missing = sum(1 for x in ents if "label" not in x) if not all_labelled else 0
                if labels.count(None) != missing:
                    return fail  # an explicit null label is not a missing one
                strings = sum(map(len, ents)) + n - missing
            if self.has_dates_target and any(
                self.sch.pred_map[lab][0] == "date" for lab in set(labels) if lab is not None
            ):
                return fail
            try:
                s = np.array(starts)
                e = np.array(ends)
            except (ValueError, OverflowError):
                return fail
            if s.dtype != np.int64 or e.dtype != np.int64:
                return fail
            span_doc = np.repeat(docs, lens)
            if not (np.all(s >= 0) and np.all(e > s) and np.all(e <= fg.lengths[span_doc])):
                return fail
            # the reference check refuses a span repeated right after itself in a line
            if np.any((s[1:] == s[:-1]) & (e[1:] == e[:-1]) & (span_doc[1:] == span_doc[:-1])):
                return fail
            kb = np.full(n, -1, dtype=np.int64)
            if optional:
                extra = self._optional_ok(ents, span_doc, kb)
                if extra < 0:
                    return fail
                strings += extra
            code = np.array(list(map(codes_of.__getitem__, labels)), dtype=np.int64)
        else:
            s = e = kb = code = np.zeros(0, dtype=np.int64)
            span_doc = np.zeros(0, dtype=np.int64)
            labels = []
        if not fg.monotone:
            return fail

        def commit() -> None:
            dropped = code == -2
            if dropped.any():
                for k in np.flatnonzero(dropped).tolist():
                    self.set_aside[self.sch.pred_map[labels[k]][1]] += 1
            self._count(docs, lens, span_doc, s, e, code, kb, ents)

        return True, strings, commit

    def _optional_ok(self, ents: list[Any], span_doc: Any, kb: Any) -> int:
        """Check ``text``, ``score`` and ``kb_id``; the number of string values, or -1."""
        texts = self.gold.docs
        doc_ids = self.fg.doc_ids
        strings = 0
        for k, ent in enumerate(ents):
            if "text" in ent:
                t = ent["text"]
                doc_text = texts[doc_ids[span_doc[k]]].text
                if type(t) is not str or doc_text[ent["start"] : ent["end"]] != t:
                    return -1
                strings += 1
            if "score" in ent and type(ent["score"]) not in (int, float):
                return -1
            if "kb_id" in ent:
                v = ent["kb_id"]
                if v is None:
                    continue
                if type(v) is not str or not KB_ID.search(v):
                    return -1
                kb[k] = self.fg.kb_codes.get(v, -2)
                strings += 1
        return strings

    def _count(
        self,
        docs: Any,
        lens: Any,
        span_doc: Any,
        s: Any,
        e: Any,
        code: Any,
        kb: Any,
        ents: list[Any],
    ) -> None:
        fg = self.fg
        nb = len(docs)
        labels_n = len(self.sch.labels)
        local = np.repeat(np.arange(nb), lens)
        keep = code != -2
        ps = s + fg.base[span_doc]
        pe = e + fg.base[span_doc]
        # sorted queries walk the gold arrays in order (far fewer cache misses)
        order = np.argsort(ps, kind="stable")
        lo = np.empty_like(ps)
        hi = np.empty_like(pe)
        lo[order] = np.searchsorted(fg.g_end, ps[order], side="right")
        hi[order] = np.searchsorted(fg.g_start, pe[order], side="left")
        cnt = np.where(keep, hi - lo, 0)
        tangled = np.zeros(nb, dtype=bool)
        tangled[local[cnt > 1]] = True
        single = cnt == 1
        hits = np.bincount(lo[single], minlength=len(fg.g_start))
        crowded = hits[lo[single]] > 1
        tangled[local[single][crowded]] = True
        pair = single & ~tangled[local]
        g = lo[pair]
        pl = local[pair]
        exact = (fg.g_start[g] == ps[pair]) & (fg.g_end[g] == pe[pair])
        typed = fg.g_label[g] == code[pair]
        strict = exact & typed
        strict_kb = strict & (fg.g_kb[g] >= 0) & (fg.g_kb[g] == kb[pair])

        def per_doc(mask_or_idx: Any, weights: Any = None) -> Any:
            return np.bincount(mask_or_idx, weights=weights, minlength=nb)

        rows = fg.empty["entities"][docs].copy()  # gold columns are right; the rest is overwritten
        kept_local = local[keep]
        rows[:, 1] = per_doc(kept_local)
        rows[:, 2] = per_doc(pl)
        rows[:, 3] = per_doc(pl, exact)
        rows[:, 4] = per_doc(pl, typed)
        rows[:, 5] = per_doc(pl, strict)
        rows[:, 6] = per_doc(pl, strict_kb)
        rows[:, 7] = per_doc(local[keep & (kb != -1)])
        lab_ok = keep & (code >= 0)
        pred_l = np.bincount(
            local[lab_ok] * labels_n + code[lab_ok], minlength=nb * labels_n
        ).reshape(nb, labels_n)
        pair_code = code[pair]
        matched_l = np.bincount(
            pl[typed] * labels_n + pair_code[typed], minlength=nb * labels_n
        ).reshape(nb, labels_n)
        exact_l = np.bincount(
            pl[strict] * labels_n + pair_code[strict], minlength=nb * labels_n
        ).reshape(nb, labels_n)
        base = len(entities_layer.BASE)
        width = len(entities_layer.LABEL_COLUMNS)
        for k in range(labels_n):
            col = base + k * width
            rows[:, col + 1] = pred_l[:, k]
            rows[:, col + 2] = matched_l[:, k]
            rows[:, col + 3] = exact_l[:, k]
        self.mats["entities"][docs] = rows
        if tangled.any():
            starts = np.concatenate(([0], np.cumsum(lens)))
            names = self.sch.labels
            tuples = self.slow.tuples.entities
            kb_names = {v: k for k, v in fg.kb_codes.items()}
            for b in np.flatnonzero(tangled).tolist():
                lo_, hi_ = int(starts[b]), int(starts[b + 1])
                pred = []
                for k in range(lo_, hi_):
                    c = int(code[k])
                    if c == -2:
                        continue
                    kbv = ents[k].get("kb_id") if kb[k] != -1 else None
                    if kbv is not None and kb[k] >= 0:
                        kbv = kb_names[int(kb[k])]
                    pred.append((int(s[k]), int(e[k]), names[c] if c >= 0 else None, kbv))
                doc_id = fg.doc_ids[int(docs[b])]
                self.mats["entities"][int(docs[b])] = entities_layer.doc_counts(
                    tuples[doc_id], pred, names
                )
