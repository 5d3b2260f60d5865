"""Receipt and return (issue 11.6), headless: the RCC issues a kvittens for a counted file and
the coordinator imports it; a kvittens for another report, unsigned or tampered is refused
with a Swedish reason (exit 2 on the command line)."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from desktop_app.cli import main
from desktop_app.domain.vocabulary import InboxStatus, ReceiptKind
from desktop_app.services import receipts
from tests.helpers.pdf_tamper import append_revision_replacing_attachment, flip_byte
from tests.helpers.round_trip import make_round
from tests.helpers.signed_demo import PASSWORD


def cli(*args: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def round_(tmp_path_factory):
    r = make_round(tmp_path_factory.mktemp("round"))
    yield r
    r.close()


@pytest.fixture(scope="module")
def rcc_signer(round_):
    from desktop_app.signing import open_signer

    return open_signer(round_.rcc_p12, PASSWORD)


@pytest.fixture(scope="module")
def receipt_pdf(round_, rcc_signer):
    out = round_.dir / "kvittens.pdf"
    receipts.issue_receipt(round_.rcc_ctx, round_.entry_id, rcc_signer, out)
    return out


def test_counted_is_accepted_or_accepted_with_remarks():
    assert {InboxStatus.ACCEPTED, InboxStatus.ACCEPTED_WITH_REMARKS} == receipts.COUNTED


def test_receipt_carries_the_report_hash_and_is_signed(round_, receipt_pdf):
    from desktop_app.services.inbox import entry_file
    from desktop_app.signing import inspect_pdf, read_attachments

    insp = inspect_pdf(receipt_pdf.read_bytes())
    assert [s.field_name for s in insp.signatures] == [receipts.RECEIPT_FIELD]
    assert insp.signatures[0].ok
    doc = json.loads(insp.attachments[receipts.RECEIPT_ATTACHMENT].data)
    received = entry_file(round_.rcc_ctx, round_.entry_id)
    assert doc["report_sha256"] == read_attachments(received)["svf-report.json"].sha256
    assert doc["kind"] == ReceiptKind.RECEIPT
    assert (doc["region"], doc["year"], doc["version"], doc["rcc"]) == ("25", 2024, 1, "RCC Norr")
    assert doc["status"] == InboxStatus.ACCEPTED
    assert doc["received_on"]


def test_import_shows_received_by_rcc_on_the_report(round_, receipt_pdf):
    result = receipts.import_receipt(round_.region_ctx, receipt_pdf)
    assert result.report_id == round_.report_id
    assert result.kind == ReceiptKind.RECEIPT
    assert result.line.startswith("Mottagen av RCC Norr ")
    state = receipts.latest_receipt(round_.region_ctx, round_.report_id)
    assert state is not None and state.line == result.line and state.current
    again = receipts.import_receipt(round_.region_ctx, receipt_pdf)
    assert again.already_imported


def test_return_gives_the_reason_and_offers_unlock(round_, rcc_signer):
    out = round_.dir / "retur.pdf"
    receipts.issue_receipt(
        round_.rcc_ctx, round_.entry_id, rcc_signer, out, reason="Svar om urologin saknas."
    )
    result = receipts.import_receipt(round_.region_ctx, out)
    assert result.kind == ReceiptKind.RETURN
    assert result.reason == "Svar om urologin saknas."
    assert "Svar om urologin saknas." in result.line
    assert result.can_unlock  # the signed report was read back, so it is locked


def test_no_receipt_for_a_file_that_is_not_counted(round_, rcc_signer, tmp_path):
    with round_.rcc_ctx.uow() as uow:
        uow.inbox.set_status(round_.entry_id, InboxStatus.PENDING, None)
        uow.commit()
    try:
        with pytest.raises(receipts.ReceiptError, match="räknas inte"):
            receipts.issue_receipt(round_.rcc_ctx, round_.entry_id, rcc_signer, tmp_path / "k.pdf")
        assert not (tmp_path / "k.pdf").exists()
    finally:
        with round_.rcc_ctx.uow() as uow:
            uow.inbox.set_status(round_.entry_id, InboxStatus.ACCEPTED, None)
            uow.commit()


def test_receipt_for_another_report_is_refused(round_, receipt_pdf, tmp_path):
    from tests.helpers.factories import make_ctx

    other = make_ctx(tmp_path / "annan.sqlite3")  # another region's database: never exported it
    try:
        with pytest.raises(receipts.ReceiptError, match="gäller en annan redovisning"):
            receipts.import_receipt(other, receipt_pdf)
    finally:
        other.close()


def test_unsigned_receipt_is_refused(round_, receipt_pdf, tmp_path):
    from desktop_app.signing import Attachment, prepare_pdf, read_attachments
    from tests.signing.conftest import small_pdf

    doc = read_attachments(receipt_pdf.read_bytes())[receipts.RECEIPT_ATTACHMENT].data
    unsigned = tmp_path / "osignerad.pdf"
    unsigned.write_bytes(
        prepare_pdf(small_pdf(), [Attachment(receipts.RECEIPT_ATTACHMENT, doc)], {})
    )
    with pytest.raises(receipts.ReceiptError, match="inte underskriven"):
        receipts.import_receipt(round_.region_ctx, unsigned)


def test_tampered_receipts_are_refused(round_, receipt_pdf, tmp_path):
    data = receipt_pdf.read_bytes()
    doc = data.index(b'"report_sha256"')
    broken = tmp_path / "bruten.pdf"
    broken.write_bytes(flip_byte(data, doc + 25))
    with pytest.raises(receipts.ReceiptError, match="bruten"):
        receipts.import_receipt(round_.region_ctx, broken)
    swapped = tmp_path / "utbytt.pdf"
    changed = json.dumps({"document": "svf-redovisning/receipt", "kind": "receipt"}).encode()
    swapped.write_bytes(
        append_revision_replacing_attachment(data, receipts.RECEIPT_ATTACHMENT, changed)
    )
    with pytest.raises(receipts.ReceiptError, match="utanför den underskrivna delen|bruten"):
        receipts.import_receipt(round_.region_ctx, swapped)
    garbage = tmp_path / "skrap.pdf"
    garbage.write_bytes(b"inte en pdf")
    with pytest.raises(receipts.ReceiptError, match="godtas inte"):
        receipts.import_receipt(round_.region_ctx, garbage)


def test_cli_round_trip_and_refusal_exit_codes(round_, tmp_path, monkeypatch):
    monkeypatch.setenv("RCC_LOSEN", PASSWORD)
    out = tmp_path / "kvittens-cli.pdf"
    code, text, err = cli(
        "--db", round_.rcc_ctx.db_path, "receipt", round_.entry_id, "--accept",
        "--p12", round_.rcc_p12, "--password-env", "RCC_LOSEN", "--out", out,
    )  # fmt: skip
    assert code == 0, err
    assert "kvittens för Region Norrbotten 2024 version 1" in text
    code, text, err = cli("--db", round_.region_ctx.db_path, "import-receipt", out)
    assert code == 0, err
    assert f"Redovisning {round_.report_id}: Mottagen av RCC Norr" in text
    code, text, err = cli(
        "--db", round_.rcc_ctx.db_path, "receipt", round_.entry_id, "--return", "Fel år.",
        "--p12", round_.rcc_p12, "--password-env", "RCC_LOSEN", "--out", tmp_path / "r.pdf",
    )  # fmt: skip
    assert code == 0, err
    code, text, err = cli("--db", round_.region_ctx.db_path, "import-receipt", tmp_path / "r.pdf")
    assert code == 0 and "Fel år." in text and "svf-report unlock" in text
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(flip_byte(out.read_bytes(), out.read_bytes().index(b'"region"') + 12))
    code, text, err = cli("--db", round_.region_ctx.db_path, "import-receipt", bad)
    assert code == 2
    assert "godtas inte" in err and "Traceback" not in err
