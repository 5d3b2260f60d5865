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


def os_error_text(exc: OSError) -> str:
    """A file system error in Swedish, naming the file (Python's own text is English)."""
    import errno

    name = f" {exc.filename}" if exc.filename else ""
    reasons = {
        errno.EACCES: f"du har inte behörighet till filen eller mappen{name} (är den öppen i "
        "ett annat program, t.ex. Excel eller en PDF-läsare?)",
        errno.EPERM: f"du har inte behörighet till filen eller mappen{name}",
        errno.ENOENT: f"filen eller mappen{name} finns inte",
        errno.ENOSPC: "disken är full",
        errno.EROFS: f"{name.strip() or 'platsen'} går bara att läsa, inte skriva",
        errno.EISDIR: f"{name.strip() or 'sökvägen'} är en mapp, inte en fil",
    }
    return reasons.get(exc.errno or 0, f"filen{name} kunde inte läsas eller skrivas")


def failure_text(exc: object, doing: str) -> str:
    """What a worker's failure says to the user: a UserError's own Swedish message, a file
    error in Swedish, else that something unexpected happened (details in the error log, never
    a library's English text on screen). ``doing``: e.g. "Det gick inte att signera"."""
    from desktop_app.domain.errors import UserError

    if isinstance(exc, UserError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"{doing}: {os_error_text(exc)}."
    detail = ""
    if isinstance(exc, BaseException):
        detail = f" Detaljer har sparats i {write_crash(exc)}."
    return f"{doing}: ett oväntat fel inträffade. Det du redan sparat finns kvar.{detail}"
