"""Exports of the RCC's compilation (issue 6): the workbook, and the PDF for Socialstyrelsen
with the compilation's JSON embedded (svf-compilation.json), optionally signed by the RCC."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import UserError
from desktop_app.domain.reference import load_reference
from desktop_app.domain.vocabulary import RemarkKind, Role, mark
from desktop_app.exchange.compilation_model import (
    CompilationDocument,
    FileLine,
    PopulationLine,
    RegionLine,
    RemarkLine,
)
from desktop_app.exchange.limits import InputLimitError, load_json_bounded
from desktop_app.services.bootstrap import AppContext
from desktop_app.services.compilation import CompilationResult, compile_scope
from desktop_app.services.inbox import ACCEPTED, InboxEntry

COMPILATION_ATTACHMENT = "svf-compilation.json"
COMPILATION_KIND = "svf-redovisning/compilation"
APPROVAL_FIELD = "Godkannande_RCC"


@dataclass(frozen=True)
class CompilationExport:
    path: Path
    pages: int  # pages of the PDF, sheets of the workbook
    size: int
    document_sha256: str  # of the embedded svf-compilation.json (PDF) or the file (xlsx)
    signed: bool
    result: CompilationResult


def _when(t: datetime | None) -> str | None:
    return t.strftime("%Y-%m-%d %H:%M") if t else None


def _certification(e: InboxEntry | None) -> str:
    if e is None:
        return "–"
    return "Registrerad av RCC" if e.registered_by_rcc else e.certification_label


def _signers(e: InboxEntry | None) -> str:
    if e is None:
        return ""
    if e.registration is not None:
        reg = e.registration
        return f"registrerad av RCC ({reg.get('by', '?')} {str(reg.get('at', ''))[:10]})"
    return ", ".join(f"{s.claimed_name or s.signer_name} ({_role_word(s.role)})" for s in e.signers)


def _role_word(role: str | None) -> str:
    """``intygande`` / ``underskrift`` (the vocabulary's sign of the role)."""
    try:
        return mark(Role(role or ""))
    except ValueError:
        return "okänd roll"


def compilation_document(result: CompilationResult, preview: bool = False) -> CompilationDocument:
    """The plain values the workbook and the PDF draw (``preview``: an unsigned preview of the
    package to Socialstyrelsen, marked on every page)."""
    ref = load_reference()
    names = {r.code: r.name for r in ref.regions}
    regions = []
    for r in result.regions:
        e = r.entry if r.status == ACCEPTED else None
        regions.append(
            RegionLine(
                code=r.code,
                name=r.name,
                status=r.status,
                status_label=r.status_label,
                version=e.report_version if e else None,
                file=r.entry.file_name if r.entry else None,
                received=_when(r.entry.received_at) if r.entry else None,
                submitted=e.submitted_on.isoformat() if e and e.submitted_on else None,
                certification=_certification(e),
                signers=_signers(e),
                criteria=r.criteria,
                criteria_met=r.criteria_met,
                reason=r.reason,
                registered=bool(e and e.registered_by_rcc),
            )
        )
    files = [
        FileLine(
            file=e.file_name,
            region=f"{e.region_name} ({e.region_code})" if e.region_code else "–",
            version=e.report_version,
            status_label=e.status_label,
            received=_when(e.received_at) or "",
            reason=e.reason,
            status=e.status,
        )
        for e in result.entries
    ]
    pops = [
        PopulationLine(p.code, p.name, p.population, p.date, p.source, p.edited)
        for p in result.populations
    ]
    return CompilationDocument(
        tpl=result.tpl,
        scope_id=result.scope.id,
        scope_name=result.scope.name,
        created=result.created,
        compilation=result.compilation,
        region_names=names,
        regions=regions,
        files=files,
        payments=result.payments,
        populations=pops,
        population_key=result.population_key,
        preview=preview,
        remarks=remark_lines(result),
    )


def remark_lines(result: CompilationResult) -> list[RemarkLine]:
    """Per region of the scope (its order), the values changed from the RCC's extract and the
    warnings of its accepted report, each with the region's reason or justification."""
    from desktop_app.domain.history import place_label
    from desktop_app.services.reports import cell_label, fmt_value

    tpl = result.tpl
    out: list[RemarkLine] = []
    for r in result.regions:
        for d in result.deviations.get(r.code, ()):
            detail = f"RCC:s uttag {fmt_value(d.extract)} → redovisat {fmt_value(d.reported)}"
            detail += f". OBS: {d.note}" if d.note else ""
            where = cell_label(tpl, (d.svf, d.measure, d.sex))
            out.append(RemarkLine(r.code, r.name, RemarkKind.DEVIATION, where, detail, d.reason))
        for f in result.warnings.get(r.code, ()):
            loc = f.location
            where = place_label(loc.svf, loc.sex, loc.measure, loc.field, tpl) or "Redovisningen"
            ack = f.acknowledgement
            kind = RemarkKind.JUSTIFIED_WARNING if ack else RemarkKind.OPEN_WARNING
            why = ack.justification if ack else None
            out.append(RemarkLine(r.code, r.name, kind, where, f.message, why))
    return out


def _check_out(out: Path, suffix: str) -> Path:
    out = Path(out)
    if out.is_dir():
        raise UserError(f"{out} är en mapp; ange en fil ({suffix}).")
    if not out.parent.exists():
        raise UserError(f"Mappen {out.parent} finns inte.")
    return out


def export_compilation_xlsx(
    ctx: AppContext, scope: str, year: int, out: Path | str
) -> CompilationExport:
    """Write the compilation of ``scope`` and ``year`` as a workbook: Sammanfattning (sums per
    SVF and sex), Regioner, one sheet per compiled region, Utbetalning (amounts as values,
    exact shares and sums as formulas), Avvikelser (changes from the RCC's extract and
    warnings, with the regions' reasons) and Inkomna filer."""
    from desktop_app.exchange.compilation_xlsx import write_compilation_workbook

    out = _check_out(Path(out), ".xlsx")
    result = compile_scope(ctx, scope, year)
    write_compilation_workbook(out, compilation_document(result))
    data = out.read_bytes()
    sheets = 4 + len(result.compilation.compiled)
    return CompilationExport(
        out, sheets, len(data), hashlib.sha256(data).hexdigest(), False, result
    )


def compilation_json(result: CompilationResult) -> bytes:
    """The embedded svf-compilation.json: the same content as ``aggregate --json``."""
    doc = {"document": COMPILATION_KIND, "schema_version": 1, **result.to_dict()}
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render_compilation(
    result: CompilationResult,
    signature_field: bool = False,
    extra_pages: Sequence[object] = (),
    extra_attachments: Sequence[Any] = (),
    preview: bool = False,
) -> tuple[bytes, int, dict[str, Any], str]:
    """The PDF (with svf-compilation.json embedded), its page count, the signature field's
    place and the SHA-256 of the embedded JSON. ``extra_pages`` (flowables) and
    ``extra_attachments`` (signing.Attachment) make it the package to Socialstyrelsen
    (services.package)."""
    from desktop_app.exchange.compilation_pdf import PLACE_APPROVAL, render_compilation_pdf
    from desktop_app.signing import Attachment, FieldSpot, prepare_pdf

    doc_bytes = compilation_json(result)
    sha = hashlib.sha256(doc_bytes).hexdigest()
    rendered = render_compilation_pdf(
        compilation_document(result, preview), sha, signature_field, extra_pages
    )
    empty = {}
    place = rendered.fields.get(PLACE_APPROVAL)
    if signature_field and place is not None:
        empty[APPROVAL_FIELD] = FieldSpot(place.page, place.box)
    data = prepare_pdf(
        rendered.data,
        [
            Attachment(
                COMPILATION_ATTACHMENT,
                doc_bytes,
                f"Sammanställningens uppgifter: {result.scope.name} {result.year} "
                f"({COMPILATION_KIND})",
            ),
            *extra_attachments,
        ],
        empty,
    )
    return data, rendered.pages, rendered.fields, sha


def export_compilation_pdf(
    ctx: AppContext,
    scope: str,
    year: int,
    out: Path | str,
    sign_with: Any = None,
    name: str | None = None,
    now: datetime | None = None,
    extra_pages: Sequence[object] = (),
    extra_attachments: Sequence[Any] = (),
    preview: bool = False,
) -> CompilationExport:
    """Write the compilation PDF for Socialstyrelsen (the regional report's style, fonts
    embedded, the compilation's JSON attached). With ``sign_with`` (a
    desktop_app.signing.Signer) the RCC's approval is signed in the field of the approval
    block (a plain approval signature, no certification role); ``name`` is the name shown
    (default: the certificate holder's)."""
    from desktop_app.signing import SignatureMeta, sign_pdf
    from desktop_app.signing.sign import signature_field_sizes

    out = _check_out(Path(out), ".pdf")
    result = compile_scope(ctx, scope, year)
    data, pages, _fields, sha = render_compilation(
        result, sign_with is not None, extra_pages, extra_attachments, preview
    )
    if sign_with is not None:
        from desktop_app.exchange.compilation_pdf import approval_appearance

        who = sign_with.subject_name
        shown = (name or who).strip()
        width, height = signature_field_sizes(data)[APPROVAL_FIELD]
        day = now.date() if now else ctx.today()
        meta = SignatureMeta(
            field_name=APPROVAL_FIELD,
            reason=f"{result.scope.name} godkänner sammanställningen av SVF-redovisningarna "
            f"{result.year}",
            name=shown,
            location=result.scope.name,
            appearance=approval_appearance(width, height, day, who, shown),
        )
        data = sign_pdf(data, sign_with, meta)
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise UserError(f"Filen {out} kan inte skrivas: {exc.strerror}.") from None
    return CompilationExport(out, pages, len(data), sha, sign_with is not None, result)


@dataclass(frozen=True)
class CompilationCheck:
    """What a compilation PDF says about itself: its embedded JSON and the RCC's approval
    signature (if any). ``ok``: the JSON is there and, when signed, the signature is intact
    and covers the whole file."""

    ok: bool
    signed: bool
    signer_name: str | None
    signing_time: datetime | None
    trusted: bool
    document: dict[str, Any] | None
    problems: list[str]


def check_compilation_pdf(data: bytes, trust_dir: Path | None = None) -> CompilationCheck:
    """Check a compilation PDF (made by ``export_compilation_pdf``)."""
    from desktop_app.signing import inspect_pdf

    insp = inspect_pdf(data, trust_dir)
    problems: list[str] = []
    entry = insp.attachments.get(COMPILATION_ATTACHMENT)
    doc = None
    if entry is None:
        problems.append(f"Sammanställningens data ({COMPILATION_ATTACHMENT}) saknas i filen.")
    else:
        try:
            doc = load_json_bounded(entry.data, f"{COMPILATION_ATTACHMENT} i filen")
        except InputLimitError as exc:  # too large, too deep, a number too long
            problems.append(str(exc))
        except ValueError:  # not UTF-8 (UnicodeDecodeError), not JSON (JSONDecodeError)
            problems.append(f"{COMPILATION_ATTACHMENT} i filen är inte giltig JSON.")
        if doc is not None and not isinstance(doc, dict):
            problems.append(f"{COMPILATION_ATTACHMENT} i filen är inte en sammanställning.")
            doc = None
    sig = next((s for s in insp.signatures if s.field_name == APPROVAL_FIELD), None)
    if sig is not None:
        if not sig.ok:
            problems.append(
                f"RCC:s underskrift ({sig.signer_name}) är bruten eller filen har ändrats efteråt."
            )
        if insp.changed_after_last_signature:
            problems.append("Filen har ändrats efter underskriften.")
        if entry is not None and entry.revision > sig.signed_revision:
            problems.append("Sammanställningens data har lagts till efter underskriften.")
    return CompilationCheck(
        ok=not problems,
        signed=sig is not None,
        signer_name=sig.signer_name if sig else None,
        signing_time=sig.signing_time if sig else None,
        trusted=bool(sig and sig.trusted),
        document=doc,
        problems=problems,
    )


__all__ = [
    "CompilationCheck",
    "check_compilation_pdf",
    "APPROVAL_FIELD",
    "COMPILATION_ATTACHMENT",
    "CompilationExport",
    "compilation_document",
    "compilation_json",
    "export_compilation_pdf",
    "export_compilation_xlsx",
    "render_compilation",
]
