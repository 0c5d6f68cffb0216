"""A whole Label Studio JSON export → task contents, and the choice of annotations to keep."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import Problem, ValidationError, short
from ..model import Document, KBEntry
from .parse import AnnotationSet, TaskContents, read_task

#: What a JSON_MIN export lacks, so that the gold cannot be rebuilt from it.
JSON_MIN_LACKS = (
    "it has no relations (the speaker and cue of every quote), no region ids, and no link "
    "from a per-region field (kb_id, date value and mod, quote kind, alternatives) to its region"
)


@dataclass(frozen=True)
class ExportReading:
    """A whole export read without giving up at the first bad annotation.

    Attributes:
        contents: the readable tasks with their valid annotations, in export order.
        problems: errors (a bad annotation, a broken task, a document exported
            twice): each names the task, the annotator and the result id.
        warnings: drafts, predictions exported as ids only, quotes without a speaker link.
    """

    contents: tuple[TaskContents, ...]
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()


def _shape_problem(tasks: Any, source: str) -> Problem | None:
    if not isinstance(tasks, list):
        return Problem(
            source,
            None,
            "$",
            f"got {short(tasks)}, expected a list of tasks (Label Studio's JSON export)",
        )
    first = next((t for t in tasks if isinstance(t, dict)), None)
    if first is not None and "data" not in first and ("annotator" in first or "doc_id" in first):
        return Problem(
            source,
            None,
            "$[0]",
            f"this is a JSON_MIN export: {JSON_MIN_LACKS}, so the gold cannot be rebuilt from "
            "it (expected Label Studio's JSON export: Export → JSON, or `newsgold ls pull`)",
        )
    return None


def read_export(
    tasks: Any,
    *,
    kb: Sequence[KBEntry] | None = None,
    source: str = "<export>",
    annotator: str | None = None,
    users: Mapping[int, str] | None = None,
) -> ExportReading:
    """Read a whole Label Studio JSON export (a list of tasks), keeping what is valid.

    Accepts the UI's ordinary export (``exportType=JSON``: predictions as ids,
    annotators as user ids) as well as the full one of ``newsgold ls pull``.

    Args:
        tasks: the parsed export.
        kb: the knowledge base for the checks (``None``: skip them).
        source: the file name for problems.
        annotator: read only this annotator's annotations (e-mail or user id).
        users: user id → e-mail, for an export naming annotators by id only.

    Returns:
        The :class:`ExportReading`.

    Raises:
        ValidationError: the export as a whole is not a JSON export (not a
            list, or a JSON_MIN export: the message says what it lacks).

    >>> read_export([{"doc_id": "d", "text": "x", "annotator": 1}], source="m.json")
    Traceback (most recent call last):
    ...
    newsgold.errors.ValidationError: m.json: $[0]: this is a JSON_MIN export: it has no relations (the speaker and cue of every quote), no region ids, and no link from a per-region field (kb_id, date value and mod, quote kind, alternatives) to its region, so the gold cannot be rebuilt from it (expected Label Studio's JSON export: Export → JSON, or `newsgold ls pull`)
    """
    shape = _shape_problem(tasks, source)
    if shape is not None:
        raise ValidationError([shape])
    problems: list[Problem] = []
    warnings: list[Problem] = []
    out: list[TaskContents] = []
    seen: dict[str, Any] = {}
    for i, task in enumerate(tasks):
        reading = read_task(task, kb=kb, source=source, index=i, annotator=annotator, users=users)
        problems += reading.problems
        warnings += reading.warnings
        contents = reading.contents
        if contents is None:
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
    only_ids = [c.task_id for c in out if c.prediction_ids]
    if only_ids:
        warnings.append(
            Problem(
                source,
                None,
                "$",
                f"the predictions of {len(only_ids)} task(s) are exported as ids only (the UI's "
                "plain export): not read; the annotations are (`newsgold ls pull` exports "
                "predictions whole)",
            )
        )
    return ExportReading(tuple(out), tuple(problems), tuple(warnings))


def from_export(
    tasks: Any, *, kb: Sequence[KBEntry] | None = None, source: str = "<export>"
) -> list[TaskContents]:
    """Read a whole Label Studio JSON export strictly: any problem fails it (see :func:`read_export`).

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
    reading = read_export(tasks, kb=kb, source=source)
    if reading.problems:
        raise ValidationError(reading.problems)
    return list(reading.contents)


@dataclass(frozen=True)
class Selection:
    """The annotations chosen to become gold files.

    Attributes:
        chosen: annotator → documents (sorted by ``doc_id``); the key is ``None``
            when neither an annotator nor ``by_annotator`` was asked.
        problems: tasks whose annotations cannot be chosen (several where one is
            expected, two by one annotator): nothing of theirs is chosen.
        left_out: documents without a submitted annotation (by the annotator
            asked for): partial progress, reported and left out.
    """

    chosen: dict[str | None, list[Document]]
    problems: tuple[Problem, ...] = ()
    left_out: tuple[Problem, ...] = ()


def _matches(a: AnnotationSet, wanted: str) -> bool:
    return a.annotator == wanted or (a.user_id is not None and str(a.user_id) == wanted)


def no_annotation_by(annotator: str, everyone: Sequence[str], source: str) -> Problem:
    """The problem of an ``--annotator`` who made no annotation in the export.

    >>> str(no_annotation_by("a@x", ["1", "2"], "e.json"))  # doctest: +ELLIPSIS
    "e.json: $: no submitted annotation by 'a@x' (annotators: 1, 2; this export names ... e-mails)"
    """
    ids_only = bool(everyone) and all(x.isdigit() for x in everyone)
    return Problem(
        source,
        None,
        "$",
        f"no submitted annotation by {annotator!r} (annotators: {', '.join(everyone) or 'nobody'}"
        + (
            "; this export names annotators by user id only: pass the id, or pull with "
            "`newsgold ls pull`, which knows their e-mails)"
            if ids_only
            else ")"
        ),
    )


def annotators_of(tasks: Any, users: Mapping[int, str] | None = None) -> list[str]:
    """Every annotator named in a raw export (e-mail when known, else the user id)."""
    from .parse import _annotator

    found = set()
    for t in tasks if isinstance(tasks, list) else ():
        for a in (t.get("annotations") or []) if isinstance(t, dict) else ():
            if isinstance(a, dict) and not a.get("was_cancelled"):
                found.add(str(_annotator(a.get("completed_by"), users)))
    return sorted(found)


def choose_annotations(
    contents: Sequence[TaskContents],
    *,
    annotator: str | None = None,
    by_annotator: bool = False,
    source: str = "<export>",
) -> Selection:
    """Choose the gold documents to write from exported tasks, keeping annotators apart.

    Args:
        contents: the tasks, from :func:`read_export`.
        annotator: take only this annotator's annotations (e-mail, or user id).
        by_annotator: take every annotation, grouped by annotator (for agreement).
        source: the file name for problems.

    Returns:
        The :class:`Selection`. Without ``annotator`` or ``by_annotator`` every
        task must have at most one annotation.

    Raises:
        ValidationError: ``annotator`` made no annotation in the whole export.
    """
    problems: list[Problem] = []
    left_out: list[Problem] = []
    out: dict[str | None, list[Document]] = defaultdict(list)

    def note(target: list[Problem], task: TaskContents, message: str) -> None:
        target.append(Problem(source, None, "$", f"task {task.task_id} ({task.doc_id}): {message}"))

    if (
        annotator is not None
        and not any(_matches(a, annotator) for t in contents for a in t.annotations)
        and not any(annotator in t.refused for t in contents)
    ):
        everyone = sorted({str(a.annotator) for t in contents for a in t.annotations})
        raise ValidationError([no_annotation_by(annotator, everyone, source)])
    for task in contents:
        anns = task.annotations
        if by_annotator:
            if not anns and not task.refused:
                note(left_out, task, "no submitted annotation yet: left out")
            seen: dict[str | None, int] = {}
            for a in anns:
                if a.annotator in seen:
                    note(
                        problems,
                        task,
                        f"annotator {a.annotator} made two annotations (ids {seen[a.annotator]} "
                        f"and {a.annotation_id}; expected one per annotator: delete one)",
                    )
                    out[a.annotator] = [d for d in out[a.annotator] if d.doc_id != task.doc_id]
                    continue
                seen[a.annotator] = a.annotation_id or 0
                out[a.annotator].append(a.document)
            continue
        if annotator is not None:
            mine = [a for a in anns if _matches(a, annotator)]
            if not mine and annotator not in task.refused:
                note(left_out, task, f"not annotated by {annotator} yet: left out")
            elif not mine:
                pass  # its problems are reported
            elif len(mine) > 1:
                note(
                    problems,
                    task,
                    f"{len(mine)} annotations by {annotator} (ids "
                    f"{', '.join(str(a.annotation_id) for a in mine)}; expected one: delete one)",
                )
            else:
                out[annotator].append(mine[0].document)
            continue
        if not anns and not task.refused:
            note(left_out, task, "no submitted annotation yet: left out")
        elif len(anns) + len(task.refused) > 1:
            anns_all = [str(a.annotator) for a in anns] + [str(r) for r in task.refused]
            who = ", ".join(sorted(anns_all))
            note(
                problems,
                task,
                f"{len(anns_all)} annotations (by {who}; expected one: choose with --annotator, or "
                "keep them apart with --by-annotator)",
            )
        elif anns:
            out[None].append(anns[0].document)
    return Selection(
        {k: sorted(v, key=lambda d: d.doc_id) for k, v in out.items()},
        tuple(problems),
        tuple(left_out),
    )


def select_annotations(
    contents: Sequence[TaskContents],
    *,
    annotator: str | None = None,
    by_annotator: bool = False,
    source: str = "<export>",
) -> dict[str | None, list[Document]]:
    """:func:`choose_annotations`, strictly: a problem or a document left out fails it.

    Returns:
        annotator → documents (sorted by ``doc_id``).

    Raises:
        ValidationError: a task without an annotation, with several where one is
            expected, or an annotator with two annotations of one task.

    >>> select_annotations([TaskContents(7, "d1")], source="x.json")
    Traceback (most recent call last):
    ...
    newsgold.errors.ValidationError: x.json: $: task 7 (d1): no submitted annotation yet: left out
    """
    chosen = choose_annotations(
        contents, annotator=annotator, by_annotator=by_annotator, source=source
    )
    if chosen.problems or chosen.left_out:
        raise ValidationError([*chosen.problems, *chosen.left_out])
    return chosen.chosen
