"""The history windows (issue 15, point 4), driven as a user would: "Visa historik…" in the SVF
grid's context menu after typing and undoing a value, the history of a question from its
editor, and the report's history from the header, filtered by kind and text, with a broken
chain shown."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QMenu

from desktop_app.services import reports
from desktop_app.ui.history_view import COLUMNS, HistoryDialog
from desktop_app.ui.report_view import ReportView
from desktop_app.ui.session import ReportSession
from desktop_app.ui.steps.figures import FiguresStep
from desktop_app.ui.workers import db_pool
from tests.ui.test_figures_step import idx, type_into


@pytest.fixture
def session(ctx, qtbot):
    report_id = reports.create_report(ctx, "25", 2024)
    s = ReportSession(ctx, report_id)
    yield s
    db_pool().waitForDone(10_000)


def _open_dialogs() -> list[HistoryDialog]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, HistoryDialog) and w.isVisible()
    ]


def _rows(dialog: HistoryDialog) -> list[list[str]]:
    m = dialog.model
    return [[m.item(r, c).text() for c in range(m.columnCount())] for r in range(m.rowCount())]


def _col(name: str) -> int:
    return COLUMNS.index(name)


@pytest.fixture
def page(session, qtbot, monkeypatch):
    # The menu is built as on a right click; not popped up (offscreen has no pointer grab).
    monkeypatch.setattr(QMenu, "popup", lambda self, *a: None)
    step = next(s for s in session.template.steps if s.kind == "figures")
    p = FiguresStep(session, step)
    qtbot.addWidget(p)
    p.resize(1366, 700)
    p.show()
    qtbot.waitExposed(p)
    return p


def test_cell_history_from_the_grids_context_menu_shows_typed_values_and_undo(page, session, qtbot):
    cell = idx(page, "lunga", "included", "kvinnor")
    type_into(qtbot, page, cell, "7")
    type_into(qtbot, page, cell, "9")
    session.undo_stack.undo()  # back to 7: a row of its own
    type_into(qtbot, page, idx(page, "lunga", "included", "man"), "4")  # another cell
    pos = page.view.visualRect(cell).center()
    page._context_menu(pos)
    menu = page.findChildren(QMenu)[-1]
    action = next(a for a in menu.actions() if a.text() == "Visa historik…")
    action.trigger()
    dialog = _open_dialogs()[-1]
    qtbot.addWidget(dialog)
    assert "Lungcancer, kvinnor: Inkluderade" in dialog.windowTitle()
    rows = _rows(dialog)  # newest first
    old_new = [(r[_col("Gammalt värde")], r[_col("Nytt värde")]) for r in rows]
    assert old_new == [("9", "7"), ("7", "9"), ("(tom)", "7")]
    assert {r[_col("Källa")] for r in rows} == {"Inskrivet"}
    assert {r[_col("Slag")] for r in rows} == {"Siffra"}
    assert all(r[_col("Vem")] for r in rows)
    assert "obruten" in dialog.chain.text()
    # The window follows later edits of the cell.
    type_into(qtbot, page, cell, "8")
    assert _rows(dialog)[0][_col("Nytt värde")] == "8"
    dialog.close()


def test_no_history_action_outside_a_value_cell(page):
    page._context_menu(QPoint(-5, -5))
    menu = page.findChildren(QMenu)[-1]
    assert "Visa historik…" not in [a.text() for a in menu.actions()]


def test_report_history_filters_by_kind_and_text_and_a_question_has_its_own(ctx, session, qtbot):
    reports.set_figure(ctx, session.report_id, "lunga", "included", "man", 3)
    session.reload()
    view = ReportView(session)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    page = view.go_to_step("urologi")
    editor = page.questions["urology"]
    editor.editor.setPlainText("Ny mottagning öppnad")  # textChanged saves it
    editor.editor.setPlainText("Ny mottagning öppnad i Luleå")
    editor.history_button.click()
    qdialog = _open_dialogs()[-1]
    qtbot.addWidget(qdialog)
    assert [r[_col("Nytt värde")] for r in _rows(qdialog)][0] == "Ny mottagning öppnad i Luleå"
    assert {r[_col("Slag")] for r in _rows(qdialog)} == {"Svar på fråga"}
    qdialog.close()

    view.history_button.click()
    dialog = _open_dialogs()[-1]
    qtbot.addWidget(dialog)
    kinds = {r[_col("Slag")] for r in _rows(dialog)}
    assert {"Redovisningen skapades", "Siffra", "Svar på fråga"} <= kinds
    dialog.kind.setCurrentIndex(dialog.kind.findData("figure"))
    assert [r[_col("Slag")] for r in _rows(dialog)] == ["Siffra"]
    dialog.kind.setCurrentIndex(0)
    dialog.search.setText("luleå")
    assert len(_rows(dialog)) == 1 and "av" in dialog.count.text()
    dialog.close()


def test_a_broken_chain_is_shown_in_red(ctx, session, qtbot, db_path):
    reports.set_figure(ctx, session.report_id, "lunga", "included", "man", 3)
    con = sqlite3.connect(db_path)
    con.execute("UPDATE history SET new_json = '30' WHERE path LIKE 'figures/%'")
    con.commit()
    con.close()
    dialog = HistoryDialog(session)
    qtbot.addWidget(dialog)
    assert "bruten" in dialog.chain.text() and "har ändrats" in dialog.chain.text()
