"""The one way newsgold runs another program: in its own process group, with bounded logs.

Every program newsgold starts for a system (``newsgold run --cmd``, and the
programs a tagging script such as ``scripts/heideltime_tagger.py`` starts) goes
through :func:`run_group`, which

- starts it in a new session (its own process group), with no standard input;
- kills the whole group with SIGKILL when it ends normally, when it runs out
  of time, when the caller raises, and when newsgold gets SIGINT, SIGTERM or
  SIGHUP (:mod:`newsgold.signals`): children the program left running do not
  outlive it (a child that starts a session of its own has left the group and
  is out of reach, as with any process-group supervisor);
- keeps only the last :data:`TAIL_BYTES` of its standard error and standard
  output (a program writing gigabytes of log costs no memory), unless standard
  output is sent to a file;
- refuses a time limit that is not a finite number of seconds above 0
  (:func:`check_timeout`).

>>> done = run_group(["sh", "-c", "echo out; echo err >&2; exit 3"], timeout=10)
>>> (done.status, done.stdout_tail, done.stderr_tail)
(3, 'out', 'err')
>>> done.describe()
'exited with status 3'
"""

from __future__ import annotations

import math
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .errors import NewsgoldError, UsageError
from .signals import cleanup_on_signals

#: Bytes kept of the end of a program's standard error (and standard output).
TAIL_BYTES = 64 * 1024
#: Lines of that tail quoted in an error.
TAIL_LINES = 20


def check_timeout(seconds: float | None, option: str = "--timeout") -> None:
    """The rule for a time limit: ``None`` (no limit) or a finite number of seconds above 0.

    Args:
        seconds: the limit.
        option: how to name it in the error.

    Raises:
        UsageError: NaN, infinite, zero or negative (NaN compares false with
            everything, so a NaN limit would never fire).

    >>> check_timeout(2.5)
    >>> check_timeout(float("nan"))
    Traceback (most recent call last):
    ...
    newsgold.errors.UsageError: --timeout nan: expected a finite number of seconds above 0
    """
    if seconds is None:
        return
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise UsageError(f"{option} {seconds!r}: expected a finite number of seconds above 0")
    if not math.isfinite(seconds) or seconds <= 0:
        raise UsageError(f"{option} {seconds:g}: expected a finite number of seconds above 0")


class _Tail:
    """Reads a pipe to its end in a thread, keeping only its last ``limit`` bytes."""

    def __init__(self, pipe: IO[bytes], limit: int) -> None:
        self._pipe = pipe
        self._limit = limit
        self._buf = bytearray()
        self.total = 0
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        fd = self._pipe.fileno()
        try:
            while chunk := os.read(fd, 1 << 16):
                self.total += len(chunk)
                self._buf += chunk
                if len(self._buf) > 2 * self._limit:
                    del self._buf[: -self._limit]
        except OSError:
            pass

    def text(self, wait: float = 2.0) -> str:
        """The tail read so far (after waiting up to ``wait`` s for the pipe's end), decoded."""
        self._thread.join(wait)
        data = bytes(self._buf[-self._limit :])
        text = data.decode("utf-8", errors="replace")
        return "\n".join(text.rstrip("\n").splitlines()[-TAIL_LINES:])

    def close(self) -> None:
        try:
            self._pipe.close()
        except OSError:
            pass


@dataclass(frozen=True)
class Finished:
    """How a program ended.

    Attributes:
        status: its exit status; negative ``-N`` when signal N killed it;
            ``None`` when it ran out of time (it was then killed).
        seconds: wall-clock time from start to end.
        stderr_tail: the last lines of its standard error.
        stdout_tail: the last lines of its standard output (empty when it went to a file).
    """

    status: int | None
    seconds: float
    stderr_tail: str
    stdout_tail: str

    def describe(self) -> str:
        """How it ended, in words: ``exited with status 3``, ``was killed by signal 9 (SIGKILL)``.

        >>> Finished(-15, 0.1, "", "").describe()
        'was killed by signal 15 (SIGTERM)'
        """
        if self.status is None:
            return "timed out"
        if self.status < 0:
            try:
                name = signal.Signals(-self.status).name
            except ValueError:
                name = "unknown signal"
            return f"was killed by signal {-self.status} ({name})"
        return f"exited with status {self.status}"


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill ``proc``'s process group (the program and what it started) and reap ``proc``."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def run_group(
    argv: Sequence[str],
    *,
    timeout: float | None = None,
    stdout: Path | None = None,
    cwd: Path | None = None,
    poll_seconds: float = 0.05,
    on_poll: Callable[[], None] | None = None,
    tail_bytes: int = TAIL_BYTES,
    new_session: bool = True,
) -> Finished:
    """Run ``argv`` (no shell) in its own process group, and kill the group when it ends.

    Args:
        argv: the program and its arguments.
        timeout: seconds after which it is killed (``None``: no limit; see :func:`check_timeout`).
        stdout: a file to receive its standard output whole (default: only its tail is kept).
        cwd: its working folder (default: newsgold's).
        poll_seconds: how often ``on_poll`` is called while it runs.
        on_poll: called every ``poll_seconds`` (to report progress); an exception it
            raises kills the group and propagates.
        tail_bytes: how much of the end of each log to keep.
        new_session: start the program in a process group of its own (the default).
            ``False`` is for a program started *by* a program newsgold runs (HeidelTime's
            Java, started by its tagging script): it stays in that group, so newsgold's kill
            of the group still reaches it, and only it is killed when it ends.

    Returns:
        Its :class:`Finished` status and log tails.

    Raises:
        UsageError: a bad ``timeout``.
        NewsgoldError: the program is not found or not executable.
    """
    check_timeout(timeout)
    with cleanup_on_signals():
        out_file = None if stdout is None else stdout.open("wb")
        try:
            try:
                proc = subprocess.Popen(
                    list(argv),
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE if out_file is None else out_file,
                    stderr=subprocess.PIPE,
                    cwd=cwd,
                    start_new_session=new_session,
                )
            except FileNotFoundError:
                raise NewsgoldError(
                    f"command not found: {argv[0]!r} (expected a program on PATH or a path to one)"
                ) from None
            except PermissionError:
                raise NewsgoldError(
                    f"command not executable: {argv[0]!r} (make it executable, or run it "
                    "through its interpreter, e.g. 'python script.py …')"
                ) from None
            assert proc.stderr is not None
            err = _Tail(proc.stderr, tail_bytes)
            out = None if proc.stdout is None else _Tail(proc.stdout, tail_bytes)
            started = time.perf_counter()
            status: int | None = None
            try:
                while True:
                    try:
                        status = proc.wait(timeout=poll_seconds)
                        break
                    except subprocess.TimeoutExpired:
                        pass
                    if on_poll is not None:
                        on_poll()
                    if timeout is not None and time.perf_counter() - started > timeout:
                        break
            finally:
                # on every way out: its children too, then the pipes (EOF once the group is gone)
                if new_session:
                    kill_group(proc)
                else:
                    proc.kill()
                    proc.wait()
                seconds = time.perf_counter() - started
                stderr_tail = err.text()
                stdout_tail = "" if out is None else out.text()
                err.close()
                if out is not None:
                    out.close()
            return Finished(status, seconds, stderr_tail, stdout_tail)
        finally:
            if out_file is not None:
                out_file.close()
