"""Publicering (issue 15, point 7), a box of the review step: before signing, what the
published copy will hide (cells with 1–4 patients, PREM with fewer than 30 answers, the
template's limits), each a click away from its cell; after signing, "Skriv publicerad
version…" writes the copy next to the signed original, which is not changed."""

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
from desktop_app.ui.workers import Worker, assert_gui_thread, file_pool

_GOOD, _BAD, _CAUTION = "#1e7b34", "#a4161a", "#8a5a00"


def _write(ctx: AppContext, original: Path) -> publish.PublishedCopy:
    return publish.write_published_copy(ctx, original)


class PublishBox(QGroupBox):
    """What the published copy hides, and the button that writes it."""

    jump = Signal(object)  # Finding

    def __init__(self, session: ReportSession, parent: QWidget | None = None) -> None:
        super().__init__("Publicering", parent)
        self.session = session
        self.worker: Worker | None = None
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
