"""Adjudication of two annotators through a Label Studio review project (pure; no I/O).

Two annotators' folders are merged document by document
(:func:`newsgold.agreement.split_document`): the items both have identically
are accepted; a document with any disagreement goes to a review project as a
task with no annotation and two predictions, each annotator's whole reading
with their name as ``model_version``, and a header listing the
disagreements. A reviewer opens the task, starts from either reading, settles
every disagreement and submits. Reading the project back gives the
adjudicated gold: the fully agreed documents as they are, and the reviewed
documents as the reviewer submitted them, with a record of every decision
(item, reading A, reading B, what was chosen, by whom).

>>> from newsgold.model import Document, Entity
>>> t = "Russian troops."
>>> a = Document("d", t, "2021-12-30", "r", entities=(Entity(0, 7, "Russian", "NORP", "russian"),))
>>> b = Document("d", t, "2021-12-30", "r", entities=(Entity(0, 7, "Russian", "GPE", "russia"),))
>>> plan = plan_review("a@x", {"d": a}, "b@x", {"d": b})
>>> (plan.agreed, [d.doc_id for d in plan.review])
({}, ['d'])
>>> decide(plan.review[0], a, "a@x", "b@x", "boss@x")[0]["chosen_from"]
'a@x'
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..agreement import LAYER_NAMES, Disagreement, describe, split_document
from ..errors import Problem
from ..jsonio import document_to_json
from ..model import Document, KBEntry, Prediction

RECORD_VERSION = 1


@dataclass(frozen=True)
class DocumentReview:
    """One document where the two annotators disagree.

    Attributes:
        doc_id: the document.
        a: the first annotator's document.
        b: the second annotator's document.
        agreed: per layer, the items both have identically (gold-file JSON objects).
        disagreements: the stretches they read differently (an empty tuple when
            only the document creation time differs).
    """

    doc_id: str
    a: Document
    b: Document
    agreed: Mapping[str, list[dict[str, Any]]]
    disagreements: tuple[Disagreement, ...]

    @property
    def dct_differs(self) -> bool:
        """Whether the two differ on the document creation time or its reason."""
        return (self.a.dct, self.a.dct_reason) != (self.b.dct, self.b.dct_reason)


@dataclass(frozen=True)
class ReviewPlan:
    """What adjudication does with two annotators' folders.

    Attributes:
        a: the first annotator's name (the ``model_version`` of their reading).
        b: the second annotator's name.
        agreed: documents both annotated identically: accepted as they are.
        review: documents with a disagreement: they go to the review project.
        alone: documents only one of the two annotated: ``doc_id`` → that annotator;
            not adjudicated (there is nothing to compare).
    """

    a: str
    b: str
    agreed: Mapping[str, Document]
    review: tuple[DocumentReview, ...]
    alone: Mapping[str, str] = field(default_factory=dict)


def plan_review(
    a: str, docs_a: Mapping[str, Document], b: str, docs_b: Mapping[str, Document]
) -> ReviewPlan:
    """Split two annotators' documents into the agreed ones and those to review.

    Args:
        a: the first annotator's name.
        docs_a: their documents by ``doc_id``.
        b: the second annotator's name (different from ``a``).
        docs_b: their documents by ``doc_id``.

    Returns:
        The :class:`ReviewPlan`.
    """
    agreed: dict[str, Document] = {}
    review: list[DocumentReview] = []
    alone: dict[str, str] = {}
    for doc_id in sorted(set(docs_a) | set(docs_b)):
        if doc_id not in docs_b:
            alone[doc_id] = a
            continue
        if doc_id not in docs_a:
            alone[doc_id] = b
            continue
        da, db = docs_a[doc_id], docs_b[doc_id]
        items, found = split_document(da, db, LAYER_NAMES)
        item = DocumentReview(doc_id, da, db, items, tuple(found))
        if found or item.dct_differs:
            review.append(item)
        else:
            agreed[doc_id] = da
    return ReviewPlan(a, b, agreed, tuple(review), alone)


def review_header(item: DocumentReview, a: str, b: str) -> str:
    """The task header a reviewer reads: every disagreement with both readings."""
    lines = [f"{item.doc_id} · review {len(item.disagreements)} disagreement(s) of {a} and {b}"]
    if item.dct_differs:
        lines.append(
            f"document creation time: {a}: {item.a.dct} ({item.a.dct_reason}); "
            f"{b}: {item.b.dct} ({item.b.dct_reason}) · fill the dct fields below if not {item.a.dct}"
        )
    for d in item.disagreements:
        ra = "; ".join(describe(d.layer, x) for x in d.reading_a()) or "nothing"
        rb = "; ".join(describe(d.layer, x) for x in d.reading_b()) or "nothing"
        lines.append(f"{d.layer} [{d.start}:{d.end}]: {a}: {ra} | {b}: {rb}")
    return "\n".join(lines)


def review_tasks(plan: ReviewPlan, kb: Sequence[KBEntry]) -> list[dict[str, Any]]:
    """The review project's tasks: no annotation, both readings as predictions.

    Args:
        plan: from :func:`plan_review`.
        kb: the knowledge base (listed in every task).

    Returns:
        One task per document to review, each with two predictions whose
        ``model_version`` is the annotator's name.
    """
    from .tasks import to_task

    tasks = []
    for item in plan.review:
        task = to_task(
            item.a,
            kb,
            annotations=[],
            predictions=[
                (plan.a, Prediction(item.doc_id, item.a.entities, item.a.dates, item.a.quotes)),
                (plan.b, Prediction(item.doc_id, item.b.entities, item.b.dates, item.b.quotes)),
            ],
        )
        task["data"]["header"] = review_header(item, plan.a, plan.b)
        tasks.append(task)
    return tasks


def _keys(items: Sequence[Mapping[str, Any]]) -> list[str]:
    return sorted(json.dumps(x, sort_keys=True, ensure_ascii=False) for x in items)


def _overlapping(items: Sequence[dict[str, Any]], start: int, end: int) -> list[dict[str, Any]]:
    return [x for x in items if x["start"] < end and start < x["end"]]


def decide(
    item: DocumentReview, reviewed: Document, a: str, b: str, reviewer: str | None
) -> list[dict[str, Any]]:
    """Every decision the reviewer made on one document.

    A disagreement's decision is what the reviewed document holds over that
    stretch: the reading of ``a``, of ``b``, or the reviewer's own. An agreed
    item the reviewer changed and an item the reviewer added elsewhere are
    decisions too, so nothing the reviewer did goes unrecorded.

    Args:
        item: the document's review (from :func:`plan_review`).
        reviewed: the reviewer's submitted document.
        a: the first annotator's name.
        b: the second annotator's name.
        reviewer: who reviewed (e-mail, or user id).

    Returns:
        Decisions as JSON objects: ``doc_id``, ``layer``, ``start``, ``end``,
        ``text``, ``what`` (``disagreement``, ``agreed item changed``,
        ``added by the reviewer``, ``document creation time``), ``a``, ``b``,
        ``chosen`` (items), ``chosen_from`` (``a``'s name, ``b``'s name, or
        ``reviewer``) and ``by``.
    """
    final = document_to_json(reviewed)
    out: list[dict[str, Any]] = []
    covered: dict[str, set[str]] = {layer: set() for layer in LAYER_NAMES}

    def record(
        layer: str,
        start: int,
        end: int,
        what: str,
        ra: list[dict[str, Any]],
        rb: list[dict[str, Any]],
        chosen: list[dict[str, Any]],
    ) -> None:
        keys = _keys(chosen)
        source = a if keys == _keys(ra) else b if keys == _keys(rb) else "reviewer"
        out.append(
            {
                "doc_id": item.doc_id,
                "layer": layer,
                "start": start,
                "end": end,
                "text": item.a.text[start:end],
                "what": what,
                "a": ra,
                "b": rb,
                "chosen": chosen,
                "chosen_from": source,
                "by": reviewer,
            }
        )
        covered[layer].update(_keys(chosen))

    if item.dct_differs:
        da = {"dct": item.a.dct, "dct_reason": item.a.dct_reason}
        db = {"dct": item.b.dct, "dct_reason": item.b.dct_reason}
        mine = {"dct": reviewed.dct, "dct_reason": reviewed.dct_reason}
        out.append(
            {
                "doc_id": item.doc_id,
                "layer": "document",
                "start": 0,
                "end": 0,
                "text": "",
                "what": "document creation time",
                "a": [da],
                "b": [db],
                "chosen": [mine],
                "chosen_from": a if mine == da else b if mine == db else "reviewer",
                "by": reviewer,
            }
        )
    for d in item.disagreements:
        chosen = _overlapping(final[d.layer], d.start, d.end)
        record(d.layer, d.start, d.end, "disagreement", d.reading_a(), d.reading_b(), chosen)
    for layer in LAYER_NAMES:
        have = set(_keys(final[layer]))
        for x in item.agreed[layer]:
            (key,) = _keys([x])
            if key not in have:
                chosen = _overlapping(final[layer], x["start"], x["end"])
                record(layer, x["start"], x["end"], "agreed item changed", [x], [x], chosen)
        agreed_keys = set(_keys(item.agreed[layer]))
        for x in final[layer]:
            (key,) = _keys([x])
            if key not in agreed_keys and key not in covered[layer]:
                record(layer, x["start"], x["end"], "added by the reviewer", [], [], [x])
    out.sort(key=lambda r: (r["start"], r["end"], r["layer"]))
    return out


@dataclass(frozen=True)
class Adjudicated:
    """The adjudicated gold read back from a review project.

    Attributes:
        documents: the gold: agreed documents and reviewed ones, by ``doc_id``.
        record: the record of every decision (JSON object; see :func:`to_record_markdown`).
        awaiting: documents still without a submitted review (left out).
        problems: reviews that cannot be read (named by task, reviewer, result id),
            and predictions that no longer match the annotators' folders.
    """

    documents: Mapping[str, Document]
    record: Mapping[str, Any]
    awaiting: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()


def _same_reading(doc: Document, pred: Prediction) -> bool:
    return (pred.entities, pred.dates, pred.quotes) == (doc.entities, doc.dates, doc.quotes)


def adjudicated(
    plan: ReviewPlan,
    tasks: Any,
    *,
    kb: Sequence[KBEntry] | None,
    project: int | None,
    source: str,
) -> Adjudicated:
    """The adjudicated gold from a review project's export and the plan it was made from.

    Args:
        plan: the plan, recomputed from the two folders.
        tasks: the review project's JSON export (full predictions).
        kb: the knowledge base for the checks.
        project: the review project's id (recorded).
        source: the export's name for problems.

    Returns:
        The :class:`Adjudicated` gold, its record, what awaits review and the problems.
    """
    from .export import choose_annotations, read_export

    reading = read_export(tasks, kb=kb, source=source)
    chosen = choose_annotations(reading.contents, source=source)
    problems: list[Problem] = [*reading.problems, *chosen.problems]
    reviewed = {d.doc_id: d for d in chosen.chosen.get(None, [])}
    reviewers: dict[str, str | None] = {}
    in_project: set[str] = set()
    stale: set[str] = set()  # tasks whose readings are no longer the folders'
    for task in reading.contents:
        in_project.add(task.doc_id)
        for ann in task.annotations[:1]:
            reviewers[task.doc_id] = ann.annotator
        readings = {p.model_version: p.prediction for p in task.predictions}
        for item in plan.review:
            if item.doc_id != task.doc_id:
                continue
            for name, doc in ((plan.a, item.a), (plan.b, item.b)):
                pred = readings.get(name)
                if pred is None or not _same_reading(doc, pred):
                    problems.append(
                        Problem(
                            source,
                            None,
                            "$",
                            f"task {task.task_id} ({task.doc_id}): the prediction of {name!r} is "
                            f"not {name}'s folder as it is now (changed since the review project "
                            "was made? make a new one with `newsgold ls adjudicate`)",
                        )
                    )
                    reviewed.pop(task.doc_id, None)
                    stale.add(task.doc_id)
    documents: dict[str, Document] = dict(plan.agreed)
    decisions: list[dict[str, Any]] = []
    status: dict[str, str] = {d: "agreed" for d in plan.agreed}
    awaiting = []
    for item in plan.review:
        if item.doc_id in reviewed:
            documents[item.doc_id] = reviewed[item.doc_id]
            decisions += decide(
                item, reviewed[item.doc_id], plan.a, plan.b, reviewers.get(item.doc_id)
            )
            status[item.doc_id] = "reviewed"
        elif item.doc_id not in in_project:
            status[item.doc_id] = "not in the review project"
            problems.append(
                Problem(
                    source,
                    None,
                    "$",
                    f"document {item.doc_id!r}: {plan.a} and {plan.b} disagree on it, but the "
                    "review project has no task for it (make a new one with `newsgold ls adjudicate`)",
                )
            )
        elif item.doc_id in stale:
            status[item.doc_id] = "left out: a folder changed since the review project was made"
        else:
            status[item.doc_id] = "awaiting review"
            awaiting.append(item.doc_id)
    for doc_id, who in plan.alone.items():
        status[doc_id] = f"annotated by {who} only: not adjudicated"
    record = {
        "record_version": RECORD_VERSION,
        "a": plan.a,
        "b": plan.b,
        "review_project": project,
        "documents": dict(sorted(status.items())),
        "decisions": decisions,
    }
    return Adjudicated(dict(sorted(documents.items())), record, tuple(awaiting), tuple(problems))


def to_record_markdown(record: Mapping[str, Any]) -> str:
    """The record of an adjudication as Markdown: documents, then one row per decision."""
    from ..agreement import _md

    a, b = str(record["a"]), str(record["b"])
    lines = [
        f"# Adjudication of `{_md(a)}` and `{_md(b)}`",
        "",
        f"Review project: {record['review_project']}",
        "",
        "| document | status |",
        "|---|---|",
    ]
    for doc_id, status in record["documents"].items():
        lines.append(f"| {_md(doc_id)} | {_md(status)} |")
    lines += [
        "",
        f"## Decisions ({len(record['decisions'])})",
        "",
        f"| document | layer | item | {_md(a)} | {_md(b)} | chosen | from | by |",
        "|---|---|---|---|---|---|---|---|",
    ]

    def cell(layer: str, items: Sequence[Mapping[str, Any]]) -> str:
        if layer == "document":
            return "<br>".join(_md(f"{x['dct']} ({x['dct_reason']})") for x in items) or "–"
        return "<br>".join(_md(describe(layer, x)) for x in items) or "(nothing)"

    for d in record["decisions"]:
        lines.append(
            f"| {_md(d['doc_id'])} | {d['layer']} | {_md(d['what'])} [{d['start']}:{d['end']}] "
            f"{_md(d['text'])} | {cell(d['layer'], d['a'])} | {cell(d['layer'], d['b'])} | "
            f"{cell(d['layer'], d['chosen'])} | {_md(str(d['chosen_from']))} | {_md(str(d['by']))} |"
        )
    return "\n".join(lines) + "\n"
