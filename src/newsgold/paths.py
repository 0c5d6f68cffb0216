"""Where a newsgold project keeps its parts (:class:`Paths`) and how its folder is found
(:func:`find_root`): a clone, or the gold installed with the package (:func:`packaged_root`)."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

PACKAGED_DATA = Path(__file__).resolve().parent / "data"
"""Where the wheel installs the gold: ``newsgold/data/{seeds,annotations,corpus}`` (read-only)."""


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
    ``annotations/`` (a clone: annotators see their edits); otherwise the clone
    this package was installed from; otherwise the gold installed with the
    package (read-only, checked against its sha256 sums on first use).

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
    packaged = packaged_root()
    if packaged is not None:
        return packaged
    raise NewsgoldError(
        f"no newsgold project found at or above {here} (expected seeds/ and annotations/); "
        "run inside a clone of newsgold or set NEWSGOLD_ROOT"
    )


def packaged_root() -> Path | None:
    """The gold installed with the package (``newsgold/data``), checked; ``None`` in a source tree.

    Raises:
        NewsgoldError: when an installed file does not match its recorded sha256.
    """
    if not (PACKAGED_DATA / "seeds").is_dir():
        return None
    verify_packaged(PACKAGED_DATA)
    return PACKAGED_DATA


def is_packaged(root: Path) -> bool:
    """Whether ``root`` is the gold installed with the package (read-only)."""
    return _inside(root, PACKAGED_DATA)


def _inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def ensure_writable(dest: Path, what: str, option: str = "--out") -> None:
    """Refuse to write ``dest`` when it lies in the installed, read-only gold.

    Args:
        dest: the file or folder a command would write.
        what: what would be written, for the message.
        option: the option that names another folder.

    Raises:
        NewsgoldError: when ``dest`` is inside the installed package data.
    """
    from .errors import NewsgoldError

    if PACKAGED_DATA.is_dir() and _inside(dest, PACKAGED_DATA):
        raise NewsgoldError(
            f"not writing {what} into the installed gold at {dest} (read-only package data): "
            f"give {option} a folder of your own, or run inside a clone of newsgold "
            "(or set NEWSGOLD_ROOT to one)"
        )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def verify_packaged(data: Path) -> None:
    """Check the installed gold against the sums shipped beside it (once per process).

    The seeds against ``seeds/SHA256SUMS`` (the check ``newsgold validate``
    makes), the built corpus against the sha256 of each file in
    ``corpus/manifest.json``; the annotations are checked against the
    manifest's ``gold_sha256`` when loaded (:func:`newsgold.load_gold`).

    Args:
        data: the installed data folder.

    Raises:
        NewsgoldError: naming every file that is missing or differs.
    """
    from .errors import NewsgoldError
    from .validate.project import seed_manifest_problems

    bad = [str(p) for p in seed_manifest_problems(Paths(data))]
    files: Any = _manifest(data).get("files")
    for name, entry in (files if isinstance(files, dict) else {}).items():
        path = data / "corpus" / name
        if not path.is_file() or _sha256(path) != entry.get("sha256"):
            bad.append(f"corpus/{name}: missing or not the sha256 of corpus/manifest.json")
    if bad:
        raise NewsgoldError(
            f"the installed gold at {data} is damaged (reinstall newsgold):\n" + "\n".join(bad)
        )


def _manifest(data: Path) -> dict[str, Any]:
    from .errors import NewsgoldError

    path = data / "corpus" / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NewsgoldError(
            f"the installed gold at {data} has no readable {path.name}: {exc}"
        ) from None
    if not isinstance(manifest, dict):
        raise NewsgoldError(f"the installed gold's {path} is not a JSON object")
    return manifest


def recorded_gold_sha256(root: Path) -> str | None:
    """The ``gold_sha256`` recorded in ``corpus/manifest.json`` of ``root`` (``None`` if absent)."""
    path = root / "corpus" / "manifest.json"
    if not path.is_file():
        return None
    try:
        value = json.loads(path.read_text(encoding="utf-8")).get("gold_sha256")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None
