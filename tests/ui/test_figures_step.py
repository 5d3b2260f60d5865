"""The SVF-statistik step driven as a user would: typing, undo, copy/paste, Excel import with
preview, a broken file, the Excel template, drag and drop. Also the worker helper it uses."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFont, QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit

from desktop_app.domain.figures import inclusion
from desktop_app.domain.fmt import fmt_pct
from desktop_app.domain.rules import Location
from desktop_app.services import imports, reports
from desktop_app.ui.models.figures_model import (
    COLOUR_ERROR,
    COLOUR_NOT_APPLICABLE,
    COLOUR_WARNING,
    FiguresModel,
    parse_number,
)
from desktop_app.ui.session import ReportSession
from desktop_app.ui.steps.figures import FiguresStep, split_clipboard
from desktop_app.ui.workers import Worker, db_pool

Role = Qt.ItemDataRole


# ---------------------------------------------------------------------------- helpers


@pytest.fixture
def session(ctx, qtbot):
    report_id = reports.create_report(ctx, "25", 2024)
    s = ReportSession(ctx, report_id)
    yield s
    # A job still reading must not outlive the database.
    db_pool().waitForDone(10_000)


@pytest.fixture
def page(session, qtbot):
    step = next(s for s in session.template.steps if s.kind == "figures")
    p = FiguresStep(session, step)
    qtbot.addWidget(p)
    p.resize(1366, 700)
    p.show()
    qtbot.waitExposed(p)
    return p


def idx(page: FiguresStep, svf: str, measure: str, sex: str):
    m = page.model
    return m.index(m.row_for(svf), m.column_for(measure, sex))


def select(page: FiguresStep, index) -> None:
    """Click-like: the cell becomes current and the only selected one."""
    page.view.selectionModel().setCurrentIndex(
        index, QItemSelectionModel.SelectionFlag.ClearAndSelect
    )


def rate_col(model: FiguresModel, header_start: str) -> int:
    return next(i for i, c in enumerate(model.columns) if c.header.startswith(header_start))


def value(session, svf, measure, sex):
    return session.report.figures.get(svf, measure, sex)


def type_into(qtbot, page: FiguresStep, index, text: str, refused: bool = False) -> None:
    """Open the cell's editor as a user does, type ASCII text and press Enter. A ``refused``
    entry reopens the editor at once with the text, so there is no closed editor to wait
    for: the caller waits for the message instead."""
    view = page.view
    select(page, index)
    view.edit(index)
    editors = [e for e in view.viewport().findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1
    editor = editors[0]
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    if refused:
        return
    # The delegate commits on Enter through a queued call.
    qtbot.waitUntil(
        lambda: not [e for e in view.viewport().findChildren(QLineEdit) if e.isVisible()]
    )


def fill_workbook(path: Path, values: dict[tuple[str, str], object]) -> None:
    """Fill cells of the SVF sheet of an import workbook: {(svf_id, column key): value}."""
    wb = openpyxl.load_workbook(path)
    ws = wb["SVF"]
    keys = {cell.value: cell.column for cell in ws[1]}
    rows = {ws.cell(r, 1).value: r for r in range(3, ws.max_row + 1)}
    for (svf, key), v in values.items():
        ws.cell(rows[svf], keys[key]).value = v
    wb.save(path)


def drop_file(page: FiguresStep, path: Path) -> bool:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(
        QPoint(200, 200),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(page, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(
        QPointF(200, 200),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(page, drop)
    return True


# ---------------------------------------------------------------------------- parsing


def test_swedish_input_is_parsed(tpl):
    count = tpl.measure("included")
    days = tpl.measure("median_days")
    assert parse_number("1 234", count) == 1234
    assert parse_number("1\u00a0234", count) == 1234  # Excel's non-breaking space
    assert parse_number(" 12 ", count) == 12
    assert parse_number("", count) is None
    assert parse_number("12,5", days) == 12.5
    assert parse_number("−3", count) == -3  # left for the service to refuse
    with pytest.raises(ValueError, match="är inte ett tal"):
        parse_number("abc", count)
    assert split_clipboard("1\t2\r\n3\t4\r\n") == [["1", "2"], ["3", "4"]]


# ---------------------------------------------------------------------------- the grid


def test_grid_has_a_row_per_svf_totals_and_labelled_columns(page, tpl):
    model = page.model
    assert model.rowCount() == len(tpl.svfs) + 1
    assert model.headerData(0, Qt.Orientation.Vertical) == tpl.svfs[0].name
    assert model.headerData(model.totals_row, Qt.Orientation.Vertical) == "Totalt"
    bold = model.data(model.index(model.totals_row, 3), Role.FontRole)
    assert isinstance(bold, QFont) and bold.bold()
    col = model.column_for("expected", "kvinnor")
    assert model.column_label(col) == "Beräkningsunderlag – kvinnor"
    assert "Beräkningsunderlag – kvinnor" in model.headerData(
        col, Qt.Orientation.Horizontal, Role.ToolTipRole
    )
    # Computed columns are read-only.
    inc = model.index(0, rate_col(model, "Inklusion"))
    assert not model.flags(inc) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(inc, "50")


def test_typing_a_value_updates_the_inclusion_column_and_undo_restores(page, session, qtbot):
    model = page.model
    inc = model.index(model.row_for("lunga"), rate_col(model, "Inklusion"))
    assert model.data(inc) == "–"

    type_into(qtbot, page, idx(page, "lunga", "expected", "kvinnor"), "1 200")
    assert value(session, "lunga", "expected", "kvinnor") == 1200
    assert model.data(idx(page, "lunga", "expected", "kvinnor")) == "1 200"
    # Enter moved down a row, as in Excel.
    assert page.view.currentIndex().row() == model.row_for("lunga") + 1

    type_into(qtbot, page, idx(page, "lunga", "included", "kvinnor"), "900")
    expected = fmt_pct(inclusion(session.report.figures, session.template, "lunga").rate)
    assert model.data(inc) == expected == "75,0 %"
    assert "900 av 1 200" in model.data(inc, Role.ToolTipRole)

    session.undo_stack.undo()
    assert value(session, "lunga", "included", "kvinnor") is None
    # Included not entered: no rate, not 0 % (issue 12: a missing value is not zero).
    assert model.data(inc) == "–"
    session.undo_stack.redo()
    assert model.data(inc) == "75,0 %"


def test_a_non_number_is_refused_with_a_swedish_message(page, session, qtbot):
    cell = idx(page, "lunga", "included", "man")
    page.model.setData(cell, "12")
    depth = session.undo_stack.count()
    with qtbot.waitSignal(session.notice) as blocker:
        type_into(qtbot, page, cell, "abc")
    message = blocker.args[0]
    assert "Lungcancer, Inkluderade – män" in message
    assert "”abc” är inte ett tal" in message
    assert value(session, "lunga", "included", "man") == 12
    assert page.model.data(cell) == "12"
    assert session.undo_stack.count() == depth
    assert page.message_box.isVisible() and "inte ett tal" in page.message.text()


def test_values_the_service_refuses_are_reported(page, session, qtbot):
    cell = idx(page, "lunga", "included", "man")
    with qtbot.waitSignal(session.notice) as blocker:
        assert not page.model.setData(cell, "-5")
    assert "negativt" in blocker.args[0]
    with qtbot.waitSignal(session.notice) as blocker:
        assert not page.model.setData(cell, "2,5")
    assert "heltal" in blocker.args[0]
    assert value(session, "lunga", "included", "man") is None
    # Empty clears a value.
    page.model.setData(cell, "7")
    page.model.setData(cell, "")
    assert value(session, "lunga", "included", "man") is None


def test_cells_for_a_sex_the_svf_does_not_apply_to_are_grey_and_locked(page, session):
    model = page.model
    cell = idx(page, "prostata", "included", "kvinnor")
    assert not model.flags(cell) & Qt.ItemFlag.ItemIsEditable
    assert model.data(cell, Role.BackgroundRole).color() == COLOUR_NOT_APPLICABLE
    assert "gäller inte kvinnor" in model.data(cell, Role.ToolTipRole)
    assert not model.setData(cell, "5")
    assert value(session, "prostata", "included", "kvinnor") is None


def test_findings_colour_the_cells_with_the_message_as_tooltip(page, session):
    model = page.model
    session.set_figures(
        {
            ("lunga", "included", "kvinnor"): 10,
            ("lunga", "within_lead_time", "kvinnor"): 12,  # more than included: error
            ("brost", "expected", "kvinnor"): 100,
            ("brost", "included", "kvinnor"): 0,  # nothing included: warning
        }
    )
    within = idx(page, "lunga", "within_lead_time", "kvinnor")
    assert model.data(within, Role.BackgroundRole).color() == COLOUR_ERROR
    assert "är fler än Inkluderade" in model.data(within, Role.ToolTipRole)
    brost = idx(page, "brost", "included", "kvinnor")
    assert model.data(brost, Role.BackgroundRole).color() == COLOUR_WARNING
    assert "ingen patient är inkluderad" in model.data(brost, Role.ToolTipRole)
    assert "1 fel" in page.summary.text()
    # Fixing the value clears the mark.
    session.set_figures({("lunga", "within_lead_time", "kvinnor"): 8})
    assert model.data(within, Role.BackgroundRole) is None
    assert "1 fel" not in page.summary.text()


def test_totals_row_sums_each_column(page, session):
    session.set_figures({("lunga", "expected", "man"): 1000, ("kll", "expected", "man"): 234})
    model = page.model
    total = model.index(model.totals_row, model.column_for("expected", "man"))
    assert model.data(total) == "1 234"
    assert not model.flags(total) & Qt.ItemFlag.ItemIsEditable


# ---------------------------------------------------------------------------- copy / paste


def test_paste_a_block_from_excel_is_one_undo_step(page, session, qtbot):
    start = idx(page, "lunga", "expected", "kvinnor")
    select(page, start)
    depth = session.undo_stack.count()
    QGuiApplication.clipboard().setText("100\t110\t\t200\r\n300\t1\u00a0234\t\t\r\n")
    qtbot.keyClick(page.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    # Columns run expected K, expected M, expected total, investigated K (the workbook's
    # order); rows Lungcancer, Lymfom.
    assert value(session, "lunga", "expected", "kvinnor") == 100
    assert value(session, "lunga", "expected", "man") == 110
    assert value(session, "lunga", "investigated", "kvinnor") == 200
    assert value(session, "lymfom", "expected", "kvinnor") == 300
    assert value(session, "lymfom", "expected", "man") == 1234
    assert value(session, "lymfom", "investigated", "kvinnor") is None
    assert session.undo_stack.count() == depth + 1

    session.undo_stack.undo()
    for cell in (("lunga", "expected", "kvinnor"), ("lymfom", "expected", "man")):
        assert value(session, *cell) is None


def test_a_paste_with_an_invalid_value_changes_nothing(page, session, qtbot):
    select(page, idx(page, "lunga", "expected", "kvinnor"))
    depth = session.undo_stack.count()
    with qtbot.waitSignal(session.notice) as blocker:
        assert not page.paste_text("5\tx\n6\t7")
    assert "Inget klistrades in" in blocker.args[0]
    assert "Lungcancer, Beräkningsunderlag – män: ”x” är inte ett tal" in page.message.text()
    assert value(session, "lunga", "expected", "kvinnor") is None
    assert session.undo_stack.count() == depth
    # A block that would put a value in a locked cell is refused as well.
    select(page, idx(page, "prostata", "expected", "man"))
    with qtbot.waitSignal(session.notice):
        assert not page.paste_text("1\t2")  # expected M, then expected total: locked
    assert value(session, "prostata", "expected", "man") is None
    # Prostate cancer has one sex, so no total column: that cell is locked too.
    assert "Prostatacancer, Beräkningsunderlag – totalt: cellen kan inte ändras" in (
        page.message.text()
    )


def test_copy_a_block_as_tab_separated_text(page, session, qtbot):
    session.set_figures(
        {
            ("lunga", "expected", "kvinnor"): 1234,
            ("lunga", "expected", "man"): 5,
            ("lymfom", "expected", "kvinnor"): 7,
        }
    )
    view = page.view
    top_left = idx(page, "lunga", "expected", "kvinnor")
    bottom_right = idx(page, "lymfom", "expected", "man")
    view.selectionModel().select(
        QItemSelection(top_left, bottom_right), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "1234\t5\n7\t"
    # Delete empties the selected cells as one undo step.
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert value(session, "lunga", "expected", "kvinnor") is None
    assert value(session, "lymfom", "expected", "kvinnor") is None
    session.undo_stack.undo()
    assert value(session, "lunga", "expected", "kvinnor") == 1234


def test_focus_location_selects_the_cell(page):
    page.focus_location(Location(step="svf-statistik", svf="njure", sex="man", measure="over_175"))
    assert page.view.currentIndex() == idx(page, "njure", "over_175", "man")
    # A finding about an SVF over both sexes lands on its first sex.
    page.focus_location(Location(step="svf-statistik", svf="aggstock", measure="included"))
    assert page.view.currentIndex() == idx(page, "aggstock", "included", "kvinnor")


# ---------------------------------------------------------------------------- import


def _template_for(ctx, session, tmp_path) -> Path:
    path = tmp_path / "norrbotten.xlsx"
    imports.write_template(ctx, "25", 2024, path, session.report_id)
    return path


def test_import_shows_a_preview_and_applies_it_as_one_undo_step(
    page, session, ctx, qtbot, tmp_path, monkeypatch
):
    # The template comes prefilled: kll stays 5 (unchanged), aml 3 is overwritten.
    session.set_figures({("aml", "expected", "kvinnor"): 3, ("kll", "expected", "man"): 5})
    path = _template_for(ctx, session, tmp_path)
    fill_workbook(
        path,
        {
            ("aml", "expected_kvinnor"): 12,  # changed 3 -> 12
            ("aml", "included_kvinnor"): 9,  # new
            ("lunga", "expected_man"): 1500,
            ("prostata", "included_man"): 80,
        },
    )
    monkeypatch.setattr(page, "ask_import_path", lambda: path)
    depth = session.undo_stack.count()
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert page.progress_panel.isVisible() or page.preview_dialog is not None
    qtbot.waitUntil(lambda: page.preview_dialog is not None, timeout=10_000)
    dialog = page.preview_dialog
    assert dialog.isVisible()
    assert not page.progress_panel.isVisible()
    rows = {
        (dialog.table.item(r, 0).text(), dialog.table.item(r, 1).text()): (
            dialog.table.item(r, 2).text(),
            dialog.table.item(r, 3).text(),
        )
        for r in range(dialog.table.rowCount())
    }
    assert rows == {
        ("Akut myeloisk leukemi", "Beräkningsunderlag – kvinnor"): ("3", "12"),
        ("Akut myeloisk leukemi", "Inkluderade – kvinnor"): ("(tom)", "9"),
        ("Lungcancer", "Beräkningsunderlag – män"): ("(tom)", "1 500"),
        ("Prostatacancer", "Inkluderade – män"): ("(tom)", "80"),
    }
    assert "4 värden ändras" in dialog.summary.text()
    assert "1 värde i filen är detsamma" in dialog.summary.text()
    # Nothing is stored before the user says Importera.
    assert value(session, "aml", "included", "kvinnor") is None

    dialog.import_button.click()
    assert value(session, "aml", "expected", "kvinnor") == 12
    assert value(session, "lunga", "expected", "man") == 1500
    assert value(session, "prostata", "included", "man") == 80
    assert page.model.data(idx(page, "lunga", "expected", "man")) == "1 500"
    assert "Importerade 4 värden" in page.message.text()
    assert session.undo_stack.count() == depth + 1

    session.undo_stack.undo()
    assert value(session, "aml", "expected", "kvinnor") == 3
    assert value(session, "aml", "included", "kvinnor") is None
    assert value(session, "lunga", "expected", "man") is None
    assert value(session, "prostata", "included", "man") is None


def test_cancelling_the_preview_dialog_changes_nothing(page, session, ctx, qtbot, tmp_path):
    path = _template_for(ctx, session, tmp_path)
    fill_workbook(path, {("aml", "expected_kvinnor"): 12})
    page.import_file(path)
    qtbot.waitUntil(lambda: page.preview_dialog is not None, timeout=10_000)
    page.preview_dialog.cancel_button.click()
    assert value(session, "aml", "expected", "kvinnor") is None
    assert session.undo_stack.count() == 0


def test_the_import_can_be_cancelled_while_the_file_is_read(
    page, session, ctx, qtbot, tmp_path, monkeypatch
):
    path = _template_for(ctx, session, tmp_path)
    fill_workbook(path, {("aml", "expected_kvinnor"): 12})
    release = threading.Event()
    real = imports.preview_import

    def slow_preview(*args):
        release.wait(10)
        return real(*args)

    monkeypatch.setattr(imports, "preview_import", slow_preview)
    page.import_file(path)
    worker = page._import_worker
    assert page.progress_panel.isVisible()
    assert not page.import_button.isEnabled()
    # The UI thread is free while the file is read.
    qtbot.wait(50)
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    assert not page.progress_panel.isVisible()
    assert page.import_button.isEnabled()
    assert "Importen avbröts" in page.message.text()
    with qtbot.waitSignal(worker.signals.finished, timeout=10_000):
        release.set()
    assert page.preview_dialog is None
    assert value(session, "aml", "expected", "kvinnor") is None


def test_dropping_a_broken_workbook_lists_every_problem_and_changes_nothing(
    page, session, ctx, qtbot, tmp_path
):
    session.set_figures({("lunga", "included", "man"): 5})
    before = session.report.figures.copy()
    depth = session.undo_stack.count()
    path = _template_for(ctx, session, tmp_path)
    fill_workbook(
        path,
        {
            ("aml", "expected_kvinnor"): "abc",
            ("lunga", "included_man"): -3,
            ("prostata", "included_kvinnor"): 4,
        },
    )
    assert drop_file(page, path)
    qtbot.waitUntil(lambda: page.error_panel.isVisible(), timeout=10_000)
    title = page.error_title.text()
    assert title.startswith("Filen norrbotten.xlsx kan inte importeras – 3 fel hittades.")
    assert "Inget har ändrats" in title
    problems = [page.error_list.item(i).text() for i in range(page.error_list.count())]
    assert len(problems) == 3
    assert all(p.startswith("blad SVF, rad ") and "kolumn" in p for p in problems)
    assert any("expected_kvinnor" in p and "abc" in p for p in problems)
    assert page.preview_dialog is None
    assert session.report.figures == before
    assert session.undo_stack.count() == depth


def test_only_spreadsheet_files_can_be_dropped(page, tmp_path):
    other = tmp_path / "rapport.pdf"
    other.write_bytes(b"%PDF-1.7")
    assert not drop_file(page, other)
    assert not page.importing


def test_the_excel_template_is_saved_prefilled(page, session, qtbot, tmp_path, monkeypatch):
    session.set_figures({("lunga", "expected", "man"): 321})
    target = tmp_path / "mall.xlsx"
    monkeypatch.setattr(page, "ask_template_path", lambda: target)
    qtbot.mouseClick(page.template_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "sparades" in page.message.text(), timeout=10_000)
    assert page.template_button.isEnabled()
    ws = openpyxl.load_workbook(target)["SVF"]
    keys = {c.value: c.column for c in ws[1]}
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == "lunga")
    assert ws.cell(row, keys["expected_man"]).value == 321


# ---------------------------------------------------------------------------- worker helper


def test_worker_delivers_result_and_error_on_the_ui_thread(qtbot):
    import threading as th

    seen = []
    w = Worker(lambda a, b: (a + b, th.current_thread() is th.main_thread()), 2, b=3)
    w.signals.result.connect(
        lambda v: seen.append(("result", v, th.current_thread() is th.main_thread()))
    )
    with qtbot.waitSignal(w.signals.finished, timeout=5000):
        w.start()
    assert seen == [("result", (5, False), True)]

    def boom():
        raise ValueError("fel")

    errors = []
    w2 = Worker(boom)
    w2.signals.error.connect(errors.append)
    with qtbot.waitSignal(w2.signals.finished, timeout=5000):
        w2.start()
    assert isinstance(errors[0], ValueError)


def test_worker_progress_and_cancellation(qtbot):
    started = threading.Event()

    def job(worker):
        started.set()
        for i in range(200):
            worker.progress(i, f"steg {i}")
            time.sleep(0.005)
        return "klar"

    w = Worker(job, pass_worker=True)
    progress, results, cancelled = [], [], []
    w.signals.progress.connect(lambda p, label: progress.append(p))
    w.signals.result.connect(results.append)
    w.signals.cancelled.connect(lambda: cancelled.append(True))
    w.start()
    assert started.wait(5)
    qtbot.waitUntil(lambda: len(progress) > 2, timeout=5000)
    with qtbot.waitSignal(w.signals.finished, timeout=5000):
        w.cancel()
    assert cancelled == [True] and results == []
    assert w.cancelled and w.done


def test_the_grid_shows_each_svfs_lead_times_where_the_counts_are_typed(page):
    model = page.model
    col = next(i for i, c in enumerate(model.columns) if c.lead_times)
    assert model.headerData(col, Qt.Orientation.Horizontal) == "Ledtid\n(dagar)"
    shown = {
        svf: model.data(model.index(model.row_for(svf), col))
        for svf in ("brost", "urinblasa-urinvagar", "lunga")
    }
    assert shown == {"brost": "28", "urinblasa-urinvagar": "22–48 ?", "lunga": "ej fastställd"}
    bladder = model.row_for("urinblasa-urinvagar")
    tip = model.data(model.index(bladder, col), Role.ToolTipRole)
    assert "kirurgi: 37 dagar, t.o.m. 2024-05-13" in tip
    assert "kirurgi: 42 dagar, fr.o.m. 2024-05-14" in tip
    assert "gräns 175 %: över 73,5 dagar (från 74 dagar)" in tip and "EJ BEKRÄFTAD" in tip
    within = idx(page, "urinblasa-urinvagar", "within_lead_time", "man")
    over = idx(page, "urinblasa-urinvagar", "over_175", "kvinnor")
    for cell in (within, over):
        assert "fr.o.m. 2024-05-14" in model.data(cell, Role.ToolTipRole)
    header_tip = model.headerData(bladder, Qt.Orientation.Vertical, Role.ToolTipRole)
    assert "Ledtider första halvåret 2024" in header_tip
    lung_tip = model.headerData(model.row_for("lunga"), Qt.Orientation.Vertical, Role.ToolTipRole)
    assert "ej fastställd i mallen" in lung_tip and "EJ BEKRÄFTAD" in lung_tip
    assert not model.flags(model.index(bladder, col)) & Qt.ItemFlag.ItemIsEditable


def test_totals_per_svf_are_typed_in_their_own_column_and_give_the_inclusion(page, session, qtbot):
    """Issue 12: expected and included can be typed as one total per SVF when the region has
    no split per sex; the inclusion column computes from them, the sex columns stop being
    marked as missing, and an SVF of one sex has no total cell."""
    model = page.model
    column = model.column_for("expected", "totalt")
    assert column is not None
    assert model.headerData(column, Qt.Orientation.Horizontal) == "Beräknings-\nunderlag\ntotalt"
    missing_before = model.data(
        idx(page, "lunga", "expected", "kvinnor"), Qt.ItemDataRole.BackgroundRole
    )
    assert missing_before is not None  # a required value not entered: marked
    type_into(qtbot, page, idx(page, "lunga", "expected", "totalt"), "40")
    type_into(qtbot, page, idx(page, "lunga", "included", "totalt"), "30")
    assert value(session, "lunga", "expected", "totalt") == 40
    inclusion = model.index(model.row_for("lunga"), 0)
    assert model.data(inclusion, Qt.ItemDataRole.DisplayRole) == "75,0 %"
    assert (
        model.data(idx(page, "lunga", "expected", "kvinnor"), Qt.ItemDataRole.BackgroundRole)
        is None
    )
    prostate = idx(page, "prostata", "expected", "totalt")
    assert not model.flags(prostate) & Qt.ItemFlag.ItemIsEditable
    assert "ange värdet per kön" in model.data(prostate, Qt.ItemDataRole.ToolTipRole)


def test_the_preview_lists_the_files_warnings_with_their_cells(page, session, ctx, qtbot, tmp_path):
    """Issue 12: more included than investigated can be right (different cohorts), so the file
    imports; the preview says so with the cell, before the user presses Importera."""
    path = _template_for(ctx, session, tmp_path)
    fill_workbook(path, {("penis", "investigated_man"): 1, ("penis", "included_man"): 2})
    page.import_file(path)
    qtbot.waitUntil(lambda: page.preview_dialog is not None, timeout=10_000)
    dialog = page.preview_dialog
    assert dialog.warnings_list is not None
    texts = [dialog.warnings_list.item(i).text() for i in range(dialog.warnings_list.count())]
    assert len(texts) == 1
    assert "rad" in texts[0] and "Peniscancer" in texts[0]
    assert "olika grupper" in texts[0]
    dialog.import_button.click()
    assert value(session, "penis", "included", "man") == 2


def test_a_wrong_entry_is_announced_once_and_stays_for_correction(qtbot, ctx):
    """Issue 13, point 5: in the real window, a typed "12x" is marked once (the message above
    the grid and the status line, no modal box), and the editor opens again with "12x" in it;
    correcting it stores the value."""
    from desktop_app.ui.main_window import MainWindow

    rid = reports.create_report(ctx, "25", 2024)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.open_report(rid)
    page = window.report_view.go_to_step("svf-statistik")
    cell = idx(page, "lunga", "included", "man")
    type_into(qtbot, page, cell, "12x", refused=True)
    qtbot.waitUntil(lambda: "”12x” är inte ett tal" in window.statusBar().currentMessage())
    assert getattr(window, "error_box", None) is None  # no box to click away
    qtbot.waitUntil(lambda: page.view.state() == page.view.State.EditingState, timeout=3000)
    editor = next(e for e in page.view.viewport().findChildren(QLineEdit) if e.isVisible())
    assert editor.text() == "12x"
    editor.setText("12")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: value(page.session, "lunga", "included", "man") == 12, timeout=3000)


def test_a_locked_report_looks_locked(qtbot, ctx):
    """Issue 13, point 5: a submitted (locked) report has read-only fields and the banner
    with Lås upp…; typing changes nothing and pops no box."""
    from desktop_app.ui.main_window import MainWindow

    rid = reports.create_report(ctx, "25", 2024)
    with ctx.uow() as uow:  # as a certified or signed import leaves it
        uow.reports.set_signing(rid, locked=True, certification=None, signatures=None)
        uow.commit()
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.open_report(rid)
    view = window.report_view
    assert view.banner.isVisible() and view.unlock_button.isVisible()
    page = view.go_to_step("svf-statistik")
    cell = idx(page, "lunga", "included", "man")
    assert not page.model.flags(cell) & Qt.ItemFlag.ItemIsEditable
    assert not page.import_button.isEnabled()
    assert [b.isEnabled() for b in page.editing_buttons()] == [False, False]
    finance = view.go_to_step("ekonomi")
    assert finance.fields["received"].isReadOnly()
    assert not finance.add_button.isEnabled()
    qtbot.keyClicks(finance.fields["received"], "1000")
    assert reports.get_report(ctx, rid).finance.received is None
    assert getattr(window, "error_box", None) is None
    urology = view.go_to_step("urologi").questions["urology"].editor
    assert urology.isReadOnly()


def test_a_locked_report_can_still_be_marked_as_sent(qtbot, ctx):
    """The review step stays usable on a locked (signed) report: it is exported and sent from
    there."""
    from desktop_app.ui.main_window import MainWindow

    rid = reports.create_report(ctx, "25", 2024)
    with ctx.uow() as uow:
        uow.reports.set_signing(rid, locked=True, certification=None, signatures=None)
        uow.commit()
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.open_report(rid)
    review = window.report_view.go_to_step("granska")
    assert not review.sent_date.lineEdit().isReadOnly()
    assert review.export_button.isEnabled()
