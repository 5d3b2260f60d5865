"""The RCC workspace: receive signed reports (inbox), compile them, split the payments.

Everything is read from and written through services.inbox / services.compilation /
services.compilation_exports. Loading the inbox and the compilation, importing (verifying many
files), editing populations and exporting run on the database worker (``db_pool()``): each job
is a module function given the plain values it needs (``RccInputs``), read on the UI thread
before it starts; its outcome comes back by signal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain import vocabulary as vocab
from desktop_app.domain.errors import UserError
from desktop_app.domain.fmt import fmt_int, fmt_kr, fmt_num, fmt_pct
from desktop_app.domain.template import Template, available_years, template_for_year
from desktop_app.domain.vocabulary import Role, Verdict, colours, mark, plural
from desktop_app.services import compilation, compilation_exports, inbox
from desktop_app.services.bootstrap import AppContext
from desktop_app.ui.errors import failure_text
from desktop_app.ui.rcc_register import LastDayDialog, RegisterReportDialog, registration_text
from desktop_app.ui.rcc_round import (
    DecisionDialog,
    ReceivedOnDialog,
    SignersDialog,
    trust_entry_signers,
)
from desktop_app.ui.widgets.dialog_fit import FittedDialog
from desktop_app.ui.widgets.percent_chart import PercentBarChart
from desktop_app.ui.widgets.progress import ProgressLine
from desktop_app.ui.workers import Worker, assert_gui_thread, db_pool


def _status_background(status: StrEnum) -> str:
    """The background of a file's inbox status or of a region's state in the compilation."""
    return colours(status)[1]


def _yes_no(value: bool | None) -> str:
    return {True: "Ja", False: "Nej", None: vocab.label(Verdict.UNKNOWN)}[value]


# ------------------------------------------------------------------ jobs (off the UI thread)


@dataclass(frozen=True)
class RccInputs:
    """What every job of the workspace needs, read from the widgets on the UI thread."""

    ctx: AppContext
    scope: str
    year: int


@dataclass(frozen=True)
class RccSnapshot:
    """The inbox and the compilation of one scope and year, as the three tabs show them;
    ``message``: why an edit made on the way was refused (Swedish), if it was."""

    inputs: RccInputs
    entries: list[inbox.InboxEntry]
    result: compilation.CompilationResult
    message: str | None = None
    last_day: str = ""  # "Sista mottagningsdag …" of the scope's RCCs (issue 11)


@dataclass(frozen=True)
class ExportRequest:
    """One export of the compilation: the service function, where to, and for a signed PDF
    the opened signer (closed by the job) and the name shown."""

    inputs: RccInputs
    export: Callable[..., Any]
    out: Path
    signer: Any = None
    name: str | None = None


def load_snapshot(inputs: RccInputs, message: str | None = None) -> RccSnapshot:
    """Read the inbox and compile the scope (database and CPU work)."""
    from desktop_app.ui.rcc_register import last_day_text

    entries = inbox.list_inbox(inputs.ctx, inputs.scope, inputs.year)
    result = compilation.compile_scope(inputs.ctx, inputs.scope, inputs.year)
    rccs = _rccs_of(inputs.scope)
    return RccSnapshot(
        inputs, entries, result, message, last_day_text(inputs.ctx, rccs, inputs.year)
    )


def _rccs_of(scope: str) -> tuple[str, ...]:
    """The RCC ids a scope covers (all six for the whole country)."""
    return tuple(s.id for s in inbox.scopes() if not s.national and scope in (s.id, "national"))


def import_files(worker: Worker, inputs: RccInputs, paths: list[Path]) -> list[inbox.InboxEntry]:
    """Verify and receive ``paths`` into the inbox, reporting each file as it is read."""

    def progress(i: int, n: int, name: str) -> None:
        worker.progress(100 * i // max(n, 1), f"Verifierar {name} ({i + 1} av {n}) …")

    return inbox.import_reports(
        inputs.ctx, inputs.scope, paths, year=inputs.year, progress=progress
    )


def edit_population(inputs: RccInputs, region: str, population: int | None) -> RccSnapshot:
    """Set a region's population (None: reset every population to the reference) and compile
    again; a refused value comes back as the snapshot's message."""
    message = None
    try:
        if population is None:
            compilation.reset_populations(inputs.ctx, inputs.scope, inputs.year)
        else:
            compilation.set_population(inputs.ctx, inputs.scope, inputs.year, region, population)
    except UserError as exc:
        message = str(exc)
    return load_snapshot(inputs, message)


def load_population(inputs: RccInputs, path: Path, population_date: str) -> RccSnapshot:
    """Use the population table in ``path`` (SCB's CSV layout, figures of
    ``population_date``) for the compilation and compile again; a bad file changes nothing
    and its problem (file, row, column) comes back as the snapshot's message."""
    message = None
    try:
        compilation.load_population_table(
            inputs.ctx, inputs.scope, inputs.year, path, population_date
        )
    except UserError as exc:
        message = str(exc)
    return load_snapshot(inputs, message)


def export_compilation(request: ExportRequest) -> Any:
    """Write the workbook or the (signed) PDF; the signer is closed whatever happens."""
    i = request.inputs
    kwargs: dict[str, Any] = {}
    if request.export is compilation_exports.export_compilation_pdf:
        kwargs = {"sign_with": request.signer, "name": request.name}
    try:
        return request.export(i.ctx, i.scope, i.year, request.out, **kwargs)
    finally:
        if request.signer is not None:
            request.signer.close()


def _deviation_item(res: Any, code: str, reason: str | None) -> QTableWidgetItem:
    """The region's reason, and its changes from the RCC's extract (listed on hover)."""
    from desktop_app.ui.rcc_extract import deviation_lines, deviation_summary

    found = res.deviations.get(code, ())
    text = "; ".join(x for x in (reason, deviation_summary(len(found))) if x)
    return _item(text, tooltip="\n".join(deviation_lines(res.tpl, found)))


def _deviation_parts(ctx: AppContext, entry: Any) -> list[str]:
    """The file's changes from the RCC's extract, with the region's reasons (details pane)."""
    from html import escape

    from desktop_app.domain.template import load_template
    from desktop_app.services.compilation import entry_deviations
    from desktop_app.ui.rcc_extract import deviation_lines, deviation_summary

    found = entry_deviations(ctx, entry) if entry.template_id else []
    if not found:
        return []
    lines = deviation_lines(load_template(entry.template_id), found)
    return [f"<b>{deviation_summary(len(found))}:</b>"] + [escape(x) for x in lines]


def _warning_parts(ctx: AppContext, entry: Any) -> list[str]:
    """The file's warnings, each with the region's justification where it gave one."""
    from html import escape

    from desktop_app.services.compilation import entry_warnings

    found = entry_warnings(ctx, entry) if entry.template_id else ()
    if not found:
        return []
    justified = sum(1 for f in found if f.acknowledgement is not None)
    lines = [f"<b>{len(found)} varningar, varav {justified} motiverade av regionen:</b>"]
    for f in found:
        why = (
            f"<i>Motivering:</i> {escape(f.acknowledgement.justification)}"
            if f.acknowledgement is not None
            else "<i>ingen motivering</i>"
        )
        lines.append(f"{escape(f.message)} – {why}")
    return lines


def _item(text: str, align_right: bool = False, tooltip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if tooltip:
        item.setToolTip(tooltip)
    return item


def _rate(ratio: Any) -> str:
    """A ratio's rate in Swedish percent; '–' for a sex an SVF does not apply to."""
    return fmt_pct(ratio.rate) if ratio is not None else "–"


def _table(headers: list[str], name: str) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.setAccessibleName(name)
    t.setAlternatingRowColors(True)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    return t


class DiffDialog(FittedDialog):
    """What changed between two versions of a region's report, per figure and per text."""

    def __init__(self, title: str, differences: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(900, 520)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{title}</b> – {len(differences)} ändringar"))
        self.table = _table(["Var", "Före", "Efter"], "Ändringar mellan versionerna")
        self.table.setWordWrap(True)
        for d in differences:
            r = self.table.rowCount()
            self.table.insertRow(r)
            self.table.setItem(r, 0, _item(d.label))
            self.table.setItem(r, 1, _item(d.old_text))
            self.table.setItem(r, 2, _item(d.new_text))
        layout.addWidget(self.table, 1)
        close = QPushButton("Stäng")
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)


class ExportPdfDialog(FittedDialog):
    """Where to save the compilation PDF, and whether the RCC signs it (its approval)."""

    def __init__(self, suggested: Path, parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QCheckBox, QFormLayout, QLineEdit

        from desktop_app.ui.signing_ui import signer_box_and_buttons

        super().__init__(parent)
        self.setWindowTitle("Exportera sammanställningen som PDF")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.out = QLineEdit(str(suggested))
        self.out.setAccessibleName("Spara som")
        form.addRow("Spara som:", self.out)
        self.sign = QCheckBox("Skriv under PDF:en som RCC (godkännande)")
        form.addRow(self.sign)
        self.name = QLineEdit()
        self.name.setAccessibleName("Namnförtydligande")
        form.addRow("Namnförtydligande:", self.name)
        layout.addLayout(form)
        self.signer_box, self.error, self.ok = signer_box_and_buttons(
            self, layout, "Exportera", self._accept
        )
        self.sign.toggled.connect(self._sign_toggled)
        self._sign_toggled(False)
        self.signer: Any = None

    def _sign_toggled(self, on: bool) -> None:
        self.signer_box.setEnabled(on)
        self.name.setEnabled(on)

    def _accept(self) -> None:
        if not self.out.text().strip():
            self.error.setText("Ange var filen ska sparas.")
            return
        self.signer = None
        if self.sign.isChecked():
            problems = self.signer_box.problems()
            if problems:
                self.error.setText("\n".join(problems))
                return
            try:
                self.signer = self.signer_box.open_signer()
            except UserError as exc:
                self.error.setText(str(exc))
                return
        self.accept()


class RccView(QWidget):
    back = Signal()
    INBOX_HEADERS = [
        "Region",
        "Version",
        "Mottagen",
        "Status",
        "Skäl",
        "Ekonomichef",
        "Behörig företrädare",
        "Intygande",
        "Villkor",
        "I tid",
        "Fil",
    ]
    PAY_HEADERS = [
        "Region",
        "Befolkning",
        "Status",
        "Villkor uppfyllda",
        "Utbetalning 1",
        "Utbetalning 2",
        "Om alla okända uppfyller",
        "Om inga okända uppfyller",
        "Skäl",
    ]

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.worker: Worker | None = None  # the running import or export
        self.loader: Worker | None = None  # the running load (or population edit)
        self._job_running = False  # an import or export whose outcome has not arrived yet
        self.result: compilation.CompilationResult | None = None
        self.entries: list[inbox.InboxEntry] = []
        self.setAcceptDrops(True)

        top = QHBoxLayout()
        self.back_button = QPushButton("← Regionens redovisningar")
        self.back_button.clicked.connect(self.back.emit)
        top.addWidget(self.back_button)
        top.addWidget(QLabel("<h2 style='margin:0'>RCC: inkorg och sammanställning</h2>"), 1)
        top.addWidget(QLabel("&Urval:"))
        self.scope = QComboBox()
        self.scope.setAccessibleName("RCC eller hela landet")
        for s in inbox.scopes():
            self.scope.addItem(s.name, s.id)
        top.addWidget(self.scope)
        top.addWidget(QLabel("&År:"))
        self.year = QComboBox()
        self.year.setAccessibleName("Redovisningsår")
        for y in available_years():
            self.year.addItem(str(y), y)
        self.year.setCurrentIndex(self.year.findData(inbox.default_year(ctx)))
        top.addWidget(self.year)
        for label, widget in (
            (top.itemAt(2).widget(), self.scope),
            (top.itemAt(4).widget(), self.year),
        ):
            if isinstance(label, QLabel):
                label.setBuddy(widget)

        actions = QHBoxLayout()
        self.import_files_button = QPushButton("Importera filer…")
        self.import_folder_button = QPushButton("Importera mapp…")
        self.export_xlsx_button = QPushButton("Exportera Excel…")
        self.export_pdf_button = QPushButton("Exportera PDF…")
        for b in (
            self.import_files_button,
            self.import_folder_button,
            self.export_xlsx_button,
            self.export_pdf_button,
        ):
            actions.addWidget(b)
        from desktop_app.ui.round_ui import add_round_buttons  # kvittens, package (issue 11)

        add_round_buttons(self, actions)
        __import__("desktop_app.ui.rcc_extract", fromlist=["x"]).add_extract_button(self, actions)
        actions.addWidget(QLabel("eller dra signerade PDF-filer eller en mapp hit"))
        actions.addStretch(1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.progress = ProgressLine("Arbetet pågår")

        self.tabs = QTabWidget()
        self.tabs.addTab(self._inbox_tab(), "Inkorg")
        self.tabs.addTab(self._compilation_tab(), "Sammanställning")
        self.tabs.addTab(self._payment_tab(), "Utbetalning")

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.tabs, 1)

        self.import_files_button.clicked.connect(self._import_files)
        self.import_folder_button.clicked.connect(self._import_folder)
        self.export_xlsx_button.clicked.connect(lambda: self._export("xlsx"))
        self.export_pdf_button.clicked.connect(lambda: self._export("pdf"))
        self.scope.currentIndexChanged.connect(lambda _i: self.reload())
        self.year.currentIndexChanged.connect(lambda _i: self.reload())
        self.reload()

    # ------------------------------------------------------------------ tabs
    def _inbox_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.inbox_table = _table(self.INBOX_HEADERS, "Inkomna redovisningar")
        self.inbox_table.itemSelectionChanged.connect(self._entry_selected)
        self.details = QLabel("Välj en fil för att se detaljer.")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.diff_button = QPushButton("Visa ändringar mot föregående version…")
        self.diff_button.setEnabled(False)
        self.diff_button.clicked.connect(self.show_diff)
        # Issue 11: the officer's acts on the selected file, and the signer register.
        self.decide_button = QPushButton("Beslut…")
        self.decide_button.setEnabled(False)
        self.decide_button.clicked.connect(self.open_decision)
        self.received_on_button = QPushButton("Ändra mottagningsdag…")
        self.received_on_button.setEnabled(False)
        self.received_on_button.clicked.connect(self.open_received_on)
        self.trust_button = QPushButton("Lita på underskrivarna för regionen")
        self.trust_button.setEnabled(False)
        self.trust_button.clicked.connect(self.trust_selected_signers)
        self.signers_button = QPushButton("Underskrivare och betrodda utfärdare…")
        self.signers_button.clicked.connect(self.open_signers)
        # Issue 11.5 and the last day: what does not arrive as a signed file.
        self.open_file_button = QPushButton("Öppna filen")
        self.open_file_button.setEnabled(False)
        self.open_file_button.clicked.connect(self.open_selected_file)
        self.register_button = QPushButton("Registrera redovisning som kommit på annat sätt…")
        self.register_button.clicked.connect(self.open_register)
        self.last_day_button = QPushButton("Sista mottagningsdag…")
        self.last_day_button.clicked.connect(self.open_last_day)
        side = QVBoxLayout()
        for b in (
            self.diff_button,
            self.decide_button,
            self.received_on_button,
            self.trust_button,
            self.open_file_button,
            self.signers_button,
            self.register_button,
            self.last_day_button,
        ):
            side.addWidget(b)
        side.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.details, 1)
        bottom.addLayout(side)
        holder = QWidget()
        holder.setLayout(bottom)
        self.last_day_label = QLabel()
        self.last_day_label.setAccessibleName("Sista mottagningsdag")
        layout.addWidget(self.last_day_label)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.inbox_table)
        split.addWidget(holder)
        split.setStretchFactor(0, 3)
        layout.addWidget(split)
        return page

    def _compilation_tab(self) -> QWidget:
        page = QWidget()
        outer = QVBoxLayout(page)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        inner = QWidget()
        layout = QVBoxLayout(inner)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.region_table = _table(
            [
                "Region",
                "Status",
                "Inklusion",
                "Inkluderade / underlag",
                "Inom ledtid",
                "Villkor uppfyllda",
                "Skäl",
            ],
            "Regionerna i sammanställningen",
        )
        self.region_table.setMinimumHeight(220)
        layout.addWidget(self.region_table)
        self.svf_table = _table(
            [
                "SVF",
                "Underlag",
                "Inkluderade",
                "Inklusion",
                "Kvinnor",
                "Män",
                "Inom ledtid",
                "Kvinnor",
                "Män",
                "",  # the long waits, headed from the template (_show_goals)
            ],
            "Sammanställning per SVF",
        )
        self.svf_table.setMinimumHeight(420)
        layout.addWidget(self.svf_table)
        charts = QHBoxLayout()
        self.inclusion_chart = PercentBarChart("Inklusion per region", 0)
        self.lead_chart = PercentBarChart("Andel inom ledtid per SVF och kön", 0)
        self._show_goals(template_for_year(self.year_value))
        charts.addWidget(self.inclusion_chart, 1)
        charts.addWidget(self.lead_chart, 1)
        layout.addLayout(charts)
        scroll.setWidget(inner)
        outer.addWidget(scroll)
        return page

    def _payment_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.payment_note = QLabel()
        self.payment_note.setWordWrap(True)
        layout.addWidget(self.payment_note)
        self.payment_table = _table(self.PAY_HEADERS, "Fördelning av utbetalningarna")
        self.payment_table.itemChanged.connect(self._population_edited)
        layout.addWidget(self.payment_table, 1)
        row = QHBoxLayout()
        self.reset_population = QPushButton("Återställ befolkningstal")
        self.reset_population.clicked.connect(self._reset_populations)
        row.addWidget(self.reset_population)
        row.addWidget(QLabel("Folkmängden avser:"))
        self.population_date = QDateEdit()
        self.population_date.setDisplayFormat("yyyy-MM-dd")
        self.population_date.setCalendarPopup(True)
        self.population_date.setToolTip(
            "Vilket datum tabellen som läses in avser. Staten har fördelat efter folkmängden "
            "den 1 november ett tidigare år (2021: 1 november 2019)."
        )
        row.addWidget(self.population_date)
        self.load_population_button = QPushButton("Läs in folkmängdstabell (CSV) …")
        self.load_population_button.setToolTip(
            "En tabell i SCB:s CSV-format: region (kod eller namn) och folkmängd, alla 21 "
            "regioner. Ersätter folkmängden i denna sammanställning."
        )
        self.load_population_button.clicked.connect(self._load_population)
        row.addWidget(self.load_population_button)
        layout.addLayout(row)
        self.population_key = QLabel()
        self.population_key.setObjectName("population_key")
        self.population_key.setWordWrap(True)
        layout.addWidget(self.population_key)
        row = QHBoxLayout()
        self.population_source = QLabel()
        self.population_source.setWordWrap(True)
        row.addWidget(self.population_source, 1)
        layout.addLayout(row)
        return page

    # ------------------------------------------------------------------ data
    @property
    def scope_id(self) -> str:
        return str(self.scope.currentData())

    @property
    def year_value(self) -> int:
        return int(self.year.currentData())

    def inputs(self) -> RccInputs:
        """The values every job needs, read from the widgets (UI thread only)."""
        assert_gui_thread("RccView.inputs")
        return RccInputs(self.ctx, self.scope_id, self.year_value)

    @property
    def loading(self) -> bool:
        """A load (or a population edit) is running; the tabs show the previous state."""
        return self.loader is not None

    def reload(self) -> None:
        """Read the inbox and compile again, off the UI thread; a newer reload replaces one
        still running (whose outcome is then dropped)."""
        self._start_load(Worker(load_snapshot, self.inputs()), "Sammanställer …")

    def _start_load(self, worker: Worker, text: str) -> None:
        if self.loader is not None:
            self.loader.cancel()
        self.loader = worker
        worker.signals.result.connect(self._loaded)
        worker.signals.error.connect(self._load_failed)
        worker.signals.finished.connect(self._load_finished)
        self.progress.start(text)
        self._update_busy()
        worker.start(db_pool())

    def _is_current_load(self) -> bool:
        return self.loader is not None and self.sender() is self.loader.signals

    def _loaded(self, snapshot: RccSnapshot) -> None:
        assert_gui_thread("RccView._loaded")
        if not self._is_current_load():
            return
        self.entries = snapshot.entries
        self.result = snapshot.result
        self.last_day_label.setText(snapshot.last_day)
        if snapshot.message:
            self.show_status(snapshot.message, error=True)
        self._show_inbox()
        self._show_compilation()
        self._show_payments()

    def _load_failed(self, exc: object) -> None:
        if self._is_current_load():
            self._failed(exc)

    def _load_finished(self) -> None:
        if self._is_current_load():
            self.loader = None
            self._update_busy()

    def _show_goals(self, tpl: Template) -> None:
        """Goals and the long-wait threshold of the year's template in the headings."""
        inc = fmt_num(tpl.inclusion_percent, 0)
        lead = fmt_num(tpl.lead_time_percent, 0)
        self.inclusion_chart.set_goal(f"Inklusion per region (mål {inc} %)", tpl.inclusion_percent)
        self.lead_chart.set_goal(
            f"Andel inom ledtid per SVF och kön (mål {lead} %)", tpl.lead_time_percent
        )
        over = QTableWidgetItem(f"Över {fmt_num(tpl.long_wait_percent, 0)} %")
        self.svf_table.setHorizontalHeaderItem(self.svf_table.columnCount() - 1, over)

    def _show_inbox(self) -> None:
        t = self.inbox_table
        t.setRowCount(0)
        for e in self.entries:
            r = t.rowCount()
            t.insertRow(r)
            chief = e.signer(Role.CERTIFICATION)
            rep = e.signer(Role.REPRESENTATIVE)
            crit = " ".join(f"{mark(Verdict(c.status))} {c.label}" for c in e.criteria) or "–"
            cells = [
                _item(f"{e.region_name or '?'} ({e.region_code or '–'})"),
                _item(str(e.report_version or "–"), True),
                _item(
                    e.received_on.isoformat() if e.received_on else "–",
                    tooltip=f"Inläst {e.received_at:%Y-%m-%d %H:%M}",
                ),
                _item(e.status_label),
                _item(
                    "; ".join(x for x in (e.other_rcc, e.reason) if x),
                    tooltip="\n".join(e.problems),
                ),
                _item(
                    chief.signer_name if chief else "–",
                    tooltip=chief.certificate_status if chief else "",
                ),
                _item(
                    rep.signer_name if rep else "–", tooltip=rep.certificate_status if rep else ""
                ),
                _item("Registrerad av RCC" if e.registered_by_rcc else e.certification_label),
                _item(crit, tooltip="\n".join(c.message for c in e.criteria)),
                _item(e.on_time_label),
                _item(e.file_name),
            ]
            colour = QBrush(QColor(_status_background(e.status)))
            for c, item in enumerate(cells):
                item.setData(Qt.ItemDataRole.UserRole, e.id)
                if c == 3:
                    item.setBackground(colour)
                t.setItem(r, c, item)

    def _show_compilation(self) -> None:
        res = self.result
        if res is None:
            return
        comp = res.compilation
        goal = res.tpl.inclusion_percent
        self._show_goals(res.tpl)
        met = {True: "nås", False: "nås inte", None: "kan inte bedömas"}[comp.inclusion_goal_met]
        # A region counted on a registration without figures (issue 11.5) is not missing.
        bare = [c for c in comp.missing if res.region(c).status == vocab.RegionState.ACCEPTED]
        lacking = [c for c in comp.missing if c not in bare]
        self.summary.setText(
            f"<b>{res.scope.name}, {res.year}:</b> {len(comp.compiled)} av {len(comp.regions)} regioner "
            f"sammanställda. Inklusion {fmt_pct(comp.inclusion.rate)} ({fmt_int(comp.inclusion.numerator)} av "
            f"{fmt_int(comp.inclusion.denominator)}) – målet {fmt_int(goal)} % {met}. Inom ledtid "
            f"{fmt_pct(comp.lead_time.rate)}. Alla andelar är beräknade på summorna."
            + (
                f" <span style='color:#8a5a00'>Saknas: {', '.join(res.region(c).name for c in lacking)}.</span>"
                if lacking
                else ""
            )
            + (
                " Registrerad av RCC utan siffror (räknad på sitt underlag): "
                f"{', '.join(res.region(c).name for c in bare)}."
                if bare
                else ""
            )
        )
        t = self.region_table
        t.setRowCount(0)
        names, inclusion_values = [], []
        for region in res.regions:
            rf = comp.by_region.get(region.code)
            r = t.rowCount()
            t.insertRow(r)
            inc = rf.inclusion if rf else None
            lt = rf.lead_time if rf else None
            met_text = _yes_no(region.criteria_met)
            row = [
                _item(f"{region.name} ({region.code})"),
                _item(region.status_label, tooltip=region.reason or ""),
                _item(fmt_pct(inc.rate) if inc else "–", True),
                _item(
                    f"{fmt_int(inc.numerator)} / {fmt_int(inc.denominator)}" if inc else "–", True
                ),
                _item(fmt_pct(lt.rate) if lt else "–", True),
                _item(met_text, tooltip=region.reason or ""),
                _deviation_item(res, region.code, region.reason),  # issue 15, point 3
            ]
            row[1].setBackground(QBrush(QColor(_status_background(region.status))))
            for c, item in enumerate(row):
                t.setItem(r, c, item)
            names.append(region.name)
            inclusion_values.append(inc.rate * 100 if inc and inc.rate is not None else None)
        s = self.svf_table
        s.setRowCount(0)
        sexes = res.tpl.sex_ids
        lead_sets: dict[str, list[float | None]] = {x.label: [] for x in res.tpl.sexes}
        for row_data in comp.svfs:
            r = s.rowCount()
            s.insertRow(r)
            inc = row_data.inclusion
            values = [
                _item(row_data.name),
                _item(fmt_int(inc.denominator), True),
                _item(fmt_int(inc.numerator), True),
                _item(fmt_pct(inc.rate), True),
                *[_item(_rate(row_data.inclusion_by_sex.get(x)), True) for x in sexes],
                _item(fmt_pct(row_data.lead_time.rate), True),
                *[_item(_rate(row_data.lead_time_by_sex.get(x)), True) for x in sexes],
                _item(fmt_pct(row_data.over_175.rate), True),
            ]
            for c, item in enumerate(values):
                s.setItem(r, c, item)
            for x in res.tpl.sexes:
                ratio = row_data.lead_time_by_sex.get(x.id)
                rate = ratio.rate if ratio is not None else None
                lead_sets[x.label].append(rate * 100 if rate is not None else None)
        self.inclusion_chart.show_data(names, {"Inklusion": inclusion_values})
        self.lead_chart.show_data([row.name for row in comp.svfs], lead_sets)

    def _show_payments(self) -> None:
        res = self.result
        if res is None:
            return
        pay = res.payments
        pops = {p.code: p for p in res.populations}
        t = self.payment_table
        t.blockSignals(True)
        t.setRowCount(0)
        scope_regions = set(res.scope.regions)
        # The scope's own regions first; the rest of the country (the split is national) after.
        ordered = [p for p in pay.regions if p.code in scope_regions] + [
            p for p in pay.regions if p.code not in scope_regions
        ]
        for p in ordered:
            r = t.rowCount()
            t.insertRow(r)
            pe = pops[p.code]
            name = pe.name
            status = (
                res.region(p.code).status_label if p.code in scope_regions else "Utanför urvalet"
            )
            population = QTableWidgetItem(fmt_int(p.population))
            population.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            population.setToolTip(
                f"{pe.source}, {pe.date}"
                + (f". Ändrat från {fmt_int(pe.reference)}." if pe.edited else "")
                + " Dubbelklicka för att ändra."
            )
            population.setData(Qt.ItemDataRole.UserRole, p.code)
            if pe.edited:
                population.setBackground(QBrush(QColor("#fff4d6")))
            p2 = p.payment_2
            row = [
                _item(f"{name} ({p.code})"),
                population,
                _item(status),
                _item(_yes_no(p.qualifies)),
                _item(fmt_kr(p.payment_1), True),
                _item(fmt_kr(p2) if p2 is not None else "preliminärt", True),
                _item(fmt_kr(p.payment_2_if_all_unknown_qualify), True),
                _item(fmt_kr(p.payment_2_if_none_qualify), True),
                _item(p.reason or ""),
            ]
            for c, item in enumerate(row):
                t.setItem(r, c, item)
        r = t.rowCount()
        t.insertRow(r)
        totals = [
            _item("Summa"),
            _item(fmt_int(pay.population_total), True),
            _item(""),
            _item(""),
            _item(fmt_kr(sum(p.payment_1 for p in pay.regions)), True),
            _item(fmt_kr(pay.payment_2_total) if not pay.preliminary else "–", True),
            _item(fmt_kr(sum(p.payment_2_if_all_unknown_qualify for p in pay.regions)), True),
            _item(fmt_kr(sum(p.payment_2_if_none_qualify for p in pay.regions)), True),
            _item(""),
        ]
        for c, item in enumerate(totals):
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            t.setItem(r, c, item)
        t.blockSignals(False)
        state = (
            "<b>Preliminär fördelning:</b> några regioners villkor är ännu inte kända. För varje region "
            "visas beloppet om alla okända uppfyller villkoren och om ingen av dem gör det."
            if pay.preliminary
            else "<b>Slutlig fördelning.</b>"
        )
        self.payment_note.setText(
            f"{state} Utbetalning 1 ({fmt_kr(pay.payment_1_total)}) fördelas på alla 21 regioner efter "
            f"befolkning; utbetalning 2 ({fmt_kr(pay.payment_2_total)}) efter befolkning på de regioner som "
            "uppfyller alla villkor. Hela kronor med största-restmetoden, så att summorna stämmer exakt."
        )
        if getattr(self, "_key_year", None) != res.year:  # 1 November of the year before
            self._key_year = res.year
            self.population_date.setDate(QDate(res.year - 1, 11, 1))
        key = res.population_key
        text = key.describe() + (f". {key.note}" if key.note else ".")
        if key.preliminary:
            fg, bg = colours(vocab.KeyStatus.PRELIMINARY)
            self.population_key.setText(f"{mark(vocab.KeyStatus.PRELIMINARY)} {text}")
            self.population_key.setStyleSheet(f"color: {fg}; background: {bg}; padding: 4px;")
        else:
            self.population_key.setText(text)
            self.population_key.setStyleSheet("")
        self.population_source.setText(
            "Befolkningstalen kan ändras i tabellen; ändrade värden är gula och sparas med "
            "sammanställningen."
        )

    # ------------------------------------------------------------------ edits
    def _population_edited(self, item: QTableWidgetItem) -> None:
        code = item.data(Qt.ItemDataRole.UserRole)
        if item.column() != 1 or not code:
            return
        text = item.text().replace("\u00a0", "").replace(" ", "")
        if not text.isdigit() or int(text) <= 0:
            self.show_status(
                f"Befolkningen måste vara ett heltal större än 0 (inte '{item.text()}').",
                error=True,
            )
            self._show_payments()
            return
        job = Worker(edit_population, self.inputs(), str(code), int(text))
        self._start_load(job, "Sparar befolkningen och sammanställer …")

    def _reset_populations(self) -> None:
        job = Worker(edit_population, self.inputs(), "", None)
        self._start_load(job, "Återställer befolkningen och sammanställer …")

    def ask_population_file(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Läs in folkmängdstabell", "", "CSV (*.csv *.txt);;Alla filer (*)"
        )
        return Path(name) if name else None

    def _load_population(self) -> None:
        path = self.ask_population_file()
        if path is None:
            return
        day = self.population_date.date().toString("yyyy-MM-dd")
        job = Worker(load_population, self.inputs(), path, day)
        self._start_load(job, f"Läser in {path.name} och sammanställer …")

    def _entry_selected(self) -> None:
        rows = self.inbox_table.selectionModel().selectedRows()
        acts = (
            self.diff_button,
            self.decide_button,
            self.received_on_button,
            self.trust_button,
            self.open_file_button,
        )
        if not rows:
            for b in acts:
                b.setEnabled(False)
            return
        entry = self.entries[rows[0].row()]
        decidable = entry.refusal is None and entry.region_code is not None
        self.decide_button.setEnabled(decidable)
        self.received_on_button.setEnabled(entry.id is not None)
        self.open_file_button.setEnabled(entry.id is not None)
        self.trust_button.setEnabled(decidable and any(s.ok for s in entry.signers))
        if entry.region_name:
            self.trust_button.setText(f"Lita på denna underskrivare för {entry.region_name}")
        parts = [
            f"<b>{entry.file_name}</b> – {entry.status_label}"
            + (f": {entry.reason}" if entry.reason else "")
        ]
        if entry.received_on:
            own = (
                f"; regionens egen inlämningsdag {entry.submitted_on}" if entry.submitted_on else ""
            )
            parts.append(f"Mottagen av RCC {entry.received_on}{own}")
        if entry.other_rcc:
            parts.append(f"Regionen {entry.other_rcc}.")
        for s, b in zip(entry.signers, entry.bindings, strict=False):
            reg = (
                "registrerad för regionen i denna roll"
                if b.get("bound")
                else "inte registrerad för regionen i denna roll"
            )
            parts.append(f"{s.role_label}: {s.signer_name} – {s.certificate_status}; {reg}")
        for s in entry.signers[len(entry.bindings) :]:
            parts.append(f"{s.role_label}: {s.signer_name} – {s.certificate_status}")
        if entry.decision_reason:
            parts.append(f"Beslut: {entry.decision_reason}")
        if entry.registration is not None:
            parts.append(registration_text(entry.registration))
        parts += [f"Fel: {p}" for p in entry.problems] + [f"Notering: {n}" for n in entry.notes]
        parts += _deviation_parts(self.ctx, entry)  # issue 15, point 3
        parts += _warning_parts(self.ctx, entry)  # issue 15, point 5
        self.details.setText("<br>".join(parts))
        self.diff_button.setEnabled(len(self._history(entry)) > 1)

    def selected_entry(self) -> inbox.InboxEntry | None:
        rows = self.inbox_table.selectionModel().selectedRows()
        return self.entries[rows[0].row()] if rows else None

    def open_decision(self) -> DecisionDialog | None:
        """The decision dialog on the selected file (shown, not run: tests drive it)."""
        entry = self.selected_entry()
        if entry is None:
            return None
        dialog = DecisionDialog(self.ctx, entry, self)
        dialog.accepted.connect(lambda: self._acted("Beslutet är sparat och loggat."))
        dialog.open()
        return dialog

    def open_received_on(self) -> ReceivedOnDialog | None:
        entry = self.selected_entry()
        if entry is None:
            return None
        dialog = ReceivedOnDialog(self.ctx, entry, self)
        dialog.accepted.connect(lambda: self._acted("Mottagningsdagen är ändrad och loggad."))
        dialog.open()
        return dialog

    def open_signers(self) -> SignersDialog:
        dialog = SignersDialog(self.ctx, self)
        dialog.finished.connect(lambda _r: self.reload())
        dialog.open()
        return dialog

    def open_register(self) -> RegisterReportDialog:
        """Register a report that came in another form (shown, not run: tests drive it)."""
        regions = next(s.regions for s in inbox.scopes() if s.id == self.scope_id)
        dialog = RegisterReportDialog(self.ctx, regions, self.year_value, self)
        dialog.accepted.connect(
            lambda: self._acted("Redovisningen är registrerad av RCC och loggad.")
        )
        dialog.open()
        return dialog

    def open_last_day(self) -> LastDayDialog:
        rcc = None if self.scope_id == inbox.SCOPE_NATIONAL else self.scope_id
        dialog = LastDayDialog(self.ctx, rcc, self.year_value, self)
        dialog.accepted.connect(
            lambda: self._acted("Sista mottagningsdagen är sparad och loggad; filerna bedöms igen.")
        )
        dialog.open()
        return dialog

    def open_selected_file(self) -> Path | None:
        """Open the selected file as it came (a copy in a temporary folder)."""
        import tempfile

        from desktop_app.services.inbox_register import copy_out
        from desktop_app.ui.files import open_file

        entry = self.selected_entry()
        if entry is None or entry.id is None:
            return None
        try:
            path = copy_out(self.ctx, entry.id, Path(tempfile.mkdtemp(prefix="svf-inkorg-")))
        except UserError as exc:
            self.show_status(str(exc), error=True)
            return None
        if not open_file(path):
            self.show_status(f"Filen kunde inte öppnas; den finns i {path}.", error=True)
        return path

    def trust_selected_signers(self) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self._acted(trust_entry_signers(self.ctx, entry))

    def _acted(self, message: str) -> None:
        self.show_status(message)
        self.reload()

    def _history(self, entry: inbox.InboxEntry) -> list[inbox.InboxEntry]:
        if not entry.region_code or not entry.report_year:
            return []
        return [
            e
            for e in self.entries
            if e.region_code == entry.region_code and e.report_version is not None
        ]

    def show_diff(self) -> DiffDialog | None:
        rows = self.inbox_table.selectionModel().selectedRows()
        if not rows:
            return None
        entry = self.entries[rows[0].row()]
        older = [
            e
            for e in self._history(entry)
            if e.id != entry.id and (e.report_version or 0) < (entry.report_version or 0)
        ]
        if not older:
            newer = [e for e in self._history(entry) if e.id != entry.id]
            if not newer:
                return None
            old, new = entry, max(newer, key=lambda e: e.report_version or 0)
        else:
            old, new = max(older, key=lambda e: e.report_version or 0), entry
        try:
            diffs = inbox.diff_versions(self.ctx, old, new)
        except UserError as exc:
            self.show_status(str(exc), error=True)
            return None
        title = f"{entry.region_name}: version {old.report_version} → {new.report_version}"
        self.diff_dialog = DiffDialog(title, diffs, self)
        self.diff_dialog.open()
        return self.diff_dialog

    # ------------------------------------------------------------------ import / export
    def ask_files(self) -> list[Path]:
        names, _ = QFileDialog.getOpenFileNames(
            self, "Importera signerade redovisningar", "", "PDF (*.pdf)"
        )
        return [Path(n) for n in names]

    def ask_folder(self) -> Path | None:
        name = QFileDialog.getExistingDirectory(self, "Importera alla PDF-filer i en mapp")
        return Path(name) if name else None

    def ask_save(self, kind: str) -> Path | None:
        suggested = f"sammanstallning-{self.scope_id}-{self.year_value}.{kind}"
        name, _ = QFileDialog.getSaveFileName(
            self, "Exportera sammanställning", suggested, f"{kind.upper()} (*.{kind})"
        )
        return Path(name) if name else None

    def _import_files(self) -> None:
        files = self.ask_files()
        if files:
            self.import_paths(files)

    def _import_folder(self) -> None:
        folder = self.ask_folder()
        if folder:
            self.import_paths([folder])

    def import_paths(self, paths: list[Path]) -> None:
        if self._job_running:
            return
        text = f"Verifierar {len(paths)} {'fil' if len(paths) == 1 else 'filer/mappar'} …"
        self.show_status(text)
        worker = Worker(import_files, self.inputs(), list(paths), pass_worker=True)
        worker.signals.result.connect(self._imported)
        self._start_job(worker, text)

    def _start_job(self, worker: Worker, text: str) -> None:
        self.worker = worker
        self._job_running = True
        worker.signals.error.connect(self._job_failed)
        worker.signals.progress.connect(self.progress.update_progress)
        self.progress.start(text)
        self._update_busy()
        worker.start(db_pool())

    def _job_done(self) -> None:
        self._job_running = False
        self._update_busy()

    def _imported(self, entries: object) -> None:
        assert_gui_thread("RccView._imported")
        self._job_done()
        got = list(entries)  # type: ignore[call-overload]
        counts: dict[StrEnum, int] = {}
        for e in got:
            counts[e.status] = counts.get(e.status, 0) + 1
        summary = ", ".join(plural(status, n) for status, n in counts.items())
        files = "1 fil inläst" if len(got) == 1 else f"{len(got)} filer inlästa"
        self.show_status(f"{files}: {summary}.")
        self.reload()

    def _export(self, kind: str) -> None:
        if kind == "pdf":
            suggested = Path.home() / f"sammanstallning-{self.scope_id}-{self.year_value}.pdf"
            self.export_dialog = ExportPdfDialog(suggested, self)
            self.export_dialog.accepted.connect(self._export_pdf_accepted)
            self.export_dialog.open()
            return
        out = self.ask_save(kind)
        if out is not None:
            self._run_export(
                ExportRequest(self.inputs(), compilation_exports.export_compilation_xlsx, out)
            )

    def _export_pdf_accepted(self) -> None:
        d = self.export_dialog
        self._run_export(
            ExportRequest(
                self.inputs(),
                compilation_exports.export_compilation_pdf,
                Path(d.out.text().strip()),
                signer=d.signer,
                name=d.name.text().strip() or None,
            )
        )

    def _run_export(self, request: ExportRequest) -> None:
        if self._job_running:
            if request.signer is not None:
                request.signer.close()
            return
        self.show_status("Exporterar …")
        worker = Worker(export_compilation, request)
        worker.signals.result.connect(self._exported)
        self._start_job(worker, "Exporterar …")

    def _exported(self, res: object) -> None:
        assert_gui_thread("RccView._exported")
        self._job_done()
        signed = " (underskriven av RCC)" if getattr(res, "signed", False) else ""
        self.show_status(f"Sparat: {getattr(res, 'path', '')}{signed}.")

    def _job_failed(self, exc: object) -> None:
        self._job_done()
        self._failed(exc)

    def _failed(self, exc: object) -> None:
        assert_gui_thread("RccView._failed")
        self.show_status(failure_text(exc, "Det gick inte"), error=True)

    def _update_busy(self) -> None:
        """The buttons wait for an import or export and for the load after it."""
        busy = self._job_running or self.loader is not None
        if not busy:
            self.progress.stop()
        for b in (
            self.import_files_button,
            self.import_folder_button,
            self.export_xlsx_button,
            self.export_pdf_button,
            self.load_population_button,
        ):
            b.setEnabled(not busy)

    def show_status(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #a4161a; font-weight: 600;" if error else "")

    # ------------------------------------------------------------------ drag and drop
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        urls = event.mimeData().urls()
        if urls and all(
            u.isLocalFile()
            and (u.toLocalFile().lower().endswith(".pdf") or Path(u.toLocalFile()).is_dir())
            for u in urls
        ):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)
