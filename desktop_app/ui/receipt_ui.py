"""The coordinator's import of the RCC's kvittens (issue 11.6): from Arkiv → Importera
kvittens… or a file dropped on the main window. The result is shown in a small window: the
receipt ("Mottagen av RCC <namn> <datum>"), or the return with its reason and an offer to
unlock a new version of the report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import UserError
from desktop_app.domain.vocabulary import ReceiptKind, label
from desktop_app.services import receipts
from desktop_app.ui.widgets.dialog_fit import FittedDialog


class ReceiptResultDialog(FittedDialog):
    """What an imported kvittens says, with "Lås upp ny version…" for a return."""

    unlock_requested = Signal(int)  # report id

    def __init__(self, result: receipts.ReceiptImport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result = result
        self.setWindowTitle(label(result.kind))
        layout = QVBoxLayout(self)
        self.line = QLabel(f"<b>{result.line}</b>")
        self.line.setWordWrap(True)
        layout.addWidget(self.line)
        notes = []
        if result.already_imported:
            notes.append("Kvittensen var redan inläst.")
        if not result.trusted:
            notes.append(
                "RCC:s certifikat är inte betrott (det finns inte i mappen med betrodda "
                "certifikat); underskriften är intakt."
            )
        self.unlock_button: QPushButton | None = None
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        if result.kind == ReceiptKind.RETURN:
            self.reason = QLabel(f"Skäl: {result.reason or ''}")
            self.reason.setWordWrap(True)
            layout.addWidget(self.reason)
            if result.can_unlock:
                notes.append(
                    "Lås upp redovisningen som en ny version, komplettera den och skicka den på "
                    "nytt."
                )
                self.unlock_button = buttons.addButton(
                    "Lås upp ny version…", QDialogButtonBox.ButtonRole.ActionRole
                )
                self.unlock_button.clicked.connect(self._unlock)
            else:
                notes.append("Redovisningen är inte låst: komplettera den och exportera på nytt.")
        self.notes = QLabel("<br>".join(notes))
        self.notes.setWordWrap(True)
        layout.addWidget(self.notes)
        layout.addWidget(buttons)
        self.resize(520, 200)

    def _unlock(self) -> None:
        self.accept()
        self.unlock_requested.emit(self.result.report_id)


def import_receipt_into(window: Any, path: Path) -> ReceiptResultDialog | None:
    """Import ``path`` as a kvittens for ``window`` (the main window): open the report it
    names and show the result; a refused kvittens is shown with its reason."""
    from desktop_app.services.verification import default_trust_dir

    try:
        result = receipts.import_receipt(window.ctx, path, default_trust_dir())
    except UserError as exc:
        window.show_error(str(exc))
        return None
    window.open_report(result.report_id)
    window.statusBar().showMessage(result.line, 10_000)
    dialog = ReceiptResultDialog(result, window)
    dialog.unlock_requested.connect(window.unlock_report)
    window.receipt_dialog = dialog
    dialog.open()
    return dialog


def dropped_receipt(mime: Any) -> Path | None:
    """The one local PDF file in a drag's mime data, if any."""
    if not mime.hasUrls():
        return None
    files = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
    pdfs = [f for f in files if f.suffix.lower() == ".pdf"]
    return pdfs[0] if len(pdfs) == 1 else None


def drop(window: Any, mime: Any) -> ReceiptResultDialog | None:
    """A file dropped on the main window: a kvittens is imported; another PDF is refused
    with a Swedish message."""
    path = dropped_receipt(mime)
    if path is None:
        window.show_error("Dra en kvittens (en PDF-fil från RCC) till fönstret.")
        return None
    if not receipts.is_receipt_pdf(path):
        window.show_error(
            f"{path.name} är ingen kvittens från RCC. En underskriven redovisning läser du in "
            "med Underskrifter → Importera intygad eller signerad PDF…"
        )
        return None
    return import_receipt_into(window, path)


__all__ = ["ReceiptResultDialog", "drop", "dropped_receipt", "import_receipt_into"]
