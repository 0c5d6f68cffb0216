"""What the checks share: the layer names, file names in problems, JSON read with a
path → line locator, JSON paths in problems."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..errors import Problem, ValidationError
from ..jsonio import PathPart, line_index, loads_json, locate, read_text
from ..paths import real_path

LAYER_NAMES = ("entities", "dates", "quotes")


def _display(path: Path, root: Path | None) -> str:
    try:
        return str(real_path(path).relative_to(real_path(root))) if root else str(path)
    except ValueError:
        return str(path)


def _read_json(path: Path, display: str) -> tuple[Any, Callable[[Sequence[PathPart]], int | None]]:
    """Read and parse a JSON file; return the value and a path → line locator."""
    text = read_text(path, display=display)
    if "\r" in text:
        first = text[: text.index("\r")].count("\n") + 1
        raise ValidationError(
            [
                Problem(
                    display,
                    first,
                    "$",
                    "CRLF line ending (expected LF line endings, as newsgold writes them)",
                )
            ]
        )
    value = loads_json(text, display)
    index: dict[tuple[PathPart, ...], int] | None = None

    def locator(parts: Sequence[PathPart]) -> int | None:
        nonlocal index
        if index is None:
            index = line_index(text)
        return locate(index, parts)

    return value, locator


def _jp(parts: Sequence[PathPart]) -> str:
    from ..jsonio import json_path

    return json_path(parts)
