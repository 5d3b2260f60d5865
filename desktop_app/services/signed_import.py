"""Reading a certified or signed PDF back into the database (the coordinator's or the RCC's
copy), which records the certification and the signatures and locks the report; and
unlocking it again, which makes a new version and voids them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from desktop_app.domain.document import to_document
from desktop_app.domain.errors import UserError
from desktop_app.domain.finance import Certification
from desktop_app.domain.problems import ProblemCode
from desktop_app.domain.report import Report, Status
from desktop_app.domain.template import Template, load_template
from desktop_app.domain.vocabulary import VOID_REASON_KEY, HistoryKind, ValueSource, label
from desktop_app.exchange.limits import load_json_bounded
from desktop_app.services.bootstrap import AppContext
from desktop_app.services.pdf_files import read_pdf, sha256_hex
from desktop_app.services.reports import Changes, _load
from desktop_app.services.verification import FileVerification, verify_bytes


class CertificationVoidError(UserError):
    """The certified figures are not those of the report: the certification is void."""

    exit_code = 1


class SignedImportError(UserError):
    """A signed PDF that cannot be imported (invalid, or not the report in the database)."""

    exit_code = 1


@dataclass(frozen=True)
class SignedImport:
    """The outcome of ``import_signed_pdf``: which report, whether it was new, its status."""

    report_id: int
    created: bool
    status: Status
    verification: FileVerification


_PARTS = (
    ("figures", "siffrorna"),
    ("answers", "svaren på frågorna"),
    ("prem", "PREM"),
    ("contact", "kontaktuppgifterna"),
    ("finance", "den ekonomiska redovisningen"),
)


def _content(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: doc.get(k) for k, _label in _PARTS}


def _verified(path: Path, today: date) -> tuple[bytes, FileVerification]:
    """The file and its verification, when it can be imported: intact and certified (the
    representative's signature may still be missing)."""
    from desktop_app.signing import UnreadablePdfError

    data = read_pdf(path)
    v = verify_bytes(data, str(path), today=today)
    if not v.readable:
        raise UnreadablePdfError(v.problems[0] if v.problems else f"{path} kan inte läsas.")
    blocking = [p.text for p in v.issues if p.code != ProblemCode.REPRESENTATIVE_MISSING]
    if blocking or not v.certified or v.report_document is None:
        raise SignedImportError(
            f"{path.name} kan inte läsas in:\n"
            + "\n".join(f"  – {p}" for p in blocking or v.problems)
        )
    return data, v


def _signatures_record(path: Path, data: bytes, v: FileVerification) -> dict[str, Any]:
    """What is kept with the report about the imported file and its signatures."""
    return {
        "file": path.name,
        "file_sha256": sha256_hex(data),
        "document_sha256": v.document_sha256,
        "imported_at": datetime.now().replace(microsecond=0).isoformat(),
        "signatures": [
            {
                "role": s.role,
                "field": s.field_name,
                "signer": s.signer_name,
                "name": s.claimed_name,
                "time": s.signing_time.isoformat() if s.signing_time else None,
                "trusted": s.trusted,
            }
            for s in v.signatures
        ],
    }


@dataclass(frozen=True)
class _Incoming:
    """The signed file's report as it is to be stored."""

    report: Report
    template: Template
    status: Status
    certification: Certification
    origin: str  # the file's name, for messages


def _merge_into(uow: Any, report_id: int, incoming: _Incoming, replace: bool) -> None:
    """Bring the existing report ``report_id`` to the signed file's status, after checking
    that the file is that report (or, with ``replace``, taking the file's content)."""
    signed, status, origin = incoming.report, incoming.status, incoming.origin
    current = _load(uow, report_id)
    _check_against(current, signed, incoming.certification, incoming.template, origin, replace)
    record = uow.reports.signing(report_id)
    if record.locked and current.status == Status.SIGNED and status == Status.CERTIFIED:
        raise SignedImportError(
            f"Redovisningen är redan underskriven; {origin} har bara ekonomichefens "
            "intygande och läses inte in."
        )
    if replace:
        signed.version = current.version
        uow.reports.replace_content(report_id, signed)
    uow.reports.set_status(report_id, status, current.submitted_on)


def import_signed_pdf(ctx: AppContext, path: Path | str, replace: bool = False) -> SignedImport:
    """Read a certified or signed PDF back: verify it, create the report from its embedded data
    or check it against the report in the database, record the certification and signatures,
    set the status (certified / signed) and lock the report.

    Refused (SignedImportError, CertificationVoidError) when the file is not intact, when the
    report in the database has changed since the export (unless ``replace``: then the signed
    content replaces it) and always when the financial figures differ from the certified ones."""
    from desktop_app.domain.document import from_document

    path = Path(path)
    data, v = _verified(path, ctx.today())
    assert v.certification is not None and v.report_document is not None
    # Bounded like every JSON document read from a file (verify read it so already).
    doc = load_json_bounded(v.report_document, f"Redovisningens data i {path.name}")
    tpl = load_template(doc["template"])
    status = Status.SIGNED if v.represented else Status.CERTIFIED
    incoming = _Incoming(
        from_document(doc, tpl, path.name), tpl, status, v.certification, path.name
    )
    with ctx.uow() as uow:
        uow.history.set_context(HistoryKind.SIGNED_IMPORT, ValueSource.IMPORT, path.name)
        report_id = uow.reports.find(incoming.report.region_code, tpl.id)
        created = report_id is None
        if report_id is None:
            incoming.report.status = status
            report_id = uow.reports.add(incoming.report)
        else:
            _merge_into(uow, report_id, incoming, replace)
        if created or replace:  # the signed content, with its values' sources (issue 15)
            from desktop_app.domain.document import document_sources

            uow.provenance.replace(report_id, document_sources(doc, tpl, path.name))
        uow.reports.set_signing(
            report_id,
            locked=True,
            certification=v.certification.to_dict(),
            signatures=_signatures_record(path, data, v),
        )
        what = label(status).lower()
        uow.reports.log(report_id, "signed_import", f"Inläst {what} från {path.name}; låst")
        uow.commit()
    return SignedImport(report_id, created, status, v)


def _check_against(
    current: Report,
    signed: Report,
    cert: Certification,
    tpl: Template,
    origin: str,
    replace: bool,
) -> None:
    """Refuse a signed file that is not the report in the database: void certification,
    older version, or (without ``replace``) different content."""
    if not cert.matches(current.finance):
        raise CertificationVoidError(
            f"Intygandet i {origin} är ogiltigt för redovisningen i databasen: de ekonomiska "
            "uppgifterna har ändrats efter att ekonomichefen intygade dem. Exportera "
            "redovisningen på nytt och låt ekonomichefen intyga den igen."
        )
    if current.version > signed.version:
        raise SignedImportError(
            f"{origin} gäller version {signed.version}, men redovisningen är nu version "
            f"{current.version}. Exportera den nya versionen och låt den intygas och skrivas under."
        )
    mine, theirs = _content(to_document(current, tpl)), _content(to_document(signed, tpl))
    differing = [label for key, label in _PARTS if mine[key] != theirs[key]]
    if differing and not replace:
        raise SignedImportError(
            f"Redovisningen i databasen har ändrats efter exporten ({', '.join(differing)} "
            f"skiljer sig från {origin}). Exportera på nytt och låt den intygas och skrivas "
            "under, eller läs in den undertecknade filens innehåll i stället (ersätt)."
        )


def _void_note(record: Any) -> str:
    """Whose signatures an unlock voids, for its history rows."""
    signers = ", ".join(
        str(s.get("signer")) for s in (record.signatures or {}).get("signatures", [])
    )
    return f"Underskrifterna ogiltiga ({signers or 'inga'})"


def unlock_report(ctx: AppContext, report_id: int) -> Changes:
    """'Lås upp': a new version of the report, editable again; the signatures and the
    certification are void (kept in the change log)."""
    with ctx.uow() as uow:
        report = _load(uow, report_id)
        record = uow.reports.signing(report_id)
        if not record.locked:
            raise UserError(f"Redovisning {report_id} är inte låst.")
        uow.history.set_context(HistoryKind.UNLOCK, note=_void_note(record))
        version = uow.reports.new_version(report_id)
        void = dict(record.certification or {})
        if void:
            void[VOID_REASON_KEY] = (
                f"Redovisningen låstes upp (version {version}); intygandet gäller inte längre."
            )
        uow.reports.set_signing(report_id, False, void or None, None)
        uow.reports.set_status(report_id, Status.DRAFT, report.submitted_on)
        signers = ", ".join(
            f"{s.get('signer')} ({s.get('role')})"
            for s in (record.signatures or {}).get("signatures", [])
        )
        uow.reports.log(
            report_id,
            "unlocked",
            f"Upplåst som version {version}; underskrifterna ogiltiga ({signers or 'inga'})",
        )
        uow.commit()
    return Changes(status=True, reports=True)
