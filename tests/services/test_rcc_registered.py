"""Issue 11, point 5: a report that came to the RCC in another form (a PDF or Word file) is
registered by the RCC with its evidence; it is counted, marked "registrerad av RCC" everywhere,
logged, judged on arrival, and never silently replaces the region's own signed report."""

from __future__ import annotations

import contextlib
import io
import json
from datetime import date
from pathlib import Path

import pytest

from desktop_app.cli import main
from desktop_app.domain.vocabulary import InboxEvent, InboxStatus
from desktop_app.services.inbox_register import (
    Registration,
    RegistrationError,
    register_report,
)
from tests.helpers.factories import make_ctx
from tests.helpers.signed_demo import build_signed_demo

TODAY = date(2024, 10, 15)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return build_signed_demo(tmp_path_factory.mktemp("registered"), ["23", "25"])


def cli(*args: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def word_file(folder: Path, name: str = "redovisning-25.docx", body: bytes = b"x") -> Path:
    import zipfile

    path = folder / name
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", b"<w:document>" + body + b"</w:document>")
    return path


def registration(file: Path, **kw: object) -> Registration:
    values: dict[str, object] = {
        "region": "25",
        "year": 2024,
        "file": file,
        "received_on": date(2024, 9, 27),
        "included": "800",
        "expected": "1000",
        "prem_used": True,
        "urology_answered": True,
        "reason": "Kom med e-post 27/9 som Word-fil i RCC:s mall",
    }
    values.update(kw)
    return Registration(**values)  # type: ignore[arg-type]


def test_a_registered_report_is_counted_marked_and_logged(tmp_path):
    from desktop_app.services.compilation import compile_scope
    from desktop_app.services.inbox_register import registered_file

    ctx = make_ctx(tmp_path / "rcc.sqlite3", TODAY)
    try:
        doc = word_file(tmp_path)
        e = register_report(ctx, registration(doc))
        assert e.status == InboxStatus.ACCEPTED_WITH_REMARKS and e.counted
        assert e.registered_by_rcc and "registrerad av RCC" in e.status_label
        assert e.received_on == date(2024, 9, 27)
        by_id = {c.id: c for c in e.criteria}
        assert by_id["inclusion"].status == "pass" and by_id["inclusion"].numerator == 800
        assert by_id["prem"].status == "pass" and by_id["deadline"].status == "pass"
        assert "Registrerad av RCC" in e.remarks[0] and "Word-fil" in e.remarks[0]
        assert registered_file(ctx, e.id) == (doc.name, doc.read_bytes())
        with ctx.uow() as uow:
            (event,) = [x for x in uow.inbox.events(e.id) if x.kind == InboxEvent.REGISTERED]
        assert event.reason.startswith("Kom med e-post") and event.actor
        payload = compile_scope(ctx, "norr", 2024).to_dict()
    finally:
        ctx.close()
    region = next(r for r in payload["regions"] if r["code"] == "25")
    assert region["status"] == "accepted" and region["registered_by_rcc"] is True
    assert region["criteria_met"] is True and region["inclusion_numerator"] == 800
    assert region["inclusion_denominator"] == 1000
    (row,) = [f for f in payload["files"] if f["region"] == "25"]
    assert row["registered_by_rcc"] is True and row["received_on"] == "2024-09-27"
    pay = next(p for p in payload["payments"]["regions"] if p["code"] == "25")
    assert pay["qualifies"] is True


def test_the_deadline_and_the_goal_are_judged_from_what_was_registered(tmp_path):
    ctx = make_ctx(tmp_path / "rcc.sqlite3", TODAY)
    try:
        e = register_report(
            ctx,
            registration(
                word_file(tmp_path),
                received_on=date(2024, 10, 2),
                included="690",
                prem_used=False,
            ),
        )
    finally:
        ctx.close()
    by_id = {c.id: c for c in e.criteria}
    assert by_id["deadline"].status == "fail" and "för sent" in by_id["deadline"].message
    assert by_id["inclusion"].status == "fail" and by_id["prem"].status == "fail"
    assert e.criteria_met is False and e.counted


def test_received_on_of_a_registered_report_is_changed_like_any_file(tmp_path):
    from desktop_app.services.inbox_decisions import set_received_on

    ctx = make_ctx(tmp_path / "rcc.sqlite3", TODAY)
    try:
        e = register_report(ctx, registration(word_file(tmp_path), received_on=date(2024, 10, 2)))
        assert {c.id: c.status for c in e.criteria}["deadline"] == "fail"
        e = set_received_on(ctx, e.id, date(2024, 9, 29), "E-postens datum var 29/9")
    finally:
        ctx.close()
    by_id = {c.id: c for c in e.criteria}
    assert by_id["deadline"].status == "pass" and by_id["inclusion"].numerator == 800
    assert e.registered_by_rcc and e.counted


def test_each_field_gets_its_own_swedish_message(tmp_path):
    ctx = make_ctx(tmp_path / "rcc.sqlite3", TODAY)
    bad = tmp_path / "anteckning.txt"
    bad.write_text("hej")
    fake_pdf = tmp_path / "falsk.pdf"
    fake_pdf.write_bytes(b"PK\x03\x04 not a pdf")
    try:
        with pytest.raises(RegistrationError) as err:
            register_report(
                ctx,
                registration(
                    bad,
                    region="99",
                    received_on=date(2024, 11, 1),
                    included="-3",
                    expected="0",
                    prem_used=None,
                    urology_answered=None,
                    reason="  ",
                ),
            )
        fields = err.value.fields
        assert set(fields) == {
            "region", "file", "received_on", "included", "expected", "prem_used",
            "urology_answered", "reason",
        }  # fmt: skip
        assert "99" in fields["region"] and "framtiden" in fields["received_on"]
        assert "heltal" in fields["included"] and "större än 0" in fields["expected"]
        assert "PREM" in fields["prem_used"] and "urologin" in fields["urology_answered"]
        with pytest.raises(RegistrationError) as err:
            register_report(ctx, registration(fake_pdf))
        assert set(err.value.fields) == {"file"} and "inte en giltig PDF-fil" in str(err.value)
        with ctx.uow() as uow:
            assert uow.inbox.entries() == []
    finally:
        ctx.close()


def test_a_file_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    import desktop_app.services.inbox_register as inbox_register

    monkeypatch.setattr(inbox_register, "REGISTERED_FILE_MAX_BYTES", 100)
    ctx = make_ctx(tmp_path / "rcc.sqlite3", TODAY)
    try:
        with pytest.raises(RegistrationError) as err:
            register_report(ctx, registration(word_file(tmp_path, body=b"y" * 500)))
    finally:
        ctx.close()
    assert set(err.value.fields) == {"file"} and "för stor" in err.value.fields["file"]


def test_a_signed_counted_report_is_not_replaced_by_a_registration(demo, tmp_path):
    from desktop_app.domain.vocabulary import Decision
    from desktop_app.services.inbox import import_reports
    from desktop_app.services.inbox_decisions import decide

    ctx = make_ctx(tmp_path / "rcc.sqlite3", TODAY)
    try:
        demo.register(ctx, ["25"])
        (own,) = import_reports(ctx, "norr", [demo.files["25"]], year=2024)
        assert own.status == InboxStatus.ACCEPTED
        with pytest.raises(RegistrationError) as err:
            register_report(ctx, registration(word_file(tmp_path)))
        assert f"decide {own.id} --refuse" in err.value.fields["region"]
        decide(ctx, own.id, Decision.REFUSE, "Regionen har skickat en annan version per post")
        e = register_report(ctx, registration(word_file(tmp_path)))
        assert e.status == InboxStatus.ACCEPTED_WITH_REMARKS
    finally:
        ctx.close()


def test_the_regions_own_report_supersedes_a_registered_one(demo, tmp_path):
    from desktop_app.services.inbox import get_entry, import_reports

    ctx = make_ctx(tmp_path / "rcc.sqlite3", TODAY)
    try:
        demo.register(ctx, ["25"])
        reg = register_report(ctx, registration(word_file(tmp_path)))
        (own,) = import_reports(ctx, "norr", [demo.files["25"]], year=2024)
        reg = get_entry(ctx, reg.id)
    finally:
        ctx.close()
    assert own.status == InboxStatus.ACCEPTED
    assert reg.status == InboxStatus.SUPERSEDED and reg.superseded_by == own.id
    assert "regionens egen redovisning" in reg.reason


def test_figures_from_the_import_workbook_are_compiled(tmp_path):
    from desktop_app.domain.reference import load_reference
    from desktop_app.domain.template import template_for_year
    from desktop_app.exchange.excel import write_import_workbook
    from desktop_app.services.compilation import compile_scope
    from tests.helpers.factories import uniform_figures

    tpl = template_for_year(2024)
    book = tmp_path / "siffror.xlsx"
    fig = uniform_figures(tpl)
    write_import_workbook(book, tpl, load_reference().region("25"), dict(fig.items()))
    ctx = make_ctx(tmp_path / "rcc.sqlite3", TODAY)
    try:
        register_report(ctx, registration(word_file(tmp_path), figures=book))
        result = compile_scope(ctx, "norr", 2024)
    finally:
        ctx.close()
    assert result.compilation.compiled == ("25",)
    assert result.compilation.inclusion.denominator > 0


def test_cli_inbox_register_and_list_and_aggregate(tmp_path):
    db = tmp_path / "rcc.sqlite3"
    pdf = tmp_path / "region-25.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% regionens egen redovisning\n")
    code, out, err = cli(
        "--db", db, "inbox", "register", "--region", "25", "--year", "2024", "--file", pdf,
        "--received-on", "2024-09-26", "--included", "750", "--expected", "1000",
        "--prem-used", "ja", "--urology-answered", "nej", "--reason", "Kom per post",
    )  # fmt: skip
    assert code == 0, err
    assert "(registrerad av RCC)" in out and "750 av 1 000" in out
    code, out, err = cli("--db", db, "inbox", "list", "--json")
    (row,) = json.loads(out)
    assert row["registered_by_rcc"] is True and row["status"] == "accepted_with_remarks"
    back = tmp_path / "tillbaka.pdf"
    code, out, err = cli("--db", db, "inbox", "file", row["id"], "--out", back)
    assert code == 0 and back.read_bytes() == pdf.read_bytes()
    code, out, err = cli(
        "--db", db, "aggregate", "--rcc", "norr", "--year", "2024", "--out", tmp_path / "s.xlsx",
        "--pdf", tmp_path / "s.pdf", "--json",
    )  # fmt: skip
    assert code == 0, err
    region = next(r for r in json.loads(out)["regions"] if r["code"] == "25")
    assert region["registered_by_rcc"] is True and region["status"] == "accepted"
    code, out, err = cli(
        "--db", db, "inbox", "register", "--region", "25", "--year", "2024", "--file", pdf,
        "--received-on", "2024-09-26", "--included", "sju", "--expected", "1000",
        "--prem-used", "ja", "--urology-answered", "nej", "--reason", "igen",
    )  # fmt: skip
    assert code != 0 and "heltal" in err and "Traceback" not in err


def test_the_package_carries_the_registered_file_and_verifies(demo, tmp_path):
    from desktop_app.services.package import export_package, preview_package
    from desktop_app.services.package_verify import verify_package
    from desktop_app.signing import open_signer, read_attachments
    from tests.helpers.signed_demo import PASSWORD

    ctx = make_ctx(tmp_path / "rcc.sqlite3", TODAY)
    doc = word_file(tmp_path)
    try:
        demo.register(ctx, ["23"])
        from desktop_app.services.inbox import import_reports

        import_reports(ctx, "norr", [demo.files["23"]], year=2024)
        register_report(ctx, registration(doc))
        rcc = open_signer(demo.region_signer("23", "representative"), PASSWORD)
        p = export_package(ctx, "norr", 2024, tmp_path / "paket.pdf", rcc)
        prev = preview_package(ctx, "norr", 2024, tmp_path / "forhand.pdf")
    finally:
        ctx.close()
    data = p.path.read_bytes()
    files = read_attachments(data)
    name = "region-25-2024-registrerad-av-rcc.docx"
    assert name in p.reports and files[name].data == doc.read_bytes()
    manifest = json.loads(files["svf-paket.json"].data)
    entry = next(m for m in manifest["reports"] if m["region"] == "25")
    assert entry["registered_by_rcc"] is True
    v = verify_package(data, "paket.pdf")
    assert v.ok, v.problems
    assert any("registrerad av RCC" in n for n in v.notes)
    assert name in prev.reports and any("Västerbotten" in x for x in prev.left_out)


def test_package_preview_headless_is_marked_on_every_page_and_unsigned(tmp_path):
    """Issue 11.7 follow-up: ``package --preview`` writes the package's pages unsigned,
    marked as a preview, with the regions left out; it never verifies as a package."""
    import shutil
    import subprocess

    db = tmp_path / "rcc.sqlite3"
    pdf = tmp_path / "region-25.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% regionens egen redovisning\n")
    code, _out, err = cli(
        "--db", db, "inbox", "register", "--region", "25", "--year", "2024", "--file", pdf,
        "--received-on", "2024-09-26", "--included", "750", "--expected", "1000",
        "--prem-used", "ja", "--urology-answered", "ja", "--reason", "Kom per post",
    )  # fmt: skip
    assert code == 0, err
    out = tmp_path / "forhand.pdf"
    code, text, err = cli(
        "--db", db, "package", "--rcc", "norr", "--year", "2024", "--preview", "--out", out
    )
    assert code == 0, err
    assert "FÖRHANDSGRANSKNING" in text and "Ingår inte: Region Västernorrland (22)" in text
    code, text, _err = cli("verify", out)
    assert code == 1 and "RCC:s underskrift av paketet saknas" in text
    code, _text, err = cli("--db", db, "package", "--rcc", "norr", "--year", "2024", "--out", out)
    assert code != 0 and "--p12" in err
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext saknas")
    pages = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) > 3
    assert all("FÖRHANDSGRANSKNING – INTE UNDERSKRIVEN" in p for p in pages)
    whole = "\n".join(pages)
    assert "Regioner som inte ingår" in whole and "Registrerad av RCC" in whole
