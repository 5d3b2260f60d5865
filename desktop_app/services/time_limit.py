"""A time limit for one piece of work (e.g. verifying one received file), so that a hostile
file cannot hang the RCC's batch. On the main thread of a POSIX process it uses SIGALRM (the
work is interrupted with ``TimeLimitExceeded``); elsewhere (a worker thread) it is not
enforced here: work that must stop there runs in a child process (services.isolated)."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator


class TimeLimitExceeded(Exception):
    """The work took longer than its time limit."""


def can_interrupt() -> bool:
    """Whether ``time_limit`` can interrupt work here (the main thread of a POSIX process)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Run the block under a time limit of ``seconds`` where one can be set."""
    usable = can_interrupt()
    if not usable:
        yield
        return

    def _expired(_signum: int, _frame: object) -> None:
        raise TimeLimitExceeded

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
