"""newsgold JSONL predictions: one line per document (``schemas/predictions.schema.json``).

Files are streamed by :func:`newsgold.validate.iter_predictions` (and scored by
:func:`newsgold.scoring.score_jsonl`); these two functions convert text that
is already in memory, through the same check (:mod:`newsgold.predcheck`).

>>> from newsgold.model import Entity, Prediction
>>> text = to_jsonl([Prediction("d1", entities=(Entity(0, 5, label="PER"),))])
>>> text
'{"doc_id":"d1","entities":[{"start":0,"end":5,"label":"PER"}]}\\n'
>>> from_jsonl(text)[0].entities[0].label
'PER'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..errors import MAX_LISTED, CappedProblems, Problem, ValidationError
from ..jsonio import dumps_jsonl_line, loads_json, prediction_from_json, prediction_to_json
from ..model import Document, Prediction
from ..predcheck import check_stream


def to_jsonl(predictions: Iterable[Prediction]) -> str:
    """Predictions as JSONL text, one compact line per document, in the given order.

    Args:
        predictions: the records.

    Returns:
        The text, each line ending in ``\\n``.
    """
    return "".join(dumps_jsonl_line(prediction_to_json(p)) for p in predictions)


def from_jsonl(
    text: str,
    docs: Mapping[str, Document] | None = None,
    *,
    labels: Iterable[str] | None = None,
    source: str = "<jsonl>",
) -> list[Prediction]:
    """Parse and check JSONL predictions.

    Args:
        text: the file's text.
        docs: the gold documents, to check ``doc_id``, offsets and ``text`` (``None``: schema only).
        labels: the accepted entity labels (``None``: any).
        source: the file name for problems.

    Returns:
        One :class:`Prediction` per non-blank line.

    Raises:
        ValidationError: every problem of every line, and ``doc_id`` values given twice.
    """
    problems: list[Problem] = CappedProblems(MAX_LISTED, stop=True)
    out: list[Prediction] = []
    lines = _parsed_lines(text, source)
    for batch in check_stream(lines, docs, labels, source, problems):
        out.extend(map(prediction_from_json, batch))
    if problems:
        raise ValidationError(problems)
    return out


def _parsed_lines(text: str, source: str) -> Iterator[tuple[int, Any]]:
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            yield lineno, loads_json(line, source, lineno)
        except ValidationError as exc:
            yield lineno, exc.problems[0]
