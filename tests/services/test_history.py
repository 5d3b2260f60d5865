"""The history service (issue 15, point 4): every kind of edit is a chained row with old → new,
the history of one cell and of one question, filtering, and what a kvittens records."""

from dataclasses import replace

from desktop_app.domain.report import Prem
from desktop_app.domain.vocabulary import HistoryKind, ReceiptKind
from desktop_app.services import history, reports


def _new(ctx):
    return reports.create_report(ctx, "25", 2024)


def test_each_kind_of_edit_is_a_row_with_old_and_new(ctx):
    rid = _new(ctx)
    reports.set_figure(ctx, rid, "lunga", "expected", "totalt", 40)
    reports.set_answer(ctx, rid, "urology", "Första")
    reports.set_prem(ctx, rid, Prem(used=True, sent=100, answers=None), base=Prem())
    report = reports.get_report(ctx, rid)
    reports.set_finance(ctx, rid, replace(report.finance, received=4_000_000), base=report.finance)
    reports.mark_submitted(ctx, rid)
    lines = {x.path: x for x in history.report_history(ctx, rid)}
    assert (
        lines["figures/lunga/expected_totalt"].old,
        lines["figures/lunga/expected_totalt"].new,
    ) == (None, 40)
    assert lines["answers/urology"].new == "Första"
    assert lines["prem/used"].new_text == "ja" and lines["prem/sent"].new == 100
    assert "prem/answers" not in lines  # unchanged: no row
    assert lines["finance/received"].new == 4_000_000
    assert lines["finance/received"].what == "Bidrag som erhållits"
    assert lines["finance/received"].kind == HistoryKind.FINANCE
    assert (lines["status"].old_text, lines["status"].new_text) == ("Utkast", "Inlämnad")
    assert lines["status"].source is None and lines["submitted_on"].new == "2024-09-01"
    assert history.check_history(ctx).ok


def test_history_of_a_cell_and_of_a_question_and_filters(ctx):
    rid = _new(ctx)
    for v in (3, 5, None):
        reports.set_figure(ctx, rid, "lunga", "included", "man", v)
    reports.set_figure(ctx, rid, "lunga", "included", "kvinnor", 4)
    reports.set_answer(ctx, rid, "urology", "Ett")
    reports.set_answer(ctx, rid, "urology", "Två")
    cell = history.cell_history(ctx, rid, ("lunga", "included", "man"))
    assert [(x.old, x.new) for x in cell] == [(None, 3), (3, 5), (5, None)]
    assert cell[-1].new_text == "(tom)"
    q = history.question_history(ctx, rid, "urology")
    assert [(x.old, x.new) for x in q] == [("", "Ett"), ("Ett", "Två")]
    figures = history.report_history(ctx, rid, kind=HistoryKind.FIGURE)
    assert len(figures) == 4
    assert [x.new for x in history.report_history(ctx, rid, text="två")] == ["Två"]


def test_undoing_an_edit_is_a_row_of_its_own(ctx):
    rid = _new(ctx)
    reports.set_figure(ctx, rid, "lunga", "included", "man", 3)
    reports.set_figures(ctx, rid, {("lunga", "included", "man"): None})  # what undo does
    rows = history.cell_history(ctx, rid, ("lunga", "included", "man"))
    assert [(x.old, x.new) for x in rows] == [(None, 3), (3, None)]
    assert rows[0].hash == rows[1].prev_hash


def test_a_receipt_is_recorded_with_the_rccs_reason(ctx):
    rid = _new(ctx)
    with ctx.uow() as uow:
        history.record_receipt(
            uow, rid, ReceiptKind.RETURN, "Återsänd av RCC Norr", reason="Saknar PREM"
        )
        uow.commit()
    last = history.report_history(ctx, rid)[-1]
    assert (last.kind, last.new_text, last.reason) == (
        "receipt", "Återsänd för komplettering", "Saknar PREM",
    )  # fmt: skip
    assert history.check_history(ctx, rid).ok


def test_a_load_records_each_changed_value_with_source_import(ctx, tpl):
    from desktop_app.domain.document import to_document
    from tests.helpers.factories import complete_report

    rid = _new(ctx)
    doc = to_document(complete_report(tpl, region="25"), tpl)
    reports.load_document(ctx, doc, "rapport.json")
    loaded = history.report_history(ctx, rid, kind=HistoryKind.LOAD)
    assert len(loaded) > 100 and {x.source for x in loaded} == {"import"}
    assert loaded[0].note == "Inläst från rapport.json"


def test_figures_from_a_patient_list_have_that_source(ctx):
    from desktop_app.services.patients import apply_patient_figures

    rid = _new(ctx)
    apply_patient_figures(ctx, rid, {("lunga", "included", "man"): 6}, note="lista.xlsx")
    row = history.cell_history(ctx, rid, ("lunga", "included", "man"))[-1]
    assert (row.kind, row.source, row.source_label, row.note) == (
        "patient_list", "patient_list", "Beräknat från patientlista", "lista.xlsx",
    )  # fmt: skip
