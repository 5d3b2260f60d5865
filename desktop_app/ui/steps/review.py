"""Granska och skicka: every finding, errors first; a click jumps to the step and field. The
export runs on the database worker with the plain values it needs (``ExportInputs``).

The coordinator's last step (issue 11.8) follows: export, "Markera som skickad till RCC" with
the date, "Visa i mappen", where the report goes (the RCC as the reference data has it) and
what the RCC answered (its kvittens, services.receipts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QUrl, Signal
from PySide6.QtGui import QBrush, QColor, QDesktopServices
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.acknowledgements import warning_state
from desktop_app.domain.errors import UserError
from desktop_app.domain.rules import Finding
from desktop_app.domain.template import Step
from desktop_app.domain.vocabulary import (
    ReceiptKind,
    ReportStatus,
    Severity,
    WarningState,
    colours,
    label,
)
from desktop_app.services import exports, receipts
from desktop_app.services.acknowledgements import justify_warning, withdraw_justification
from desktop_app.services.baseline import clear_baseline, set_baseline
from desktop_app.services.bootstrap import AppContext
from desktop_app.services.reports import Changes, mark_submitted
from desktop_app.ui.errors import failure_text
from desktop_app.ui.files import last_folder, remember_folder
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
        self.list.setMinimumHeight(120)  # five rows or so on a laptop, under everything else
        # A click chooses a row (for "Motivera…"); a double click or Enter goes to the place.
        self.list.itemActivated.connect(self._activated)
        self.list.itemDoubleClicked.connect(self._activated)
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        layout.addWidget(self.list, 1)
        layout.addLayout(self._warning_row())
        self.baseline_status = QLabel()
        self.baseline_status.setObjectName("baselineStatus")
        self.baseline_status.setWordWrap(True)
        layout.addWidget(self.baseline_status)
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
        layout.addWidget(self._send_box())
        from desktop_app.ui.publish_view import PublishBox  # issue 15, point 7

        self.publish_box = PublishBox(session)
        self.publish_box.jump.connect(self.jump.emit)
        layout.addWidget(self.publish_box)
        # Takes the free space when there is no list to show (a complete report).
        layout.addStretch(0)
        self._layout = layout
        self.worker: Worker | None = None
        self.baseline_worker: Worker | None = None
        self.last_export: Path | None = None
        self.refresh(Changes())

    def refresh(self, _changes: Changes) -> None:
        result = self.session.result
        titles = {s.id: s.title for s in self.session.template.steps}
        self.list.clear()
        acks = self.session.report.acknowledgements
        for f in result.findings:
            where = titles.get(f.location.step or "", "")
            severity = Severity(f.severity)
            text = f"{label(severity)} – {where}: {f.message}"
            colour = colours(severity)[0]
            if severity == Severity.WARNING:
                state = warning_state(f, acks)
                if f.acknowledgement is not None:
                    text = f"{label(state)} – {where}: {f.message}\nMotivering: {f.acknowledgement.justification}"
                    colour = colours(state)[0]
                elif state == WarningState.LAPSED:
                    text += f"\n{label(state)}: {acks[f.key].justification}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, f)
            item.setForeground(QBrush(QColor(colour)))
            item.setToolTip("Dubbelklicka (eller tryck Enter) för att gå till stället")
            self.list.addItem(item)
        self._update_buttons()
        self._refresh_baseline()
        n_err, n_warn = len(result.errors), len(result.warnings)
        self.list.setVisible(bool(result.findings))
        self._layout.setStretch(self._layout.count() - 1, 0 if result.findings else 1)
        n_justified = sum(1 for f in result.warnings if f.acknowledgement is not None)
        if n_err == 0 and n_warn == 0:
            self.summary.setText("<b>Inga fel eller varningar.</b> Redovisningen är komplett.")
        else:
            done = "motiverad" if n_justified == 1 else "motiverade"
            justified = f" ({n_justified} {done})" if n_justified else ""
            self.summary.setText(
                f"<b>{n_err} fel</b> och <b>{n_warn} varningar</b>{justified}. Fel måste rättas "
                "innan redovisningen lämnas in; varningar är värden som bör kontrolleras, och "
                "en varning vars värde stämmer kan du motivera. Dubbelklicka på en rad för att "
                "gå dit."
            )
        self.next_steps.setText(
            "När allt är rätt: exportera redovisningen som PDF, låt ekonomichefen intyga den "
            "ekonomiska redovisningen och en behörig företrädare signera (menyn Underskrifter), "
            "skicka den till ert RCC och markera den som skickad här. RCC:s kvittens läser du in "
            "med Arkiv → Importera kvittens… eller genom att dra filen till fönstret."
        )
        if _changes.status or _changes == Changes():  # not on every edit of a figure
            self._refresh_sending()

    # ------------------------------------------------------------------ warnings
    def _warning_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.goto_button = QPushButton("Gå till stället")
        self.goto_button.clicked.connect(
            lambda: self._activated(self.list.currentItem()) if self.list.currentItem() else None
        )
        row.addWidget(self.goto_button)
        self.justify_button = QPushButton("Motivera varningen…")
        self.justify_button.setAccessibleName("Motivera den valda varningen")
        self.justify_button.clicked.connect(self.justify_selected)
        row.addWidget(self.justify_button)
        self.withdraw_button = QPushButton("Ta bort motiveringen")
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        row.addWidget(self.withdraw_button)
        row.addStretch(1)
        self.baseline_button = QPushButton("Jämför med fjolåret…")
        self.baseline_button.setAccessibleName(
            "Välj fjolårets redovisning eller RCC:s siffror för fjolåret att jämföra med"
        )
        self.baseline_button.clicked.connect(self.choose_baseline)
        row.addWidget(self.baseline_button)
        self.clear_baseline_button = QPushButton("Sluta jämföra")
        self.clear_baseline_button.clicked.connect(self.clear_baseline)
        row.addWidget(self.clear_baseline_button)
        self.warning_status = QLabel()
        self.warning_status.setWordWrap(True)
        return row

    def selected_finding(self) -> Finding | None:
        item = self.list.currentItem()
        f = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return f if isinstance(f, Finding) else None

    def _update_buttons(self) -> None:
        f = self.selected_finding()
        editable = not self.read_only and self.session.template.warnings is not None
        is_warning = f is not None and f.severity == Severity.WARNING
        self.goto_button.setEnabled(f is not None)
        self.justify_button.setEnabled(editable and is_warning)
        self.justify_button.setText(
            "Ändra motiveringen…" if f is not None and f.acknowledgement else "Motivera varningen…"
        )
        held = f is not None and f.key in self.session.report.acknowledgements
        self.withdraw_button.setEnabled(editable and held)
        band = self.session.template.warnings
        has_band = band is not None and band.year_over_year is not None
        self.baseline_button.setEnabled(not self.read_only and has_band)
        self.clear_baseline_button.setEnabled(
            not self.read_only and self.session.report.baseline is not None
        )

    def _refresh_baseline(self) -> None:
        b = self.session.report.baseline
        band = self.session.template.warnings
        if band is None or band.year_over_year is None:
            self.baseline_status.setText("")
            return
        if b is None:
            self.baseline_status.setText(
                "Jämförs inte med fjolåret. Välj fjolårets undertecknade redovisning (PDF) "
                "eller RCC:s siffror för fjolåret, så varnar programmet för stora förändringar."
            )
        else:
            self.baseline_status.setText(f"Jämförs med {b.describe()}.")

    def ask_justification(self, finding: Finding, current: str) -> str | None:
        """The justification typed (patchable in tests)."""
        from desktop_app.ui.justify_dialog import ask_justification

        limits = self.session.template.warnings
        assert limits is not None
        return ask_justification(self, finding, limits, current)

    def justify_selected(self) -> None:
        f = self.selected_finding()
        if f is None or f.severity != Severity.WARNING:
            return
        held = self.session.report.acknowledgements.get(f.key)
        text = self.ask_justification(f, held.justification if held else "")
        if text is None:
            return
        try:
            justify_warning(self.session.ctx, self.session.report_id, f.key, text)
        except Exception as exc:  # noqa: BLE001 - shown to the user in Swedish
            self.summary.setText(failure_text(exc, "Det gick inte att spara motiveringen"))
            return
        self._after_change()

    def withdraw_selected(self) -> None:
        f = self.selected_finding()
        if f is None:
            return
        try:
            withdraw_justification(self.session.ctx, self.session.report_id, f.key)
        except Exception as exc:  # noqa: BLE001
            self.summary.setText(failure_text(exc, "Det gick inte att ta bort motiveringen"))
            return
        self._after_change()

    def ask_baseline_path(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Fjolårets redovisning",
            str(last_folder("pdf")),
            "Fjolårets redovisning eller RCC:s siffror (*.pdf *.json *.xlsx *.csv)",
        )
        return Path(name) if name else None

    def choose_baseline(self) -> None:
        """Read last year's file on the database worker (a signed PDF's signatures are
        verified, which takes a second or two) and keep it as the baseline."""
        path = self.ask_baseline_path()
        if path is None:
            return
        self.baseline_button.setEnabled(False)
        self.baseline_status.setText(f"Läser {path.name} …")
        self.baseline_worker = Worker(set_baseline, self.session.ctx, self.session.report_id, path)
        self.baseline_worker.signals.result.connect(self._baseline_set)
        self.baseline_worker.signals.error.connect(self._baseline_failed)
        self.baseline_worker.start(db_pool())

    def _baseline_set(self, _baseline: object) -> None:
        assert_gui_thread("ReviewStep._baseline_set")
        self.baseline_worker = None
        self._after_change()

    def _baseline_failed(self, exc: object) -> None:
        assert_gui_thread("ReviewStep._baseline_failed")
        self.baseline_worker = None
        self._update_buttons()
        self.baseline_status.setText(failure_text(exc, "Det gick inte att läsa fjolårets siffror"))

    def clear_baseline(self) -> None:
        try:
            clear_baseline(self.session.ctx, self.session.report_id)
        except Exception as exc:  # noqa: BLE001
            self.baseline_status.setText(failure_text(exc, "Det gick inte att sluta jämföra"))
            return
        self._after_change()

    def _after_change(self) -> None:
        key = f.key if (f := self.selected_finding()) is not None else None
        self.session.reload()
        self.session.changed.emit(Changes(figures=True))
        for i in range(self.list.count()):
            g = self.list.item(i).data(Qt.ItemDataRole.UserRole)
            if isinstance(g, Finding) and g.key == key:
                self.list.setCurrentRow(i)
                break

    # ------------------------------------------------------------------ sending
    def _send_box(self) -> QGroupBox:
        box = QGroupBox("Skicka till RCC")
        col = QVBoxLayout(box)
        self.rcc_address = QLabel()
        self.rcc_address.setWordWrap(True)
        self.rcc_address.setOpenExternalLinks(True)
        self.rcc_address.setTextFormat(Qt.TextFormat.RichText)
        col.addWidget(self.rcc_address)
        row = QHBoxLayout()
        row.addWidget(QLabel("Skickad den"))
        self.sent_date = QDateEdit()
        self.sent_date.setCalendarPopup(True)
        self.sent_date.setDisplayFormat("yyyy-MM-dd")
        self.sent_date.setAccessibleName("Dag då redovisningen skickades till RCC")
        # The spin box's own line edit takes the focus; a screen reader names it too.
        self.sent_date.lineEdit().setAccessibleName("Dag då redovisningen skickades till RCC")
        today = self.session.ctx.today()
        self.sent_date.setDate(QDate(today.year, today.month, today.day))
        row.addWidget(self.sent_date)
        self.mark_sent_button = QPushButton("Markera som skickad till RCC")
        self.mark_sent_button.clicked.connect(self.mark_sent)
        row.addWidget(self.mark_sent_button)
        self.folder_button = QPushButton("Visa i mappen")
        self.folder_button.setAccessibleName("Visa den exporterade filen i mappen")
        self.folder_button.setEnabled(False)
        self.folder_button.clicked.connect(self.show_folder)
        row.addWidget(self.folder_button)
        row.addStretch(1)
        col.addLayout(row)
        self.sent_status = QLabel()
        self.sent_status.setWordWrap(True)
        col.addWidget(self.sent_status)
        self.receipt_status = QLabel()
        self.receipt_status.setObjectName("receiptStatus")
        self.receipt_status.setWordWrap(True)
        col.addWidget(self.receipt_status)
        self.rcc_address.setText(self._address_text())
        return box

    def _address_text(self) -> str:
        parts = []
        for a in receipts.rcc_addresses(self.session.report.region_code):
            mark = "" if a.confirmed else " <i>(ej bekräftat)</i>"
            link = f' – <a href="{a.source}">{a.source}</a>' if a.source else ""
            parts.append(f"<b>{a.name}</b>{mark}{link}")
        notes = {a.note for a in receipts.rcc_addresses(self.session.report.region_code) if a.note}
        return (
            "Skickas till: "
            + "; ".join(parts)
            + ". <i>Post- och e-postadress finns inte i referensdata (ej bekräftad); se "
            "RCC:s sida.</i>" + "".join(f"<br><i>{n}</i>" for n in notes)
        )

    def _refresh_sending(self) -> None:
        r = self.session.report
        if r.status == ReportStatus.SUBMITTED and r.submitted_on:
            self.sent_status.setText(
                f"<b>Skickad till RCC {r.submitted_on.isoformat()}</b>. Om redovisningen kom in "
                "i tid bedöms av RCC vid mottagandet."
            )
        else:
            self.sent_status.setText(
                "Inte markerad som skickad. Om redovisningen kom in i tid bedöms av RCC vid "
                "mottagandet."
            )
        state = receipts.latest_receipt(self.session.ctx, self.session.report_id)
        if state is None:
            self.receipt_status.setText("Ingen kvittens från RCC ännu.")
            self.receipt_status.setStyleSheet("")
            return
        version = "" if state.current else f" (gäller version {state.report_version})"
        self.receipt_status.setText(f"<b>{state.line}</b>{version}")
        tone = "#1e7b34" if state.kind == ReceiptKind.RECEIPT else "#8a5a00"
        self.receipt_status.setStyleSheet(f"color: {tone};")

    def mark_sent(self) -> None:
        d = self.sent_date.date()
        try:
            mark_submitted(
                self.session.ctx, self.session.report_id, date(d.year(), d.month(), d.day())
            )
        except UserError as exc:
            self.sent_status.setText(str(exc))
            return
        self.session.reload()
        self.session.changed.emit(Changes(status=True))

    def set_read_only(self, locked: bool) -> None:
        """Nothing here edits the report's content: a signed (locked) report is exported, sent
        and marked as sent to the RCC from this step, so its fields stay usable."""
        self.read_only = locked
        self._update_buttons()

    def show_folder(self) -> None:
        if self.last_export is not None:
            self.open_folder(self.last_export.parent)

    def open_folder(self, folder: Path) -> None:
        """Open ``folder`` in the file manager (patchable in tests)."""
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # ------------------------------------------------------------------ export
    def ask_export_path(self) -> Path | None:
        r = self.session.report
        suggested = last_folder("pdf") / f"SVF-redovisning-{r.year}-region-{r.region_code}.pdf"
        name, _ = QFileDialog.getSaveFileName(
            self, "Exportera PDF", str(suggested), "PDF (*.pdf)"
        )  # the dialog asks before it replaces a file
        if not name:
            return None
        remember_folder("pdf", Path(name))
        return Path(name)

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
        self.last_export = Path(pdf) if pdf else None
        self.folder_button.setEnabled(self.last_export is not None)
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
        text = failure_text(exc, "Exporten misslyckades")
        self.export_status.setText(text)
        self.export_status.setStyleSheet("color: #a4161a;")

    def _activated(self, item: QListWidgetItem) -> None:
        finding = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(finding, Finding):
            self.jump.emit(finding)
