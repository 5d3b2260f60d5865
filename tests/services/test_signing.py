"""Service level of issue 5: the certification bound to the financial figures, the lock after
import, unlock as a new version, and the state the screens show."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import openpyxl
import pytest

from desktop_app.domain.finance import CostItem
from desktop_app.domain.report import Contact, Prem, Status
from desktop_app.services import exports, reports
from desktop_app.services import signing as svc
from desktop_app.services.reports import LockedError
from desktop_app.signing import make_demo_certificate, open_signer
from tests.helpers.factories import complete_report

PASSWORD = "lösen"
TODAY = date(2024, 9, 20)
REQUEST = svc.CertificationRequest(
    alternative=1,
    name="Åsa Ekonomsson",
    title="Ekonomidirektör",
    phone="0920-28 40 00",
    email="asa@example.se",
)


@pytest.fixture(scope="module")
def p12(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("p12")
    return (
        make_demo_certificate("Åsa Ekonomsson", PASSWORD, tmp / "chef.p12").path,
        make_demo_certificate("Bo Företrädare", PASSWORD, tmp / "rep.p12").path,
    )


@pytest.fixture
def report_id(ctx, tpl):
    with ctx.uow() as uow:
        rid = uow.reports.add(complete_report(tpl))
        uow.commit()
    return rid


def export_certify_sign(ctx, rid, tmp_path, p12, request=REQUEST, sign=True):
    exports.export_pdf(ctx, rid, tmp_path / "export.pdf", tmp_path / "export.xlsx")
    with open_signer(p12[0], PASSWORD) as s:
        svc.certify_file(tmp_path / "export.pdf", tmp_path / "certified.pdf", s, request, TODAY)
    if not sign:
        return tmp_path / "certified.pdf"
    with open_signer(p12[1], PASSWORD) as s:
        svc.sign_file(
            tmp_path / "certified.pdf", tmp_path / "signed.pdf", s, "Bo Företrädare", TODAY
        )
    return tmp_path / "signed.pdf"


def test_export_writes_pdf_with_the_document_and_a_workbook(ctx, report_id, tmp_path):
    r = exports.export_pdf(ctx, report_id, tmp_path / "r.pdf", tmp_path / "r.xlsx")
    assert r.pages >= 6 and r.size == (tmp_path / "r.pdf").stat().st_size
    from desktop_app.signing import read_attachments

    doc = read_attachments((tmp_path / "r.pdf").read_bytes())["svf-report.json"].data
    assert json.loads(doc) == reports.dump_report(ctx, report_id)
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert wb.sheetnames == ["Sammanfattning", "SVF", "Fynd", "Ekonomi"]
    svf = wb["SVF"]
    assert svf["A2"].value == "aml" and svf.cell(2, 3).value == 10  # expected, kvinnor
    ekonomi = {row[0]: row[1] for row in wb["Ekonomi"].iter_rows(values_only=True)}
    assert ekonomi["Medel som inte har förbrukats (kr)"] == 4_297_000 - 3_900_000


def test_financial_figure_changed_after_certification_voids_it(ctx, report_id, tmp_path, p12):
    certified = export_certify_sign(ctx, report_id, tmp_path, p12, sign=False)
    assert svc.certification_status(ctx, report_id, pdf=certified).state == svc.CERT_VALID
    finance = reports.get_report(ctx, report_id).finance
    reports.set_finance(ctx, report_id, replace(finance, received=finance.received + 1000))
    status = svc.certification_status(ctx, report_id, pdf=certified)
    assert status.state == svc.CERT_VOID
    assert "ändrats efter intygandet" in status.message
    with pytest.raises(svc.CertificationVoidError, match="intyga den igen"):
        svc.import_signed_pdf(ctx, certified)
    assert svc.signing_state(ctx, report_id).locked is False  # nothing recorded


def test_contact_change_does_not_void_the_certification(ctx, report_id, tmp_path, p12):
    certified = export_certify_sign(ctx, report_id, tmp_path, p12, sign=False)
    finance = reports.get_report(ctx, report_id).finance
    reports.set_finance(ctx, report_id, replace(finance, phone="010-111 11 11"))
    assert svc.certification_status(ctx, report_id, pdf=certified).state == svc.CERT_VALID


def test_import_locks_every_edit_until_unlocked(ctx, report_id, tmp_path, p12, tpl):
    signed = export_certify_sign(ctx, report_id, tmp_path, p12)
    result = svc.import_signed_pdf(ctx, signed)
    assert (result.report_id, result.created, result.status) == (report_id, False, Status.SIGNED)
    state = svc.signing_state(ctx, report_id)
    assert state.locked and state.status == Status.SIGNED
    assert state.certification.state == svc.CERT_VALID
    assert [s["role"] for s in state.signatures] == ["certification", "representative"]
    finance = reports.get_report(ctx, report_id).finance
    edits = [
        lambda: reports.set_figure(ctx, report_id, "lunga", "included", "man", 3),
        lambda: reports.set_answer(ctx, report_id, tpl.questions[0].id, "Ny text"),
        lambda: reports.set_prem(ctx, report_id, Prem(True, 1, 1)),
        lambda: reports.set_contact(ctx, report_id, Contact(name="Ny")),
        lambda: reports.set_finance(ctx, report_id, replace(finance, received=1)),
        lambda: reports.load_document(ctx, reports.dump_report(ctx, report_id)),
    ]
    for edit in edits:
        with pytest.raises(LockedError, match="låst"):
            edit()
    reports.mark_submitted(ctx, report_id, date(2024, 9, 25))  # handing in is not an edit

    svc.unlock_report(ctx, report_id)
    state = svc.signing_state(ctx, report_id)
    assert not state.locked and state.version == 2 and state.status == Status.DRAFT
    assert (
        state.certification.state == svc.CERT_VOID and "låstes upp" in state.certification.message
    )
    assert state.signatures == []
    reports.set_finance(ctx, report_id, replace(finance, received=1))  # editable again
    with pytest.raises(Exception, match="inte låst"):
        svc.unlock_report(ctx, report_id)


def test_changed_report_is_refused_unless_replaced(ctx, report_id, tmp_path, p12):
    signed = export_certify_sign(ctx, report_id, tmp_path, p12)
    reports.set_figure(ctx, report_id, "lunga", "included", "man", 7)
    with pytest.raises(svc.SignedImportError, match="siffrorna"):
        svc.import_signed_pdf(ctx, signed)
    svc.import_signed_pdf(ctx, signed, replace=True)
    assert reports.get_report(ctx, report_id).figures.get("lunga", "included", "man") == 8


def _pdf_text(path) -> str:
    """The PDF's text (pdftotext) with whitespace collapsed: lines wrap anywhere."""
    import subprocess

    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def test_alt_2_is_recorded_with_deviation_and_actions(ctx, report_id, tmp_path, p12):
    request = replace(REQUEST, alternative=2)
    with pytest.raises(svc.CertificationRefused, match="avvikelsen"):
        export_certify_sign(ctx, report_id, tmp_path, p12, request)
    request = replace(
        request, deviations="Posten radiologi är för hög.", actions="Rättas i december."
    )
    signed = export_certify_sign(ctx, report_id, tmp_path, p12, request)
    (v,) = svc.verify_files([signed], today=TODAY)
    assert v.ok and v.certification.alternative == 2
    assert v.certification.deviations == "Posten radiologi är för hög."
    assert any("Alt 2" in n for n in v.notes)
    text = _pdf_text(signed)
    assert "Eventuella åtgärder: Rättas i december." in text


def test_alt_2_without_actions_certifies_and_point_4_names_the_chief(ctx, report_id, tmp_path, p12):
    """Bilaga 2, point 4: "Avvikelse och eventuella åtgärder" – the actions are optional; the
    PDF's Alt 1 / Alt 2 carry the finance chief's name where the form has N.N."""
    request = replace(REQUEST, alternative=2, deviations="Posten radiologi är för hög.")
    signed = export_certify_sign(ctx, report_id, tmp_path, p12, request)
    (v,) = svc.verify_files([signed], today=TODAY)
    assert v.ok and v.certification.alternative == 2 and v.certification.actions == ""
    text = _pdf_text(signed)
    assert "Alt 1: Åsa Ekonomsson (ekonomichefen eller motsvarande) intygar" in text
    assert "Alt 2: Åsa Ekonomsson (ekonomichefen eller motsvarande) bedömer inte" in text
    assert "N.N." not in text
    assert "Avvikelse: Posten radiologi är för hög." in text
    assert "Eventuella åtgärder: inga angivna" in text
    # The blank form, before certification, keeps the placeholder as the agreement has it.
    blank = _pdf_text(tmp_path / "export.pdf")
    assert "Alt 1: N.N. (ekonomichefen eller motsvarande)" in blank


def test_certifying_without_a_choice_is_refused(ctx, report_id, tmp_path, p12):
    request = replace(REQUEST, alternative=None)
    with pytest.raises(svc.CertificationRefused, match="Inget alternativ är valt"):
        export_certify_sign(ctx, report_id, tmp_path, p12, request, sign=False)
    assert not (tmp_path / "certified.pdf").exists()


def test_report_labels_the_agreement_numbers_and_no_finance_criterion(ctx, report_id, tmp_path):
    """The cover: SKR2023/02165 is SKR's ärendenummer; Regeringskansliet's numbers are their
    own rows, marked unknown. Neither the criteria page nor the cover make the financial
    statement a condition for the second payment (agreement 6.1)."""
    from desktop_app.domain.finance import NOT_A_PAYMENT_CRITERION
    from desktop_app.domain.template import RK_DNR_AGREEMENT_LABEL, RK_DNR_PAYMENT_LABEL

    exports.export_pdf(ctx, report_id, tmp_path / "typed.pdf")
    text = _pdf_text(tmp_path / "typed.pdf")
    assert "SKR:s ärendenummer SKR2023/02165" in text
    assert "(SKR2023/02165)" not in text  # no longer an unlabelled number after the name
    assert f"{RK_DNR_AGREEMENT_LABEL} S2023/01234" in text  # as the region typed them
    assert f"{RK_DNR_PAYMENT_LABEL} S2024/00567" in text

    with ctx.uow() as uow:  # not typed, and unknown in the template: marked, not left out
        fin = uow.reports.get(report_id).finance
        uow.reports.set_finance(report_id, replace(fin, dnr_agreement="", dnr_decision=""))
        uow.commit()
    exports.export_pdf(ctx, report_id, tmp_path / "export.pdf", tmp_path / "export.xlsx")
    text = _pdf_text(tmp_path / "export.pdf")
    for label in (RK_DNR_AGREEMENT_LABEL, RK_DNR_PAYMENT_LABEL):
        assert f"{label} ej känt – fylls i av regionen" in text
    assert " ".join(NOT_A_PAYMENT_CRITERION.split()) in text
    ws = openpyxl.load_workbook(tmp_path / "export.xlsx")["Ekonomi"]
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert NOT_A_PAYMENT_CRITERION in cells
    assert sum("ej känt" in c for c in cells) == 2


def test_certify_rerenders_from_the_embedded_document_only(ctx, report_id, tmp_path, p12, tpl):
    """The finance chief's copy needs no database: certify works on the bytes alone."""
    exports.export_pdf(ctx, report_id, tmp_path / "export.pdf")
    data = (tmp_path / "export.pdf").read_bytes()
    ctx.close()
    with open_signer(p12[0], PASSWORD) as s:
        out = svc.certify_pdf(data, s, REQUEST, TODAY)
    v = svc.verify_bytes(out, "x.pdf", today=TODAY)
    assert v.certified and v.certification_matches and v.region_code == "25"
    assert v.problems == ["Underskrift av behörig företrädare saknas."]


def test_overspending_still_certifies_but_shows_as_a_warning(ctx, report_id, tmp_path, p12):
    finance = reports.get_report(ctx, report_id).finance
    over = replace(finance, costs=[*finance.costs, CostItem("Extra personal", 1_000_000)])
    reports.set_finance(ctx, report_id, over)
    rules = {f.rule for f in reports.validate_report(ctx, report_id).warnings}
    assert "overspent" in rules
    signed = export_certify_sign(ctx, report_id, tmp_path, p12)
    (v,) = svc.verify_files([signed], today=TODAY)
    assert v.ok and v.certification_matches


def test_export_of_an_empty_draft_with_markup_in_answers(ctx, tpl, tmp_path):
    rid = reports.create_report(ctx, "01", 2024)
    reports.set_answer(ctx, rid, tpl.questions[0].id, "Text med <b>taggar</b> & tecken\n" * 80)
    r = exports.export_pdf(ctx, rid, tmp_path / "utkast.pdf")
    assert r.pages >= 6  # the long answer runs over pages; nothing is read as markup
    (v,) = svc.verify_files([tmp_path / "utkast.pdf"], today=TODAY)
    assert v.readable and v.region_name == "Region Stockholm"
    assert v.problems[:2] == [
        "Ekonomichefens intygande (underskrift) saknas.",
        "Underskrift av behörig företrädare saknas.",
    ]


def test_verification_problems_carry_codes_beside_their_texts(ctx, report_id, tmp_path, p12):
    from desktop_app.domain.problems import ProblemCode

    certified = export_certify_sign(ctx, report_id, tmp_path, p12, sign=False)
    (v,) = svc.verify_files([certified], today=TODAY)
    assert v.problem_codes == [ProblemCode.REPRESENTATIVE_MISSING]
    assert v.problems == [svc.MISSING_REPRESENTATIVE]
    assert v.to_dict()["problem_codes"] == ["representative_missing"]
    (missing,) = svc.verify_files([tmp_path / "finns-inte.pdf"], today=TODAY)
    assert not missing.readable and missing.problem_codes == [ProblemCode.FILE_NOT_FOUND]
