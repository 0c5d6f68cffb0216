"""Records to and from their JSON objects: spans, documents and their layers, the KB,
predictions; and seed texts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..model import Date, Document, Entity, KBEntry, Prediction, Quote, Span
from .read import MAX_JSON_BYTES, read_text


def span_to_json(span: Span) -> dict[str, Any]:
    """A span as ``{start, end, text}``."""
    return {"start": span.start, "end": span.end, "text": span.text}


def _with_alternatives(obj: dict[str, Any], alternatives: Sequence[Span]) -> dict[str, Any]:
    """Add ``alternatives`` last, and only when there are any (v1 files stay byte-identical)."""
    if alternatives:
        obj["alternatives"] = [span_to_json(a) for a in alternatives]
    return obj


def _alternatives(obj: Mapping[str, Any]) -> tuple[Span, ...]:
    return tuple(Span(a["start"], a["end"], a.get("text")) for a in obj.get("alternatives") or ())


def document_to_json(doc: Document) -> dict[str, Any]:
    """A gold document as the JSON object of ``annotations/<doc_id>.json`` (no text).

    >>> d = Document("d1", "Putin said", "2021-12-30", "a reason",
    ...              entities=(Entity(0, 5, "Putin", "PER", "vladimir-putin"),))
    >>> document_to_json(d)["entities"]
    [{'start': 0, 'end': 5, 'text': 'Putin', 'label': 'PER', 'kb_id': 'vladimir-putin'}]

    ``alternatives`` is written only when an entity or date has any:

    >>> d = Document("d2", "the Kremlin said", "2021-12-30", "a reason",
    ...              entities=(Entity(4, 11, "Kremlin", "ORG", "kremlin",
    ...                               alternatives=(Span(0, 11, "the Kremlin"),)),))
    >>> document_to_json(d)["entities"][0]["alternatives"]
    [{'start': 0, 'end': 11, 'text': 'the Kremlin'}]
    """
    return {
        "doc_id": doc.doc_id,
        "text_sha256": doc.text_sha256,
        "dct": doc.dct,
        "dct_reason": doc.dct_reason,
        "entities": [
            _with_alternatives(
                {
                    "start": e.start,
                    "end": e.end,
                    "text": e.text,
                    "label": e.label,
                    "kb_id": e.kb_id,
                },
                e.alternatives,
            )
            for e in doc.entities
        ],
        "dates": [
            _with_alternatives(
                {
                    "start": d.start,
                    "end": d.end,
                    "text": d.text,
                    "type": d.type,
                    "value": d.value,
                    "mod": d.mod,
                },
                d.alternatives,
            )
            for d in doc.dates
        ],
        "quotes": [
            {
                "start": q.start,
                "end": q.end,
                "text": q.text,
                "kind": q.kind,
                "speaker": q.speaker,
                "cue": None if q.cue is None else span_to_json(q.cue),
            }
            for q in doc.quotes
        ],
    }


def _span(obj: Mapping[str, Any] | None) -> Span | None:
    if obj is None:
        return None
    return Span(obj["start"], obj["end"], obj.get("text"))


def entity_from_json(obj: Mapping[str, Any]) -> Entity:
    """An entity from its JSON object (gold or prediction)."""
    return Entity(
        obj["start"],
        obj["end"],
        obj.get("text"),
        obj.get("label"),
        obj.get("kb_id"),
        obj.get("score"),
        _alternatives(obj),
    )


def date_from_json(obj: Mapping[str, Any]) -> Date:
    """A temporal expression from its JSON object (gold or prediction)."""
    return Date(
        obj["start"],
        obj["end"],
        obj.get("text"),
        obj.get("type"),
        obj.get("value"),
        obj.get("mod"),
        obj.get("score"),
        _alternatives(obj),
    )


def quote_from_json(obj: Mapping[str, Any]) -> Quote:
    """A quotation from its JSON object (gold or prediction)."""
    return Quote(
        obj["start"],
        obj["end"],
        obj.get("text"),
        obj.get("kind"),
        obj.get("speaker"),
        _span(obj.get("cue")),
        obj.get("score"),
    )


def document_from_json(obj: Mapping[str, Any], text: str) -> Document:
    """A gold document from its (already validated) JSON object and its seed text."""
    return Document(
        doc_id=obj["doc_id"],
        text=text,
        dct=obj["dct"],
        dct_reason=obj["dct_reason"],
        entities=tuple(entity_from_json(e) for e in obj["entities"]),
        dates=tuple(date_from_json(d) for d in obj["dates"]),
        quotes=tuple(quote_from_json(q) for q in obj["quotes"]),
    )


def kb_to_json(kb: Sequence[KBEntry]) -> list[dict[str, Any]]:
    """The KB as the JSON list of ``annotations/kb.json``, sorted by ``kb_id``."""
    return [
        {"kb_id": k.kb_id, "name": k.name, "label": k.label, "aliases": list(k.aliases)}
        for k in sorted(kb, key=lambda k: k.kb_id)
    ]


def kb_from_json(items: Sequence[Mapping[str, Any]]) -> tuple[KBEntry, ...]:
    """KB entries from the (already validated) JSON list."""
    return tuple(KBEntry(i["kb_id"], i["name"], i["label"], tuple(i["aliases"])) for i in items)


def prediction_from_json(obj: Mapping[str, Any]) -> Prediction:
    """A prediction line (already validated) as a record; absent layers stay ``None``."""
    ents = obj.get("entities")
    dates = obj.get("dates")
    quotes = obj.get("quotes")
    return Prediction(
        doc_id=obj["doc_id"],
        entities=None if ents is None else tuple(entity_from_json(e) for e in ents),
        dates=None if dates is None else tuple(date_from_json(d) for d in dates),
        quotes=None if quotes is None else tuple(quote_from_json(q) for q in quotes),
    )


def _drop_none(obj: dict[str, Any], keep: Sequence[str]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if v is not None or k in keep}


def prediction_to_json(pred: Prediction) -> dict[str, Any]:
    """A prediction as one JSONL object; fields a system did not fill are left out.

    >>> prediction_to_json(Prediction("d1", entities=(Entity(0, 5, label="PER"),)))
    {'doc_id': 'd1', 'entities': [{'start': 0, 'end': 5, 'label': 'PER'}]}
    """
    out: dict[str, Any] = {"doc_id": pred.doc_id}
    if pred.entities is not None:
        out["entities"] = [
            _drop_none(
                {
                    "start": e.start,
                    "end": e.end,
                    "text": e.text,
                    "label": e.label,
                    "kb_id": e.kb_id,
                    "score": e.score,
                },
                (),
            )
            for e in pred.entities
        ]
    if pred.dates is not None:
        out["dates"] = [
            _drop_none(
                {
                    "start": d.start,
                    "end": d.end,
                    "text": d.text,
                    "type": d.type,
                    "value": d.value,
                    "mod": d.mod,
                    "score": d.score,
                },
                (),
            )
            for d in pred.dates
        ]
    if pred.quotes is not None:
        out["quotes"] = [
            _drop_none(
                {
                    "start": q.start,
                    "end": q.end,
                    "text": q.text,
                    "kind": q.kind,
                    "speaker": q.speaker,
                    "cue": None if q.cue is None else _drop_none(span_to_json(q.cue), ()),
                    "score": q.score,
                },
                (),
            )
            for q in pred.quotes
        ]
    return out


def read_seed(path: Path) -> str:
    """A seed text: the file's bytes decoded as UTF-8, untouched."""
    return read_text(path, max_bytes=MAX_JSON_BYTES)
