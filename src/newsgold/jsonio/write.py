"""Writing: deterministic JSON and JSONL, and atomic writes (a temporary sibling, then a rename)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def dumps_json(obj: Any) -> str:
    """Serialize deterministically: 2-space indent, UTF-8 as is, final newline."""
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def dumps_jsonl_line(obj: Any) -> str:
    """One compact JSONL line with its newline."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write a file atomically: a temporary file in the same folder, then rename.

    Args:
        path: the destination.
        data: text (written as UTF-8 with ``\\n`` line ends) or bytes.
    """
    write_files_atomically({path: data})


def _umask() -> int:
    """The process umask, read without changing it where the system allows (Linux ``/proc``).

    Elsewhere it is set and restored at once (``os.umask`` has no read-only form).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_files_atomically(files: Mapping[Path, str | bytes]) -> None:
    """Write several files so that none is half-written.

    Every file is first written in full to a temporary sibling; only when all
    have been written are they renamed into place. If anything fails before the
    renames, no destination is touched.

    Args:
        files: destination path → content.
    """
    temps: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temps.append((tmp, path))
            os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600: an ordinary file's mode instead
            with os.fdopen(fd, "wb") as fh:
                fh.write(data.encode("utf-8") if isinstance(data, str) else data)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, path in temps:
            os.replace(tmp, path)
        temps = []
    finally:
        for tmp, _ in temps:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
