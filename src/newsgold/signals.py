"""Termination signals that clean up first: the one rule for SIGTERM and SIGHUP.

Python turns SIGINT into ``KeyboardInterrupt``, so ``finally`` blocks run on
Ctrl-C (inside the block it is handled like the others, then handed to Python's own
handler); SIGTERM and SIGHUP kill the process outright by default, leaving behind
whatever a ``finally`` would have removed (a temporary file, a running command
and its children, a temporary folder). Inside :func:`cleanup_on_signals` they
raise instead, and once the cleanup has run the signal goes to the handler that
was there before (by default the process then ends as it would have, killed by
that signal). The write path (:mod:`newsgold.jsonio.write`) and the process
runner (:mod:`newsgold.procgroup`) both use it.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import NewsgoldError

#: The signals that end a process by default and that newsgold turns into a cleanup first
#: (SIGINT too, so that it can be deferred like the others while files are renamed).
TERMINATING = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


class _State:
    """Deferral of signals (see :func:`deferred`): how deep, and the signal that arrived."""

    depth = 0
    pending: int | None = None


class Signalled(BaseException):
    """A termination signal arrived (raised by the handler, so ``finally`` blocks run).

    A ``BaseException``, like ``KeyboardInterrupt``: ``except Exception`` does not swallow it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextmanager
def cleanup_on_signals() -> Iterator[None]:
    """For the duration of the block, SIGTERM, SIGHUP and SIGINT raise :class:`Signalled`.

    After the block's cleanup the signal is delivered again to the handler that
    was there before. Outside the main thread, where handlers cannot be
    installed, nothing changes. Blocks may nest: the inner one hands the signal
    to the outer one, which cleans up in turn.

    Raises:
        NewsgoldError: when the previous handler ignored the signal (the work
            was still interrupted).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def raise_(signum: int, frame: object) -> None:
        if _State.depth:
            _State.pending = signum  # raised when the deferred block ends
            return
        raise Signalled(signum)

    previous = {s: signal.signal(s, raise_) for s in TERMINATING}
    try:
        yield
    except Signalled as exc:
        for s, handler in previous.items():
            signal.signal(s, handler)
        previous = {}
        os.kill(os.getpid(), exc.signum)
        raise NewsgoldError(f"interrupted by signal {signal.Signals(exc.signum).name}") from None
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextmanager
def deferred() -> Iterator[None]:
    """Inside :func:`cleanup_on_signals`: a signal arriving in this block is raised only when
    the block ends, so that a short critical step (renaming written files into place) is
    done whole or not at all."""
    _State.depth += 1
    try:
        yield
    finally:
        _State.depth -= 1
        if not _State.depth and _State.pending is not None:
            signum, _State.pending = _State.pending, None
            raise Signalled(signum)
