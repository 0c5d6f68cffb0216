"""The one write path: umask modes, OS errors as one line, nothing lost on a fault or a signal."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsgold.errors import NewsgoldError
from newsgold.jsonio import atomic_write, write_files_atomically

from .conftest import assert_clean_failure, invoke, snapshot

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    os.umask(old)
    yield
    os.umask(old)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_mode_follows_umask(tmp_path: Path, umask: None, mask: int, mode: int) -> None:
    os.umask(mask)
    new, old = tmp_path / "new.json", tmp_path / "old.json"
    old.write_text("x")
    os.chmod(old, 0o600)
    write_files_atomically({new: "{}\n", old: "{}\n"})
    assert stat.S_IMODE(new.stat().st_mode) == mode
    assert stat.S_IMODE(old.stat().st_mode) == mode


def _fails_cleanly(tmp_path: Path, files: dict[Path, str], message: str) -> None:
    before = snapshot(tmp_path)
    with pytest.raises(NewsgoldError) as exc:
        write_files_atomically(files)
    text = str(exc.value)
    assert "\n" not in text and message in text, text
    assert snapshot(tmp_path) == before
    assert not [p for p in tmp_path.rglob("*.tmp")]


def test_folder_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("a file where the folder should be")
    (tmp_path / "keep.json").write_text("old")
    _fails_cleanly(
        tmp_path,
        {tmp_path / "keep.json": "new", tmp_path / "out" / "x.json": "{}"},
        f"cannot write {tmp_path / 'out' / 'x.json'}: a file is where a folder should be",
    )


def test_destination_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "x.json").mkdir()
    (tmp_path / "x.json" / "inside").write_text("kept")
    (tmp_path / "keep.json").write_text("old")
    _fails_cleanly(
        tmp_path,
        {tmp_path / "keep.json": "new", tmp_path / "x.json": "{}"},
        f"cannot write {tmp_path / 'x.json'}: a folder is where the file should be",
    )


@pytest.mark.skipif(
    os.geteuid() == 0, reason="root ignores permission bits: a read-only folder cannot fail as root"
)
def test_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "x.json").write_text("old")
    folder.chmod(0o555)
    try:
        _fails_cleanly(tmp_path, {folder / "x.json": "{}"}, "permission denied")
    finally:
        folder.chmod(0o755)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (errno.ENOSPC, "no space left on the device"),
        (errno.EDQUOT, "disk quota exceeded"),
        (errno.EROFS, "the file system is read-only"),
        (errno.EACCES, "permission denied"),
        (errno.EIO, "Input/output error"),
    ],
)
def test_injected_fault_at_fsync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, message: str
) -> None:
    """A full disk (and its kin) reported by fsync, as a small full tmpfs would: fault injection."""

    def fail(fd: int) -> None:
        raise OSError(code, os.strerror(code))

    (tmp_path / "a.json").write_text("old")
    monkeypatch.setattr(os, "fsync", fail)
    _fails_cleanly(tmp_path, {tmp_path / "a.json": "new", tmp_path / "b.json": "x"}, message)


def test_injected_fault_at_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(src: str, dst: str) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    (tmp_path / "a.json").write_text("old")
    monkeypatch.setattr(os, "replace", fail)
    _fails_cleanly(tmp_path, {tmp_path / "a.json": "new"}, "no space left on the device")


def test_exception_while_writing_removes_temp(tmp_path: Path) -> None:
    class Boom(Exception):
        pass

    class Bad(str):
        def encode(self, *args: object, **kwargs: object) -> bytes:  # type: ignore[override]
            raise Boom

    (tmp_path / "a.json").write_text("old")
    with pytest.raises(Boom):
        write_files_atomically({tmp_path / "b.json": "x", tmp_path / "a.json": Bad("y")})
    assert snapshot(tmp_path) == {"a.json": b"old"}


_CHILD = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from newsgold.jsonio import atomic_write
    real = os.fsync
    def slow(fd):
        real(fd)
        print("writing", flush=True)
        time.sleep(30)
    os.fsync = slow
    atomic_write(Path(sys.argv[1]), "y" * (8 << 20))
    """
)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_signal_during_large_write(tmp_path: Path, signum: int) -> None:
    """A signal in the middle of an 8 MB write: previous file intact, no temporary file left."""
    target = tmp_path / "CHANGELOG.md"
    target.write_text("previous\n")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(target)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline() == "writing\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    child.send_signal(signum)
    _, stderr = child.communicate(timeout=30)
    assert child.returncode != 0
    if signum != signal.SIGINT:
        assert child.returncode == -signum, stderr
    assert target.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["CHANGELOG.md"]


def test_atomic_write_still_writes(tmp_path: Path) -> None:
    atomic_write(tmp_path / "a" / "b.json", "{}\n")
    assert (tmp_path / "a" / "b.json").read_text() == "{}\n"


def test_cli_output_below_a_file(tmp_path: Path, root: Path) -> None:
    """`ls export-tasks OUT.json` below a file: one error line naming it, exit 1."""
    (tmp_path / "f").write_text("a file")
    target = tmp_path / "f" / "tasks.json"
    result = invoke(["ls", "export-tasks", str(target), "--root", str(root)])
    (line,) = assert_clean_failure(result.stderr, result.exit_code)
    assert line == f"error: cannot write {target}: a file is where a folder should be"


def test_cli_out_folder_below_a_file(tmp_path: Path, root: Path) -> None:
    """`ls import --out X` where X is a file: one error line naming it, X unchanged."""
    tasks = tmp_path / "tasks.json"
    assert invoke(["ls", "export-tasks", str(tasks), "--root", str(root)]).exit_code == 0
    blocker = tmp_path / "out"
    blocker.write_text("not a folder")
    out = blocker / "gold"
    result = invoke(["ls", "import", str(tasks), "--out", str(out), "--root", str(root)])
    (line,) = assert_clean_failure(result.stderr, result.exit_code)
    assert line.startswith(f"error: cannot write {out}/") and "a file is where a folder" in line
    assert blocker.read_text() == "not a folder"
