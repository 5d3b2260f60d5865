"""Issue 11 headless: signers bound to regions and roles, statuses that never move money on
untrusted evidence, the deadline judged on arrival, and the inbox that does not depend on the
view; issue 14 point 2: one bad file does not stop the batch."""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from desktop_app.cli import main
from desktop_app.domain.vocabulary import InboxStatus
from tests.helpers.signed_demo import (
    PASSWORD,
    REPRESENTATIVE,
    SIGNED_ON,
    build_signed_demo,
    carrier_pdf,
    certification_request,
    report_pdf,
)

REGIONS = ["23", "24", "25"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return build_signed_demo(tmp_path_factory.mktemp("round"), REGIONS)


def cli(*args: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def _report(code: str, version: int = 1, bump: int = 0):
    from desktop_app.services.demo import demo_reports

    report = next(r for r in demo_reports() if r.region_code == code)
    report = replace(report, version=version)
    if bump:
        report.figures = report.figures.copy()
        value = report.figures.get("lunga", "included", "kvinnor") or 0
        report.figures.set("lunga", "included", "kvinnor", value + bump)
    return report


def signed(report, chef: Path, rep: Path, out: Path) -> Path:
    from desktop_app.services.signing import certify_pdf, sign_report_pdf
    from desktop_app.signing import open_signer

    data = certify_pdf(
        carrier_pdf(report), open_signer(chef, PASSWORD), certification_request(), SIGNED_ON
    )
    out.write_bytes(sign_report_pdf(data, open_signer(rep, PASSWORD), REPRESENTATIVE, SIGNED_ON))
    return out


def aggregate(db: Path, tmp: Path, *files: Path, received_on: str | None = None) -> dict:
    extra = ["--received-on", received_on] if received_on else []
    code, out, err = cli(
        "aggregate", "--db", db, "--rcc", "norr", *files, "--out", tmp / "s.xlsx", "--json", *extra
    )
    assert code == 0, err
    return json.loads(out)


def region(payload: dict, code: str) -> dict:
    return next(r for r in payload["regions"] if r["code"] == code)


def payment_2(payload: dict, code: str):
    return region(payload, code)["payment_2"]


def test_registered_ca_signers_are_accepted_and_the_deadline_is_judged_on_arrival(demo, tmp_path):
    on_time_db, late_db = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    demo.register_db(on_time_db)
    demo.register_db(late_db)
    ok = aggregate(on_time_db, tmp_path, demo.files["23"], received_on="2024-09-20")
    late = aggregate(late_db, tmp_path, demo.files["23"], received_on="2024-10-02")

    (f_ok,) = ok["imported"]
    assert f_ok["status"] == InboxStatus.ACCEPTED
    assert f_ok["received_on"] == "2024-09-20" and f_ok["remarks"] == []
    assert region(ok, "23")["criteria"]["deadline"] == "pass"
    file_row = next(f for f in ok["files"] if f["region"] == "23")
    assert file_row["received_on"] == "2024-09-20" and file_row["status"] == "accepted"

    (f_late,) = late["imported"]
    assert f_late["status"] == InboxStatus.ACCEPTED  # still counted, but late
    assert f_late["submitted_on"] is None or f_late["submitted_on"] <= "2024-09-30"
    assert region(late, "23")["criteria"]["deadline"] == "fail"
    deadline = next(c for c in f_late["criteria"] if c["id"] == "deadline")
    assert (
        "Mottagen av RCC 2 oktober 2024" in deadline["message"]
        and "för sent" in deadline["message"]
    )


def test_forged_and_foreign_version_2_wait_and_move_no_money(demo, tmp_path):
    db = tmp_path / "rcc.sqlite3"
    demo.register_db(db)
    first = aggregate(db, tmp_path, demo.files["25"], received_on="2024-09-20")
    before = payment_2(first, "25")
    forged = signed(_report("25", 2, bump=500), demo.chef_p12, demo.rep_p12, tmp_path / "f.pdf")
    foreign = signed(
        _report("25", 2, bump=700),
        demo.region_signer("24", "certification"),
        demo.region_signer("24", "representative"),
        tmp_path / "foreign.pdf",
    )
    after = aggregate(db, tmp_path, forged, foreign, received_on="2024-09-21")
    by_file = {f["file"]: f for f in after["imported"]}
    assert by_file["f.pdf"]["status"] == InboxStatus.PENDING
    assert "inte betrott" in by_file["f.pdf"]["reason"]
    assert by_file["foreign.pdf"]["status"] == InboxStatus.PENDING
    assert "inte registrerad för Region Norrbotten" in by_file["foreign.pdf"]["reason"]
    assert "registrerad för region 24" in by_file["foreign.pdf"]["reason"]
    assert region(after, "25")["version"] == 1
    assert payment_2(after, "25") == before


def test_unsigned_export_waits_until_an_officer_accepts_it(demo, tmp_path):
    db = tmp_path / "rcc.sqlite3"
    demo.register_db(db)
    payload = aggregate(db, tmp_path, demo.unsigned["24"])
    (entry,) = payload["imported"]
    assert entry["status"] == InboxStatus.PENDING and "Osignerad" in entry["reason"]
    assert region(payload, "24")["status"] != "accepted"

    code, out, err = cli("--db", db, "inbox", "decide", entry["id"], "--accept", "--reason", "Mejl")
    assert code == 0, err
    code, out, _ = cli("--db", db, "inbox", "list", "--json")
    (row,) = json.loads(out)
    assert row["status"] == InboxStatus.ACCEPTED_WITH_REMARKS
    assert any("Godkänd efter beslut: Mejl" in r for r in row["remarks"])
    compiled = aggregate(db, tmp_path)
    assert region(compiled, "24")["status"] == "accepted"


def test_a_decision_needs_a_reason_and_a_refused_file_cannot_be_accepted(demo, tmp_path):
    db = tmp_path / "rcc.sqlite3"
    junk = tmp_path / "skräp.pdf"
    junk.write_bytes(b"%PDF-1.7\nnot really")
    payload = aggregate(db, tmp_path, junk)
    (entry,) = payload["imported"]
    assert entry["status"] == InboxStatus.REFUSED
    code, _, err = cli("--db", db, "inbox", "decide", entry["id"], "--accept", "--reason", "x")
    assert code == 2 and "avvisad" in err
    code, _, err = cli("--db", db, "inbox", "decide", entry["id"], "--accept", "--reason", " ")
    assert code == 2 and "skäl" in err


def test_two_different_version_1_documents_are_both_in_conflict(demo, tmp_path):
    db = tmp_path / "rcc.sqlite3"
    demo.register_db(db)
    other = signed(
        _report("23", 1, bump=3),
        demo.region_signer("23", "certification"),
        demo.region_signer("23", "representative"),
        tmp_path / "annan-v1.pdf",
    )
    payload = aggregate(db, tmp_path, demo.files["23"], other)
    statuses = [f["status"] for f in payload["imported"]]
    assert statuses == [InboxStatus.CONFLICT, InboxStatus.CONFLICT]
    assert region(payload, "23")["status"] != "accepted"
    # The officer picks one: it is counted, the other superseded.
    first_id = payload["imported"][0]["id"]
    code, _, err = cli("--db", db, "inbox", "decide", first_id, "--accept", "--reason", "Rätt fil")
    assert code == 0, err
    code, out, _ = cli("--db", db, "inbox", "list", "--json")
    rows = {r["id"]: r["status"] for r in json.loads(out)}
    assert rows[first_id] == InboxStatus.ACCEPTED_WITH_REMARKS
    assert InboxStatus.SUPERSEDED in rows.values()


def test_received_on_can_be_changed_with_a_reason_and_is_logged(demo, tmp_path):
    from desktop_app.services.bootstrap import bootstrap

    db = tmp_path / "rcc.sqlite3"
    demo.register_db(db)
    payload = aggregate(db, tmp_path, demo.files["24"], received_on="2024-09-25")
    entry_id = payload["imported"][0]["id"]
    assert region(payload, "24")["criteria"]["deadline"] == "pass"
    code, out, err = cli(
        "--db", db, "inbox", "received-on", entry_id, "2024-10-05", "--reason", "E-postens datum"
    )
    assert code == 0, err and "för sent" in out
    assert region(aggregate(db, tmp_path), "24")["criteria"]["deadline"] == "fail"
    ctx = bootstrap(db)
    try:
        with ctx.uow() as uow:
            (event,) = [e for e in uow.inbox.events(entry_id) if e.kind == "received_on"]
    finally:
        ctx.close()
    assert event.reason == "E-postens datum" and event.actor
    # The RCC's own last day moves the judgement.
    code, _, err = cli(
        "--db", db, "inbox", "last-day", "--rcc", "norr", "--year", "2024", "2024-10-10"
    )
    assert code == 0, err
    assert region(aggregate(db, tmp_path), "24")["criteria"]["deadline"] == "pass"


def test_newer_version_from_the_same_bound_signers_supersedes(demo, tmp_path):
    db = tmp_path / "rcc.sqlite3"
    demo.register_db(db)
    payload = aggregate(db, tmp_path, demo.files["23"], demo.v2["23"])
    v1, v2 = payload["imported"]
    assert v1["status"] == InboxStatus.SUPERSEDED and v2["status"] == InboxStatus.ACCEPTED
    assert region(payload, "23")["version"] == 2


def test_one_key_for_both_roles_waits(demo, tmp_path):
    db = tmp_path / "rcc.sqlite3"
    demo.register_db(db)
    chef = demo.region_signer("25", "certification")
    one_key = signed(_report("25"), chef, chef, tmp_path / "en-nyckel.pdf")
    (entry,) = aggregate(db, tmp_path, one_key)["imported"]
    assert entry["status"] == InboxStatus.PENDING
    assert "Samma nyckel" in entry["reason"]


def test_signers_cli_add_list_remove_and_verify_reports_binding(demo, tmp_path):
    db = tmp_path / "rcc.sqlite3"
    code, out, err = cli(
        "--db", db, "signers", "add", "--region", "25", "--from-pdf", demo.files["25"]
    )
    assert code == 0, err
    assert out.count("Registrerade") == 2  # one per role, each for its own role
    code, out, _ = cli("--db", db, "signers", "list", "--json")
    regs = json.loads(out)
    assert sorted(r["roles"][0] for r in regs) == ["certification", "representative"]
    assert all(r["registered_by"] and r["region"] == "25" for r in regs)

    code, out, _ = cli("--db", db, "verify", demo.files["25"], "--json")
    (v,) = json.loads(out)["files"]
    assert [b["bound"] for b in v["bindings"]] == [True, True]
    assert all(b["trusted"] and b["intact"] for b in v["bindings"]) and v["distinct_keys"] is True
    code, out, _ = cli("--db", db, "verify", demo.files["24"])
    assert "INTE registrerad för regionen" in out

    code, _, err = cli("--db", db, "signers", "add", "--region", "25", "--cert", demo.ca.ca_path)
    assert code == 2 and "--org-id" in err
    for r in regs:
        assert cli("--db", db, "signers", "remove", r["id"])[0] == 0
    assert cli("--db", db, "signers", "remove", 999)[0] == 2


def test_the_inbox_keeps_every_file_once_whatever_the_view(demo, tmp_path):
    from desktop_app.services.inbox import import_reports, list_inbox
    from tests.helpers.factories import make_ctx

    ctx = make_ctx(tmp_path / "rcc.sqlite3")
    try:
        demo.register(ctx)
        one = import_reports(ctx, "norr", [demo.files["24"]], year=2024)
        other = import_reports(ctx, "mellansverige", [demo.files["24"]], year=2024)
        assert one[0].status == InboxStatus.ACCEPTED and other[0].already_imported
        assert other[0].id == one[0].id
        assert other[0].other_rcc == "hör till RCC Norr"
        assert [e.id for e in list_inbox(ctx, "national", 2024)] == [one[0].id]
        assert list_inbox(ctx, "mellansverige", 2024) == []
    finally:
        ctx.close()


def test_counted_entries_for_other_helpers(demo, tmp_path):
    from desktop_app.services.inbox import import_reports
    from desktop_app.services.inbox_queries import counted_entries
    from tests.helpers.factories import make_ctx

    ctx = make_ctx(tmp_path / "rcc.sqlite3")
    try:
        demo.register(ctx, ["23"])
        import_reports(ctx, "norr", [demo.files["23"], demo.files["24"]], year=2024)
        counted = counted_entries(ctx, 2024, "norr")
        assert [e.region_code for e in counted] == ["23"]
        assert counted_entries(ctx, 2024) == counted
    finally:
        ctx.close()


@pytest.mark.parametrize(
    ("needle", "value"),
    [
        (b'"submitted_on": "2024-09-24"', b'"submitted_on": "2024-02-30"'),
        (b'"region": "25"', b'"region": "99"'),
        (b'"version": 1', b'"version": 1' + b"0" * 5000),
    ],
)
def test_a_bad_value_in_one_file_does_not_stop_the_batch(demo, tmp_path, needle, value):
    """Issue 14 point 2: a document with an impossible value is refused with a Swedish
    reason, the good file of the same batch goes in."""
    from tests.helpers.signed_demo import report_document

    doc = report_document(_report("25"))
    assert needle in doc, doc[:400]
    bad_report = tmp_path / "trasig.pdf"
    from desktop_app.services.exports import REPORT_ATTACHMENT
    from desktop_app.signing import Attachment, prepare_pdf

    base = report_pdf(_report("25"))
    bad_report.write_bytes(
        prepare_pdf(base, [Attachment(REPORT_ATTACHMENT, doc.replace(needle, value))], {})
    )
    db = tmp_path / "rcc.sqlite3"
    demo.register_db(db)
    payload = aggregate(db, tmp_path, bad_report, demo.files["23"])
    bad, good = payload["imported"]
    assert bad["status"] == InboxStatus.REFUSED and bad["reason"]
    assert "Traceback" not in bad["reason"]
    assert good["status"] == InboxStatus.ACCEPTED


def test_the_rccs_signed_compilation_verifies_in_the_rcc_role(demo, tmp_path, monkeypatch):
    monkeypatch.setenv("SVF_P12_PASSWORD", PASSWORD)
    db = tmp_path / "rcc.sqlite3"
    demo.register_db(db)
    pdf = tmp_path / "sammanstallning.pdf"
    code, _, err = cli(
        "aggregate", "--db", db, "--rcc", "norr", demo.files["23"], "--out", tmp_path / "s.xlsx",
        "--pdf", pdf, "--p12", demo.chef_p12, "--name", "Cecilia Cancercentrum",
    )  # fmt: skip
    assert code == 0, err
    code, out, err = cli("verify", pdf)
    assert code == 0, out + err
    assert "GILTIG – RCC:s sammanställning, underskriven" in out
    assert "RCC:s godkännande" in out and "okänd roll" not in out.lower()
    code, out, _ = cli("verify", pdf, "--json")
    (v,) = json.loads(out)["files"]
    assert v["compilation"] is True and v["signatures"][0]["role"] == "rcc"


def test_demo_ca_command_writes_a_ca_and_signers_per_role(tmp_path, monkeypatch):
    from desktop_app.services.signers import read_certificate
    from desktop_app.signing import open_signer
    from desktop_app.signing.certs import certificate_facts

    monkeypatch.setenv("SVF_P12_PASSWORD", "lösen")
    code, out, err = cli("demo-ca", "--out", tmp_path / "ca", "--region", "25")
    assert code == 0, err
    ca = certificate_facts(read_certificate(tmp_path / "ca" / "demo-ca.pem"))
    assert ca.is_ca
    for stem in ("ekonomichef", "foretradare"):
        signer = open_signer(tmp_path / "ca" / f"{stem}-25.p12", "lösen")
        facts = certificate_facts(signer.certificate_der)
        assert "SE-DEMO-25" in facts.organisation_ids and not facts.is_ca
    assert "signers add --region 25" in out


def test_a_file_that_hangs_verification_is_refused_and_the_batch_goes_on(
    demo, tmp_path, monkeypatch
):
    """Issue 14 point 2: each file has its own time limit; one that does not finish is
    refused with the reason, the others are received."""
    import desktop_app.services.inbox_import as inbox_import
    import desktop_app.services.verification as verification
    from desktop_app.services.inbox import import_reports
    from tests.helpers.factories import make_ctx

    real = verification.verify_bytes
    hostile = tmp_path / "hänger.pdf"
    hostile.write_bytes(b"%PDF-1.7\n% loops\n")

    def verify(data, name, *args, **kwargs):
        while name.endswith("hänger.pdf"):  # stands in for a name tree that never ends
            pass
        return real(data, name, *args, **kwargs)

    monkeypatch.setattr(verification, "verify_bytes", verify)
    monkeypatch.setattr(inbox_import, "FILE_TIME_LIMIT", 1)
    ctx = make_ctx(tmp_path / "rcc.sqlite3")
    try:
        demo.register(ctx, ["23"])
        bad, good = import_reports(ctx, "norr", [hostile, demo.files["23"]], year=2024)
    finally:
        ctx.close()
    assert bad.status == InboxStatus.REFUSED and "tog mer än 1 sekunder" in bad.reason
    assert good.status == InboxStatus.ACCEPTED
