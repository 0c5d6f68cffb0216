"""Where a newsgold project keeps its parts (:class:`Paths`) and how its folder is found
(:func:`find_root`): a clone, or the gold installed with the package (:func:`packaged_root`)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
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
    path, folder = real_path(path), real_path(folder)
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


def check_outputs(
    outputs: Mapping[str, str | Path | None],
    inputs: Iterable[Path],
    gold: Iterable[Path] = (),
) -> None:
    """The rule for a command's output files: never one of its inputs, never inside the gold.

    Both are compared after following symbolic links, so a link to an input is
    refused too (a link to any other file is replaced by the output, not followed:
    see :func:`newsgold.jsonio.write_files_atomically`).

    Args:
        outputs: option → the path it names (``None`` or ``-`` for none).
        inputs: the files and folders the command reads.
        gold: folders no output may land in (the project's ``annotations/`` and ``seeds/``).

    Raises:
        NewsgoldError: one line naming the option, the path and why.
    """
    from .errors import NewsgoldError

    read = [(p, real_path(p)) for p in inputs]
    for option, given in outputs.items():
        if given is None or str(given) == "-":
            continue
        dest = real_path(Path(given))
        for shown, real in read:
            if dest == real:
                raise NewsgoldError(
                    f"{option} {given}: is also an input of this command ({shown}); writing it "
                    "would destroy what is read (expected another file)"
                )
        for folder in gold:
            if _inside(dest, real_path(folder)):
                raise NewsgoldError(
                    f"{option} {given}: lies in the gold folder {folder} (expected an output "
                    "outside annotations/ and seeds/: newsgold writes the gold only by "
                    "`ls import` and `ls pull`)"
                )


def real_path(path: Path) -> Path:
    """``path`` with symbolic links resolved; a loop of links (which ``resolve`` raises on)
    stays as given, made absolute: the one way newsgold resolves a path it compares."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def distinct_folders(folders: Sequence[Path], what: str) -> None:
    """The rule for commands comparing folders (``agree``, ``ls adjudicate``): no folder
    given twice, by any spelling or link (compared by :func:`real_path`).

    Raises:
        UsageError: naming the two arguments that are one folder.
    """
    from .errors import UsageError

    seen: dict[Path, Path] = {}
    for folder in folders:
        real = real_path(folder)
        if real in seen:
            raise UsageError(f"{seen[real]} and {folder} are the same folder (expected {what})")
        seen[real] = folder


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


#: What a *plain name* may not contain: path separators, NUL and every other control character.
_NOT_PLAIN = frozenset("/\\") | {chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))}


def plain_name_problem(value: object) -> str | None:
    """Why ``value`` is not a plain name, or ``None`` when it is one.

    A *plain name* is what newsgold lets an outside value (an annotator's
    e-mail, a system id, a ``doc_id``, a file stem) become as one component
    of a path: a non-empty string of at most 255 UTF-8 bytes that

    - holds no ``/``, no ``\\``, no NUL and no other control character
      (U+0000-U+001F, U+007F-U+009F);
    - does not start with ``.`` (so neither ``.`` nor ``..`` nor a hidden file);
    - holds no lone surrogate (it must be encodable as UTF-8).

    Dots inside, ``@``, ``+``, spaces and non-ASCII letters are allowed, so
    e-mails such as ``a.b@x.org`` are plain names.

    >>> plain_name_problem("a.b@x.org") is None
    True
    >>> plain_name_problem("..")
    'starts with "."'
    >>> plain_name_problem("a/b")
    "holds '/'"
    """
    if not isinstance(value, str):
        return f"is a {type(value).__name__}, not a string"
    if not value:
        return "is empty"
    if value.startswith("."):
        return 'starts with "."'
    bad = next((c for c in value if c in _NOT_PLAIN), None)
    if bad is not None:
        return f"holds {bad!r}"
    try:
        size = len(value.encode("utf-8"))
    except UnicodeEncodeError:
        return "holds a lone surrogate (not encodable as UTF-8)"
    if size > 255:
        return f"is {size} bytes long (at most 255)"
    return None


def safe_name(value: object, what: str, *, source: str = "<input>", where: str = "$") -> str:
    """``value`` when it is a plain name (:func:`plain_name_problem`), else a one-line error.

    Every name from outside that becomes a path goes through here.

    Args:
        value: the name.
        what: what it is, for the message (``annotator e-mail``, ``doc_id``).
        source: the input it came from (``FILE[:LINE]``), for the message.
        where: its JSON path in that input.

    Returns:
        ``value``, unchanged.

    Raises:
        ValidationError: it is not a plain name.

    >>> safe_name("..", "annotator e-mail", source="export.json")
    Traceback (most recent call last):
    ...
    newsgold.errors.ValidationError: export.json: $: annotator e-mail '..' is not a plain name: starts with "." (expected a file name: no '/', '\\\\', control character or leading '.')
    """
    from .errors import Problem, ValidationError, short

    why = plain_name_problem(value)
    if why is None:
        assert isinstance(value, str)
        return value
    shown = short(value)
    raise ValidationError(
        [
            Problem(
                source,
                None,
                where,
                f"{what} {shown} is not a plain name: {why} "
                "(expected a file name: no '/', '\\\\', control character or leading '.')",
            )
        ]
    )


def check_inside(folder: Path, paths: Iterable[Path]) -> None:
    """Refuse any path that, resolved, is not inside ``folder`` resolved.

    Args:
        folder: the folder every write was given.
        paths: the destinations.

    Raises:
        NewsgoldError: one line naming the first path outside ``folder``.
    """
    from .errors import NewsgoldError

    base = real_path(folder)
    for path in paths:
        target = real_path(path)
        if target == base or not target.is_relative_to(base):
            raise NewsgoldError(
                f"{path}: refusing to write outside {folder} (it resolves to {target})"
            )
