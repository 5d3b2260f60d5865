"""The finance chief's certification (Bilaga 2, point 4): re-render the exported PDF from the
report document embedded in it, fill in block 4, bind the certification to the financial
figures and sign it as a certification signature. Works on the bytes alone: the finance chief
needs no database, only the file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import UserError
from desktop_app.domain.finance import (
    ALT_CORRECT,
    ALT_NOT_CORRECT,
    Certification,
    certification_problems,
    finance_fingerprint,
)
from desktop_app.domain.reference import load_reference
from desktop_app.domain.report import Report
from desktop_app.domain.rules import validate
from desktop_app.domain.vocabulary import CERTIFICATION_KEY, Severity, label, plural
from desktop_app.services.exports import (
    CERTIFICATION_KIND,
    render_document_pdf,
    report_from_bytes,
)
from desktop_app.services.pdf_files import (
    embedded_report,
    fmt_time,
    local_now,
    read_pdf,
    sha256_hex,
    write_pdf,
)

MAX_LISTED = 5  # findings named in a signing dialog's heading; the PDF lists them all


@dataclass(frozen=True)
class ReportHeading:
    """Which report a signing dialog is about, and what the report's checks found: what the
    finance chief (and the representative) read before signing."""

    region_name: str
    year: int
    version: int
    file_name: str
    errors: int
    warnings: int
    # The first findings in words (errors first), "Fel – Lungcancer: …", for the dialog.
    messages: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        """'Region Västerbotten – SVF-redovisning 2024, version 2'."""
        return f"{self.region_name} – SVF-redovisning {self.year}, version {self.version}"

    @property
    def findings_text(self) -> str:
        """'Redovisningen har 3 fel och 1 varning …' in the vocabulary's words, or that it has
        none."""
        counts = [
            plural(severity, n)
            for severity, n in ((Severity.ERROR, self.errors), (Severity.WARNING, self.warnings))
            if n
        ]
        if not counts:
            return "Kontrollerna hittar inga fel eller varningar i redovisningen."
        return (
            f"Redovisningen har {' och '.join(counts)} (listade i PDF:en under Kontroller). "
            "Intyga eller skriv under bara om ni känner till dem."
        )


def report_heading(summary: Any) -> ReportHeading:
    """The heading of a certification or signing dialog for ``summary`` (a
    services.verification.PdfSummary): region, year, version and the findings of the
    template's rules on the embedded report, counted as the PDF lists them."""
    findings = validate(summary.report, summary.template)
    errors = sum(1 for f in findings if f.severity == Severity.ERROR)
    ordered = sorted(findings, key=lambda f: f.severity != Severity.ERROR)
    return ReportHeading(
        messages=tuple(f"{label(f.severity)}: {f.message}" for f in ordered[:MAX_LISTED]),
        region_name=load_reference().region(summary.report.region_code).name,
        year=summary.template.year,
        version=summary.report.version,
        file_name=Path(summary.verification.path).name,
        errors=errors,
        warnings=len(findings) - errors,
    )


class CertificationRefused(UserError):
    """The certification form is incomplete (Alt 2 without deviation, bad e-mail …)."""

    exit_code = 1


@dataclass(frozen=True)
class CertificationRequest:
    """What the finance chief fills in (Bilaga 2, point 4). ``actions`` is optional even for
    Alt 2 ("eventuella åtgärder"); ``deviations`` is required for Alt 2."""

    alternative: int | None  # None until the finance chief has chosen: nothing is preselected
    name: str
    title: str
    phone: str
    email: str
    deviations: str = ""
    actions: str = ""

    def problems(self) -> list[str]:
        """What is missing or wrong in the form, in Swedish; empty when it can be signed."""
        return certification_problems(
            self.alternative,
            self.name,
            self.title,
            self.phone,
            self.email,
            self.deviations,
        )


def certification_document(report_doc: bytes, report: Report, cert: Certification) -> bytes:
    """The embedded svf-certification.json: the certification bound to the exact report
    document (its SHA-256) and to the financial figures (finance_sha256)."""
    doc = {
        "document": CERTIFICATION_KIND,
        "schema_version": 1,
        "report_sha256": sha256_hex(report_doc),
        "region": report.region_code,
        "template": report.template_id,
        "version": report.version,
        CERTIFICATION_KEY: cert.to_dict(),
    }
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _certification(request: CertificationRequest, report: Report, today: date) -> Certification:
    """The certification as it will be embedded; the deviation and the actions only belong
    to Alt 2, so they are dropped for Alt 1 even when the form still holds them."""
    alt_2 = request.alternative == ALT_NOT_CORRECT
    if request.alternative is None:  # refused by request.problems() before this
        raise CertificationRefused("Inget alternativ är valt: välj Alt 1 eller Alt 2.")
    return Certification(
        alternative=request.alternative,
        name=request.name.strip(),
        title=request.title.strip(),
        phone=request.phone.strip(),
        email=request.email.strip(),
        certified_on=today,
        finance_sha256=finance_fingerprint(report.finance),
        deviations=request.deviations.strip() if alt_2 else "",
        actions=request.actions.strip() if alt_2 else "",
    )


def _appearance(place: Any, signer: Any, cert: Certification, now: datetime) -> bytes:
    """What the certification's signature field shows: when, who, and the alternative."""
    from desktop_app.exchange.pdf import render_appearance

    verdict = (
        "intygar att redovisningen under punkt 3 är korrekt"
        if cert.alternative == ALT_CORRECT
        else "bedömer inte att redovisningen under punkt 3 är korrekt"
    )
    lines = [
        (f"Elektroniskt undertecknad {fmt_time(now)} av", False),
        (signer.subject_name, True),
        (f"Alt {cert.alternative}: {verdict}", False),
    ]
    return render_appearance(place.width, place.height, [(0.0, lines)])


def certify_pdf(
    data: bytes,
    signer: Any,
    request: CertificationRequest,
    today: date,
    now: datetime | None = None,
) -> bytes:
    """The finance chief's certification: re-render the PDF from its embedded report document
    with block 4 filled in, embed the certification (bound to the financial figures), place the
    representative's empty signature field and sign as a certification signature (DocMDP:
    afterwards only signing and filling signature fields are allowed).

    ``signer`` is a desktop_app.signing.Signer. Raises CertificationRefused listing what is
    missing (no alternative chosen; Alt 2 without the deviation — the actions are optional).
    An already certified or signed PDF can be certified again: the result is a new document,
    earlier signatures are not kept."""
    from desktop_app.exchange.pdf import PLACE_CERTIFICATION
    from desktop_app.signing import FieldSpot, SignatureMeta, sign_pdf
    from desktop_app.signing.verify import CERTIFICATION_FIELD

    problems = request.problems()
    if problems:
        raise CertificationRefused(
            "Intygandet kan inte göras:\n" + "\n".join(f"  – {p}" for p in problems)
        )
    report_doc = embedded_report(data)
    report, _tpl = report_from_bytes(report_doc)
    cert = _certification(request, report, today)
    rendered = render_document_pdf(
        report_doc, today, cert, certification_document(report_doc, report, cert)
    )
    place = rendered.fields[PLACE_CERTIFICATION]
    meta = SignatureMeta(
        field_name=CERTIFICATION_FIELD,
        reason=f"Ekonomichefens intygande (Alt {cert.alternative}) av den ekonomiska redovisningen",
        name=cert.name,
        location=load_reference().region(report.region_code).name,
        contact=cert.email,
        certify=True,
        new_field=FieldSpot(place.page, place.box),
        appearance=_appearance(place, signer, cert, now or local_now()),
    )
    return sign_pdf(rendered.data, signer, meta)


def certify_file(
    in_path: Path, out_path: Path, signer: Any, request: CertificationRequest, today: date
) -> Path:
    """``certify_pdf`` from file to file."""
    write_pdf(out_path, certify_pdf(read_pdf(in_path), signer, request, today))
    return out_path
