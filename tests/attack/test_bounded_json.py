"""Issue 14, point 1 for every JSON read from a file: the `svf-report load` document, an RCC
compilation's embedded data and the certification embedded in a report PDF are read with the
bounded reader (size, nesting, number length checked before json.loads): a hostile document
is a Swedish message, never a RecursionError, a ValueError or a traceback.

(The import of a signed PDF reads the report document only after ``verify`` has read it with
the same bounded reader, so its hostile forms are refused there; see test_bounded_input.)"""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from desktop_app.cli import main
from desktop_app.domain.problems import ProblemCode

DEEP = b"[" * 5000 + b"]" * 5000
LONG_NUMBER = b'{"a": ' + b"9" * 5000 + b"}"
HOSTILE = {"deep": DEEP, "long number": LONG_NUMBER}


def _cli(*args: object) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue() + err.getvalue()


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_cli_load_refuses_a_hostile_document_in_swedish(tmp_path, kind):
    doc = tmp_path / "rapport.json"
    doc.write_bytes(HOSTILE[kind])
    code, text = _cli("load", "--db", tmp_path / "db.sqlite3", doc)
    assert code != 0
    assert "gränsen" in text and "rapport.json" in text
    assert "Traceback" not in text and "Error" not in text


def _pdf_with(attachments: dict[str, bytes]) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    from desktop_app.signing import Attachment, prepare_pdf

    buf = io.BytesIO()
    canv = Canvas(buf, pagesize=(200, 200))
    canv.drawString(20, 100, "Bilaga")
    canv.showPage()
    canv.save()
    return prepare_pdf(buf.getvalue(), [Attachment(n, d) for n, d in attachments.items()], {})


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_compilation_check_refuses_a_hostile_document(kind):
    from desktop_app.services.compilation_exports import (
        COMPILATION_ATTACHMENT,
        check_compilation_pdf,
    )

    check = check_compilation_pdf(_pdf_with({COMPILATION_ATTACHMENT: HOSTILE[kind]}))
    assert not check.ok and check.document is None
    assert any("gränsen" in p for p in check.problems), check.problems


def test_compilation_check_refuses_a_document_that_is_not_an_object():
    from desktop_app.services.compilation_exports import (
        COMPILATION_ATTACHMENT,
        check_compilation_pdf,
    )

    check = check_compilation_pdf(_pdf_with({COMPILATION_ATTACHMENT: b"[1, 2]"}))
    assert not check.ok and check.document is None


@pytest.mark.parametrize("kind", [*sorted(HOSTILE), "not an object"])
def test_verify_refuses_a_hostile_certification_document(kind):
    from desktop_app.services.demo import demo_reports
    from desktop_app.services.exports import CERTIFICATION_ATTACHMENT, REPORT_ATTACHMENT
    from desktop_app.services.verification import verify_bytes
    from tests.helpers.signed_demo import report_document

    report = next(r for r in demo_reports() if r.region_code == "25")
    cert = HOSTILE.get(kind, json.dumps([1, 2]).encode())
    data = _pdf_with({REPORT_ATTACHMENT: report_document(report), CERTIFICATION_ATTACHMENT: cert})
    result = verify_bytes(data, "intygad.pdf")
    assert result.has(ProblemCode.CERTIFICATION_DOCUMENT_UNREADABLE), result.problems


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_hostile_receipt_document_is_refused_in_swedish(kind):
    from desktop_app.services.receipts import ReceiptError, _parse

    with pytest.raises(ReceiptError) as err:
        _parse("kvittens.pdf", HOSTILE[kind])
    assert "gränsen" in str(err.value) and "kvittens.pdf" in str(err.value)


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_hostile_package_manifest_is_a_problem(kind):
    from types import SimpleNamespace

    from desktop_app.services.package_verify import PACKAGE_MANIFEST, _manifest

    entry = SimpleNamespace(data=HOSTILE[kind])
    problems: list[str] = []
    assert _manifest(SimpleNamespace(attachments={PACKAGE_MANIFEST: entry}), problems) == {}
    assert any("gränsen" in p for p in problems), problems
