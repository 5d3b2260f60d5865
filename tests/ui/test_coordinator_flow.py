"""Issue 4's whole flow in the real window: create a report, import a workbook through the
preview, see the inclusion badge go red, fix a cell and see it turn green, undo the fix, type a
narrative, restart on the same database and find everything; drop a broken workbook."""

from PySide6.QtCore import Qt

from desktop_app.services import imports, reports
from desktop_app.ui.main_window import MainWindow
from tests.e2e.test_cli import column_of, fill_workbook, row_of
from tests.helpers.factories import make_ctx
from tests.ui.test_figures_step import drop_file, idx, type_into


def test_coordinator_flow(qtbot, db_path, tmp_path, monkeypatch):
    ctx = make_ctx(db_path)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    rid = window.create_report("25", 2024)
    view = window.report_view
    card = view.criteria.cards["inclusion"]
    assert card.status == "unknown"

    # Import a filled workbook: 6 of 10 included everywhere = 60 %.
    workbook = tmp_path / "norrbotten.xlsx"
    imports.write_template(ctx, "25", 2024, workbook)
    fill_workbook(workbook, included=6)
    page = view.go_to_step("svf-statistik")
    monkeypatch.setattr(page, "ask_import_path", lambda: workbook)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.preview_dialog is not None, timeout=10_000)
    dialog = page.preview_dialog
    assert dialog.table.rowCount() == 57 * 5 + 3  # every count cell, plus the three PREM values
    dialog.import_button.click()
    assert card.status == "fail"
    assert card.message.text() == "Inklusion 60,0 % (342 av 570) – målet 70 % nås inte"

    # Fix a cell: breast cancer, women, 6 -> 66 included (and investigated, so it stays consistent)
    type_into(qtbot, page, idx(page, "brost", "investigated", "kvinnor"), "80")
    type_into(qtbot, page, idx(page, "brost", "included", "kvinnor"), "66")
    assert card.status == "pass"
    assert card.message.text().startswith("Inklusion 70,5 % (402 av 570)")
    window.act_undo.trigger()  # undo the fix
    assert card.status == "fail"
    assert reports.get_report(ctx, rid).figures.get("brost", "included", "kvinnor") == 6

    # A narrative, typed.
    urology = view.go_to_step("urologi").questions["urology"].editor
    qtbot.keyClicks(urology, "Ny utredningsmottagning")
    assert view.step_mark("urologi") == "done"

    # A broken workbook dropped on the grid: the Swedish message, nothing changed.
    before = reports.dump_report(ctx, rid)
    broken = tmp_path / "trasig.xlsx"
    imports.write_template(ctx, "25", 2024, broken)
    lung = row_of(broken, "lunga")
    fill_workbook(broken, included=7, bad={f"{column_of(broken, 'expected_man')}{lung}": "många"})
    page = view.go_to_step("svf-statistik")
    assert drop_file(page, broken)
    qtbot.waitUntil(lambda: page.error_panel.isVisible(), timeout=10_000)
    assert "kan inte importeras" in page.error_title.text()
    assert "Inget har ändrats" in page.error_title.text()
    assert any("många" in page.error_list.item(i).text() for i in range(page.error_list.count()))
    assert reports.dump_report(ctx, rid) == before

    # Restart on the same database: everything as it was.
    window.close()
    ctx.close()
    ctx2 = make_ctx(db_path)
    window2 = MainWindow(ctx2)
    qtbot.addWidget(window2)
    window2.show()
    window2.open_report(rid)
    view2 = window2.report_view
    assert view2.criteria.cards["inclusion"].status == "fail"
    assert (
        view2.go_to_step("urologi").questions["urology"].editor.toPlainText()
        == "Ny utredningsmottagning"
    )
    grid = view2.go_to_step("svf-statistik")
    assert grid.model.data(idx(grid, "brost", "included", "kvinnor")) == "6"
    assert grid.model.data(idx(grid, "brost", "investigated", "kvinnor")) == "80"
    assert reports.dump_report(ctx2, rid) == before
    ctx2.close()
