"""The main window: the reports in the database with their criteria at a glance."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app import __version__
from desktop_app.services import reports
from desktop_app.services.bootstrap import AppContext

STATUS_TEXT = {"pass": "Uppfyllt", "fail": "Ej uppfyllt", "unknown": "Ej känt"}
STATUS_COLOUR = {"pass": "#d7f0dd", "fail": "#f8d7da", "unknown": "#e9ecef"}
Index = QModelIndex | QPersistentModelIndex


class ReportListModel(QAbstractTableModel):
    BASE = ("Region", "År", "Status", "Senast ändrad", "Fel")

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self._ctx = ctx
        self._rows: list[reports.ReportOverview] = []
        self._criteria: list[tuple[str, str]] = []
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = reports.list_reports(self._ctx)
        seen: dict[str, str] = {}
        for r in self._rows:
            for c in r.criteria:
                seen.setdefault(c.id, c.label)
        self._criteria = list(seen.items())
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.BASE) + len(self._criteria)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if section < len(self.BASE):
            return self.BASE[section]
        return self._criteria[section - len(self.BASE)][1]

    def report_id(self, row: int) -> int:
        return self._rows[row].id

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        col = index.column()
        if col >= len(self.BASE):
            crit_id = self._criteria[col - len(self.BASE)][0]
            c = next((c for c in r.criteria if c.id == crit_id), None)
            if c is None:
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return STATUS_TEXT[c.status]
            if role == Qt.ItemDataRole.ToolTipRole:
                return c.message
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(STATUS_COLOUR[c.status]))
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                f"{r.region.name} ({r.region.code})",
                str(r.year),
                r.status_label,
                r.updated_at.strftime("%Y-%m-%d %H:%M"),
                str(r.error_count),
            )[col]
        return None


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, first_start: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(f"SVF-redovisning – {ctx.db_path.name}")
        self.resize(1200, 700)
        self.model = ReportListModel(ctx)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Redovisningar")
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        intro = QLabel(
            "Här finns regionernas redovisningar av arbetet med standardiserade vårdförlopp. "
            "Färgerna visar villkoren för den andra utbetalningen: grönt uppfyllt, rött ej "
            "uppfyllt, grått ännu inte känt. Håll muspekaren över en ruta för siffrorna."
            + ("\nDetta är en exempeldatabas med påhittade siffror." if first_start else "")
        )
        intro.setWordWrap(True)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        self.setCentralWidget(box)
        self._menus()
        self.statusBar().showMessage(f"Databas: {ctx.db_path}")

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu("&Arkiv")
        refresh = QAction("&Uppdatera", self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.model.reload)
        file_menu.addAction(refresh)
        quit_action = QAction("&Avsluta", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("&Hjälp")
        about = QAction("&Om SVF-redovisning", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "Om SVF-redovisning",
            f"SVF-redovisning {__version__}\n\nRegionernas redovisning av arbetet med "
            "standardiserade vårdförlopp enligt överenskommelsen mellan staten och SKR.",
        )
