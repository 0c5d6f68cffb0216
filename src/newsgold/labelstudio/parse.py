"""An exported Label Studio task → gold documents and predictions, checked like ``newsgold validate``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem, ValidationError, short
from ..model import Document, KBEntry, Prediction, sha256_text
from .config import DATA_KEYS, DCT, DCT_REASON
from .results import _Ctx, _is_int, _is_score, _layers, _parse_results


@dataclass(frozen=True)
class AnnotationSet:
    """One annotator's annotation of a task, converted back.

    Attributes:
        annotation_id: Label Studio's id of the annotation (``None`` before import).
        annotator: who made it: the e-mail when the export carries it, else the user id.
        document: the annotation as a validated gold document.
        user_id: the annotator's Label Studio user id, when the export carries it.
    """

    annotation_id: int | None
    annotator: str | None
    document: Document
    user_id: int | None = None


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
        drafts: who holds an unsubmitted draft of the task (drafts are not read).
        refused: who made the annotations refused for their problems (reported apart).
        prediction_ids: predictions exported as their ids only (the UI's plain
            export): not read.
    """

    task_id: int | None
    doc_id: str
    annotations: tuple[AnnotationSet, ...] = ()
    predictions: tuple[PredictionSet, ...] = ()
    cancelled: int = field(default=0)
    drafts: tuple[str, ...] = field(default=())
    refused: tuple[str | None, ...] = field(default=())
    prediction_ids: tuple[int, ...] = field(default=())


@dataclass(frozen=True)
class TaskReading:
    """A task read without giving up at the first bad annotation.

    Attributes:
        contents: the task's valid annotations and predictions (``None`` when
            the task itself cannot be read: its data is broken).
        problems: errors, each naming the task, the annotator (or prediction)
            and the result id; a bad annotation is left out of ``contents``,
            the others are kept.
        warnings: what the reader should know and nothing blocks: unsubmitted
            drafts, predictions exported as ids only, a quote with a cue and no
            speaker link.
    """

    contents: TaskContents | None
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()


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
    from ..validate import (
        alternative_problems,
        calendar_problem,
        check_spans,
        indirect_may_nest,
        overlap_problems,
        word_cut_problem,
    )

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
    # as in a gold file: a quote may lie inside another only when one of the two is indirect
    report(
        overlap_problems(obj["quotes"], "quotes", ctx.source, nowhere, may_nest=indirect_may_nest)
    )
    # alternatives: the checks of the text area itself were made when it was read
    # (results._alternatives); what is left is an overlap with another span of the layer
    report(alternative_problems(obj["entities"], doc.text, "entities", ctx.source, nowhere))
    report(alternative_problems(obj["dates"], doc.text, "dates", ctx.source, nowhere))
    for layer in ("entities", "dates", "quotes"):
        for i, item in enumerate(getattr(doc, layer)):
            spans = [("", item)] + ([(".cue", item.cue)] if layer == "quotes" and item.cue else [])
            for suffix, span in spans:
                problem = word_cut_problem(doc.text, span.start, span.end)
                if problem:
                    key = ("cue", i) if suffix else (layer, i)
                    rid = origins.get(key, origins.get((layer, i)))
                    ctx.add(f"$.{layer}[{i}]{suffix}: {problem}", rid)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc.dct):
        try:
            dt.date.fromisoformat(doc.dct)
        except ValueError:
            ctx.add(f"$.dct: got {short(doc.dct)}, expected a real calendar date YYYY-MM-DD", DCT)
    for i, d in enumerate(doc.dates):
        bad = calendar_problem(d.value) if isinstance(d.value, str) else None
        if bad:
            ctx.add(f"$.dates[{i}].value: got {short(d.value)}: {bad}", origins.get(("dates", i)))
    if kb is None:
        return
    for i, e in enumerate(doc.entities):
        rid = origins.get(("entities", i))
        if e.kb_id is None:
            continue
        entry = kb.get(e.kb_id)
        if entry is None:
            ctx.add(
                f"$.entities[{i}].kb_id: unknown kb_id {short(e.kb_id)} "
                "(expected an id in kb.json; add the entity there)",
                rid,
            )
            continue
        if entry.label != e.label:
            ctx.add(
                f"$.entities[{i}].label: got {short(e.label)}, expected {entry.label!r}, "
                f"the label of {entry.kb_id!r} in kb.json",
                rid,
            )
        if e.text not in entry.aliases:
            ctx.add(
                f"$.entities[{i}].text: surface {short(e.text)} is not among the aliases of "
                f"{entry.kb_id!r} (expected it listed in kb.json)",
                rid,
            )
    for i, q in enumerate(doc.quotes):
        if q.speaker is not None and q.speaker not in kb:
            ctx.add(
                f"$.quotes[{i}].speaker: unknown speaker {short(q.speaker)} "
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
    reading = read_task(task, kb=kb, source=source, index=index)
    if reading.problems or reading.contents is None:
        raise ValidationError(reading.problems)
    return reading.contents


def read_task(
    task: Mapping[str, Any],
    *,
    kb: Sequence[KBEntry] | None = None,
    source: str = "<task>",
    index: int | None = None,
    annotator: str | None = None,
    users: Mapping[int, str] | None = None,
) -> TaskReading:
    """Read one task as :func:`from_task` does, keeping the valid annotations of the others.

    Args:
        task: the task object.
        kb: the knowledge base, to check ``kb_id`` and speakers (``None``: skip).
        source: the file name for problems.
        index: the task's position in the export (for JSON paths).
        annotator: read only this annotator's annotations (e-mail or user id);
            the others are left unread (and their drafts unreported).
        users: user id → e-mail, to name annotators of an export that gives
            only their ids (the UI's plain export).

    Returns:
        The :class:`TaskReading`: contents, problems and warnings.
    """
    problems: list[Problem] = []
    warnings: list[Problem] = []
    base = "$" if index is None else f"$[{index}]"
    task_id = task.get("id") if isinstance(task, Mapping) else None
    ctx = _Ctx(source, task_id, base, problems, warnings=warnings)
    if not isinstance(task, Mapping):
        ctx.add(f"got {short(task)}, expected a task object")
        return TaskReading(None, tuple(problems))
    meta = _task_meta(task, ctx)
    if meta is None:
        return TaskReading(None, tuple(problems))
    text = meta["text"]
    kb_map = None if kb is None else {k.kb_id: k for k in kb}

    sets: list[AnnotationSet] = []
    refused: list[str | None] = []
    cancelled = 0
    anns = task.get("annotations", [])
    if not isinstance(anns, list):
        ctx.add(f"annotations is {short(anns)} (expected a list)")
        anns = []
    for j, ann in enumerate(anns):
        who = _annotator(ann.get("completed_by"), users) if isinstance(ann, dict) else None
        uid = _user_id(ann.get("completed_by")) if isinstance(ann, dict) else None
        actx = _Ctx(
            source,
            task_id,
            f"{base}.annotations[{j}]",
            problems,
            by=None if who is None else f"annotator {who}",
            warnings=warnings,
        )
        if not isinstance(ann, dict):
            actx.add(f"got {short(ann)}, expected an annotation object")
            continue
        if annotator is not None and annotator not in (who, None if uid is None else str(uid)):
            continue
        if ann.get("was_cancelled"):
            cancelled += 1
            continue
        before, warned = len(problems), len(warnings)
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
        _doc_checks(doc, origins, kb_map, actx)
        if len(problems) > before:
            del warnings[warned:]  # a refused annotation's warnings are moot
            refused.append(who)
        else:
            sets.append(AnnotationSet(ann.get("id"), who, doc, uid))

    drafts = _drafts(task, ctx, annotator, users)
    preds: list[PredictionSet] = []
    raw_preds = task.get("predictions", [])
    if not isinstance(raw_preds, list):
        ctx.add(f"predictions is {short(raw_preds)} (expected a list)")
        raw_preds = []
    only_ids = []
    warned = len(warnings)
    for j, pred in enumerate(raw_preds):
        version = pred.get("model_version") if isinstance(pred, dict) else None
        pctx = _Ctx(
            source,
            task_id,
            f"{base}.predictions[{j}]",
            problems,
            by=None if version in (None, "") else f"prediction {str(version)!r}",
            warnings=warnings,
        )
        if _is_int(pred):
            only_ids.append(pred)
            continue
        if not isinstance(pred, dict):
            pctx.add(f"got {short(pred)}, expected a prediction object or its id")
            continue
        if not _is_score(pred.get("score")):
            pctx.add(f"score {short(pred.get('score'))} (expected a finite number)")
            continue
        regions, relations = _parse_results(pred.get("result"), text, pctx)
        ents, dates, quotes = _layers(regions, relations, pctx, sort=False)
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
    # a system's quote with a cue and no speaker is its business, not a deleted link
    del warnings[warned:]
    contents = TaskContents(
        task_id if _is_int(task_id) else None,
        meta["doc_id"],
        tuple(sets),
        tuple(preds),
        cancelled,
        drafts,
        tuple(refused),
        tuple(only_ids),
    )
    return TaskReading(contents, tuple(problems), tuple(warnings))


def _drafts(
    task: Mapping[str, Any],
    ctx: _Ctx,
    annotator: str | None,
    users: Mapping[int, str] | None,
) -> tuple[str, ...]:
    """Who holds an unsubmitted draft (the export lists drafts beside the annotations); with
    ``annotator``, only that annotator's drafts are reported."""
    raw = task.get("drafts") or []
    if not isinstance(raw, list):
        return ()
    out = []
    for d in raw:
        who = None
        if isinstance(d, dict):
            user = d.get("user")
            who = (
                user if isinstance(user, str) and user else _annotator(d.get("completed_by"), users)
            )
            if who is None and isinstance(d.get("created_username"), str):
                who = d["created_username"].split(",")[0].strip() or None
        if annotator is not None and who is not None and who != annotator:
            continue
        label = who or (f"draft {d}" if _is_int(d) else "an annotator")
        out.append(label)
        ctx.warn(
            f"{'annotator ' + who if who else label} has an unsubmitted draft: not pulled "
            "(submit it in Label Studio, then pull again)"
        )
    return tuple(out)


def _user_id(completed_by: Any) -> int | None:
    if isinstance(completed_by, dict):
        completed_by = completed_by.get("id")
    return completed_by if _is_int(completed_by) else None


def _annotator(completed_by: Any, users: Mapping[int, str] | None = None) -> str | None:
    """The e-mail of ``completed_by`` (an object, or an id looked up in ``users``), else its id."""
    uid = _user_id(completed_by)
    if (
        users
        and uid is not None
        and uid in users
        and not (isinstance(completed_by, dict) and completed_by.get("email"))
    ):
        return users[uid]
    if isinstance(completed_by, dict):
        email = completed_by.get("email")
        if isinstance(email, str) and email:
            return email
        completed_by = completed_by.get("id")
    return None if completed_by is None else str(completed_by)
