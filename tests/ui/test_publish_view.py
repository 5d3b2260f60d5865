"""The review step's Publicering box (issue 15, point 7): a cell with 3 patients is listed
before signing and a click goes to it; typing 5 removes it; "Skriv publicerad version…" writes
the copy next to the original, which is unchanged."""

from __future__ import annotations

import hashlib

from desktop_app.domain.document import to_document
from desktop_app.services import reports
from desktop_app.services.exports import export_pdf
from desktop_app.ui.report_view import ReportView
from desktop_app.ui.session import ReportSession
from desktop_app.ui.workers import db_pool, file_pool
from tests.helpers.factories import complete_report


def _session(ctx, tpl):
    report = complete_report(tpl, over=0)
    report.figures.set("penis", "included", "man", 3)
    report.figures.set("penis", "within_lead_time", "man", 0)
    rid, _ = reports.load_document(ctx, to_document(report, tpl), "r.json")
    return ReportSession(ctx, rid)


def test_publish_box_lists_the_small_cell_and_writes_the_copy(ctx, tpl, qtbot, tmp_path):
    session = _session(ctx, tpl)
    view = ReportView(session)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    page = view.go_to_step("granska")
    box = page.publish_box
    assert box.list.count() == 2  # the small cell, and its complement (secondary suppression)
    assert "Peniscancer, män, Inkluderade: 3 patienter" in box.list.item(0).text()
    assert "Äggstockscancer: Inkluderade visas som ”–”" in box.list.item(1).text()
    assert "2 uppgifter döljs" in box.summary.text()
    box.list.itemClicked.emit(box.list.item(0))
    figures = view.current_page()
    assert figures.step.kind == "figures"
    cell = figures.view.currentIndex()
    assert figures.model.cell_at(cell) == ("penis", "included", "man")

    original = tmp_path / "underskriven.pdf"
    export_pdf(ctx, session.report_id, original)
    before = hashlib.sha256(original.read_bytes()).hexdigest()
    view.go_to_step("granska")
    box.ask_original = lambda: original
    box.write_button.click()
    qtbot.waitUntil(lambda: "Sparat" in box.status.text(), timeout=30_000)
    assert (tmp_path / "underskriven-publicerad.pdf").is_file()
    assert hashlib.sha256(original.read_bytes()).hexdigest() == before

    session.set_figures({("penis", "included", "man"): 5})
    assert box.list.count() == 0 and "Inget behöver döljas" in box.summary.text()
    file_pool().waitForDone(10_000)
    db_pool().waitForDone(10_000)


def test_the_published_copy_is_previewed_before_signing(ctx, tpl, qtbot, tmp_path):
    from tests.exchange.test_outputs_follow_template import pdf_text

    session = _session(ctx, tpl)
    view = ReportView(session)
    qtbot.addWidget(view)
    page = view.go_to_step("granska")
    box = page.publish_box
    opened: list = []
    box.open_file = opened.append
    box.preview_button.click()
    qtbot.waitUntil(lambda: bool(opened), timeout=30_000)
    assert "Förhandsgranskningen" in box.status.text()
    text = " ".join(pdf_text(opened[0].read_bytes(), tmp_path).split())
    assert "Förhandsgranskning av publicerad version – inte underskriven" in text
    assert "<5" in text.split()  # the 3 patients of Peniscancer, män
    from desktop_app.signing import read_attachments

    assert read_attachments(opened[0].read_bytes()) == {}  # no exact figures inside
