"""Issue 15, point 2 in the grid: a value from the RCC's extract shows its source on hover;
changing it asks for a reason (cancel keeps the old value); the changed cell is marked."""

from __future__ import annotations

import os
from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel

from desktop_app.services import reports
from desktop_app.ui.models.figures_model import CHANGED_ROLE, COLOUR_CHANGED
from desktop_app.ui.reason_dialog import ReasonDialog
from desktop_app.ui.session import ReportSession
from desktop_app.ui.steps.figures import FiguresStep
from desktop_app.ui.workers import db_pool

Role = Qt.ItemDataRole
CELL = ("lunga", "included", "kvinnor")
REASON = "Två patienter var dubbelregistrerade i uttaget."


@pytest.fixture
def page(ctx, qtbot, tmp_path):
    from desktop_app.services.extract import split_extract
    from desktop_app.services.imports import import_file

    report_id = reports.create_report(ctx, "25", 2024)
    extract = tmp_path / "uttag.csv"
    extract.write_text(
        "region;svf_id;expected_kvinnor;investigated_kvinnor;included_kvinnor\n25;lunga;40;35;30\n",
        encoding="utf-8",
    )
    result = split_extract(extract, date(2024, 8, 21), "norr", tmp_path / "ut")
    import_file(ctx, report_id, result.files[0].path)
    session = ReportSession(ctx, report_id)
    step = next(s for s in session.template.steps if s.kind == "figures")
    p = FiguresStep(session, step)
    qtbot.addWidget(p)
    p.resize(1366, 700)
    p.show()
    qtbot.waitExposed(p)
    yield p
    db_pool().waitForDone(10_000)


def _index(page):
    m = page.model
    return m.index(m.row_for(CELL[0]), m.column_for(CELL[1], CELL[2]))


def _answer(qtbot, reason: str | None, seen: list) -> None:
    """When the reason dialog opens: note what it says, then write ``reason`` and save, or
    cancel (None)."""

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ReasonDialog)
        seen.append((dialog.findChild(QLabel, "reasonChanges").text(),
                     dialog.save_button.isEnabled()))  # fmt: skip
        if reason is None:
            dialog.reject()
            return
        dialog.text.setPlainText(reason)
        seen.append(dialog.save_button.isEnabled())
        if os.environ.get("SVF_SHOTS"):
            dialog.grab().save(os.path.join(os.environ["SVF_SHOTS"], "reason-dialog.png"))
        dialog.save_button.click()

    QTimer.singleShot(0, act)


def test_the_source_shows_on_hover(page):
    tip = _index(page).data(Role.ToolTipRole)
    assert "Källa: RCC:s datauttag 2024-08-21 (SHA-256" in tip
    assert _index(page).data(CHANGED_ROLE) is False


def test_cancelling_the_reason_keeps_the_extracts_value(page, qtbot):
    seen: list = []
    _answer(qtbot, None, seen)
    assert page.model.setData(_index(page), "28") is False
    assert seen and "Lungcancer, kvinnor: Inkluderade: 30 → 28" in seen[0][0]
    assert seen[0][1] is False  # no reason yet: the save button is disabled
    assert page.session.report.figures.get(*CELL) == 30
    assert reports.get_report(page.session.ctx, page.session.report_id).figures.get(*CELL) == 30


def test_a_reason_is_asked_kept_with_the_value_and_the_cell_is_marked(page, qtbot):
    seen: list = []
    _answer(qtbot, REASON, seen)
    assert page.model.setData(_index(page), "28") is True
    assert seen[-1] is True
    assert page.session.report.figures.get(*CELL) == 28
    p = reports.figure_provenance(page.session.ctx, page.session.report_id)[CELL]
    assert (p.extract_value, p.reason) == (30, REASON)
    index = _index(page)
    assert index.data(CHANGED_ROLE) is True
    assert index.data(Role.BackgroundRole).color() == COLOUR_CHANGED
    assert "ändrat från RCC:s värde 30 – " + REASON in index.data(Role.ToolTipRole)
    assert "1 värde ändrat från RCC:s datauttag" in page.summary.text()
    if os.environ.get("SVF_SHOTS"):
        page.view.scrollTo(index)
        page.window().grab().save(os.path.join(os.environ["SVF_SHOTS"], "grid-marked.png"))
    # A second change of the same cell keeps its reason without asking again.
    assert page.model.setData(_index(page), "27") is True
    # Undo (back to 28) and undo again (back to the extract's 30) need no new reason either.
    page.session.undo_stack.undo()
    page.session.undo_stack.undo()
    assert page.session.report.figures.get(*CELL) == 30
    assert _index(page).data(CHANGED_ROLE) is False


def _import_csv(page, qtbot, tmp_path, value: int, answer: str | None, seen: list) -> None:
    """Import a plain CSV that sets lung cancer's included women to ``value``; the reason
    question gets ``answer``."""
    path = tmp_path / "egen.csv"
    path.write_text(f"svf_id;included_kvinnor\nlunga;{value}\n", encoding="utf-8")
    page.ask_import_path = lambda: path
    page.ask_reason = lambda lines, extract: (seen.append((lines, extract)), answer)[1]
    page.preview_dialog = None
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.preview_dialog is not None, timeout=10_000)
    page.preview_dialog.accept()


def test_an_import_over_the_extracts_value_asks_the_reason_and_keeps_it(page, qtbot, tmp_path):
    seen: list = []
    _import_csv(page, qtbot, tmp_path, 28, None, seen)  # cancelled: nothing imported
    assert seen == [(["Lungcancer, kvinnor: Inkluderade: 30 → 28"], "RCC:s datauttag 2024-08-21")]
    assert reports.get_report(page.session.ctx, page.session.report_id).figures.get(*CELL) == 30
    assert "Inget importerades från egen.csv" in page.message.text()
    seen.clear()
    _import_csv(page, qtbot, tmp_path, 28, REASON, seen)
    assert len(seen) == 1
    assert reports.get_report(page.session.ctx, page.session.report_id).figures.get(*CELL) == 28
    p = reports.figure_provenance(page.session.ctx, page.session.report_id)[CELL]
    assert (p.extract_value, p.reason, p.file) == (30, REASON, "egen.csv")
