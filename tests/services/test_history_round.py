"""The history through the reporting round (issue 15, point 4): the export, the signed file
read back (status and lock, old → new) and the RCC's returned kvittens with its reason are rows
of the region's chain, which stays intact; the exported document carries the chain's head."""

import json

from desktop_app.domain.vocabulary import HistoryKind
from desktop_app.services import history, receipts
from desktop_app.signing import open_signer, read_attachments
from tests.helpers.round_trip import make_round
from tests.helpers.signed_demo import PASSWORD


def test_export_signed_import_and_a_returned_receipt_are_in_the_chain(tmp_path):
    r = make_round(tmp_path)
    try:
        out = tmp_path / "retur.pdf"
        signer = open_signer(r.rcc_p12, PASSWORD)
        receipts.issue_receipt(r.rcc_ctx, r.entry_id, signer, out, reason="PREM saknas.")
        receipts.import_receipt(r.region_ctx, out)
        lines = history.report_history(r.region_ctx, r.report_id)
        check = history.check_history(r.region_ctx)
    finally:
        r.close()
    assert check.ok
    kinds = [x.kind for x in lines]
    export = lines[kinds.index(HistoryKind.EXPORT)]
    signed = {x.path: x for x in lines if x.kind == HistoryKind.SIGNED_IMPORT}
    assert signed["status"].old != "signed" and signed["status"].new == "signed"
    assert (signed["locked"].old, signed["locked"].new) == (False, True)
    assert signed["status"].note == r.signed_pdf.name
    receipt = lines[-1]
    assert (receipt.kind, receipt.new, receipt.reason) == ("receipt", "return", "PREM saknas.")
    assert kinds.index(HistoryKind.EXPORT) < kinds.index(HistoryKind.SIGNED_IMPORT)
    # The signed file's document names the head as it was when it was exported: the newest
    # row before the export's own.
    doc = json.loads(read_attachments(r.signed_pdf.read_bytes())["svf-report.json"].data)
    before_export = lines[export.seq - 2]
    assert doc["history"] == {"entries": before_export.seq, "head": before_export.hash}
    assert export.new == history_sha(r.signed_pdf)


def history_sha(pdf):
    import hashlib

    return hashlib.sha256(read_attachments(pdf.read_bytes())["svf-report.json"].data).hexdigest()
