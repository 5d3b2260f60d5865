"""The steps made of fields and questions: Uppgifter, PREM and the plain question steps."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.fmt import fmt_pct
from desktop_app.domain.numbers import parse_count
from desktop_app.domain.reference import load_reference
from desktop_app.domain.report import Contact, Prem
from desktop_app.domain.rules import Location
from desktop_app.domain.template import Step
from desktop_app.services.reports import Changes
from desktop_app.ui.session import ReportSession
from desktop_app.ui.steps.base import StepPage
from desktop_app.ui.widgets.question_editor import QuestionEditor


def parse_int(text: str) -> int | None:
    """'' -> None; '1 234' -> 1234. Raises ValueError (NumberError, a Swedish message) for
    anything else: the one Swedish number parser of ``domain.numbers``."""
    return parse_count(text)


class ScrollStep(StepPage):
    """A step whose content scrolls: a heading, the step's help, then ``self.body``."""

    def __init__(self, session: ReportSession, step: Step, parent: QWidget | None = None) -> None:
        super().__init__(session, step, parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        inner = QWidget()
        self.body = QVBoxLayout(inner)
        self.body.setContentsMargins(16, 12, 16, 12)
        title = QLabel(f"<h2>{step.title}</h2>")
        self.body.addWidget(title)
        if step.help:
            help_label = QLabel(step.help)
            help_label.setWordWrap(True)
            self.body.addWidget(help_label)
        scroll.setWidget(inner)
        outer.addWidget(scroll)
        self.questions: dict[str, QuestionEditor] = {}

    def add_questions(self) -> None:
        for q in self.session.template.questions_for_step(self.step.id):
            editor = QuestionEditor(self.session, q)
            self.questions[q.id] = editor
            self.body.addWidget(editor)

    def focus_location(self, location: Location) -> None:
        if location.field in self.questions:
            self.questions[location.field].focus()


class QuestionsStep(ScrollStep):
    """Steps of kind "questions": the template's questions for the step, nothing else."""

    def __init__(self, session: ReportSession, step: Step, parent: QWidget | None = None) -> None:
        super().__init__(session, step, parent)
        self.add_questions()
        self.body.addStretch(1)


class _Field(QLineEdit):
    """A line edit that saves on every change through ``save``."""

    def __init__(
        self, name: str, save: Callable[[], None], validator: QIntValidator | None = None
    ) -> None:
        super().__init__()
        self.setAccessibleName(name)
        if validator is not None:
            self.setValidator(validator)
        self.textEdited.connect(lambda _t: save())

    def show_text(self, text: str) -> None:
        if self.text() != text:
            self.setText(text)


class DetailsStep(ScrollStep):
    """Uppgifter: the region and period (from the report and template) and the contact person."""

    FIELDS = (("name", "Namn"), ("title", "Befattning"), ("email", "E-post"), ("phone", "Telefon"))

    def __init__(self, session: ReportSession, step: Step, parent: QWidget | None = None) -> None:
        super().__init__(session, step, parent)
        tpl = session.template
        ref = load_reference()
        region = ref.region(session.report.region_code)
        facts = QGroupBox("Redovisningen")
        form = QFormLayout(facts)
        form.addRow("Region:", QLabel(f"{region.name} ({region.code})"))
        form.addRow("RCC:", QLabel(ref.rcc(region.rcc).name))
        form.addRow("År:", QLabel(str(tpl.year)))
        form.addRow(
            "Period:",
            QLabel(f"{tpl.period_label} ({tpl.period_start:%Y-%m-%d} – {tpl.period_end:%Y-%m-%d})"),
        )
        form.addRow("Sista dag:", QLabel(f"{tpl.deadline:%Y-%m-%d}"))
        form.addRow("Överenskommelse:", QLabel(tpl.agreement.get("name", "")))
        self.body.addWidget(facts)
        contact = QGroupBox("Kontaktperson för redovisningen")
        cform = QFormLayout(contact)
        self.fields: dict[str, _Field] = {}
        for key, label in self.FIELDS:
            f = _Field(f"Kontaktperson: {label}", lambda key=key: self._save(key))
            self.fields[key] = f
            cform.addRow(f"{label}:", f)
        self.body.addWidget(contact)
        self.add_questions()
        self.body.addStretch(1)
        self.refresh(Changes(contact=True))

    def _save(self, key: str) -> None:
        c = Contact(**{k: f.text() for k, f in self.fields.items()})
        self.session.set_contact(c, field=key)

    def refresh(self, changes: Changes) -> None:
        if changes.contact:
            c = self.session.report.contact
            for key, f in self.fields.items():
                f.show_text(getattr(c, key))

    def focus_location(self, location: Location) -> None:
        field = (location.field or "").removeprefix("contact.")
        if field in self.fields:
            self.fields[field].setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            super().focus_location(location)


class PremStep(ScrollStep):
    """PREM: whether the survey is used, questionnaires sent and answers, and how results were used."""

    def __init__(self, session: ReportSession, step: Step, parent: QWidget | None = None) -> None:
        super().__init__(session, step, parent)
        box = QGroupBox("PREM-enkäten")
        form = QFormLayout(box)
        row = QHBoxLayout()
        self.yes = QRadioButton("Ja")
        self.no = QRadioButton("Nej")
        self.yes.setAccessibleName("Används PREM-enkäten: ja")
        self.no.setAccessibleName("Används PREM-enkäten: nej")
        self.group = QButtonGroup(self)
        self.group.addButton(self.yes)
        self.group.addButton(self.no)
        row.addWidget(self.yes)
        row.addWidget(self.no)
        row.addStretch(1)
        holder = QWidget()
        holder.setLayout(row)
        form.addRow("Använder regionen PREM-enkäten för uppföljning av SVF?", holder)
        validator = QIntValidator(0, 100_000_000, self)
        self.sent = _Field("Antal utskickade enkäter", self._save, validator)
        self.answers = _Field("Antal svar", self._save, validator)
        form.addRow("Antal utskickade enkäter:", self.sent)
        form.addRow("Antal svar:", self.answers)
        self.rate = QLabel()
        form.addRow("Svarsfrekvens:", self.rate)
        self.body.addWidget(box)
        self.yes.toggled.connect(lambda on: on and self._save())
        self.no.toggled.connect(lambda on: on and self._save())
        self.add_questions()
        self.body.addStretch(1)
        self._updating = False
        self.refresh(Changes(prem=True))

    def _save(self) -> None:
        if self._updating:
            return
        used = True if self.yes.isChecked() else False if self.no.isChecked() else None
        try:
            prem = Prem(
                used=used, sent=parse_int(self.sent.text()), answers=parse_int(self.answers.text())
            )
        except ValueError:
            return  # the validator lets only digits through; a half-typed value is not saved
        self.session.set_prem(prem)

    def refresh(self, changes: Changes) -> None:
        if not changes.prem:
            return
        p = self.session.report.prem
        self._updating = True
        try:
            self.group.setExclusive(False)
            self.yes.setChecked(p.used is True)
            self.no.setChecked(p.used is False)
            self.group.setExclusive(True)
            self.sent.show_text("" if p.sent is None else str(p.sent))
            self.answers.show_text("" if p.answers is None else str(p.answers))
        finally:
            self._updating = False
        rate = p.answers / p.sent if p.sent and p.answers is not None else None
        self.rate.setText(fmt_pct(rate))

    def focus_location(self, location: Location) -> None:
        target = {"prem_used": self.yes, "prem_sent": self.sent, "prem_answers": self.answers}.get(
            location.field or ""
        )
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            super().focus_location(location)
