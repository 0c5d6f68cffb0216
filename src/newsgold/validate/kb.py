"""The knowledge base, ``kb.json``: schema, unique and sorted ids, sorted aliases."""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem, ValidationError
from ..jsonio import kb_from_json
from ..model import KBEntry
from ..schema import schema_problems
from .common import _display, _jp, _read_json


def validate_kb(
    path: Path, *, root: Path | None = None
) -> tuple[tuple[KBEntry, ...] | None, list[Problem]]:
    """Validate ``kb.json``: schema, unique ids, sorted, every entry's name among its forms.

    Args:
        path: the KB file.
        root: the project folder, to shorten file names in problems.

    Returns:
        ``(entries or None, problems)``.
    """
    display = _display(path, root)
    try:
        value, locator = _read_json(path, display)
    except ValidationError as exc:
        return None, exc.problems
    problems = schema_problems(value, "kb", display, locate_line=locator)
    if problems:
        return None, problems
    seen: dict[str, int] = {}
    for i, item in enumerate(value):
        if item["kb_id"] in seen:
            problems.append(
                Problem(
                    display,
                    locator([i, "kb_id"]),
                    _jp([i, "kb_id"]),
                    f"duplicate kb_id {item['kb_id']!r} (first at $[{seen[item['kb_id']]}]; expected unique ids)",
                )
            )
        seen.setdefault(item["kb_id"], i)
        if list(item["aliases"]) != sorted(item["aliases"]):
            problems.append(
                Problem(
                    display,
                    locator([i, "aliases"]),
                    _jp([i, "aliases"]),
                    "aliases not sorted (expected sorted aliases)",
                )
            )
    ids = [item["kb_id"] for item in value]
    if ids != sorted(ids) and not problems:
        problems.append(
            Problem(
                display, locator([]), "$", "entries not sorted by kb_id (expected sorted by kb_id)"
            )
        )
    return (kb_from_json(value) if not problems else None), problems
