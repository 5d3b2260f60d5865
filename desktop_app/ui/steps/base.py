"""The contract between the report window and one step page."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QTextEdit,
    QWidget,
)

from desktop_app.domain.rules import Location
from desktop_app.domain.template import Step
from desktop_app.services.reports import Changes
from desktop_app.ui.session import ReportSession


class StepPage(QWidget):
    """A page of the stepper. Subclasses build their widgets in __init__ from
    ``session.template`` and ``step``, show ``session.report`` and send every edit through
    ``session`` (never a service or the database directly)."""

    def __init__(self, session: ReportSession, step: Step, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.step = step
        self.setAccessibleName(step.title)
        session.changed.connect(self.refresh)

    def add_heading(self, layout: QBoxLayout) -> None:
        """The step's title and help text (styled by the page's #stepTitle / #stepHelp)."""
        title = QLabel(self.step.title)
        title.setObjectName("stepTitle")
        layout.addWidget(title)
        if self.step.help:
            help_label = QLabel(self.step.help)
            help_label.setObjectName("stepHelp")
            help_label.setWordWrap(True)
            layout.addWidget(help_label)

    def refresh(self, changes: Changes) -> None:
        """Show the session's current report again (after an edit, undo, redo or import).
        Must not move the keyboard focus or push undo commands."""

    def focus_location(self, location: Location) -> None:
        """Move the keyboard focus to the field or cell a finding points at."""

    read_only = False

    def set_read_only(self, locked: bool) -> None:
        """A locked report (certified, signed or submitted) looks locked: its fields can be
        read, selected and copied but not changed, so no keystroke is refused with a message.
        Buttons that change the report are listed by ``editing_buttons``."""
        self.read_only = locked
        for edit in self.findChildren(QLineEdit):
            if not edit.objectName().startswith("qt_"):  # not an editor inside a view
                edit.setReadOnly(locked)
        for text in (*self.findChildren(QPlainTextEdit), *self.findChildren(QTextEdit)):
            text.setReadOnly(locked)
        for choice in (
            *self.findChildren(QRadioButton),
            *self.findChildren(QCheckBox),
            *self.findChildren(QComboBox),
            *self.editing_buttons(),
        ):
            choice.setEnabled(not locked)

    def editing_buttons(self) -> list[QAbstractButton]:
        """The page's buttons that change the report (disabled while it is locked)."""
        return []
