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
    # All or nothing: with unreadable rows nothing can be applied; the list of them is saved
    # with row numbers and reasons only.
    review.all_or_nothing.setChecked(True)
    assert not review.apply_button.isEnabled()
    review.all_or_nothing.setChecked(False)
    saved = path.parent / "olasta.csv"
    monkeypatch.setattr(review, "ask_rejected_path", lambda: saved)
    qtbot.mouseClick(review.rejected_button, Qt.MouseButton.LeftButton)
    lines = saved.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "Rad;Orsak" and len(lines) == len(exp.rejected_rows) + 1
    assert [int(line.split(";")[0]) for line in lines[1:]] == exp.rejected_rows
    text = saved.read_text(encoding="utf-8-sig")
    assert not any(p[2:8] in text for p in exp.identities)
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


def _apply_list(page, qtbot, path, monkeypatch):
    dialog = open_mapping(page, qtbot, path, monkeypatch)
    fill_mapping(dialog, qtbot)
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.patient_list.review is not None, timeout=30_000)
    qtbot.mouseClick(page.patient_list.review.apply_button, Qt.MouseButton.LeftButton)


def test_tag_the_longest_waits_and_put_the_counts_in_the_answer(
    page, session, qtbot, list_file, monkeypatch
):
    from PySide6.QtWidgets import QPushButton

    from desktop_app.services.long_waits import cause_counts

    path, exp = list_file
    _apply_list(page, qtbot, path, monkeypatch)
    button = next(b for b in page.findChildren(QPushButton) if "ngsta" in b.text())
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    view = page.patient_list.waits_dialog
    assert view.proxy.rowCount() == exp.long_waits
    # Sorted by share of the lead time, longest first; filter on one SVF.
    shares = [view.waits[i].percent for i in range(len(view.waits))]
    assert shares == sorted(shares, reverse=True)
    view.svf_filter.setCurrentIndex(view.svf_filter.findText("Bröstcancer"))
    brost = [w for w in view.waits if w.svf_id == "brost"]
    assert view.proxy.rowCount() == len(brost) > 1
    # Tag the two first with a cause of the template, the next with a cause the user adds.
    for n in range(2):
        view.view.selectRow(n)
        view.cause.setCurrentIndex(view.cause.findText("Kapacitet inom radiologi"))
        qtbot.keyClicks(view.note, "vantan pa DT")
        qtbot.mouseClick(view.save, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(view.new_cause, "Brist pa operationstid")
    qtbot.mouseClick(view.add, Qt.MouseButton.LeftButton)
    assert view.cause.currentText() == "Brist pa operationstid"  # chosen once added
    view.view.selectRow(2)
    assert view.cause.currentText() == "(ingen orsak)"  # the row's own (none yet)
    view.cause.setCurrentIndex(view.cause.findText("Brist pa operationstid"))
    qtbot.mouseClick(view.save, Qt.MouseButton.LeftButton)
    counts = {
        (c.svf_id, c.cause_label): c.count for c in cause_counts(session.ctx, session.report_id)
    }
    assert counts == {
        ("brost", "Kapacitet inom radiologi"): 2,
        ("brost", "Brist pa operationstid"): 1,
    }
    assert "kapacitet inom radiologi 2" in view.counts.text()
    qtbot.mouseClick(view.to_answer, Qt.MouseButton.LeftButton)
    answer = session.report.answers["long_waits"]
    assert "Bröstcancer: förlopp över 175 % av ledtiden per orsak" in answer
    assert "kapacitet inom radiologi 2" in answer and "brist pa operationstid 1" in answer
    session.undo_stack.undo()  # the answer is an ordinary, undoable edit
    assert session.report.answers.get("long_waits", "") == ""
    view.grab().save("/tmp/waits.png")


def test_a_note_with_an_identity_number_is_refused(page, session, qtbot, list_file, monkeypatch):
    from PySide6.QtWidgets import QPushButton

    from desktop_app.services.long_waits import long_waits

    path, exp = list_file
    _apply_list(page, qtbot, path, monkeypatch)
    button = next(b for b in page.findChildren(QPushButton) if "ngsta" in b.text())
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    view = page.patient_list.waits_dialog
    view.view.selectRow(0)
    pnr = exp.identities[0]
    for written in (pnr, f"{pnr[2:8]}-{pnr[8:]}", f"{pnr[:8]} {pnr[8:]}"):
        view.note.setText(f"se journal {written}")
        qtbot.mouseClick(view.save, Qt.MouseButton.LeftButton)
        assert "personnummer" in view.error.text()
    view.new_cause.setText(f"Patient {pnr[2:]}")
    qtbot.mouseClick(view.add, Qt.MouseButton.LeftButton)
    assert "personnummer" in view.error.text()
    assert all(w.note == "" for w in long_waits(session.ctx, session.report_id))


def test_the_chart_shows_the_waits_per_svf_against_the_lead_time(
    page, session, qtbot, list_file, monkeypatch
):
    import statistics

    from PySide6.QtCharts import QBoxPlotSeries, QLineSeries
    from PySide6.QtWidgets import QPushButton

    path, exp = list_file
    _apply_list(page, qtbot, path, monkeypatch)
    button = next(b for b in page.findChildren(QPushButton) if "ngsta" in b.text())
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    view = page.patient_list.waits_dialog
    view.tabs.setCurrentWidget(view.chart)
    chart = view.chart
    svfs = sorted({w.svf_id for w in view.waits})
    assert len(chart.categories) == len(svfs) > 1
    # One box per SVF: the waits in percent of their lead time, all over the 175 % line.
    brost = sorted(w.percent for w in view.waits if w.svf_id == "brost")
    i = next(n for n, c in enumerate(chart.categories) if c.startswith("Bröstcancer"))
    low, _, median, _, high = chart.boxes[i]
    assert (low, high) == (brost[0], brost[-1])
    assert median == pytest.approx(statistics.median(brost))
    assert f"n={len(brost)}, ledtid 28 d" in chart.categories[i]
    assert all(b[0] > 175 for b in chart.boxes)
    series = chart.chart().series()
    assert sum(isinstance(s, QBoxPlotSeries) for s in series) == 1
    lines = {s.name(): s.at(0).y() for s in series if isinstance(s, QLineSeries)}
    assert lines == {"Ledtiden (100 %)": 100.0, "175 % av ledtiden": 175.0}
    # It follows the filter.
    view.svf_filter.setCurrentIndex(view.svf_filter.findText("Bröstcancer"))
    assert len(chart.categories) == 1 and chart.categories[0].startswith("Bröstcancer")


def test_codes_are_picked_from_the_files_own_values(page, qtbot, list_file, monkeypatch):
    path, exp = list_file
    dialog = open_mapping(page, qtbot, path, monkeypatch)
    for field, header in MAPPING["columns"].items():
        dialog.select(field, header)
    # Sex: the column's values K and M, each picked from the template's sexes.
    qtbot.mouseClick(dialog.pick_buttons["sex"], Qt.MouseButton.LeftButton)
    pick = dialog.code_dialog
    assert sorted(pick.combos) == ["K", "M", "X"]  # X: the generator's bad rows
    pick.choose("K", "kvinnor")
    pick.choose("M", "man")
    pick.accept()
    assert dialog.codes["sex"].text() == "K=kvinnor; M=man"
    # End reason: 1, 2, 3 to the three ways an SVF ends.
    qtbot.mouseClick(dialog.pick_buttons["end_reason"], Qt.MouseButton.LeftButton)
    pick = dialog.code_dialog
    assert sorted(pick.combos) == ["1", "2", "3"]
    for code, value in MAPPING["end_reason"].items():
        pick.choose(code, value)
    pick.accept()
    # Treatment types; opened again, the codes already given are chosen.
    qtbot.mouseClick(dialog.pick_buttons["treatment_type"], Qt.MouseButton.LeftButton)
    for code, value in MAPPING["treatment_type"].items():
        dialog.code_dialog.choose(code, value)
    dialog.code_dialog.accept()
    qtbot.mouseClick(dialog.pick_buttons["treatment_type"], Qt.MouseButton.LeftButton)
    assert dialog.code_dialog.combos["KIR"].currentData() == "kirurgi"
    dialog.code_dialog.reject()
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.patient_list.review is not None, timeout=30_000)
    qtbot.mouseClick(page.patient_list.review.apply_button, Qt.MouseButton.LeftButton)
    assert dict(page.patient_list.session.report.figures.items()) == exp.figures


def test_picking_codes_of_the_identity_column_shows_no_number(page, qtbot, list_file, monkeypatch):
    path, exp = list_file
    dialog = open_mapping(page, qtbot, path, monkeypatch)
    dialog.select("sex", "Personnr")  # the wrong column, by mistake
    qtbot.mouseClick(dialog.pick_buttons["sex"], Qt.MouseButton.LeftButton)
    pick = dialog.code_dialog
    assert pick.combos == {}
    from PySide6.QtWidgets import QLabel

    text = " ".join(lbl.text() for lbl in pick.findChildren(QLabel))
    assert "liknar personnummer visas inte" in text
    assert not any(p[2:8] in text for p in exp.identities)


def test_a_missing_lead_time_is_entered_as_a_marked_override(
    page, session, qtbot, list_file, monkeypatch
):
    path, exp = list_file
    dialog = open_mapping(page, qtbot, path, monkeypatch)
    fill_mapping(dialog, qtbot)
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.patient_list.review is not None, timeout=30_000)
    review = page.patient_list.review
    assert ("lunga", "kirurgi") in review.override_boxes  # the template has no lead time
    assert ("lunga", "within_lead_time", "man") not in dict(review.preview.result.figures)
    review.override_boxes[("lunga", "kirurgi")].setValue(30)
    qtbot.mouseClick(review.recompute_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: page.patient_list.review is not None and page.patient_list.review is not review,
        timeout=30_000,
    )
    again = page.patient_list.review
    assert "Egen ledtid (inte mallens): Lungcancer, kirurgi: 30 dagar." in again.summary.text()
    assert again.override_boxes[("lunga", "kirurgi")].value() == 30
    missing = {(m.svf_id, m.treatment) for m in again.preview.result.missing_lead_time}
    assert ("lunga", "kirurgi") not in missing and ("lunga", "stralbehandling") in missing
    figures = again.preview.result.figures
    assert ("lunga", "within_lead_time", "man") in figures
    qtbot.mouseClick(again.apply_button, Qt.MouseButton.LeftButton)
    assert (
        session.report.figures.get("lunga", "within_lead_time", "man")
        == figures[("lunga", "within_lead_time", "man")]
    )
    # Marked: the report's change log says the lead time was not the template's.
    with session.ctx.uow() as uow:
        log = [e.summary for e in uow.reports.changes(session.report_id)]
    assert any("Egen ledtid (inte mallens): Lungcancer, kirurgi: 30 dagar" in e for e in log)
