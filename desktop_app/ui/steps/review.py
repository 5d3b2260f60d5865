"""Granska och skicka: every finding, errors first; a click jumps to the step and field. The
export runs on the database worker with the plain values it needs (``ExportInputs``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import UserError
from desktop_app.domain.rules import Finding
from desktop_app.domain.template import Step
from desktop_app.domain.vocabulary import Severity, colours, label
from desktop_app.services import exports
from desktop_app.services.bootstrap import AppContext
from desktop_app.services.reports import Changes
from desktop_app.ui.session import ReportSession
from desktop_app.ui.steps.base import StepPage
from desktop_app.ui.widgets.progress import ProgressLine
from desktop_app.ui.workers import Worker, assert_gui_thread, db_pool


@dataclass(frozen=True)
class ExportInputs:
    """The report to export and where its PDF and workbook go."""

    ctx: AppContext
    report_id: int
    pdf: Path
    xlsx: Path


def export_report(inputs: ExportInputs) -> exports.ExportResult:
    return exports.export_pdf(inputs.ctx, inputs.report_id, inputs.pdf, inputs.xlsx)


class ReviewStep(StepPage):
    jump = Signal(object)  # Finding

    def __init__(self, session: ReportSession, step: Step, parent: QWidget | None = None) -> None:
        super().__init__(session, step, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(QLabel(f"<h2>{step.title}</h2>"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.list = QListWidget()
        self.list.setAccessibleName("Fel och varningar")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        layout.addWidget(self.list, 1)
        self.next_steps = QLabel()
        self.next_steps.setWordWrap(True)
        layout.addWidget(self.next_steps)
        row = QHBoxLayout()
        self.export_button = QPushButton("Exportera PDF och Excel…")
        self.export_button.setAccessibleName(
            "Exportera redovisningen som PDF (och Excel) för intygande och signering"
        )
        self.export_button.clicked.connect(self.export)
        row.addWidget(self.export_button)
        self.export_status = QLabel()
        self.export_status.setWordWrap(True)
        row.addWidget(self.export_status, 1)
        layout.addLayout(row)
        self.progress = ProgressLine("Exporten pågår")
        layout.addWidget(self.progress)
        # Takes the free space when there is no list to show (a complete report).
        layout.addStretch(0)
        self._layout = layout
        self.worker: Worker | None = None
        self.refresh(Changes())

    def refresh(self, _changes: Changes) -> None:
        result = self.session.result
        titles = {s.id: s.title for s in self.session.template.steps}
        self.list.clear()
        for f in result.findings:
            where = titles.get(f.location.step or "", "")
            severity = Severity(f.severity)
            item = QListWidgetItem(f"{label(severity)} – {where}: {f.message}")
            item.setData(Qt.ItemDataRole.UserRole, f)
            item.setForeground(QBrush(QColor(colours(severity)[0])))
            item.setToolTip("Klicka för att gå till stället")
            self.list.addItem(item)
        n_err, n_warn = len(result.errors), len(result.warnings)
        self.list.setVisible(bool(result.findings))
        self._layout.setStretch(self._layout.count() - 1, 0 if result.findings else 1)
        if n_err == 0 and n_warn == 0:
            self.summary.setText("<b>Inga fel eller varningar.</b> Redovisningen är komplett.")
        else:
            self.summary.setText(
                f"<b>{n_err} fel</b> och <b>{n_warn} varningar</b>. Fel måste rättas innan "
                "redovisningen lämnas in; varningar är värden som bör kontrolleras. "
                "Klicka på en rad för att gå dit."
            )
        self.next_steps.setText(
            "När allt är rätt: exportera redovisningen som PDF, låt ekonomichefen intyga den "
            "ekonomiska redovisningen och en behörig företrädare signera, och skicka den till ert RCC."
        )

    # ------------------------------------------------------------------ export
    def ask_export_path(self) -> Path | None:
        r = self.session.report
        suggested = Path.home() / f"SVF-redovisning-{r.year}-region-{r.region_code}.pdf"
        name, _ = QFileDialog.getSaveFileName(self, "Exportera PDF", str(suggested), "PDF (*.pdf)")
        return Path(name) if name else None

    def export(self) -> None:
        out = self.ask_export_path()
        if out is None:
            return
        if out.suffix.lower() != ".pdf":
            out = out.with_suffix(".pdf")
        xlsx = out.with_suffix(".xlsx")
        self.export_button.setEnabled(False)
        self.export_status.setText("Exporterar …")
        self.progress.start("Exporterar PDF och Excel …")
        inputs = ExportInputs(self.session.ctx, self.session.report_id, out, xlsx)
        self.worker = Worker(export_report, inputs)
        self.worker.signals.result.connect(self._exported)
        self.worker.signals.error.connect(self._export_failed)
        self.worker.start(db_pool())

    def _exported(self, result: object) -> None:
        assert_gui_thread("ReviewStep._exported")
        self.progress.stop()
        self.export_button.setEnabled(True)
        pdf = getattr(result, "pdf", None)
        xlsx = getattr(result, "xlsx", None)
        self.export_status.setText(
            f"Sparat: {pdf}"
            + (f" och {Path(xlsx).name}" if xlsx else "")
            + ". Skicka PDF-filen till ekonomichefen för intygande."
        )
        self.export_status.setStyleSheet("color: #1e7b34;")

    def _export_failed(self, exc: object) -> None:
        assert_gui_thread("ReviewStep._export_failed")
        self.progress.stop()
        self.export_button.setEnabled(True)
        text = str(exc) if isinstance(exc, UserError) else f"Exporten misslyckades: {exc}"
        self.export_status.setText(text)
        self.export_status.setStyleSheet("color: #a4161a;")

    def _activated(self, item: QListWidgetItem) -> None:
        finding = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(finding, Finding):
            self.jump.emit(finding)
