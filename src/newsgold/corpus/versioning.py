"""The corpus version: the newest heading of ``corpus/CHANGELOG.md`` (a first build starts one)."""

from __future__ import annotations

import re
from importlib.resources import files

from ..errors import Problem, ValidationError

#: The corpus version of a first build, when there is no CHANGELOG.md yet.
FIRST_VERSION = "1.0.0"


def initial_changelog() -> str:
    """The ``corpus/CHANGELOG.md`` a first build starts (package data ``initial_changelog.md``)."""
    return files("newsgold.corpus").joinpath("initial_changelog.md").read_text(encoding="utf-8")


_VERSION_HEADING = re.compile(r"^## \[?(\d+)\.(\d+)\.(\d+)\]?(?:\s|$)")


def changelog_version(changelog: str, name: str = "corpus/CHANGELOG.md") -> str:
    """The corpus version: the newest (first) ``## X.Y.Z`` heading of the changelog.

    Args:
        changelog: the changelog's text.
        name: the file name used in errors.

    Returns:
        The version, ``MAJOR.MINOR.PATCH``.

    Raises:
        ValidationError: when no heading names a version.

    >>> changelog_version("# Changelog\\n\\n## 1.2.0 (2026-01-02)\\n\\n## 1.1.0\\n")
    '1.2.0'
    """
    for lineno, line in enumerate(changelog.splitlines(), start=1):
        if line.startswith("## "):
            m = _VERSION_HEADING.match(line)
            if not m:
                raise ValidationError(
                    [
                        Problem(
                            name,
                            lineno,
                            "$",
                            f"got {line!r}, expected a version heading '## MAJOR.MINOR.PATCH ...' "
                            "(the newest release first)",
                        )
                    ]
                )
            return ".".join(m.groups())
    raise ValidationError(
        [Problem(name, None, "$", "no '## MAJOR.MINOR.PATCH' heading (expected one per release)")]
    )
