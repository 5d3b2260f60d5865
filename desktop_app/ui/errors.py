"""Unexpected errors: logged to a file and shown as a Swedish dialog instead of a crash."""

from __future__ import annotations

import sys
import tempfile
import traceback
from pathlib import Path
from types import TracebackType

LOG = Path(tempfile.gettempdir()) / "svf-redovisning-fel.log"


def _hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    try:
        with LOG.open("a", encoding="utf-8") as fh:
            fh.write("".join(traceback.format_exception(kind, exc, tb)))
    except OSError:
        pass
    if QApplication.instance() is not None:
        QMessageBox.critical(
            None,
            "Oväntat fel",
            "Ett oväntat fel inträffade. Det du redan sparat finns kvar.\n\n"
            f"{type(exc).__name__}: {exc}\n\nDetaljer har sparats i {LOG}.",
        )


def install_excepthook() -> None:
    sys.excepthook = _hook
