"""The only functions of the build that touch the disk: read its inputs, write a corpus, find stale files."""

from __future__ import annotations

import io
import json
from pathlib import Path

from ..jsonio import write_files_atomically
from .build import Built


def read_inputs(root: Path, out: Path) -> tuple[str | None, str | None]:
    """The build's text inputs: ``out/CHANGELOG.md`` and ``annotations/AGREEMENT.md``.

    Args:
        root: the project folder.
        out: the corpus folder.

    Returns:
        ``(changelog or None, agreement or None)``.
    """
    from ..jsonio import read_text

    log = out / "CHANGELOG.md"
    agree = root / "annotations" / "AGREEMENT.md"
    return (
        read_text(log) if log.exists() else None,
        read_text(agree) if agree.exists() else None,
    )


def _on_disk(out: Path, *, hidden: bool = False) -> set[str]:
    """The files under ``out`` (relative paths); dot-files only with ``hidden`` (never ``.git/``)."""
    if not out.is_dir():
        return set()
    found = set()
    for p in out.rglob("*"):
        parts = p.relative_to(out).parts
        if parts[0] == ".git" or not (p.is_file() or p.is_symlink()):
            continue
        if hidden or not any(part.startswith(".") for part in parts):
            found.add(p.relative_to(out).as_posix())
    return found


def write_corpus(out: Path, built: Built) -> list[str]:
    """Write a built corpus: every file atomically, then remove stale data files.

    Args:
        out: the corpus folder (created if needed).
        built: from :func:`build_corpus`.

    Returns:
        The relative paths removed (data files of an older build).
    """
    write_files_atomically({out / path: data for path, data in built.files.items()}, within=out)
    removed = []
    for path in sorted(_on_disk(out) - set(built.files)):
        if path.startswith("data/"):
            (out / path).unlink()
            removed.append(path)
    return removed


def stale_files(out: Path, built: Built) -> list[str]:
    """What differs between ``out`` and a fresh build: ``[]`` when in step.

    Parquet files written by another pyarrow version (as recorded in the
    manifest) are compared by content, not bytes, so a CI machine with a newer
    pyarrow does not report a corpus whose data is the same.

    Args:
        out: the corpus folder.
        built: a fresh build.

    Returns:
        One line per difference, in the ``FILE: $: message`` form of every problem:
        ``PATH: $: missing``, ``PATH: $: differs`` or ``PATH: $: not part of the build``
        (a stray dot-file such as a temporary ``.x.tmp`` is not part of the build either).
    """
    import pyarrow as pa  # type: ignore[import-untyped]

    disk = _on_disk(out, hidden=True)
    problems = []
    other_writer = False
    manifest = out / "manifest.json"
    if manifest.exists():
        try:
            recorded = json.loads(manifest.read_text(encoding="utf-8"))
            other_writer = recorded.get("writer", {}).get("pyarrow") != pa.__version__
        except (ValueError, AttributeError):
            other_writer = False
    same_data: set[str] = set()
    for path, data in built.files.items():
        if path not in disk:
            problems.append(f"{path}: $: missing")
            continue
        if (out / path).is_symlink() or not (out / path).is_file():
            problems.append(f"{path}: $: not a regular file")
            continue
        current = (out / path).read_bytes()
        if current == data:
            continue
        if other_writer and path.endswith(".parquet") and _same_table(current, data):
            same_data.add(path)
            continue
        if path == "manifest.json" and other_writer and _same_manifest(current, data, same_data):
            continue
        problems.append(f"{path}: $: differs")
    problems += [f"{p}: $: not part of the build" for p in sorted(disk - set(built.files))]
    return problems


def _same_table(a: bytes, b: bytes) -> bool:
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    ta = pq.read_table(io.BytesIO(a))
    tb = pq.read_table(io.BytesIO(b))
    return bool(ta.equals(tb, check_metadata=True))


def _same_manifest(a: bytes, b: bytes, same_data: set[str]) -> bool:
    ma, mb = json.loads(a), json.loads(b)
    for m in (ma, mb):
        m.pop("writer", None)
        for path in same_data:
            m["files"].pop(path, None)
    return bool(ma == mb)
