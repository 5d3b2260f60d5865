"""One report, guided step by step: the step list (with a done / warning / error mark each),
the current step, the criteria panel, and Föregående / Nästa. The steps come from the
template, so a new year with other steps or questions needs no code."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.reference import load_reference
from desktop_app.domain.report import STATUS_LABELS
from desktop_app.domain.rules import Finding
from desktop_app.domain.template import Step
from desktop_app.domain.vocabulary import (
    CertificationState,
    Role,
    Severity,
    StepState,
    colours,
    label,
    mark,
    short,
)
from desktop_app.services.reports import Changes
from desktop_app.ui.session import ReportSession
from desktop_app.ui.steps.base import StepPage
from desktop_app.ui.widgets.criteria_panel import CriteriaPanel


def _mark_icon(kind: StepState) -> QIcon:
    colour, symbol = colours(kind)[0], mark(kind)
    pix = QPixmap(32, 32)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(QColor(colour))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawEllipse(2, 2, 28, 28)
    p.setPen(QColor("white"))
    font = p.font()
    font.setPixelSize(20)
    font.setBold(True)
    p.setFont(font)
    p.drawText(pix.rect(), Qt.AlignmentFlag.AlignCenter, symbol)
    p.end()
    return QIcon(pix)


def _step_state(severities: set[Severity]) -> StepState:
    """A step's mark: an error wins over a warning."""
    if Severity.ERROR in severities:
        return StepState.ERROR
    return StepState.WARNING if Severity.WARNING in severities else StepState.DONE


def _role_name(role: str | None) -> str:
    try:
        return short(Role(role or ""))
    except ValueError:
        return "okänd roll"


def page_for(session: ReportSession, step: Step) -> StepPage:
    """The page class for a step kind of the template."""
    from desktop_app.ui.steps.finance import FinanceStep
    from desktop_app.ui.steps.review import ReviewStep
    from desktop_app.ui.steps.simple import DetailsStep, PremStep, QuestionsStep

    if step.kind == "figures":
        from desktop_app.ui.steps.figures import FiguresStep

        return FiguresStep(session, step)
    if step.kind == "lead_times":
        from desktop_app.ui.steps.lead_times import LeadTimesStep

        return LeadTimesStep(session, step)
    kinds: dict[str, type[StepPage]] = {
        "details": DetailsStep,
        "prem": PremStep,
        "questions": QuestionsStep,
        "finance": FinanceStep,
        "review": ReviewStep,
    }
    return kinds[step.kind](session, step)


class ReportView(QWidget):
    back = Signal()
    unlock_requested = Signal()

    def __init__(self, session: ReportSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        tpl = session.template
        region = load_reference().region(session.report.region_code)
        self.region = region

        header = QHBoxLayout()
        self.back_button = QPushButton("← Alla redovisningar")
        self.back_button.setAccessibleName("Tillbaka till alla redovisningar")
        self.back_button.clicked.connect(self.back.emit)
        header.addWidget(self.back_button)
        self.title = QLabel()
        header.addWidget(self.title, 1)
        from desktop_app.ui.history_view import report_history_button

        self.history_button = report_history_button(session, self)
        header.addWidget(self.history_button)

        self.steps = QListWidget()
        self.steps.setAccessibleName("Steg")
        self.steps.setMaximumWidth(230)
        self.steps.setMinimumWidth(170)
        self.steps.setIconSize(self.steps.iconSize().expandedTo(self.steps.iconSize()))
        self.pages = QStackedWidget()
        self.page_list: list[StepPage] = []
        for step in tpl.steps:
            item = QListWidgetItem(step.title)
            item.setToolTip(step.help)
            self.steps.addItem(item)
            page = page_for(session, step)
            self.page_list.append(page)
            self.pages.addWidget(page)
            if hasattr(page, "jump"):
                page.jump.connect(self.go_to_finding)  # type: ignore[attr-defined]
        self.steps.currentRowChanged.connect(self._show_step)

        self.prev_button = QPushButton("← Föregående")
        self.next_button = QPushButton("Nästa →")
        self.prev_button.clicked.connect(lambda: self.go_to(self.steps.currentRow() - 1))
        self.next_button.clicked.connect(lambda: self.go_to(self.steps.currentRow() + 1))
        nav = QHBoxLayout()
        nav.addStretch(1)
        nav.addWidget(self.prev_button)
        nav.addWidget(self.next_button)

        centre = QWidget()
        cl = QVBoxLayout(centre)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(self.pages, 1)
        cl.addLayout(nav)

        self.criteria = CriteriaPanel(session)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.steps)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.criteria)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        # The step list and the criteria panel at their narrow widths at first: the step's page
        # gets the rest (a 1366 px laptop's SVF grid needs it).
        self.splitter.setSizes(
            [self.steps.minimumWidth() + 24, 10_000, self.criteria.minimumWidth()]
        )

        # Lock and certification state of signed reports (services.signing.signing_state).
        self.banner = QWidget()
        self.banner.setObjectName("signingBanner")
        banner_row = QHBoxLayout(self.banner)
        banner_row.setContentsMargins(10, 6, 10, 6)
        self.banner_text = QLabel()
        self.banner_text.setWordWrap(True)
        self.unlock_button = QPushButton("Lås upp…")
        self.unlock_button.setAccessibleName(
            "Lås upp redovisningen (ny version, underskrifterna upphör att gälla)"
        )
        self.unlock_button.clicked.connect(self.unlock_requested.emit)
        banner_row.addWidget(self.banner_text, 1)
        banner_row.addWidget(self.unlock_button)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        self.setTabOrder(self.steps, self.pages)

        session.changed.connect(self._refresh)
        self._refresh(Changes())
        self.steps.setCurrentRow(0)

    def _refresh(self, changes: Changes) -> None:
        r = self.session.report
        self.title.setText(
            f"<h2 style='margin:0'>{self.region.name} – SVF-redovisning {self.session.template.year}"
            f" <span style='font-weight:normal; color:#555'>({STATUS_LABELS[r.status]}, version {r.version})</span></h2>"
        )
        result = self.session.result
        by_step: dict[str, set[Severity]] = {}
        for f in result.findings:
            by_step.setdefault(f.location.step or "", set()).add(Severity(f.severity))
        for i, step in enumerate(self.session.template.steps):
            kind = _step_state(by_step.get(step.id, set()))
            if step.kind == "review":
                kind = _step_state({Severity(f.severity) for f in result.findings})
            item = self.steps.item(i)
            item.setIcon(_mark_icon(kind))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{step.title}: {label(kind)}")
            item.setData(Qt.ItemDataRole.UserRole, str(kind))
        # Lock and certification change only with the financial figures or the status (an
        # empty Changes is the first showing); not on every keystroke of a narrative.
        if changes.finance or changes.status or changes == Changes():
            self._refresh_banner()

    def _refresh_banner(self) -> None:
        from desktop_app.services.signing import signing_state

        state = signing_state(self.session.ctx, self.session.report_id)
        cert = state.certification
        for page in self.page_list:
            page.set_read_only(state.locked)
        if state.locked:
            signed = ", ".join(
                f"{s.get('signer') or s.get('name') or 'okänd'} ({_role_name(s.get('role'))})"
                for s in state.signatures
            )
            text = (
                f"<b>Låst.</b> Redovisningen är {STATUS_LABELS[state.status].lower()} och kan inte ändras. "
                f"{cert.message}"
                + (f" Underskrifter: {signed}." if signed else "")
                + " Välj Lås upp för att göra en ny version (underskrifterna upphör då att gälla)."
            )
            colour = "#e8f0fb"
        elif cert.state == CertificationState.VOID:
            text = f"<b>Intygandet gäller inte längre.</b> {cert.message}"
            colour = colours(CertificationState.VOID)[1]
        else:
            self.banner.setVisible(False)
            return
        self.banner_text.setText(text)
        self.unlock_button.setVisible(state.locked)
        self.banner.setStyleSheet(f"#signingBanner {{ background: {colour}; border-radius: 4px; }}")
        self.banner.setVisible(True)

    def step_mark(self, step_id: str) -> str:
        i = next(i for i, s in enumerate(self.session.template.steps) if s.id == step_id)
        return str(self.steps.item(i).data(Qt.ItemDataRole.UserRole))

    def _show_step(self, row: int) -> None:
        if row < 0:
            return
        self.pages.setCurrentIndex(row)
        self.prev_button.setEnabled(row > 0)
        self.next_button.setEnabled(row < self.steps.count() - 1)

    def go_to(self, row: int) -> None:
        if 0 <= row < self.steps.count():
            self.steps.setCurrentRow(row)

    def go_to_step(self, step_id: str) -> StepPage:
        i = next(i for i, s in enumerate(self.session.template.steps) if s.id == step_id)
        self.go_to(i)
        return self.page_list[i]

    def go_to_finding(self, finding: Finding) -> None:
        if finding.location.step is None:
            return
        page = self.go_to_step(finding.location.step)
        page.focus_location(finding.location)

    def current_page(self) -> StepPage:
        return self.page_list[self.steps.currentRow()]
