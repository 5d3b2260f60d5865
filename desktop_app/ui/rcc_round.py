"""The RCC officer's acts on the inbox (issue 11): decide on a file that waits (accept or
refuse, with a reason), set the real arrival date, trust a file's signers for its region, and
manage the register of signers and the trusted CAs. Each dialog calls only services; every
act is logged there."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import UserError
from desktop_app.domain.vocabulary import Decision, label
from desktop_app.services import signers
from desktop_app.services.bootstrap import AppContext
from desktop_app.services.inbox_decisions import decide, set_received_on
from desktop_app.services.inbox_entries import InboxEntry
from desktop_app.ui.widgets.dialog_fit import FittedDialog


def _buttons(dialog: QDialog, ok_text: str) -> tuple[QHBoxLayout, QPushButton]:
    row = QHBoxLayout()
    row.addStretch(1)
    ok = QPushButton(ok_text)
    cancel = QPushButton("Avbryt")
    cancel.clicked.connect(dialog.reject)
    row.addWidget(ok)
    row.addWidget(cancel)
    return row, ok


class DecisionDialog(FittedDialog):
    """Accept or refuse a received file, with a reason that is logged."""

    def __init__(self, ctx: AppContext, entry: InboxEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.entry = ctx, entry
        self.setWindowTitle(f"Beslut om {entry.file_name}")
        layout = QVBoxLayout(self)
        why = entry.reason or "Inget att anmärka."
        head = QLabel(f"<b>{entry.file_name}</b> – {entry.status_label}<br>{why}")
        head.setWordWrap(True)
        layout.addWidget(head)
        self.accept_choice = QRadioButton(label(Decision.ACCEPT) + " (räknas)")
        self.refuse_choice = QRadioButton(label(Decision.REFUSE) + " (räknas inte)")
        group = QButtonGroup(self)
        for b in (self.accept_choice, self.refuse_choice):
            group.addButton(b)
            layout.addWidget(b)
        self.accept_choice.setChecked(True)
        layout.addWidget(QLabel("&Skäl (loggas med ditt användarnamn):"))
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Skäl för beslutet")
        layout.itemAt(layout.count() - 1).widget().setBuddy(self.reason)  # type: ignore[union-attr]
        layout.addWidget(self.reason)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a4161a")
        layout.addWidget(self.error)
        row, self.ok_button = _buttons(self, "Spara beslut")
        self.ok_button.clicked.connect(self.save)
        layout.addLayout(row)
        self.result_entry: InboxEntry | None = None

    def save(self) -> None:
        choice = Decision.ACCEPT if self.accept_choice.isChecked() else Decision.REFUSE
        try:
            assert self.entry.id is not None
            self.result_entry = decide(self.ctx, self.entry.id, choice, self.reason.text())
        except UserError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


class ReceivedOnDialog(FittedDialog):
    """The date a file really arrived at the RCC (e.g. the e-mail's), with a reason."""

    def __init__(self, ctx: AppContext, entry: InboxEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.entry = ctx, entry
        self.setWindowTitle(f"Mottagningsdag för {entry.file_name}")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("&Mottagen av RCC:"))
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        got = entry.received_on or ctx.today()
        self.day.setDate(QDate(got.year, got.month, got.day))
        layout.itemAt(0).widget().setBuddy(self.day)  # type: ignore[union-attr]
        layout.addWidget(self.day)
        layout.addWidget(QLabel("Skäl (loggas):"))
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Skäl för ändrad mottagningsdag")
        layout.addWidget(self.reason)
        self.error = QLabel()
        self.error.setStyleSheet("color: #a4161a")
        layout.addWidget(self.error)
        row, ok = _buttons(self, "Spara")
        ok.clicked.connect(self.save)
        layout.addLayout(row)

    def set_day(self, day: date) -> None:
        self.day.setDate(QDate(day.year, day.month, day.day))

    def save(self) -> None:
        q = self.day.date()
        try:
            assert self.entry.id is not None
            set_received_on(
                self.ctx, self.entry.id, date(q.year(), q.month(), q.day()), self.reason.text()
            )
        except UserError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


def _table(headers: list[str], name: str) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.setAccessibleName(name)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.horizontalHeader().setStretchLastSection(True)
    return t


class SignersDialog(FittedDialog):
    """The register of each region's signers and the trusted CAs (the trust folder)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Underskrivare och betrodda utfärdare")
        self.resize(900, 560)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Registrerade underskrivare</b> (per region och roll)"))
        self.signers_table = _table(
            ["Id", "Region", "Roller", "Certifikat / utfärdare", "Registrerad av", "Datum"],
            "Registrerade underskrivare",
        )
        layout.addWidget(self.signers_table, 1)
        row = QHBoxLayout()
        self.remove_signer_button = QPushButton("Ta bort registreringen")
        self.remove_signer_button.clicked.connect(self._remove_signer)
        row.addWidget(self.remove_signer_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.folder = signers.trust_folder()
        layout.addWidget(QLabel(f"<b>Betrodda utfärdare (CA)</b> i {self.folder}"))
        self.anchors_table = _table(["Fil", "Utfärdare", "SHA-256"], "Betrodda utfärdare")
        layout.addWidget(self.anchors_table, 1)
        row = QHBoxLayout()
        self.add_anchor_button = QPushButton("Lägg till CA-certifikat…")
        self.add_anchor_button.clicked.connect(self._add_anchor)
        self.remove_anchor_button = QPushButton("Ta bort")
        self.remove_anchor_button.clicked.connect(self._remove_anchor)
        row.addWidget(self.add_anchor_button)
        row.addWidget(self.remove_anchor_button)
        row.addStretch(1)
        close = QPushButton("Stäng")
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout.addLayout(row)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.refresh()

    def refresh(self) -> None:
        t = self.signers_table
        t.setRowCount(0)
        for s in signers.list_signers(self.ctx):
            r = t.rowCount()
            t.insertRow(r)
            what = (
                f"{s.subject} (organisationsidentitet {s.organisation_id})"
                if s.organisation_id
                else f"{s.subject} ({s.cert_sha256[:16]}…)"
            )
            cells = [
                str(s.id),
                s.region_code,
                ", ".join(label(x) for x in s.roles),
                what,
                s.registered_by,
                f"{s.registered_at:%Y-%m-%d %H:%M}",
            ]
            for c, text in enumerate(cells):
                t.setItem(r, c, QTableWidgetItem(text))
        a = self.anchors_table
        a.setRowCount(0)
        for anchor in signers.trust_anchors(self.folder):
            r = a.rowCount()
            a.insertRow(r)
            for c, text in enumerate((anchor.file_name, anchor.subject, anchor.sha256[:32])):
                a.setItem(r, c, QTableWidgetItem(text))

    def _selected(self, t: QTableWidget) -> str | None:
        rows = t.selectionModel().selectedRows()
        return t.item(rows[0].row(), 0).text() if rows else None

    def _remove_signer(self) -> None:
        chosen = self._selected(self.signers_table)
        if chosen is None:
            self.message.setText("Välj en registrering att ta bort.")
            return
        signers.remove_signer(self.ctx, int(chosen))
        self.message.setText(f"Registrering {chosen} borttagen.")
        self.refresh()

    def ask_anchor_file(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Välj CA-certifikat", "", "Certifikat (*.pem *.crt *.cer *.der)"
        )
        return Path(name) if name else None

    def add_anchor(self, path: Path) -> None:
        try:
            anchor = signers.add_trust_anchor(path, self.folder)
        except UserError as exc:
            self.message.setText(str(exc))
            return
        self.message.setText(f"{anchor.subject} är nu en betrodd utfärdare.")
        self.refresh()

    def _add_anchor(self) -> None:
        path = self.ask_anchor_file()
        if path is not None:
            self.add_anchor(path)

    def _remove_anchor(self) -> None:
        chosen = self._selected(self.anchors_table)
        if chosen is None:
            self.message.setText("Välj ett certifikat att ta bort.")
            return
        try:
            signers.remove_trust_anchor(chosen, self.folder)
        except UserError as exc:
            self.message.setText(str(exc))
            return
        self.refresh()


def trust_entry_signers(ctx: AppContext, entry: InboxEntry) -> str:
    """ "Lita på denna underskrivare för Region X": the Swedish outcome for the status line."""
    assert entry.id is not None
    try:
        added = signers.trust_signers_of_entry(ctx, entry.id)
    except UserError as exc:
        return str(exc)
    region = entry.region_name or entry.region_code
    if not added:
        return f"Underskrivarna i {entry.file_name} är redan registrerade för {region}."
    who = ", ".join(f"{s.subject} ({label(s.roles[0])})" for s in added)
    return f"Registrerade för {region}: {who}. Läs in filen igen eller välj Uppdatera."
