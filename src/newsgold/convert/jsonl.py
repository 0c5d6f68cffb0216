"""newsgold JSONL predictions: one line per document (``schemas/predictions.schema.json``).

Files are streamed by :func:`newsgold.validate.iter_predictions` (and scored by
:func:`newsgold.scoring.score_jsonl`); these two functions convert text that
is already in memory, with the same checks.

>>> from newsgold.model import Entity, Prediction
>>> text = to_jsonl([Prediction("d1", entities=(Entity(0, 5, label="PER"),))])
>>> text
'{"doc_id":"d1","entities":[{"start":0,"end":5,"label":"PER"}]}\\n'
>>> from_jsonl(text)[0].entities[0].label
'PER'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..errors import Problem, ValidationError
from ..jsonio import dumps_jsonl_line, loads_json, prediction_from_json, prediction_to_json
from ..model import Document, Prediction
from ..validate import check_prediction


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
    problems: list[Problem] = []
    out: list[Prediction] = []
    seen: dict[str, int] = {}
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = loads_json(line, source, lineno)
        except ValidationError as exc:
            problems += exc.problems
            continue
        found = check_prediction(obj, source, lineno, docs, labels=labels)
        if found:
            problems += found
            continue
        if obj["doc_id"] in seen:
            problems.append(
                Problem(
                    source,
                    lineno,
                    "$.doc_id",
                    f"duplicate doc_id {obj['doc_id']!r} (first on line {seen[obj['doc_id']]}; expected one line per document)",
                )
            )
            continue
        seen[obj["doc_id"]] = lineno
        out.append(prediction_from_json(obj))
    if problems:
        raise ValidationError(problems)
    return out
