"""The scoring engine: column-wise counting of every layer, for every input.

Every input path (JSONL streamed in batches, adapter records, callables)
hands the engine *checked* records (:mod:`newsgold.predcheck`) a batch at a
time; the engine

1. projects entity labels through the scheme (:meth:`.Scheme.project_entities`,
   the one projection: DATE/TIME entities of OntoNotes become dates);
2. lays each layer's spans out as columns (document, start, end, and an
   integer code per field), with document offsets laid end to end so that the
   spans of the whole batch are one sorted array;
3. matches gold and predicted spans with two binary searches per span
   (documents where every span overlaps at most one span on the other side
   — nearly all — need nothing more; the others go through
   :func:`.matching.match`, the optimal one-to-one matching), and
4. lets each layer turn the matched pairs into one row of counts per
   resampling unit (:mod:`.units`: a document, paragraph or sentence; each
   span is owned by the unit of its start, a matched pair and its prediction
   by the unit of the gold span), with ``bincount``.

The per-record implementation of the same definitions lives in the tests
(``tests/oracle.py``), which the engine must equal on random inputs.
"""

from __future__ import annotations

import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import chain, repeat
from operator import itemgetter
from typing import Any

import numpy as np

from ..model import Gold
from .matching import match
from .registry import LAYERS
from .schemes import Scheme, merge_dates
from .spec import Layer
from .units import Layout, layout

_CACHE: dict[tuple[int, str], tuple[weakref.ref[Gold], Any]] = {}


def cached(gold: Gold, key: str, make: Callable[[], Any]) -> Any:
    """Memoise per gold object (a 10,000-document gold is scored repeatedly by the benchmark)."""
    slot = (id(gold), key)
    hit = _CACHE.get(slot)
    if hit is not None and hit[0]() is gold:
        return hit[1]
    value = make()

    def forget(_ref: object) -> None:
        _CACHE.pop(slot, None)

    _CACHE[slot] = (weakref.ref(gold, forget), value)
    return value


# --------------------------------------------------------------------------- columns


class Codes:
    """Integer codes of one field's values: ``None`` → -1, a value the gold never has → -2."""

    def __init__(self, values: Iterable[Any]) -> None:
        self.index: dict[Any, int] = {}
        for v in values:
            if v is not None and v not in self.index:
                self.index[v] = len(self.index)
        self.index[None] = -1

    def of(self, values: Sequence[Any]) -> Any:
        """The code of each value (one lookup per distinct value when there are few)."""
        distinct = set(values)
        if len(distinct) == 1:  # often: every kb_id None, one type, no mod
            return np.full(len(values), self.index.get(next(iter(distinct)), -2), dtype=np.int64)
        return np.fromiter(
            map(self.index.get, values, repeat(-2)), dtype=np.int64, count=len(values)
        )


@dataclass
class Side:
    """One side (gold or predicted) of one layer: a row per span.

    Attributes:
        doc: document index of each span.
        start, end: offsets inside the document.
        values: the layer's fields, raw (``fields[k]`` → list of values).
        codes: the same fields as integer codes (:class:`Codes`).
    """

    doc: Any
    start: Any
    end: Any
    values: dict[str, list[Any]]
    codes: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.start)

    def tuple_at(self, i: int, fields: Sequence[str]) -> tuple[Any, ...]:
        return (int(self.start[i]), int(self.end[i]), *(self.values[f][i] for f in fields))


@dataclass
class GoldLayer:
    """The gold of one layer as columns, sorted by (global start, global end), with codes."""

    side: Side
    g_start: Any  # global offsets (document offsets laid end to end)
    g_end: Any
    codes: dict[str, Codes]
    alternatives: dict[int, frozenset[tuple[int, int]]] = field(default_factory=dict)
    n_docs: int = 0
    subsets: dict[Any, tuple[Any, Any, Any, Any]] = field(default_factory=dict)
    doc_counts: dict[Any, Any] = field(default_factory=dict)
    members: dict[Any, Any] = field(default_factory=dict)
    alt_rows: Any = None
    units: dict[str, Any] = field(default_factory=dict)
    slice_codes: dict[str, Any] = field(default_factory=dict)

    def unit_of(self, lay: Layout) -> Any:
        """The unit (row) of each gold span under a layout (cached)."""
        hit = self.units.get(lay.unit)
        if hit is None:
            hit = lay.of(self.g_start, self.side.doc)
            self.units[lay.unit] = hit
        return hit

    def member(self, key: Any, rows: Any) -> Any:
        """A boolean per gold row: in the subset ``key`` (cached)."""
        hit = self.members.get(key)
        if hit is None:
            hit = np.zeros(len(self.g_start), dtype=bool)
            hit[rows] = True
            self.members[key] = hit
        return hit

    def per_unit(self, lay: Layout, key: Any, mask: Callable[[], Any] | None) -> Any:
        """Gold spans per unit (those in ``mask()``), cached by unit and key: they never change."""
        hit = self.doc_counts.get((lay.unit, key))
        if hit is None:
            units = self.unit_of(lay)
            hit = np.bincount(units if mask is None else units[mask()], minlength=lay.n_units)
            self.doc_counts[(lay.unit, key)] = hit
        return hit

    def subset(self, key: Any, mask: Callable[[], Any] | None) -> tuple[Any, Any, Any, Any]:
        """(rows, starts, ends, running max of ends) of the gold rows in ``mask()``, cached by key."""
        hit = self.subsets.get(key)
        if hit is None:
            rows = np.arange(len(self.g_start)) if mask is None else np.flatnonzero(mask())
            ends = self.g_end[rows]
            running = np.maximum.accumulate(ends) if len(ends) else ends
            hit = (rows, self.g_start[rows], ends, running)
            self.subsets[key] = hit
        return hit


@dataclass
class GoldColumns:
    """The whole gold, per layer, for one scheme."""

    doc_ids: list[str]
    index: dict[str, int]
    base: Any  # global offset of each document's first code point
    layers: dict[str, GoldLayer]
    layouts: dict[str, Layout] = field(default_factory=dict)

    def layout(self, gold: Gold, unit: str) -> Layout:
        """The units of the gold (:mod:`.units`), cached per unit."""
        hit = self.layouts.get(unit)
        if hit is None:
            hit = layout(gold, unit, self.base)
            self.layouts[unit] = hit
        return hit


def gold_columns(gold: Gold, scheme: Scheme) -> GoldColumns:
    """The gold laid out as columns (cached per gold object and scheme)."""

    def make() -> GoldColumns:
        doc_ids = list(gold.docs)
        lengths = np.array([len(gold.docs[d].text) for d in doc_ids], dtype=np.int64)
        base = np.concatenate(([0], np.cumsum(lengths + 1)[:-1])).astype(np.int64)
        layers = {}
        for name, layer in LAYERS.items():
            rows: list[tuple[Any, ...]] = []
            for i, d in enumerate(doc_ids):
                for values in layer.gold_values(gold.docs[d], scheme):
                    rows.append((i, *values))
            rows.sort(key=lambda r: (int(base[r[0]]) + r[1], int(base[r[0]]) + r[2]))
            side = _side(rows, layer.fields + layer.extras)
            vocab = layer.vocabulary(scheme)
            codes = {f: Codes([*vocab.get(f, ()), *side.values[f]]) for f in layer.fields}
            side.codes = {f: codes[f].of(side.values[f]) for f in layer.fields}
            g_start = side.start + base[side.doc]
            g_end = side.end + base[side.doc]
            alternatives = {
                row: frozenset((a.start, a.end) for a in alts)
                for row, alts in enumerate(side.values.get("alternatives", ()))
                if alts
            }
            layers[name] = GoldLayer(side, g_start, g_end, codes, alternatives, len(doc_ids))
        return GoldColumns(doc_ids, {d: i for i, d in enumerate(doc_ids)}, base, layers)

    return cached(gold, "columns:" + scheme.name, make)  # type: ignore[no-any-return]


_get: Callable[[Mapping[str, Any], str], Any] = dict.get  # type: ignore[assignment]
_START = itemgetter("start")
_END = itemgetter("end")


def _ints(values: Iterable[Any], n: int) -> Any:
    return np.fromiter(values, dtype=np.int64, count=n)


def _items(
    records: Sequence[Mapping[str, Any]], docs: Any, layer: str
) -> tuple[Any, list[Mapping[str, Any]]]:
    """The spans of one layer over a batch and the document of each (``None``: no record has the layer)."""
    lists = [(k, r[layer]) for k, r in enumerate(records) if layer in r]
    if not lists:
        return None, []
    sizes = np.fromiter((len(x) for _, x in lists), dtype=np.int64, count=len(lists))
    owner = np.repeat(docs[[k for k, _ in lists]], sizes)
    return owner, list(chain.from_iterable(x for _, x in lists))


def _side(rows: Sequence[tuple[Any, ...]], fields: Sequence[str]) -> Side:
    n = len(rows)
    doc = np.fromiter(map(itemgetter(0), rows), dtype=np.int64, count=n)
    start = np.fromiter(map(itemgetter(1), rows), dtype=np.int64, count=n)
    end = np.fromiter(map(itemgetter(2), rows), dtype=np.int64, count=n)
    values = {f: list(map(itemgetter(3 + k), rows)) for k, f in enumerate(fields)}
    return Side(doc, start, end, values)


# --------------------------------------------------------------------------- matching


@dataclass
class Pairs:
    """Matched pairs: gold row indices and predicted row indices, same length."""

    g: Any
    p: Any


class Counting:
    """What a layer's ``count`` function works with for one batch of documents.

    Attributes:
        gold: the gold layer (all documents).
        pred: the predicted spans of the batch.
        rows: the units of the batch's documents (global rows of :class:`.units.Layout`),
            one output row each.
        labels: the scheme's evaluation labels.
    """

    def __init__(
        self,
        layer: Layer,
        gold: GoldLayer,
        pred: Side,
        pred_global: tuple[Any, Any],
        rows: Any,
        lay: Layout,
        labels: Sequence[str],
    ) -> None:
        self.layer = layer
        self.gold = gold
        self.pred = pred
        self.p_start, self.p_end = pred_global
        self.rows = rows
        self.n = len(rows)
        self.labels = labels
        self.layout = lay
        self.tangled: set[int] = set()  # documents the full matching had to solve (see match)
        self.full: Pairs | None = None  # the full matching, once made
        row_of = np.full(lay.n_units, -1, dtype=np.int64)
        row_of[rows] = np.arange(self.n)
        self.row_of = row_of
        if len(pred):
            self.pred_row = row_of[lay.of(self.p_start, pred.doc)]
        else:
            self.pred_row = np.zeros(0, dtype=np.int64)
        self.gold_row: Any = None

    # ----------------------------------------------------------------- per-unit sums

    def gold_count(self, key: Any = None, mask: Callable[[], Any] | None = None) -> Any:
        """Gold spans per output row (those in ``mask()``, a boolean per gold row, named ``key``)."""
        return self.gold.per_unit(self.layout, key, mask)[self.rows]

    def pred_count(self, mask: Any = None, pairs: Pairs | None = None) -> Any:
        """Predicted spans per output row (restricted to ``mask``).

        A prediction matched in ``pairs`` (default: the full matching) counts in
        its gold span's unit, like the pair (see :mod:`.units`).
        """
        rows = self.pred_row
        pairs = pairs if pairs is not None else self.full
        if not self.layout.by_document and pairs is not None and len(pairs.p):
            rows = rows.copy()
            rows[pairs.p] = self._pair_rows(pairs)
        if mask is not None:
            rows = rows[mask]
        return np.bincount(rows, minlength=self.n)

    def _pair_rows(self, pairs: Pairs) -> Any:
        """The output row of each pair: its gold span's unit."""
        if self.layout.by_document:
            return self.pred_row[pairs.p]  # the same document
        if self.gold_row is None:
            self.gold_row = self.row_of[self.gold.unit_of(self.layout)]
        return self.gold_row[pairs.g]

    def pair_count(self, pairs: Pairs, mask: Any = None) -> Any:
        """Matched pairs per output row (those where ``mask``, a boolean per pair, holds)."""
        rows = self._pair_rows(pairs)
        if mask is not None:
            rows = rows[mask]
        return np.bincount(rows, minlength=self.n)

    def on_alternative(self, pairs: Pairs) -> Any:
        """Per pair: the prediction's extent is one of the gold span's accepted alternatives."""
        out = np.zeros(len(pairs.g), dtype=bool)
        alts = self.gold.alternatives
        if not alts or not len(pairs.g):
            return out
        if self.gold.alt_rows is None:
            self.gold.alt_rows = np.fromiter(sorted(alts), dtype=np.int64, count=len(alts))
        for k in np.flatnonzero(np.isin(pairs.g, self.gold.alt_rows)).tolist():
            p = int(pairs.p[k])
            out[k] = (int(self.pred.start[p]), int(self.pred.end[p])) in alts[int(pairs.g[k])]
        return out

    # ----------------------------------------------------------------- matching

    def match(
        self, key: Any = None, gold_mask: Callable[[], Any] | None = None, pred_mask: Any = None
    ) -> Pairs:
        """The optimal one-to-one matching of the gold and predicted spans in the masks.

        Args:
            key: a hashable name of ``gold_mask`` (the gold subset is cached under it).
            gold_mask: ``() → boolean per gold row`` (``None``: all); called once per gold.
            pred_mask: boolean per predicted row (``None``: all).
        """
        g_rows, gs, ge, running = self.gold.subset(key, gold_mask)
        p_rows = np.arange(len(self.pred)) if pred_mask is None else np.flatnonzero(pred_mask)
        if not len(g_rows) or not len(p_rows):
            return Pairs(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        ps, pe = self.p_start[p_rows], self.p_end[p_rows]
        # gold rows [lo, hi) may overlap the prediction: start < pred end, running max end > pred start;
        # with exactly one candidate, that one overlaps (its own end is the running max)
        hi = np.searchsorted(gs, pe, side="left")
        lo = np.searchsorted(running, ps, side="right")
        cnt = np.maximum(hi - lo, 0)
        single = cnt == 1
        doc_of_pred = self.pred.doc[p_rows]
        tangled_docs = set(doc_of_pred[cnt > 1].tolist())
        # a gold span hit by two predictions (each overlapping only it) tangles its document too
        hit = lo[single]
        order = np.sort(hit)
        twice = order[1:][order[1:] == order[:-1]]
        if len(twice):
            crowded = np.flatnonzero(single)[np.isin(hit, twice)]
            tangled_docs.update(doc_of_pred[crowded].tolist())
        if tangled_docs:
            tangled = np.isin(doc_of_pred, np.fromiter(tangled_docs, dtype=np.int64))
            simple = single & ~tangled
        else:
            simple = single
        g_out = [g_rows[lo[simple]]]
        p_out = [p_rows[simple]]
        if tangled_docs:
            g_tangled, p_tangled = self._match_docs(tangled_docs, g_rows, p_rows)
            g_out.append(g_tangled)
            p_out.append(p_tangled)
        pairs = Pairs(
            np.concatenate(g_out).astype(np.int64), np.concatenate(p_out).astype(np.int64)
        )
        if key is None and gold_mask is None and pred_mask is None:
            self.tangled = tangled_docs
            self.full = pairs
        return pairs

    def _match_docs(self, docs: set[int], g_rows: Any, p_rows: Any) -> tuple[Any, Any]:
        """The optimal matching (:func:`.matching.match`) inside each of ``docs``, on the given rows."""
        g_docs = self.gold.side.doc[g_rows]  # ascending: gold rows are sorted by global offset
        p_docs = self.pred.doc[p_rows]
        fields = self.layer.fields
        g_out: list[Any] = []
        p_out: list[Any] = []
        for d in sorted(docs):
            a, b = np.searchsorted(g_docs, [d, d + 1])
            gi = g_rows[a:b]
            pi = p_rows[p_docs == d]
            gt = [self.gold.side.tuple_at(int(i), fields) for i in gi]
            pt = [self.pred.tuple_at(int(i), fields) for i in pi]
            chosen = match(gt, pt)
            if chosen:
                g_out.append(gi[[x for x, _ in chosen]])
                p_out.append(pi[[y for _, y in chosen]])
        empty = np.zeros(0, dtype=np.int64)
        return (np.concatenate(g_out) if g_out else empty), (
            np.concatenate(p_out) if p_out else empty
        )

    def restrict(
        self, pairs: Pairs, key: Any, gold_mask: Callable[[], Any], pred_mask: Any
    ) -> Pairs:
        """The matching of the spans in the masks, given the matching of all spans (``pairs``).

        Where a document is untangled (every span overlaps at most one span on the other side),
        restricting both sides keeps it untangled, so its matched pairs are the pairs of
        ``pairs`` inside both masks; the tangled documents of :meth:`match` are matched again.
        """
        g_rows = self.gold.subset(key, gold_mask)[0]
        g_in = self.gold.member(key, g_rows)
        keep = g_in[pairs.g] & pred_mask[pairs.p]
        tangled = self.tangled
        if not tangled:
            return Pairs(pairs.g[keep], pairs.p[keep])
        t = np.fromiter(tangled, dtype=np.int64)
        keep &= ~np.isin(self.pred.doc[pairs.p], t)
        g_t = g_rows[np.isin(self.gold.side.doc[g_rows], t)]
        p_t = np.flatnonzero(pred_mask & np.isin(self.pred.doc, t))
        g_x, p_x = self._match_docs(tangled, g_t, p_t)
        return Pairs(np.concatenate([pairs.g[keep], g_x]), np.concatenate([pairs.p[keep], p_x]))


# --------------------------------------------------------------------------- the engine


def _equals(codes: Any, k: int) -> Any:
    """A mask: the rows whose code is ``k`` (bound with partial, called once per gold)."""
    return codes == k


class Engine:
    """Accumulates one row of counts per resampling unit and layer; memory grows with units.

    Args:
        gold: the gold.
        scheme: the label scheme.
        resolve: maps a predicted speaker to a ``kb_id`` (or an unresolved marker).
        unit: the resampling unit (:mod:`.units`): one row per document, paragraph or sentence.
    """

    def __init__(
        self, gold: Gold, scheme: Scheme, resolve: Callable[[Any], Any], unit: str = "document"
    ) -> None:
        self.gold = gold
        self.scheme = scheme
        self.resolve = resolve
        self.cols = gold_columns(gold, scheme)
        self.layout = self.cols.layout(gold, unit)
        self.predicted: set[str] = set()
        self.set_aside: Counter[str] = Counter()
        self.seen = np.zeros(len(self.cols.doc_ids), dtype=bool)
        self.mats = {
            name: cached(
                gold,
                # the columns in the key: a slice registered later widens the rows
                f"empty:{scheme.name}:{unit}:{name}:{len(LAYERS[name].column_names(scheme.labels))}",
                partial(self._empty, name),
            ).copy()
            for name in LAYERS
        }

    def _empty(self, name: str) -> Any:
        """Every unit's counts when nothing is predicted (the same counting, no predictions)."""
        n = self.layout.n_units
        layer = LAYERS[name]
        empty = _side([], layer.fields)
        ctx = Counting(
            layer,
            self.cols.layers[name],
            empty,
            (empty.start, empty.end),
            np.arange(n),
            self.layout,
            self.scheme.labels,
        )
        return np.asarray(
            self._count(name, ctx, self._pred_codes(name, empty)), dtype=np.float64
        ).reshape(n, -1)

    def _count(self, name: str, ctx: Counting, codes: dict[str, Any]) -> Any:
        """The layer's count rows, then its slices' columns (:class:`.spec.Slice`)."""
        layer = LAYERS[name]
        rows = layer.count(ctx, codes)
        if not layer.slices or layer.slice_verdict is None:
            return rows
        gl = self.cols.layers[name]
        pairs = ctx.full or Pairs(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        right = layer.slice_verdict(ctx, pairs, codes)
        extra = []
        for piece in layer.slices:
            g_code = gl.slice_codes.get(piece.name)
            if g_code is None:
                g_code = piece.code(self.gold, self.cols, gl.side, gl.g_start, gl.g_end)
                gl.slice_codes[piece.name] = g_code
            p_code = (
                piece.code(self.gold, self.cols, ctx.pred, ctx.p_start, ctx.p_end)
                if piece.pred
                else None
            )
            on_pair = g_code[pairs.g]
            for k in range(len(piece.values)):
                extra.append(ctx.gold_count(("slice", piece.name, k), partial(_equals, g_code, k)))
                if p_code is not None:
                    extra.append(ctx.pred_count(p_code == k))
                extra.append(ctx.pair_count(pairs, right & (on_pair == k)))
        return np.column_stack([rows, *extra])

    def _pred_codes(self, name: str, side: Side) -> dict[str, Any]:
        gl = self.cols.layers[name]
        return {f: gl.codes[f].of(side.values[f]) for f in LAYERS[name].fields}

    def add(self, records: Sequence[Mapping[str, Any]]) -> None:
        """Count a batch of checked records (JSON-shaped, one per document, each document once)."""
        if not records:
            return
        index = self.cols.index
        docs = np.fromiter(
            (index[r["doc_id"]] for r in records), dtype=np.int64, count=len(records)
        )
        self.seen[docs] = True
        sides: dict[str, Side] = {}
        read = getattr(records, "columns", None) or {}
        cols = read.get("entities")
        if cols is not None:  # the check read them already
            ent_owner, ents = docs[cols.owner], cols.items
            starts, ends, labels = cols.start, cols.end, cols.get("label")
        else:
            ent_owner, ents = _items(records, docs, "entities")
            labels = list(map(_get, ents, repeat("label")))
            starts = _ints(map(_START, ents), len(ents))
            ends = _ints(map(_END, ents), len(ents))
        if ent_owner is not None:
            self.predicted.add("entities")
        kinds, targets = self.scheme.route(labels)
        owner = ent_owner if ent_owner is not None else np.zeros(0, dtype=np.int64)
        moved: list[tuple[Any, ...]] = []
        all_entities = not len(ents) or not kinds.any()
        if not all_entities:
            for k in np.flatnonzero(kinds == 1).tolist():
                moved.append((int(owner[k]), int(starts[k]), int(ends[k]), targets[k], None, None))
            for k in np.flatnonzero(kinds == 2).tolist():
                self.set_aside[targets[k] or ""] += 1
            keep = kinds == 0
            sel = np.flatnonzero(keep).tolist()
            owner, starts, ends = owner[keep], starts[keep], ends[keep]
            targets = [targets[k] for k in sel]
            ents = [ents[k] for k in sel]
        if cols is not None and all_entities:
            kbs = cols.get("kb_id")
        else:
            kbs = list(map(_get, ents, repeat("kb_id")))
        sides["entities"] = Side(owner, starts, ends, {"label": targets, "kb_id": kbs})
        date_owner, dates = _items(records, docs, "dates")
        if date_owner is not None or moved:
            self.predicted.add("dates")
        rows = [
            (int(d), x["start"], x["end"], x.get("type"), x.get("value"), x.get("mod"))
            for d, x in zip(
                date_owner.tolist() if date_owner is not None else [], dates, strict=True
            )
        ]
        sides["dates"] = _side(self.scheme_merge(rows, moved), LAYERS["dates"].fields)
        quote_owner, quotes = _items(records, docs, "quotes")
        if quote_owner is not None:
            self.predicted.add("quotes")
        resolve = self.resolve
        sides["quotes"] = Side(
            quote_owner if quote_owner is not None else np.zeros(0, dtype=np.int64),
            _ints(map(_START, quotes), len(quotes)),
            _ints(map(_END, quotes), len(quotes)),
            {
                "kind": list(map(_get, quotes, repeat("kind"))),
                "speaker": [resolve(q.get("speaker")) for q in quotes],
            },
        )
        base = self.cols.base
        rows = self.layout.rows(docs)
        for name, layer in LAYERS.items():
            side = sides[name]
            codes = self._pred_codes(name, side)
            side.codes = codes
            pg = (side.start + base[side.doc], side.end + base[side.doc])
            ctx = Counting(
                layer, self.cols.layers[name], side, pg, rows, self.layout, self.scheme.labels
            )
            self.mats[name][rows] = self._count(name, ctx, codes)

    @staticmethod
    def scheme_merge(
        rows: list[tuple[Any, ...]], moved: list[tuple[Any, ...]]
    ) -> list[tuple[Any, ...]]:
        return merge_dates(rows, moved)

    def matrices(self) -> tuple[list[str], list[str], dict[str, Any]]:
        """Count matrices (one row per unit, in gold document order), and the documents nothing
        was predicted for; :meth:`.units.Layout.per_document` sums them into document rows."""
        missing = [d for d, s in zip(self.cols.doc_ids, self.seen.tolist(), strict=True) if not s]
        return self.cols.doc_ids, missing, self.mats
