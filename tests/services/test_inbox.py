"""The RCC's inbox and compilation services (issue 6) on signed demo PDFs: statuses and
reasons, versions, history and differences, populations and the payment split."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date

import pytest

from desktop_app.domain.errors import UserError
from desktop_app.domain.vocabulary import InboxStatus
from desktop_app.services.compilation import (
    compile_scope,
    get_populations,
    reset_populations,
    set_population,
)
from desktop_app.services.inbox import (
    ACCEPTED,
    REFUSED,
    SUPERSEDED,
    diff_versions,
    entry_file,
    import_reports,
    inbox_history,
    list_inbox,
    scope_of,
    scopes,
)
from desktop_app.services.inbox_policy import arrival_deadline
from tests.helpers.pdf_tamper import flip_byte, page_content_offset
from tests.helpers.signed_demo import signed_demo_pdfs


@pytest.fixture(scope="session")
def signed_demo(pytestconfig, tmp_path_factory):
    return signed_demo_pdfs(pytestconfig, tmp_path_factory)


@pytest.fixture
def ctx(ctx, signed_demo):
    """The RCC's context with every region's demo signers registered (issue 11)."""
    signed_demo.register(ctx)
    return ctx


def by_file(entries):
    return {e.file_name: e for e in entries}


def test_one_import_reports_each_bad_file_with_its_reason_and_compiles_the_rest(
    ctx, signed_demo, tmp_path
):
    d = signed_demo
    tampered = tmp_path / "manipulerad-25.pdf"
    data = d.files["25"].read_bytes()
    tampered.write_bytes(flip_byte(data, page_content_offset(data, 1)))
    files = [
        d.files["22"],
        d.files["23"],  # version 1 …
        d.v2["23"],  # … and version 2 of the same region in the same import
        d.files["24"],
        d.files["25"],
        tampered,
        d.unsigned["24"],
        d.certified_only["24"],
        d.files["03"],  # RCC Mellansverige
    ]
    entries = by_file(import_reports(ctx, "norr", files, year=2024))
    assert len(entries) == len(files)

    bad = entries["manipulerad-25.pdf"]
    assert bad.status == REFUSED and bad.refusal == "tampered"
    assert bad.reason.startswith("Manipulerad fil:") and "bruten" in bad.reason
    # Issue 11: unsigned or half-signed files are not refused; they wait for a decision.
    unsigned = entries["export-24.pdf"]
    assert unsigned.status == InboxStatus.PENDING and unsigned.refusal is None
    assert unsigned.reason.startswith("Väntar på beslut: Osignerad fil")
    half = entries["intygad-24.pdf"]
    assert half.status == InboxStatus.PENDING
    assert "Underskrift av behörig företrädare saknas." in half.reason
    # A region of another RCC is kept (the inbox does not depend on the view), with a note.
    other = entries["signerad-03.pdf"]
    assert other.status == ACCEPTED and other.other_rcc == "hör till RCC Mellansverige"
    old = entries["signerad-23.pdf"]
    new = entries["signerad-23-v2.pdf"]
    assert old.status == SUPERSEDED and old.superseded_by == new.id
    assert old.reason == f"Ersatt av id {new.id} (version 2)."
    assert new.status == ACCEPTED and new.report_version == 2
    assert {e.file_name for e in entries.values() if e.accepted and not e.other_rcc} == {
        "signerad-22.pdf",
        "signerad-23-v2.pdf",
        "signerad-24.pdf",
        "signerad-25.pdf",
    }

    result = compile_scope(ctx, "norr", 2024)
    assert result.compilation.compiled == ("22", "23", "24", "25")
    assert result.missing == ()
    # Version 2 of Jämtland Härjedalen has one more woman included in lung cancer.
    v1 = _report_figures("23")
    assert result.reports["23"].figures.get("lunga", "included", "kvinnor") == (
        v1.get("lunga", "included", "kvinnor") + 1
    )
    expected = sum(
        _report_figures(c).get("lunga", "included", "kvinnor") for c in ("22", "23", "24", "25")
    )
    assert result.compilation.total.get("lunga", "included", "kvinnor") == expected + 1
    # Everything received from RCC Norr's regions stays listed, refused files included.
    assert len(list_inbox(ctx, "norr", 2024)) == len(files) - 1
    assert len(list_inbox(ctx, "national", 2024)) == len(files)


def _report_figures(code):
    from desktop_app.services.demo import demo_reports

    return next(r for r in demo_reports() if r.region_code == code).figures


def test_the_listed_entry_has_signers_certification_criteria_and_deadline(ctx, signed_demo):
    (e,) = import_reports(ctx, "norr", [signed_demo.files["25"]], year=2024)
    assert (e.region_code, e.region_name, e.report_year, e.report_version) == (
        "25",
        "Region Norrbotten",
        2024,
        1,
    )
    assert e.template_id == "svf-2024" and e.certification_alt == 1
    assert e.certification_label == "Alt 1 – korrekt"
    chef, rep = e.signer("certification"), e.signer("representative")
    assert chef.signer_name == "Åsa Ekonomsson" and rep.claimed_name == "Bo Företrädare"
    assert chef.ok and chef.trusted and not chef.self_signed
    assert chef.certificate_status.startswith("Giltig, betrott certifikat (utfärdat av ")
    assert e.received_on == ctx.today() and [b["bound"] for b in e.bindings] == [True, True]
    crit = {c.id: c.status for c in e.criteria}
    assert crit == {"inclusion": "fail", "prem": "pass", "deadline": "pass"}
    assert e.criteria_met is False and e.on_time is True and e.on_time_label == "I tid"
    assert e.submitted_on is not None and e.signed_at is not None
    assert entry_file(ctx, e) == signed_demo.files["25"].read_bytes()


def test_importing_the_same_file_again_changes_nothing(ctx, signed_demo, tmp_path):
    first = import_reports(ctx, "norr", [signed_demo.files["24"]], year=2024)
    copy = tmp_path / "samma-fil-annat-namn.pdf"
    shutil.copy(signed_demo.files["24"], copy)
    again = import_reports(ctx, "norr", [signed_demo.files["24"], copy], year=2024)
    assert [e.id for e in again] == [first[0].id, first[0].id]
    assert all(e.already_imported for e in again)
    assert len(list_inbox(ctx, "norr", 2024)) == 1


def test_newer_version_received_later_replaces_the_older_and_history_keeps_both(ctx, signed_demo):
    (v1,) = import_reports(ctx, "norr", [signed_demo.files["24"]], year=2024)
    assert v1.status == ACCEPTED
    (v2,) = import_reports(ctx, "norr", [signed_demo.v2["24"]], year=2024)
    assert v2.status == ACCEPTED
    # An older version arriving after the newer one is superseded at once.
    (late_v1,) = import_reports(ctx, "norr", [signed_demo.files["24"]], year=2024)
    assert late_v1.already_imported and late_v1.status == SUPERSEDED
    history = inbox_history(ctx, "24", 2024)
    assert [(e.report_version, e.status) for e in history] == [(1, SUPERSEDED), (2, ACCEPTED)]
    assert history[0].superseded_by == v2.id
    diffs = {d.key: d for d in diff_versions(ctx, v1.id, v2.id)}
    lung = diffs["figures/lunga/included_kvinnor"]
    assert lung.new == lung.old + 1 and lung.label == "Lungcancer, kvinnor: Inkluderade"
    assert diffs["answers/urology"].new == "Version 2: ny utredningsmottagning."
    assert (diffs["version"].old, diffs["version"].new) == (1, 2)
    assert set(diffs) == {"version", "figures/lunga/included_kvinnor", "answers/urology"}


def test_halland_is_received_by_both_rcc_syd_and_rcc_vast_but_not_by_norr(ctx, signed_demo):
    halland = signed_demo.files["13"]
    for scope in ("syd", "vast", "national"):
        (e,) = import_reports(ctx, scope, [halland], year=2024)
        assert e.status == ACCEPTED, scope
    (e,) = import_reports(ctx, "norr", [halland], year=2024)
    assert e.already_imported and e.status == ACCEPTED
    assert e.other_rcc == "hör till RCC Syd och RCC Väst"
    assert "13" in scope_of("syd").regions and "13" in scope_of("vast").regions
    assert [s.id for s in scopes()][-1] == "national" and len(scope_of("national").regions) == 21


def test_wrong_year_unreadable_and_unknown_scope(ctx, signed_demo, tmp_path):
    (e,) = import_reports(ctx, "norr", [signed_demo.files["22"]], year=2023)
    assert e.refusal == "wrong_year"
    assert e.reason == "Fel år: redovisningen gäller 2024, sammanställningen 2023."
    junk = tmp_path / "inte-en-pdf.pdf"
    junk.write_text("hej")
    (e,) = import_reports(ctx, "norr", [tmp_path], year=2024)  # a folder: its PDF files
    assert e.file_name == "inte-en-pdf.pdf" and e.refusal == "unreadable"
    assert e.reason.startswith("Oläslig fil:") and e.region_code is None
    other_pdf = tmp_path / "annan.pdf"
    from reportlab.pdfgen.canvas import Canvas

    canv = Canvas(str(other_pdf), pagesize=(300, 300))
    canv.drawString(40, 250, "Ett annat dokument")
    canv.save()
    (e,) = import_reports(ctx, "norr", [other_pdf], year=2024)
    assert e.refusal == "unreadable"
    assert e.reason == (
        "Oläslig fil: den innehåller ingen läsbar redovisning från SVF-redovisning "
        "(Redovisningens data (svf-report.json) saknas i filen.)"
    )
    with pytest.raises(UserError, match="Okänt urval 'nord'"):
        import_reports(ctx, "nord", [junk])
    with pytest.raises(UserError, match="finns inte"):
        import_reports(ctx, "norr", [tmp_path / "saknas.pdf"])
    # An unreadable file is listed last.
    import_reports(ctx, "norr", [signed_demo.files["23"]], year=2024)
    assert [x.region_code for x in list_inbox(ctx, "norr", 2024)] == ["23", None, None]


def test_missing_and_refused_regions_are_unknown_and_the_split_preliminary(ctx, signed_demo):
    import_reports(
        ctx,
        "norr",
        [signed_demo.files["23"], signed_demo.files["24"], signed_demo.unsigned["24"]],
        year=2024,
    )
    import_reports(ctx, "norr", [signed_demo.certified_only["24"]], year=2024)
    result = compile_scope(ctx, "norr", 2024)
    status = {r.code: (r.status, r.reason) for r in result.regions}
    assert status["22"] == ("missing", "Ingen redovisning har kommit in.")
    assert status["25"][0] == "missing"
    assert status["23"] == ("accepted", None) and status["24"] == ("accepted", None)
    assert result.missing == ("22", "25") and result.compilation.missing == ("22", "25")
    assert result.preliminary
    pay = result.payments
    assert pay.region("22").qualifies is None
    assert pay.region("22").reason == "Ej känt – ingen redovisning har kommit in."
    assert pay.region("01").reason == "Ej känt – hör inte till RCC Norr."
    assert pay.region("23").payment_2 is None  # depends on the unknown regions
    for attr in ("payment_1", "payment_2_if_all_unknown_qualify", "payment_2_if_none_qualify"):
        assert sum(getattr(r, attr) for r in pay.regions) == 182_500_000


def test_a_region_with_only_refused_files_is_refused_with_the_reason(ctx, signed_demo, tmp_path):
    tampered = tmp_path / "manipulerad-24.pdf"
    data = signed_demo.files["24"].read_bytes()
    tampered.write_bytes(flip_byte(data, page_content_offset(data, 1)))
    import_reports(ctx, "norr", [tampered], year=2024)
    r = compile_scope(ctx, "norr", 2024).region("24")
    assert r.status == "refused"
    assert r.reason.startswith("Ingen godkänd redovisning: Manipulerad fil")


def test_a_region_whose_only_file_waits_is_pending_and_not_known(ctx, signed_demo):
    import_reports(ctx, "norr", [signed_demo.unsigned["24"]], year=2024)
    result = compile_scope(ctx, "norr", 2024)
    r = result.region("24")
    assert r.status == "pending"
    assert r.reason.startswith("Väntar på beslut av RCC: Väntar på beslut: Osignerad fil")
    assert result.payments.region("24").qualifies is None


def test_population_edit_is_saved_with_the_compilation_and_changes_the_split(ctx, signed_demo):
    import_reports(ctx, "norr", [signed_demo.files[c] for c in ("22", "23", "24", "25")], year=2024)
    before = compile_scope(ctx, "norr", 2024)
    pops = {p.code: p for p in get_populations(ctx, "norr", 2024)}
    assert len(pops) == 21 and not any(p.edited for p in pops.values())
    assert pops["24"].date == "2023-12-31" and pops["24"].source.startswith("SCB")
    edited = set_population(ctx, "norr", 2024, "24", 400_000, "2024-06-30", "SCB, 30 juni 2024")
    assert edited.edited and edited.population == 400_000 and edited.reference == 278_729
    after = compile_scope(ctx, "norr", 2024)
    assert after.payments.region("24").payment_1 > before.payments.region("24").payment_1
    assert sum(r.payment_1 for r in after.payments.regions) == 182_500_000
    # Another compilation (scope) keeps the reference data.
    assert not any(p.edited for p in get_populations(ctx, "national", 2024))
    with pytest.raises(UserError, match="positivt heltal"):
        set_population(ctx, "norr", 2024, "24", 0)
    set_population(ctx, "norr", 2024, "24", None)
    assert not any(p.edited for p in get_populations(ctx, "norr", 2024))
    set_population(ctx, "norr", 2024, "25", 250_000)
    reset_populations(ctx, "norr", 2024)
    assert compile_scope(ctx, "norr", 2024).payments == before.payments


def test_deadline_is_judged_on_arrival_and_submitted_on_is_information(tpl):
    from desktop_app.domain.rules import evaluate_criteria
    from tests.helpers.factories import complete_report

    report = replace(complete_report(tpl), submitted_on=date(2024, 9, 20))
    criteria = evaluate_criteria(report, tpl, date(2025, 1, 10))

    def deadline(received_on, last_day=tpl.deadline):
        judged = arrival_deadline(criteria, tpl, received_on, last_day, report.submitted_on)
        return next(c for c in judged if c.id == "deadline")

    c = deadline(date(2024, 9, 30))
    assert c.status == "pass" and "Regionens egen inlämningsdag: 20 september 2024" in c.message
    c = deadline(date(2024, 10, 1))
    assert c.status == "fail" and "för sent" in c.message
    assert deadline(date(2024, 10, 1), date(2024, 10, 4)).status == "pass"
    assert deadline(None).status == "unknown"


def test_received_files_keep_the_codes_of_their_problems(ctx, signed_demo):
    half, whole = import_reports(
        ctx, "norr", [signed_demo.certified_only["24"], signed_demo.files["25"]], year=2024
    )
    assert half.problem_codes == ("representative_missing",)
    assert half.to_dict()["problem_codes"] == ["representative_missing"]
    assert whole.problem_codes == () and whole.accepted
    listed = by_file(list_inbox(ctx, "norr", 2024))  # read back from the database
    assert listed[half.file_name].problem_codes == ("representative_missing",)
