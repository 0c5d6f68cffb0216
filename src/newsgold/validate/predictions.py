"""Predictions files: each line through the one check of :mod:`newsgold.predcheck`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import MAX_LISTED, CappedProblems, Problem, ValidationError
from ..jsonio import iter_jsonl, prediction_from_json
from ..model import Document, Gold, Prediction
from ..predcheck import check_stream, record_problems


def check_prediction(
    obj: Any,
    file: str,
    line: int | None,
    docs: Mapping[str, Document] | None,
    *,
    labels: Iterable[str] | None = None,
) -> list[Problem]:
    """Problems of one predictions line (:func:`newsgold.predcheck.record_problems`).

    Args:
        obj: the parsed line.
        file: file name for problems.
        line: the line number.
        docs: the gold documents, for ``doc_id`` and offset checks (``None``: schema only).
        labels: the accepted entity labels, or ``None`` to accept any.

    Returns:
        The problems (empty when the line is valid).
    """
    return record_problems(obj, file, line, docs, labels)


def iter_predictions(
    path: Path,
    docs: Mapping[str, Document] | None,
    problems: list[Problem],
    *,
    labels: Iterable[str] | None = None,
    display: str | None = None,
) -> Iterator[Prediction]:
    """Stream valid predictions from a JSONL file, collecting problems of the others.

    A line with any problem is not yielded; its problems go to ``problems``.
    The caller must check ``problems`` when the iterator is exhausted: nothing
    is dropped silently. A ``doc_id`` seen twice is a problem. The check is
    :func:`newsgold.predcheck.check_stream`, the one every input goes through.

    Args:
        path: the JSONL file.
        docs: the gold documents (``None``: schema checks only).
        problems: receives every problem found.
        labels: accepted entity labels (``None``: any).
        display: file name for problems.

    Yields:
        One :class:`Prediction` per valid line.
    """
    name = display or str(path)
    try:
        for batch in check_stream(iter_jsonl(path, name), docs, labels, name, problems):
            yield from map(prediction_from_json, batch)
    except ValidationError as exc:
        problems += exc.problems


def validate_predictions(
    path: Path, gold: Gold | None, *, labels: Iterable[str] | None = None
) -> list[Problem]:
    """Every problem of a predictions JSONL file (streamed, any size), up to
    :data:`~newsgold.errors.MAX_LISTED` (then checking stops, and the list says so)."""
    problems: list[Problem] = CappedProblems(MAX_LISTED, stop=True)
    for _ in iter_predictions(path, None if gold is None else gold.docs, problems, labels=labels):
        pass
    return problems
