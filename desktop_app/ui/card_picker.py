"""The smart-card part of the signer box (issue 13, point 8): the keys on the cards that were
found — certificate name, use, validity, card — to pick from, the PIN, "Lägg till modul…" for a
card program installed somewhere unusual (remembered per user in QSettings), "Sök igen" and
"Testa kortet", which shows what was found or why nothing was.

The modules are loaded and the cards read in a worker (services.cards.scan); a card reader can
take seconds to answer."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services import cards
from desktop_app.ui.errors import failure_text
from desktop_app.ui.widgets.dialog_fit import FittedDialog
from desktop_app.ui.workers import Worker, assert_gui_thread, file_pool

MODULES_KEY = "signing/card_modules"  # the modules the user added, per user
KEY_ROLE = Qt.ItemDataRole.UserRole
PIN_TEXT = "Kortets PIN-kod för underskrift – sparas inte"
PINPAD_TEXT = "Kortläsaren har egen knappsats: skriv PIN-koden där (eller här)"


def remembered_modules() -> list[str]:
    """The module files the user added with "Lägg till modul…"."""
    value = QSettings().value(MODULES_KEY)
    if isinstance(value, str):
        value = [value] if value else []
    return [str(v) for v in value or [] if str(v).strip()]


def remember_module(path: str) -> None:
    modules = [m for m in remembered_modules() if m != path]
    QSettings().setValue(MODULES_KEY, [path, *modules])


class CardTestDialog(FittedDialog):
    """ "Testa kortet": each module, its readers, cards and keys, and the conclusion."""

    def __init__(self, lines: list[cards.ReportLine], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Testa kortet")
        self.resize(760, 420)
        layout = QVBoxLayout(self)
        self.report = QTextBrowser()
        self.report.setAccessibleName("Vad som hittades")
        self.report.setHtml(report_html(lines))
        layout.addWidget(self.report, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        close = QPushButton("Stäng")
        close.setDefault(True)
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout.addLayout(row)


def report_html(lines: list[cards.ReportLine]) -> str:
    parts = []
    for line in lines:
        style = f"margin-left:{22 * line.depth}px;"
        if line.problem:
            style += "color:#a4161a;"
        text = html.escape(line.text)
        if line.depth == 0 and not line.problem:
            text = f"<b>{text}</b>"
        parts.append(f"<p style='{style} margin-top:2px; margin-bottom:2px'>{text}</p>")
    return "".join(parts)


class CardPicker(QWidget):
    """Pick a key on a smart card and type its PIN. The cards are looked for the first time
    the picker is shown, and again with "Sök igen"."""

    scanned = Signal(object)  # CardScan

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: cards.CardScan | None = None
        self.worker: Worker | None = None
        self.test_dialog: CardTestDialog | None = None
        self._show_test = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.key_list = QTreeWidget()
        self.key_list.setAccessibleName("Nycklar på korten")
        self.key_list.setHeaderLabels(["Certifikat (namn)", "Användning", "Giltigt", "Kort"])
        self.key_list.setRootIsDecorated(False)
        self.key_list.setMinimumHeight(96)
        self.key_list.setMaximumHeight(120)
        self.key_list.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            self.key_list.header().setSectionResizeMode(
                col, QHeaderView.ResizeMode.ResizeToContents
            )
        self.key_list.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.key_list)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Kortstatus")
        layout.addWidget(self.status)
        form = QFormLayout()
        self.pin = QLineEdit()
        self.pin.setAccessibleName("PIN-kod")
        self.pin.setPlaceholderText(PIN_TEXT)
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("PIN:", self.pin)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.rescan_button = QPushButton("Sök igen")
        self.rescan_button.setToolTip("Leta efter kort igen, t.ex. efter att du satt i kortet")
        self.rescan_button.clicked.connect(lambda: self.scan())
        self.test_button = QPushButton("Testa kortet")
        self.test_button.setToolTip("Visa vilka program, kort och nycklar som hittades")
        self.test_button.clicked.connect(lambda: self.scan(show_report=True))
        self.add_button = QPushButton("Lägg till modul…")
        self.add_button.setToolTip(
            "Välj kortprogrammets PKCS#11-modul (.dll/.so) om den inte hittas av sig själv"
        )
        self.add_button.clicked.connect(self.add_module)
        for b in (self.rescan_button, self.test_button, self.add_button):
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)

    # ------------------------------------------------------------------ looking for cards
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self.result is None and self.worker is None:
            self.scan()

    @property
    def scanning(self) -> bool:
        return self.worker is not None

    def scan(self, show_report: bool = False) -> None:
        """Look for modules, cards and keys in a worker; ``show_report`` opens "Testa kortet"
        with what was found."""
        assert_gui_thread("CardPicker.scan")
        self._show_test = self._show_test or show_report
        if self.worker is not None:
            return
        for b in (self.rescan_button, self.test_button):
            b.setEnabled(False)
        self._set_status("Letar efter kortläsare och kort …")
        self.worker = Worker(cards.scan, remembered_modules())
        self.worker.signals.result.connect(self._scanned)
        self.worker.signals.error.connect(self._scan_failed)
        self.worker.start(file_pool())

    def _done_scanning(self) -> None:
        self.worker = None
        for b in (self.rescan_button, self.test_button):
            b.setEnabled(True)

    def _scanned(self, result: cards.CardScan) -> None:
        assert_gui_thread("CardPicker._scanned")
        self._done_scanning()
        self.result = result
        self._fill(result)
        if self._show_test:
            self._show_test = False
            self.show_test(result)
        self.scanned.emit(result)

    def _scan_failed(self, exc: object) -> None:
        assert_gui_thread("CardPicker._scan_failed")
        self._done_scanning()
        self._show_test = False
        self._set_status(failure_text(exc, "Det gick inte att leta efter kort"), error=True)

    def _fill(self, result: cards.CardScan) -> None:
        today = date.today()
        self.key_list.clear()
        usable = result.usable(today)
        for key in result.all_keys():
            item = QTreeWidgetItem([key.subject, key.usage, key.validity(), f"{key.token_label}"])
            item.setData(0, KEY_ROLE, key)
            item.setToolTip(0, f"Utfärdare: {key.issuer}\nModul: {key.module}")
            if key not in usable:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                item.setForeground(0, Qt.GlobalColor.gray)
                item.setToolTip(0, "Certifikatet gäller inte i dag, eller kortet är låst.")
            self.key_list.addTopLevelItem(item)
        first = next(
            (self.key_list.topLevelItem(i) for i in range(self.key_list.topLevelItemCount())
             if self.key_list.topLevelItem(i).data(0, KEY_ROLE) in usable),
            None,
        )  # fmt: skip
        if first is not None:
            first.setSelected(True)
            self.key_list.setCurrentItem(first)
        why = result.explanation(today)
        if why:
            self._set_status(why, error=True)
        else:
            self._selection_changed()

    def _selection_changed(self) -> None:
        key = self.selected_key()
        pinpad = key is not None and key.pinpad
        self.pin.setPlaceholderText(PINPAD_TEXT if pinpad else PIN_TEXT)
        if key is not None:
            where = " Skriv PIN-koden på kortläsaren när den ber om den." if pinpad else ""
            self._set_status(
                f"Signerar med {cards.key_text(key)} på kortet {key.token_label}.{where}"
            )

    def _set_status(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #a4161a;" if error else "color: #333;")

    def show_test(self, result: cards.CardScan) -> None:
        self.test_dialog = CardTestDialog(cards.test_report(result, date.today()), self)
        self.test_dialog.open()

    # ------------------------------------------------------------------ adding a module
    def ask_module_file(self) -> str:  # patchable in tests
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Välj kortprogrammets PKCS#11-modul",
            "",
            "PKCS#11-modul (*.dll *.so *.so.* *.dylib);;Alla filer (*)",
        )
        return name

    def add_module(self) -> None:
        """Choose a module file once; it is remembered for this user and looked in first."""
        name = self.ask_module_file()
        if not name:
            return
        problem = cards.module_file_problem(name)
        if problem:
            self._set_status(problem, error=True)
            return
        remember_module(name)
        self.scan()

    # ------------------------------------------------------------------ the choice
    def selected_key(self) -> cards.CardKey | None:
        items = self.key_list.selectedItems()
        return items[0].data(0, KEY_ROLE) if items else None

    def problems(self) -> list[str]:
        if self.scanning:
            return ["Smart kort: vänta tills sökningen efter kort är klar."]
        if self.selected_key() is None:
            why = self.result.explanation(date.today()) if self.result else ""
            return [f"Smart kort: välj en nyckel i listan. {why}".strip()]
        if not self.pin.text() and not self.selected_key().pinpad:  # type: ignore[union-attr]
            return ["Smart kort: skriv kortets PIN-kod."]
        return []

    def take_values(self) -> dict[str, Any]:
        """The chosen key as plain values for the signing job (module, token, key, key_id,
        pin); the PIN field is cleared (it is used once)."""
        assert_gui_thread("CardPicker.take_values")
        key = self.selected_key()
        try:
            if key is None:
                return {"module": "", "token": "", "key": "", "key_id": "", "pin": ""}
            return {
                "module": str(key.module),
                "token": key.token_label,
                "key": key.label,
                "key_id": key.key_id,
                "pin": self.pin.text(),
            }
        finally:
            self.pin.clear()
