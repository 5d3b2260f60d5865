"""The longest waits (issue 16, point 4): the pathways of the applied patient list over the
long-wait threshold, sortable and filterable by SVF, unit, treatment and sex; each tagged with
a cause (from the template's list, which the user can extend) and a note. The counts per SVF
and cause — never the patients — go into the answer on the long waits, and so into the PDF."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import UserError
from desktop_app.domain.fmt import fmt_int
from desktop_app.services.long_waits import (
    StoredLongWait,
    add_cause,
    cause_counts,
    cause_summary,
    causes,
    long_waits,
    tag_long_wait,
    wait_distribution,
)
from desktop_app.ui.session import ReportSession
from desktop_app.ui.widgets.dialog_fit import FittedDialog
from desktop_app.ui.widgets.wait_chart import WaitDistributionChart

COLUMNS = ("SVF", "Kön", "Enhet", "Behandling", "Dagar", "Ledtid", "% av ledtid", "Orsak", "Not")
ALL = "(alla SVF)"
NO_CAUSE = "(ingen orsak)"
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


class _Filter(QSortFilterProxyModel):
    """SVF from the combo box, and a text matched against unit, treatment and sex."""

    def __init__(self) -> None:
        super().__init__()
        self.svf = ""
        self.text = ""
        self.setSortRole(SORT_ROLE)

    def filterAcceptsRow(self, row: int, parent: object) -> bool:  # noqa: N802 - Qt's name
        m = self.sourceModel()
        if self.svf and m.index(row, 0).data() != self.svf:
            return False
        if self.text:
            hay = " ".join(str(m.index(row, c).data()) for c in (1, 2, 3)).casefold()
            return self.text.casefold() in hay
        return True


class LongWaitsDialog(FittedDialog):
    def __init__(self, session: ReportSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        tpl = session.template
        self.setWindowTitle("De längsta väntetiderna")
        self.resize(1100, 640)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Förlopp över {tpl.long_wait_percent:g} % av ledtiden i den införda patientlistan. "
            "Ange orsak och en kort not; antalen per orsak (aldrig patienterna) kan föras in i "
            "svaret om de längsta väntetiderna."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        bar = QHBoxLayout()
        self.svf_filter = QComboBox()
        self.svf_filter.setAccessibleName("Filtrera på SVF")
        self.text_filter = QLineEdit()
        self.text_filter.setPlaceholderText("Filtrera på enhet, behandling eller kön")
        bar.addWidget(self.svf_filter)
        bar.addWidget(self.text_filter, 1)
        layout.addLayout(bar)
        self.model = QStandardItemModel(0, len(COLUMNS))
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.proxy = _Filter()
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setAccessibleName("Förlopp över gränsen")
        self.view.verticalHeader().setVisible(False)
        self.view.sortByColumn(6, Qt.SortOrder.DescendingOrder)
        self.chart = WaitDistributionChart(tpl.long_wait_percent)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.view, "Förlopp")
        self.tabs.addTab(self.chart, "Fördelning per SVF")
        layout.addWidget(self.tabs, 1)
        self._build_tagging(layout)
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        layout.addWidget(self.counts)
        buttons = QDialogButtonBox()
        self.to_answer = buttons.addButton(
            "För in antalen i svaret", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.to_answer.clicked.connect(self.counts_to_answer)
        buttons.addButton("Stäng", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.svf_filter.currentIndexChanged.connect(self._filter)
        self.text_filter.textChanged.connect(self._filter)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._selected())
        self.reload()

    def _build_tagging(self, layout: QVBoxLayout) -> None:
        row = QHBoxLayout()
        self.cause = QComboBox()
        self.cause.setAccessibleName("Orsak")
        self.note = QLineEdit()
        self.note.setPlaceholderText("Not (frivillig, skriv inga personuppgifter)")
        self.save = QPushButton("Spara orsak")
        self.save.clicked.connect(self.tag_selected)
        self.new_cause = QLineEdit()
        self.new_cause.setPlaceholderText("Ny orsak")
        self.add = QPushButton("Lägg till orsak")
        self.add.clicked.connect(self.add_cause)
        for w in (QLabel("Orsak:"), self.cause, self.note, self.save, self.new_cause, self.add):
            row.addWidget(w)
        self.error = QLabel()
        self.error.setStyleSheet("color: #a4262c;")
        layout.addLayout(row)
        layout.addWidget(self.error)

    # ------------------------------------------------------------------ data
    def reload(self) -> None:
        tpl = self.session.template
        s = self.session
        self.waits = long_waits(s.ctx, s.report_id)
        self.choices = causes(s.ctx, tpl)
        labels = {c.id: c.label for c in self.choices}
        types = (
            {t.id: t.label for t in tpl.patient_list.treatment_types} if tpl.patient_list else {}
        )
        self.model.setRowCount(0)
        for w in self.waits:
            svf, sex = tpl.svf(w.svf_id), tpl.sex(w.sex)
            values: list[tuple[str, object]] = [
                (svf.name if svf else w.svf_id, svf.name if svf else w.svf_id),
                (sex.label if sex else w.sex, w.sex),
                (w.unit, w.unit),
                (types.get(w.treatment, w.treatment), w.treatment),
                (fmt_int(w.days), w.days),
                (fmt_int(w.lead_time), w.lead_time),
                (f"{w.percent:.0f} %", w.percent),
                (labels.get(w.cause or "", ""), labels.get(w.cause or "", "")),
                (w.note, w.note),
            ]
            items = []
            for text, sort in values:
                item = QStandardItem(text)
                item.setData(sort, SORT_ROLE)
                item.setData(w.key, KEY_ROLE)
                items.append(item)
            self.model.appendRow(items)
        current = self.svf_filter.currentText()
        self.svf_filter.blockSignals(True)
        self.svf_filter.clear()
        self.svf_filter.addItem(ALL)
        for name in sorted({self.model.item(r, 0).text() for r in range(self.model.rowCount())}):
            self.svf_filter.addItem(name)
        self.svf_filter.setCurrentIndex(max(0, self.svf_filter.findText(current)))
        self.svf_filter.blockSignals(False)
        self.cause.clear()
        self.cause.addItem(NO_CAUSE, None)
        for c in self.choices:
            self.cause.addItem(c.label, c.id)
        self._show_counts()
        self._show_chart()

    def _show_chart(self) -> None:
        """The distribution of the rows the filter shows."""
        keys = {self.proxy.index(r, 0).data(KEY_ROLE) for r in range(self.proxy.rowCount())}
        shown = [w for w in self.waits if w.key in keys]
        self.chart.show_data(wait_distribution(shown, self.session.template))

    def _show_counts(self) -> None:
        s = self.session
        self.cause_counts = cause_counts(s.ctx, s.report_id)
        text = cause_summary(self.cause_counts)
        self.counts.setText(
            f"{fmt_int(len(self.waits))} förlopp över gränsen. "
            + (text.replace("\n", " ") if text else "Inga orsaker angivna ännu.")
        )
        self.to_answer.setEnabled(bool(self.cause_counts))

    def _filter(self) -> None:
        svf = self.svf_filter.currentText()
        self.proxy.svf = "" if svf == ALL else svf
        self.proxy.text = self.text_filter.text().strip()
        self.proxy.invalidate()
        self._show_chart()

    def selected(self) -> StoredLongWait | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        key = index.data(KEY_ROLE)
        return next((w for w in self.waits if w.key == key), None)

    def _selected(self) -> None:
        w = self.selected()
        if w is not None:
            self.cause.setCurrentIndex(max(0, self.cause.findData(w.cause)))
            self.note.setText(w.note)

    # ------------------------------------------------------------------ edits
    def tag_selected(self) -> None:
        w = self.selected()
        if w is None:
            self.error.setText("Välj ett förlopp i listan först.")
            return
        s = self.session
        try:
            tag_long_wait(s.ctx, s.report_id, w.key, self.cause.currentData(), self.note.text())
        except UserError as exc:
            self.error.setText(str(exc))
            return
        self.error.setText("")
        row = self.view.currentIndex().row()
        self.reload()
        self.view.selectRow(min(row, self.proxy.rowCount() - 1))

    def add_cause(self) -> None:
        try:
            choice = add_cause(self.session.ctx, self.session.template, self.new_cause.text())
        except UserError as exc:
            self.error.setText(str(exc))
            return
        self.new_cause.clear()
        self.error.setText("")
        self.reload()
        self.cause.setCurrentIndex(self.cause.findData(choice.id))

    def counts_to_answer(self) -> None:
        """Put the counts per SVF and cause at the end of the long-waits answer (one undo
        step, as any edit of an answer)."""
        settings = self.session.template.patient_list
        question = settings.long_waits_question if settings else None
        if not question or self.session.template.question(question) is None:
            self.error.setText("Mallen anger ingen fråga om de längsta väntetiderna.")
            return
        old = self.session.report.answers.get(question, "").rstrip()
        summary = cause_summary(self.cause_counts)
        text = f"{old}\n\n{summary}" if old else summary
        self.session.set_answer(question, text)
