"""Issue 15, points 5 and 6 on screen: in *Granska och skicka* the coordinator picks last
year's report to compare with, chooses a warning, writes why the value is right in the dialog
(too short: the save button stays disabled; cancel: nothing kept) and sees it as justified;
changing the value makes the justification lapse."""

from __future__ import annotations

import json
import os

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop_app.domain.document import to_document
from desktop_app.domain.template import load_template
from desktop_app.domain.vocabulary import Severity
from desktop_app.services import reports
from desktop_app.services.demo import demo_reports
from desktop_app.ui.justify_dialog import JustifyDialog
from desktop_app.ui.session import ReportSession
from desktop_app.ui.steps.review import ReviewStep
from desktop_app.ui.workers import db_pool

WHY = "Ny remissväg från primärvården i mars; färre kvinnor inkluderades under omställningen."
KEY = "year_over_year_inclusion:lunga:kvinnor:included"


@pytest.fixture
def page(ctx, qtbot, tmp_path):
    last = next(r for r in demo_reports(2023) if r.region_code == "25")
    this = next(r for r in demo_reports(2024) if r.region_code == "25")
    rid, _ = reports.load_document(ctx, to_document(this, load_template(this.template_id)))
    reports.set_figures(
        ctx,
        rid,
        {
            ("lunga", "included", "kvinnor"): last.figures.get("lunga", "included", "kvinnor") // 3,
            ("lunga", "within_lead_time", "kvinnor"): 0,
            ("lunga", "over_175", "kvinnor"): 0,
        },
    )
    fjol = tmp_path / "SVF-redovisning-2023-region-25.json"
    fjol.write_text(json.dumps(to_document(last, load_template("svf-2023"))), "utf-8")
    session = ReportSession(ctx, rid)
    step = next(s for s in session.template.steps if s.kind == "review")
    p = ReviewStep(session, step)
    p.ask_baseline_path = lambda: fjol  # the file dialog's answer
    qtbot.addWidget(p)
    p.resize(1366, 700)
    p.show()
    qtbot.waitExposed(p)
    yield p
    db_pool().waitForDone(10_000)


def _row_of(page, key: str) -> int:
    for i in range(page.list.count()):
        if page.list.item(i).data(256).key == key:  # Qt.UserRole
            return i
    raise AssertionError(f"{key} is not listed")


def _answer(text: str | None, seen: list) -> None:
    """When the dialog opens: type ``text`` and save (None: cancel)."""

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, JustifyDialog)
        dialog.text.setPlainText("för kort")
        seen.append(dialog.save_button.isEnabled())  # under the template's 10 characters
        if text is None:
            dialog.reject()
            return
        dialog.text.setPlainText(text)
        seen.append(dialog.save_button.isEnabled())
        if os.environ.get("SVF_SHOTS"):
            dialog.grab().save(os.path.join(os.environ["SVF_SHOTS"], "justify-dialog.png"))
        dialog.save_button.click()

    QTimer.singleShot(0, act)


def test_comparing_with_last_year_and_justifying_a_warning(page, qtbot) -> None:
    assert "Jämförs inte med fjolåret" in page.baseline_status.text()
    assert page.list.count() == 0 or all(
        not page.list.item(i).data(256).rule.startswith("year_over_year")
        for i in range(page.list.count())
    )
    qtbot.mouseClick(page.baseline_button, qtbot_left())
    qtbot.waitUntil(lambda: page.baseline_worker is None, timeout=10_000)
    assert (
        "Jämförs med Fjolårets redovisning (ej undertecknad) (2023)" in page.baseline_status.text()
    )
    row = _row_of(page, KEY)
    assert not page.justify_button.isEnabled()  # nothing chosen yet
    page.list.setCurrentRow(row)
    assert page.justify_button.isEnabled() and not page.withdraw_button.isEnabled()

    seen: list = []
    _answer(None, seen)  # cancel: nothing kept
    qtbot.mouseClick(page.justify_button, qtbot_left())
    assert seen == [False]
    assert reports.get_report(page.session.ctx, page.session.report_id).acknowledgements == {}

    seen.clear()
    _answer(WHY, seen)
    qtbot.mouseClick(page.justify_button, qtbot_left())
    assert seen == [False, True]
    stored = reports.get_report(page.session.ctx, page.session.report_id).acknowledgements
    assert stored[KEY].justification == WHY
    row = _row_of(page, KEY)
    text = page.list.item(row).text()
    assert text.startswith("Motiverad varning") and "Motivering: " + WHY in text
    assert "2 varningar</b> (1 motiverad)" in page.summary.text()
    assert page.list.currentRow() == row and page.withdraw_button.isEnabled()
    if os.environ.get("SVF_SHOTS"):
        page.window().grab().save(os.path.join(os.environ["SVF_SHOTS"], "review-justified.png"))

    # Still a warning; the validation says so, with the justification.
    result = reports.validate_report(page.session.ctx, page.session.report_id)
    jump = next(f for f in result.findings if f.key == KEY)
    assert jump.severity == Severity.WARNING and jump.acknowledgement.justification == WHY

    # A new value: the justification no longer holds, the row says so.
    reports.set_figure(page.session.ctx, page.session.report_id, "lunga", "included", "kvinnor", 1)
    page.session.reload()
    page.refresh(reports.Changes(figures=True))
    text = page.list.item(_row_of(page, KEY)).text()
    assert text.startswith("Varning") and "Motiveringen gäller inte längre" in text
    page.list.setCurrentRow(_row_of(page, KEY))
    qtbot.mouseClick(page.withdraw_button, qtbot_left())
    assert reports.get_report(page.session.ctx, page.session.report_id).acknowledgements == {}


def test_a_locked_report_offers_no_justification(page, qtbot) -> None:
    qtbot.mouseClick(page.baseline_button, qtbot_left())
    qtbot.waitUntil(lambda: page.baseline_worker is None, timeout=10_000)
    page.list.setCurrentRow(_row_of(page, KEY))
    page.set_read_only(True)
    assert not page.justify_button.isEnabled()
    assert not page.baseline_button.isEnabled()
    assert page.goto_button.isEnabled()  # going to the place still works


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_a_wrong_file_for_last_year_says_why_in_swedish(page, qtbot, tmp_path) -> None:
    wrong = tmp_path / "fjol.txt"
    wrong.write_text("inte en redovisning", encoding="utf-8")
    page.ask_baseline_path = lambda: wrong
    qtbot.mouseClick(page.baseline_button, qtbot_left())
    qtbot.waitUntil(lambda: page.baseline_worker is None, timeout=10_000)
    text = page.baseline_status.text()
    assert text.startswith("fjol.txt: välj fjolårets undertecknade redovisning")
    assert "Traceback" not in text and page.baseline_button.isEnabled()
    assert page.session.report.baseline is None
