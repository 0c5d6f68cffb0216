"""A whole Label Studio JSON export → task contents, and the choice of annotations to keep."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from ..errors import Problem, ValidationError, short
from ..model import Document, KBEntry
from .parse import TaskContents, from_task


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
