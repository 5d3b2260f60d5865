"""The history of a report, of one figure cell or of one question (issue 15, point 4): every
change with when, who, what, old → new, source and reason, newest first, filterable by kind and
text, with whether the report's chain of checksums is intact.

The screens reach it through three small hooks: ``report_history_button`` (the report's header),
``add_cell_history_action`` (the SVF grid's context menu, "Visa historik…") and
``question_history_button`` (under a question)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import UserError
from desktop_app.domain.figures import Cell
from desktop_app.domain.template import Question
from desktop_app.services import history
from desktop_app.services.history import HistoryLine
from desktop_app.services.reports import Changes
from desktop_app.ui.session import ReportSession
from desktop_app.ui.widgets.dialog_fit import FittedDialog

COLUMNS = (
    "Tid",
    "Vem",
    "Slag",
    "Vad",
    "Gammalt värde",
    "Nytt värde",
    "Källa",
    "Skäl",
    "Anteckning",
)
_GOOD, _BAD = "#1e7b34", "#a4161a"


def _short(text: str, limit: int = 80) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


class HistoryDialog(FittedDialog):
    """The history of the open report, or of one ``path`` in it (a cell, a question)."""

    def __init__(
        self,
        session: ReportSession,
        path: str | None = None,
        title: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.path = path
        self.lines: list[HistoryLine] = []
        self.setWindowTitle(f"Historik – {title}" if title else "Redovisningens historik")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        heading = QLabel(f"<b>{title or 'Alla ändringar i redovisningen'}</b>")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.chain = QLabel()
        self.chain.setWordWrap(True)
        layout.addWidget(self.chain)
        layout.addLayout(self._filters())
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.table = QTableView()
        self.table.setAccessibleName("Historik")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Stäng")
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.resize(1100, 560)
        self.reload()
        self.table.resizeColumnsToContents()
        for col, most in ((3, 260), (4, 160), (5, 160), (8, 240)):
            header.resizeSection(col, min(header.sectionSize(col), most))
        session.changed.connect(self._changed)

    def _filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(QLabel("Slag:"))
        self.kind = QComboBox()
        self.kind.setAccessibleName("Filtrera på slag av ändring")
        self.kind.addItem("Alla slag", None)
        for kind, text in history.kinds():
            self.kind.addItem(text, str(kind))
        self.kind.currentIndexChanged.connect(self._fill)
        row.addWidget(self.kind)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Sök i historiken (värde, vem, fält, anteckning …)")
        self.search.setAccessibleName("Sök i historiken")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._fill)
        row.addWidget(self.search, 1)
        self.count = QLabel()
        row.addWidget(self.count)
        return row

    def _changed(self, _changes: Changes) -> None:
        self.reload()

    def reload(self) -> None:
        """Read the history and the chain's check again."""
        sid = self.session.report_id
        try:
            self.lines = history.report_history(self.session.ctx, sid, path=self.path)
            check = history.check_history(self.session.ctx, sid)
        except UserError as exc:
            self.chain.setText(str(exc))
            self.lines = []
        else:
            if check.ok:
                self.chain.setText(
                    f"<span style='color:{_GOOD}'>✓ Historiken är obruten: varje rad bär "
                    f"kontrollsumman av raden före ({check.entries} rader).</span>"
                )
            else:
                b = check.breaks[0]
                when = f" ({b.at:%Y-%m-%d %H:%M})" if b.at else ""
                self.chain.setText(
                    f"<span style='color:{_BAD}'>✕ Historiken är bruten{when}: {b.problem}. "
                    "Den har ändrats utanför programmet.</span>"
                )
        self._fill()

    def shown_lines(self) -> list[HistoryLine]:
        """The rows the filters let through, newest first."""
        kind = self.kind.currentData()
        text = self.search.text()
        return [
            x
            for x in reversed(self.lines)
            if (kind is None or x.kind == kind) and (not text.strip() or x.matches(text))
        ]

    def _fill(self) -> None:
        self.model.removeRows(0, self.model.rowCount())
        shown = self.shown_lines()
        for x in shown:
            cells = (
                f"{x.at:%Y-%m-%d %H:%M:%S}",
                x.who or "–",
                x.kind_label,
                x.what if x.path else "",
                _short(x.old_text) if x.path else "",
                _short(x.new_text) if x.path else "",
                x.source_label,
                x.reason or "",
                _short(x.note, 120),
            )
            items = [QStandardItem(c) for c in cells]
            for item, full in zip(items[4:6], (x.old_text, x.new_text), strict=True):
                item.setToolTip(full)
            items[8].setToolTip(x.note)
            items[0].setToolTip(f"Rad {x.seq}, kontrollsumma {x.hash[:16]}…")
            items[4].setForeground(QColor("#555555"))
            self.model.appendRow(items)
        self.count.setText(f"{len(shown)} av {len(self.lines)} rader")


def show_history(
    session: ReportSession, parent: QWidget, path: str | None = None, title: str = ""
) -> HistoryDialog:
    """Open the history window (not modal: the report stays usable beside it)."""
    dialog = HistoryDialog(session, path, title, parent)
    dialog.show()
    return dialog


def report_history_button(session: ReportSession, parent: QWidget) -> QPushButton:
    """ "Historik…" for the report's header: every change of the report."""
    button = QPushButton("Historik…", parent)
    button.setToolTip("Alla ändringar i redovisningen: när, vem, vad, gammalt → nytt värde")
    button.setAccessibleName("Visa redovisningens historik")
    button.clicked.connect(lambda: show_history(session, parent.window()))
    return button


def add_cell_history_action(
    menu: QMenu, session: ReportSession, cell: Cell | None, parent: QWidget
) -> QAction | None:
    """ "Visa historik…" in a grid's context menu for the figure cell under the pointer (none
    where there is no cell)."""
    if cell is None:
        return None
    title = history.path_title(session.template, history.cell_path(cell))
    action = QAction("Visa historik…", menu)
    action.setToolTip(f"Alla ändringar av {title}")
    action.triggered.connect(
        lambda: show_history(session, parent.window(), history.cell_path(cell), title)
    )
    menu.addSeparator()
    menu.addAction(action)
    return action


def question_history_button(
    session: ReportSession, question: Question, parent: QWidget
) -> QPushButton:
    """A small "Visa historik…" link under a question: every change of its answer."""
    button = QPushButton("Visa historik…", parent)
    button.setFlat(True)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.setStyleSheet("QPushButton { color: #1a5fb4; text-decoration: underline; }")
    button.setAccessibleName(f"Visa historik för {question.title}")
    button.clicked.connect(
        lambda: show_history(
            session, parent.window(), history.question_path(question.id), question.title
        )
    )
    return button
