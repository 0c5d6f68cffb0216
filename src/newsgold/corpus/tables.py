"""The rows of every config, computed from the gold (pure), and the digest of a config's content."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import Problem, ValidationError
from ..jsonio import document_to_json, kb_to_json
from ..model import Document, Gold
from ..tokenize import iob2_tags, sentences
from .features import DATE_TAGS, NER_TAGS, features


def _with_alternatives(item: Mapping[str, Any]) -> dict[str, Any]:
    """An entity or date of the gold JSON with ``alternatives`` always present (last)."""
    row = {k: v for k, v in item.items() if k != "alternatives"}
    row["alternatives"] = [dict(a) for a in item.get("alternatives") or ()]
    return row


def document_rows(gold: Gold) -> list[dict[str, Any]]:
    """One row per document: its gold JSON (``annotations/<doc_id>.json``) plus ``text``.

    Every entity and date carries ``alternatives``: the gold file's list, or an
    empty list where the file leaves the key out (a dataset column has one type).

    Args:
        gold: the validated gold.

    Returns:
        Rows in ``doc_id`` order.
    """
    rows = []
    for doc_id in sorted(gold.docs):
        doc = gold.docs[doc_id]
        obj = document_to_json(doc)
        rows.append(
            {
                "doc_id": obj["doc_id"],
                "text": doc.text,
                "text_sha256": obj["text_sha256"],
                "dct": obj["dct"],
                "dct_reason": obj["dct_reason"],
                "entities": [_with_alternatives(e) for e in obj["entities"]],
                "dates": [_with_alternatives(d) for d in obj["dates"]],
                "quotes": obj["quotes"],
            }
        )
    return rows


def layer_rows(gold: Gold, layer: str) -> list[dict[str, Any]]:
    """One row per annotation of a layer, with its ``doc_id`` first.

    Args:
        gold: the validated gold.
        layer: ``entities``, ``dates`` or ``quotes``.

    Returns:
        Rows in document order, then in the gold's (offset) order.
    """
    return [{"doc_id": row["doc_id"], **item} for row in document_rows(gold) for item in row[layer]]


def kb_rows(gold: Gold) -> list[dict[str, Any]]:
    """One row per knowledge-base entry, as in ``annotations/kb.json`` (sorted by ``kb_id``)."""
    return kb_to_json(gold.kb)


def protected_spans(doc: Document) -> list[tuple[int, int]]:
    """The spans a sentence never cuts and every token ends at: the gold entities and dates."""
    return [(e.start, e.end) for e in doc.entities] + [(d.start, d.end) for d in doc.dates]


def _cuts(doc: Document) -> list[int]:
    return sorted({x for span in protected_spans(doc) for x in span})


def sentence_rows(doc: Document) -> list[dict[str, Any]]:
    """The ``tokens`` rows of one document: one per sentence, tags as ClassLabel ids.

    Args:
        doc: a gold document.

    Returns:
        Rows with ``doc_id``, ``sentence`` (0-based), ``tokens``, ``starts`` and
        ``ends`` (code-point offsets into the document text), ``ner_tags`` and
        ``date_tags`` (indices into :data:`NER_TAGS` / :data:`DATE_TAGS`).

    Raises:
        ValidationError: when a span cannot be tagged (it would cross a sentence).

    >>> from newsgold.model import Entity
    >>> d = Document("d", "Putin spoke. Biden listened.", "2021-12-30", "r",
    ...              (Entity(0, 5, "Putin", "PER", "p"), Entity(13, 18, "Biden", "PER", "b")))
    >>> [(r["tokens"], [NER_TAGS[i] for i in r["ner_tags"]]) for r in sentence_rows(d)]
    [(['Putin', 'spoke', '.'], ['B-PER', 'O', 'O']), (['Biden', 'listened', '.'], ['B-PER', 'O', 'O'])]
    """
    ner_index = {t: i for i, t in enumerate(NER_TAGS)}
    date_index = {t: i for i, t in enumerate(DATE_TAGS)}
    rows = []
    for n, sent in enumerate(sentences(doc.text, protected_spans(doc))):
        lo, hi = sent[0].start, sent[-1].end
        ents = [(e.start, e.end, str(e.label)) for e in doc.entities if lo <= e.start < hi]
        dates = [(d.start, d.end, str(d.type)) for d in doc.dates if lo <= d.start < hi]
        try:
            ner = iob2_tags(sent, ents)
            dtags = iob2_tags(sent, dates)
        except ValueError as exc:
            raise ValidationError(
                [Problem(f"annotations/{doc.doc_id}.json", None, "$", f"tokens config: {exc}")]
            ) from None
        rows.append(
            {
                "doc_id": doc.doc_id,
                "sentence": n,
                "tokens": [t.text for t in sent],
                "starts": [t.start for t in sent],
                "ends": [t.end for t in sent],
                "ner_tags": [ner_index[t] for t in ner],
                "date_tags": [date_index[t] for t in dtags],
            }
        )
    return rows


def build_tables(gold: Gold) -> dict[str, list[dict[str, Any]]]:
    """Every config's rows.

    Args:
        gold: the validated gold.

    Returns:
        ``config`` → rows, in the order of :data:`CONFIGS`.
    """
    return {
        "documents": document_rows(gold),
        "entities": layer_rows(gold, "entities"),
        "dates": layer_rows(gold, "dates"),
        "quotes": layer_rows(gold, "quotes"),
        "tokens": [r for doc_id in sorted(gold.docs) for r in sentence_rows(gold.docs[doc_id])],
        "kb": kb_rows(gold),
    }


def content_sha256(config: str, rows: Sequence[Mapping[str, Any]]) -> str:
    """A digest of a config's features and rows, independent of the parquet writer.

    Args:
        config: the config name.
        rows: its rows.

    Returns:
        64 hex digits.
    """
    payload = {"config": config, "features": features(config).to_dict(), "rows": list(rows)}
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
