"""The RCC's national extract in the RCC view (issue 15, points 1 and 3): *Importera nationellt
uttag…* reads the extract and *Skapa startfiler* writes one prefilled import workbook per
region of the RCC; and the regions' changes from the extract, as the inbox and the
compilation show them."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import UserError
from desktop_app.domain.provenance import Deviation
from desktop_app.domain.reference import load_reference
from desktop_app.domain.template import Template
from desktop_app.services.extract import SplitResult, split_extract
from desktop_app.services.imports import ImportFileError
from desktop_app.services.reports import cell_label, fmt_value
from desktop_app.ui.widgets.dialog_fit import FittedDialog
from desktop_app.ui.workers import Worker, db_pool


def deviation_lines(
    tpl: Template, deviations: list[Deviation] | tuple[Deviation, ...]
) -> list[str]:
    """One Swedish line per value changed from the RCC's extract, with the region's reason."""
    return [
        f"{cell_label(tpl, (d.svf, d.measure, d.sex))}: RCC:s uttag {fmt_value(d.extract)} → "
        f"redovisat {fmt_value(d.reported)} – {d.reason or 'ingen motivering angiven'}"
        + (f" (OBS: {d.note})" if d.note else "")
        for d in deviations
    ]


def deviation_summary(n: int) -> str:
    """``2 värden ändrade från RCC:s datauttag`` (empty for none)."""
    if not n:
        return ""
    return ("1 värde ändrat" if n == 1 else f"{n} värden ändrade") + " från RCC:s datauttag"


class ExtractDialog(FittedDialog):
    """The extract, its date, the RCC and the folder for the start files; *Skapa startfiler*
    reads the extract in a worker and lists the files written or every problem found."""

    def __init__(
        self,
        rcc_id: str | None,
        year: int | None = None,
        parent: QWidget | None = None,
        ctx: Any = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx  # the RCC's database: it keeps its own copy of the extract
        self.year = year  # the reporting year (the RCC view's); else the extract date's
        self.setWindowTitle("Nationellt uttag – skapa startfiler")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(720, 460)
        self.worker: Worker | None = None
        self.split_result: SplitResult | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Läs in RCC:s nationella datauttag (Excel eller CSV med importmallens kolumner och "
            "kolumnen <b>region</b>, en rad per region och SVF). Varje region i RCC:et får en "
            "förifylld startfil, märkt med uttagets datum och kontrollsumma, att importera i "
            "sin redovisning."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.file = QLineEdit()
        self.file.setAccessibleName("Uttagets fil")
        form.addRow("Uttag:", self._with_browse(self.file, self._browse_file))
        self.on = QDateEdit(QDate.currentDate())
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat("yyyy-MM-dd")
        self.on.setAccessibleName("Uttagets datum")
        form.addRow("Uttagets datum:", self.on)
        self.rcc = QComboBox()
        self.rcc.setAccessibleName("RCC")
        for c in load_reference().rccs:
            self.rcc.addItem(c.name, c.id)
        if rcc_id is not None and self.rcc.findData(rcc_id) >= 0:
            self.rcc.setCurrentIndex(self.rcc.findData(rcc_id))
        form.addRow("RCC:", self.rcc)
        self.folder = QLineEdit(str(Path.home() / "Startfiler"))
        self.folder.setAccessibleName("Mapp för startfilerna")
        form.addRow("Mapp:", self._with_browse(self.folder, self._browse_folder))
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.list = QListWidget()
        self.list.setAccessibleName("Startfiler eller fel i uttaget")
        self.list.setWordWrap(True)
        layout.addWidget(self.list, 1)
        self.buttons = QDialogButtonBox()
        self.create_button = self.buttons.addButton(
            "Skapa startfiler", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.buttons.addButton("Stäng", QDialogButtonBox.ButtonRole.RejectRole)
        self.create_button.clicked.connect(self.create)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _with_browse(self, edit: QLineEdit, browse: Any) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit, 1)
        button = QPushButton("Bläddra…")
        button.clicked.connect(browse)
        row.addWidget(button)
        return box

    def _browse_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Nationellt uttag", str(Path.home()), "Excel- eller CSV-fil (*.xlsx *.csv)"
        )
        if name:
            self.file.setText(name)

    def _browse_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "Mapp för startfilerna", self.folder.text())
        if name:
            self.folder.setText(name)

    def create(self) -> None:
        """Read the extract and write the start files in a worker (values read here first)."""
        if self.worker is not None:
            return
        if not self.file.text().strip():
            self.message.setText("Välj uttagets fil.")
            return
        qd = self.on.date()
        on = date(qd.year(), qd.month(), qd.day())
        args = (Path(self.file.text().strip()), on, str(self.rcc.currentData()))
        folder = Path(self.folder.text().strip())
        self.list.clear()
        self.message.setText("Läser uttaget …")
        self.create_button.setEnabled(False)
        worker = Worker(split_extract, *args, folder, self.year, self.ctx)
        worker.signals.result.connect(self._done)
        worker.signals.error.connect(self._failed)
        worker.signals.finished.connect(self._finished)
        self.worker = worker
        worker.start(db_pool() if self.ctx is not None else None)

    def _done(self, result: SplitResult) -> None:
        self.split_result = result
        x = result.extract
        self.message.setText(
            f"<b>{len(result.files)} startfiler skapade</b> från uttaget {x.on.isoformat()} "
            f"(SHA-256 {x.sha256[:16]}…)."
        )
        for f in result.files:
            self.list.addItem(f"{f.region.name}: {f.values} värden → {f.path}")
        for r in result.missing:
            self.list.addItem(f"{r.name}: inga värden i uttaget, ingen startfil")

    def _failed(self, exc: object) -> None:
        if isinstance(exc, ImportFileError):
            self.message.setText(f"<b>{str(exc).splitlines()[0]}</b> Inga startfiler skapades.")
            self.list.addItems([str(p) for p in exc.problems])
        elif isinstance(exc, UserError):
            self.message.setText(str(exc))
        else:
            self.message.setText(f"Uttaget kunde inte läsas på grund av ett oväntat fel ({exc!r}).")

    def _finished(self) -> None:
        self.worker = None
        self.create_button.setEnabled(True)


def add_extract_button(view: Any, layout: QBoxLayout) -> QPushButton:
    """*Importera nationellt uttag…* in the RCC view's action row."""
    button = QPushButton("Importera nationellt uttag…")
    button.setToolTip(
        "Läs in RCC:s nationella datauttag och skapa en förifylld startfil per region."
    )

    def open_dialog() -> None:
        scope = view.scope_id
        rcc = scope if scope != "national" else None
        view.extract_dialog = ExtractDialog(rcc, view.year_value, view, view.ctx)
        view.extract_dialog.open()

    button.clicked.connect(open_dialog)
    layout.addWidget(button)
    view.extract_button = button
    return button
