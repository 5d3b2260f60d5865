"""The SVF figures of the open report as an editable table.

One row per SVF of the template and a bold totals row; first two read-only computed columns,
inclusion and within-lead-time per SVF for both sexes, then one column per measure and sex in the
same order as the import workbook (so a block copied from the workbook pastes straight in). Every
rate comes from the domain (Σ numerator / Σ denominator); the model never divides.

The SVF names are the vertical header, so they stay in view when the grid scrolls sideways."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from desktop_app.domain.errors import UserError
from desktop_app.domain.figures import Cell, Number
from desktop_app.domain.findings import Finding
from desktop_app.domain.fmt import fmt_int, fmt_num, fmt_pct
from desktop_app.domain.indicators import (
    INCLUSION,
    LEAD_TIME,
    OVER_LONG_WAIT,
    WITHIN_LEAD_TIME,
    IndicatorTable,
    RateColumn,
)
from desktop_app.domain.provenance import Provenance
from desktop_app.domain.template import Measure, Sex, Svf
from desktop_app.domain.vocabulary import LeadTimeStatus, Severity, colours
from desktop_app.services import reports
from desktop_app.services.reports import Changes, check_figure_value
from desktop_app.ui.session import ReportSession

Index = QModelIndex | QPersistentModelIndex
Role = Qt.ItemDataRole

# Column headers must fit ~90 px; the template's full label is the tooltip. A measure missing
# here (a new template year, or the long-wait measure whose label names the template's
# threshold) shows its label broken after the first word.
SHORT_LABELS = {
    "expected": "Beräknings-\nunderlag",
    "investigated": "Utredda\ni SVF",
    "included": "Inkluderade",
    "within_lead_time": "Inom\nledtid",
    "median_days": "Median\n(dagar)",
}

# A cell whose value the region changed from the RCC's extract (issue 15): its background, and
# the data role a delegate can read to draw a corner mark.
COLOUR_CHANGED = QColor("#e9e1fb")
CHANGED_ROLE = Qt.ItemDataRole.UserRole + 15

# The computed rates shown in the grid, next to the SVF names.
GRID_RATES = (INCLUSION, LEAD_TIME)

# The measures counted against the SVF's lead times: their cells' tooltips show them.
LEAD_TIME_MEASURES = (WITHIN_LEAD_TIME, OVER_LONG_WAIT)


def two_lines(label: str, unit: str = "") -> str:
    """A header on two lines: ``Inom ledtid`` + ``%`` -> ``Inom\nledtid %``,
    ``Inklusion`` + ``%`` -> ``Inklusion\n%``."""
    first, _, rest = label.partition(" ")
    if not rest:
        return f"{first}\n{unit}" if unit else first
    return f"{first}\n{rest} {unit}".rstrip()


COLOUR_ERROR = QColor("#f6c9cc")
COLOUR_WARNING = QColor("#ffe8a3")
COLOUR_MISSING = QColor("#fcefef")  # a required value not yet entered: a hint, not an alarm
COLOUR_NOT_APPLICABLE = QColor("#e4e6ea")
COLOUR_COMPUTED = QColor("#eef3f9")
COLOUR_TOTALS = QColor("#f2f3f5")
TEXT_NOT_APPLICABLE = QColor("#8a8f98")
TEXT_COMPUTED = QColor("#1f3b5c")
# Lead times not confirmed: the vocabulary's caution tone.
TEXT_UNCONFIRMED, COLOUR_UNCONFIRMED = (QColor(c) for c in colours(LeadTimeStatus.UNCONFIRMED))

MISSING_RULE = "missing_value"


class InputError(ValueError):
    """A typed value that is not a number; the message is Swedish and ready to show."""


def parse_number(text: str, measure: Measure) -> Number | None:
    """Swedish input as a user types it: '1 234', '12', '12,5' (days); '' clears (None).

    Raises InputError for anything that is not a number. Range and whole-number checks are the
    service's (so the message is the same as for an import)."""
    cleaned = text.strip()
    for space in (" ", "\u00a0", "\u202f", "\u2009"):
        cleaned = cleaned.replace(space, "")
    if not cleaned:
        return None
    cleaned = cleaned.replace("−", "-").replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise InputError(f"”{text.strip()}” är inte ett tal.") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InputError(f"”{text.strip()}” är inte ett tal.")
    if value.is_integer():
        return int(value)
    return value


def format_value(value: Number | None, measure: Measure, edit: bool = False) -> str:
    """'1 234' for display, '1234' for editing and copying; days with a decimal comma."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value)) if edit else fmt_int(value)
    text = fmt_num(float(value), 2).rstrip("0").rstrip(",")
    return text.replace(" ", "") if edit else text


@dataclass(frozen=True)
class Column:
    """A column of the grid: a stored measure for one sex, or a computed rate."""

    header: str
    tooltip: str
    measure: Measure | None = None
    sex: Sex | None = None
    rate: RateColumn | None = None  # a column of the indicator table
    rate_text: str = ""  # "inkluderade av beräkningsunderlaget"
    lead_times: bool = False  # the SVF's lead times of the period (read-only)
    group: str = ""  # the measure's label over its sex columns (two lines where it breaks)

    @property
    def computed(self) -> bool:
        """A read-only column the domain fills: a rate, or the SVF's lead times."""
        return self.rate is not None or self.lead_times


class FiguresModel(QAbstractTableModel):
    """Rows: the template's SVFs, then the totals row. Edits go through ``session``."""

    input_refused = Signal(str)  # a Swedish message naming the cell: a typed entry refused

    def __init__(self, session: ReportSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        tpl = session.template
        self.svfs: tuple[Svf, ...] = tpl.svfs
        # The computed rates come first, next to the names: they stay in view on a narrow
        # screen and show at once what an edit does.
        self._table: IndicatorTable | None = None
        both = " och ".join(x.label.lower() for x in tpl.sexes).capitalize()
        self.columns: list[Column] = []
        for rate in (self.table.column(r) for r in GRID_RATES):
            self.columns.append(
                Column(
                    header=two_lines(rate.label, "%"),
                    tooltip=f"{rate.definition} {both} sammantaget. Räknas fram, kan inte ändras.",
                    rate=rate,
                    rate_text=rate.of,
                )
            )
        self.columns.append(
            Column(
                header="Ledtid\n(dagar)",
                tooltip=(
                    f"SVF:ets ledtider {tpl.period_label}, kortaste–längsta. "
                    "? = inte bekräftade. Håll muspekaren över en cell för varje "
                    f"behandlingstyp, giltighet och gräns för lång väntan. {self.table.lead_time_note}"
                ),
                lead_times=True,
            )
        )
        for m in tpl.measures:
            for x in self.table.columns_of(self.table.measure(m.id)):
                full = f"{m.label} – {x.label.lower()}"
                short = SHORT_LABELS.get(m.id) or two_lines(m.label)
                tip = f"{full}\n{m.help}" if m.help else full
                if x.id == tpl.total_id:
                    tip += (
                        f"\nFinns siffran inte per kön: ange den här, {x.label.lower()} för "
                        "SVF:et, och lämna kolumnerna per kön tomma. Anger du båda måste "
                        "de stämma."
                    )
                self.columns.append(
                    Column(
                        header=f"{short}\n{x.label.lower()}",
                        tooltip=tip,
                        measure=m,
                        sex=x,
                        group=short,
                    )
                )
        self._findings: dict[Cell, list[Finding]] = {}
        self._index_findings()
        self._sources: dict[Cell, Provenance] | None = None
        session.changed.connect(self.refresh)

    # Issue 15: asks why values of the RCC's extract are changed (the step sets it to the
    # reason dialog); gets the changes as lines and the extract's name, returns the reason or
    # None (cancel: the cells keep their values). Unset, such a change is refused.
    ask_reason: Callable[[list[str], str], str | None] | None = None

    @property
    def sources(self) -> dict[Cell, Provenance]:
        """Where each cell's value came from (read once per change of the figures)."""
        if self._sources is None:
            self._sources = reports.figure_provenance(self.session.ctx, self.session.report_id)
        return self._sources

    def changed_from_extract(self, cell: Cell) -> Provenance | None:
        """The cell's provenance if its value differs from the RCC's extract."""
        p = self.sources.get(cell)
        return p if p is not None and p.deviates(self.session.report.figures.get(*cell)) else None

    # ---------------------------------------------------------------- lookup
    @property
    def table(self) -> IndicatorTable:
        """The indicator table of the session's figures, built once per change."""
        if self._table is None:
            self._table = IndicatorTable.build(self.session.report.figures, self.session.template)
        return self._table

    @property
    def totals_row(self) -> int:
        return len(self.svfs)

    def row_for(self, svf_id: str) -> int | None:
        return next((i for i, s in enumerate(self.svfs) if s.id == svf_id), None)

    def column_for(self, measure: str, sex: str) -> int | None:
        return next(
            (
                i
                for i, c in enumerate(self.columns)
                if c.measure is not None and c.measure.id == measure and c.sex is not None
                if c.sex.id == sex
            ),
            None,
        )

    def column_label(self, column: int) -> str:
        """The full Swedish label of a column: 'Beräkningsunderlag – kvinnor'."""
        c = self.columns[column]
        if c.measure is not None and c.sex is not None:
            return f"{c.measure.label} – {c.sex.label.lower()}"
        return c.header.replace("\n", " ")

    def cell_at(self, index: Index) -> Cell | None:
        """The (svf, measure, sex) of a stored-value cell; None for totals and computed cells."""
        if not index.isValid() or index.row() >= len(self.svfs):
            return None
        c = self.columns[index.column()]
        if c.measure is None or c.sex is None:
            return None
        return (self.svfs[index.row()].id, c.measure.id, c.sex.id)

    # The compact view's short sex labels under the measure ("K", "M", "T"); the full label is
    # the header's tooltip and accessible text.
    compact = False

    def header_group(self, section: int) -> tuple[str, str, str] | None:
        """(measure id, label, label on two lines) of a stored-value column, for the
        two-level header; None for a computed column."""
        c = self.columns[section]
        if c.measure is None:
            return None
        return (c.measure.id, c.measure.label, c.group)

    def header_sub(self, section: int) -> str:
        """The sex under the measure: 'kvinnor', or 'K' in the compact view."""
        c = self.columns[section]
        if c.sex is None:
            return ""
        return c.sex.label[:1].upper() if self.compact else c.sex.label.lower()

    def compact_legend(self) -> str:
        """'K = kvinnor, M = män, T = totalt': the compact view's short labels."""
        sexes = dict.fromkeys(c.sex for c in self.columns if c.sex is not None)
        return ", ".join(f"{x.label[:1].upper()} = {x.label.lower()}" for x in sexes if x)

    read_only = False  # the report is locked: every cell can be read and copied, none changed

    def set_read_only(self, locked: bool) -> None:
        if locked != self.read_only:
            self.read_only = locked
            self.dataChanged.emit(
                self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1)
            )

    def is_editable(self, index: Index) -> bool:
        if self.read_only:
            return False
        cell = self.cell_at(index)
        if cell is None:
            return False
        return self.session.template.cell_applies(self.svfs[index.row()], cell[1], cell[2])

    def where(self, index: Index) -> str:
        """'Lungcancer, Inkluderade – kvinnor' for messages."""
        if index.row() >= len(self.svfs):
            return f"Totalt, {self.column_label(index.column())}"
        return f"{self.svfs[index.row()].name}, {self.column_label(index.column())}"

    # ---------------------------------------------------------------- Qt model API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.svfs) + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Role.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal:
            c = self.columns[section]
            if role == Role.DisplayRole:
                return c.header
            if role == Role.ToolTipRole:
                return c.tooltip
            if role == Role.AccessibleTextRole:
                return self.column_label(section)
            return None
        totals = section == self.totals_row
        if role in (Role.DisplayRole, Role.AccessibleTextRole):
            return "Totalt" if totals else self.svfs[section].name
        if role == Role.FontRole and totals:
            font = QFont()
            font.setBold(True)
            return font
        if role == Role.ToolTipRole:
            if totals:
                return "Summor för alla SVF. Inklusionen gäller de SVF som räknas in i inklusionsmålet."
            svf = self.svfs[section]
            tpl = self.session.template
            text = f"{svf.name} (infört {svf.introduced_year})"
            if svf.introduced_year >= tpl.inclusion_introduced_before:
                text += f"\nRäknas inte in i inklusionsmålet (bara SVF införda före {tpl.inclusion_introduced_before})."
            if len(svf.sexes) < len(tpl.sexes):
                labels = {x.id: x.label.lower() for x in tpl.sexes}
                only = " och ".join(labels.get(s, s) for s in svf.sexes)
                text += f"\nGäller bara {only}."
            return f"{text}\n{self.lead_time_text(section)}"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if self.is_editable(index) else base

    def data(self, index: Index, role: int = Role.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        column = self.columns[col]
        if role == Role.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if row == self.totals_row:
            return self._totals_data(column, role)
        svf = self.svfs[row]
        if column.lead_times:
            return self._lead_time_data(row, role)
        if column.computed:
            return self._rate_data(column, svf, role)
        assert column.measure is not None and column.sex is not None
        measure, sex = column.measure, column.sex
        if not self.session.template.cell_applies(svf, measure.id, sex.id):
            if role == Role.BackgroundRole:
                return QBrush(COLOUR_NOT_APPLICABLE)
            if role == Role.ForegroundRole:
                return QBrush(TEXT_NOT_APPLICABLE)
            if role == Role.DisplayRole:
                return "–"
            if role in (Role.ToolTipRole, Role.AccessibleDescriptionRole):
                if sex.id == self.session.template.total_id:
                    return f"Ej aktuellt: {svf.name} gäller ett kön; ange värdet per kön."
                return f"Ej aktuellt: {svf.name} gäller inte {sex.label.lower()}."
            return None
        value = self.session.report.figures.get(svf.id, measure.id, sex.id)
        if role == Role.DisplayRole:
            return format_value(value, measure)
        if role == Role.EditRole:
            return format_value(value, measure, edit=True)
        cell = (svf.id, measure.id, sex.id)
        findings = self._findings.get(cell, [])
        if role == CHANGED_ROLE:
            return self.changed_from_extract(cell) is not None
        if role == Role.BackgroundRole and findings:
            if any(f.severity == Severity.ERROR and f.rule != MISSING_RULE for f in findings):
                return QBrush(COLOUR_ERROR)
            if any(f.rule != MISSING_RULE for f in findings):
                return QBrush(COLOUR_WARNING)
            return QBrush(COLOUR_MISSING)
        if role == Role.BackgroundRole and self.changed_from_extract(cell) is not None:
            return QBrush(COLOUR_CHANGED)
        if role in (Role.ToolTipRole, Role.AccessibleDescriptionRole):
            head = f"{svf.name}, {sex.label.lower()}: {measure.label}"
            lines = [f.message for f in findings]
            p = self.sources.get(cell)
            if p is not None:
                lines.append(f"Källa: {p.describe()}")
            if measure.id in LEAD_TIME_MEASURES:
                lines.append(self.lead_time_text(row))
            return "\n".join([head, *lines]) if role == Role.ToolTipRole else "\n".join(lines)
        return None

    def lead_time_text(self, row: int) -> str:
        """The SVF's lead times of the period with their validity, long-wait limits and
        status, as the domain words them (for the tooltips)."""
        return self.table.rows[row].lead_time_text(self.session.template.period_label)

    def _lead_time_data(self, row: int, role: int) -> object:
        """The lead-time column: the compact days, caution colours when not confirmed, and
        every lead time of the period in the tooltip."""
        r = self.table.rows[row]
        if role in (Role.DisplayRole, Role.EditRole):
            return r.lead_time_short
        if role == Role.BackgroundRole:
            return QBrush(COLOUR_COMPUTED if r.lead_times_confirmed else COLOUR_UNCONFIRMED)
        if role == Role.ForegroundRole:
            return QBrush(TEXT_COMPUTED if r.lead_times_confirmed else TEXT_UNCONFIRMED)
        if role in (Role.ToolTipRole, Role.AccessibleDescriptionRole):
            return f"{self.svfs[row].name}\n{self.lead_time_text(row)}"
        return None

    def _rate_data(self, column: Column, svf: Svf, role: int) -> object:
        assert column.rate is not None
        r = self.table.row(svf.id).rate(column.rate.id)
        if role == Role.DisplayRole:
            return fmt_pct(r.rate)
        if role == Role.EditRole:
            return fmt_pct(r.rate) if r.rate is not None else ""
        if role == Role.BackgroundRole:
            return QBrush(COLOUR_COMPUTED)
        if role == Role.ForegroundRole:
            return QBrush(TEXT_COMPUTED)
        if role == Role.ToolTipRole:
            if r.rate is None:
                return f"{svf.name}: kan inte räknas ut ännu (nämnaren saknas eller är 0)."
            return (
                f"{svf.name}: {fmt_int(r.numerator)} av {fmt_int(r.denominator)} "
                f"{column.rate_text} ({fmt_pct(r.rate)})"
            )
        return None

    def _totals_data(self, column: Column, role: int) -> object:
        if role == Role.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if column.lead_times:
            return QBrush(COLOUR_COMPUTED) if role == Role.BackgroundRole else None
        if role == Role.BackgroundRole:
            return QBrush(COLOUR_COMPUTED if column.computed else COLOUR_TOTALS)
        tpl = self.session.template
        if column.computed:
            assert column.rate is not None
            r = self.table.rate(column.rate.id)  # overall: over the rate's SVFs
            if role in (Role.DisplayRole, Role.EditRole):
                return fmt_pct(r.rate)
            if role == Role.ForegroundRole:
                return QBrush(TEXT_COMPUTED)
            if role == Role.ToolTipRole:
                goal = self.table.inclusion_goal
                scope = (
                    f" (SVF införda före {tpl.inclusion_introduced_before}, underlag för "
                    f"{goal.label.lower()} {goal.text})"
                    if column.rate.id == INCLUSION
                    else " (alla SVF)"
                )
                return (
                    f"Totalt{scope}: {fmt_int(r.numerator)} av {fmt_int(r.denominator)} "
                    f"{column.rate_text} ({fmt_pct(r.rate)})"
                )
            return None
        assert column.measure is not None and column.sex is not None
        if column.measure.kind != "count":
            # A sum of medians means nothing.
            if role == Role.ToolTipRole:
                return f"{column.measure.label} summeras inte."
            return None
        total = self.table.all_total.count(column.measure.id, column.sex.id) or 0
        if role == Role.DisplayRole:
            return fmt_int(total)
        if role == Role.EditRole:
            return str(int(total))
        if role == Role.ToolTipRole:
            return f"Summa för alla SVF: {self.column_label(self._column_index(column))}"
        return None

    def _column_index(self, column: Column) -> int:
        return self.columns.index(column)

    # A typed entry that was refused: (row, column, the text as typed), so that the editor
    # opens again with it for correction (FiguresView); None when there is none.
    refused: tuple[int, int, str] | None = None

    def refused_text(self, index: Index) -> str | None:
        r = self.refused
        return r[2] if r is not None and (r[0], r[1]) == (index.row(), index.column()) else None

    def setData(self, index: Index, value: object, role: int = Role.EditRole) -> bool:  # noqa: N802
        """Parse Swedish input and store it through the session (one undo step). A non-number
        or a value the service would refuse is announced once (``input_refused``: the message
        above the grid, and the status line) and the typed text is kept in ``refused`` for the
        editor to show again; the cell keeps its value."""
        if role != Role.EditRole or not self.is_editable(index):
            return False
        cell = self.cell_at(index)
        assert cell is not None
        column = self.columns[index.column()]
        assert column.measure is not None
        try:
            number = self.parse(value, column.measure)
            check_figure_value(self.session.template, *cell, number)
        except (InputError, UserError) as exc:
            typed = "" if value is None else str(value)
            self.refused = (index.row(), index.column(), typed)
            message = f"{self.where(index)}: {exc} {self.hint(column.measure)}"
            self.input_refused.emit(message)
            self.session.notice.emit(message)
            return False
        self.refused = None
        svf = self.svfs[index.row()]
        text = f"Ändra {svf.name}, {self.column_label(index.column())}"
        return self._store({cell: number}, text)

    def _store(self, values: Mapping[Cell, Number | None], text: str) -> bool:
        """Store through the session, first asking the reason when values of the RCC's
        extract change (issue 15); cancelled, nothing changes."""
        needed = reports.reason_needed(self.session.ctx, self.session.report_id, values)
        reason = None
        if needed:
            tpl = self.session.template
            lines = [
                f"{reports.cell_label(tpl, c)}: {reports.fmt_value(p.extract_value)} → "
                f"{reports.fmt_value(values[c])}"
                for c, p in needed.items()
            ]
            extract = next(p.extract for p in needed.values() if p.extract is not None)
            name = f"RCC:s datauttag {extract.on.isoformat()}"
            reason = self.ask_reason(lines, name) if self.ask_reason is not None else None
            if reason is None:
                self.session.notice.emit(
                    f"Ändringen sparades inte: värden från {name} ändras bara med en motivering."
                )
                return False
        return self.session.set_figures(dict(values), text, reason)

    @staticmethod
    def parse(value: object, measure: Measure) -> Number | None:
        if value is None:
            return None
        if isinstance(value, bool):
            raise InputError(f"”{value}” är inte ett tal.")
        if isinstance(value, int | float):
            return int(value) if float(value).is_integer() else value
        return parse_number(str(value), measure)

    @staticmethod
    def hint(measure: Measure) -> str:
        if measure.kind == "count":
            return "Skriv ett heltal, till exempel 1 234, eller lämna cellen tom."
        return "Skriv ett tal, till exempel 12,5, eller lämna cellen tom."

    def set_cells(self, values: Mapping[Cell, Number | None], text: str) -> bool:
        """Store many cells as one undo step (paste, clear)."""
        return self._store(values, text)

    # ---------------------------------------------------------------- findings
    def _index_findings(self) -> None:
        by_cell: dict[Cell, list[Finding]] = {}
        tpl = self.session.template
        for f in self.session.result.findings:
            loc = f.location
            if loc.svf is None or loc.measure is None:
                continue
            svf = tpl.svf(loc.svf)
            if svf is None:
                continue
            # A finding about an SVF over both sexes marks the measure's cell of each sex.
            sexes = (loc.sex,) if loc.sex is not None else (*svf.sexes, tpl.total_id or "")
            for sex in sexes:
                by_cell.setdefault((loc.svf, loc.measure, sex), []).append(f)
        self._findings = by_cell

    def findings_at(self, index: Index) -> list[Finding]:
        cell = self.cell_at(index)
        return list(self._findings.get(cell, [])) if cell is not None else []

    def refresh(self, changes: Changes) -> None:
        """After an edit, undo, redo or import: show the session's figures and findings again.
        dataChanged (not a reset) keeps the user's selection and current cell."""
        if not changes.figures:
            return
        self._table = None
        self._sources = None
        self._index_findings()
        self.dataChanged.emit(
            self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1)
        )
