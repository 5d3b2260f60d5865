"""The contract between the report window and one step page."""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QLabel, QWidget

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
