"""The RCC workspace driven as a user: import signed files, see refusals with their reasons,
compare two versions, read the compilation, edit a population and see the split change."""

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from desktop_app.ui.main_window import MainWindow
from tests.helpers.signed_demo import signed_demo_pdfs


@pytest.fixture(scope="session")
def signed_demo(pytestconfig, tmp_path_factory):
    return signed_demo_pdfs(pytestconfig, tmp_path_factory)


@pytest.fixture
def registered(ctx, signed_demo):
    """The RCC has registered every region's demo signers (issue 11)."""
    signed_demo.register(ctx)
    return ctx


def open_rcc(qtbot, ctx, scope):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.act_rcc.trigger()
    view = window.rcc_view
    view.scope.setCurrentIndex(view.scope.findData(scope))
    view.year.setCurrentIndex(view.year.findData(2024))
    wait_loaded(qtbot, view)
    return window, view


def wait_loaded(qtbot, view):
    """The inbox and the compilation are read off the UI thread; wait for them."""
    qtbot.waitUntil(lambda: not view.loading, timeout=60_000)


def import_and_wait(qtbot, view, paths):
    view.import_paths(paths)
    qtbot.waitUntil(lambda: view.worker is not None and view.worker.done, timeout=60_000)
    qtbot.waitUntil(lambda: view.import_files_button.isEnabled(), timeout=10_000)


def column(table, header):
    return next(
        c for c in range(table.columnCount()) if table.horizontalHeaderItem(c).text() == header
    )


def test_inbox_refuses_with_reasons_and_compiles_the_rest(
    qtbot, ctx, registered, signed_demo, tmp_path
):
    window, view = open_rcc(qtbot, ctx, "norr")
    tampered = tmp_path / "manipulerad-22.pdf"
    data = bytearray(signed_demo.files["22"].read_bytes())
    data[len(data) // 3] ^= 0x01
    tampered.write_bytes(bytes(data))
    paths = [
        signed_demo.files["23"],
        signed_demo.v2["24"],
        signed_demo.files["24"],  # older duplicate
        signed_demo.files["25"],
        tampered,
        signed_demo.unsigned["24"],
        signed_demo.files["01"],
    ]
    import_and_wait(qtbot, view, paths)
    assert "7 filer inlästa" in view.status.text()
    t = view.inbox_table
    rows = {
        (t.item(r, column(t, "Fil")).text()): (
            t.item(r, column(t, "Status")).text(),
            t.item(r, column(t, "Skäl")).text(),
        )
        for r in range(t.rowCount())
    }
    # Stockholm's file is kept, but RCC Norr's view filters it out (issue 11).
    assert "signerad-01.pdf" not in rows and len(rows) == 6
    assert rows["manipulerad-22.pdf"][0] == "Avvisad"
    assert rows["export-24.pdf"][0] == "Ersatt"  # unsigned version 1, version 2 counted
    assert rows["signerad-24.pdf"][0] == "Ersatt"
    assert rows["signerad-24-v2.pdf"][0] == "Godkänd"
    assert rows["signerad-23.pdf"][0] == "Godkänd"

    # The two versions of Västerbotten can be compared.
    row = next(
        r for r in range(t.rowCount()) if t.item(r, column(t, "Fil")).text() == "signerad-24-v2.pdf"
    )
    t.selectRow(row)
    assert view.diff_button.isEnabled()
    dialog = view.show_diff()
    assert dialog is not None and dialog.table.rowCount() > 0
    assert "version 1 → 2" in dialog.windowTitle()
    dialog.close()

    # Compilation: Västernorrland (tampered) is missing; three regions compiled.
    assert "3 av 4 regioner" in view.summary.text()
    assert "Saknas: Region Västernorrland" in view.summary.text()
    assert view.svf_table.rowCount() == 32
    assert len(view.lead_chart.bar_sets) == 2

    # Restarting keeps the inbox (it is in the database).
    window.close()
    window2, view2 = open_rcc(qtbot, ctx, "norr")
    assert view2.inbox_table.rowCount() == 6
    # The whole country shows every file received, whatever view received it.
    view2.scope.setCurrentIndex(view2.scope.findData("national"))
    wait_loaded(qtbot, view2)
    t = view2.inbox_table
    files = {t.item(r, column(t, "Fil")).text() for r in range(t.rowCount())}
    assert len(files) == 7 and "signerad-01.pdf" in files


@pytest.mark.slow
def test_payment_view_and_population_edit(qtbot, ctx, registered, signed_demo):
    window, view = open_rcc(qtbot, ctx, "national")
    import_and_wait(qtbot, view, [signed_demo.files[c] for c in signed_demo.files])
    t = view.payment_table
    last = t.rowCount() - 1
    assert t.item(last, 0).text() == "Summa"
    assert t.item(last, column(t, "Utbetalning 1")).text() == "182 500 000 kr"
    assert "Slutlig fördelning" in view.payment_note.text()
    assert t.item(last, column(t, "Utbetalning 2")).text() == "182 500 000 kr"
    row = {t.item(r, 0).text(): r for r in range(last)}
    nb = row["Region Norrbotten (25)"]
    assert t.item(nb, column(t, "Utbetalning 2")).text() == "0 kr"
    assert "Inklusion" in t.item(nb, column(t, "Skäl")).text()
    # Edit Stockholm's population: the first payment of every region changes, still adding up.
    sthlm = row["Region Stockholm (01)"]
    before = t.item(sthlm, column(t, "Utbetalning 1")).text()
    t.item(sthlm, column(t, "Befolkning")).setText("2500000")
    wait_loaded(qtbot, view)
    t = view.payment_table
    row = {t.item(r, 0).text(): r for r in range(t.rowCount() - 1)}
    assert t.item(row["Region Stockholm (01)"], column(t, "Utbetalning 1")).text() != before
    assert t.item(t.rowCount() - 1, column(t, "Utbetalning 1")).text() == "182 500 000 kr"
    # a bad value is refused with a message
    t.item(row["Region Gotland (09)"], column(t, "Befolkning")).setText("många")
    assert "heltal" in view.status.text()


def test_dropping_a_folder_imports_it(qtbot, ctx, signed_demo):
    _window, view = open_rcc(qtbot, ctx, "stockholm-gotland")
    mime = QMimeData()
    mime.setUrls(
        [
            QUrl.fromLocalFile(str(signed_demo.files["01"])),
            QUrl.fromLocalFile(str(signed_demo.files["09"])),
        ]
    )
    enter = QDragEnterEvent(
        QPoint(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(view, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(view, drop)
    qtbot.waitUntil(lambda: view.worker is not None and view.worker.done, timeout=60_000)
    qtbot.waitUntil(lambda: view.inbox_table.rowCount() == 2, timeout=10_000)


def test_exports_workbook_and_rcc_signed_pdf(
    qtbot, ctx, registered, signed_demo, tmp_path, monkeypatch
):
    import shutil
    import subprocess

    from tests.helpers.signed_demo import PASSWORD

    _window, view = open_rcc(qtbot, ctx, "norr")
    import_and_wait(qtbot, view, [signed_demo.files[c] for c in ("22", "23", "24", "25")])
    xlsx = tmp_path / "norr.xlsx"
    monkeypatch.setattr(view, "ask_save", lambda kind: xlsx)
    qtbot.mouseClick(view.export_xlsx_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Sparat" in view.status.text(), timeout=30_000)
    assert xlsx.exists()

    view.show_status("")
    qtbot.mouseClick(view.export_pdf_button, Qt.MouseButton.LeftButton)
    dialog = view.export_dialog
    pdf = tmp_path / "norr.pdf"
    dialog.out.setText(str(pdf))
    dialog.sign.setChecked(True)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert "certifikatfilen" in dialog.error.text()  # signing asked for, but no key chosen
    dialog.signer_box.p12_path.setText(str(signed_demo.rep_p12))
    dialog.signer_box.p12_password.setText(PASSWORD)
    dialog.name.setText("Anna Andersson")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "underskriven av RCC" in view.status.text(), timeout=30_000)
    assert pdf.exists()
    if shutil.which("pdfsig"):
        out = subprocess.run(["pdfsig", str(pdf)], capture_output=True, text=True).stdout
        assert "Signature is Valid." in out


def test_goals_and_the_long_wait_heading_come_from_the_template(qtbot, ctx, monkeypatch):
    from dataclasses import replace

    from desktop_app.services import compilation

    real = compilation.compile_scope

    def other_thresholds(*args, **kwargs):
        res = real(*args, **kwargs)
        tpl = replace(
            res.tpl, inclusion_percent=75.0, lead_time_percent=85.0, long_wait_percent=200.0
        )
        return replace(res, tpl=tpl)

    monkeypatch.setattr(compilation, "compile_scope", other_thresholds)
    _window, view = open_rcc(qtbot, ctx, "norr")
    assert view.inclusion_chart.goal == 75.0
    assert "mål 75 %" in view.inclusion_chart.chart().title()
    assert view.lead_chart.goal == 85.0
    assert "mål 85 %" in view.lead_chart.chart().title()
    s = view.svf_table
    assert s.horizontalHeaderItem(s.columnCount() - 1).text() == "Över 200 %"
    assert "målet 75 %" in view.summary.text()


def test_the_payment_tab_states_the_key_and_loads_a_population_table(
    qtbot, ctx, tmp_path, monkeypatch
):
    """Issue 12, point 5: the key's date, source and "preliminär" are on screen; a table in
    SCB's CSV layout loads in a worker (the file dialog monkeypatched) and becomes the key; a
    bad file is refused with file, row and column and changes nothing."""
    from PySide6.QtCore import QDate

    from desktop_app.domain.reference import load_reference

    _window, view = open_rcc(qtbot, ctx, "national")
    assert "folkmängd 2023-12-31" in view.population_key.text()
    assert "preliminär nyckel" in view.population_key.text()
    assert view.population_date.date() == QDate(2023, 11, 1)  # the state's habit, 1 Nov

    def table(name, bad=False):
        lines = ['"region";"2023M11"']
        for r in load_reference().regions:
            value = "x" if bad and r.code == "03" else str(r.population + 10)
            lines.append(f'"{r.code} {r.lan}";"{value}"')
        path = tmp_path / name
        path.write_text("\n".join(lines), encoding="utf-8")
        return path

    bad = table("trasig.csv", bad=True)
    monkeypatch.setattr(view, "ask_population_file", lambda: bad)
    view.load_population_button.click()
    wait_loaded(qtbot, view)
    assert "trasig.csv, rad 3, kolumn 2" in view.status.text()
    assert "folkmängd 2023-12-31" in view.population_key.text()

    good = table("folkmangd.csv")
    monkeypatch.setattr(view, "ask_population_file", lambda: good)
    view.load_population_button.click()
    wait_loaded(qtbot, view)
    text = view.population_key.text()
    assert "folkmängd 2023-11-01 enligt folkmangd.csv" in text and "preliminär" in text
    assert all(p.edited for p in view.result.populations)


def _row_of(t, file_name):
    return next(r for r in range(t.rowCount()) if t.item(r, column(t, "Fil")).text() == file_name)


def test_an_officer_decides_on_a_waiting_file_with_a_reason(qtbot, ctx, registered, signed_demo):
    _window, view = open_rcc(qtbot, ctx, "norr")
    import_and_wait(qtbot, view, [signed_demo.unsigned["24"]])
    t = view.inbox_table
    row = _row_of(t, "export-24.pdf")
    assert t.item(row, column(t, "Status")).text() == "Väntar på beslut"
    assert t.item(row, column(t, "Mottagen")).text() == "2024-09-01"
    t.selectRow(row)
    assert view.decide_button.isEnabled()
    dialog = view.open_decision()
    dialog.ok_button.click()  # no reason: refused with a message
    assert "skäl" in dialog.error.text() and dialog.isVisible()
    dialog.reason.setText("Regionen skickade filen med e-post, bekräftat per telefon")
    dialog.ok_button.click()
    wait_loaded(qtbot, view)
    t = view.inbox_table
    row = _row_of(t, "export-24.pdf")
    assert t.item(row, column(t, "Status")).text() == "Godkänd med anmärkning"
    assert "Godkänd efter beslut" in t.item(row, column(t, "Skäl")).text()
    assert "Västerbotten" not in view.summary.text().split("Saknas:")[-1]


def test_an_officer_trusts_a_files_signers_for_its_region(qtbot, ctx, signed_demo, tmp_path):
    from desktop_app.services.signers import list_signers

    _window, view = open_rcc(qtbot, ctx, "norr")
    import_and_wait(qtbot, view, [signed_demo.files["23"]])
    t = view.inbox_table
    row = _row_of(t, "signerad-23.pdf")
    assert t.item(row, column(t, "Status")).text() == "Väntar på beslut"
    assert "inte betrott" in t.item(row, column(t, "Skäl")).text()
    t.selectRow(row)
    assert view.trust_button.text() == "Lita på denna underskrivare för Region Jämtland Härjedalen"
    view.trust_button.click()
    wait_loaded(qtbot, view)
    assert "Registrerade för Region Jämtland Härjedalen" in view.status.text()
    assert sorted(r for s in list_signers(ctx, "23") for r in s.roles) == [
        "certification",
        "representative",
    ]
    t = view.inbox_table
    assert t.item(_row_of(t, "signerad-23.pdf"), column(t, "Status")).text() == "Godkänd"
    # The register and the trusted CAs are managed in one dialog.
    monkeypatch_folder = tmp_path / "betrodda"
    dialog = view.open_signers()
    dialog.folder = monkeypatch_folder
    assert dialog.signers_table.rowCount() == 2
    dialog.add_anchor(signed_demo.ca.ca_path)
    assert dialog.anchors_table.rowCount() == 1 and "betrodd utfärdare" in dialog.message.text()
    dialog.signers_table.selectRow(0)
    dialog.remove_signer_button.click()
    assert dialog.signers_table.rowCount() == 1
    dialog.close()


def test_the_arrival_date_is_changed_with_a_reason_and_is_shown(
    qtbot, ctx, registered, signed_demo
):
    from datetime import date

    _window, view = open_rcc(qtbot, ctx, "norr")
    import_and_wait(qtbot, view, [signed_demo.files["23"]])
    t = view.inbox_table
    t.selectRow(_row_of(t, "signerad-23.pdf"))
    dialog = view.open_received_on()
    dialog.set_day(date(2024, 8, 28))
    dialog.save()  # no reason: stays open with the message
    assert "skäl" in dialog.error.text()
    dialog.reason.setText("Mejlet kom 28 augusti")
    dialog.set_day(date(2024, 10, 3))  # after today (2024-09-01 in the tests): refused
    dialog.save()
    assert "framtiden" in dialog.error.text()
    dialog.set_day(date(2024, 8, 28))
    dialog.save()
    wait_loaded(qtbot, view)
    t = view.inbox_table
    row = _row_of(t, "signerad-23.pdf")
    assert t.item(row, column(t, "Mottagen")).text() == "2024-08-28"
    assert t.item(row, column(t, "I tid")).text() == "I tid"
    assert "Mottagen av RCC 28 augusti 2024" in t.item(row, column(t, "Villkor")).toolTip()
