"""Issue 14, point 8: a PDF with two embedded svf-report.json is refused, never read one way by
one program and another way by the next (before, certify silently took the second)."""

import io
import json

import pytest

from desktop_app.domain.errors import UserError
from desktop_app.domain.problems import ProblemCode
from desktop_app.services import exports
from desktop_app.services.pdf_files import embedded_report
from desktop_app.services.verification import verify_bytes
from desktop_app.signing import read_attachments
from tests.helpers.factories import complete_report


def _with_second_report(data: bytes, other: bytes) -> bytes:
    """An incremental update adding a second name-tree entry called svf-report.json."""
    from pyhanko.pdf_utils import embed, generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    w = IncrementalPdfFileWriter(io.BytesIO(data))
    tree = w.root["/Names"]["/EmbeddedFiles"]
    names = tree["/Names"]
    stream = w.add_object(embed.EmbeddedFileObject.from_file_data(w, data=other))
    spec = w.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Filespec"),
                generic.NameObject("/F"): generic.TextStringObject("svf-report.json"),
                generic.NameObject("/EF"): generic.DictionaryObject(
                    {generic.NameObject("/F"): stream}
                ),
            }
        )
    )
    names.append(generic.TextStringObject("svf-report.json"))
    names.append(spec)
    raw = tree.raw_get("/Names")
    if isinstance(raw, generic.IndirectObject):
        w.mark_update(raw)  # the array is an object of its own
    else:
        w.update_container(tree)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


@pytest.fixture
def exported(ctx, tpl, tmp_path):
    with ctx.uow() as uow:
        rid = uow.reports.add(complete_report(tpl))
        uow.commit()
    out = tmp_path / "r.pdf"
    exports.export_pdf(ctx, rid, out)
    return out.read_bytes()


def test_two_embedded_report_documents_are_refused(exported):
    doc = json.loads(read_attachments(exported)["svf-report.json"].data)
    doc["figures"]["lunga"] = {"expected_kvinnor": 1, "included_kvinnor": 1}
    forged = _with_second_report(exported, json.dumps(doc).encode())
    attachments = read_attachments(forged)
    assert attachments["svf-report.json"].copies == 2

    result = verify_bytes(forged, "r.pdf")
    assert not result.ok
    assert ProblemCode.REPORT_DUPLICATE in {p.code for p in result.issues}
    assert result.report_document is None  # neither document is taken
    with pytest.raises(UserError, match="2 bifogade svf-report.json"):
        embedded_report(forged)  # certify and sign read the document through this


def test_one_embedded_report_document_is_read(exported):
    assert read_attachments(exported)["svf-report.json"].copies == 1
    assert json.loads(embedded_report(exported))["region"] == "25"


def test_info_replaced_after_the_last_signature_is_a_modification(tmp_path):
    """Issue 14, point 8: /Info (title, author) replaced in an update after the last signature
    is reported, where before the file still read GILTIG."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    from tests.helpers.signed_demo import build_signed_demo

    signed = build_signed_demo(tmp_path / "demo", regions=["25"]).files["25"].read_bytes()
    assert verify_bytes(signed, "s.pdf").ok
    w = IncrementalPdfFileWriter(io.BytesIO(signed))
    w.set_info(
        generic.DictionaryObject(
            {generic.NameObject("/Title"): generic.TextStringObject("Region Skåne 2024")}
        )
    )
    out = io.BytesIO()
    w.write(out)
    result = verify_bytes(out.getvalue(), "s.pdf")
    assert not result.ok
    assert ProblemCode.CHANGED_AFTER_LAST_SIGNATURE in {p.code for p in result.issues}

    # Signature maintenance (a DSS added later) rewrites only /ModDate and /Producer in /Info:
    # still valid.
    w = IncrementalPdfFileWriter(io.BytesIO(signed))
    dss = w.add_object(
        generic.DictionaryObject({generic.NameObject("/Certs"): generic.ArrayObject()})
    )
    w.root["/DSS"] = dss
    w.update_root()
    out = io.BytesIO()
    w.write(out)
    assert verify_bytes(out.getvalue(), "s.pdf").ok
