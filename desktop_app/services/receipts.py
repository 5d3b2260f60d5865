"""Receipt and return (issue 11.6): for a counted file the RCC issues a *kvittens*, a small PDF
signed by the RCC that carries svf-kvittens.json (the report's document hash, region, year,
version, inbox status, remarks, received on, the RCC's name), or returns the report to the
region for completion with a reason (a kvittens of kind ``return``). The region's coordinator
imports it: the report then shows "Mottagen av RCC <namn> <datum>", or the reason and an offer
to unlock a new version.

A kvittens is refused (UserError, exit 2) when it is not a PDF, carries no kvittens, is not
signed, its signature is broken or the file was changed after it, its data lie outside the
signed part, or it names a report document this database never exported."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import UserError
from desktop_app.domain.reference import load_reference
from desktop_app.domain.vocabulary import InboxStatus, ReceiptKind, label
from desktop_app.services.bootstrap import AppContext
from desktop_app.services.exports import REPORT_ATTACHMENT
from desktop_app.services.history import record_receipt
from desktop_app.services.pdf_files import read_pdf, sha256_hex, write_pdf

# Agreement 2024, 4.2 and 5.3: the files the RCC counts in its compilation.
COUNTED = frozenset({InboxStatus.ACCEPTED, InboxStatus.ACCEPTED_WITH_REMARKS})

RECEIPT_ATTACHMENT = "svf-kvittens.json"
RECEIPT_DOCUMENT = "svf-redovisning/receipt"
RECEIPT_FIELD = "Kvittens_RCC"
SCHEMA_VERSION = 1


class ReceiptError(UserError):
    """A kvittens that cannot be issued or is refused on import (exit 2)."""


# ---------------------------------------------------------------- the RCC's side


@dataclass(frozen=True)
class IssuedReceipt:
    path: Path
    kind: ReceiptKind
    document: dict[str, Any]  # svf-kvittens.json as embedded
    signer_name: str

    @property
    def reason_given(self) -> bool:
        """A return for completion (with its reason)."""
        return self.kind == ReceiptKind.RETURN


def _remarks(entry: Any) -> list[str]:
    """What the RCC remarked on the file: the inbox's remarks where it keeps them, else the
    notes of its verification."""
    remarks = getattr(entry, "remarks", None)
    if remarks is None:
        remarks = entry.notes
    return [str(r) for r in remarks]


def _received_on(entry: Any) -> date:
    """The day the file arrived at the RCC (the inbox's received on, else its import day)."""
    received = getattr(entry, "received_on", None)
    if isinstance(received, date):
        return received
    return entry.received_at.date()


def _rcc_name(entry: Any) -> str:
    ref = load_reference()
    scope = getattr(entry, "scope", "")
    if any(c.id == scope for c in ref.rccs):
        return ref.rcc(scope).name
    return ref.rcc(ref.region(entry.region_code).rcc).name


def receipt_document(
    entry: Any, pdf: bytes, kind: ReceiptKind, reason: str | None, issued_on: date
) -> dict[str, Any]:
    """svf-kvittens.json for the inbox ``entry`` whose received file is ``pdf``."""
    from desktop_app.signing import read_attachments

    report = read_attachments(pdf).get(REPORT_ATTACHMENT)
    if report is None or not entry.region_code:
        raise ReceiptError(
            f"Filen {entry.file_name} innehåller ingen läsbar redovisning; det finns inget att "
            "kvittera eller återsända."
        )
    return {
        "document": RECEIPT_DOCUMENT,
        "schema_version": SCHEMA_VERSION,
        "kind": str(kind),
        "rcc": _rcc_name(entry),
        "region": entry.region_code,
        "region_name": entry.region_name,
        "year": entry.report_year,
        "version": entry.report_version,
        "report_sha256": report.sha256,
        "pdf_sha256": sha256_hex(pdf),
        "file": entry.file_name,
        "status": str(entry.status),
        "remarks": _remarks(entry),
        "reason": reason,
        "received_on": _received_on(entry).isoformat(),
        "issued_on": issued_on.isoformat(),
    }


def _content(doc: dict[str, Any]) -> Any:
    from desktop_app.exchange.receipt_pdf import ReceiptContent

    kind = ReceiptKind(doc["kind"])
    rows = [
        ("Region", f"{doc['region_name']} ({doc['region']})"),
        ("År och version", f"{doc['year']}, version {doc['version']}"),
        ("Mottagen av RCC", doc["received_on"]),
        ("Inkorgens status", label(doc["status"], InboxStatus)),
        ("Fil", doc["file"]),
        ("Redovisningens kontrollsumma", doc["report_sha256"]),
        ("Kvittensen utfärdad", doc["issued_on"]),
    ]
    if doc["remarks"]:
        rows.append(("Anmärkningar", "\n".join(doc["remarks"])))
    if kind == ReceiptKind.RETURN:
        rows.append(("Skäl", doc["reason"] or ""))
        text = (
            f"{doc['rcc']} återsänder redovisningen för komplettering. Rätta det som anges "
            "under Skäl, lås upp redovisningen som en ny version och skicka den på nytt."
        )
    else:
        text = (
            f"{doc['rcc']} har tagit emot redovisningen {doc['received_on']} och räknar den i "
            "sammanställningen till Socialstyrelsen."
        )
    return ReceiptContent(
        title=label(kind),
        rcc_name=doc["rcc"],
        region_name=doc["region_name"] or doc["region"],
        year=int(doc["year"]),
        version=int(doc["version"]),
        rows=rows,
        text=text,
        document_sha256=doc["report_sha256"],
    )


def issue_receipt(
    ctx: AppContext,
    entry_id: int,
    signer: Any,
    out: Path | str,
    reason: str | None = None,
    name: str | None = None,
) -> IssuedReceipt:
    """Write the kvittens for the inbox entry ``entry_id``, signed with ``signer`` (a
    desktop_app.signing.Signer): with ``reason`` a return for completion, else a receipt, which
    only a counted file gets."""
    from desktop_app.exchange.receipt_pdf import render_receipt_pdf
    from desktop_app.services.inbox import entry_file, get_entry
    from desktop_app.signing import Attachment, SignatureMeta, prepare_pdf, sign_pdf

    entry = get_entry(ctx, entry_id)
    kind = ReceiptKind.RETURN if reason is not None else ReceiptKind.RECEIPT
    if kind == ReceiptKind.RETURN and not reason.strip():  # type: ignore[union-attr]
        raise ReceiptError('Ange skälet till att redovisningen återsänds (--return "skäl").')
    if kind == ReceiptKind.RECEIPT and entry.status not in COUNTED:
        raise ReceiptError(
            f"Fil {entry_id} ({entry.file_name}) har status {entry.status_label.lower()} och "
            "räknas inte; en kvittens ges bara för en räknad fil. Återsänd den i stället med "
            "ett skäl."
        )
    doc = receipt_document(entry, entry_file(ctx, entry), kind, reason, ctx.today())
    data = (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    pdf = prepare_pdf(
        render_receipt_pdf(_content(doc)),
        [Attachment(RECEIPT_ATTACHMENT, data, f"{label(kind)}: {doc['rcc']} ({RECEIPT_DOCUMENT})")],
        {},
    )
    meta = SignatureMeta(
        field_name=RECEIPT_FIELD,
        reason=f"{doc['rcc']}: {label(kind).lower()} för {doc['region_name']} {doc['year']}",
        name=(name or signer.subject_name).strip(),
        location=doc["rcc"],
        certify=True,
    )
    write_pdf(Path(out), sign_pdf(pdf, signer, meta))
    return IssuedReceipt(Path(out), kind, doc, signer.subject_name)


# ---------------------------------------------------------------- the region's side


@dataclass(frozen=True)
class ReceiptCheck:
    """A kvittens read and verified: its document, who signed it, whether trusted."""

    document: dict[str, Any]
    signer_name: str
    trusted: bool
    file_sha256: str

    @property
    def kind(self) -> ReceiptKind:
        return ReceiptKind(self.document["kind"])


def _refuse(name: str, why: str) -> ReceiptError:
    return ReceiptError(f"Kvittensen {name} godtas inte: {why}")


_REQUIRED = ("kind", "rcc", "region", "year", "version", "report_sha256", "received_on")


def _parse(name: str, raw: bytes) -> dict[str, Any]:
    from desktop_app.exchange.limits import InputLimitError, load_json_bounded

    try:
        doc = load_json_bounded(raw, f"{RECEIPT_ATTACHMENT} i filen")
    except InputLimitError as exc:  # too large, too deep, a number too long
        raise _refuse(name, str(exc)) from None
    except ValueError:  # not UTF-8, not JSON
        raise _refuse(name, f"{RECEIPT_ATTACHMENT} i filen är inte giltig JSON.") from None
    if not isinstance(doc, dict) or doc.get("document") != RECEIPT_DOCUMENT:
        raise _refuse(name, "filen är ingen kvittens från SVF-redovisning.")
    missing = [k for k in _REQUIRED if doc.get(k) in (None, "")]
    if missing:
        raise _refuse(name, f"uppgifterna {', '.join(missing)} saknas i kvittensen.")
    try:
        ReceiptKind(doc["kind"])
        date.fromisoformat(doc["received_on"])
        int(doc["year"]), int(doc["version"])
    except (ValueError, TypeError):
        raise _refuse(
            name, "kvittensens uppgifter har fel form (typ, datum, år eller version)."
        ) from None
    return doc


def check_receipt(data: bytes, name: str, trust_dir: Path | None = None) -> ReceiptCheck:
    """Verify a kvittens: a PDF, one intact signature covering the kvittens's data, nothing
    changed afterwards; ReceiptError with the Swedish reason otherwise."""
    from desktop_app.signing import UnreadablePdfError, inspect_pdf

    try:
        insp = inspect_pdf(data, trust_dir)
    except UnreadablePdfError as exc:
        raise _refuse(name, f"{exc}") from None
    entry = insp.attachments.get(RECEIPT_ATTACHMENT)
    if entry is None:
        raise _refuse(name, f"filen innehåller ingen kvittens ({RECEIPT_ATTACHMENT} saknas).")
    if not insp.signatures:
        raise _refuse(name, "den är inte underskriven av RCC.")
    sig = insp.signatures[-1]
    if not all(s.ok for s in insp.signatures):
        raise _refuse(name, "underskriften är bruten eller filen har ändrats efter underskriften.")
    if insp.changed_after_last_signature or entry.revision > sig.signed_revision:
        raise _refuse(name, "kvittensens uppgifter ligger utanför den underskrivna delen av filen.")
    return ReceiptCheck(_parse(name, entry.data), sig.signer_name, sig.trusted, sha256_hex(data))


@dataclass(frozen=True)
class ReceiptImport:
    report_id: int
    kind: ReceiptKind
    line: str  # "Mottagen av RCC Norr 2024-09-20" / the return with its reason
    reason: str | None
    can_unlock: bool  # a return for a locked report: offer to unlock a new version
    already_imported: bool
    trusted: bool


def _find_report(uow: Any, doc: dict[str, Any], name: str) -> int:
    """The report the kvittens is for, by the document hash it names."""
    from desktop_app.storage.receipt_repository import ReceiptRepository

    sha = doc["report_sha256"]
    candidates = {rid for rid, _v in ReceiptRepository(uow.session).exported(sha)}
    for h in uow.reports.headers():
        if h.id in candidates:
            continue
        signatures = uow.reports.signing(h.id).signatures or {}
        if signatures.get("document_sha256") == sha:
            candidates.add(h.id)
    if len(candidates) == 1:
        return candidates.pop()
    if candidates:
        return max(candidates)  # the same document exported from two copies: the newest
    region = doc.get("region_name") or doc["region"]
    raise _refuse(
        name,
        f"den gäller en annan redovisning ({region} {doc['year']}, version {doc['version']}, "
        f"kontrollsumma {str(sha)[:16]}…): ingen redovisning i denna databas har exporterats "
        "med den kontrollsumman.",
    )


def receipt_line(kind: str, rcc: str, when: date | None, reason: str | None) -> str:
    """What the report shows of its latest kvittens."""
    day = when.isoformat() if when else ""
    if kind == ReceiptKind.RETURN:
        return f"Återsänd för komplettering av {rcc} {day}: {reason or ''}".rstrip(": ")
    return f"Mottagen av {rcc} {day}".rstrip()


def import_receipt(
    ctx: AppContext, path: Path | str, trust_dir: Path | None = None
) -> ReceiptImport:
    """Read a kvittens into the database, stored with the report it names."""
    from desktop_app.storage.receipt_repository import ReceiptRepository
    from desktop_app.storage.tables import ReceiptRow

    path = Path(path)
    data = read_pdf(path)
    check = check_receipt(data, path.name, trust_dir)
    doc = check.document
    received = date.fromisoformat(doc["received_on"])
    issued = date.fromisoformat(doc["issued_on"]) if doc.get("issued_on") else None
    with ctx.uow() as uow:
        report_id = _find_report(uow, doc, path.name)
        repo = ReceiptRepository(uow.session)
        already = repo.find_file(report_id, check.file_sha256) is not None
        if not already:
            repo.add(
                ReceiptRow(
                    report_id=report_id,
                    kind=str(check.kind),
                    rcc_name=str(doc["rcc"]),
                    report_version=int(doc["version"]),
                    document_sha256=str(doc["report_sha256"]),
                    inbox_status=doc.get("status"),
                    remarks_json=json.dumps(doc.get("remarks") or [], ensure_ascii=False),
                    reason=doc.get("reason"),
                    received_on=received,
                    issued_on=issued,
                    signer_name=check.signer_name,
                    trusted=check.trusted,
                    file_sha256=check.file_sha256,
                    data=data,
                    imported_at=datetime.now().replace(microsecond=0),
                )
            )
            line = receipt_line(check.kind, doc["rcc"], received, doc.get("reason"))
            uow.reports.log(report_id, "receipt", line)
            record_receipt(uow, report_id, check.kind, line, doc.get("reason"))
        locked = uow.reports.is_locked(report_id)
        uow.commit()
    return ReceiptImport(
        report_id=report_id,
        kind=check.kind,
        line=receipt_line(check.kind, doc["rcc"], received, doc.get("reason")),
        reason=doc.get("reason"),
        can_unlock=check.kind == ReceiptKind.RETURN and locked,
        already_imported=already,
        trusted=check.trusted,
    )


@dataclass(frozen=True)
class ReceiptState:
    """The newest kvittens of a report, as the report shows it."""

    kind: ReceiptKind
    line: str
    rcc_name: str
    received_on: date | None
    reason: str | None
    remarks: tuple[str, ...]
    report_version: int
    current: bool  # for the report's current version


def latest_receipt(ctx: AppContext, report_id: int) -> ReceiptState | None:
    """The newest kvittens imported for ``report_id``, or None."""
    from desktop_app.storage.receipt_repository import ReceiptRepository

    with ctx.uow() as uow:
        records = ReceiptRepository(uow.session).of_report(report_id)
        report = uow.reports.get(report_id)
    if not records or report is None:
        return None
    r = records[-1]
    return ReceiptState(
        kind=ReceiptKind(r.kind),
        line=receipt_line(r.kind, r.rcc_name, r.received_on, r.reason),
        rcc_name=r.rcc_name,
        received_on=r.received_on,
        reason=r.reason,
        remarks=tuple(r.remarks),
        report_version=r.report_version,
        current=r.report_version == report.version,
    )


def note_export(ctx_uow: Any, report_id: int, document_sha256: str, version: int) -> None:
    """Remember an exported document's hash (called inside the export's unit of work)."""
    from desktop_app.storage.receipt_repository import ReceiptRepository

    ReceiptRepository(ctx_uow.session).note_export(
        report_id, document_sha256, version, datetime.now().replace(microsecond=0)
    )


def is_receipt_pdf(path: Path | str) -> bool:
    """Whether the file is a PDF that carries a kvittens (to route a dropped file)."""
    from desktop_app.signing import UnreadablePdfError, read_attachments

    try:
        return RECEIPT_ATTACHMENT in read_attachments(Path(path).read_bytes())
    except (OSError, UnreadablePdfError):
        return False


# ---------------------------------------------------------------- where the report goes


@dataclass(frozen=True)
class RccAddress:
    """An RCC the region sends its report to, as the reference data has it. The reference
    data hold no postal or e-mail address that has been confirmed, only the RCC's own page
    (``source``); ``confirmed`` says whether this RCC is known to compile the region."""

    name: str
    source: str
    confirmed: bool
    note: str


def rcc_addresses(region_code: str) -> list[RccAddress]:
    """The region's RCC (and, where the reference data name two, both, unconfirmed)."""
    ref = load_reference()
    region = ref.region(region_code)
    ids = [region.rcc] + ([region.rcc_secondary] if region.rcc_secondary else [])
    two = len(ids) > 1
    out = []
    for rcc_id in ids:
        rcc = ref.rcc(rcc_id)
        out.append(
            RccAddress(
                name=rcc.name,
                source=rcc.source,
                confirmed=not two and "UNCONFIRMED" not in rcc.note,
                note=(
                    f"{region.name} hör till både {' och '.join(ref.rcc(i).name for i in ids)} "
                    "i referensdata; vilket RCC som sammanställer redovisningen är inte bekräftat."
                )
                if two
                else "",
            )
        )
    return out


__all__ = [
    "COUNTED",
    "RECEIPT_ATTACHMENT",
    "RECEIPT_FIELD",
    "IssuedReceipt",
    "ReceiptCheck",
    "ReceiptError",
    "ReceiptImport",
    "ReceiptState",
    "RccAddress",
    "check_receipt",
    "import_receipt",
    "is_receipt_pdf",
    "issue_receipt",
    "latest_receipt",
    "note_export",
    "rcc_addresses",
    "receipt_line",
]
