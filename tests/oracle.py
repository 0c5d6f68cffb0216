"""The per-record reference implementation of every count the engine makes (the test oracle).

Written the simple way, one document and one span at a time, from the
definitions in the layer modules' docstrings, with its own projection of
labels (read straight from the scheme's table, not through
``Scheme.project``): the column-wise engine (:mod:`newsgold.scoring.engine`)
must give exactly these counts on random inputs (``tests/test_engine.py``),
as seqeval keeps conlleval.pl to check itself against.

Only the optimal matching (:func:`newsgold.scoring.matching.match`) is
shared: it has an oracle of its own (brute force, ``tests/test_matching_oracle.py``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from newsgold.model import QUOTE_KINDS, Gold, Prediction
from newsgold.scoring.matching import match
from newsgold.scoring.quotes import speaker_resolver
from newsgold.scoring.schemes import Scheme

Span = tuple[Any, ...]


def entity_counts(
    gold: Sequence[Span], pred: Sequence[Span], labels: Sequence[str], alts: Sequence[Any] = ()
) -> list[int]:
    """One document's entity columns: gold, pred, matched, exact, typed, strict, strict_kb, linked,
    accepted, then per label gold, pred, matched, exact. ``alts[i]``: gold i's alternative spans."""
    chosen = match(gold, pred)
    exact = typed = strict = strict_kb = accepted = 0
    for g, p in chosen:
        a, b = gold[g], pred[p]
        same_bounds = a[0] == b[0] and a[1] == b[1]
        same_label = a[2] == b[2]
        exact += same_bounds
        typed += same_label
        on_alt = any((x.start, x.end) == (b[0], b[1]) for x in (alts[g] if alts else ()))
        accepted += same_label and (same_bounds or on_alt)
        if same_bounds and same_label:
            strict += 1
            strict_kb += a[3] is not None and a[3] == b[3]
    linked = sum(1 for b in pred if b[3] is not None)
    row = [len(gold), len(pred), len(chosen), exact, typed, strict, strict_kb, linked, accepted]
    for lab in labels:
        g_idx = [i for i, a in enumerate(gold) if a[2] == lab]
        p_idx = [i for i, b in enumerate(pred) if b[2] == lab]
        sub = match([gold[i] for i in g_idx], [pred[i] for i in p_idx])
        lab_exact = sum(
            1
            for g, p in sub
            if gold[g_idx[g]][0] == pred[p_idx[p]][0] and gold[g_idx[g]][1] == pred[p_idx[p]][1]
        )
        row += [len(g_idx), len(p_idx), len(sub), lab_exact]
    return row


def date_counts(gold: Sequence[Span], pred: Sequence[Span], alts: Sequence[Any] = ()) -> list[int]:
    """gold, pred, matched, strict, type_ok, value_ok (a missing value is wrong), mod_ok, accepted,
    valued (predictions carrying a value)."""
    chosen = match(gold, pred)
    strict = type_ok = value_ok = mod_ok = accepted = 0
    for g, p in chosen:
        a, b = gold[g], pred[p]
        same_bounds = a[0] == b[0] and a[1] == b[1]
        strict += same_bounds
        type_ok += a[2] == b[2]
        value_ok += b[3] is not None and a[3] == b[3]
        mod_ok += a[4] == b[4]
        accepted += same_bounds or any(
            (x.start, x.end) == (b[0], b[1]) for x in (alts[g] if alts else ())
        )
    valued = sum(1 for b in pred if b[3] is not None)
    return [len(gold), len(pred), len(chosen), strict, type_ok, value_ok, mod_ok, accepted, valued]


def quote_counts(gold: Sequence[Span], pred: Sequence[Span]) -> list[int]:
    """gold, pred, matched, strict, kind_ok, speaker_ok, kinded (predictions carrying a kind),
    then per kind (speakers already resolved)."""
    chosen = match(gold, pred)
    strict = kind_ok = speaker_ok = 0
    for g, p in chosen:
        a, b = gold[g], pred[p]
        strict += a[0] == b[0] and a[1] == b[1]
        kind_ok += a[2] == b[2]
        speaker_ok += a[3] == b[3]
    kinded = sum(1 for b in pred if b[2] is not None)
    row = [len(gold), len(pred), len(chosen), strict, kind_ok, speaker_ok, kinded]
    for kind in QUOTE_KINDS:  # per kind: gold, pred, gold matched, pred matched, gold right speaker
        row += [
            sum(1 for a in gold if a[2] == kind),
            sum(1 for b in pred if b[2] == kind),
            sum(1 for g, _ in chosen if gold[g][2] == kind),
            sum(1 for _, p in chosen if pred[p][2] == kind),
            sum(1 for g, p in chosen if gold[g][2] == kind and gold[g][3] == pred[p][3]),
        ]
    return row


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
    gold: Gold, predictions: Iterable[Prediction], scheme: Scheme
) -> tuple[dict[str, Any], set[str], Counter[str]]:
    """Every layer's (documents × columns) counts, the layers predicted, the labels set aside."""
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
        rows["entities"].append(
            entity_counts(g_ents, ents, scheme.labels, [e.alternatives for e in doc.entities])
        )
        rows["dates"].append(date_counts(g_dates, dates, [t.alternatives for t in doc.dates]))
        rows["quotes"].append(quote_counts(g_quotes, p_quotes))
    n = len(gold.docs)
    mats = {k: np.array(v, dtype=np.float64).reshape(n, -1) for k, v in rows.items()}
    return mats, predicted, aside
