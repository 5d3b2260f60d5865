"""A slim progress line for work running off the UI thread: a label and a bar, busy (moving)
until a job reports a percentage, hidden when nothing runs."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from desktop_app.ui.workers import assert_gui_thread


class ProgressLine(QWidget):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setAccessibleName(name)
        self.bar.setMaximumWidth(240)
        self.bar.setTextVisible(False)
        row.addWidget(self.label, 1)
        row.addWidget(self.bar)
        self.hide()

    @property
    def running(self) -> bool:
        return not self.isHidden()

    def start(self, text: str) -> None:
        """Show ``text`` with a busy bar (no percentage known yet)."""
        assert_gui_thread("ProgressLine.start")
        self.label.setText(text)
        self.bar.setRange(0, 0)
        self.show()

    def update_progress(self, percent: int, text: str = "") -> None:
        """A job's progress signal: percent 0..100 (or -1 when unknown) and a label."""
        assert_gui_thread("ProgressLine.update_progress")
        if percent < 0:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, 100)
            self.bar.setValue(percent)
        if text:
            self.label.setText(text)

    def stop(self) -> None:
        assert_gui_thread("ProgressLine.stop")
        self.hide()
