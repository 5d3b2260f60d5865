"""Unexpected errors: logged to a file and shown as a Swedish dialog instead of a crash."""

from __future__ import annotations

import sys
from types import TracebackType

from desktop_app.crash_log import write_crash


def _hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop_app.domain.errors import UserError

    if isinstance(exc, UserError) and QApplication.instance() is not None:
        QMessageBox.warning(None, "SVF-redovisning", str(exc))  # already a Swedish message
        return
    log = write_crash(exc.with_traceback(tb))
    if QApplication.instance() is not None:
        QMessageBox.critical(
            None,
            "Oväntat fel",
            "Ett oväntat fel inträffade. Det du redan sparat finns kvar.\n\n"
            f"({type(exc).__name__})\n\nDetaljer har sparats i {log}.",
        )


def install_excepthook() -> None:
    sys.excepthook = _hook
