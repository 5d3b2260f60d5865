"""The reason for changing a value of the RCC's national extract (issue 15, point 2): a short
text, kept with the value, printed in the PDF and shown to the RCC. Cancel keeps the value.

``_TextReasonDialog`` (a base: no dialog of its own) is the shape it shares with the justification of a warning
(ui.justify_dialog): what it is about, a text to write within limits, save or cancel."""

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


class _TextReasonDialog(FittedDialog):
    """A heading, what the text is about (``detail``), the text and its length, and a save
    button enabled while the text has ``min_chars`` to ``max_chars`` characters."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        head: str,
        detail: QLabel,
        placeholder: str,
        save_label: str,
        limits: tuple[int, int],
        current: str = "",
    ) -> None:
        super().__init__(parent)
        self.min_chars, self.max_chars = limits
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        heading = QLabel(head)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        detail.setWordWrap(True)
        layout.addWidget(detail)
        self.text = QPlainTextEdit()
        self.text.setAccessibleName("Motivering")
        self.text.setPlaceholderText(placeholder)
        self.text.setPlainText(current)
        self.text.setFixedHeight(95)
        layout.addWidget(self.text)
        self.count = QLabel()
        self.count.setObjectName("muted")
        layout.addWidget(self.count)
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            save_label, QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton("Avbryt", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.text.textChanged.connect(self._update)
        self._update()
        self.text.setFocus()

    def written(self) -> str:
        """The text with its white space tidied."""
        return " ".join(self.text.toPlainText().split())

    def _update(self) -> None:
        n, low, high = len(self.written()), self.min_chars, self.max_chars
        self.save_button.setEnabled(low <= n <= high)
        if n > high:
            self.count.setText(f"För lång: {n} tecken, högst {high}.")
        elif n < low and low > 1:
            self.count.setText(f"{n} tecken; skriv minst {low}.")
        else:
            self.count.setText(f"{n} av högst {high} tecken")


class ReasonDialog(_TextReasonDialog):
    """Asks why values that came from the RCC's extract are changed; *Spara ändringen* is
    enabled once a reason is written."""

    def __init__(self, lines: list[str], extract_text: str, parent: QWidget | None) -> None:
        n = len(lines)
        changes = QLabel("\n".join(lines[:8]) + (f"\n… och {n - 8} till" if n > 8 else ""))
        changes.setObjectName("reasonChanges")
        super().__init__(
            parent,
            "Motivera ändringen",
            f"<b>{'Värdet' if n == 1 else 'Värdena'} kommer från {extract_text}.</b> "
            "Skriv kort varför du ändrar "
            + ("det" if n == 1 else "dem")
            + ". Motiveringen sparas med värdet, står i den undertecknade PDF:en och visas "
            "för RCC.",
            changes,
            "T.ex. två patienter var dubbelregistrerade i uttaget.",
            "Spara ändringen",
            (1, MAX_REASON_CHARS),
        )

    def reason(self) -> str:
        return self.written()


def ask_reason(parent: QWidget | None, lines: list[str], extract_text: str) -> str | None:
    """The reason typed, or None when the user cancels (the cells keep their values)."""
    dialog = ReasonDialog(lines, extract_text, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.reason() or None
