"""The main window: the list of reports (with criteria badges), a welcome state on an empty
database, and the open report. Menus and shortcuts follow Qt conventions; size and layout are
kept between starts."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import UserError
from desktop_app.domain.reference import load_reference
from desktop_app.domain.template import available_years
from desktop_app.services import reports
from desktop_app.services.bootstrap import AppContext
from desktop_app.ui.report_list import ReportFilterModel, ReportListModel
from desktop_app.ui.widgets.dialog_fit import FittedDialog
from desktop_app.ui.workers import Worker, assert_gui_thread, file_pool

__all__ = ["MainWindow", "NewReportDialog", "ReportListModel"]


class NewReportDialog(FittedDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Ny redovisning")
        form = QFormLayout(self)
        self.region = QComboBox()
        self.region.setAccessibleName("Region")
        for r in load_reference().regions:
            self.region.addItem(f"{r.name} ({r.code})", r.code)
        self.year = QComboBox()
        self.year.setAccessibleName("År")
        for y in available_years():
            self.year.addItem(str(y), y)
        form.addRow("&Region:", self.region)
        form.addRow("&År:", self.year)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Skapa")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Avbryt")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def choice(self) -> tuple[str, int]:
        return self.region.currentData(), int(self.year.currentData())


class MainWindow(QMainWindow):
    # A certification, signing or verification dialog has opened (after its file was read).
    signing_dialog_ready = Signal(object)

    def __init__(self, ctx: AppContext, first_start: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        self.signing_dialog: QDialog | None = None
        self.signing_worker: Worker | None = None
        self.first_start = first_start
        self.report_view = None  # type: ignore[var-annotated]
        self.rcc_view = None  # type: ignore[var-annotated]
        self.undo_group = QUndoGroup(self)
        self.new_dialog: NewReportDialog | None = None

        self.model = ReportListModel(ctx)
        self.model.check_failed.connect(self.show_error)
        self.shown = ReportFilterModel(self.model, self)
        self.table = QTableView()
        self.table.setModel(self.shown)
        self.table.setAccessibleName("Redovisningar")
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the reference order at first
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda idx: self.open_report(self._id_at(idx.row())))
        self.table.activated.connect(lambda idx: self.open_report(self._id_at(idx.row())))

        self.stack = QStackedWidget()
        self.stack.addWidget(self._list_page())
        self.stack.addWidget(self._welcome_page())
        # Over every page of an example database: its figures are made up.
        self.demo_banner = QLabel(
            "<b>Exempeldatabas</b> – alla regioner och siffror här är påhittade. Din egen "
            "databas öppnar du med Arkiv → Senaste databaser eller Öppna databas…"
        )
        self.demo_banner.setWordWrap(True)
        self.demo_banner.setAccessibleName("Exempeldatabas")
        self.demo_banner.setStyleSheet(
            "QLabel { background: #fff4d6; color: #5c3d00; border: 1px solid #e0b84c; "
            "padding: 6px 10px; }"
        )
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.demo_banner)
        column.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._menus()
        self.setAcceptDrops(True)  # a kvittens from the RCC may be dropped on the window
        self._restore_settings()
        self._update_title()
        self._remember_database(ctx.db_path)
        self.show_list()

    # ------------------------------------------------------------------ pages
    def _list_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        intro = QLabel(
            "Regionernas redovisningar av arbetet med standardiserade vårdförlopp. Färgerna visar "
            "villkoren för den andra utbetalningen: grönt uppfyllt, rött ej uppfyllt, grått ännu "
            "inte känt. Håll muspekaren över en ruta för siffrorna; dubbelklicka för att öppna."
        )
        intro.setWordWrap(True)
        self.demo_note = QLabel("<i>Detta är exempeldatabasen: alla siffror är påhittade.</i>")
        buttons = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Sök region (namn eller länskod)")
        self.search.setAccessibleName("Sök region")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(300)
        self.search.setMaximumWidth(360)
        self.search.textChanged.connect(self.shown.setFilterFixedString)
        self.new_button = QPushButton("&Ny redovisning…")
        self.open_button = QPushButton("Ö&ppna")
        self.delete_button = QPushButton("&Ta bort…")
        self.new_button.clicked.connect(self.new_report)
        self.open_button.clicked.connect(self.open_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        for b in (self.new_button, self.open_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.search)
        layout.addWidget(intro)
        layout.addWidget(self.demo_note)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        return page

    def _welcome_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        text = QLabel(
            "<h1>Välkommen till SVF-redovisning</h1>"
            "<p>Här fyller du i regionens redovisning av arbetet med standardiserade vårdförlopp, "
            "steg för steg, och allt sparas medan du skriver.<br>"
            "Börja med <b>Ny redovisning</b>, eller titta först i exempeldatabasen med påhittade "
            "siffror för alla 21 regioner.</p>"
        )
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(text)
        row = QHBoxLayout()
        row.addStretch(1)
        self.welcome_new = QPushButton("Ny redovisning…")
        self.welcome_demo = QPushButton("Öppna exempeldatabasen")
        self.welcome_new.clicked.connect(self.new_report)
        self.welcome_demo.clicked.connect(self.open_demo_database)
        row.addWidget(self.welcome_new)
        row.addWidget(self.welcome_demo)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        return page

    def show_list(self) -> None:
        self._close_report()
        self.model.reload()
        self.stack.setCurrentIndex(0 if self.model.rowCount() else 1)
        self.demo_note.setVisible(self.is_demo)
        self._update_actions()

    # ------------------------------------------------------------------ menus
    def _menus(self) -> None:
        bar = self.menuBar()
        arkiv = bar.addMenu("&Arkiv")
        self.act_new = self._action(
            arkiv, "&Ny redovisning…", self.new_report, QKeySequence.StandardKey.New
        )
        self.act_open = self._action(
            arkiv, "Ö&ppna markerad redovisning", self.open_selected, QKeySequence.StandardKey.Open
        )
        self.act_list = self._action(
            arkiv, "&Alla redovisningar", self.show_list, QKeySequence("Ctrl+L")
        )
        self._action(arkiv, "Importera &kvittens…", self.import_receipt)
        arkiv.addSeparator()
        self._action(arkiv, "N&y databas…", self.new_database)
        self._action(arkiv, "Öppna &databas…", self.choose_database, QKeySequence("Ctrl+Shift+O"))
        self.recent_menu = arkiv.addMenu("&Senaste databaser")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._action(arkiv, "Öppna &exempeldatabasen", self.open_demo_database)
        arkiv.addSeparator()
        self._action(arkiv, "A&vsluta", self.close, QKeySequence.StandardKey.Quit)

        edit = bar.addMenu("&Redigera")
        self.act_undo = self.undo_group.createUndoAction(self, "&Ångra")
        self.act_undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.act_redo = self.undo_group.createRedoAction(self, "&Gör om")
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        edit.addAction(self.act_undo)
        edit.addAction(self.act_redo)

        sign = bar.addMenu("&Underskrifter")
        self._action(sign, "&Intyga ekonomisk redovisning (PDF)…", self.certify_pdf)
        self._action(sign, "&Signera som behörig företrädare (PDF)…", self.sign_pdf)
        self._action(sign, "&Verifiera PDF…", self.verify_pdfs)
        sign.addSeparator()
        self._action(sign, "I&mportera intygad eller signerad PDF…", self.import_signed)

        rcc = bar.addMenu("R&CC")
        self.act_rcc = self._action(
            rcc, "&Inkorg, sammanställning och utbetalning…", self.show_rcc, QKeySequence("Ctrl+R")
        )

        help_menu = bar.addMenu("&Hjälp")
        act_help = self._action(
            help_menu, "&Hjälp", self.show_help, QKeySequence.StandardKey.HelpContents
        )
        act_help.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)  # F1 in dialogs too
        self._action(help_menu, "&Om SVF-redovisning", self.show_about)

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:  # type: ignore[no-untyped-def]
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcut(shortcut)
        act.triggered.connect(slot)
        menu.addAction(act)
        return act

    def _update_actions(self) -> None:
        has_rows = self.model.rowCount() > 0
        self.open_button.setEnabled(has_rows)
        self.delete_button.setEnabled(has_rows)

    @property
    def is_demo(self) -> bool:
        """Whether the open database is the example database."""
        from desktop_app.services.demo import is_demo_database

        return is_demo_database(self.ctx.db_path)

    def _update_title(self) -> None:
        demo = " – Exempeldatabas (påhittade siffror)" if self.is_demo else ""
        read_only = " (skrivskyddad – databasen är skadad)" if self.ctx.read_only else ""
        self.setWindowTitle(f"SVF-redovisning{demo} – {self.ctx.db_path.name}{read_only}")
        self.demo_banner.setVisible(self.is_demo)
        self.statusBar().showMessage(f"Databas: {self.ctx.db_path}{read_only}")

    # ------------------------------------------------------------------ report actions
    def _id_at(self, shown_row: int) -> int:
        """The report of a row as shown (sorted and filtered)."""
        return self.model.report_id(self.shown.source_row(shown_row))

    def selected_report_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            idx = self.table.currentIndex()
            return self._id_at(idx.row()) if idx.isValid() else None
        return self._id_at(rows[0].row())

    def new_report(self) -> None:
        self.new_dialog = NewReportDialog(self)
        self.new_dialog.accepted.connect(self._create_from_dialog)
        self.new_dialog.open()

    def _create_from_dialog(self) -> None:
        assert self.new_dialog is not None
        region, year = self.new_dialog.choice()
        self.create_report(region, year)

    def create_report(self, region: str, year: int) -> int | None:
        try:
            report_id = reports.create_report(self.ctx, region, year)
        except UserError as exc:
            self.show_error(str(exc))
            return None
        self.open_report(report_id)
        return report_id

    def open_selected(self) -> None:
        report_id = self.selected_report_id()
        if report_id is None:
            self.statusBar().showMessage(
                "Ingen redovisning är markerad. Klicka på en rad i listan och välj Öppna, eller "
                "dubbelklicka på raden.",
                10_000,
            )
            return
        self.open_report(report_id)

    def open_report(self, report_id: int) -> None:
        from desktop_app.ui.report_view import ReportView
        from desktop_app.ui.session import ReportSession

        self._close_report()
        try:
            session = ReportSession(self.ctx, report_id, self)
        except UserError as exc:
            self.show_error(str(exc))
            return
        view = ReportView(session)
        view.back.connect(self.show_list)
        view.unlock_requested.connect(lambda: self.unlock_report(report_id))
        session.saved.connect(
            lambda: self.statusBar().showMessage(f"Sparat {datetime.now():%H:%M}")
        )
        session.failed.connect(self.show_error)
        session.busy.connect(self.show_busy)
        session.notice.connect(lambda text: self.statusBar().showMessage(text, 15_000))
        self.undo_group.addStack(session.undo_stack)
        self.undo_group.setActiveStack(session.undo_stack)
        self.report_view = view
        self.stack.addWidget(view)
        self.stack.setCurrentWidget(view)
        settings = QSettings()
        state = settings.value("report/splitter")
        if isinstance(state, QByteArray):
            view.splitter.restoreState(state)
        self.statusBar().showMessage("Allt du skriver sparas direkt.")

    def _close_report(self) -> None:
        view = self.report_view
        if view is None:
            return
        QSettings().setValue("report/splitter", view.splitter.saveState())
        self.undo_group.removeStack(view.session.undo_stack)
        self.stack.removeWidget(view)
        view.deleteLater()
        self.report_view = None

    def delete_selected(self) -> None:
        report_id = self.selected_report_id()
        if report_id is None:
            return
        row = self.model.row_of(report_id)
        o = self.model.overview(row) if row is not None else None
        what = f"{o.region.name} {o.year}" if o else f"id {report_id}"
        if not self.confirm(
            "Ta bort redovisning",
            f"Vill du ta bort redovisningen för {what}? Allt som skrivits i den försvinner och "
            "kan inte ångras.",
        ):
            return
        try:
            reports.delete_report(self.ctx, report_id)
        except UserError as exc:
            self.show_error(str(exc))
        self.show_list()

    # ------------------------------------------------------------------ RCC workspace
    def show_rcc(self) -> None:
        from desktop_app.ui.rcc_view import RccView

        self._close_report()
        if self.rcc_view is None:
            try:
                self.rcc_view = RccView(self.ctx)
            except UserError as exc:
                self.show_error(str(exc))
                return
            self.rcc_view.back.connect(self.show_list)
            self.stack.addWidget(self.rcc_view)
        else:
            self.rcc_view.reload()
        self.stack.setCurrentWidget(self.rcc_view)

    def _drop_rcc(self) -> None:
        if self.rcc_view is not None:
            self.stack.removeWidget(self.rcc_view)
            self.rcc_view.deleteLater()
            self.rcc_view = None

    # ------------------------------------------------------------------ signatures
    def _signing_dialog(self, kind: str, path: Path) -> QDialog | None:
        """The verification dialog opens at once (it verifies in its own worker). The
        certification and signing dialogs need the file read and verified first: that runs
        in a worker, and the dialog opens when it is done (``signing_dialog_ready``); None is
        returned meanwhile, and a file that cannot be used is reported instead."""
        from desktop_app.services import signing
        from desktop_app.ui.signing_ui import VerifyDialog

        if kind == "verify":
            dialog: QDialog = VerifyDialog(self.ctx, [path], self)
            self._show_signing_dialog(dialog)
            return dialog
        if self.signing_worker is not None:
            self.signing_worker.cancel()
        self.signing_dialog = None
        self.statusBar().showMessage(f"Läser och kontrollerar {path.name} …")
        worker = Worker(signing.summarize_pdf, Path(path), self.ctx.today())
        worker.signals.result.connect(lambda summary: self._summary_read(kind, path, summary))
        worker.signals.error.connect(self._summary_failed)
        self.signing_worker = worker.start(file_pool())
        return None

    def _summary_read(self, kind: str, path: Path, summary: object) -> None:
        from desktop_app.ui.signing_ui import CertifyDialog, SignDialog

        assert_gui_thread("MainWindow._summary_read")
        self.signing_worker = None
        self.statusBar().clearMessage()
        cls = CertifyDialog if kind == "certify" else SignDialog
        try:
            dialog = cls(self.ctx, path, self, summary=summary)  # type: ignore[arg-type]
        except UserError as exc:
            self.show_error(str(exc))
            return
        self._show_signing_dialog(dialog)

    def _summary_failed(self, exc: object) -> None:
        assert_gui_thread("MainWindow._summary_failed")
        self.signing_worker = None
        if not isinstance(exc, BaseException):
            return
        if not isinstance(exc, UserError):
            sys.excepthook(type(exc), exc, exc.__traceback__)  # the application's error dialog
            return
        self.show_error(str(exc))

    def _show_signing_dialog(self, dialog: QDialog) -> None:
        from desktop_app.ui.help import add_help_key

        self.signing_dialog = dialog
        add_help_key(dialog, self.show_help)  # the window behind a modal dialog gets no F1
        dialog.open()
        self.signing_dialog_ready.emit(dialog)

    def certify_pdf(self, path: Path | None = None) -> QDialog | None:
        path = path or self.ask_open_file("Välj den exporterade PDF-filen", "PDF (*.pdf)")
        return self._signing_dialog("certify", path) if path else None

    def sign_pdf(self, path: Path | None = None) -> QDialog | None:
        path = path or self.ask_open_file("Välj den intygade PDF-filen", "PDF (*.pdf)")
        return self._signing_dialog("sign", path) if path else None

    def verify_pdfs(self, path: Path | None = None) -> QDialog | None:
        path = path or self.ask_open_file("Välj PDF-filen att verifiera", "PDF (*.pdf)")
        return self._signing_dialog("verify", path) if path else None

    def import_signed(self, path: Path | None = None) -> int | None:
        from desktop_app.services import signing

        path = path or self.ask_open_file(
            "Välj den intygade eller signerade PDF-filen", "PDF (*.pdf)"
        )
        if path is None:
            return None
        try:
            result = signing.import_signed_pdf(self.ctx, path)
        except UserError as exc:
            self.show_error(str(exc))
            return None
        self.open_report(result.report_id)
        from desktop_app.domain.report import STATUS_LABELS

        self.statusBar().showMessage(
            f"{path.name} är inläst; redovisningen är {STATUS_LABELS[result.status].lower()} och låst.",
            10_000,
        )
        return result.report_id

    def import_receipt(self, path: Path | None = None) -> QDialog | None:
        from desktop_app.ui.receipt_ui import import_receipt_into

        path = path or self.ask_open_file("Välj kvittensen från RCC", "PDF (*.pdf)")
        return import_receipt_into(self, path) if path else None

    def dragEnterEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        from desktop_app.ui.receipt_ui import drop

        event.acceptProposedAction()
        drop(self, event.mimeData())

    def unlock_report(self, report_id: int) -> None:
        from desktop_app.services import signing

        if not self.confirm(
            "Lås upp redovisningen",
            "Om du låser upp blir det en ny version av redovisningen. Ekonomichefens intygande och "
            "underskrifterna gäller då inte längre, och redovisningen måste intygas och signeras igen.",
            "Lås upp",
        ):
            return
        try:
            signing.unlock_report(self.ctx, report_id)
        except UserError as exc:
            self.show_error(str(exc))
            return
        self.open_report(report_id)

    # ------------------------------------------------------------------ databases
    def set_context(self, ctx: AppContext, first_start: bool = False) -> None:
        self._close_report()
        self._drop_rcc()
        old = self.ctx
        self.ctx = ctx
        self.first_start = first_start
        self.model.set_context(ctx)
        self._update_title()
        self.show_list()
        if old is not ctx:
            old.close()
        QSettings().setValue("database/last", str(ctx.db_path))
        self._remember_database(ctx.db_path)

    # The databases opened lately, newest first (Arkiv → Senaste databaser).
    RECENT_KEY = "database/recent"
    RECENT_MAX = 6

    def recent_databases(self) -> list[Path]:
        value = QSettings().value(self.RECENT_KEY, [])
        items = [value] if isinstance(value, str) else list(value or [])
        return [Path(p) for p in items if isinstance(p, str) and p]

    def _remember_database(self, path: Path) -> None:
        paths = [str(path)] + [str(p) for p in self.recent_databases() if p != path]
        QSettings().setValue(self.RECENT_KEY, paths[: self.RECENT_MAX])

    def _fill_recent(self) -> None:
        from desktop_app.services.demo import is_demo_database

        self.recent_menu.clear()
        paths = self.recent_databases()
        if not paths:
            none = self.recent_menu.addAction("(inga ännu)")
            none.setEnabled(False)
            return
        for path in paths:
            name = f"{path.name} – {path.parent}"
            if is_demo_database(path):
                name += " (exempel)"
            if not path.exists():
                name += " (finns inte längre)"
            action = self.recent_menu.addAction(name)
            action.setEnabled(path.exists() and path != self.ctx.db_path)
            action.triggered.connect(lambda _c=False, p=path: self.open_database(p))

    def new_database(self) -> None:
        """Arkiv → Ny databas…: an empty database in a file the user names."""
        path = self.ask_save_file(
            "Ny databas", "svf-redovisning.sqlite3", "SVF-databas (*.sqlite3);;Alla filer (*)"
        )
        if path is None:
            return
        if path.suffix == "":
            path = path.with_suffix(".sqlite3")
        if path.exists():
            self.show_error(
                f"Det finns redan en fil {path.name} i {path.parent}. Välj ett annat namn, eller "
                "öppna den med Arkiv → Öppna databas…"
            )
            return
        self.open_database(path)

    def open_database(self, path: Path) -> bool:
        from desktop_app.services.bootstrap import bootstrap

        try:
            ctx = bootstrap(path)
        except UserError as exc:
            self.show_error(str(exc))
            return False
        self.set_context(ctx)
        return True

    def choose_database(self) -> None:
        path = self.ask_open_file("Öppna databas", "SVF-databas (*.sqlite3 *.db);;Alla filer (*)")
        if path is not None:
            self.open_database(path)

    def open_demo_database(self) -> None:
        from desktop_app.services.bootstrap import bootstrap
        from desktop_app.services.demo import create_demo, demo_db_path

        path = demo_db_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            ctx = bootstrap(path)
            if not reports.summarise_reports(ctx):
                create_demo(ctx)
        except UserError as exc:
            self.show_error(str(exc))
            return
        self.set_context(ctx, first_start=True)

    # ------------------------------------------------------------------ dialogs (patchable in tests)
    def ask_save_file(self, title: str, name: str, filters: str) -> Path | None:
        start = str(self.ctx.db_path.parent / name)
        chosen, _ = QFileDialog.getSaveFileName(
            self, title, start, filters, options=QFileDialog.Option.DontConfirmOverwrite
        )
        return Path(chosen) if chosen else None

    def ask_open_file(self, title: str, filters: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self, title, str(self.ctx.db_path.parent), filters)
        return Path(name) if name else None

    def confirm(self, title: str, text: str, action: str = "Ta bort") -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self)
        yes = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Avbryt", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is yes

    def show_busy(self, text: str, retry: object, cancel: object) -> None:
        """The database is held by another run: the message with "Försök igen"."""
        from desktop_app.ui.store_dialogs import BusyBox

        self.statusBar().showMessage(text.splitlines()[0], 10_000)
        self.busy_box = BusyBox(text, retry, cancel, parent=self)  # type: ignore[arg-type]
        self.busy_box.open()

    def show_error(self, text: str) -> None:
        self.statusBar().showMessage(text.splitlines()[0], 10_000)
        self.error_box = QMessageBox(QMessageBox.Icon.Warning, "SVF-redovisning", text, parent=self)
        self.error_box.open()

    def show_help(self) -> None:
        """F1: the guide (ui.help), on the page for the screen in front."""
        from desktop_app.ui.help import open_help

        self.help_window = open_help(getattr(self, "help_window", None), self.help_screen())

    def help_screen(self) -> str:
        """Which screen is in front, as resources/help/index.json names them."""
        from desktop_app.ui.signing_ui import CertifyDialog, SignDialog

        dialog = self.signing_dialog
        if dialog is not None and dialog.isVisible():
            if isinstance(dialog, CertifyDialog):
                return "certify"
            if isinstance(dialog, SignDialog):
                return "sign"
        current = self.stack.currentWidget()
        if current is not None and current is self.rcc_view:
            return "rcc"
        if current is not None and current is self.report_view:
            step = self.report_view.current_page().step.id
            return "review" if step == "granska" else "report"
        return "welcome" if self.stack.currentIndex() == 1 else "list"

    def show_about(self) -> None:
        from desktop_app.services.help import about_facts
        from desktop_app.ui.help import AboutDialog

        self.about_box = AboutDialog(about_facts(self.ctx.db_path), self)
        self.about_box.open()

    # ------------------------------------------------------------------ settings
    def _restore_settings(self) -> None:
        geometry = QSettings().value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 760)
        self.fit_to_screen()

    def fit_to_screen(self) -> None:
        """Inside the screen's available area (a 1366×768 laptop with its taskbar): a window
        larger than it opens maximised, one partly off screen is moved back."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        frame = self.frameGeometry()
        extra_w, extra_h = frame.width() - self.width(), frame.height() - self.height()
        if self.width() + extra_w > area.width() or self.height() + extra_h > area.height():
            self.resize(
                min(self.width(), area.width() - extra_w),
                min(self.height(), area.height() - extra_h),
            )
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        frame = self.frameGeometry()
        if not area.contains(frame):
            x = min(max(frame.x(), area.x()), area.right() - frame.width() + 1)
            y = min(max(frame.y(), area.y()), area.bottom() - frame.height() + 1)
            self.move(max(x, area.x()), max(y, area.y()))

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        self.model.cancel()
        self._close_report()
        super().closeEvent(event)
