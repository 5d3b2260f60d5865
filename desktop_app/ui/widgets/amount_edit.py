"""A field for an amount in kronor: Swedish input, never a digit reinterpreted.

Typing is free ("150 000", "150000 kr", "150000,50"); every keystroke is parsed by
``domain.numbers.parse_amount`` and marks the field, but an amount is committed
(``committed``) only when the user leaves the field or presses Enter, or has paused typing
(``IDLE_MS``): so "150" on the way to "150.000" is never saved. One with öre is
rounded to whole kronor and the field says so when the user leaves it; text that is not an
amount is marked in the field (red frame, the reason as tooltip) and announced once, in the
status line, when the user leaves the field; the typed text stays for correction. Not being
edited, the field shows the formatted amount ("150 000 kr")."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QHideEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from desktop_app.domain.fmt import fmt_int
from desktop_app.domain.numbers import Amount, NumberError, format_amount, parse_amount

INVALID_STYLE = "QLineEdit { border: 2px solid #a4161a; background: #fbe4e6; }"
IDLE_MS = 1500  # a pause in typing commits a valid amount (an autosave, as for every field)


class AmountEdit(QLineEdit):
    """``committed(int | None)``: a valid amount was typed; ``message(str)``: a Swedish line for
    the status bar (a rounding note or why the text is not an amount)."""

    committed = Signal(object)
    message = Signal(str)

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setPlaceholderText("0 kr")
        self._parsed: Amount | None = Amount(None)
        self._error: str | None = None
        self._announced: str | None = None
        self._pending = False  # a valid amount typed but not yet committed
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(IDLE_MS)
        self._idle.timeout.connect(self._commit)
        self.textEdited.connect(self._typed)
        self.editingFinished.connect(self._finished)

    # ------------------------------------------------------------------ state
    @property
    def error(self) -> str | None:
        """Why the text is not an amount; None when it is one (or empty)."""
        return self._error

    def amount(self) -> int | None:
        """The amount of the text; raises NumberError when the text is not one."""
        if self._error is not None or self._parsed is None:
            raise NumberError(self._error or "")
        return self._parsed.value

    def show_amount(self, value: int | None) -> None:
        """Show a stored amount: formatted when the field is not being edited; while it is,
        the typed text stays if it already means that amount. Text that is not an amount stays
        too, for the user to correct (it was never saved)."""
        if self._error is not None:
            return
        if self._pending:
            return  # the user's typing is not yet committed: it stays
        if self._parsed is not None and self._parsed.value == value and self.text().strip():
            return  # "1234" being typed is 1 234 kr: not reformatted under the cursor
        self._set_valid(Amount(value))
        self.setText(format_amount(value) if not self.hasFocus() else _plain(value))

    # ------------------------------------------------------------------ events
    def _typed(self, text: str) -> None:
        try:
            parsed = parse_amount(text)
        except NumberError as exc:
            self._idle.stop()
            self._pending = False
            self._set_invalid(str(exc))
            return
        self._set_valid(parsed)
        self._pending = True
        self._idle.start()

    def _commit(self) -> None:
        self._idle.stop()
        if self._pending and self._parsed is not None:
            self._pending = False
            self.committed.emit(self._parsed.value)

    def _finished(self) -> None:
        self._commit()
        if self._error is not None:
            if self._error != self._announced:
                self._announced = self._error
                self.message.emit(f"{self.accessibleName()}: {self._error}")
            return
        if self._parsed is not None:
            if self._parsed.note:
                self.message.emit(f"{self.accessibleName()}: {self._parsed.note}")
            self.setText(format_amount(self._parsed.value))

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        self._commit()  # another step, another report or the window closing: nothing lost
        super().hideEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusInEvent(event)
        if self._error is None and self._parsed is not None:
            self.setText(_plain(self._parsed.value))  # "150 000" to edit, without "kr"

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        if self._error is None and self._parsed is not None:
            self.setText(format_amount(self._parsed.value))

    # ------------------------------------------------------------------ marks
    def _set_invalid(self, reason: str) -> None:
        self._error = reason
        self._parsed = None
        self.setStyleSheet(INVALID_STYLE)
        self.setToolTip(reason)
        self.setAccessibleDescription(reason)

    def _set_valid(self, parsed: Amount) -> None:
        self._error = None
        self._announced = None
        self._parsed = parsed
        self.setStyleSheet("")
        self.setToolTip("")
        self.setAccessibleDescription("")


def _plain(value: int | None) -> str:
    return "" if value is None else fmt_int(value)


__all__ = ["AmountEdit"]
