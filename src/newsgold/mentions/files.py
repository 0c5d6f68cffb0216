"""The ``mentions`` file format and the report's ``alignment`` section."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from ..errors import Problem, ValidationError
from ..jsonio import loads_json, read_text
from ..model import Gold
from .align import Aligner
from .shape import FIELDS, MENTION_LAYERS, mention_problems

# --------------------------------------------------------------------------- the file format


def read_mentions(path: Path, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line, mentions object)`` of a mentions JSONL file, every shape problem raised at once.

    Raises:
        ValidationError: a line that is not JSON or not a mentions object (``FILE:LINE: $.path:``).
    """
    text = read_text(path, display=name)
    problems: list[Problem] = []
    rows: list[tuple[int, dict[str, Any]]] = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = loads_json(line, name, first_line=lineno)
        except ValidationError as exc:
            problems.extend(exc.problems)
            continue
        found = mention_problems(obj, name, lineno)
        if found:
            problems.extend(found)
        else:
            rows.append((lineno, dict(obj)))
    if problems:
        raise ValidationError(problems)
    return iter(rows)


def aligned_records(
    path: Path, gold: Gold, name: str, aligner: Aligner
) -> Iterator[tuple[int | None, Any]]:
    """The records of a mentions file, aligned: ``(line, predictions record)`` for the one check.

    A ``doc_id`` not in the gold passes unaligned (the one check reports it with its line).
    """
    for lineno, obj in read_mentions(path, name):
        doc = gold.docs.get(obj["doc_id"])
        if doc is None:
            yield lineno, {"doc_id": obj["doc_id"]}
            continue
        yield lineno, aligner.align(doc, obj, f"{name}:{lineno}")


_ACTIVE: ContextVar[Aligner | None] = ContextVar("newsgold_aligner", default=None)


def read_format(path: Path, gold: Gold, name: str) -> Iterator[tuple[int | None, Any]]:
    """The ``mentions`` format's reader: ordered alignment, or that of the :func:`aligning`
    block it runs in (which then holds the statistics)."""
    return aligned_records(path, gold, name, _ACTIVE.get() or Aligner())


@contextmanager
def aligning(each_occurrence: bool = False) -> Iterator[Aligner]:
    """Within the block, the ``mentions`` reader aligns with this aligner (and its mode), so
    ``score_file(..., format="mentions")`` leaves its statistics there.

    >>> with aligning() as aligner:
    ...     pass
    >>> aligner.section()["mode"]
    'ordered'
    """
    aligner = Aligner(each_occurrence)
    token = _ACTIVE.set(aligner)
    try:
        yield aligner
    finally:
        _ACTIVE.reset(token)


def with_alignment(report: Any, aligner: Aligner) -> Any:
    """The report with its ``alignment`` section (the figures are unchanged)."""
    return dataclasses.replace(report, data={**report.data, "alignment": aligner.section()})


def score_mentions_file(
    gold: Gold,
    path: str | Path,
    *,
    each_occurrence: bool = False,
    **options: Any,
) -> Any:
    """Score a mentions JSONL file: :func:`newsgold.scoring.score_file` with ``format="mentions"``
    (the one check, the one engine), plus the report's ``alignment`` section.

    Args:
        gold: the gold.
        path: the mentions file.
        each_occurrence: align each distinct (text, fields) to every occurrence.
        **options: passed to ``score_file`` (layers, scheme, n_bootstrap, seed, keep, ...).

    Returns:
        The report, with ``alignment``.
    """
    from ..scoring import score_file

    with aligning(each_occurrence) as aligner:
        report = score_file(gold, path, format="mentions", **options)
    return with_alignment(report, aligner)


def as_mentions(record: Mapping[str, Any], text: str) -> dict[str, Any]:
    """A predictions record (with offsets) as a mentions object: each span's text in order of
    offsets, its fields kept, a quote's cue as its text (what an LLM would answer).

    >>> as_mentions({"doc_id": "d", "entities": [{"start": 4, "end": 9, "label": "PER"}]},
    ...     "Mr. Putin")
    {'doc_id': 'd', 'entities': [{'text': 'Putin', 'label': 'PER'}]}
    """
    out: dict[str, Any] = {"doc_id": record["doc_id"]}
    for layer in MENTION_LAYERS:
        if record.get(layer) is None:
            continue
        items = []
        for item in sorted(record[layer], key=lambda x: (x["start"], x["end"])):
            mention: dict[str, Any] = {"text": text[item["start"] : item["end"]]}
            mention.update(
                (k, v)
                for k, v in item.items()
                if k not in ("start", "end", "text", "cue") and k in FIELDS[layer]
            )
            if layer == "quotes":
                cue = item.get("cue")
                mention["cue"] = None if cue is None else text[cue["start"] : cue["end"]]
            items.append(mention)
        out[layer] = items
    return out


def summary(section: Mapping[str, Any]) -> str:
    """One line per layer of an ``alignment`` section, for the command's table.

    >>> from newsgold.model import Document
    >>> a = Aligner()
    >>> _ = a.align(Document("d", "Putin.", "2021-12-30", "r"), {"entities": [{"text": "Putin"}]}, "<t>")
    >>> print(summary(a.section()))
    alignment.v1 (ordered): entities 1 strings: exact 1
    """
    parts = []
    for layer, stats in section["layers"].items():
        counts = ", ".join(f"{k} {v}" for k, v in stats["counts"].items() if v)
        parts.append(f"{layer} {stats['mentions']} strings: {counts or 'none'}")
    return f"{section['version']} ({section['mode']}): " + "; ".join(parts)
