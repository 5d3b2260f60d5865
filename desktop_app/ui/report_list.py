"""The list of reports in the main window: one row per report from its header at once, and
the payment criteria and error counts filled in from a worker (reading and validating every
report takes a while, and the window should show first)."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from desktop_app.domain.vocabulary import Verdict, colours, label
from desktop_app.services import reports
from desktop_app.services.bootstrap import AppContext
from desktop_app.ui.workers import Worker, db_pool

Index = QModelIndex | QPersistentModelIndex


_CHUNK = 4  # reports checked between two looks at the cancel flag

SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # a column's value to sort by (numbers as numbers)
FILTER_ROLE = Qt.ItemDataRole.UserRole + 2  # what the search box matches: region name and code
# Criteria sorted failing first, then not known, then met: what needs attention on top.
_VERDICT_ORDER = {Verdict.FAIL.value: 0, Verdict.UNKNOWN.value: 1, Verdict.PASS.value: 2}


def _check_job(
    worker: Worker, ctx: AppContext, ids: list[int], generation: int
) -> tuple[int, dict[int, reports.ReportChecks]]:
    """In the database worker: check the reports a few at a time, and stop early when the
    list was reloaded meanwhile (the user went back and forth)."""
    checks: dict[int, reports.ReportChecks] = {}
    for start in range(0, len(ids), _CHUNK):
        worker.progress(100 * start // len(ids))  # raises Cancelled once cancelled
        checks.update(reports.check_reports(ctx, ids[start : start + _CHUNK]))
    return generation, checks


class ReportListModel(QAbstractTableModel):
    """Rows: ``reports.summarise_reports`` (on the UI thread, one query). Criteria columns and
    the error column: ``reports.check_reports`` in the database worker; until it answers they
    are blank, and ``loading`` is true."""

    BASE = ("Region", "År", "Status", "Version", "Senast ändrad", "Fel")
    ERRORS = BASE.index("Fel")

    checked = Signal()  # the criteria of the current rows have arrived
    check_failed = Signal(str)  # checking failed; a Swedish message

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self._ctx = ctx
        self._rows: list[reports.ReportSummary] = []
        self._checks: dict[int, reports.ReportChecks] = {}
        self._criteria: list[tuple[str, str]] = []
        self._worker: Worker | None = None
        self._generation = 0

    @property
    def loading(self) -> bool:
        """The criteria of the rows shown are still being computed."""
        return self._worker is not None

    def set_context(self, ctx: AppContext) -> None:
        """Another database: empty until ``reload()``; its criteria columns come with its
        checks."""
        self.cancel()
        self._ctx = ctx
        self.beginResetModel()
        self._criteria = []
        self._rows, self._checks = [], {}
        self.endResetModel()

    def reload(self) -> None:
        """Read the rows again (at once) and start checking them (in the background). The
        criteria columns stay while the new checks are computed, blank, so the table does not
        jump."""
        from desktop_app.domain.errors import UserError

        self.beginResetModel()
        try:
            self._rows = reports.summarise_reports(self._ctx)
        except UserError as exc:  # e.g. a damaged database opened read-only
            self._rows = []
            self.check_failed.emit(str(exc))
        self._checks = {}
        self.endResetModel()
        self._start_checks()

    def cancel(self) -> None:
        """Stop a check under way (its answer is dropped)."""
        if self._worker is not None:
            self._worker.cancel()
            self._worker = None

    def _start_checks(self) -> None:
        self.cancel()
        self._generation += 1
        ids = [r.id for r in self._rows]
        if not ids:
            return
        # Plain values only: the job never sees the model or a widget.
        worker = Worker(_check_job, self._ctx, ids, self._generation, pass_worker=True)
        worker.signals.result.connect(self._checks_arrived)
        worker.signals.error.connect(self._checks_went_wrong)
        self._worker = worker
        worker.start(db_pool())

    def _checks_arrived(self, payload: tuple[int, dict[int, reports.ReportChecks]]) -> None:
        generation, checks = payload
        if generation != self._generation:
            return  # an answer for rows no longer shown
        self._worker = None
        seen: dict[str, str] = {}
        for r in self._rows:
            for c in checks[r.id].criteria if r.id in checks else ():
                seen.setdefault(c.id, c.label)
        criteria = list(seen.items())
        old = self._criteria
        if criteria[: len(old)] != old:
            # Other criteria columns (another template): a reset is simplest.
            self.beginResetModel()
            self._checks, self._criteria = checks, criteria
            self.endResetModel()
        else:
            # New columns at the end (the first check): inserted, so a selection stays.
            if len(criteria) > len(old):
                first = len(self.BASE) + len(old)
                self.beginInsertColumns(QModelIndex(), first, len(self.BASE) + len(criteria) - 1)
                self._criteria = criteria
                self.endInsertColumns()
            self._checks = checks
            if self._rows:
                last = self.columnCount() - 1
                self.dataChanged.emit(
                    self.index(0, self.ERRORS), self.index(len(self._rows) - 1, last)
                )
        self.checked.emit()

    def _checks_went_wrong(self, exc: BaseException) -> None:
        self._worker = None
        self.check_failed.emit(str(exc))

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.BASE) + len(self._criteria)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if section < len(self.BASE):
            return self.BASE[section]
        return self._criteria[section - len(self.BASE)][1]

    def report_id(self, row: int) -> int:
        return self._rows[row].id

    def overview(self, row: int) -> reports.ReportSummary:
        return self._rows[row]

    def row_of(self, report_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.id == report_id), None)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        col = index.column()
        checks = self._checks.get(r.id)
        if col >= len(self.BASE):
            return self._criterion_data(checks, self._criteria[col - len(self.BASE)][0], role)
        if role == SORT_ROLE:
            errors = checks.error_count if checks is not None else -1
            return (
                r.region.name,
                r.year,
                r.status_label,
                r.version,
                r.updated_at.isoformat(),
                errors,
            )[col]
        if role == FILTER_ROLE:
            return f"{r.region.name} {r.region.code}"
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (1, 3, self.ERRORS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.ERRORS:
                if checks is None:
                    return "kontrolleras …" if self.loading else ""
                return str(checks.error_count) if checks.error_count else "–"
            return (
                f"{r.region.name} ({r.region.code})",
                str(r.year),
                r.status_label,
                str(r.version),
                r.updated_at.strftime("%Y-%m-%d %H:%M"),
            )[col]
        return None

    @staticmethod
    def _criterion_data(checks: reports.ReportChecks | None, crit_id: str, role: int) -> object:
        c = next((c for c in checks.criteria if c.id == crit_id), None) if checks else None
        if c is None:
            return None
        if role == SORT_ROLE:
            return _VERDICT_ORDER.get(str(c.status), 9)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return label(c.status, Verdict)
        if role == Qt.ItemDataRole.ToolTipRole:
            return c.message
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(colours(Verdict(c.status))[1]))
        return None


class ReportFilterModel(QSortFilterProxyModel):
    """The list as shown: sorted by any column (numbers and dates as such), filtered by the
    search box on the region's name or code, case and accents as typed ("norr" finds
    Norrbotten)."""

    def __init__(self, source: ReportListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)
        self.setFilterRole(FILTER_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(0)
        self.setDynamicSortFilter(True)

    def source_row(self, row: int) -> int:
        """The source model's row of a row as shown."""
        return self.mapToSource(self.index(row, 0)).row()

    def shown_row(self, source_row: int) -> int | None:
        """The row as shown of a source row; None when the search hides it."""
        idx = self.mapFromSource(self.sourceModel().index(source_row, 0))
        return idx.row() if idx.isValid() else None
