"""Writing: deterministic JSON and JSONL, and atomic writes (a temporary sibling, then a rename)."""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import NewsgoldError
from ..signals import cleanup_on_signals, deferred


def dumps_json(obj: Any) -> str:
    """Serialize deterministically: 2-space indent, UTF-8 as is, final newline.

    Raises:
        NewsgoldError: a NaN or infinite number (not JSON: newsgold would refuse it on read).
    """
    return _dumps(obj, indent=2) + "\n"


def dumps_jsonl_line(obj: Any) -> str:
    """One compact JSONL line with its newline (no NaN or infinity, as :func:`dumps_json`).

    >>> dumps_jsonl_line({"score": float("nan")})
    Traceback (most recent call last):
    ...
    newsgold.errors.NewsgoldError: refusing to write NaN or Infinity: JSON has no such numbers (expected finite numbers)
    """
    return _dumps(obj, separators=(",", ":")) + "\n"


def _dumps(obj: Any, **options: Any) -> str:
    try:
        return json.dumps(obj, ensure_ascii=False, allow_nan=False, **options)
    except ValueError as exc:
        if "JSON compliant" not in str(exc):
            raise
        raise NewsgoldError(
            "refusing to write NaN or Infinity: JSON has no such numbers (expected finite numbers)"
        ) from None


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write a file atomically: a temporary file in the same folder, then rename.

    Args:
        path: the destination.
        data: text (written as UTF-8 with ``\\n`` line ends) or bytes.

    Raises:
        NewsgoldError: the file cannot be written (one line naming it).
    """
    write_files_atomically({path: data})


def write_files_atomically(
    files: Mapping[Path, str | bytes], *, within: Path | None = None
) -> None:
    """Write several files so that none is half-written: newsgold's one write path.

    Every file is first written in full to a temporary sibling
    (``.<name>.<random>.tmp``) and fsynced; only when all have been written
    are they renamed into place. If anything fails before the renames (an OS
    error, an exception, SIGINT, SIGTERM or SIGHUP), no destination is touched
    and every temporary file is removed; a signal is then delivered again to
    its previous handler (by default: the process ends as it would have).
    Files get the ordinary mode under the user's umask (``0o666 & ~umask``).
    A destination that is a device or a pipe (``/dev/stdout``, a FIFO) is written
    to directly, after the files, never replaced.

    Args:
        files: destination path → content.
        within: the folder the writes were given: when set, every destination
            must resolve inside it, checked before anything is written.

    Raises:
        NewsgoldError: a destination outside ``within``, or an OS error
            (read-only folder, permission denied, a folder where the file
            should be, a full disk), in one line naming the path.
    """
    if within is not None:
        from ..paths import check_inside

        check_inside(within, files)
    streams = {}
    for path in files:
        if path.is_dir():
            raise NewsgoldError(f"cannot write {path}: {_WHY[errno.EISDIR]}")
        if _is_stream(path):
            streams[path] = files[path]
    mode = 0o666 & ~_umask()
    temps: list[tuple[str, Path]] = []
    with cleanup_on_signals():
        try:
            for path, data in files.items():
                if path in streams:
                    continue
                with _os_errors(path):
                    path.parent.mkdir(parents=True, exist_ok=True)
                    fd, tmp = tempfile.mkstemp(
                        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
                    )
                    temps.append((tmp, path))
                    with os.fdopen(fd, "wb") as fh:
                        os.fchmod(fh.fileno(), mode)
                        fh.write(data.encode("utf-8") if isinstance(data, str) else data)
                        fh.flush()
                        os.fsync(fh.fileno())
            with deferred():  # a signal now waits until every file is in place
                for tmp, path in temps:
                    with _os_errors(path):
                        os.replace(tmp, path)
                temps = []
            for folder in sorted({path.parent for path in files if path not in streams}):
                _fsync_folder(folder)
            for path, data in streams.items():  # a device or a pipe: written to, never replaced
                with _os_errors(path), path.open("wb") as fh:
                    fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        finally:
            for tmp, _ in temps:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass


def _is_stream(path: Path) -> bool:
    """Whether ``path`` (links followed) is a device, a pipe or a socket: a file that a rename
    would replace instead of writing to (as root, ``--json /dev/stdout`` would replace the
    link, ``/dev/full`` the device), so it is opened and written like any Unix tool does."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


_WHY = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EISDIR: "a folder is where the file should be",
    errno.ENOTDIR: "a file is where a folder should be",
    errno.EEXIST: "a file is where a folder should be",
    errno.ENAMETOOLONG: "the name is too long",
}


@contextmanager
def _os_errors(path: Path) -> Iterator[None]:
    """Turn an OS error while writing ``path`` into one line naming it."""
    try:
        yield
    except OSError as exc:
        why = _WHY.get(exc.errno or 0) or exc.strerror or type(exc).__name__
        raise NewsgoldError(f"cannot write {path}: {why}") from None


def _umask() -> int:
    """The process's umask (read by setting it and setting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_folder(folder: Path) -> None:
    """Make the renames durable (best effort: not every file system allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
