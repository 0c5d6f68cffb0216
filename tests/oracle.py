"""The per-record reference implementation of every count the engine makes (the test oracle).

Written the simple way, one document and one span at a time, from the
definitions in the layer modules' docstrings, with its own projection of
labels (read straight from the scheme's table, not through
``Scheme.project``): the column-wise engine (:mod:`newsgold.scoring.engine`)
must give exactly these counts on random inputs (``tests/test_engine.py``),
as seqeval keeps conlleval.pl to check itself against.

Only the optimal matching (:func:`newsgold.scoring.matching.match`) is
shared: it has an oracle of its own (brute force, ``tests/test_matching_oracle.py``);
and, for the sentence unit, the corpus's sentence rule (:func:`newsgold.tokenize.sentences`,
tested on its own in ``tests/test_tokenize.py``). Counts are made per resampling unit
(document, paragraph, sentence), each attributed by the rule of :mod:`newsgold.scoring.units`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from newsgold.model import QUOTE_KINDS, Gold, Prediction
from newsgold.scoring.matching import match
from newsgold.scoring.quotes import speaker_resolver
from newsgold.scoring.schemes import Scheme
from newsgold.tokenize import sentences, tokenize

Span = tuple[Any, ...]


class Rows:
    """Count rows per unit, each count put in one unit by the rule of ``newsgold.scoring.units``:
    a span in the unit of its start; a matched pair, and its prediction, in its gold span's unit."""

    def __init__(self, width: int, n_units: int, unit_of: Callable[[int], int]) -> None:
        self.rows = [[0] * width for _ in range(n_units)]
        self.unit_of = unit_of

    def add(self, col: int, start: int) -> None:
        self.rows[self.unit_of(start)][col] += 1

    def home(self, pred: Span, p: int, partner: dict[int, Span]) -> int:
        """Where a prediction counts: its gold partner's start (in this matching), else its own."""
        return partner[p][0] if p in partner else pred[0]


def _one_unit(_start: int) -> int:
    return 0


def entity_counts(
    gold: Sequence[Span],
    pred: Sequence[Span],
    labels: Sequence[str],
    alts: Sequence[Any] = (),
    unit_of: Callable[[int], int] = _one_unit,
    n_units: int = 1,
    slices: tuple[Sequence[int], Sequence[int], Sequence[int]] | None = None,
) -> list[list[int]]:
    """One document's entity columns per unit: gold, pred, matched, exact, typed, strict, strict_kb,
    linked, accepted, then per label gold, pred, matched, exact, then the slices: per length
    (1, 2, 3, 4+ tokens) gold, pred, strict; per mention order (first, later) gold, strict.
    ``alts[i]``: gold i's alternative spans; ``unit_of(offset)``: the unit of an offset (one unit
    by default: the document); ``slices``: (length of each gold span, of each predicted span,
    order of each gold span: 0 first, 1 later, -1 none)."""
    out = Rows(9 + 4 * len(labels) + 4 * 3 + 2 * 2, n_units, unit_of)
    chosen = match(gold, pred)
    partner = {p: gold[g] for g, p in chosen}
    for a in gold:
        out.add(0, a[0])
    for p, b in enumerate(pred):
        out.add(1, out.home(b, p, partner))
        if b[3] is not None:
            out.add(7, out.home(b, p, partner))
    for g, p in chosen:
        a, b = gold[g], pred[p]
        same_bounds = a[0] == b[0] and a[1] == b[1]
        same_label = a[2] == b[2]
        on_alt = any((x.start, x.end) == (b[0], b[1]) for x in (alts[g] if alts else ()))
        out.add(2, a[0])
        if same_bounds:
            out.add(3, a[0])
        if same_label:
            out.add(4, a[0])
        if same_label and (same_bounds or on_alt):
            out.add(8, a[0])
        if same_bounds and same_label:
            out.add(5, a[0])
            if a[3] is not None and a[3] == b[3]:
                out.add(6, a[0])
    for k, lab in enumerate(labels):
        col = 9 + 4 * k
        g_idx = [i for i, a in enumerate(gold) if a[2] == lab]
        p_idx = [i for i, b in enumerate(pred) if b[2] == lab]
        sub = match([gold[i] for i in g_idx], [pred[i] for i in p_idx])
        sub_partner = {p_idx[p]: gold[g_idx[g]] for g, p in sub}
        for i in g_idx:
            out.add(col, gold[i][0])
        for i in p_idx:
            out.add(col + 1, out.home(pred[i], i, sub_partner))
        for g, p in sub:
            a, b = gold[g_idx[g]], pred[p_idx[p]]
            out.add(col + 2, a[0])
            if a[0] == b[0] and a[1] == b[1]:
                out.add(col + 3, a[0])
    if slices is not None:
        g_len, p_len, g_order = slices
        col = 9 + 4 * len(labels)
        strict_pairs = [(g, p) for g, p in chosen if gold[g][:3] == pred[p][:3]]
        for v in range(4):  # lengths 1, 2, 3, 4+
            for i, a in enumerate(gold):
                if g_len[i] == v:
                    out.add(col + 3 * v, a[0])
            for p, b in enumerate(pred):
                if p_len[p] == v:
                    out.add(col + 3 * v + 1, out.home(b, p, partner))
            for g, _ in strict_pairs:
                if g_len[g] == v:
                    out.add(col + 3 * v + 2, gold[g][0])
        col += 12
        for v in range(2):  # first, later
            for i, a in enumerate(gold):
                if g_order[i] == v:
                    out.add(col + 2 * v, a[0])
            for g, _ in strict_pairs:
                if g_order[g] == v:
                    out.add(col + 2 * v + 1, gold[g][0])
    return out.rows


def mention_lengths(doc: Any, spans: Sequence[Span]) -> list[int]:
    """Each span's length slice: tokens of the corpus tokenizer (gold boundaries as cuts) that it
    overlaps, 1 → 0, 2 → 1, 3 → 2, 4 or more → 3 (a span over no token counts as 1)."""
    cuts = {x for e in doc.entities for x in (e.start, e.end)}
    cuts |= {x for d in doc.dates for x in (d.start, d.end)}
    tokens = tokenize(doc.text, sorted(cuts))
    out = []
    for s in spans:
        n = sum(1 for t in tokens if t.start < s[1] and s[0] < t.end)
        out.append(min(max(n, 1), 4) - 1)
    return out


def mention_orders(spans: Sequence[Span]) -> list[int]:
    """Each gold span: 0 if no earlier span (by start, then end) has its kb_id, 1 if one has,
    -1 if it has none."""
    out = []
    for a in spans:
        if a[3] is None:
            out.append(-1)
        else:
            earlier = any(b[3] == a[3] and (b[0], b[1]) < (a[0], a[1]) for b in spans)
            out.append(1 if earlier else 0)
    return out


def date_counts(
    gold: Sequence[Span],
    pred: Sequence[Span],
    alts: Sequence[Any] = (),
    unit_of: Callable[[int], int] = _one_unit,
    n_units: int = 1,
) -> list[list[int]]:
    """Per unit: gold, pred, matched, strict, type_ok, value_ok (a missing value is wrong), mod_ok,
    accepted, valued (predictions carrying a value)."""
    out = Rows(9, n_units, unit_of)
    chosen = match(gold, pred)
    partner = {p: gold[g] for g, p in chosen}
    for a in gold:
        out.add(0, a[0])
    for p, b in enumerate(pred):
        out.add(1, out.home(b, p, partner))
    for g, p in chosen:
        a, b = gold[g], pred[p]
        same_bounds = a[0] == b[0] and a[1] == b[1]
        verdicts = (
            True,
            same_bounds,
            a[2] == b[2],
            b[3] is not None and a[3] == b[3],
            a[4] == b[4],
            same_bounds or any((x.start, x.end) == (b[0], b[1]) for x in (alts[g] if alts else ())),
        )
        for col, ok in zip(range(2, 8), verdicts, strict=True):
            if ok:
                out.add(col, a[0])
    for p, b in enumerate(pred):
        if b[3] is not None:
            out.add(8, out.home(b, p, partner))
    return out.rows


def quote_counts(
    gold: Sequence[Span],
    pred: Sequence[Span],
    unit_of: Callable[[int], int] = _one_unit,
    n_units: int = 1,
) -> list[list[int]]:
    """Per unit: gold, pred, matched, strict, kind_ok, speaker_ok (speakers already resolved),
    kinded (predictions carrying a kind), then per kind: gold, pred, gold matched, pred matched,
    gold right speaker."""
    out = Rows(7 + 5 * len(QUOTE_KINDS), n_units, unit_of)
    chosen = match(gold, pred)
    partner = {p: gold[g] for g, p in chosen}
    for a in gold:
        out.add(0, a[0])
    for p, b in enumerate(pred):
        out.add(1, out.home(b, p, partner))
    for g, p in chosen:
        a, b = gold[g], pred[p]
        out.add(2, a[0])
        for col, ok in ((3, a[0] == b[0] and a[1] == b[1]), (4, a[2] == b[2]), (5, a[3] == b[3])):
            if ok:
                out.add(col, a[0])
    for p, b in enumerate(pred):
        if b[2] is not None:
            out.add(6, out.home(b, p, partner))
    for k, kind in enumerate(QUOTE_KINDS):
        col = 7 + 5 * k
        for a in gold:
            if a[2] == kind:
                out.add(col, a[0])
        for p, b in enumerate(pred):
            if b[2] == kind:
                out.add(col + 1, out.home(b, p, partner))
        for g, p in chosen:
            a, b = gold[g], pred[p]
            if a[2] == kind:
                out.add(col + 2, a[0])
                if a[3] == b[3]:
                    out.add(col + 4, a[0])
            if b[2] == kind:
                out.add(col + 3, a[0])
    return out.rows


def unit_starts(doc: Any, unit: str) -> list[int]:
    """Where each unit of a document starts, written from the definitions of
    ``newsgold.scoring.units`` (paragraphs by a scan of the lines; sentences from the corpus's
    one sentence rule, shared as the matching is)."""
    if unit == "document":
        return [0]
    if unit == "paragraph":
        starts = [0]
        lines = doc.text.split("\n")
        offset = 0
        blank_before = False
        for k, line in enumerate(lines):
            if line.strip():
                if blank_before and k > 0:
                    # the paragraph starts at its first non-white-space character
                    starts.append(offset + len(line) - len(line.lstrip()))
                blank_before = False
            elif k > 0:
                blank_before = True
            offset += len(line) + 1
        return sorted(set(starts))
    spans = [(e.start, e.end) for e in doc.entities] + [(d.start, d.end) for d in doc.dates]
    return sorted({0, *(s[0].start for s in sentences(doc.text, spans))})


def project(pred: Prediction, scheme: Scheme) -> tuple[list[Span], list[Span], Counter[str]]:
    """Entity and date tuples of one prediction in evaluation terms, and the labels set aside.

    Written from the scheme's table: an entity whose label maps to
    ``("date", TYPE)`` becomes a date with no value or mod, unless a date
    already sits on exactly that span; ``("drop", label)`` is counted.
    """
    ents: list[Span] = []
    dates: list[Span] = [(t.start, t.end, t.type, t.value, t.mod) for t in pred.dates or ()]
    spans = {(t[0], t[1]) for t in dates}
    aside: Counter[str] = Counter()
    for e in pred.entities or ():
        if e.label is None:
            ents.append((e.start, e.end, None, e.kb_id))
            continue
        kind, target = scheme.pred_map[e.label]
        if kind == "entity":
            ents.append((e.start, e.end, target, e.kb_id))
        elif kind == "date":
            if (e.start, e.end) not in spans:
                spans.add((e.start, e.end))
                dates.append((e.start, e.end, target, None, None))
        else:
            aside[target] += 1
    return ents, dates, aside


def count_matrices(
    gold: Gold, predictions: Iterable[Prediction], scheme: Scheme, unit: str = "document"
) -> tuple[dict[str, Any], set[str], Counter[str]]:
    """Every layer's (units × columns) counts, the layers predicted, the labels set aside."""
    by_id = {p.doc_id: p for p in predictions}
    resolve = speaker_resolver(gold.kb)
    rows: dict[str, list[list[int]]] = {"entities": [], "dates": [], "quotes": []}
    predicted: set[str] = set()
    aside: Counter[str] = Counter()
    for doc_id, doc in gold.docs.items():
        pred = by_id.get(doc_id, Prediction(doc_id))
        ents, dates, set_aside = project(pred, scheme)
        aside += set_aside
        if pred.entities is not None:
            predicted.add("entities")
        if pred.dates is not None or len(dates) > len(pred.dates or ()):
            predicted.add("dates")
        if pred.quotes is not None:
            predicted.add("quotes")
        g_ents = [(e.start, e.end, scheme.gold_map[e.label or ""], e.kb_id) for e in doc.entities]
        g_dates = [(t.start, t.end, t.type, t.value, t.mod) for t in doc.dates]
        g_quotes = [(q.start, q.end, q.kind, q.speaker) for q in doc.quotes]
        p_quotes = [(q.start, q.end, q.kind, resolve(q.speaker)) for q in pred.quotes or ()]
        starts = unit_starts(doc, unit)

        def unit_of(offset: int, starts: list[int] = starts) -> int:
            return max(k for k, s in enumerate(starts) if s <= offset)

        where = {"unit_of": unit_of, "n_units": len(starts)}
        slices = (mention_lengths(doc, g_ents), mention_lengths(doc, ents), mention_orders(g_ents))
        rows["entities"] += entity_counts(
            g_ents,
            ents,
            scheme.labels,
            [e.alternatives for e in doc.entities],
            slices=slices,
            **where,
        )
        rows["dates"] += date_counts(g_dates, dates, [t.alternatives for t in doc.dates], **where)
        rows["quotes"] += quote_counts(g_quotes, p_quotes, **where)
    mats = {k: np.array(v, dtype=np.float64) for k, v in rows.items()}
    return mats, predicted, aside
