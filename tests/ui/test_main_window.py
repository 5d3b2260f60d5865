from PySide6.QtCore import Qt

from desktop_app.services.demo import create_demo
from desktop_app.ui.main_window import MainWindow


def cell(model, row, header):
    col = next(
        c
        for c in range(model.columnCount())
        if model.headerData(c, Qt.Orientation.Horizontal) == header
    )
    return model.index(row, col)


def test_main_window_lists_reports_with_criteria(qtbot, ctx):
    create_demo(ctx)
    window = MainWindow(ctx, first_start=True)
    qtbot.addWidget(window)
    window.show()
    model = window.model
    assert model.rowCount() == 21
    qtbot.waitUntil(lambda: not model.loading, timeout=30_000)  # criteria come from a worker
    rows = {model.data(model.index(r, 0)): r for r in range(model.rowCount())}
    norrbotten = rows["Region Norrbotten (25)"]
    idx = cell(model, norrbotten, "Inklusionsmålet")
    assert model.data(idx) == "Ej uppfyllt"
    assert model.data(idx, Qt.ItemDataRole.ToolTipRole).startswith("Inklusion 6")
    gotland = rows["Region Gotland (09)"]
    assert model.data(cell(model, gotland, "PREM")) == "Ej uppfyllt"
    assert model.data(cell(model, rows["Region Uppsala (03)"], "Inklusionsmålet")) == "Uppfyllt"


def test_empty_database_shows_an_empty_list(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert window.model.rowCount() == 0
    assert window.windowTitle().startswith("SVF-redovisning")


def test_rows_show_at_once_and_criteria_follow_keeping_the_selection(qtbot, ctx):
    create_demo(ctx)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    model = window.model
    assert model.rowCount() == 21 and window.stack.currentIndex() == 0
    window.table.selectRow(3)
    chosen = window.selected_report_id()
    with qtbot.waitSignal(model.checked, timeout=30_000):
        pass
    assert not model.loading
    assert model.columnCount() > len(model.BASE)
    assert window.selected_report_id() == chosen
    # Back to the list: the rows are read again, and the criteria columns stay while rechecking.
    columns = model.columnCount()
    window.show_list()
    assert model.loading and model.columnCount() == columns
    qtbot.waitUntil(lambda: not model.loading, timeout=30_000)
    assert model.columnCount() == columns
