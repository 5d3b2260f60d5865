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


def test_the_list_searches_sorts_and_shows_the_version(qtbot, ctx):
    """Issue 13, point 10: search by region, sort by any column, a version column; Ctrl+O with
    nothing selected says so in the status line."""
    from desktop_app.services import reports

    create_demo(ctx)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    shown = window.shown
    qtbot.waitUntil(lambda: not window.model.loading, timeout=30_000)
    version = next(
        c
        for c in range(shown.columnCount())
        if shown.headerData(c, Qt.Orientation.Horizontal) == "Version"
    )
    assert shown.data(shown.index(0, version)) == "1"

    qtbot.keyClicks(window.search, "norrb")
    assert shown.rowCount() == 1
    assert shown.data(shown.index(0, 0)) == "Region Norrbotten (25)"
    window.search.clear()
    qtbot.keyClicks(window.search, "09")
    assert [shown.data(shown.index(r, 0)) for r in range(shown.rowCount())] == [
        "Region Gotland (09)"
    ]
    window.table.selectRow(0)
    gotland = window.selected_report_id()
    assert reports.get_report(ctx, gotland).region_code == "09"
    window.search.clear()
    assert shown.rowCount() == 21

    window.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # as a click on the header
    names = [shown.data(shown.index(r, 0)) for r in range(shown.rowCount())]
    assert names == sorted(names, reverse=True)
    window.table.selectRow(0)
    first = window.selected_report_id()
    assert f"{reports.get_report(ctx, first).region_code})" in names[0]  # the row's own report

    window.table.clearSelection()
    window.table.setCurrentIndex(shown.index(-1, -1))
    window.open_selected()
    assert "Ingen redovisning är markerad" in window.statusBar().currentMessage()
    assert window.report_view is None


def test_first_start_opens_the_users_own_empty_database_and_the_example_is_separate(
    qtbot, tmp_path, monkeypatch
):
    """Issue 13, point 1: the first start shows the welcome page on an empty database; the
    example opens on request in its own file, marked in the title and a banner; the user's
    database still holds no report (and `svf-report list` says so)."""
    from desktop_app.cli import main
    from desktop_app.services import reports
    from desktop_app.services.bootstrap import bootstrap
    from desktop_app.services.demo import DEMO_DB_NAME

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("SVF_REPORT_DB", raising=False)
    from desktop_app.services.bootstrap import default_db_path

    own = default_db_path()
    own.parent.mkdir(parents=True)
    ctx = bootstrap(own)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.stack.currentIndex() == 1  # the welcome page
    assert not window.demo_banner.isVisible()
    assert "Exempeldatabas" not in window.windowTitle()

    qtbot.mouseClick(window.welcome_demo, Qt.MouseButton.LeftButton)
    assert window.ctx.db_path.name == DEMO_DB_NAME and window.ctx.db_path != own
    assert window.model.rowCount() == 21
    assert "Exempeldatabas" in window.windowTitle()
    assert window.demo_banner.isVisible()
    window.open_report(window.model.report_id(0))
    assert window.demo_banner.isVisible()  # over the report too

    assert own in window.recent_databases()
    window._fill_recent()
    mine = next(a for a in window.recent_menu.actions() if a.text().startswith(own.name))
    mine.trigger()
    assert window.ctx.db_path == own and window.model.rowCount() == 0
    assert not window.demo_banner.isVisible()
    assert reports.list_reports(window.ctx) == []
    window.close()
    assert main(["list", "--db", str(own)]) == 0


def test_a_new_database_is_made_where_the_user_says_and_never_overwrites(qtbot, ctx, tmp_path):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    target = tmp_path / "region25"
    window.ask_save_file = lambda *a: target  # type: ignore[method-assign]
    window.new_database()
    assert window.ctx.db_path == target.with_suffix(".sqlite3")
    assert window.ctx.db_path.exists()
    window.ask_save_file = lambda *a: target.with_suffix(".sqlite3")  # type: ignore[method-assign]
    window.new_database()
    assert "Det finns redan en fil" in window.statusBar().currentMessage()


def test_the_window_fits_a_laptop_screen(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(4000, 3000)
    window.fit_to_screen()
    area = window.screen().availableGeometry()
    assert window.isMaximized() or (
        window.width() <= area.width() and window.height() <= area.height()
    )
