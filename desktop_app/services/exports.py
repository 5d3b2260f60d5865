"""Export of a report for review: one PDF that carries its own data (the JSON document as an
embedded file), and optionally an Excel workbook with the figures and findings.

The same rendering serves certification: ``render_document_pdf`` draws a PDF from the embedded
JSON alone, so the finance chief's computer needs no database."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from desktop_app.domain.document import from_document, to_document
from desktop_app.domain.errors import DocumentError, UserError
from desktop_app.domain.finance import Certification
from desktop_app.domain.provenance import Deviation, deviations
from desktop_app.domain.reference import load_reference
from desktop_app.domain.report import STATUS_LABELS, Report
from desktop_app.domain.rules import (
    certification_identity_findings,
    evaluate_criteria,
    identity_findings,
    validate,
)
from desktop_app.domain.template import Template, load_template
from desktop_app.exchange.limits import InputLimitError, load_json_bounded
from desktop_app.services.bootstrap import AppContext
from desktop_app.services.history import record_export
from desktop_app.services.reports import _load

REPORT_ATTACHMENT = "svf-report.json"
CERTIFICATION_ATTACHMENT = "svf-certification.json"
CERTIFICATION_KIND = "svf-redovisning/certification"


@dataclass(frozen=True)
class ExportResult:
    pdf: Path
    xlsx: Path | None
    pages: int
    size: int
    document_sha256: str


def document_bytes(doc: dict[str, Any]) -> bytes:
    """The JSON document exactly as ``svf-report dump`` writes it (UTF-8, indented)."""
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def read_json_document(data: bytes, what: str) -> Any:
    """A JSON document read from a file (``svf-report load``), under the limits of every
    document (size, nesting, number length; exchange.limits): InputLimitError (Swedish) past
    one, ValueError for bytes that are not UTF-8 JSON."""
    return load_json_bounded(data, what)


def report_from_bytes(data: bytes, origin: str = REPORT_ATTACHMENT) -> tuple[Report, Template]:
    """Parse and check an embedded report document."""
    try:
        doc = load_json_bounded(data, f"{origin} i PDF-filen")
    except InputLimitError as exc:
        raise DocumentError(str(exc)) from None
    except (UnicodeDecodeError, ValueError):  # JSONDecodeError is a ValueError
        raise DocumentError(f"{origin} i PDF-filen är inte giltig JSON.") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("template"), str):
        raise DocumentError(f"{origin} i PDF-filen är inget rapportdokument från SVF-redovisning.")
    tpl = load_template(doc["template"])
    return from_document(doc, tpl, origin), tpl


def document_deviations(report: Report, tpl: Template, report_doc: bytes) -> list[Deviation]:
    """The values of a (checked) document that differ from the RCC's extract it names."""
    from desktop_app.domain.document import document_sources

    doc = json.loads(report_doc)
    return deviations(dict(report.figures.items()), document_sources(doc, tpl))


class IdentityNumberError(UserError):
    """A personal identity number in the report's free text: nothing is exported."""

    exit_code = 1


def refuse_identity_numbers(
    report: Report, tpl: Template, certification: Certification | None = None
) -> None:
    """Raise IdentityNumberError naming each step and field that holds a personal identity
    number; every export (PDF for review, certified, signed) passes through here."""
    found = identity_findings(report, tpl)
    if certification is not None:
        found += certification_identity_findings(certification, tpl)
    if found:
        lines = "\n".join(f"  – {f.message}" for f in found)
        raise IdentityNumberError(
            "Redovisningen exporteras inte: den innehåller personnummer, och bara "
            f"sammanräknade uppgifter får lämna datorn.\n{lines}"
        )


@dataclass(frozen=True)
class RenderedDocument:
    """A rendered, not yet signed PDF and where its signature fields are."""

    data: bytes
    pages: int
    fields: dict[str, Any]  # role -> exchange.pdf.FieldPlacement


def render_document_pdf(
    report_doc: bytes,
    today: date,
    certification: Certification | None = None,
    certification_doc: bytes | None = None,
) -> RenderedDocument:
    """Draw the PDF of an embedded report document and embed the document (and the
    certification document) in it. With a certification, block 4 is filled in and the
    representative's empty signature field is placed (the certification's own field is
    created when it is signed)."""
    from desktop_app.exchange.pdf import PLACE_REPRESENTATIVE, PdfContent, render_report_pdf
    from desktop_app.signing import Attachment, FieldSpot, prepare_pdf
    from desktop_app.signing.verify import REPRESENTATIVE_FIELD

    report, tpl = report_from_bytes(report_doc)
    refuse_identity_numbers(report, tpl, certification)
    region = load_reference().region(report.region_code)
    status = "Intygad av ekonomichefen" if certification else STATUS_LABELS[report.status]
    rendered = render_report_pdf(
        PdfContent(
            report=report,
            tpl=tpl,
            region_name=region.name,
            document_id=hashlib.sha256(report_doc).hexdigest(),
            rendered_on=today,
            status_label=status,
            criteria=evaluate_criteria(report, tpl, today),
            findings=validate(report, tpl),
            certification=certification,
            signature_fields=certification is not None,
            deviations=document_deviations(report, tpl, report_doc),
        )
    )
    attachments = [
        Attachment(
            REPORT_ATTACHMENT,
            report_doc,
            f"Redovisningens uppgifter: {region.name} {tpl.year} (svf-redovisning/report)",
        )
    ]
    if certification_doc is not None:
        attachments.append(
            Attachment(
                CERTIFICATION_ATTACHMENT,
                certification_doc,
                "Ekonomichefens intygande med kontrollsumma för de ekonomiska uppgifterna",
            )
        )
    empty = {}
    rep = rendered.fields.get(PLACE_REPRESENTATIVE)
    if certification is not None and rep is not None:
        empty[REPRESENTATIVE_FIELD] = FieldSpot(rep.page, rep.box)
    return RenderedDocument(
        prepare_pdf(rendered.data, attachments, empty), rendered.pages, rendered.fields
    )


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise UserError(f"Filen {path} kan inte skrivas: {exc.strerror}.") from None


def export_pdf(
    ctx: AppContext, report_id: int, out: Path | str, xlsx: Path | str | None = None
) -> ExportResult:
    """Write the report as a PDF for review (empty certification and signature blocks, the JSON
    document embedded as svf-report.json) and, with ``xlsx``, the figures, criteria and
    findings as a workbook."""
    out = Path(out)
    with ctx.uow() as uow:
        report = _load(uow, report_id)
        head = uow.history.document_head(report_id)
        sources = uow.provenance.of(report_id)
    tpl = load_template(report.template_id)
    doc = document_bytes(to_document(report, tpl, head, sources))
    rendered = render_document_pdf(doc, ctx.today())
    _write(out, rendered.data)
    sha = hashlib.sha256(doc).hexdigest()
    xlsx_path = Path(xlsx) if xlsx is not None else None
    if xlsx_path is not None:
        from desktop_app.exchange.report_xlsx import write_report_workbook

        write_report_workbook(
            xlsx_path,
            report,
            tpl,
            load_reference().region(report.region_code).name,
            STATUS_LABELS[report.status],
            sha,
            evaluate_criteria(report, tpl, ctx.today()),
            validate(report, tpl),
        )
    with ctx.uow() as uow:
        uow.reports.log(report_id, "exported", f"Exporterad till {out.name}")
        record_export(uow, report_id, sha, out.name)
        from desktop_app.services.receipts import note_export  # the RCC's kvittens names it

        note_export(uow, report_id, sha, report.version)
        uow.commit()
    return ExportResult(out, xlsx_path, rendered.pages, len(rendered.data), sha)
