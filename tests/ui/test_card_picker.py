"""Smart cards found, not typed (issue 13, point 8), through the certification dialog: the
SoftHSM2 card shows up in the card list without a module path being typed, the finance chief
picks the key, types the PIN and certifies; "Testa kortet" tells what was found; a module
added once is remembered for the next dialog."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop_app.services import reports, signing
from desktop_app.services.demo import create_demo
from desktop_app.services.exports import export_pdf
from desktop_app.ui.card_picker import CardPicker, remembered_modules
from desktop_app.ui.signing_ui import CertifyDialog
from tests.helpers.softhsm import (  # noqa: F401 - fresh_softhsm is a fixture
    fresh_softhsm,
    make_token,
    require_softhsm,
    reset_softhsm,
)

PASSWORD = "kort-lösen"


@pytest.fixture
def card(tmp_path, monkeypatch):
    """A SoftHSM2 card 'SITHS-kort' (PIN 1234) with Eva Ekonom's key, for this test only."""
    require_softhsm()
    p12 = tmp_path / "chef.p12"
    signing.create_demo_certificate("Eva Ekonom", p12, PASSWORD)
    conf = make_token(tmp_path / "hsm", p12, PASSWORD, label="SITHS-kort", cert_label="Eva E")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    reset_softhsm()
    yield conf
    reset_softhsm()


def certify_dialog(qtbot, ctx, tmp_path) -> CertifyDialog:
    create_demo(ctx)
    rid = next(r.id for r in reports.list_reports(ctx) if r.region.code == "24")
    pdf = tmp_path / "vasterbotten.pdf"
    export_pdf(ctx, rid, pdf)
    dialog = CertifyDialog(ctx, pdf)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def scanned(qtbot, picker: CardPicker) -> None:
    qtbot.waitUntil(lambda: picker.result is not None and not picker.scanning, timeout=30_000)


@pytest.mark.slow
def test_the_softhsm_card_is_found_picked_and_certifies(qtbot, ctx, tmp_path, card):
    dialog = certify_dialog(qtbot, ctx, tmp_path)
    box = dialog.signer_box
    qtbot.mouseClick(box.card_choice, Qt.MouseButton.LeftButton)
    picker = box.card
    scanned(qtbot, picker)  # looked for as soon as the card page is shown
    assert remembered_modules() == []  # nothing typed, nothing added
    items = [picker.key_list.topLevelItem(i) for i in range(picker.key_list.topLevelItemCount())]
    assert [(i.text(0), i.text(1), i.text(3)) for i in items] == [
        ("Eva Ekonom", "underskrift", "SITHS-kort")
    ]
    assert items[0].isSelected()  # the only valid signing key is preselected
    assert " – " in items[0].text(2)  # its validity
    assert "Signerar med Eva Ekonom" in picker.status.text()

    dialog.alt1.setChecked(True)
    dialog.name.setText("Eva Ekonom")
    dialog.title.setText("Ekonomidirektör")
    dialog.phone.setText("090-785 00 00")
    dialog.email.setText("eva.ekonom@example.se")
    qtbot.mouseClick(dialog.action_button, Qt.MouseButton.LeftButton)
    assert "PIN-kod" in dialog.status.text()  # no PIN typed: nothing is signed

    picker.pin.setText("0000")
    qtbot.mouseClick(dialog.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Fel PIN-kod" in dialog.status.text(), timeout=30_000)
    assert picker.pin.text() == ""  # the PIN is used once

    picker.pin.setText("1234")
    with qtbot.waitSignal(dialog.done, timeout=30_000) as done:
        qtbot.mouseClick(dialog.action_button, Qt.MouseButton.LeftButton)
    made = Path(str(done.args[0]))
    (result,) = signing.verify_files([made], None, ctx.today())
    assert result.certified
    assert [s.signer_name for s in result.signatures] == ["Eva Ekonom"]


def test_testa_kortet_shows_the_modules_card_and_key(qtbot, ctx, tmp_path, card):
    picker = CardPicker()
    qtbot.addWidget(picker)
    picker.show()
    scanned(qtbot, picker)
    qtbot.mouseClick(picker.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: picker.test_dialog is not None, timeout=30_000)
    text = picker.test_dialog.report.toPlainText()
    assert "Modul: SoftHSM2" in text and "Kort: SITHS-kort" in text
    assert "Nyckel: Eva Ekonom (underskrift, giltigt" in text
    assert "Klart att signera: 1 nyckel." in text


@pytest.mark.usefixtures("fresh_softhsm")
def test_no_card_is_explained_and_an_added_module_is_remembered(qtbot, tmp_path, monkeypatch):
    module = require_softhsm()
    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    picker = CardPicker()
    qtbot.addWidget(picker)
    picker.show()
    scanned(qtbot, picker)
    assert picker.key_list.topLevelItemCount() == 0
    assert "Inget kort sitter i läsaren" in picker.status.text()
    assert "välj en nyckel" in picker.problems()[0]

    fake = tmp_path / "inte-en-modul.txt"
    fake.write_text("x")
    monkeypatch.setattr(picker, "ask_module_file", lambda: str(fake))
    qtbot.mouseClick(picker.add_button, Qt.MouseButton.LeftButton)
    assert "ingen PKCS#11-modul" in picker.status.text() and remembered_modules() == []

    own = tmp_path / "mitt-kortprogram.so"
    own.symlink_to(module)
    monkeypatch.setattr(picker, "ask_module_file", lambda: str(own))
    qtbot.mouseClick(picker.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not picker.scanning, timeout=30_000)
    assert remembered_modules() == [str(own)]
    again = CardPicker()  # the next dialog looks in the added module first
    qtbot.addWidget(again)
    again.show()
    scanned(qtbot, again)
    assert again.result is not None
    first = again.result.modules[0].module
    assert first.path == own and first.added_by_user


def test_a_reader_with_a_keypad_needs_no_pin_typed_here(qtbot, monkeypatch):
    import datetime as dt

    from desktop_app.services import cards

    def scan_of(pinpad: bool) -> cards.CardScan:
        now = dt.datetime.now(dt.UTC)
        key = cards.CardKey(
            Path("/iidp11.dll"), "SITHS eID", "7", "Underskrift", "02", "Åsa Ekonomsson",
            "SITHS e-id Person HSA-id 3 CA", now - dt.timedelta(days=9),
            now + dt.timedelta(days=700), True, pinpad=pinpad,
        )  # fmt: skip
        token = cards.CardToken("SITHS eID", "7", "", "", (key,), pinpad=pinpad)
        module = cards.CardModule(Path("/iidp11.dll"), "Net iD / SITHS eID")
        return cards.CardScan((cards.ModuleScan(module, 1, (token,)),))

    for pinpad, problems in ((True, []), (False, ["Smart kort: skriv kortets PIN-kod."])):
        monkeypatch.setattr(cards, "scan", lambda extra=(), p=pinpad: scan_of(p))
        picker = CardPicker()
        qtbot.addWidget(picker)
        picker.show()
        scanned(qtbot, picker)
        assert picker.selected_key() is not None and picker.problems() == problems
        assert ("kortläsaren" in picker.status.text()) is pinpad
        assert picker.take_values()["key_id"] == "02"
