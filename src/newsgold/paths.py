"""Where a newsgold project keeps its parts (:class:`Paths`) and how its folder is found
(:func:`find_root`)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Paths:
    """Where a newsgold project keeps its parts.

    Attributes:
        root: the project folder (a clone of the repository).
    """

    root: Path

    @property
    def seeds(self) -> Path:
        """The seed texts, ``seeds/*.txt``."""
        return self.root / "seeds"

    @property
    def annotations(self) -> Path:
        """The gold, ``annotations/*.json``."""
        return self.root / "annotations"

    @property
    def kb(self) -> Path:
        """The knowledge base, ``annotations/kb.json``."""
        return self.annotations / "kb.json"

    @property
    def corpus(self) -> Path:
        """The built Hugging Face dataset."""
        return self.root / "corpus"

    @property
    def eval(self) -> Path:
        """The leaderboard folder."""
        return self.root / "eval"

    def gold_files(self) -> list[Path]:
        """Gold document files, sorted (``kb.json`` excluded)."""
        return sorted(p for p in self.annotations.glob("*.json") if p.name != "kb.json")

    def seed_files(self) -> list[Path]:
        """Seed text files, sorted."""
        return sorted(self.seeds.glob("*.txt"))


def find_root(start: Path | None = None) -> Path:
    """Find the newsgold project folder.

    The ``NEWSGOLD_ROOT`` environment variable wins; otherwise the nearest folder
    at or above ``start`` (default: the current folder) that holds ``seeds/`` and
    ``annotations/``; otherwise the clone this package was installed from.

    Args:
        start: where to start looking.

    Returns:
        The project folder.

    Raises:
        NewsgoldError: when no project folder is found.
    """
    from .errors import NewsgoldError

    env = os.environ.get("NEWSGOLD_ROOT")
    if env:
        return Path(env)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "seeds").is_dir() and (folder / "annotations").is_dir():
            return folder
    installed = Path(__file__).resolve().parents[2]
    if (installed / "seeds").is_dir():
        return installed
    raise NewsgoldError(
        f"no newsgold project found at or above {here} (expected seeds/ and annotations/); "
        "run inside a clone of newsgold or set NEWSGOLD_ROOT"
    )
