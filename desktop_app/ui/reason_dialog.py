"""The reason for changing a value of the RCC's national extract (issue 15, point 2): a short
text, kept with the value, printed in the PDF and shown to the RCC. Cancel keeps the value."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.provenance import MAX_REASON_CHARS
from desktop_app.ui.widgets.dialog_fit import FittedDialog


class ReasonDialog(FittedDialog):
    """Asks why values that came from the RCC's extract are changed; *Spara ändringen* is
    enabled once a reason is written."""

    def __init__(self, lines: list[str], extract_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Motivera ändringen")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        n = len(lines)
        head = QLabel(
            f"<b>{'Värdet' if n == 1 else 'Värdena'} kommer från {extract_text}.</b> "
            "Skriv kort varför du ändrar "
            + ("det" if n == 1 else "dem")
            + ". Motiveringen sparas med värdet, står i den undertecknade PDF:en och visas "
            "för RCC."
        )
        head.setWordWrap(True)
        layout.addWidget(head)
        changes = QLabel("\n".join(lines[:8]) + (f"\n… och {n - 8} till" if n > 8 else ""))
        changes.setObjectName("reasonChanges")
        changes.setWordWrap(True)
        layout.addWidget(changes)
        self.text = QPlainTextEdit()
        self.text.setAccessibleName("Motivering")
        self.text.setPlaceholderText("T.ex. två patienter var dubbelregistrerade i uttaget.")
        self.text.setFixedHeight(90)
        layout.addWidget(self.text)
        self.count = QLabel()
        self.count.setObjectName("muted")
        layout.addWidget(self.count)
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            "Spara ändringen", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton("Avbryt", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.text.textChanged.connect(self._update)
        self._update()
        self.text.setFocus()

    def reason(self) -> str:
        return " ".join(self.text.toPlainText().split())

    def _update(self) -> None:
        n = len(self.reason())
        self.save_button.setEnabled(0 < n <= MAX_REASON_CHARS)
        self.count.setText(
            f"{n} av högst {MAX_REASON_CHARS} tecken"
            if n <= MAX_REASON_CHARS
            else f"För lång: {n} tecken, högst {MAX_REASON_CHARS}."
        )


def ask_reason(parent: QWidget | None, lines: list[str], extract_text: str) -> str | None:
    """The reason typed, or None when the user cancels (the cells keep their values)."""
    dialog = ReasonDialog(lines, extract_text, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.reason() or None
