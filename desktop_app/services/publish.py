"""The disclosure check and the published copy (issue 15, point 7).

Before signing, ``disclosure_check`` lists what the published copy will hide (cells of 1–4
patients, PREM with fewer than 30 answers with the 2024 template's limits). After signing,
``write_published_copy`` writes, next to the signed original, a copy drawn from the original's
embedded report document where such counts read "<5" and such results "–". The original is only
read, never changed; the copy carries no embedded data (the exact figures are what it hides)
and no signature fields, and names the original's document id."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from desktop_app.domain.disclosure import disclosure_flags, published_masking
from desktop_app.domain.errors import DocumentError, UserError
from desktop_app.domain.finance import Certification
from desktop_app.domain.findings import CriterionResult, Finding
from desktop_app.domain.reference import load_reference
from desktop_app.domain.report import Report
from desktop_app.domain.rules import evaluate_criteria
from desktop_app.domain.template import Template
from desktop_app.domain.vocabulary import CERTIFICATION_KEY
from desktop_app.services.bootstrap import AppContext
from desktop_app.services.exports import (
    CERTIFICATION_ATTACHMENT,
    REPORT_ATTACHMENT,
    report_from_bytes,
)
from desktop_app.services.pdf_files import read_pdf, write_pdf
from desktop_app.services.reports import get_report, template_of

PUBLISHED_SUFFIX = "-publicerad"
PUBLISHED_STATUS = "Publicerad version"
PREVIEW_STATUS = "Förhandsgranskning av publicerad version – inte underskriven"


def disclosure_check(ctx: AppContext, report_id: int) -> list[Finding]:
    """What the published copy of the report will hide, with the place of each (warnings)."""
    return disclosure_flags(get_report(ctx, report_id), template_of(ctx, report_id))


def check_disclosure(report: Report, tpl: Template) -> list[Finding]:
    """The same for a report already in hand (the open report's screens)."""
    return disclosure_flags(report, tpl)


def published_path(original: Path) -> Path:
    """Where the published copy goes by default: beside the original, ``<name>-publicerad.pdf``."""
    return original.with_name(f"{original.stem}{PUBLISHED_SUFFIX}.pdf")


@dataclass(frozen=True)
class PublishedCopy:
    path: Path
    original_document_sha256: str
    hidden: list[Finding]
    pages: int


def _certification(attachments: dict, origin: str) -> Certification | None:
    cert = attachments.get(CERTIFICATION_ATTACHMENT)
    if cert is None:
        return None
    try:
        return Certification.from_dict(json.loads(cert.data.decode("utf-8"))[CERTIFICATION_KEY])
    except (ValueError, KeyError, TypeError):
        raise DocumentError(f"Intygandet i {origin} kan inte läsas.") from None


def _published_criteria(report: Report, tpl: Template, today: date) -> list[CriterionResult]:
    """The criteria, with the PREM result left out of its line when it is hidden."""
    mask = published_masking(report, tpl)
    prem_criteria = {c.id for c in tpl.criteria if c.kind == "prem_used"}
    out = []
    for r in evaluate_criteria(report, tpl, today):
        if r.id in prem_criteria and mask.prem_hidden(report.prem):
            lim = tpl.disclosure
            assert lim is not None
            r = replace(
                r,
                message=f"PREM används; resultatet visas inte (färre än {lim.min_prem_answers} "
                "svar).",
                value=None, numerator=None, denominator=None,
            )  # fmt: skip
        out.append(r)
    return out


def write_published_copy(
    ctx: AppContext, original: Path | str, out: Path | str | None = None
) -> PublishedCopy:
    """Write the published copy of the report PDF ``original`` (signed, or exported for
    review) to ``out`` (default: ``published_path``); the original is left as it is."""
    from desktop_app.signing import read_attachments

    original = Path(original)
    target = Path(out) if out is not None else published_path(original)
    if target.resolve() == original.resolve():
        raise UserError("Den publicerade versionen får inte skriva över originalet.")
    data = read_pdf(original)
    attachments = read_attachments(data)
    doc = attachments.get(REPORT_ATTACHMENT)
    if doc is None:
        raise DocumentError(
            f"{original.name} har inga bifogade uppgifter ({REPORT_ATTACHMENT}); välj den PDF "
            "som SVF-redovisning exporterade och som skrevs under."
        )
    report, tpl = report_from_bytes(doc.data)
    cert = _certification(attachments, original.name)
    return _write_published(ctx, report, tpl, doc.data, target, PUBLISHED_STATUS, cert)


def _write_published(
    ctx: AppContext,
    report: Report,
    tpl: Template,
    document: bytes,
    target: Path,
    status: str,
    certification: Certification | None,
) -> PublishedCopy:
    from desktop_app.exchange.pdf import PdfContent, render_report_pdf

    if tpl.disclosure is None:
        raise UserError(f"Mallen {tpl.id} anger inga gränser för vad som får publiceras.")
    rendered = render_report_pdf(
        PdfContent(
            report=report,
            tpl=tpl,
            region_name=load_reference().region(report.region_code).name,
            document_id=hashlib.sha256(document).hexdigest(),
            rendered_on=ctx.today(),
            status_label=status,
            criteria=_published_criteria(report, tpl, ctx.today()),
            certification=certification,
            masking=published_masking(report, tpl),
        )
    )
    write_pdf(target, rendered.data)
    return PublishedCopy(
        target, hashlib.sha256(document).hexdigest(), disclosure_flags(report, tpl), rendered.pages
    )


def preview_published_copy(ctx: AppContext, report_id: int, out: Path | str) -> PublishedCopy:
    """How the published copy of the report will look, drawn from the report as it is now
    (before it is exported or signed), marked as a preview on every page's header."""
    from desktop_app.services.exports import document_bytes
    from desktop_app.services.reports import dump_report

    report, tpl = get_report(ctx, report_id), template_of(ctx, report_id)
    document = document_bytes(dump_report(ctx, report_id))
    return _write_published(ctx, report, tpl, document, Path(out), PREVIEW_STATUS, None)
