"""Termination signals that clean up first: the one rule for SIGTERM and SIGHUP.

Python turns SIGINT into ``KeyboardInterrupt``, so ``finally`` blocks run on
Ctrl-C; SIGTERM and SIGHUP kill the process outright by default, leaving behind
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

#: The signals that end a process by default and that newsgold turns into a cleanup first.
TERMINATING = (signal.SIGTERM, signal.SIGHUP)


class Signalled(BaseException):
    """A termination signal arrived (raised by the handler, so ``finally`` blocks run).

    A ``BaseException``, like ``KeyboardInterrupt``: ``except Exception`` does not swallow it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextmanager
def cleanup_on_signals() -> Iterator[None]:
    """For the duration of the block, SIGTERM and SIGHUP raise :class:`Signalled`.

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
