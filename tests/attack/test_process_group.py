"""`newsgold run --cmd` owns its command's process group: children die with it on exit, time-out
and every signal; logs are read as a bounded tail; odd outputs and time limits are one error."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from .conftest import ERROR, invoke

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
NEWSGOLD = [sys.executable, "-m", "newsgold"]

#: Writes a valid (empty) prediction per document, so a run that ends normally succeeds.
_VALID = textwrap.dedent(
    """
    import json, pathlib
    ids = [row["doc_id"] for row in json.loads((src / "manifest.json").read_text())]
    (dst / "p.jsonl").write_text("".join(json.dumps({"doc_id": i, "entities": []}) + "\\n" for i in ids))
    """
)


def _program(tmp_path: Path, body: str) -> str:
    """A command line running ``body`` with ``src``, ``dst`` and ``here`` (a log folder) bound."""
    program = tmp_path / "system.py"
    here = tmp_path / "log"
    here.mkdir(exist_ok=True)
    program.write_text(
        "import os, pathlib, subprocess, sys, time\n"
        "src, dst = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])\n"
        f"here = pathlib.Path({str(here)!r})\n" + textwrap.dedent(body) + "\n",
        encoding="utf-8",
    )
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(program))} {{input}} {{output}}"


#: Starts a grandchild that would sleep for five minutes and records both pids.
_SPAWN = textwrap.dedent(
    """
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    (here / "pids").write_text(f"{os.getpid()} {child.pid}")
    """
)


def _alive(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie waiting for its reaper counts as dead)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")


def _wait_dead(pids: list[int], seconds: float = 10.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = [p for p in pids if _alive(p)]
        if not left:
            return []
        time.sleep(0.05)
    return [p for p in pids if _alive(p)]


def _pids(tmp_path: Path) -> list[int]:
    return [int(x) for x in (tmp_path / "log" / "pids").read_text().split()]


def _env(tmp_path: Path) -> dict[str, str]:
    """newsgold's environment: its temporary folders go to ``tmp_path/tmp`` (checked empty)."""
    tmp = tmp_path / "tmp"
    tmp.mkdir(exist_ok=True)
    return {**os.environ, "PYTHONPATH": str(SRC), "TMPDIR": str(tmp)}


@pytest.mark.parametrize(
    ("ending", "code"),
    [("sys.exit(0)", 0), ("sys.exit(2)", 1), ("os.kill(os.getpid(), 9)", 1)],
    ids=["exit-0", "exit-2", "killed"],
)
def test_children_do_not_outlive_the_command(tmp_path: Path, ending: str, code: int) -> None:
    """A command that leaves a child running: the child is killed however the command ends."""
    command = _program(tmp_path, _VALID + _SPAWN + ending)
    out = tmp_path / "p.jsonl"
    result = subprocess.run(
        [*NEWSGOLD, "run", "--cmd", command, "--out", str(out), "--no-progress"]
        + ["--root", str(ROOT)],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    assert _wait_dead(_pids(tmp_path)) == []
    assert list((tmp_path / "tmp").iterdir()) == []
    if code:
        assert ERROR.match(result.stderr.splitlines()[0]), result.stderr


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_signal_to_newsgold_stops_the_group(tmp_path: Path, signum: int) -> None:
    """A signal to newsgold while the command runs: command and child killed, no temporary
    folder left, the previous --out byte-identical."""
    command = _program(tmp_path, _SPAWN + "time.sleep(300)")
    out = tmp_path / "p.jsonl"
    out.write_bytes(b"previous\n")
    proc = subprocess.Popen(
        [*NEWSGOLD, "run", "--cmd", command, "--out", str(out), "--no-progress"]
        + ["--root", str(ROOT)],
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not (tmp_path / "log" / "pids").exists():
        assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    time.sleep(0.1)
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode != 0
    if signum != signal.SIGINT:
        assert proc.returncode == -signum, stderr
    assert "Traceback" not in stderr
    assert _wait_dead(_pids(tmp_path)) == []
    assert list((tmp_path / "tmp").iterdir()) == []
    assert out.read_bytes() == b"previous\n"


def test_time_out_kills_the_group(tmp_path: Path) -> None:
    command = _program(tmp_path, _SPAWN + "time.sleep(300)")
    out = tmp_path / "p.jsonl"
    out.write_bytes(b"previous\n")
    started = time.monotonic()
    result = invoke(
        ["run", "--cmd", command, "--out", str(out), "--no-progress", "--timeout", "1.5"]
        + ["--root", str(ROOT)]
    )
    assert time.monotonic() - started < 30
    assert result.exit_code == 1
    assert result.stderr.startswith("error: the command timed out after 1.5 s"), result.stderr
    assert _wait_dead(_pids(tmp_path)) == []
    assert out.read_bytes() == b"previous\n"


def test_a_gibibyte_of_stderr_costs_no_memory(tmp_path: Path) -> None:
    """1 GiB to standard error: only its tail is kept (newsgold's peak memory stays far below)."""
    body = (
        "chunk = b'log line\\n' * (1 << 17)\nfor _ in range(1024): sys.stderr.buffer.write(chunk)\n"
    )
    body += "sys.stderr.buffer.write(b'the last words\\n'); sys.exit(5)"
    command = _program(tmp_path, body)
    measure = (
        "import resource, subprocess, sys\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.stderr.write(r.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", measure, *NEWSGOLD, "run", "--cmd", command]
        + ["--out", str(tmp_path / "p.jsonl"), "--no-progress", "--root", str(ROOT)],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    status, peak_kib = (int(x) for x in result.stdout.split())
    assert status == 1, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("error: the command exited with status 5: "), lines[:3]
    assert lines[-1] == "  | the last words"
    assert len(lines) <= 25
    assert peak_kib < 400 * 1024, f"peak memory {peak_kib} KiB for 1 GiB of stderr"


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-1", "0", "NaN", "1e999"])
def test_bad_timeouts_are_one_line(tmp_path: Path, value: str) -> None:
    command = _program(tmp_path, _VALID)
    out = tmp_path / "p.jsonl"
    result = invoke(
        ["run", "--cmd", command, "--out", str(out), "--no-progress", f"--timeout={value}"]
        + ["--root", str(ROOT)]
    )
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    (line,) = result.stderr.splitlines()
    assert ERROR.match(line) and "expected a finite number of seconds above 0" in line, line
    assert not out.exists()


ODD_OUTPUTS = {
    "fifo-then-exit": ("os.mkfifo(dst / 'p.jsonl')", "not a regular file (a FIFO;"),
    "fifo-brat": (
        "import json\n"
        "for row in json.loads((src / 'manifest.json').read_text()):\n"
        "    os.mkfifo(dst / (row['doc_id'] + '.ann'))",
        "not a regular file (a FIFO;",
    ),
    "symlink-to-dev-zero": ("(dst / 'p.jsonl').symlink_to('/dev/zero')", "a symbolic link"),
    "socket": (
        "import socket\ns = socket.socket(socket.AF_UNIX)\ns.bind(str(dst / 'p.jsonl'))",
        "a socket",
    ),
    "deletes-output-then-exits": (
        "import shutil\nshutil.rmtree(dst)",
        "removed or replaced its {output} folder",
    ),
    "sys-exit-3": ("sys.exit(3)", "the command exited with status 3: "),
    "killed-by-sigkill": ("os.kill(os.getpid(), 9)", "was killed by signal 9 (SIGKILL)"),
    "killed-by-sigsegv": ("os.kill(os.getpid(), 11)", "was killed by signal 11 (SIGSEGV)"),
    "fifo-and-wait": ("os.mkfifo(dst / 'p.jsonl'); time.sleep(300)", "timed out after 2 s"),
}


@pytest.mark.parametrize("name", sorted(ODD_OUTPUTS))
def test_odd_output_is_an_error_within_the_time_limit(tmp_path: Path, name: str) -> None:
    body, expected = ODD_OUTPUTS[name]
    command = _program(tmp_path, body)
    out = tmp_path / "p.jsonl"
    out.write_bytes(b"previous\n")
    started = time.monotonic()
    result = invoke(
        ["run", "--cmd", command, "--out", str(out), "--no-progress", "--timeout", "2"]
        + ["--root", str(ROOT)]
    )
    assert time.monotonic() - started < 30
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    first = result.stderr.splitlines()[0]
    assert ERROR.match(first), result.stderr
    assert expected in result.stderr, result.stderr
    assert out.read_bytes() == b"previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log", "p.jsonl", "system.py"]
