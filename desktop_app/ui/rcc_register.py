"""The RCC officer's forms for what does not arrive as a signed file (issue 11): register a
report that came in another form ("Registrera redovisning som kommit på annat sätt…", point 5),
and the RCC's last day of arrival per RCC and year. Each form calls only services; what is
wrong is shown beside the field it concerns, in Swedish."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import UserError
from desktop_app.domain.reference import load_reference
from desktop_app.domain.rules import fmt_date
from desktop_app.domain.template import template_for_year
from desktop_app.services.bootstrap import AppContext
from desktop_app.services.inbox_decisions import last_day, set_last_day
from desktop_app.services.inbox_entries import InboxEntry
from desktop_app.services.inbox_register import (
    FIELDS,
    Registration,
    RegistrationError,
    register_report,
)
from desktop_app.ui.widgets.dialog_fit import FittedDialog

_ERROR_STYLE = "color: #a4161a"


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def _date_edit(d: date, name: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(_qdate(d))
    edit.setAccessibleName(name)
    return edit


class _YesNo(QWidget):
    """Ja / Nej, neither chosen at first (the officer must read it from the report)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.yes = QRadioButton("Ja")
        self.no = QRadioButton("Nej")
        self.yes.setAccessibleName(f"{name}: ja")
        self.no.setAccessibleName(f"{name}: nej")
        group = QButtonGroup(self)
        for b in (self.yes, self.no):
            group.addButton(b)
            row.addWidget(b)
        row.addStretch(1)

    def value(self) -> bool | None:
        return True if self.yes.isChecked() else False if self.no.isChecked() else None


def _file_row(edit: QLineEdit, button: QPushButton) -> QWidget:
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(edit, 1)
    row.addWidget(button)
    return holder


class RegisterReportDialog(FittedDialog):
    """Register a report that came in another form (a PDF or Word file in the RCC's
    template): the file, received on, the criteria evidence, optionally the figures."""

    def __init__(
        self,
        ctx: AppContext,
        regions: tuple[str, ...],
        year: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.year = ctx, year
        self.setWindowTitle("Registrera redovisning som kommit på annat sätt")
        self.resize(620, 0)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "För en region som inte använder SVF-redovisning: bifoga regionens egen redovisning "
            f"(PDF- eller Word-fil i RCC:s mall) för {year} och för in underlaget för villkoren. "
            "Redovisningen räknas och märks <i>registrerad av RCC</i>; vem som registrerade, "
            "när och varför loggas. Kommer regionens egen underskrivna fil senare ersätter den "
            "registreringen."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.errors: dict[str, QLabel] = {}
        self.region = QComboBox()
        self.region.setAccessibleName("Region")
        ref = load_reference()
        for code in regions:
            self.region.addItem(f"{ref.region(code).name} ({code})", code)
        self.file = QLineEdit()
        self.file.setAccessibleName("Regionens fil")
        self.file.setPlaceholderText("PDF- eller Word-fil")
        self.file_button = QPushButton("Välj…")
        self.file_button.clicked.connect(self._choose_file)
        self.received_on = _date_edit(ctx.today(), "Mottagen av RCC")
        self.included = QLineEdit()
        self.included.setAccessibleName("Inkluderade i SVF (täljare)")
        self.expected = QLineEdit()
        self.expected.setAccessibleName("Beräkningsunderlag (nämnare)")
        self.prem_used = _YesNo("PREM används")
        self.urology_answered = _YesNo("Frågan om urologin besvarad")
        self.figures = QLineEdit()
        self.figures.setAccessibleName("Siffror i importformatet (valfritt)")
        self.figures.setPlaceholderText("valfritt: Excel-fil i importformatet")
        self.figures_button = QPushButton("Välj…")
        self.figures_button.clicked.connect(self._choose_figures)
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Skäl till registreringen")
        rows: list[tuple[str, str, QWidget]] = [
            ("region", "&Region:", self.region),
            ("file", "&Fil:", _file_row(self.file, self.file_button)),
            ("received_on", "&Mottagen av RCC:", self.received_on),
            ("included", "&Inkluderade i SVF (täljare):", self.included),
            ("expected", "&Beräkningsunderlag (nämnare):", self.expected),
            ("prem_used", "PREM används:", self.prem_used),
            ("urology_answered", "Frågan om urologin besvarad:", self.urology_answered),
            ("figures", "Si&ffror (valfritt):", _file_row(self.figures, self.figures_button)),
            ("reason", "S&käl (loggas):", self.reason),
        ]
        buddies = {
            "file": self.file,
            "figures": self.figures,
        }
        for key, text, widget in rows:
            caption = QLabel(text)
            caption.setBuddy(buddies.get(key, widget))
            form.addRow(caption, widget)
            error = QLabel()
            error.setWordWrap(True)
            error.setStyleSheet(_ERROR_STYLE)
            error.setVisible(False)
            error.setAccessibleName(f"Fel: {text.replace('&', '').rstrip(':')}")
            form.addRow("", error)
            self.errors[key] = error
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(_ERROR_STYLE)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        row.addStretch(1)
        cancel = QPushButton("Avbryt")
        cancel.clicked.connect(self.reject)
        self.ok_button = QPushButton("Registrera")
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.save)
        row.addWidget(cancel)
        row.addWidget(self.ok_button)
        layout.addLayout(row)
        self.result_entry: InboxEntry | None = None

    def _choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Välj regionens redovisning", "", "PDF eller Word (*.pdf *.docx *.doc)"
        )
        if name:
            self.file.setText(name)

    def _choose_figures(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Välj siffrorna", "", "Excel i importformatet (*.xlsx *.xlsm *.csv)"
        )
        if name:
            self.figures.setText(name)

    def registration(self) -> Registration:
        """What the form holds, as typed."""
        file = self.file.text().strip()
        figures = self.figures.text().strip()
        return Registration(
            region=str(self.region.currentData() or ""),
            year=self.year,
            file=Path(file) if file else None,
            received_on=_pydate(self.received_on.date()),
            included=self.included.text(),
            expected=self.expected.text(),
            prem_used=self.prem_used.value(),
            urology_answered=self.urology_answered.value(),
            reason=self.reason.text(),
            figures=Path(figures) if figures else None,
        )

    def show_problems(self, problems: dict[str, str]) -> None:
        for key in FIELDS:
            label = self.errors[key]
            label.setText(problems.get(key, ""))
            label.setVisible(key in problems)

    def save(self) -> None:
        self.show_problems({})
        self.message.clear()
        try:
            self.result_entry = register_report(self.ctx, self.registration())
        except RegistrationError as exc:
            self.show_problems(exc.fields)
            return
        except UserError as exc:
            self.message.setText(str(exc))
            return
        self.accept()


def registration_text(reg: dict[str, object]) -> str:
    """The inbox's details of a report registered by the RCC: the evidence, who and when."""

    def yes(value: object) -> str:
        return "ja" if value is True else "nej" if value is False else "?"

    return (
        f"Registrerad av RCC: {reg.get('by', '?')} {str(reg.get('at', ''))[:16].replace('T', ' ')}"
        f" – {reg.get('reason', '')}<br>Underlag: inkluderade {reg.get('included')} av "
        f"{reg.get('expected')}, PREM används {yes(reg.get('prem_used'))}, frågan om "
        f"urologin besvarad {yes(reg.get('urology_answered'))}"
        + ("; siffror bifogade" if reg.get("figures") else "; utan siffror")
        + ". Öppna filen för att läsa regionens redovisning."
    )


def last_day_text(ctx: AppContext, rccs: tuple[str, ...], year: int) -> str:
    """ "Sista mottagningsdag …" for the view: the template's date, and each RCC's own."""
    ref = load_reference()
    tpl_day = template_for_year(year).deadline
    own = []
    for c in ref.rccs:
        if c.id in rccs:
            day = last_day(ctx, c.id, year)
            if day is not None and day != tpl_day:
                own.append(f"{c.name}: {fmt_date(day)}")
    base = f"Sista mottagningsdag {year}: {fmt_date(tpl_day)} (mallens datum)"
    return base + ("; " + ", ".join(own) if own else "")


class LastDayDialog(FittedDialog):
    """The RCC's last day of arrival for its regions' reports of a year (default: the
    template's date); every file of its regions is judged again; logged."""

    def __init__(
        self, ctx: AppContext, rcc: str | None, year: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.year = ctx, year
        self.setWindowTitle(f"Sista mottagningsdag {year}")
        self.setMinimumWidth(460)
        self.template_day = template_for_year(year).deadline
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Redovisningar som RCC tagit emot senast denna dag räknas som inlämnade i tid. "
            f"Mallens datum för {year} är {fmt_date(self.template_day)}."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.rcc = QComboBox()
        self.rcc.setAccessibleName("RCC")
        for c in load_reference().rccs:
            self.rcc.addItem(c.name, c.id)
        if rcc is not None and self.rcc.findData(rcc) >= 0:
            self.rcc.setCurrentIndex(self.rcc.findData(rcc))
        self.day = _date_edit(self.template_day, "Sista mottagningsdag")
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Skäl till ändringen")
        form.addRow("&RCC:", self.rcc)
        form.addRow("&Sista dag:", self.day)
        form.addRow("S&käl (loggas):", self.reason)
        for i in range(form.rowCount()):
            item = form.itemAt(i, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(i, QFormLayout.ItemRole.FieldRole)
            if item is not None and field is not None and isinstance(item.widget(), QLabel):
                item.widget().setBuddy(field.widget())  # type: ignore[attr-defined]
        layout.addLayout(form)
        self.current = QLabel()
        layout.addWidget(self.current)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(_ERROR_STYLE)
        layout.addWidget(self.error)
        row = QHBoxLayout()
        row.addStretch(1)
        self.template_button = QPushButton("Mallens datum")
        self.template_button.clicked.connect(lambda: self.day.setDate(_qdate(self.template_day)))
        cancel = QPushButton("Avbryt")
        cancel.clicked.connect(self.reject)
        self.ok_button = QPushButton("Spara")
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.save)
        for b in (self.template_button, cancel, self.ok_button):
            row.addWidget(b)
        layout.addLayout(row)
        self.rcc.currentIndexChanged.connect(lambda _i: self._show_current())
        self._show_current()

    @property
    def rcc_id(self) -> str:
        return str(self.rcc.currentData())

    def _show_current(self) -> None:
        saved = last_day(self.ctx, self.rcc_id, self.year)
        day = saved or self.template_day
        self.day.setDate(_qdate(day))
        where = "RCC:s inställning" if saved else "mallens datum"
        self.current.setText(f"Gäller nu: {fmt_date(day)} ({where}).")

    def set_day(self, day: date) -> None:
        self.day.setDate(_qdate(day))

    def save(self) -> None:
        day = _pydate(self.day.date())
        if day.year < self.year:
            self.error.setText(f"Sista dagen {fmt_date(day)} ligger före redovisningsåret.")
            return
        try:
            set_last_day(
                self.ctx, self.rcc_id, self.year, day, " ".join(self.reason.text().split())
            )
        except UserError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


__all__ = ["LastDayDialog", "RegisterReportDialog", "last_day_text", "registration_text"]
