"""Counts of the gold per document, layer and label (pure: no I/O).

>>> from newsgold.model import Document, Entity
>>> from newsgold.model import Gold
>>> g = Gold({"d": Document("d", "Putin", "2021-12-30", "r", (Entity(0, 5, "Putin", "PER", "p"),))}, ())
>>> gold_stats(g)["total"]["entities.PER"]
1
"""

from __future__ import annotations

from typing import Any

from .model import DATE_TYPES, ENTITY_LABELS, QUOTE_KINDS, Gold

COLUMNS = (
    "entities",
    *(f"entities.{label}" for label in ENTITY_LABELS),
    "dates",
    *(f"dates.{t}" for t in DATE_TYPES),
    "quotes",
    *(f"quotes.{k}" for k in QUOTE_KINDS),
    "quotes.with_speaker",
    "kb_ids",
)


def gold_stats(gold: Gold) -> dict[str, Any]:
    """Count the gold's annotations.

    Args:
        gold: the validated gold.

    Returns:
        ``{"columns": [...], "documents": {doc_id: {column: n}}, "total": {column: n},
        "kb_entries": n}``; ``kb_ids`` counts distinct entities (in total: corpus-wide).
    """
    docs: dict[str, dict[str, int]] = {}
    all_ids: set[str] = set()
    for doc_id, doc in sorted(gold.docs.items()):
        row = dict.fromkeys(COLUMNS, 0)
        row["entities"] = len(doc.entities)
        for e in doc.entities:
            row[f"entities.{e.label}"] += 1
        row["dates"] = len(doc.dates)
        for d in doc.dates:
            row[f"dates.{d.type}"] += 1
        row["quotes"] = len(doc.quotes)
        for q in doc.quotes:
            row[f"quotes.{q.kind}"] += 1
        row["quotes.with_speaker"] = sum(q.speaker is not None for q in doc.quotes)
        ids = {e.kb_id for e in doc.entities if e.kb_id}
        row["kb_ids"] = len(ids)
        all_ids |= ids
        docs[doc_id] = row
    total = {c: sum(r[c] for r in docs.values()) for c in COLUMNS}
    total["kb_ids"] = len(all_ids)
    return {"columns": list(COLUMNS), "documents": docs, "total": total, "kb_entries": len(gold.kb)}
