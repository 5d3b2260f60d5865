"""Run a function off the UI thread and hear back on it: result, error, progress, cancellation.

Generic on purpose (import preview now; export, signing and verifying later). The function runs
in a QThreadPool; its outcome comes back to the UI thread by queued signals, so slots may touch
widgets. Two pools, as Anki's taskman does: ``db_pool()`` has one thread, so work that opens a
database session never overlaps another such job; ``file_pool()`` is Qt's global pool for pure
file/CPU work.

Cancelling is cooperative: ``Worker.cancel()`` sets a flag; a function that was given the worker
(``pass_worker=True``) can check ``worker.cancelled`` or call ``worker.progress()``, which raises
``Cancelled`` once the flag is set. Whatever the function does, after cancel() the caller hears
``cancelled`` and never ``result`` or ``error``, so a cancelled job can never change anything the
user sees.

Workers get values, not widgets: everything a job needs is read on the UI thread before it
starts (a frozen dataclass of inputs is the usual form) and handed over as plain values.
``Worker`` refuses, when it is made, a function or argument that is (or closes over) a Qt object,
and ``assert_gui_thread()`` marks the slots that touch widgets; tests/ui/conftest.py makes any
widget call off the GUI thread fail the test.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThread, QThreadPool, Signal, Slot

__all__ = [
    "Cancelled",
    "OffGuiThreadError",
    "Worker",
    "WorkerSignals",
    "assert_gui_thread",
    "db_pool",
    "file_pool",
    "on_gui_thread",
]


class Cancelled(Exception):  # noqa: N818 - reads better at the raise site than CancelledError
    """Raised inside a job by ``Worker.progress()`` once the job was cancelled."""


class OffGuiThreadError(AssertionError):
    """Code that belongs on the GUI thread (a widget, a widget-facing slot) ran on another."""


def on_gui_thread() -> bool:
    """Whether the caller runs on the thread of the application object (the GUI thread)."""
    app = QCoreApplication.instance()
    if app is None:
        return threading.current_thread() is threading.main_thread()
    return QThread.currentThread() == app.thread()


def assert_gui_thread(what: str = "") -> None:
    """Raise OffGuiThreadError unless called on the GUI thread; first line of the slots that
    take a job's outcome to the widgets."""
    if not on_gui_thread():
        raise OffGuiThreadError(
            f"{what or 'widget code'} ran on {threading.current_thread().name}, "
            "not on the GUI thread"
        )


def _qt_objects(value: Any, depth: int = 0) -> list[str]:
    """Names of the Qt objects in ``value`` (looking into dataclasses, containers, bound
    methods and closures a few levels deep)."""
    if isinstance(value, QObject):
        return [type(value).__name__]
    if depth > 3:
        return []
    found: list[str] = []
    children: list[Any] = []
    if isinstance(value, (list, tuple, set, frozenset)):
        children = list(value)
    elif isinstance(value, dict):
        children = [*value.keys(), *value.values()]
    elif hasattr(value, "__dataclass_fields__"):
        children = [getattr(value, f, None) for f in value.__dataclass_fields__]
    elif callable(value):
        children = [getattr(value, "__self__", None)]
        for cell in getattr(value, "__closure__", None) or ():
            with contextlib.suppress(ValueError):  # a cell not yet filled
                children.append(cell.cell_contents)
    for child in children:
        found += _qt_objects(child, depth + 1)
    return found


class WorkerSignals(QObject):
    """Signals of one job. The object lives in the thread that made the worker (the UI thread);
    the job's outcome reaches it by a queued internal signal and is re-emitted there, after a
    last look at the cancel flag. So the public signals always fire on the UI thread, may be
    connected to lambdas, and a job cancelled even a moment before its result arrived is
    reported as cancelled, never as a result."""

    progress = Signal(int, str)  # percent 0..100, or -1 when unknown; a Swedish label
    result = Signal(object)  # the function's return value
    error = Signal(object)  # the exception it raised (never Cancelled)
    cancelled = Signal()
    finished = Signal()  # always last, after result / error / cancelled

    _outcome = Signal(
        str, object
    )  # from the job's thread: ("result" | "error" | "cancelled", value)
    _progress = Signal(int, str)

    def __init__(self, cancel_flag: threading.Event) -> None:
        super().__init__()
        self._cancel_flag = cancel_flag
        self._outcome.connect(self._deliver)
        self._progress.connect(self._relay_progress)

    @Slot(int, str)
    def _relay_progress(self, percent: int, label: str) -> None:
        if not self._cancel_flag.is_set():
            self.progress.emit(percent, label)

    @Slot(str, object)
    def _deliver(self, kind: str, value: object) -> None:
        if self._cancel_flag.is_set():
            kind = "cancelled"
        if kind == "result":
            self.result.emit(value)
        elif kind == "error":
            self.error.emit(value)
        else:
            self.cancelled.emit()
        self.finished.emit()


class Worker(QRunnable):
    """One call of ``fn(*args, **kwargs)`` in a thread pool.

    With ``pass_worker=True`` the function is called as ``fn(worker, *args, **kwargs)`` so it can
    report progress and notice cancellation. Keep a reference to the worker while it runs (the
    caller owns it; the pool does not delete it)."""

    def __init__(
        self, fn: Callable[..., Any], *args: Any, pass_worker: bool = False, **kwargs: Any
    ) -> None:
        super().__init__()
        # A widget (or a closure over one) handed to a job would be read off the GUI thread.
        qt = _qt_objects((fn, args, kwargs))
        if qt:
            raise TypeError(
                f"a worker job gets plain values, not Qt objects ({', '.join(qt)}); "
                "read what it needs on the UI thread first"
            )
        self.setAutoDelete(False)  # Python owns the object; Qt deleting it under us crashes
        self._cancel = threading.Event()
        self._done = threading.Event()
        self.signals = WorkerSignals(self._cancel)
        self._fn = fn
        self._args = args
        self._kwargs = kwargs
        self._pass_worker = pass_worker

    # ------------------------------------------------------------------ caller side
    def start(self, pool: QThreadPool | None = None) -> Worker:
        """Queue the job on ``pool`` (default: ``file_pool()``); returns self for chaining."""
        _running.add(self)  # alive until the outcome is delivered, even if the caller goes away
        self.signals.finished.connect(lambda: _running.discard(self))
        (pool or file_pool()).start(self)
        return self

    def cancel(self) -> None:
        """Ask the job to stop. The caller will hear ``cancelled`` (not result/error)."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def done(self) -> bool:
        """The function has returned or raised (signals may still be on their way)."""
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the function has returned; for shutdown and tests, never on the UI
        thread during normal work."""
        return self._done.wait(timeout)

    # ------------------------------------------------------------------ job side
    def progress(self, percent: int, label: str = "") -> None:
        """Report progress from inside the job; raises Cancelled once cancel() was called."""
        if self._cancel.is_set():
            raise Cancelled
        self.signals._progress.emit(int(percent), label)

    def run(self) -> None:  # called by the pool, in a worker thread
        try:
            args = (self, *self._args) if self._pass_worker else self._args
            kind, value = "result", self._fn(*args, **self._kwargs)
        except Cancelled:
            kind, value = "cancelled", None
        except BaseException as exc:  # noqa: BLE001 - every failure goes to the caller
            kind, value = "error", exc
        self._done.set()
        self.signals._outcome.emit(kind, value)


_running: set[Worker] = set()
_db_pool: QThreadPool | None = None


def db_pool() -> QThreadPool:
    """A one-thread pool for jobs that open a database session (SQLite writes never overlap)."""
    global _db_pool
    if _db_pool is None:
        _db_pool = QThreadPool()
        _db_pool.setMaxThreadCount(1)
        _db_pool.setObjectName("svf-db-pool")
    return _db_pool


def file_pool() -> QThreadPool:
    """The shared pool for pure file and CPU work (rendering, verifying many files)."""
    return QThreadPool.globalInstance()
