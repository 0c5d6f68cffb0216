"""Gold documents and predictions → Label Studio tasks and their ``result`` lists (pure)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from ..errors import Problem, ValidationError
from ..model import Date, Document, Entity, KBEntry, Prediction, Quote, Span
from .config import (
    ALTERNATIVES,
    CUE,
    CUE_LABEL,
    CUE_REL,
    DATE,
    DATE_MOD,
    DATE_VALUE,
    DCT,
    DCT_REASON,
    ENTITY,
    KB_ID,
    QUOTE,
    QUOTE_KIND,
    QUOTE_LABEL,
    SPEAKER_ID,
    SPEAKER_REL,
    TEXT,
)


def _kb_help(kb: Sequence[KBEntry]) -> str:
    return "\n".join(f"{k.kb_id}: {k.name} ({k.label})" for k in sorted(kb))


def _task_data(doc: Document, kb: Sequence[KBEntry]) -> dict[str, Any]:
    return {
        "doc_id": doc.doc_id,
        "text": doc.text,
        "text_sha256": doc.text_sha256,
        "dct": doc.dct,
        "dct_reason": doc.dct_reason,
        "header": (
            f"{doc.doc_id} · document creation time {doc.dct} ({doc.dct_reason})"
            if doc.dct
            else f"{doc.doc_id} · new document: fill in its creation time and the reason below"
        ),
        "kb_help": _kb_help(kb),
    }


def _surface(text: str, start: int, end: int, given: str | None) -> str:
    return given if given is not None else text[start:end]


def alternatives_value(alternatives: Sequence[Span]) -> str:
    """The ``alternatives`` text area's value: ``start-end`` pairs separated by spaces.

    >>> alternatives_value([Span(118, 133, "the White House"), Span(122, 133)])
    '118-133 122-133'
    """
    return " ".join(f"{a.start}-{a.end}" for a in alternatives)


def _region(
    rid: str, name: str, rtype: str, start: int, end: int, value: dict[str, Any], score: Any
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": rid,
        "from_name": name,
        "to_name": TEXT,
        "type": rtype,
        "value": {"start": start, "end": end, **value},
    }
    if score is not None:
        out["score"] = score
    return out


def to_results(
    text: str,
    entities: Sequence[Entity],
    dates: Sequence[Date],
    quotes: Sequence[Quote],
) -> list[dict[str, Any]]:
    """The Label Studio ``result`` list of one annotation or prediction.

    Args:
        text: the document text (fills a span's surface when a prediction has none).
        entities: entity mentions.
        dates: temporal expressions.
        quotes: quotations (speakers become relations or ``speaker_id``; cues
            become shared ``cue`` regions with relations).

    Returns:
        The result items, regions first, relations last.

    Raises:
        ValidationError: a record Label Studio cannot show (no label or no type).

    >>> from newsgold.model import Span
    >>> rs = to_results("Putin said “no”.", [Entity(0, 5, "Putin", "PER", "vladimir-putin")], [],
    ...                 [Quote(12, 14, "no", "direct", "vladimir-putin", Span(6, 10, "said"))])
    >>> [(r["type"], r.get("from_name"), r.get("labels")) for r in rs]  # doctest: +NORMALIZE_WHITESPACE
    [('labels', 'entity', None), ('taxonomy', 'kb_id', None), ('labels', 'quote', None),
     ('choices', 'quote_kind', None), ('labels', 'cue', None),
     ('relation', None, ['speaker']), ('relation', None, ['cue'])]
    """
    out: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    problems: list[Problem] = []
    mentions: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for i, e in enumerate(entities):
        rid = f"ent-{i}"
        if e.label is None:
            problems.append(
                Problem("<to_task>", None, f"$.entities[{i}].label", "missing (expected a label)")
            )
            continue
        surface = _surface(text, e.start, e.end, e.text)
        out.append(
            _region(
                rid,
                ENTITY,
                "labels",
                e.start,
                e.end,
                {"text": surface, "labels": [e.label]},
                e.score,
            )
        )
        if e.kb_id is not None:
            out.append(_kb_pick(rid, KB_ID, e.start, e.end, e.kb_id))
            mentions[e.kb_id].append((e.start, rid))
        if e.alternatives:
            out.append(_alternatives_result(rid, e.start, e.end, e.alternatives))
    for i, d in enumerate(dates):
        rid = f"date-{i}"
        if d.type is None:
            problems.append(
                Problem("<to_task>", None, f"$.dates[{i}].type", "missing (expected a TIMEX3 type)")
            )
            continue
        surface = _surface(text, d.start, d.end, d.text)
        out.append(
            _region(
                rid, DATE, "labels", d.start, d.end, {"text": surface, "labels": [d.type]}, d.score
            )
        )
        if d.value is not None:
            out.append(
                _region(rid, DATE_VALUE, "textarea", d.start, d.end, {"text": [d.value]}, None)
            )
        if d.mod is not None:
            out.append(
                _region(
                    rid,
                    DATE_MOD,
                    "choices",
                    d.start,
                    d.end,
                    {"text": surface, "choices": [d.mod]},
                    None,
                )
            )
        if d.alternatives:
            out.append(_alternatives_result(rid, d.start, d.end, d.alternatives))
    cue_ids: dict[tuple[int, int], str] = {}
    cue_regions: list[dict[str, Any]] = []
    for i, q in enumerate(quotes):
        rid = f"quote-{i}"
        surface = _surface(text, q.start, q.end, q.text)
        out.append(
            _region(
                rid,
                QUOTE,
                "labels",
                q.start,
                q.end,
                {"text": surface, "labels": [QUOTE_LABEL]},
                q.score,
            )
        )
        if q.kind is not None:
            out.append(
                _region(
                    rid,
                    QUOTE_KIND,
                    "choices",
                    q.start,
                    q.end,
                    {"text": surface, "choices": [q.kind]},
                    None,
                )
            )
        if q.speaker is not None:
            if mentions.get(q.speaker):
                # the mention nearest to the quote: what an annotator would link to
                _, target = min(mentions[q.speaker], key=lambda m: (abs(m[0] - q.start), m[0]))
                relations.append(_relation(rid, target, SPEAKER_REL))
            else:
                out.append(_kb_pick(rid, SPEAKER_ID, q.start, q.end, q.speaker))
        if q.cue is not None:
            key = (q.cue.start, q.cue.end)
            if key not in cue_ids:
                cue_ids[key] = f"cue-{len(cue_ids)}"
                cue_regions.append(
                    _region(
                        cue_ids[key],
                        CUE,
                        "labels",
                        q.cue.start,
                        q.cue.end,
                        {
                            "text": _surface(text, q.cue.start, q.cue.end, q.cue.text),
                            "labels": [CUE_LABEL],
                        },
                        None,
                    )
                )
            relations.append(_relation(rid, cue_ids[key], CUE_REL))
    if problems:
        raise ValidationError(problems)
    return out + cue_regions + relations


def _kb_pick(rid: str, name: str, start: int, end: int, kb_id: str) -> dict[str, Any]:
    """A pick from the KB list (``kb_id``, ``speaker_id``): a per-region taxonomy of one path."""
    return _region(rid, name, "taxonomy", start, end, {"taxonomy": [[kb_id]]}, None)


def _alternatives_result(rid: str, start: int, end: int, alts: Sequence[Span]) -> dict[str, Any]:
    return _region(
        rid, ALTERNATIVES, "textarea", start, end, {"text": [alternatives_value(alts)]}, None
    )


def _relation(from_id: str, to_id: str, label: str) -> dict[str, Any]:
    return {
        "type": "relation",
        "from_id": from_id,
        "to_id": to_id,
        "direction": "right",
        "labels": [label],
    }


def _dct_results(doc: Document, task_doc: Document) -> list[dict[str, Any]]:
    """An annotation's own DCT and reason, when they differ from the task's."""
    out = []
    for name, mine, theirs in (
        (DCT, doc.dct, task_doc.dct),
        (DCT_REASON, doc.dct_reason, task_doc.dct_reason),
    ):
        if mine != theirs:
            out.append(
                {
                    "id": name,
                    "from_name": name,
                    "to_name": TEXT,
                    "type": "textarea",
                    "value": {"text": [mine]},
                }
            )
    return out


def _mean_score(items: Iterable[Any]) -> float | None:
    scores = [x.score for x in items if x.score is not None]
    return sum(scores) / len(scores) if scores else None


def to_task(
    document: Document,
    kb: Sequence[KBEntry],
    *,
    annotations: Sequence[Document] | None = None,
    predictions: Sequence[tuple[str, Prediction]] = (),
) -> dict[str, Any]:
    """A Label Studio task for one document.

    Args:
        document: the document (its text and metadata go into ``data``).
        kb: the knowledge base, listed in the task for the annotator.
        annotations: annotation sets for the task; ``None`` (default) means the
            document itself as the one annotation, ``[]`` means none.
        predictions: ``(model_version, prediction)`` pairs, pushed as
            pre-annotations; each region keeps its ``score``, and the
            prediction's score is the mean of the region scores.

    Returns:
        The task as Label Studio imports it: ``data``, ``annotations``, ``predictions``.

    Raises:
        ValidationError: a prediction for another document, or one Label Studio cannot show.
    """
    sets = [document] if annotations is None else list(annotations)
    task: dict[str, Any] = {
        "data": _task_data(document, kb),
        "annotations": [
            {
                "result": to_results(document.text, a.entities, a.dates, a.quotes)
                + _dct_results(a, document)
            }
            for a in sets
        ],
        "predictions": [],
    }
    for version, pred in predictions:
        if pred.doc_id != document.doc_id:
            raise ValidationError(
                [
                    Problem(
                        "<to_task>",
                        None,
                        "$.doc_id",
                        f"prediction for {pred.doc_id!r} given with document {document.doc_id!r}",
                    )
                ]
            )
        ents, dates, quotes = pred.entities or (), pred.dates or (), pred.quotes or ()
        item: dict[str, Any] = {
            "model_version": version,
            "result": to_results(document.text, ents, dates, quotes),
        }
        score = _mean_score([*ents, *dates, *quotes])
        if score is not None:
            item["score"] = score
        task["predictions"].append(item)
    return task
