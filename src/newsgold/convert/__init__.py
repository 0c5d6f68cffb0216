"""Converters between newsgold records and the formats systems read and write (one module per format).

Every converter is a pure function from content already in memory (text,
bytes or parsed JSON) to :class:`~newsgold.model.Prediction` records; reading
the files is the CLI's job (``newsgold score --format ...``). Each raises
:class:`~newsgold.errors.ValidationError` with every problem it finds, and none
drops or repairs anything silently.

The formats, their suffixes and readers are registered once in
:mod:`newsgold.formats` (``FORMATS``), which ``newsgold score --format`` and the
table of docs/formats.md read.
"""

from __future__ import annotations

from typing import Any

from ..errors import Problem, ValidationError, short
from ..model import Gold, Prediction


def from_label_studio(tasks: Any, gold: Gold, *, source: str = "<export>") -> list[Prediction]:
    """The predictions (pre-annotations) of a Label Studio JSON export.

    Uses :func:`.label_studio.from_export`, which checks every task. Each task
    may hold at most one prediction (export one model version at a time); a
    task without one leaves its document out (scored as predicting nothing).

    Args:
        tasks: the parsed export (a list of tasks).
        gold: the gold, for its KB and document ids.
        source: the file name for problems.

    Returns:
        One prediction per task that has one.

    Raises:
        ValidationError: every problem, including documents unknown to the gold
            and tasks with several predictions.
    """
    from .label_studio import from_export

    contents = from_export(tasks, kb=gold.kb, source=source)
    problems: list[Problem] = []
    out: list[Prediction] = []
    for i, task in enumerate(contents):
        if task.doc_id not in gold.docs:
            problems.append(
                Problem(source, None, f"$[{i}].data.doc_id", f"unknown doc_id {short(task.doc_id)}")
            )
            continue
        if len(task.predictions) > 1:
            versions = ", ".join(str(p.model_version) for p in task.predictions)
            problems.append(
                Problem(
                    source,
                    None,
                    f"$[{i}].predictions",
                    f"{len(task.predictions)} predictions ({versions}), expected one (export one model version at a time)",
                )
            )
            continue
        if task.predictions:
            out.append(task.predictions[0].prediction)
    if problems:
        raise ValidationError(problems)
    return out
