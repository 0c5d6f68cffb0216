"""The ``newsgold`` command: a thin layer over the library.

Each command parses its arguments, makes one library call and renders the
result: a rich table for people, ``--json`` for machines. Library errors
become one clear message and exit status 1 (usage errors: 2), never a traceback.
"""

from __future__ import annotations

from . import (  # noqa: F401  (each registers its commands on the group)
    audit,
    board,
    gold,
    ls,
    runcmd,
    schema,
    scores,
    submission,
)
from ._app import main
from .board import BASELINE_NAMES

__all__ = ["BASELINE_NAMES", "main", "run"]


def run() -> None:
    """Entry point used by ``python -m newsgold``."""
    main(prog_name="newsgold")
