import json
from datetime import date

import pytest

from desktop_app.domain.errors import DocumentError, UserError
from desktop_app.domain.report import Contact, Prem, Status
from desktop_app.services import reports
from desktop_app.services.demo import BELOW_GOAL, NO_PREM, create_demo
from tests.helpers.factories import complete_report


def test_create_list_and_refuse_duplicate(ctx):
    rid = reports.create_report(ctx, "25", 2024)
    report = reports.get_report(ctx, rid)
    assert (report.region_code, report.template_id, report.status) == (
        "25",
        "svf-2024",
        Status.DRAFT,
    )
    assert report.finance.recipient == "Region Norrbotten"
    with pytest.raises(
        UserError, match=r"Det finns redan en redovisning för Region Norrbotten 2024 \(id 1\)"
    ):
        reports.create_report(ctx, "25", 2024)
    with pytest.raises(UserError, match="ingen region med kod '99'"):
        reports.create_report(ctx, "99", 2024)
    with pytest.raises(UserError, match="ingen redovisningsmall för år 2019"):
        reports.create_report(ctx, "25", 2019)
    (row,) = reports.list_reports(ctx)
    assert row.region.name == "Region Norrbotten" and row.status_label == "Utkast"
    assert {c.id: c.status for c in row.criteria} == {
        "inclusion": "unknown",
        "prem": "unknown",
        "deadline": "unknown",
    }


def test_edits_are_checked_and_saved(ctx):
    rid = reports.create_report(ctx, "25", 2024)
    reports.set_figure(ctx, rid, "lunga", "included", "man", 12)
    assert reports.get_report(ctx, rid).figures.get("lunga", "included", "man") == 12
    for value, text in ((-1, "negativt"), (1.5, "heltal")):
        with pytest.raises(UserError, match=text):
            reports.set_figure(ctx, rid, "lunga", "included", "man", value)
    with pytest.raises(UserError, match="gäller inte kvinnor"):
        reports.set_figure(ctx, rid, "prostata", "included", "kvinnor", 3)
    # a bulk edit with one bad cell changes nothing
    with pytest.raises(UserError):
        reports.set_figures(
            ctx, rid, {("lunga", "expected", "man"): 40, ("lunga", "included", "man"): -3}
        )
    assert reports.get_report(ctx, rid).figures.get("lunga", "expected", "man") is None
    reports.set_figure(ctx, rid, "lunga", "included", "man", None)
    assert reports.get_report(ctx, rid).figures.get("lunga", "included", "man") is None
    reports.set_answer(ctx, rid, "urology", "Ny mottagning")
    reports.set_prem(ctx, rid, Prem(used=True, sent=10, answers=5))
    reports.set_contact(ctx, rid, Contact(name="Anna", email="anna@example.se"))
    report = reports.get_report(ctx, rid)
    assert (
        report.answers["urology"] == "Ny mottagning"
        and report.prem.answers == 5
        and report.contact.name == "Anna"
    )
    with pytest.raises(UserError, match="finns inte i mallen"):
        reports.set_answer(ctx, rid, "nope", "x")
    with pytest.raises(UserError, match="ingen redovisning med id 999"):
        reports.set_answer(ctx, 999, "urology", "x")


def test_submit_shows_sent_to_rcc_and_leaves_the_deadline_to_the_rcc(ctx):
    rid = reports.create_report(ctx, "25", 2024)
    reports.mark_submitted(ctx, rid, date(2024, 9, 30))
    result = reports.validate_report(ctx, rid)
    deadline = {c.id: c for c in result.criteria}["deadline"]
    assert deadline.status == "unknown"
    assert deadline.message.startswith("Skickad till RCC 30 september 2024")
    assert reports.get_report(ctx, rid).status == Status.SUBMITTED


def test_dump_and_load_round_trip(ctx, tpl):
    from desktop_app.domain.document import to_document

    doc = to_document(complete_report(tpl, region="03"), tpl)
    rid, created = reports.load_document(ctx, json.loads(json.dumps(doc)), "rapport.json")
    assert created
    dumped = reports.dump_report(ctx, rid)
    assert dumped.pop("history")["entries"] > 1  # the head of the report's history chain
    assert dumped == doc
    doc["answers"]["urology"] = "Ersatt text"
    rid2, created2 = reports.load_document(ctx, doc, "rapport.json")
    assert (rid2, created2) == (rid, False)
    assert reports.get_report(ctx, rid).answers["urology"] == "Ersatt text"


def test_invalid_document_changes_nothing(ctx, tpl):
    from desktop_app.domain.document import to_document

    rid, _ = reports.load_document(ctx, to_document(complete_report(tpl), tpl))
    before = reports.dump_report(ctx, rid)
    bad = json.loads(json.dumps(before))
    bad["answers"]["urology"] = "Ändrad"
    bad["figures"]["lunga"]["included_man"] = -5
    with pytest.raises(DocumentError, match="figures/lunga/included_man"):
        reports.load_document(ctx, bad, "trasig.json")
    assert reports.dump_report(ctx, rid) == before
    with pytest.raises(DocumentError, match="inget rapportdokument"):
        reports.load_document(ctx, [1, 2], "lista.json")


def test_demo_has_a_region_below_goal_and_one_without_prem(ctx):
    ids = create_demo(ctx)
    assert len(ids) == 21
    rows = {r.region.code: {c.id: c.status for c in r.criteria} for r in reports.list_reports(ctx)}
    assert rows[BELOW_GOAL]["inclusion"] == "fail"
    assert rows[NO_PREM]["prem"] == "fail"
    passing = [code for code, c in rows.items() if c["inclusion"] == "pass"]
    assert len(passing) == 20
    for rid in ids:  # demo figures are consistent
        result = reports.validate_report(ctx, rid)
        assert not [f for f in result.errors if f.rule != "missing_answer"], result.errors
    with pytest.raises(UserError, match="har redan redovisningar för 2024"):
        create_demo(ctx)
