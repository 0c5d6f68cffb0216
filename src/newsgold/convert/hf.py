"""Hugging Face token-classification pipeline output as entity predictions.

The input is what ``pipeline("token-classification", aggregation_strategy=...)``
returns for each document's text: a list of ``{"entity_group", "score",
"word", "start", "end"}`` (with aggregation) or of ``{"entity", "score",
"index", "word", "start", "end"}`` (without: per-token ``B-``/``I-`` tags, which
are merged into entities as conlleval does). ``start``/``end`` are offsets into
the Python string, i.e. code points, end exclusive, as in newsgold. Tokenizers
that mark word starts with a space (RoBERTa, GPT-2) put that space inside the
span; it is trimmed off, and only white space is ever trimmed.

A file holds one JSON object ``{doc_id: [pipeline output, ...], ...}`` or JSONL
lines ``{"doc_id": ..., "entities": [pipeline output, ...]}``.

>>> from_pipeline_output("d1", " Putin met", [{"entity_group": "PER", "score": 0.99, "word": "Putin", "start": 0, "end": 6}]).entities
(Entity(start=1, end=6, text='Putin', label='PER', kb_id=None, score=0.99),)
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import Problem, ValidationError, short
from ..model import Entity, Gold, Prediction


def _check(item: Any, path: str, source: str, n: int) -> list[Problem]:
    if not isinstance(item, Mapping):
        return [
            Problem(source, None, path, f"got {short(item)}, expected a pipeline output object")
        ]
    out = []
    if "entity_group" not in item and "entity" not in item:
        out.append(
            Problem(
                source,
                None,
                path,
                "missing 'entity_group' (or 'entity') (expected the pipeline's label)",
            )
        )
    for key in ("start", "end"):
        v = item.get(key)
        # numpy integers register as numbers.Integral; bool is an int but never an offset
        if not isinstance(v, numbers.Integral) or isinstance(v, bool):
            out.append(
                Problem(
                    source,
                    None,
                    f"{path}.{key}",
                    f"got {short(v)}, expected an integer offset (run the pipeline with a fast tokenizer, which gives offsets)",
                )
            )
    if not out and not 0 <= item["start"] < item["end"] <= n:
        out.append(
            Problem(
                source,
                None,
                path,
                f"span [{item['start']}:{item['end']}] outside the text of length {n} or empty",
            )
        )
    score = item.get("score")
    # a real pipeline gives numpy.float32 scores, which register as numbers.Real
    if score is not None and (not isinstance(score, numbers.Real) or isinstance(score, bool)):
        out.append(Problem(source, None, f"{path}.score", f"got {short(score)}, expected a number"))
    return out


def from_pipeline_output(
    doc_id: str, text: str, outputs: Sequence[Mapping[str, Any]], *, source: str = "<hf>"
) -> Prediction:
    """One document's pipeline output as a prediction.

    Args:
        doc_id: the document.
        text: its text (the string the pipeline was run on).
        outputs: the pipeline's list of entities or tagged tokens.
        source: the file name for problems.

    Returns:
        The prediction (entities only), spans trimmed of white space at their edges.

    Raises:
        ValidationError: an item without label or integer offsets, or outside the text.
    """
    problems: list[Problem] = []
    for i, item in enumerate(outputs):
        problems += _check(item, f"$[{doc_id}][{i}]", source, len(text))
    if problems:
        raise ValidationError(problems)
    spans: list[tuple[int, int, str, float | None]] = []
    current: list[Any] | None = None
    for item in sorted(outputs, key=lambda x: (x["start"], x["end"])):
        score = item.get("score")
        if "entity_group" in item:
            spans.append((item["start"], item["end"], str(item["entity_group"]), score))
            current = None
            continue
        tag = str(item["entity"])
        prefix, _, label = tag.partition("-")
        if prefix not in ("B", "I") or not label:
            label, prefix = tag, "B"
        if prefix == "I" and current is not None and current[2] == label:
            current[1] = item["end"]
            current[3].append(score)
            spans[-1] = (current[0], current[1], label, _mean(current[3]))
        else:
            current = [item["start"], item["end"], label, [score]]
            spans.append((item["start"], item["end"], label, score))
    ents = []
    for start, end, label, score in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            ents.append(
                Entity(
                    int(start),
                    int(end),
                    text[start:end],
                    label,
                    None,
                    None if score is None else float(score),
                )
            )
    return Prediction(doc_id, entities=tuple(ents))


def _mean(scores: list[Any]) -> float | None:
    values = [float(s) for s in scores if s is not None]
    return sum(values) / len(values) if values else None


def from_hf(data: Any, gold: Gold, *, source: str = "<hf>") -> list[Prediction]:
    """Pipeline outputs for several documents as predictions.

    Args:
        data: ``{doc_id: outputs}``, or a list of ``{"doc_id", "entities": outputs}`` (parsed JSONL).
        gold: the gold, for the texts and ids.
        source: the file name for problems.

    Returns:
        One prediction per document given, sorted by ``doc_id``.

    Raises:
        ValidationError: every problem, including unknown documents.
    """
    if isinstance(data, list):
        pairs: list[tuple[Any, Any]] = []
        for i, row in enumerate(data):
            if (
                not isinstance(row, Mapping)
                or "doc_id" not in row
                or not isinstance(row.get("entities"), list)
            ):
                raise ValidationError(
                    [
                        Problem(
                            source,
                            i + 1,
                            "$",
                            f'got {short(row)}, expected {{"doc_id": ..., "entities": [pipeline output]}}',
                        )
                    ]
                )
            pairs.append((row["doc_id"], row["entities"]))
    elif isinstance(data, Mapping):
        pairs = list(data.items())
    else:
        raise ValidationError(
            [
                Problem(
                    source,
                    None,
                    "$",
                    f"got {short(data)}, expected {{doc_id: [pipeline output]}} or JSONL lines",
                )
            ]
        )
    problems: list[Problem] = []
    out = []
    seen = set()
    for doc_id, outputs in pairs:
        if doc_id not in gold.docs:
            problems.append(
                Problem(source, None, f"$[{doc_id}]", f"unknown doc_id {short(doc_id)}")
            )
            continue
        if doc_id in seen:
            problems.append(
                Problem(source, None, f"$[{doc_id}]", f"duplicate doc_id {short(doc_id)}")
            )
            continue
        seen.add(doc_id)
        if not isinstance(outputs, list):
            problems.append(
                Problem(
                    source,
                    None,
                    f"$[{doc_id}]",
                    f"got {short(outputs)}, expected a list of pipeline outputs",
                )
            )
            continue
        try:
            out.append(from_pipeline_output(doc_id, gold.docs[doc_id].text, outputs, source=source))
        except ValidationError as exc:
            problems += exc.problems
    if problems:
        raise ValidationError(problems)
    return sorted(out, key=lambda p: p.doc_id)
