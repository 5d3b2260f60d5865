"""The always-visible panel: each criterion for the second payment, green / red / grey, with its
numbers, plus the days left to the deadline. Updates as you type."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from desktop_app.domain.rules import deadline_status
from desktop_app.domain.vocabulary import Verdict, colours, label
from desktop_app.services.reports import Changes
from desktop_app.ui.session import ReportSession


class CriterionCard(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("criterionCard")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(2)
        self.title = QLabel()
        self.badge = QLabel()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for w in (self.title, self.badge, self.message):
            layout.addWidget(w)
        self.status = Verdict.UNKNOWN

    def show_result(self, title: str, status: str, message: str) -> None:
        verdict = Verdict(status)
        text, (fg, bg) = label(verdict), colours(verdict)
        self.status = verdict
        self.title.setText(f"<b>{title}</b>")
        self.badge.setText(f"<span style='color:{fg}; font-weight:600'>● {text}</span>")
        self.message.setText(message)
        self.setStyleSheet(
            f"#criterionCard {{ background: {bg}; border: 1px solid {fg}; border-radius: 6px; }}"
        )
        self.setAccessibleName(f"{title}: {text}. {message}")


class CriteriaPanel(QFrame):
    def __init__(self, session: ReportSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setMinimumWidth(240)
        self.setMaximumWidth(320)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        head = QLabel("<b>Villkor för andra utbetalningen</b>")
        head.setWordWrap(True)
        layout.addWidget(head)
        self.cards: dict[str, CriterionCard] = {}
        for c in session.template.criteria:
            card = CriterionCard()
            self.cards[c.id] = card
            layout.addWidget(card)
        self.deadline = QLabel()
        self.deadline.setWordWrap(True)
        layout.addWidget(self.deadline)
        # The report must also describe these (e.g. the urology work, agreement 2024, 4.2);
        # they are not payment criteria but a report without them is not complete.
        layout.addSpacing(6)
        also = QLabel("<b>Redovisningen ska också beskriva</b>")
        also.setWordWrap(True)  # not cut at the panel's edge on a laptop
        layout.addWidget(also)
        self.required: dict[str, QLabel] = {}
        for q in session.template.questions:
            if q.required:
                label = QLabel()
                label.setWordWrap(True)
                self.required[q.id] = label
                layout.addWidget(label)
        layout.addStretch(1)
        session.changed.connect(self.refresh)
        self.refresh(Changes())

    def refresh(self, _changes: Changes) -> None:
        for c in self.session.result.criteria:
            card = self.cards.get(c.id)
            if card is not None:
                card.show_result(c.label, c.status, c.message)
        tpl = self.session.template
        # Days left are on the deadline criterion's card; a template without that criterion
        # still shows them here.
        has_card = any(c.kind == "submitted_by_deadline" for c in tpl.criteria)
        self.deadline.setVisible(not has_card)
        if not has_card:
            _status, message, _days = deadline_status(
                self.session.report, tpl, self.session.ctx.today()
            )
            self.deadline.setText(message)
        answers = self.session.report.answers
        for q_id, line in self.required.items():
            q = tpl.question(q_id)
            done = bool(answers.get(q_id, "").strip())
            mark = (
                "<span style='color:#1e7b34'>✓</span>"
                if done
                else "<span style='color:#a4161a'>✕</span>"
            )
            line.setText(f"{mark} {q.title if q else q_id}")
            line.setAccessibleName(f"{q.title if q else q_id}: {'beskrivet' if done else 'saknas'}")
