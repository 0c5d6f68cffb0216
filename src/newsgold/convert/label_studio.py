"""Label Studio: the labeling config and lossless task converters (pure, no I/O).

Label Studio's own converters drop relations and per-region fields, and its
server accepts any offsets and labels. Here nothing is lost and nothing wrong
is accepted: :func:`to_task` turns a gold document (and any predictions) into a
Label Studio task, :func:`from_task` turns an exported task back into gold
documents (one per annotation, so every annotator's work stays apart) and
predictions, and raises :class:`~newsgold.errors.ValidationError` with every
problem, each naming the task id and the result id.

How the gold maps onto Label Studio regions (all on the ``text`` object):

=============  =======================================================================
gold           Label Studio
=============  =======================================================================
entity         ``entity`` label (PER ...), per-region ``kb_id`` text area
date           ``date`` label (DATE, TIME, DURATION, SET = the TIMEX type), per-region
               ``date_value`` text area and optional ``date_mod`` choice
quote          ``quote`` label (QUOTE), per-region ``quote_kind`` choice
speaker        a ``speaker`` relation from the quote to an entity region with that
               ``kb_id``; when the text has no mention of the speaker, the per-region
               ``speaker_id`` text area of the quote holds the ``kb_id``
cue            a ``cue`` region (CUE) and a ``cue`` relation from the quote to it;
               quotes sharing one reporting verb share one cue region
dct            the task's ``data.dct`` / ``data.dct_reason``; an annotation that
               disagrees holds its own in the document-level ``dct`` /
               ``dct_reason`` text areas
=============  =======================================================================

Offsets: Label Studio 1.23 stores ``start``/``end`` of text regions as
Unicode code points, exactly newsgold's convention, so they pass through
unchanged (the integration test proves it with an emoji and a right-to-left
word through a real server). Region ids are deterministic (``ent-0``,
``date-3``, ``quote-1``, ``cue-0``), so the same document gives the same task.

>>> from newsgold.model import Document, Entity
>>> doc = Document("d1", "Putin spoke.", "2021-12-30", "a reason",
...                entities=(Entity(0, 5, "Putin", "PER", "vladimir-putin"),))
>>> task = to_task(doc, ())
>>> [r["from_name"] for r in task["annotations"][0]["result"]]
['entity', 'kb_id']
>>> from_task(task).annotations[0].document == doc
True
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import quoteattr

from ..errors import Problem, ValidationError, short
from ..model import (
    DATE_MODS,
    DATE_TYPES,
    ENTITY_LABELS,
    QUOTE_KINDS,
    Date,
    Document,
    Entity,
    KBEntry,
    Prediction,
    Quote,
    Span,
    sha256_text,
)

#: Names of the control tags in the generated config (the ``from_name`` of results).
ENTITY, KB_ID, DATE, DATE_VALUE, DATE_MOD = "entity", "kb_id", "date", "date_value", "date_mod"
QUOTE, QUOTE_KIND, SPEAKER_ID, CUE = "quote", "quote_kind", "speaker_id", "cue"
#: Document-level text areas: an annotator's own document creation time and its reason.
DCT, DCT_REASON = "dct", "dct_reason"
#: The object tag all regions live on (the ``to_name`` of results).
TEXT = "text"
QUOTE_LABEL, CUE_LABEL = "QUOTE", "CUE"
SPEAKER_REL, CUE_REL = "speaker", "cue"
#: Keys of a task's ``data``: the document's fields plus two display-only helpers.
DATA_KEYS = ("doc_id", "text", "text_sha256", "dct", "dct_reason", "header", "kb_help")

_COLORS = {
    "PER": "#e6194b",
    "ORG": "#3cb44b",
    "GPE": "#4363d8",
    "LOC": "#f58231",
    "NORP": "#911eb4",
    "DATE": "#008080",
    "TIME": "#469990",
    "DURATION": "#9a6324",
    "SET": "#808000",
    QUOTE_LABEL: "#f0c808",
    CUE_LABEL: "#a9a9a9",
}

_TIMEX_HINT = (
    "TIMEX3 value: DATE 2021-12-30, 2022-01, 2021-W51, 199, PAST_REF; "
    "TIME 2021-12-30T20:30, 2021-12-30TEV; DURATION PT50M, P1M; SET P1Y"
)


# --------------------------------------------------------------------------- config


def labeling_config() -> str:
    """The Label Studio labeling config (XML) generated from newsgold's label sets.

    An annotator does the whole job in the UI: select a label and mark a span;
    the region's fields (``kb_id``; a date's value and mod; a quote's kind and,
    only if the speaker has no mention in the text, ``speaker_id``) appear in
    the sidebar when the region is selected; relations (``speaker``, ``cue``)
    are drawn from a quote to an entity or a cue region.

    Returns:
        The XML text, ending with a newline; ``labelstudio/config.xml`` holds it.

    >>> cfg = labeling_config()
    >>> cfg.startswith("<View>") and '<Label value="NORP"' in cfg and 'name="date_mod"' in cfg
    True
    """

    def labels(name: str, values: Iterable[str], hint: str) -> list[str]:
        out = [f'  <Labels name="{name}" toName="{TEXT}" showInline="true">']
        out.append(f"    <!-- {hint} -->")
        for value in values:
            out.append(f'    <Label value="{value}" background="{_COLORS[value]}"/>')
        out.append("  </Labels>")
        return out

    lines = [
        "<View>",
        "  <!-- generated by `newsgold ls config` from newsgold's label sets; do not edit by hand -->",
        "  <Style>.htx-text { white-space: pre-wrap; }</Style>",
        '  <Header value="$header" size="5"/>',
        *labels(ENTITY, ENTITY_LABELS, "named mentions; each needs a kb_id"),
        *labels(DATE, DATE_TYPES, "temporal expressions: the label is the TIMEX3 type"),
        *labels(QUOTE, (QUOTE_LABEL,), "the content between the quotation marks, marks excluded"),
        *labels(CUE, (CUE_LABEL,), "the reporting verb or phrase; link it from the quote"),
        f'  <Text name="{TEXT}" value="$text" granularity="symbol"/>',
        "  <Relations>",
        f'    <Relation value="{SPEAKER_REL}"/>',
        f'    <Relation value="{CUE_REL}"/>',
        "  </Relations>",
        f'  <View visibleWhen="region-selected" whenTagName="{ENTITY}">',
        '    <Header value="Entity id (kb_id from the knowledge base below)" size="6"/>',
        f'    <TextArea name="{KB_ID}" toName="{TEXT}" perRegion="true" visibleWhen="region-selected" whenTagName="{ENTITY}"'
        ' required="true" maxSubmissions="1" editable="true" rows="1"'
        ' placeholder="vladimir-putin"/>',
        "  </View>",
        f'  <View visibleWhen="region-selected" whenTagName="{DATE}">',
        '    <Header value="TIMEX3 value (consistent with the type) and optional mod" size="6"/>',
        f'    <TextArea name="{DATE_VALUE}" toName="{TEXT}" perRegion="true" visibleWhen="region-selected" whenTagName="{DATE}"'
        ' required="true" maxSubmissions="1" editable="true" rows="1"'
        f" placeholder={quoteattr(_TIMEX_HINT)}/>",
        f'    <Choices name="{DATE_MOD}" toName="{TEXT}" perRegion="true" visibleWhen="region-selected" whenTagName="{DATE}"'
        ' choice="single" showInline="true">',
        *(f'      <Choice value="{mod}"/>' for mod in DATE_MODS),
        "    </Choices>",
        "  </View>",
        f'  <View visibleWhen="region-selected" whenTagName="{QUOTE}">',
        '    <Header value="Quote kind; speaker: draw a speaker relation to an entity,'
        ' or type the kb_id only if the text never names the speaker" size="6"/>',
        f'    <Choices name="{QUOTE_KIND}" toName="{TEXT}" perRegion="true" visibleWhen="region-selected" whenTagName="{QUOTE}"'
        ' choice="single" required="true" showInline="true">',
        *(f'      <Choice value="{kind}"/>' for kind in QUOTE_KINDS),
        "    </Choices>",
        f'    <TextArea name="{SPEAKER_ID}" toName="{TEXT}" perRegion="true" visibleWhen="region-selected" whenTagName="{QUOTE}"'
        ' maxSubmissions="1" editable="true" rows="1"'
        ' placeholder="speaker kb_id with no mention in the text"/>',
        "  </View>",
        '  <Header value="Document creation time: fill in only if the one in the header is wrong"'
        ' size="6"/>',
        f'  <TextArea name="{DCT}" toName="{TEXT}" maxSubmissions="1" editable="true" rows="1"'
        ' placeholder="YYYY-MM-DD (empty: the header\'s)"/>',
        f'  <TextArea name="{DCT_REASON}" toName="{TEXT}" maxSubmissions="1" editable="true"'
        ' rows="1" placeholder="the words of the text that justify it"/>',
        '  <Header value="Knowledge base (kb_id: name, label)" size="6"/>',
        '  <Text name="kb" value="$kb_help"/>',
        "</View>",
    ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- records -> task


def _kb_help(kb: Sequence[KBEntry]) -> str:
    return "\n".join(f"{k.kb_id}: {k.name} ({k.label})" for k in sorted(kb))


def _task_data(doc: Document, kb: Sequence[KBEntry]) -> dict[str, Any]:
    return {
        "doc_id": doc.doc_id,
        "text": doc.text,
        "text_sha256": doc.text_sha256,
        "dct": doc.dct,
        "dct_reason": doc.dct_reason,
        "header": f"{doc.doc_id} · document creation time {doc.dct} ({doc.dct_reason})",
        "kb_help": _kb_help(kb),
    }


def _surface(text: str, start: int, end: int, given: str | None) -> str:
    return given if given is not None else text[start:end]


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

    >>> rs = to_results("Putin said “no”.", [Entity(0, 5, "Putin", "PER", "vladimir-putin")], [],
    ...                 [Quote(12, 14, "no", "direct", "vladimir-putin", Span(6, 10, "said"))])
    >>> [(r["type"], r.get("from_name"), r.get("labels")) for r in rs]  # doctest: +NORMALIZE_WHITESPACE
    [('labels', 'entity', None), ('textarea', 'kb_id', None), ('labels', 'quote', None),
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
            out.append(_region(rid, KB_ID, "textarea", e.start, e.end, {"text": [e.kb_id]}, None))
            mentions[e.kb_id].append((e.start, rid))
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
                out.append(
                    _region(
                        rid, SPEAKER_ID, "textarea", q.start, q.end, {"text": [q.speaker]}, None
                    )
                )
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


# --------------------------------------------------------------------------- task -> records


@dataclass(frozen=True)
class AnnotationSet:
    """One annotator's annotation of a task, converted back.

    Attributes:
        annotation_id: Label Studio's id of the annotation (``None`` before import).
        annotator: who made it: the e-mail when the export carries it, else the user id.
        document: the annotation as a validated gold document.
    """

    annotation_id: int | None
    annotator: str | None
    document: Document


@dataclass(frozen=True)
class PredictionSet:
    """One pre-annotation of a task, converted back.

    Attributes:
        prediction_id: Label Studio's id of the prediction (``None`` before import).
        model_version: the system's name and version.
        score: the prediction's overall score, if any.
        prediction: the regions as a prediction record (region scores kept).
    """

    prediction_id: int | None
    model_version: str | None
    score: float | None
    prediction: Prediction


@dataclass(frozen=True)
class TaskContents:
    """Everything newsgold reads from one exported task.

    Attributes:
        task_id: Label Studio's task id (``None`` for a task not yet imported).
        doc_id: the document id from the task data.
        annotations: the annotation sets (cancelled ones are left out and counted).
        predictions: the pre-annotations.
        cancelled: how many annotations were cancelled (skipped) by annotators.
    """

    task_id: int | None
    doc_id: str
    annotations: tuple[AnnotationSet, ...] = ()
    predictions: tuple[PredictionSet, ...] = ()
    cancelled: int = field(default=0)


@dataclass
class _Ctx:
    """Where problems of one result list are reported."""

    source: str
    task_id: Any
    base: str  # JSON path of the annotation/prediction in the export
    problems: list[Problem]
    index_of: dict[str, int] = field(default_factory=dict)  # region id -> result index
    doc_fields: dict[str, str] = field(default_factory=dict)  # dct, dct_reason

    def add(self, message: str, rid: str | None = None, index: int | None = None) -> None:
        if index is None and rid is not None:
            index = self.index_of.get(rid)
        path = self.base if index is None else f"{self.base}.result[{index}]"
        who = f"task {self.task_id}" + ("" if rid is None else f", result {rid!r}")
        self.problems.append(Problem(self.source, None, path, f"{who}: {message}"))


@dataclass
class _Region:
    rid: str
    index: int
    kind: str  # entity, date, quote, cue
    start: int
    end: int
    text: str
    label: str
    score: float | None
    fields: dict[str, list[str]] = field(default_factory=dict)  # kb_id/date_value/... -> values
    choices: dict[str, list[str]] = field(default_factory=dict)


_LABELS = {
    ENTITY: ENTITY_LABELS,
    DATE: DATE_TYPES,
    QUOTE: (QUOTE_LABEL,),
    CUE: (CUE_LABEL,),
}
_FIELDS = {KB_ID: ENTITY, DATE_VALUE: DATE, SPEAKER_ID: QUOTE}
_CHOICES = {DATE_MOD: (DATE, DATE_MODS), QUOTE_KIND: (QUOTE, QUOTE_KINDS)}


def _is_int(x: Any) -> bool:
    return type(x) is int


def _is_score(x: Any) -> bool:
    return x is None or (
        isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)
    )


def _parse_results(
    results: Any, text: str, ctx: _Ctx
) -> tuple[dict[str, _Region], list[tuple[str, str, str, int]]]:
    """Regions by id and relations ``(from, to, label, index)``; problems go to ``ctx``.

    A region whose own result is wrong is reported once: its per-region fields
    and relations are not reported again.
    """
    regions: dict[str, _Region] = {}
    relations: list[tuple[str, str, str, int]] = []
    if not isinstance(results, list):
        ctx.add(f"result is {short(results)} (expected a list of result items)")
        return regions, relations
    extras: list[tuple[int, dict[str, Any]]] = []
    broken: set[str] = set()
    for i, item in enumerate(results):
        if not isinstance(item, dict):
            ctx.add(f"got {short(item)}, expected a result object", index=i)
            continue
        if item.get("type") == "relation":
            relation = _relation_item(item, i, ctx)
            if relation is not None:
                relations.append(relation)
            continue
        rid = item.get("id")
        if not isinstance(rid, str) or not rid:
            ctx.add(f"result without an id (got {short(item)})", index=i)
            continue
        if not _region_item(item, rid, i, text, ctx, regions, extras):
            broken.add(rid)
    _region_fields(regions, extras, broken, ctx)
    for a, b, _label, i in relations:
        for end_id in (a, b):
            if end_id not in regions and end_id not in broken:
                ctx.add(f"relation {a} -> {b} points to no region {end_id!r}", index=i)
    return regions, relations


def _relation_item(item: dict[str, Any], i: int, ctx: _Ctx) -> tuple[str, str, str, int] | None:
    a, b, labels = item.get("from_id"), item.get("to_id"), item.get("labels")
    if not isinstance(a, str) or not isinstance(b, str):
        ctx.add(f"relation without from_id/to_id (got {short(item)})", index=i)
        return None
    direction = item.get("direction", "right")
    if direction == "left":
        a, b = b, a
    elif direction != "right":
        ctx.add(
            f"relation {a} -> {b} has direction {direction!r} (expected 'right': from the quote)",
            index=i,
        )
        return None
    if not isinstance(labels, list) or len(labels) != 1:
        ctx.add(
            f"relation {a} -> {b} has labels {short(labels)} (expected exactly one of "
            f"{SPEAKER_REL!r}, {CUE_REL!r}; pick one in the relation's label menu)",
            index=i,
        )
        return None
    return (a, b, labels[0], i)


def _region_item(
    item: dict[str, Any],
    rid: str,
    i: int,
    text: str,
    ctx: _Ctx,
    regions: dict[str, _Region],
    extras: list[tuple[int, dict[str, Any]]],
) -> bool:
    """Read a region's label result, or queue a per-region field; ``False`` when it is wrong."""
    rtype, name = item.get("type"), item.get("from_name")
    if item.get("to_name") != TEXT:
        ctx.add(f"to_name {short(item.get('to_name'))} (expected {TEXT!r})", rid, i)
        return False
    value = item.get("value")
    if not isinstance(value, dict):
        ctx.add(f"value is {short(value)} (expected an object)", rid, i)
        return False
    if name in (DCT, DCT_REASON) and rtype == "textarea":
        texts = value.get("text")
        if name in ctx.doc_fields:
            ctx.add(f"{name} given twice", rid, i)
        elif (
            not isinstance(texts, list)
            or len(texts) != 1
            or not isinstance(texts[0], str)
            or not texts[0].strip()
        ):
            ctx.add(f"{name} is {short(texts)} (expected exactly one value)", rid, i)
        else:
            ctx.doc_fields[name] = texts[0]
            ctx.index_of.setdefault(rid, i)
        return True
    start, end = value.get("start"), value.get("end")
    if not (isinstance(start, int) and isinstance(end, int)) or not (
        _is_int(start) and _is_int(end)
    ):
        ctx.add(
            f"offsets {short(start)}..{short(end)} (expected integer code-point offsets)", rid, i
        )
        return False
    n = len(text)
    if not 0 <= start < end <= n:
        ctx.add(
            f"offsets [{start}:{end}] outside the text of length {n} "
            "(expected 0 <= start < end <= len(text))",
            rid,
            i,
        )
        return False
    if not _is_score(item.get("score")):
        ctx.add(f"score {short(item.get('score'))} (expected a finite number)", rid, i)
        return False
    if (rtype == "textarea" and name in _FIELDS) or (rtype == "choices" and name in _CHOICES):
        extras.append((i, item))
        return True
    if rtype != "labels" or name not in _LABELS:
        ctx.add(
            f"unknown result type {short(rtype)} from {short(name)} (expected the controls of "
            "newsgold's labeling config: `newsgold ls config`)",
            rid,
            i,
        )
        return False
    labels = value.get("labels")
    if rid in regions:
        ctx.add(f"two label results share the id (the other is {regions[rid].kind})", rid, i)
        return False
    if not isinstance(labels, list) or len(labels) != 1:
        ctx.add(f"labels {short(labels)} (expected exactly one label per region)", rid, i)
        return False
    if labels[0] not in _LABELS[name]:
        ctx.add(
            f"unknown {name} label {short(labels[0])} (expected one of {', '.join(_LABELS[name])})",
            rid,
            i,
        )
        return False
    surface = value.get("text")
    if surface is not None and surface != text[start:end]:
        ctx.add(
            f"text {short(surface)} is not the text at [{start}:{end}] = {short(text[start:end])}",
            rid,
            i,
        )
        return False
    score = item.get("score")
    regions[rid] = _Region(
        rid,
        i,
        name,
        start,
        end,
        text[start:end],
        labels[0],
        None if score is None else float(score),
    )
    ctx.index_of.setdefault(rid, i)
    return True


def _region_fields(
    regions: dict[str, _Region],
    extras: list[tuple[int, dict[str, Any]]],
    broken: set[str],
    ctx: _Ctx,
) -> None:
    """Attach per-region text areas and choices to their regions."""
    for i, item in extras:
        rid, name, value = item["id"], item["from_name"], item["value"]
        region = regions.get(rid)
        if region is None:
            if rid not in broken:
                ctx.add(
                    f"{name} given for a region that has no label (expected a labeled region)",
                    rid,
                    i,
                )
            continue
        if (value["start"], value["end"]) != (region.start, region.end):
            ctx.add(
                f"{name} at [{value['start']}:{value['end']}] but its region is at "
                f"[{region.start}:{region.end}]",
                rid,
                i,
            )
            continue
        if name in _FIELDS:
            want = _FIELDS[name]
            texts = value.get("text")
            if region.kind != want:
                ctx.add(
                    f"{name} on a {region.kind} region (expected it only on {want} regions)", rid, i
                )
            elif name in region.fields:
                ctx.add(f"{name} given twice for the region", rid, i)
            elif (
                not isinstance(texts, list)
                or len(texts) != 1
                or not isinstance(texts[0], str)
                or texts[0] != texts[0].strip()
                or not texts[0]
            ):
                ctx.add(
                    f"{name} is {short(texts)} (expected exactly one value without surrounding "
                    "white space; delete the extra entries in the region's text box)",
                    rid,
                    i,
                )
            else:
                region.fields[name] = texts
        else:
            want, allowed = _CHOICES[name]
            choices = value.get("choices")
            if region.kind != want:
                ctx.add(
                    f"{name} on a {region.kind} region (expected it only on {want} regions)", rid, i
                )
            elif name in region.choices:
                ctx.add(f"{name} given twice for the region", rid, i)
            elif not isinstance(choices, list) or len(choices) != 1 or choices[0] not in allowed:
                ctx.add(
                    f"{name} is {short(choices)} (expected exactly one of {', '.join(allowed)})",
                    rid,
                    i,
                )
            else:
                region.choices[name] = choices


def _layers(
    regions: Mapping[str, _Region],
    relations: Sequence[tuple[str, str, str, int]],
    ctx: _Ctx,
    *,
    sort: bool,
) -> tuple[list[tuple[str, Entity]], list[tuple[str, Date]], list[tuple[str, Quote, str | None]]]:
    speakers: dict[str, str] = {}
    cues: dict[str, str] = {}
    linked_cues: set[str] = set()
    for a, b, label, i in relations:
        if a not in regions or b not in regions:
            continue
        src, dst = regions[a], regions[b]
        if label not in (SPEAKER_REL, CUE_REL):
            ctx.add(
                f"relation {a} -> {b} labeled {label!r} (expected {SPEAKER_REL!r} or {CUE_REL!r})",
                index=i,
            )
            continue
        want = ENTITY if label == SPEAKER_REL else CUE
        if src.kind != QUOTE or dst.kind != want:
            ctx.add(
                f"{label} relation from a {src.kind} to a {dst.kind} region "
                f"(expected from a quote to {'an entity' if want == ENTITY else 'a cue'})",
                index=i,
            )
            continue
        target = speakers if label == SPEAKER_REL else cues
        if a in target:
            ctx.add(f"quote has two {label} relations ({target[a]} and {b}; expected one)", a)
            continue
        target[a] = b
        if label == CUE_REL:
            linked_cues.add(b)

    order = (
        sorted(regions.values(), key=lambda r: (r.start, r.end, r.rid))
        if sort
        else sorted(regions.values(), key=lambda r: r.index)
    )
    entities: list[tuple[str, Entity]] = []
    dates: list[tuple[str, Date]] = []
    quotes: list[tuple[str, Quote, str | None]] = []
    for r in order:
        if r.kind == ENTITY:
            kb = r.fields.get(KB_ID)
            entities.append(
                (r.rid, Entity(r.start, r.end, r.text, r.label, kb[0] if kb else None, r.score))
            )
        elif r.kind == DATE:
            value = r.fields.get(DATE_VALUE)
            mod = r.choices.get(DATE_MOD)
            dates.append(
                (
                    r.rid,
                    Date(
                        r.start,
                        r.end,
                        r.text,
                        r.label,
                        value[0] if value else None,
                        mod[0] if mod else None,
                        r.score,
                    ),
                )
            )
        elif r.kind == QUOTE:
            speaker = None
            if r.rid in speakers:
                linked = regions[speakers[r.rid]]
                kb = linked.fields.get(KB_ID)
                if not kb:
                    ctx.add(
                        f"speaker relation to {linked.rid}, an entity without a kb_id "
                        "(expected the entity's kb_id filled in)",
                        r.rid,
                    )
                else:
                    speaker = kb[0]
            typed = r.fields.get(SPEAKER_ID)
            if typed:
                if r.rid in speakers and speaker is not None and typed[0] != speaker:
                    ctx.add(
                        f"speaker_id {typed[0]!r} contradicts the speaker relation to "
                        f"{speakers[r.rid]} ({speaker!r}); keep one",
                        r.rid,
                    )
                speaker = typed[0]
            cue = None
            if r.rid in cues:
                c = regions[cues[r.rid]]
                cue = Span(c.start, c.end, c.text)
            kind = r.choices.get(QUOTE_KIND)
            quotes.append(
                (
                    r.rid,
                    Quote(r.start, r.end, r.text, kind[0] if kind else None, speaker, cue, r.score),
                    cues.get(r.rid),
                )
            )
    for r in regions.values():
        if r.kind == CUE and r.rid not in linked_cues:
            ctx.add(
                "cue region linked from no quote (expected a cue relation from its quote)", r.rid
            )
    return entities, dates, quotes


def _task_meta(task: Mapping[str, Any], ctx: _Ctx) -> dict[str, str] | None:
    data = task.get("data")
    if not isinstance(data, dict):
        ctx.add(f"data is {short(data)} (expected an object with the document's fields)")
        return None
    bad = False
    for key in sorted(set(data) - set(DATA_KEYS)):
        ctx.add(f"unknown key {key!r} in data (expected only: {', '.join(DATA_KEYS)})")
        bad = True
    for key in ("doc_id", "text", "dct", "dct_reason"):
        if not isinstance(data.get(key), str):
            ctx.add(f"data.{key} is {short(data.get(key))} (expected a string)")
            bad = True
    if bad:
        return None
    sha = data.get("text_sha256")
    if sha is not None and sha != sha256_text(data["text"]):
        ctx.add(
            f"data.text_sha256 {short(sha)} is not the sha256 of data.text "
            "(the text was changed; expected the seed text unchanged)"
        )
        return None
    return {k: data[k] for k in ("doc_id", "text", "dct", "dct_reason")}


def _doc_checks(
    doc: Document,
    origins: Mapping[tuple[str, int], str],
    kb: Mapping[str, KBEntry] | None,
    ctx: _Ctx,
) -> None:
    """Everything ``newsgold validate`` checks on a gold file, reported per result id."""
    from ..jsonio import document_to_json
    from ..schema import schema_problems
    from ..validate import calendar_problem, check_spans, overlap_problems

    obj = document_to_json(doc)

    def report(problems: Iterable[Problem]) -> None:
        for p in problems:
            parts = p.path.lstrip("$.").replace("]", "").split("[")
            rid = None
            if len(parts) >= 2 and parts[1].split(".")[0].isdigit():
                rid = origins.get((parts[0], int(parts[1].split(".")[0])))
                if rid is not None and p.path.split("]")[-1].startswith(".cue"):
                    rid = origins.get(("cue", int(parts[1].split(".")[0])), rid)
            ctx.add(f"{p.path}: {p.message}", rid)

    def nowhere(_parts: Any) -> None:
        return None

    report(schema_problems(obj, "document", ctx.source))
    for layer in ("entities", "dates", "quotes"):
        report(check_spans(obj[layer], doc.text, layer, ctx.source, nowhere))
    report(overlap_problems(obj["entities"], "entities", ctx.source, nowhere))
    report(overlap_problems(obj["dates"], "dates", ctx.source, nowhere))
    report(overlap_problems(obj["quotes"], "quotes", ctx.source, nowhere, allow_nesting=True))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc.dct):
        try:
            dt.date.fromisoformat(doc.dct)
        except ValueError:
            ctx.add(f"$.dct: got {doc.dct!r}, expected a real calendar date YYYY-MM-DD", DCT)
    for i, d in enumerate(doc.dates):
        bad = calendar_problem(d.value) if isinstance(d.value, str) else None
        if bad:
            ctx.add(f"$.dates[{i}].value: got {d.value!r}: {bad}", origins.get(("dates", i)))
    if kb is None:
        return
    for i, e in enumerate(doc.entities):
        rid = origins.get(("entities", i))
        if e.kb_id is None:
            continue
        entry = kb.get(e.kb_id)
        if entry is None:
            ctx.add(
                f"$.entities[{i}].kb_id: unknown kb_id {e.kb_id!r} "
                "(expected an id in kb.json; add the entity there)",
                rid,
            )
            continue
        if entry.label != e.label:
            ctx.add(
                f"$.entities[{i}].label: got {e.label!r}, expected {entry.label!r}, "
                f"the label of {entry.kb_id!r} in kb.json",
                rid,
            )
        if e.text not in entry.aliases:
            ctx.add(
                f"$.entities[{i}].text: surface {e.text!r} is not among the aliases of "
                f"{entry.kb_id!r} (expected it listed in kb.json)",
                rid,
            )
    for i, q in enumerate(doc.quotes):
        if q.speaker is not None and q.speaker not in kb:
            ctx.add(
                f"$.quotes[{i}].speaker: unknown speaker {q.speaker!r} "
                "(expected a kb_id in kb.json or none)",
                origins.get(("quotes", i)),
            )


def from_task(
    task: Mapping[str, Any],
    *,
    kb: Sequence[KBEntry] | None = None,
    source: str = "<task>",
    index: int | None = None,
) -> TaskContents:
    """Read one Label Studio task (as exported, or as made by :func:`to_task`).

        Every annotation becomes a gold document, validated as strictly as
        ``newsgold validate`` validates a gold file (schema, offsets inside the
        text, ``text`` equal to the slice, labels, sorted and non-overlapping
        spans, TIMEX values, and with ``kb`` the KB ids, labels and aliases) plus
        what only Label Studio results can get wrong (one label per region,
        per-region fields on their region, relations between existing regions of
        the right kinds). Every prediction becomes a :class:`Prediction`, its
    spans with their ``text`` filled in from the document; Label Studio has no
    place for "this layer was not predicted", so a layer a system left out comes
    back as an empty layer.

        Args:
            task: the task object.
            kb: the knowledge base, to check ``kb_id`` and speakers (``None``: skip).
            source: the file name for problems (e.g. the export's name).
            index: the task's position in the export (for JSON paths).

        Returns:
            The task's annotations and predictions.

        Raises:
            ValidationError: with every problem, each naming the task id and result id.
    """
    problems: list[Problem] = []
    base = "$" if index is None else f"$[{index}]"
    task_id = task.get("id") if isinstance(task, Mapping) else None
    ctx = _Ctx(source, task_id, base, problems)
    if not isinstance(task, Mapping):
        ctx.add(f"got {short(task)}, expected a task object")
        raise ValidationError(problems)
    meta = _task_meta(task, ctx)
    if meta is None:
        raise ValidationError(problems)
    text = meta["text"]
    kb_map = None if kb is None else {k.kb_id: k for k in kb}

    sets: list[AnnotationSet] = []
    cancelled = 0
    anns = task.get("annotations", [])
    if not isinstance(anns, list):
        ctx.add(f"annotations is {short(anns)} (expected a list)")
        anns = []
    for j, ann in enumerate(anns):
        actx = _Ctx(source, task_id, f"{base}.annotations[{j}]", problems)
        if not isinstance(ann, dict):
            actx.add(f"got {short(ann)}, expected an annotation object")
            continue
        if ann.get("was_cancelled"):
            cancelled += 1
            continue
        regions, relations = _parse_results(ann.get("result"), text, actx)
        ents, dates, quotes = _layers(regions, relations, actx, sort=True)
        doc = Document(
            meta["doc_id"],
            text,
            actx.doc_fields.get(DCT, meta["dct"]),
            actx.doc_fields.get(DCT_REASON, meta["dct_reason"]),
            entities=tuple(e for _, e in ents),
            dates=tuple(d for _, d in dates),
            quotes=tuple(q for _, q, _ in quotes),
        )
        origins: dict[tuple[str, int], str] = {}
        for k, (rid, _) in enumerate(ents):
            origins[("entities", k)] = rid
        for k, (rid, _) in enumerate(dates):
            origins[("dates", k)] = rid
        for k, (rid, _, cue_id) in enumerate(quotes):
            origins[("quotes", k)] = rid
            if cue_id is not None:
                origins[("cue", k)] = cue_id
        before = len(problems)
        _doc_checks(doc, origins, kb_map, actx)
        if len(problems) == before:
            sets.append(AnnotationSet(ann.get("id"), _annotator(ann.get("completed_by")), doc))

    preds: list[PredictionSet] = []
    raw_preds = task.get("predictions", [])
    if not isinstance(raw_preds, list):
        ctx.add(f"predictions is {short(raw_preds)} (expected a list)")
        raw_preds = []
    for j, pred in enumerate(raw_preds):
        pctx = _Ctx(source, task_id, f"{base}.predictions[{j}]", problems)
        if not isinstance(pred, dict):
            pctx.add(
                f"got {short(pred)}, expected a prediction object (export with "
                'serialization_options={"predictions": {"only_id": False}})'
            )
            continue
        if not _is_score(pred.get("score")):
            pctx.add(f"score {short(pred.get('score'))} (expected a finite number)")
            continue
        regions, relations = _parse_results(pred.get("result"), text, pctx)
        ents, dates, quotes = _layers(regions, relations, pctx, sort=False)
        version = pred.get("model_version")
        score = pred.get("score")
        preds.append(
            PredictionSet(
                pred.get("id"),
                None if version in (None, "") else str(version),
                None if score is None else float(score),
                Prediction(
                    meta["doc_id"],
                    entities=tuple(e for _, e in ents),
                    dates=tuple(d for _, d in dates),
                    quotes=tuple(q for _, q, _ in quotes),
                ),
            )
        )
    if problems:
        raise ValidationError(problems)
    return TaskContents(
        task_id if _is_int(task_id) else None,
        meta["doc_id"],
        tuple(sets),
        tuple(preds),
        cancelled,
    )


def _annotator(completed_by: Any) -> str | None:
    if isinstance(completed_by, dict):
        email = completed_by.get("email")
        if isinstance(email, str) and email:
            return email
        completed_by = completed_by.get("id")
    return None if completed_by is None else str(completed_by)


def from_export(
    tasks: Any, *, kb: Sequence[KBEntry] | None = None, source: str = "<export>"
) -> list[TaskContents]:
    """Read a whole Label Studio JSON export (a list of tasks), collecting every problem.

    Args:
        tasks: the parsed export.
        kb: the knowledge base for the checks (``None``: skip them).
        source: the file name for problems.

    Returns:
        One :class:`TaskContents` per task, in export order.

    Raises:
        ValidationError: every problem of every task, and documents exported twice.

    >>> from_export({"a": 1}, source="x.json")
    Traceback (most recent call last):
    ...
    newsgold.errors.ValidationError: x.json: $: got {"a": 1}, expected a list of tasks (Label Studio's JSON export)
    """
    if not isinstance(tasks, list):
        raise ValidationError(
            [
                Problem(
                    source,
                    None,
                    "$",
                    f"got {short(tasks)}, expected a list of tasks (Label Studio's JSON export)",
                )
            ]
        )
    problems: list[Problem] = []
    out: list[TaskContents] = []
    seen: dict[str, Any] = {}
    for i, task in enumerate(tasks):
        try:
            contents = from_task(task, kb=kb, source=source, index=i)
        except ValidationError as exc:
            problems += exc.problems
            continue
        if contents.doc_id in seen:
            problems.append(
                Problem(
                    source,
                    None,
                    f"$[{i}].data.doc_id",
                    f"task {contents.task_id}: document {contents.doc_id!r} also in task "
                    f"{seen[contents.doc_id]} (expected one task per document)",
                )
            )
            continue
        seen[contents.doc_id] = contents.task_id
        out.append(contents)
    if problems:
        raise ValidationError(problems)
    return out


def select_annotations(
    contents: Sequence[TaskContents],
    *,
    annotator: str | None = None,
    by_annotator: bool = False,
    source: str = "<export>",
) -> dict[str | None, list[Document]]:
    """Choose the gold documents to write from exported tasks, keeping annotators apart.

    Args:
        contents: the tasks, from :func:`from_export`.
        annotator: take only this annotator's annotation of every task.
        by_annotator: take every annotation, grouped by annotator (for agreement).
        source: the file name for problems.

    Returns:
        annotator → documents (sorted by ``doc_id``). Without ``annotator`` or
        ``by_annotator`` the one key is ``None`` and every task must have exactly
        one annotation; with ``annotator`` the key is that annotator.

    Raises:
        ValidationError: a task without an annotation, with several where one is
            expected, or an annotator with two annotations of one task.

    >>> select_annotations([TaskContents(7, "d1")], source="x.json")
    Traceback (most recent call last):
    ...
    newsgold.errors.ValidationError: x.json: $: task 7 (d1): no annotation (expected one; annotate it or leave it out of the export)
    """
    problems: list[Problem] = []
    out: dict[str | None, list[Document]] = defaultdict(list)

    def add(task: TaskContents, message: str) -> None:
        problems.append(
            Problem(source, None, "$", f"task {task.task_id} ({task.doc_id}): {message}")
        )

    for task in contents:
        anns = task.annotations
        if by_annotator:
            seen: dict[str | None, int] = {}
            for a in anns:
                if a.annotator in seen:
                    add(
                        task,
                        f"annotator {a.annotator} made two annotations (ids {seen[a.annotator]} "
                        f"and {a.annotation_id}; expected one per annotator: delete one)",
                    )
                    continue
                seen[a.annotator] = a.annotation_id or 0
                out[a.annotator].append(a.document)
            continue
        if annotator is not None:
            mine = [a for a in anns if a.annotator == annotator]
            if len(mine) != 1:
                others = ", ".join(sorted({str(a.annotator) for a in anns})) or "nobody"
                add(
                    task,
                    f"{len(mine)} annotations by {annotator} (expected one; annotated by {others})",
                )
                continue
            out[annotator].append(mine[0].document)
            continue
        if len(anns) != 1:
            if not anns:
                add(task, "no annotation (expected one; annotate it or leave it out of the export)")
            else:
                who = ", ".join(str(a.annotator) for a in anns)
                add(
                    task,
                    f"{len(anns)} annotations (by {who}; expected one: choose with --annotator, or "
                    "keep them apart with --by-annotator)",
                )
            continue
        out[None].append(anns[0].document)
    if problems:
        raise ValidationError(problems)
    return {k: sorted(v, key=lambda d: d.doc_id) for k, v in out.items()}
