"""Exceptions of newsgold: one base class, and problems that say where and what.

>>> p = Problem("annotations/x.json", 12, "$.entities[2].end", "812 > len(text)=790")
>>> str(p)
'annotations/x.json:12: $.entities[2].end: 812 > len(text)=790'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input, located as precisely as possible.

    Attributes:
        file: the file, as the user named it (or a label such as ``<task 3>``).
        line: 1-based line of the offending value, when known.
        path: JSON path of the offending value (``$`` for the whole file).
        message: what is wrong: the bad value and what was expected, with a fix
            hint where there is one.
    """

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        # a line break in a file name (or anywhere) must not split the one line of a problem
        file = self.file.translate(_ONE_LINE)
        where = file if self.line is None else f"{file}:{self.line}"
        return f"{where}: {self.path.translate(_ONE_LINE)}: {self.message.translate(_ONE_LINE)}"


_ONE_LINE = str.maketrans({"\n": "\\n", "\r": "\\r"})


class NewsgoldError(Exception):
    """Base class of every error newsgold raises on purpose."""


class ValidationError(NewsgoldError):
    """Input that does not conform; carries *all* the problems found.

    >>> err = ValidationError([Problem("a.json", 1, "$", "empty file")])
    >>> str(err)
    'a.json:1: $: empty file'
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(NewsgoldError):
    """The call itself is wrong (bad option combination, missing argument)."""


def short(value: object, limit: int = 60) -> str:
    """Render a value for an error message, cut to ``limit`` characters.

    Args:
        value: any JSON-like value.
        limit: maximum length of the rendering.

    Returns:
        ``repr``-like text, with ``…`` when cut.

    >>> short("x" * 100, 10)
    "'xxxxxxx… (100 characters)"
    >>> short(None)
    'null'
    """
    import json

    if isinstance(value, str):  # never render a megabyte to keep sixty characters of it
        return clip(repr(value[: 4 * limit]), limit, total=len(value))
    try:
        text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    except (TypeError, ValueError, RecursionError):
        text = object.__repr__(value)
    return clip(text, limit)


def clip(text: str, limit: int = 300, total: int | None = None) -> str:
    """Cut ``text`` to about ``limit`` characters, saying how long it was: the one rule for
    quoting something long (a value, a command's message) in an error.

    >>> clip("abc", 10)
    'abc'
    >>> clip("a" * 50, 10)
    'aaaaaaaa… (50 characters)'
    """
    text = text.replace("\r", "\\r").replace("\n", "\\n")  # an error is one line
    if len(text) <= limit:
        return text + (f" ({total} characters)" if total is not None and total > limit else "")
    return text[: limit - 2] + f"… ({total if total is not None else len(text)} characters)"
