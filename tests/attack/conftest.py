"""Shared checks of the attack suite: exit code, one-line errors, no traceback, nothing lost."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from click.testing import CliRunner, Result

from newsgold.cli import main

#: One problem line: ``FILE[:LINE]: $.path: message`` (FILE may be a label such as
#: ``<my_tagger:predict on 000_…>`` for what a Python system returned).
PROBLEM = re.compile(r"^(\S+|<[^<>\n]+>)(:\d+)?: \$\S*: .+$")
#: One error line of a failure that is not about one input's content.
ERROR = re.compile(r"^error: .+$")
#: The count line that closes a list of problems.
COUNT = re.compile(r"^\d+ problems? in \d+ files?( \((checking stopped|the first) [^\n]+\))?$")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path → bytes), to compare after an attack."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def invoke(args: Sequence[str]) -> Result:
    """Run the CLI in-process; an exception other than a clean exit fails the test."""
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"uncaught {result.exception!r}\n{result.output}")
    return result


def assert_clean_failure(output: str, code: int, *, expected: int = 1) -> list[str]:
    """Exit ``expected``, no traceback, and every line one problem, one error or the count.

    Returns:
        The problem and error lines.
    """
    assert code == expected, output
    assert "Traceback" not in output, output
    lines = output.rstrip("\n").split("\n")
    assert lines and lines != [""], "a failure must say why"
    for line in lines:
        assert PROBLEM.match(line) or ERROR.match(line) or COUNT.match(line), line
    return [line for line in lines if not COUNT.match(line)]
