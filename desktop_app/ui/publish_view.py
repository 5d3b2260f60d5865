"""Publicering (issue 15, point 7), a box of the review step: before signing, what the
published copy will hide (cells with 1–4 patients, PREM with fewer than 30 answers, the
template's limits, and the values hidden with them so that a total cannot give them away),
each a click away from its cell; "Förhandsgranska publicerad version" draws the copy of the
report as it is now and opens it; after signing, "Skriv publicerad version…" writes the copy
next to the signed original, which is not changed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
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

from desktop_app.domain.findings import Finding
from desktop_app.services import publish
from desktop_app.services.bootstrap import AppContext
from desktop_app.services.reports import Changes
from desktop_app.ui.errors import failure_text
from desktop_app.ui.files import last_folder, remember_folder
from desktop_app.ui.session import ReportSession
from desktop_app.ui.workers import Worker, assert_gui_thread, db_pool, file_pool

_GOOD, _BAD, _CAUTION = "#1e7b34", "#a4161a", "#8a5a00"


def _write(ctx: AppContext, original: Path) -> publish.PublishedCopy:
    return publish.write_published_copy(ctx, original)


def _preview(ctx: AppContext, report_id: int, out: Path) -> publish.PublishedCopy:
    return publish.preview_published_copy(ctx, report_id, out)


def preview_path(report_id: int) -> Path:
    """Where the preview goes: the user's temporary folder (it holds aggregates only)."""
    import tempfile

    folder = Path(tempfile.gettempdir()) / "SVF-redovisning"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"forhandsgranskning-publicerad-{report_id}.pdf"


class PublishBox(QGroupBox):
    """What the published copy hides, and the button that writes it."""

    jump = Signal(object)  # Finding

    def __init__(self, session: ReportSession, parent: QWidget | None = None) -> None:
        super().__init__("Publicering", parent)
        self.session = session
        self.worker: Worker | None = None
        self.last_preview: Path | None = None
        col = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        col.addWidget(self.summary)
        self.list = QListWidget()
        self.list.setAccessibleName("Uppgifter som döljs i den publicerade versionen")
        self.list.setWordWrap(True)
        self.list.setMaximumHeight(80)
        self.list.itemClicked.connect(self._activated)
        self.list.itemActivated.connect(self._activated)
        col.addWidget(self.list)
        row = QHBoxLayout()
        self.preview_button = QPushButton("Förhandsgranska publicerad version")
        self.preview_button.setAccessibleName(
            "Visa hur den publicerade versionen av redovisningen kommer att se ut"
        )
        self.preview_button.clicked.connect(self.preview)
        row.addWidget(self.preview_button)
        self.write_button = QPushButton("Skriv publicerad version…")
        self.write_button.setAccessibleName(
            "Skriv en publicerad version av den underskrivna PDF-filen"
        )
        self.write_button.clicked.connect(self.choose_original)
        row.addWidget(self.write_button)
        self.status = QLabel()
        self.status.setWordWrap(True)
        row.addWidget(self.status, 1)
        col.addLayout(row)
        self.refresh(Changes(figures=True))
        session.changed.connect(self.refresh)

    def refresh(self, changes: Changes) -> None:
        if not (changes.figures or changes.prem or changes == Changes()):
            return
        found = publish.check_disclosure(self.session.report, self.session.template)
        self.list.clear()
        for f in found:
            item = QListWidgetItem(f.message)
            item.setData(Qt.ItemDataRole.UserRole, f)
            item.setToolTip("Klicka för att gå till stället")
            self.list.addItem(item)
        self.list.setVisible(bool(found))
        if found:
            self.summary.setText(
                f"<span style='color:{_CAUTION}'><b>{len(found)} uppgifter döljs</b> i den "
                "publicerade versionen (för få patienter eller PREM-svar för att visas). Den "
                "undertecknade originalfilen har de exakta talen.</span>"
            )
        else:
            self.summary.setText(
                "Inget behöver döljas i den publicerade versionen: alla antal och PREM-resultat "
                "kan visas."
            )

    def _activated(self, item: QListWidgetItem) -> None:
        finding = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(finding, Finding):
            self.jump.emit(finding)

    def ask_original(self) -> Path | None:
        """The file chooser for the signed original (tests replace this method)."""
        name, _ = QFileDialog.getOpenFileName(
            self, "Välj den underskrivna PDF-filen", str(last_folder("pdf")), "PDF (*.pdf)"
        )
        if not name:
            return None
        remember_folder("pdf", Path(name))
        return Path(name)

    def choose_original(self) -> None:
        original = self.ask_original()
        if original is not None:
            self.write_copy(original)

    def write_copy(self, original: Path) -> None:
        """Write the published copy beside ``original`` (off the UI thread)."""
        self.write_button.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText("Skriver den publicerade versionen …")
        self.worker = Worker(_write, self.session.ctx, original)
        self.worker.signals.result.connect(self._written)
        self.worker.signals.error.connect(self._failed)
        self.worker.start(file_pool())

    def preview(self) -> None:
        """Draw the published copy of the report as it is now and open it (off the UI
        thread)."""
        self.preview_button.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText("Ritar förhandsgranskningen …")
        out = preview_path(self.session.report_id)
        self.worker = Worker(_preview, self.session.ctx, self.session.report_id, out)
        self.worker.signals.result.connect(self._previewed)
        self.worker.signals.error.connect(self._preview_failed)
        self.worker.start(db_pool())

    def open_file(self, path: Path) -> None:
        """Open ``path`` in the PDF reader (tests replace this method)."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _previewed(self, result: object) -> None:
        assert_gui_thread("PublishBox._previewed")
        self.preview_button.setEnabled(True)
        path = Path(getattr(result, "path", ""))
        self.last_preview = path
        self.status.setText(
            f"Förhandsgranskningen ({getattr(result, 'pages', '?')} sidor) öppnas: {path}. Den "
            "är inte underskriven; skriv den publicerade versionen från den underskrivna filen."
        )
        self.status.setStyleSheet(f"color: {_GOOD};")
        self.open_file(path)

    def _preview_failed(self, exc: object) -> None:
        assert_gui_thread("PublishBox._preview_failed")
        self.preview_button.setEnabled(True)
        self.status.setText(failure_text(exc, "Det gick inte att förhandsgranska"))
        self.status.setStyleSheet(f"color: {_BAD};")

    def _written(self, result: object) -> None:
        assert_gui_thread("PublishBox._written")
        self.write_button.setEnabled(True)
        path = getattr(result, "path", "")
        self.status.setText(f"Sparat: {path}. Originalet är oförändrat.")
        self.status.setStyleSheet(f"color: {_GOOD};")

    def _failed(self, exc: object) -> None:
        assert_gui_thread("PublishBox._failed")
        self.write_button.setEnabled(True)
        text = failure_text(exc, "Det gick inte att skriva")
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {_BAD};")
