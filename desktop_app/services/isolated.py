"""Work that must really stop when it takes too long, off the main thread (issue 11, the RCC's
per-file time limit in the application). SIGALRM (services.time_limit) only works on the main
thread, and a Python thread cannot be stopped from outside; a child process can. ``Isolated``
keeps one child process (started with *spawn*, so nothing of the parent's threads, Qt or open
database is inherited) that runs calls one at a time; a call that does not finish within its
limit kills the child (``TimeLimitExceeded``) and the next call starts a new one.

Targets are named "package.module:function" so that the child imports them itself; arguments
and results must be picklable (plain dataclasses, bytes, paths, dates)."""

from __future__ import annotations

import atexit
import importlib
import multiprocessing
import threading
from multiprocessing.connection import Connection
from typing import Any

from desktop_app.services.time_limit import TimeLimitExceeded

# The time a new child may take to start and import its target's module (not counted in a
# call's own limit: importing the PDF libraries takes a second or two on a slow machine).
START_LIMIT = 120.0

_IMPORT = "import"
_CALL = "call"


class IsolatedFailure(Exception):
    """The call failed in the child: it raised (``kind``: the exception's class name,
    ``message``: its text) or the child died."""

    def __init__(self, kind: str, message: str) -> None:
        self.kind = kind
        self.message = message
        super().__init__(f"{kind}: {message}")


class IsolatedUnavailable(Exception):
    """No child process could be started (or it could not import its modules): the caller
    may do the work itself, without the hard limit."""


def _target(name: str) -> Any:
    module, _, func = name.partition(":")
    return getattr(importlib.import_module(module), func)


def _serve(conn: Connection) -> None:
    """The child's loop: import a module, or run a call and send its result or failure."""
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        what, name, args = job
        try:
            if what == _IMPORT:
                importlib.import_module(name)
                conn.send((True, None))
            else:
                conn.send((True, _target(name)(*args)))
        except Exception as exc:  # noqa: BLE001 - every failure goes back to the parent as text
            conn.send((False, (type(exc).__name__, str(exc))))


class Isolated:
    """One child process that runs calls with a time limit (see the module docstring). Use as
    a context manager, or call ``close``."""

    def __init__(self, preload: tuple[str, ...] = ()) -> None:
        # Modules a new child imports before its first call (outside the call's limit).
        self.preload = preload
        self._lock = threading.RLock()
        self._proc: Any = None
        self._conn: Connection | None = None

    def __enter__(self) -> Isolated:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self, target: str) -> Connection:
        if self._proc is not None and self._proc.is_alive() and self._conn is not None:
            return self._conn
        self._stop()
        mp = multiprocessing.get_context("spawn")
        try:
            parent, child = mp.Pipe()
            proc = mp.Process(target=_serve, args=(child,), daemon=True, name="svf-kontroll")
            proc.start()
            child.close()
            self._proc, self._conn = proc, parent
            for module in (*self.preload, target.partition(":")[0]):
                parent.send((_IMPORT, module, ()))
                self._answer(parent, START_LIMIT)
        except (OSError, TimeLimitExceeded, IsolatedFailure) as exc:
            self._stop()
            raise IsolatedUnavailable(str(exc)) from None
        return parent

    def _answer(self, conn: Connection, seconds: float) -> Any:
        try:
            ready = conn.poll(seconds)
        except (EOFError, OSError):
            ready = True  # the child is gone: recv says so
        if not ready:
            self._stop()
            raise TimeLimitExceeded
        try:
            ok, value = conn.recv()
        except (EOFError, OSError):
            self._stop()
            raise IsolatedFailure("avbruten", "kontrollen avbröts oväntat") from None
        if not ok:
            raise IsolatedFailure(*value)
        return value

    def run(self, target: str, args: tuple[Any, ...], seconds: float) -> Any:
        """``target(*args)`` in the child, within ``seconds``. TimeLimitExceeded when it does
        not finish in time (the child is killed); IsolatedFailure when it raises. One call at
        a time: callers on other threads wait."""
        with self._lock:
            conn = self._start(target)
            conn.send((_CALL, target, args))
            return self._answer(conn, seconds)

    def _stop(self) -> None:
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        if conn is not None:
            conn.close()
        if proc is not None:
            if proc.is_alive():
                proc.kill()
            proc.join(5)

    def close(self) -> None:
        """Stop the child (asking it to finish first)."""
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._conn is not None and self._proc is not None and self._proc.is_alive():
            try:
                self._conn.send(None)
                self._proc.join(2)
            except (OSError, ValueError):
                pass
        self._stop()


_SHARED: dict[tuple[str, ...], Isolated] = {}
_SHARED_LOCK = threading.Lock()


def shared(preload: tuple[str, ...]) -> Isolated:
    """The process's one ``Isolated`` for ``preload``: its child is started once (it takes a
    few seconds to import the PDF libraries) and serves every batch until the program ends."""
    with _SHARED_LOCK:
        if preload not in _SHARED:
            _SHARED[preload] = Isolated(preload)
            atexit.register(_SHARED[preload].close)
        return _SHARED[preload]


__all__ = [
    "START_LIMIT",
    "Isolated",
    "IsolatedFailure",
    "IsolatedUnavailable",
    "TimeLimitExceeded",
    "shared",
]
