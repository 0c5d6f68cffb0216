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
        #: problems found but not kept, and whether checking stopped early (a capped list)
        self.dropped: int = getattr(problems, "dropped", 0)
        self.stopped: bool = getattr(problems, "stopped", False)
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class CappedProblems(list[Problem]):
    """A problem list that keeps the first ``limit`` problems and counts the others.

    A huge broken file (every line wrong) must not fill memory with problems;
    the count of those not kept is reported, so nothing disappears silently.

    >>> ps = CappedProblems(limit=1)
    >>> ps += [Problem("f", 1, "$", "a"), Problem("f", 2, "$", "b")]
    >>> len(ps), ps.dropped, ps.lines()[-1]
    (1, 1, '… and 1 more problem not listed')
    """

    def __init__(self, limit: int = 100, *, stop: bool = False) -> None:
        super().__init__()
        self.limit = limit
        self.dropped = 0
        #: with ``stop``, the one check stops reading the input once the list is full
        #: (a file of a million bad lines costs a thousand problems, not a million)
        self.stop = stop
        #: set by the check when it stopped before the end of the input
        self.stopped = False

    @property
    def full(self) -> bool:
        """Whether the limit is reached."""
        return len(self) >= self.limit

    def append(self, problem: Problem) -> None:
        """Keep the problem while under the limit; count it otherwise."""
        if len(self) < self.limit:
            super().append(problem)
        else:
            self.dropped += 1

    def extend(self, problems: Iterable[Problem]) -> None:
        """Append each problem."""
        for problem in problems:
            self.append(problem)

    def __iadd__(self, problems: Iterable[Problem]) -> CappedProblems:  # type: ignore[override,misc]
        self.extend(problems)
        return self

    def lines(self) -> list[str]:
        """Every kept problem as text, then the count of the others."""
        out = [str(p) for p in self]
        if self.dropped:
            out.append(f"… and {self.dropped} more problem{'s' * (self.dropped != 1)} not listed")
        return out


#: Problems listed for one command before it stops checking (the count says it stopped).
MAX_LISTED = 1000


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
