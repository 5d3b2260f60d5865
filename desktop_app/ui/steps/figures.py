"""Step "SVF-statistik": the figures grid, Excel import with preview, the Excel template, and
copy / paste of blocks of cells to and from Excel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    QSettings,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QAction,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemDelegate,
    QAbstractItemView,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QProgressBar,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import UserError
from desktop_app.domain.figures import Cell, Number, inclusion, lead_time_fulfilment
from desktop_app.domain.fmt import fmt_int, fmt_num, fmt_pct
from desktop_app.domain.reference import load_reference
from desktop_app.domain.rules import ERROR, WARNING, Location
from desktop_app.domain.template import Step
from desktop_app.domain.vocabulary import Severity, mark, plural
from desktop_app.services import imports
from desktop_app.services.imports import (
    CSV_SUFFIXES,
    EXCEL_SUFFIXES,
    ImportFileError,
    ImportPreview,
)
from desktop_app.services.reports import Changes
from desktop_app.ui.errors import failure_text
from desktop_app.ui.files import last_folder, remember_folder
from desktop_app.ui.models.figures_model import (
    COLOUR_CHANGED,
    MISSING_RULE,
    FiguresModel,
    InputError,
    format_value,
)
from desktop_app.ui.session import ReportSession
from desktop_app.ui.steps.base import StepPage
from desktop_app.ui.widgets.dialog_fit import FittedDialog
from desktop_app.ui.widgets.grouped_header import GroupedHeader
from desktop_app.ui.workers import Worker, db_pool

IMPORT_SUFFIXES = tuple(dict.fromkeys((*EXCEL_SUFFIXES, *CSV_SUFFIXES)))
PREM_LABELS = {
    "prem_used": "Använder PREM-enkäten",
    "prem_sent": "Antal utskickade enkäter",
    "prem_answers": "Antal besvarade enkäter",
}
MAX_LISTED_PASTE_ERRORS = 8
COMPACT_KEY = "figures/compact"  # QSettings: the compact view, per user
NAME_WIDTH, NAME_WIDTH_MIN = 260, 120  # px of the SVF names; longer ones are elided
CELL_PADDING, CELL_PADDING_COMPACT = 14, 10  # px around a cell's text

STYLE = """
QLabel#stepTitle { font-size: 15pt; font-weight: 600; }
QLabel#stepHelp { color: #444; }
QLabel#summary { color: #222; padding: 2px 0; }
QFrame#errorPanel { background: #fdecec; border: 1px solid #e2a3a8; border-radius: 4px; }
QFrame#errorPanel QLabel { color: #7a0c15; }
QFrame#progressPanel { background: #eef3f9; border: 1px solid #b8cce4; border-radius: 4px; }
QFrame#messageBox[kind="error"] { background: #fdecec; border: 1px solid #e2a3a8;
    border-radius: 4px; }
QFrame#messageBox[kind="error"] QLabel { color: #7a0c15; }
QFrame#messageBox[kind="info"] { background: #e8f4ea; border: 1px solid #9fcfa8;
    border-radius: 4px; }
QFrame#messageBox[kind="info"] QLabel { color: #17451f; }
QLabel#dropHint { color: #555; }
QTableView#figuresGrid[dropping="true"] { border: 2px dashed #0b5cad; }
"""


def split_clipboard(text: str) -> list[list[str]]:
    """Tab-separated rows as Excel puts them on the clipboard (trailing line break ignored)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.split("\t") for line in lines]


class _CellDelegate(QStyledItemDelegate):
    """Right-aligned line editor; Enter moves down like in Excel (see FiguresView)."""

    def createEditor(  # noqa: N802
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex
    ) -> QWidget:
        editor = QLineEdit(parent)
        editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        editor.setFrame(False)
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:  # noqa: N802
        assert isinstance(editor, QLineEdit)
        model = index.model()
        refused = model.refused_text(index) if isinstance(model, FiguresModel) else None
        if refused is not None:
            editor.setText(refused)  # the refused entry, as typed, for correction
        elif not editor.text():  # keep the key that started the edit (typing replaces)
            editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))


class FiguresView(QTableView):
    """The grid: Ctrl+C / Ctrl+V / Delete act on blocks of cells; Enter commits and moves down."""

    def __init__(self, page: FiguresStep) -> None:
        super().__init__(page)
        self._page = page

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if self.state() != QAbstractItemView.State.EditingState:
            if event.matches(QKeySequence.StandardKey.Copy):
                self._page.copy_selection()
                return
            if event.matches(QKeySequence.StandardKey.Paste):
                self._page.paste_from_clipboard()
                return
            if event.matches(QKeySequence.StandardKey.Delete) or event.key() in (
                Qt.Key.Key_Delete,
                Qt.Key.Key_Backspace,
            ):
                self._page.clear_selection()
                return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._page.fit_names()

    def closeEditor(  # noqa: N802
        self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint
    ) -> None:
        super().closeEditor(editor, hint)
        model = self.model()
        current = self.currentIndex()
        if isinstance(model, FiguresModel) and model.refused is not None:
            if hint == QAbstractItemDelegate.EndEditHint.RevertModelCache:
                model.refused = None  # Escape: the entry is dropped, the cell keeps its value
            elif model.refused_text(current) is not None:
                # The entry was refused: edit it again, as typed, instead of moving on.
                QTimer.singleShot(0, lambda: self._edit_again(current))
                return
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            below = self.model().index(self.currentIndex().row() + 1, self.currentIndex().column())
            if below.isValid():
                self.setCurrentIndex(below)

    def _edit_again(self, index: QModelIndex) -> None:
        if index.isValid() and self.state() != QAbstractItemView.State.EditingState:
            self.setCurrentIndex(index)
            self.edit(index)


class ImportPreviewDialog(FittedDialog):
    """What an import will change, cell by cell; *Importera* applies it, *Avbryt* drops it.
    The file's warnings (values that can be right but should be checked) are listed above the
    changes, each with its sheet, row and column; they never stop the import."""

    warnings_list: QListWidget | None = None

    def _add_warnings(self, layout: QVBoxLayout, preview: ImportPreview) -> None:
        if not preview.warnings:
            return
        n = len(preview.warnings)
        head = QLabel(
            f"<b>{plural(Severity.WARNING, n)}</b> – filen kan importeras, men kontrollera "
            + ("värdet:" if n == 1 else "värdena:")
        )
        head.setWordWrap(True)
        layout.addWidget(head)
        self.warnings_list = QListWidget()
        self.warnings_list.setAccessibleName("Varningar i filen")
        self.warnings_list.setWordWrap(True)
        for w in preview.warnings:
            item = QListWidgetItem(f"{mark(Severity.WARNING)} {w}")
            item.setToolTip(str(w))
            self.warnings_list.addItem(item)
        self.warnings_list.setMaximumHeight(min(160, 28 + 44 * n))
        layout.addWidget(self.warnings_list)

    def __init__(self, preview: ImportPreview, model: FiguresModel, parent: QWidget) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle("Förhandsgranska import")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(780, 540)
        layout = QVBoxLayout(self)
        n = len(preview.changes)
        if n:
            what = "1 värde ändras" if n == 1 else f"{fmt_int(n)} värden ändras"
            text = f"<b>{what}</b> om du importerar filen {preview.source}."
        else:
            text = f"<b>Filen {preview.source} innehåller inga ändringar.</b>"
        same = preview.unchanged
        text += (
            f" {fmt_int(same)} värden i filen är desamma som i redovisningen."
            if same != 1
            else " 1 värde i filen är detsamma som i redovisningen."
        )
        text += " Tomma celler i filen lämnar redovisningens värden orörda."
        self.summary = QLabel(text)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self._add_warnings(layout, preview)

        self.table = QTableWidget(n, 4)
        self.table.setHorizontalHeaderLabels(["SVF", "Uppgift", "Före", "Efter"])
        self.table.setAccessibleName("Ändringar som importen gör")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        bold = QFont()
        bold.setBold(True)
        tpl = model.session.template
        for r, change in enumerate(preview.changes):
            if isinstance(change.cell, tuple):
                svf_id, measure_id, sex_id = change.cell
                svf, measure, sex = tpl.svf(svf_id), tpl.measure(measure_id), tpl.sex(sex_id)
                where = svf.name if svf else svf_id
                label = f"{measure.label} – {sex.label.lower()}" if measure and sex else measure_id
                old = format_value(change.old, measure) if measure else _plain(change.old)
                new = format_value(change.new, measure) if measure else _plain(change.new)
            else:
                where, label = "PREM", PREM_LABELS.get(change.cell, change.cell)
                old, new = _plain(change.old), _plain(change.new)
            items = [
                QTableWidgetItem(where),
                QTableWidgetItem(label),
                QTableWidgetItem(old or "(tom)"),
                QTableWidgetItem(new or "(tom)"),
            ]
            for c, item in enumerate(items):
                if c >= 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if c == 3:
                    item.setFont(bold)
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setVisible(n > 0)
        layout.addWidget(self.table, 1)

        self.buttons = QDialogButtonBox()
        self.import_button: QPushButton | None = None
        if n:
            self.import_button = self.buttons.addButton(
                "Importera", QDialogButtonBox.ButtonRole.AcceptRole
            )
            self.cancel_button = self.buttons.addButton(
                "Avbryt", QDialogButtonBox.ButtonRole.RejectRole
            )
            self.import_button.setDefault(True)
        else:
            self.cancel_button = self.buttons.addButton(
                "Stäng", QDialogButtonBox.ButtonRole.RejectRole
            )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)


def _plain(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int | float):
        return fmt_int(value) if float(value).is_integer() else fmt_num(float(value))
    return str(value)


class FiguresStep(StepPage):
    """The figures of every SVF and sex, editable, with import, template and copy/paste."""

    def __init__(self, session: ReportSession, step: Step, parent: QWidget | None = None) -> None:
        super().__init__(session, step, parent)
        self.setStyleSheet(STYLE)
        self.setAcceptDrops(True)
        self.model = FiguresModel(session, self)
        self.model.ask_reason = self.ask_reason
        self.preview_dialog: ImportPreviewDialog | None = None
        self._import_worker: Worker | None = None
        self._template_worker: Worker | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)

        self.add_heading(layout)
        self._build_toolbar(layout)
        self._build_progress_panel(layout)
        self._build_error_panel(layout)
        self._build_message_box(layout)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        summary_row = QHBoxLayout()
        summary_row.addWidget(self.summary, 1)
        self.compact_toggle = self._compact_toggle()
        summary_row.addWidget(self.compact_legend)
        summary_row.addWidget(self.compact_toggle, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(summary_row)
        self._build_grid(layout)

        session.failed.connect(self._edit_refused)
        self.model.input_refused.connect(lambda text: self.show_message(text, error=True))
        self._show_summary()

    def ask_reason(self, lines: list[str], extract: str) -> str | None:
        """Why values of the RCC's extract are changed (issue 15): the reason dialog."""
        from desktop_app.ui.reason_dialog import ask_reason

        return ask_reason(self, lines, extract)

    # ------------------------------------------------------------------ building
    def _build_toolbar(self, layout: QVBoxLayout) -> None:
        bar = QHBoxLayout()
        self.import_button = QPushButton("&Importera från Excel…")
        self.import_button.setToolTip(
            "Läs in siffrorna från en ifylld Excel-mall eller CSV-fil. Du ser vad som ändras "
            "innan något sparas."
        )
        self.import_button.clicked.connect(self.choose_import_file)
        self.template_button = QPushButton("&Hämta Excel-mall…")
        self.template_button.setToolTip(
            "Spara en Excel-arbetsbok för regionen och året, ifylld med siffrorna som redan "
            "finns här, att fylla i och importera."
        )
        self.template_button.clicked.connect(self.choose_template_file)
        bar.addWidget(self.import_button)
        bar.addWidget(self.template_button)
        bar.addWidget(self._patient_list_buttons())
        bar.addSpacing(12)
        self.drop_hint = QLabel("eller dra en Excel- eller CSV-fil hit")
        self.drop_hint.setObjectName("dropHint")
        # Wraps rather than making the page (and the window) wider than a laptop's screen.
        self.drop_hint.setWordWrap(True)
        bar.addWidget(self.drop_hint, 1)
        layout.addLayout(bar)

    def _patient_list_buttons(self) -> QWidget:
        """Issue 16: figures from a patient-level list, and its longest waits (ui.patients_*)."""
        from desktop_app.ui.patients_import import patient_list_buttons

        box, self.patient_list = patient_list_buttons(self.session, self, self.show_message)
        return box

    def _build_progress_panel(self, layout: QVBoxLayout) -> None:
        # Import in progress: busy bar and Avbryt (the file is read in a worker thread).
        self.progress_panel = QFrame()
        self.progress_panel.setObjectName("progressPanel")
        row = QHBoxLayout(self.progress_panel)
        row.setContentsMargins(8, 4, 8, 4)
        self.progress_label = QLabel()
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 0)
        self.progress_bar.setMaximumWidth(240)
        self.progress_bar.setAccessibleName("Importen pågår")
        self.cancel_button = QPushButton("Avbryt")
        self.cancel_button.setAccessibleName("Avbryt importen")
        self.cancel_button.clicked.connect(self.cancel_import)
        row.addWidget(self.progress_label, 1)
        row.addWidget(self.progress_bar)
        row.addWidget(self.cancel_button)
        self.progress_panel.hide()
        layout.addWidget(self.progress_panel)

    def _build_error_panel(self, layout: QVBoxLayout) -> None:
        # A refused file: every problem with sheet, row and column.
        self.error_panel = QFrame()
        self.error_panel.setObjectName("errorPanel")
        box = QVBoxLayout(self.error_panel)
        box.setContentsMargins(10, 8, 10, 8)
        head = QHBoxLayout()
        self.error_title = QLabel()
        self.error_title.setWordWrap(True)
        self.error_title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.error_title.font()
        font.setBold(True)
        self.error_title.setFont(font)
        close = QPushButton("Stäng")
        close.setAccessibleName("Stäng felmeddelandet")
        close.clicked.connect(self.error_panel.hide)
        head.addWidget(self.error_title, 1)
        head.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        box.addLayout(head)
        self.error_list = QListWidget()
        self.error_list.setAccessibleName("Fel i filen")
        self.error_list.setWordWrap(True)
        box.addWidget(self.error_list)
        self.error_panel.hide()
        layout.addWidget(self.error_panel)

    def _build_message_box(self, layout: QVBoxLayout) -> None:
        # Outcome of the last action: an import done, an edit or paste refused.
        self.message_box = QFrame()
        self.message_box.setObjectName("messageBox")
        message_row = QHBoxLayout(self.message_box)
        message_row.setContentsMargins(10, 6, 6, 6)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        message_close = QPushButton("Stäng")
        message_close.setAccessibleName("Stäng meddelandet")
        message_close.clicked.connect(self.hide_message)
        message_row.addWidget(self.message, 1)
        message_row.addWidget(message_close, 0, Qt.AlignmentFlag.AlignTop)
        self.message_box.hide()
        layout.addWidget(self.message_box)

    def _build_grid(self, layout: QVBoxLayout) -> None:
        self.view = FiguresView(self)
        # Two levels: each measure over its sex columns. The SVF names are the vertical
        # header, so they stay in view when the grid scrolls sideways.
        self.view.setHorizontalHeader(GroupedHeader(self.view))
        self.view.setObjectName("figuresGrid")
        self.view.setModel(self.model)
        self.view.setItemDelegate(_CellDelegate(self.view))
        self.view.setAccessibleName("SVF-statistik per SVF och kön")
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.setWordWrap(False)
        self.view.setCornerButtonEnabled(True)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        hh = self.view.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        hh.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        vh = self.view.verticalHeader()
        vh.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(24)
        vh.setTextElideMode(Qt.TextElideMode.ElideRight)  # the full name is the tooltip
        self.view.setAlternatingRowColors(True)
        layout.addWidget(self.view, 1)
        self.set_compact(bool(QSettings().value(COMPACT_KEY, False, type=bool)))

    # ------------------------------------------------------------------ compact view
    def _compact_toggle(self) -> QPushButton:
        button = QPushButton("Kompakt vy")
        button.setCheckable(True)
        button.setAccessibleName("Kompakt vy: alla mått för ett SVF utan att rulla i sidled")
        button.setToolTip(
            "Visar alla mått för ett SVF utan att rulla i sidled på en bärbar dator: döljer de "
            "uträknade kolumnerna (andelarna totalt står ovanför tabellen, per SVF i den vanliga "
            "vyn) och "
            f"förkortar rubrikerna ({self.model.compact_legend()}). Valet sparas."
        )
        button.toggled.connect(self.set_compact)
        self.compact_legend = QLabel(self.model.compact_legend())
        self.compact_legend.setObjectName("dropHint")
        return button

    def set_compact(self, on: bool) -> None:
        """The compact view (remembered): the computed columns hidden, short sex labels under
        each measure and columns as narrow as their numbers, so that every measure of a row is
        in view at 1366 px; the normal view shows everything with full labels."""
        self.model.compact = on
        if self.compact_toggle.isChecked() != on:
            self.compact_toggle.setChecked(on)
        self.compact_legend.setVisible(on)
        QSettings().setValue(COMPACT_KEY, on)
        hh = self.view.horizontalHeader()
        if isinstance(hh, GroupedHeader):
            hh.group_lines = 2 if on else 1
        for c, column in enumerate(self.model.columns):
            hh.setSectionHidden(c, on and column.computed)
        self._fit_columns()
        hh.updateGeometry()
        hh.viewport().update()

    def _fit_columns(self) -> None:
        """Each column as wide as its widest text (header or value), at least room for a
        number of a usual size."""
        fm = self.view.fontMetrics()
        hh = self.view.horizontalHeader()
        m = self.model
        pad = CELL_PADDING_COMPACT if m.compact else CELL_PADDING
        least = fm.horizontalAdvance("9 999" if m.compact else "12 345") + pad
        for c, column in enumerate(m.columns):
            texts = [str(m.index(r, c).data() or "") for r in range(m.rowCount())]
            if column.computed or not isinstance(hh, GroupedHeader):
                texts += column.header.split("\n")
            else:
                texts.append(m.header_sub(c))
            hh.resizeSection(c, max(least, *(fm.horizontalAdvance(t) + pad for t in texts)))
        self.fit_names()

    def fit_names(self) -> None:
        """The SVF names as wide as the normal view allows; in the compact view as wide as the
        room the columns leave (between NAME_WIDTH_MIN and NAME_WIDTH), so that no row needs
        scrolling sideways. Longer names are elided, the full name is the tooltip."""
        if not hasattr(self, "view"):
            return  # resized while the grid is being built
        if not self.model.compact:
            self.view.verticalHeader().setMaximumWidth(NAME_WIDTH)
            return
        hh, view = self.view.horizontalHeader(), self.view
        columns = sum(hh.sectionSize(c) for c in range(hh.count()) if not hh.isSectionHidden(c))
        bar = view.verticalScrollBar().sizeHint().width()
        room = view.width() - 2 * view.frameWidth() - bar - columns - 4
        view.verticalHeader().setMaximumWidth(max(NAME_WIDTH_MIN, min(room, NAME_WIDTH)))

    # ------------------------------------------------------------------ refresh
    def refresh(self, changes: Changes) -> None:
        if changes.figures:
            self._show_summary()
            self._fit_columns()
            if self.message_box.property("kind") == "error":
                self.hide_message()  # an edit went through; the old complaint is stale

    def _show_summary(self) -> None:
        tpl = self.session.template
        fig = self.session.report.figures
        inc = inclusion(fig, tpl)
        lead = lead_time_fulfilment(fig, tpl)
        parts = [
            f"<b>Inklusion totalt {fmt_pct(inc.rate)}</b> "
            f"({fmt_int(inc.numerator)} av {fmt_int(inc.denominator)}, "
            f"mål {fmt_num(tpl.inclusion_percent, 0)} %)",
            f"Inom ledtid {fmt_pct(lead.rate)} (mål {fmt_num(tpl.lead_time_percent, 0)} %)",
        ]
        findings = [f for f in self.session.result.findings if f.location.step == self.step.id]
        errors = sum(1 for f in findings if f.severity == ERROR and f.rule != MISSING_RULE)
        warnings = sum(1 for f in findings if f.severity == WARNING)
        missing = sum(1 for f in findings if f.rule == MISSING_RULE)
        checks = []
        if errors:
            text = plural(Severity.ERROR, errors)
            checks.append(f"<span style='color:#a3101d'><b>{text}</b></span>")
        if warnings:
            text = plural(Severity.WARNING, warnings)
            checks.append(f"<span style='color:#7a5200'><b>{text}</b></span>")
        if missing:
            checks.append(f"{fmt_int(missing)} värden saknas")
        changed = sum(1 for c in self.model.sources if self.model.changed_from_extract(c))
        if changed:  # issue 15: the cells marked in the grid, with the colour as legend
            n = "1 värde ändrat" if changed == 1 else f"{fmt_int(changed)} värden ändrade"
            checks.append(
                f"<span style='background:{COLOUR_CHANGED.name()}'>&nbsp;{n} från RCC:s "
                "datauttag&nbsp;</span>"
            )
        if not checks:
            checks.append("<span style='color:#17451f'>inga fel</span>")
        self.summary.setText(
            " &nbsp;·&nbsp; ".join(parts)
            + " &nbsp;·&nbsp; "
            + ", ".join(checks)
            + " <span style='color:#666'>(håll muspekaren över en markerad cell)</span>"
        )

    def set_read_only(self, locked: bool) -> None:
        super().set_read_only(locked)
        self.model.set_read_only(locked)
        self.setAcceptDrops(not locked)

    def editing_buttons(self) -> list[QAbstractButton]:
        from desktop_app.ui.patients_import import COMPUTE_BUTTON

        compute = self.findChild(QPushButton, COMPUTE_BUTTON)
        return [self.import_button, *([compute] if compute is not None else [])]

    def _locked(self) -> bool:
        self.session.notice.emit(
            "Redovisningen är låst och kan inte ändras. Välj Lås upp… i rutan överst för att "
            "göra en ny version."
        )
        return False

    def _edit_refused(self, text: str) -> None:
        if self.isVisible():
            self.show_message(text, error=True)

    def show_message(self, text: str, error: bool = False) -> None:
        """A Swedish message above the grid (the last one replaces the one before)."""
        box = self.message_box
        box.setProperty("kind", "error" if error else "info")
        for widget in (box, self.message):
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        self.message.setText(text)
        box.show()

    def hide_message(self) -> None:
        self.message_box.hide()
        self.message_box.setProperty("kind", None)

    # ------------------------------------------------------------------ navigation
    def focus_location(self, location: Location) -> None:
        if location.svf is None:
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        row = self.model.row_for(location.svf)
        if row is None:
            return
        svf = self.model.svfs[row]
        col = None
        if location.measure is not None:
            sexes = [location.sex] if location.sex else list(svf.sexes)
            for sex in sexes:
                col = self.model.column_for(location.measure, sex)
                if col is not None:
                    break
        if col is None:
            col = next(
                (
                    c
                    for c in range(self.model.columnCount())
                    if self.model.is_editable(self.model.index(row, c))
                ),
                0,
            )
        index = self.model.index(row, col)
        self.view.setCurrentIndex(index)
        self.view.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------------ copy / paste
    def _selected_block(self) -> tuple[int, int, int, int] | None:
        indexes = self.view.selectionModel().selectedIndexes()
        if not indexes:
            current = self.view.currentIndex()
            if not current.isValid():
                return None
            indexes = [current]
        rows = [i.row() for i in indexes]
        cols = [i.column() for i in indexes]
        return min(rows), min(cols), max(rows), max(cols)

    def selection_text(self) -> str:
        """The selected block as tab-separated text: plain numbers ('1234', '12,5') that Excel
        reads as numbers; cells inside the block that are not selected stay empty."""
        block = self._selected_block()
        if block is None:
            return ""
        top, left, bottom, right = block
        selected = {(i.row(), i.column()) for i in self.view.selectionModel().selectedIndexes()}
        if not selected:
            selected = {(top, left)}
        lines = []
        for r in range(top, bottom + 1):
            cells = []
            for c in range(left, right + 1):
                text = ""
                if (r, c) in selected:
                    text = self.model.index(r, c).data(Qt.ItemDataRole.EditRole) or ""
                cells.append(str(text))
            lines.append("\t".join(cells))
        return "\n".join(lines)

    def copy_selection(self) -> None:
        text = self.selection_text()
        if text or self._selected_block() is not None:
            QGuiApplication.clipboard().setText(text)

    def paste_from_clipboard(self) -> bool:
        return self.paste_text(QGuiApplication.clipboard().text())

    def paste_text(self, text: str) -> bool:
        """Paste a block (from Excel or this grid) at the selection's top-left cell, as one undo
        step. A single value fills every selected cell. Any invalid value refuses the whole
        paste with a message naming each cell; nothing changes."""
        if self.read_only:
            return self._locked()
        block = split_clipboard(text)
        anchor = self._selected_block()
        if not block or anchor is None:
            return False
        top, left, _bottom, _right = anchor
        targets: list[tuple[QModelIndex, str]] = []
        if len(block) == 1 and len(block[0]) == 1:
            selected = self.view.selectionModel().selectedIndexes() or [self.view.currentIndex()]
            targets = [(i, block[0][0]) for i in selected]
        else:
            rows, cols = len(block), max(len(r) for r in block)
            if top + rows > self.model.totals_row or left + cols > self.model.columnCount():
                self._refuse_paste(
                    [
                        f"Blocket ({rows} rader × {cols} kolumner) får inte plats från "
                        f"{self.model.where(self.model.index(top, left))}."
                    ]
                )
                return False
            for r, line in enumerate(block):
                for c, value in enumerate(line):
                    targets.append((self.model.index(top + r, left + c), value))
        values: dict[Cell, Number | None] = {}
        problems: list[str] = []
        for index, raw in targets:
            if not self.model.is_editable(index):
                if raw.strip() and raw.strip() != "–":
                    problems.append(f"{self.model.where(index)}: cellen kan inte ändras.")
                continue
            cell = self.model.cell_at(index)
            assert cell is not None
            measure = self.model.columns[index.column()].measure
            assert measure is not None
            try:
                values[cell] = self.model.parse(raw, measure)
            except InputError as exc:
                problems.append(f"{self.model.where(index)}: {exc}")
        if problems:
            self._refuse_paste(problems)
            return False
        if not values:
            return False
        n = len(values)
        return self.model.set_cells(
            values, f"Klistra in {fmt_int(n)} värden" if n > 1 else "Klistra in ett värde"
        )

    def _refuse_paste(self, problems: list[str]) -> None:
        shown = problems[:MAX_LISTED_PASTE_ERRORS]
        more = len(problems) - len(shown)
        lines = "\n".join(f"  – {p}" for p in shown)
        if more:
            lines += f"\n  … och {fmt_int(more)} till"
        text = f"Inget klistrades in. Rätta värdena och försök igen:\n{lines}"
        self.show_message(text, error=True)  # above the grid, and the first line in the status bar
        self.session.notice.emit(text.splitlines()[0] + " " + text.splitlines()[1].strip("– "))

    def clear_selection(self) -> bool:
        """Empty the selected editable cells (Delete), as one undo step."""
        if self.read_only:
            return self._locked()
        values: dict[Cell, Number | None] = {}
        for index in self.view.selectionModel().selectedIndexes():
            cell = self.model.cell_at(index)
            if (
                cell is not None
                and self.model.is_editable(index)
                and self.session.report.figures.get(*cell) is not None
            ):
                values[cell] = None
        if not values:
            return False
        return self.model.set_cells(values, f"Töm {fmt_int(len(values))} celler")

    def _context_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        copy = QAction("Kopiera\tCtrl+C", menu)
        copy.triggered.connect(self.copy_selection)
        paste = QAction("Klistra in\tCtrl+V", menu)
        paste.triggered.connect(self.paste_from_clipboard)
        clear = QAction("Töm cellerna\tDelete", menu)
        clear.triggered.connect(self.clear_selection)
        for action in (copy, paste, clear):
            menu.addAction(action)
        from desktop_app.ui.history_view import add_cell_history_action  # issue 15 hook

        cell = self.model.cell_at(self.view.indexAt(pos))
        add_cell_history_action(menu, self.session, cell, self)
        menu.popup(self.view.viewport().mapToGlobal(pos))

    # ------------------------------------------------------------------ import
    def ask_import_path(self) -> Path | None:
        """The file chooser (tests replace this method)."""
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Importera från Excel",
            str(last_folder("excel")),
            "Excel- eller CSV-fil (*.xlsx *.xlsm *.csv *.txt);;Alla filer (*)",
        )
        if not name:
            return None
        remember_folder("excel", Path(name))
        return Path(name)

    def choose_import_file(self) -> None:
        path = self.ask_import_path()
        if path is not None:
            self.import_file(path)

    @property
    def importing(self) -> bool:
        return self._import_worker is not None

    def import_file(self, path: Path) -> None:
        """Read and check ``path`` in a worker thread, then show what would change."""
        if self._import_worker is not None:
            return
        self.error_panel.hide()
        self.hide_message()
        self.progress_label.setText(f"Läser och kontrollerar {Path(path).name} …")
        self.progress_panel.show()
        self._set_busy(True)
        worker = Worker(
            imports.preview_import, self.session.ctx, self.session.report_id, Path(path)
        )
        worker.signals.result.connect(self._preview_ready)
        worker.signals.error.connect(self._import_failed)
        worker.signals.finished.connect(self._import_finished)
        self._import_worker = worker
        worker.start(db_pool())

    def cancel_import(self) -> None:
        """Stop waiting for the file; whatever the reader finds later is thrown away."""
        worker = self._import_worker
        if worker is None:
            return
        worker.cancel()
        self._import_worker = None
        self.progress_panel.hide()
        self._set_busy(False)
        self.show_message("Importen avbröts. Inget har ändrats.")

    def _is_current(self) -> bool:
        worker = self._import_worker
        return worker is not None and self.sender() is worker.signals

    def _import_finished(self) -> None:
        if self._is_current():
            self._import_worker = None
            self.progress_panel.hide()
            self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        self.import_button.setEnabled(not busy)
        self.template_button.setEnabled(not busy)

    def _preview_ready(self, preview: ImportPreview) -> None:
        if not self._is_current():
            return
        dialog = ImportPreviewDialog(preview, self.model, self)
        dialog.accepted.connect(self._apply_preview)
        self.preview_dialog = dialog
        dialog.open()

    def _apply_preview(self) -> None:
        dialog = self.preview_dialog
        if dialog is None:
            return
        preview = dialog.preview
        if not preview.changes:
            return
        if preview.needs_reason:  # the file changes values of the RCC's extract (issue 15)
            from dataclasses import replace

            from desktop_app.services.reports import cell_label, fmt_value

            tpl = self.session.template
            lines = [
                f"{cell_label(tpl, c)}: {fmt_value(old)} → {fmt_value(new)}"
                for c, (old, new) in preview.needs_reason.items()
            ]
            reason = self.ask_reason(lines, preview.extract_text)
            if reason is None:
                self.show_message(
                    f"Inget importerades från {preview.source}: värden från "
                    f"{preview.extract_text} ändras bara med en motivering."
                )
                return
            preview = replace(preview, reason=reason)
        if self.session.apply_import(preview):
            n = len(preview.changes)
            what = "1 värde" if n == 1 else f"{fmt_int(n)} värden"
            self.show_message(
                f"Importerade {what} från {preview.source}. Ångra med Ctrl+Z om det blev fel."
            )

    def _import_failed(self, exc: object) -> None:
        if not self._is_current():
            return
        if isinstance(exc, ImportFileError):
            self.show_import_error(str(exc).split("\n", 1)[0], [str(p) for p in exc.problems])
        elif isinstance(exc, UserError):
            self.show_import_error(str(exc), [])
        else:
            self.show_import_error(
                f"Filen kunde inte importeras på grund av ett oväntat fel ({exc!r}). "
                "Inget har ändrats.",
                [],
            )

    def show_import_error(self, title: str, problems: list[str]) -> None:
        self.error_title.setText(title)
        self.error_list.clear()
        self.error_list.addItems(problems)
        self.error_list.setVisible(bool(problems))
        # As tall as the problems need, up to about eight lines; more scroll.
        rows = sum(self.error_list.sizeHintForRow(i) for i in range(min(len(problems), 8)))
        self.error_list.setFixedHeight(rows + 2 * self.error_list.frameWidth() + 8)
        self.error_panel.show()

    # ------------------------------------------------------------------ template
    def ask_template_path(self) -> Path | None:
        """The save-file chooser (tests replace this method)."""
        region = load_reference().region(self.session.report.region_code)
        suggested = str(
            last_folder("excel") / f"SVF-underlag {region.name} {self.session.report.year}.xlsx"
        )
        name, _ = QFileDialog.getSaveFileName(
            self, "Hämta Excel-mall", suggested, "Excel-arbetsbok (*.xlsx)"
        )  # the dialog asks before it replaces a file
        if not name:
            return None
        path = Path(name)
        remember_folder("excel", path)
        return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")

    def choose_template_file(self) -> None:
        path = self.ask_template_path()
        if path is not None:
            self.save_template(path)

    def save_template(self, path: Path) -> None:
        """Write the import workbook for this region and year, prefilled with the report."""
        if self._template_worker is not None:
            return
        report = self.session.report
        self._set_busy(True)
        worker = Worker(
            imports.write_template,
            self.session.ctx,
            report.region_code,
            report.year,
            Path(path),
            self.session.report_id,
        )
        worker.signals.result.connect(self._template_saved)
        worker.signals.error.connect(self._template_failed)
        worker.signals.finished.connect(self._template_finished)
        self._template_worker = worker
        worker.start(db_pool())

    def _template_saved(self, path: Path) -> None:
        self.show_message(
            f"Excel-mallen sparades som {path}. Fyll i den och importera den sedan här."
        )

    def _template_failed(self, exc: object) -> None:
        text = failure_text(exc, "Mallen kunde inte sparas")
        self.show_message(text, error=True)

    def _template_finished(self) -> None:
        self._template_worker = None
        self._set_busy(self._import_worker is not None)

    # ------------------------------------------------------------------ drag and drop
    @staticmethod
    def _dropped_file(event: QDropEvent) -> Path | None:
        mime = event.mimeData()
        if not mime.hasUrls():
            return None
        files = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
        if len(files) != 1 or Path(files[0]).suffix.lower() not in IMPORT_SUFFIXES:
            return None
        return Path(files[0])

    def _set_dropping(self, on: bool) -> None:
        self.view.setProperty("dropping", on)
        self.view.style().unpolish(self.view)
        self.view.style().polish(self.view)
        self.drop_hint.setText(
            "Släpp filen för att importera den" if on else "eller dra en Excel- eller CSV-fil hit"
        )

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if self._dropped_file(event) is not None and not self.importing:
            event.acceptProposedAction()
            self._set_dropping(True)
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        if self._dropped_file(event) is not None and not self.importing:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # noqa: N802
        self._set_dropping(False)
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        self._set_dropping(False)
        path = self._dropped_file(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.import_file(path)
