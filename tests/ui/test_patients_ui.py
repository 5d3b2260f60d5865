"""The patient-list flow driven as a user would (issue 16): the button on the SVF step, the
column-mapping dialog (remembered for the next file of the same layout), reading off the UI
thread with Avbryt, the review old → new and applying as one undoable step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop_app.services import reports
from desktop_app.services.patients import figure_sources
from desktop_app.ui.session import ReportSession
from desktop_app.ui.steps.figures import FiguresStep
from desktop_app.ui.workers import db_pool
from tests.helpers.patient_lists import HEADERS, MAPPING, generate, write_csv


@pytest.fixture(autouse=True)
def key_file(tmp_path, monkeypatch):
    monkeypatch.setenv("SVF_REPORT_KEY", str(tmp_path / "nyckel"))


@pytest.fixture
def session(ctx, qtbot):
    from PySide6.QtCore import QSettings

    QSettings().remove("patientlista")
    s = ReportSession(ctx, reports.create_report(ctx, "25", 2024))
    yield s
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


@pytest.fixture
def list_file(tmp_path):
    rows, exp = generate(1500, seed=5)
    path = tmp_path / "lista.csv"
    write_csv(path, rows)
    return path, exp


def _button(page):
    from PySide6.QtWidgets import QPushButton

    return next(b for b in page.findChildren(QPushButton) if "patientlista" in b.text())


def open_mapping(page, qtbot, path, monkeypatch):
    monkeypatch.setattr(page.patient_list, "ask_path", lambda: path)
    qtbot.mouseClick(_button(page), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.patient_list.mapping_dialog is not None, timeout=10_000)
    return page.patient_list.mapping_dialog


def fill_mapping(dialog, qtbot):
    for field, header in MAPPING["columns"].items():
        combo = dialog.combos[field]
        combo.setCurrentIndex(combo.findText(header))  # the user picks the column
    for key in ("sex", "end_reason", "treatment_type"):
        dialog.codes[key].clear()
        qtbot.keyClicks(dialog.codes[key], "; ".join(f"{k}={v}" for k, v in MAPPING[key].items()))


def test_map_review_apply_undo_redo(page, session, qtbot, list_file, monkeypatch):
    path, exp = list_file
    dialog = open_mapping(page, qtbot, path, monkeypatch)
    assert [dialog.combos["svf"].itemText(i) for i in range(1, 10)] == HEADERS
    # A required field left out: a Swedish message in the dialog, nothing read.
    fill_mapping(dialog, qtbot)
    dialog.combos["sex"].setCurrentIndex(0)
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "saknar kolumn för: Kön" in dialog.error.text()
    dialog.combos["sex"].setCurrentIndex(dialog.combos["sex"].findText("Kön"))
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.patient_list.review is not None, timeout=30_000)
    review = page.patient_list.review
    assert review.table.rowCount() == len(exp.figures)
    summary = review.summary.text()
    assert f"{len(exp.rejected_rows)} rader kunde inte läsas" in summary
    assert f"{len(exp.duplicate_rows)} dubbletter" in summary
    assert "Ledtid saknas för Lungcancer" in summary
    qtbot.mouseClick(review.apply_button, Qt.MouseButton.LeftButton)
    figures = dict(session.report.figures.items())
    assert figures == exp.figures
    assert set(figure_sources(session.ctx, session.report_id)) == set(exp.figures)
    assert "Ångra med Ctrl+Z" in page.patient_list.message
    # One undo step takes every value back, redo brings them again.
    session.undo_stack.undo()
    assert dict(session.report.figures.items()) == {}
    session.undo_stack.redo()
    assert dict(session.report.figures.items()) == exp.figures


def test_the_mapping_is_remembered_for_the_same_layout(page, qtbot, list_file, monkeypatch):
    path, _ = list_file
    dialog = open_mapping(page, qtbot, path, monkeypatch)
    fill_mapping(dialog, qtbot)
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.patient_list.review is not None, timeout=30_000)
    page.patient_list.review.reject()
    page.patient_list.mapping_dialog = None
    again = open_mapping(page, qtbot, path, monkeypatch)
    assert again is not dialog
    assert again.combos["suspicion_date"].currentText() == "Välgrundad misstanke"
    assert "K=kvinnor" in again.codes["sex"].text()


def test_cancel_while_reading_changes_nothing(page, session, qtbot, tmp_path, monkeypatch):
    rows, _ = generate(60_000, seed=9)
    path = tmp_path / "stor.csv"
    write_csv(path, rows)
    dialog = open_mapping(page, qtbot, path, monkeypatch)
    fill_mapping(dialog, qtbot)
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    flow = page.patient_list
    assert flow.progress is not None and flow.progress.isVisible()
    from PySide6.QtWidgets import QPushButton

    cancel = next(b for b in flow.progress.findChildren(QPushButton) if b.text() == "Avbryt")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)  # the user presses Avbryt
    db_pool().waitForDone(60_000)
    qtbot.wait(50)
    assert flow.review is None
    assert "avbröts" in flow.message
    assert dict(session.report.figures.items()) == {}


def test_an_unreadable_file_is_told_in_swedish(page, qtbot, tmp_path, monkeypatch):
    path = tmp_path / "lista.pdf"
    path.write_bytes(b"%PDF")
    monkeypatch.setattr(page.patient_list, "ask_path", lambda: path)
    qtbot.mouseClick(_button(page), Qt.MouseButton.LeftButton)
    assert page.patient_list.mapping_dialog is None
    assert "filtyp som inte kan läsas" in page.patient_list.message
