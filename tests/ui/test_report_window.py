"""The coordinator's window driven as a user would."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from desktop_app.domain.rules import Finding, Location
from desktop_app.services import reports
from desktop_app.services.demo import create_demo
from desktop_app.ui.main_window import MainWindow
from tests.helpers.factories import make_ctx


def open_window(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    return window


def test_welcome_then_new_report_through_the_dialog(qtbot, ctx):
    window = open_window(qtbot, ctx)
    assert window.stack.currentIndex() == 1  # welcome page on an empty database
    qtbot.mouseClick(window.welcome_new, Qt.MouseButton.LeftButton)
    dialog = window.new_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.region.setCurrentIndex(dialog.region.findData("25"))
    dialog.year.setCurrentIndex(dialog.year.findData(2024))
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    view = window.report_view
    assert view is not None
    assert [view.steps.item(i).text() for i in range(view.steps.count())] == [
        "Uppgifter",
        "SVF-statistik",
        "Ledtider",
        "PREM",
        "Urologi",
        "Jämställdhet",
        "Ekonomisk redovisning",
        "Granska och skicka",
    ]
    assert "Region Norrbotten" in view.title.text()
    # next / previous walk the steps
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    assert view.steps.currentRow() == 1
    qtbot.mouseClick(view.prev_button, Qt.MouseButton.LeftButton)
    assert view.steps.currentRow() == 0 and not view.prev_button.isEnabled()
    # a second report for the same region and year is refused with a Swedish message
    assert window.create_report("25", 2024) is None
    assert "finns redan" in window.error_box.text()


def test_criteria_panel_follows_edits_and_undo(qtbot, ctx):
    create_demo(ctx)
    window = open_window(qtbot, ctx)
    norrbotten = next(r.id for r in reports.list_reports(ctx) if r.region.code == "25")
    window.open_report(norrbotten)
    view = window.report_view
    card = view.criteria.cards["inclusion"]
    assert card.status == "fail"
    session = view.session
    # Raise inclusion to above 70 %: more included patients in breast cancer, women
    fig = session.report.figures
    add = {
        ("brost", m, "kvinnor"): fig.get("brost", m, "kvinnor") + 150
        for m in ("included", "investigated")
    }
    assert session.set_figures(add, "Ändra bröstcancer")
    assert card.status == "pass" and "nås" in card.message.text()
    window.act_undo.trigger()
    assert card.status == "fail"
    window.act_redo.trigger()
    assert card.status == "pass"
    assert window.statusBar().currentMessage().startswith("Sparat ")


def test_narrative_typed_survives_restart(qtbot, db_path):
    ctx = make_ctx(db_path)
    rid = reports.create_report(ctx, "03", 2024)
    window = open_window(qtbot, ctx)
    window.open_report(rid)
    view = window.report_view
    page = view.go_to_step("urologi")
    editor = page.questions["urology"].editor
    editor.setFocus()
    qtbot.keyClicks(editor, "Ny mottagning for prostata")
    editor.insertPlainText(" – väntetiden har halverats.")
    text = "Ny mottagning for prostata – väntetiden har halverats."
    assert reports.get_report(ctx, rid).answers["urology"] == text  # saved while typing
    # typing is one undo step per field, not one per keystroke
    window.act_undo.trigger()
    assert reports.get_report(ctx, rid).answers.get("urology", "") == ""
    window.act_redo.trigger()
    assert editor.toPlainText() == text
    # PREM and contact details
    prem = view.go_to_step("prem")
    qtbot.mouseClick(prem.yes, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(prem.sent, "200")
    qtbot.keyClicks(prem.answers, "90")
    details = view.go_to_step("uppgifter")
    qtbot.keyClicks(details.fields["name"], "Anna Andersson")
    window.close()
    ctx.close()

    ctx2 = make_ctx(db_path)  # "restart": a new process would open the same file
    window2 = open_window(qtbot, ctx2)
    assert window2.stack.currentIndex() == 0 and window2.model.rowCount() == 1
    window2.open_report(rid)
    view2 = window2.report_view
    assert view2.go_to_step("urologi").questions["urology"].editor.toPlainText() == text
    prem2 = view2.go_to_step("prem")
    assert prem2.yes.isChecked() and prem2.sent.text() == "200" and prem2.answers.text() == "90"
    assert "45,0 %" in prem2.rate.text()
    assert view2.go_to_step("uppgifter").fields["name"].text() == "Anna Andersson"
    ctx2.close()


def test_review_lists_findings_and_jumps_to_the_field(qtbot, ctx):
    rid = reports.create_report(ctx, "25", 2024)
    window = open_window(qtbot, ctx)
    window.open_report(rid)
    view = window.report_view
    review = view.go_to_step("granska")
    assert review.list.count() == len(view.session.result.findings) > 0
    assert "fel" in review.summary.text()
    assert view.step_mark("urologi") == "error"
    row = next(
        i
        for i in range(review.list.count())
        if review.list.item(i).data(Qt.ItemDataRole.UserRole).location.field == "urology"
    )
    review.list.itemActivated.emit(review.list.item(row))
    assert view.steps.currentRow() == 4  # Urologi
    assert window.focusWidget() is view.current_page().questions["urology"].editor
    view.session.set_answer("urology", "Beskrivning")
    assert view.step_mark("urologi") == "done"
    # a finding in the figures jumps to the grid step
    view.go_to_finding(
        Finding(
            "missing_value",
            "fel",
            "",
            Location(step="svf-statistik", svf="lunga", sex="man", measure="included"),
        )
    )
    assert view.steps.currentRow() == 1


def test_finance_fields_compute_unspent(qtbot, ctx):
    rid = reports.create_report(ctx, "25", 2024)
    window = open_window(qtbot, ctx)
    window.open_report(rid)
    page = window.report_view.go_to_step("ekonomi")
    qtbot.keyClicks(page.fields["received"], "1000000")
    qtbot.keyClick(page.fields["received"], Qt.Key.Key_Tab)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    label, amount, _ = page.cost_rows[0]
    qtbot.keyClicks(label, "Kontaktsjukskoterskor")
    qtbot.keyClicks(amount, "1200000")
    qtbot.keyClick(amount, Qt.Key.Key_Return)
    fin = reports.get_report(ctx, rid).finance
    assert fin.received == 1_000_000 and fin.costs[0].amount == 1_200_000
    assert page.unspent.text() == "-200 000 kr"
    assert page.total.text() == "1 200 000 kr"


def test_delete_asks_first(qtbot, ctx, monkeypatch):
    rid = reports.create_report(ctx, "25", 2024)
    window = open_window(qtbot, ctx)
    window.table.selectRow(0)
    monkeypatch.setattr(window, "confirm", lambda *a: False)
    window.delete_selected()
    assert reports.list_reports(ctx)[0].id == rid
    monkeypatch.setattr(window, "confirm", lambda *a: True)
    window.delete_selected()
    assert reports.list_reports(ctx) == []
    assert window.stack.currentIndex() == 1  # back to the welcome page


def test_an_amount_with_ore_is_rounded_with_a_note_never_reinterpreted(qtbot, ctx):
    """Issue 13, point 2: "150000,50" is 150 001 kr with a note in the status line, never
    15 000 050 kr; text that is not an amount is marked in the field, announced once in the
    status line (no box), stays for correction and saves nothing."""
    rid = reports.create_report(ctx, "25", 2024)
    window = open_window(qtbot, ctx)
    window.open_report(rid)
    page = window.report_view.go_to_step("ekonomi")
    field = page.fields["received"]
    field.setFocus()
    qtbot.keyClicks(field, "150000,50")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert reports.get_report(ctx, rid).finance.received == 150_001
    assert field.text() == "150 001 kr"
    assert "avrundat till hela kronor: 150 001 kr" in window.statusBar().currentMessage()

    field.selectAll()
    qtbot.keyClicks(field, "150.000")
    assert field.error is not None and "två sätt" in field.error
    assert "border" in field.styleSheet()
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert "två sätt" in window.statusBar().currentMessage()
    assert getattr(window, "error_box", None) is None or not window.error_box.isVisible()
    assert field.text() == "150.000"  # kept for correction
    assert reports.get_report(ctx, rid).finance.received == 150_001  # nothing saved

    field.selectAll()
    qtbot.keyClicks(field, "150 000")
    assert field.error is None and field.styleSheet() == ""
    # A pause in typing saves, as in every field (no Enter needed).
    qtbot.waitUntil(lambda: reports.get_report(ctx, rid).finance.received == 150_000, timeout=5000)


def test_an_amount_typed_and_left_by_changing_step_is_saved(qtbot, ctx):
    rid = reports.create_report(ctx, "25", 2024)
    window = open_window(qtbot, ctx)
    window.open_report(rid)
    page = window.report_view.go_to_step("ekonomi")
    qtbot.keyClicks(page.fields["received"], "4 297 000 kr")
    window.report_view.go_to_step("urologi")
    assert reports.get_report(ctx, rid).finance.received == 4_297_000


def test_a_wrong_amount_does_not_stop_the_other_fields_from_saving(qtbot, ctx):
    rid = reports.create_report(ctx, "25", 2024)
    window = open_window(qtbot, ctx)
    window.open_report(rid)
    page = window.report_view.go_to_step("ekonomi")
    received = page.fields["received"]
    qtbot.keyClicks(received, "1 000 kr")
    qtbot.keyClick(received, Qt.Key.Key_Return)
    received.selectAll()
    qtbot.keyClicks(received, "tusen")  # marked red, not saved
    qtbot.keyClicks(page.fields["contact_person"], "Eva Ekonom")
    fin = reports.get_report(ctx, rid).finance
    assert fin.contact_person == "Eva Ekonom"  # saved although another field is wrong
    assert fin.received == 1000  # the wrong text changed nothing
    assert received.text() == "tusen"  # and stays for correction
