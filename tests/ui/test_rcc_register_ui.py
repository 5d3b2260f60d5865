"""Issue 11 in the RCC view, driven as an officer would: register a report that came in another
form (with a message beside each wrong field), open its file again from the inbox, set the
RCC's last day, and preview the package to Socialstyrelsen before signing."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate

from tests.ui.test_rcc_view import _row_of, column, open_rcc, wait_loaded


def word_file(folder: Path) -> Path:
    path = folder / "redovisning-norrbotten.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document>Region Norrbotten 2024</w:document>")
    return path


def _register(ctx, file: Path, received_on: date = date(2024, 8, 30)):
    from desktop_app.services.inbox_register import Registration, register_report

    return register_report(
        ctx,
        Registration(
            region="25",
            year=2024,
            file=file,
            received_on=received_on,
            included=800,
            expected=1000,
            prem_used=True,
            urology_answered=True,
            reason="Kom med e-post",
        ),
    )


def test_the_officer_registers_a_report_that_came_as_a_word_file(qtbot, ctx, tmp_path, monkeypatch):
    _window, view = open_rcc(qtbot, ctx, "norr")
    dialog = view.open_register()
    assert dialog.windowTitle() == "Registrera redovisning som kommit på annat sätt"
    dialog.ok_button.click()  # nothing filled in: a message beside each field
    assert dialog.isVisible()
    for key in ("file", "included", "expected", "prem_used", "urology_answered", "reason"):
        assert dialog.errors[key].isVisible() and dialog.errors[key].text(), key
    assert "PDF- eller Word-fil" in dialog.errors["file"].text()
    assert not dialog.errors["region"].isVisible()

    dialog.region.setCurrentIndex(dialog.region.findData("25"))
    dialog.file.setText(str(word_file(tmp_path)))
    dialog.received_on.setDate(QDate(2024, 8, 30))
    qtbot.keyClicks(dialog.included, "800")
    qtbot.keyClicks(dialog.expected, "noll")
    dialog.prem_used.yes.setChecked(True)
    dialog.urology_answered.no.setChecked(True)
    dialog.reason.setText("Kom med e-post 30/8 som Word-fil i RCC:s mall")
    dialog.ok_button.click()
    assert dialog.isVisible() and "heltal" in dialog.errors["expected"].text()
    assert not dialog.errors["file"].isVisible() and not dialog.errors["reason"].isVisible()
    dialog.expected.setText("1000")
    dialog.ok_button.click()
    assert not dialog.isVisible()
    wait_loaded(qtbot, view)

    t = view.inbox_table
    row = _row_of(t, "redovisning-norrbotten.docx")
    assert t.item(row, column(t, "Status")).text() == "Godkänd med anmärkning – registrerad av RCC"
    assert t.item(row, column(t, "Intygande")).text() == "Registrerad av RCC"
    assert t.item(row, column(t, "Mottagen")).text() == "2024-08-30"
    assert "registrerad av RCC" in view.status.text()
    summary = view.summary.text()
    assert "utan siffror (räknad på sitt underlag): Region Norrbotten" in summary
    assert "Norrbotten" not in summary.split("Saknas:")[1].split(".")[0]
    t.selectRow(row)
    assert "Underlag: inkluderade 800 av 1000" in view.details.text()
    assert "urologin besvarad nej" in view.details.text()

    opened: list[Path] = []
    monkeypatch.setattr("desktop_app.ui.files.open_file", lambda p: opened.append(p) or True)
    assert view.open_file_button.isEnabled()
    view.open_file_button.click()
    assert opened and opened[0].read_bytes() == word_file(tmp_path).read_bytes()
    assert opened[0].name == "redovisning-norrbotten.docx"


def test_the_last_day_is_set_in_the_view_and_judges_the_files_again(qtbot, ctx, tmp_path):
    _register(ctx, word_file(tmp_path), received_on=date(2024, 8, 30))
    _window, view = open_rcc(qtbot, ctx, "norr")
    assert "30 september 2024 (mallens datum)" in view.last_day_label.text()
    t = view.inbox_table
    row = _row_of(t, "redovisning-norrbotten.docx")
    assert t.item(row, column(t, "I tid")).text() == "I tid"

    dialog = view.open_last_day()
    assert dialog.rcc_id == "norr"
    assert dialog.day.date() == QDate(2024, 9, 30)  # the template's date by default
    assert "mallens datum" in dialog.current.text()
    dialog.set_day(date(2024, 8, 20))
    dialog.reason.setText("RCC Norr sammanställer tidigare i år")
    dialog.ok_button.click()
    assert not dialog.isVisible()
    wait_loaded(qtbot, view)
    assert "RCC Norr: 20 augusti 2024" in view.last_day_label.text()
    t = view.inbox_table
    row = _row_of(t, "redovisning-norrbotten.docx")
    assert t.item(row, column(t, "I tid")).text() == "För sent"
    with ctx.uow() as uow:
        (event,) = [e for e in uow.inbox.events() if e.kind == "last_day"]
    assert event.value == "norr:2024:2024-08-20" and event.reason.startswith("RCC Norr")

    again = view.open_last_day()
    assert again.day.date() == QDate(2024, 8, 20) and "RCC:s inställning" in again.current.text()
    again.reject()


def test_the_package_is_previewed_unsigned_with_who_is_left_out(qtbot, ctx, tmp_path, monkeypatch):
    _register(ctx, word_file(tmp_path))
    opened: list[Path] = []
    monkeypatch.setattr("desktop_app.ui.round_ui.open_file", lambda p: opened.append(p) or True)
    _window, view = open_rcc(qtbot, ctx, "norr")
    actions = view.round_actions
    actions.preview_button.click()
    qtbot.waitUntil(lambda: actions.preview_dialog is not None, timeout=60_000)
    d = actions.preview_dialog
    assert d.included.item(0).text() == (
        "Region Norrbotten (25): Godkänd med anmärkning – registrerad av RCC "
        "(region-25-2024-registrerad-av-rcc.docx)"
    )
    left = [d.left_out.item(i).text() for i in range(d.left_out.count())]
    assert len(left) == 3 and left[0].startswith("Region Västernorrland (22): Saknas")
    assert opened and opened[0].suffix == ".pdf"
    from desktop_app.services.package_verify import verify_package

    v = verify_package(opened[0].read_bytes(), opened[0].name)
    assert not v.ok and "RCC:s underskrift av paketet saknas." in v.problems
    assert "inte underskriven" in view.status.text()
