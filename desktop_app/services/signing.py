"""Certification, signature, verification and import of the signed PDF (issue 5).

The flow, like a partially signed transaction passed between offline wallets:
the coordinator exports (services.exports) → the finance chief certifies the PDF, anywhere, from
the JSON embedded in it (``certify_pdf``) → the authorised representative signs
(``sign_report_pdf``) → anyone verifies (``verify_files``) → the coordinator or the RCC imports it
(``import_signed_pdf``), which records the status and locks the report; ``unlock_report`` makes a
new version and voids the signatures.

Functions taking bytes need no database; those taking an AppContext do."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from desktop_app.domain.document import to_document
from desktop_app.domain.errors import UserError
from desktop_app.domain.finance import (
    ALT_CORRECT,
    ALT_NOT_CORRECT,
    Certification,
    certification_problems,
    finance_fingerprint,
)
from desktop_app.domain.reference import load_reference
from desktop_app.domain.report import STATUS_LABELS, Report, Status
from desktop_app.domain.rules import CriterionResult, evaluate_criteria
from desktop_app.domain.template import Template, load_template
from desktop_app.services.bootstrap import AppContext
from desktop_app.services.exports import (
    CERTIFICATION_ATTACHMENT,
    CERTIFICATION_KIND,
    REPORT_ATTACHMENT,
    render_document_pdf,
    report_from_bytes,
)
from desktop_app.services.reports import Changes, _load

ENV_TRUST_DIR = "SVF_TRUST_DIR"


MISSING_CERTIFICATION = "Ekonomichefens intygande (underskrift) saknas."
MISSING_REPRESENTATIVE = "Underskrift av behörig företrädare saknas."


class NotReadyError(UserError):
    """The file is not in the state this step needs (e.g. signing before certification)."""

    exit_code = 1


class CertificationRefused(UserError):
    """The certification form is incomplete (Alt 2 without deviation, bad e-mail …)."""

    exit_code = 1


class CertificationVoidError(UserError):
    """The certified figures are not those of the report: the certification is void."""

    exit_code = 1


class SignedImportError(UserError):
    """A signed PDF that cannot be imported (invalid, or not the report in the database)."""

    exit_code = 1


# ------------------------------------------------------------------ helpers


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read(path: Path) -> bytes:
    from desktop_app.signing import UnreadablePdfError

    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise UnreadablePdfError(f"Filen {path} finns inte.") from None
    except OSError as exc:
        raise UnreadablePdfError(f"Filen {path} kan inte läsas: {exc.strerror}.") from None


def _write(path: Path, data: bytes) -> None:
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise UserError(f"Filen {path} kan inte skrivas: {exc.strerror}.") from None


def _report_doc(data: bytes) -> bytes:
    from desktop_app.signing import read_attachments

    files = read_attachments(data)
    if REPORT_ATTACHMENT not in files:
        raise NotReadyError(
            "Filen innehåller ingen redovisning från SVF-redovisning (den bifogade filen "
            f"{REPORT_ATTACHMENT} saknas). Exportera redovisningen på nytt."
        )
    return files[REPORT_ATTACHMENT].data


def _now() -> datetime:
    return datetime.now().astimezone().replace(microsecond=0)


def default_trust_dir() -> Path | None:
    """The folder of trusted CA certificates: $SVF_TRUST_DIR, else 'betrodda-certifikat' in the
    user's settings folder when it exists, else none (every signer is then untrusted)."""
    env = os.environ.get(ENV_TRUST_DIR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    from desktop_app.storage.db import APP_NAME

    folder = Path(user_config_dir(APP_NAME, appauthor=False)) / "betrodda-certifikat"
    return folder if folder.is_dir() else None


# ------------------------------------------------------------ certification


@dataclass(frozen=True)
class CertificationRequest:
    """What the finance chief fills in (Bilaga 2, point 4)."""

    alternative: int
    name: str
    title: str
    phone: str
    email: str
    deviations: str = ""
    actions: str = ""

    def problems(self) -> list[str]:
        return certification_problems(
            self.alternative,
            self.name,
            self.title,
            self.phone,
            self.email,
            self.deviations,
            self.actions,
        )


def certification_document(report_doc: bytes, report: Report, cert: Certification) -> bytes:
    """The embedded svf-certification.json: the certification bound to the exact report
    document (its SHA-256) and to the financial figures (finance_sha256)."""
    doc = {
        "document": CERTIFICATION_KIND,
        "schema_version": 1,
        "report_sha256": _sha(report_doc),
        "region": report.region_code,
        "template": report.template_id,
        "version": report.version,
        "certification": cert.to_dict(),
    }
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _fmt_time(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M")


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
    missing (Alt 2 needs the deviation and the actions). An already certified or signed PDF
    can be certified again: the result is a new document, earlier signatures are not kept."""
    from desktop_app.exchange.pdf import render_appearance
    from desktop_app.signing import FieldSpot, SignatureMeta, sign_pdf
    from desktop_app.signing.verify import CERTIFICATION_FIELD

    problems = request.problems()
    if problems:
        raise CertificationRefused(
            "Intygandet kan inte göras:\n" + "\n".join(f"  – {p}" for p in problems)
        )
    report_doc = _report_doc(data)
    report, _tpl = report_from_bytes(report_doc)
    cert = Certification(
        alternative=request.alternative,
        name=request.name.strip(),
        title=request.title.strip(),
        phone=request.phone.strip(),
        email=request.email.strip(),
        certified_on=today,
        finance_sha256=finance_fingerprint(report.finance),
        deviations=request.deviations.strip() if request.alternative == ALT_NOT_CORRECT else "",
        actions=request.actions.strip() if request.alternative == ALT_NOT_CORRECT else "",
    )
    rendered = render_document_pdf(
        report_doc, today, cert, certification_document(report_doc, report, cert)
    )
    place = rendered.fields["certification"]
    now = now or _now()
    verdict = (
        "intygar att redovisningen under punkt 3 är korrekt"
        if cert.alternative == ALT_CORRECT
        else "bedömer inte att redovisningen under punkt 3 är korrekt"
    )
    appearance = render_appearance(
        place.width,
        place.height,
        [
            (
                0.0,
                [
                    (f"Elektroniskt undertecknad {_fmt_time(now)} av", False),
                    (signer.subject_name, True),
                    (f"Alt {cert.alternative}: {verdict}", False),
                ],
            )
        ],
    )
    region = load_reference().region(report.region_code)
    meta = SignatureMeta(
        field_name=CERTIFICATION_FIELD,
        reason=f"Ekonomichefens intygande (Alt {cert.alternative}) av den ekonomiska redovisningen",
        name=cert.name,
        location=region.name,
        contact=cert.email,
        certify=True,
        new_field=FieldSpot(place.page, place.box),
        appearance=appearance,
    )
    return sign_pdf(rendered.data, signer, meta)


def certify_file(
    in_path: Path, out_path: Path, signer: Any, request: CertificationRequest, today: date
) -> Path:
    """``certify_pdf`` from file to file."""
    _write(out_path, certify_pdf(_read(in_path), signer, request, today))
    return out_path


# ---------------------------------------------------------------- signature


def sign_report_pdf(
    data: bytes, signer: Any, name: str, today: date, now: datetime | None = None
) -> bytes:
    """The authorised representative's signature, added incrementally after the
    certification: the pre-placed field of point 5 gets the date, the signer and the name in
    clear text (its appearance) and the signature. The certification stays valid."""
    from desktop_app.exchange.pdf import (
        REPRESENTATIVE_COLUMNS,
        cumulative_shares,
        render_appearance,
    )
    from desktop_app.signing import SignatureMeta, inspect_pdf, sign_pdf
    from desktop_app.signing.sign import (
        ROLE_CERTIFICATION,
        ROLE_REPRESENTATIVE,
        signature_field_sizes,
    )
    from desktop_app.signing.verify import REPRESENTATIVE_FIELD

    if not name.strip():
        raise NotReadyError("Ange den behöriga företrädarens namn (namnförtydligande).")
    inspection = inspect_pdf(data)
    certs = [s for s in inspection.signatures if s.role == ROLE_CERTIFICATION]
    if not certs:
        raise NotReadyError(
            "Filen är inte intygad av ekonomichefen. Den behöriga företrädaren skriver under "
            "efter ekonomichefens intygande."
        )
    if not all(c.ok for c in certs) or inspection.changed_after_last_signature:
        raise NotReadyError(
            "Ekonomichefens intygande i filen är inte giltigt (filen har ändrats efter "
            "intygandet). Skriv inte under; be om en ny intygad fil."
        )
    if any(s.role == ROLE_REPRESENTATIVE for s in inspection.signatures):
        raise NotReadyError("Filen är redan underskriven av en behörig företrädare.")
    sizes = signature_field_sizes(data)
    if REPRESENTATIVE_FIELD not in sizes:
        raise NotReadyError("Filen saknar fältet för den behöriga företrädarens underskrift.")
    width, height = sizes[REPRESENTATIVE_FIELD]
    now = now or _now()
    shares = cumulative_shares(REPRESENTATIVE_COLUMNS)
    appearance = render_appearance(
        width,
        height,
        [
            (shares[0], [(today.isoformat(), True)]),
            (
                shares[1],
                [
                    (f"Elektroniskt undertecknad {_fmt_time(now)} av", False),
                    (signer.subject_name, True),
                ],
            ),
            (shares[2], [(name.strip(), True)]),
        ],
    )
    meta = SignatureMeta(
        field_name=REPRESENTATIVE_FIELD,
        reason=f"Behörig företrädare: {name.strip()} intygar att lämnade uppgifter är riktiga",
        name=name.strip(),
        appearance=appearance,
    )
    return sign_pdf(data, signer, meta)


def sign_file(in_path: Path, out_path: Path, signer: Any, name: str, today: date) -> Path:
    """``sign_report_pdf`` from file to file."""
    _write(out_path, sign_report_pdf(_read(in_path), signer, name, today))
    return out_path


# -------------------------------------------------------------- verification


@dataclass(frozen=True)
class FileVerification:
    """Everything ``svf-report verify`` says about one file. ``problems`` make it invalid
    (exit 1); ``notes`` are for information (e.g. a self-signed certificate)."""

    path: str
    readable: bool
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    signatures: list[Any] = field(default_factory=list)  # signing.SignatureCheck
    revisions: int = 0
    region_code: str | None = None
    region_name: str | None = None
    year: int | None = None
    template_id: str | None = None
    report_version: int | None = None
    report_status: str | None = None
    document_sha256: str | None = None
    data_signed: bool = False
    changed_after_last_signature: bool = False
    criteria: list[CriterionResult] = field(default_factory=list)
    certification: Certification | None = None
    certification_matches: bool | None = None
    report_document: bytes | None = None

    @property
    def certified(self) -> bool:
        return any(s.role == "certification" and s.ok for s in self.signatures)

    @property
    def represented(self) -> bool:
        return any(s.role == "representative" and s.ok for s in self.signatures)

    @property
    def ok(self) -> bool:
        """Intact, and signed in both roles."""
        return self.readable and not self.problems

    @property
    def exit_code(self) -> int:
        return 2 if not self.readable else 0 if self.ok else 1

    def to_dict(self) -> dict[str, Any]:
        cert = self.certification
        return {
            "file": self.path,
            "readable": self.readable,
            "ok": self.ok,
            "exit_code": self.exit_code,
            "problems": list(self.problems),
            "notes": list(self.notes),
            "revisions": self.revisions,
            "signatures": [s.to_dict() for s in self.signatures],
            "report": {
                "region": self.region_code,
                "region_name": self.region_name,
                "year": self.year,
                "template": self.template_id,
                "version": self.report_version,
                "status": self.report_status,
                "document_sha256": self.document_sha256,
            },
            "data_signed": self.data_signed,
            "changed_after_last_signature": self.changed_after_last_signature,
            "certification": (
                {**cert.to_dict(), "matches_finance": self.certification_matches} if cert else None
            ),
            "criteria": [c.to_dict() for c in self.criteria],
        }


def _read_certification(
    files: dict[str, Any], report_doc: bytes, report: Report
) -> tuple[Certification | None, bool | None, list[str]]:
    """The embedded certification, whether it matches the embedded finance figures, problems."""
    entry = files.get(CERTIFICATION_ATTACHMENT)
    if entry is None:
        return None, None, []
    try:
        doc = json.loads(entry.data.decode("utf-8"))
        if doc.get("document") != CERTIFICATION_KIND:
            raise ValueError("fel dokumenttyp")
        cert = Certification.from_dict(doc["certification"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None, None, [f"Intygandet ({CERTIFICATION_ATTACHMENT}) i filen kan inte läsas."]
    problems = []
    if doc.get("report_sha256") != _sha(report_doc):
        problems.append(
            "Intygandet hör inte till den bifogade redovisningen (kontrollsumman stämmer inte)."
        )
    matches = cert.matches(report.finance)
    if not matches:
        problems.append(
            "Intygandet är ogiltigt: de ekonomiska uppgifterna i filen är inte de som "
            "ekonomichefen intygade."
        )
    return cert, matches, problems


def verify_bytes(
    data: bytes,
    name: str,
    trust_dir: Path | None = None,
    today: date | None = None,
    require_trusted: bool = False,
) -> FileVerification:
    """Verify one PDF held in memory; see ``verify_files``."""
    from desktop_app.signing import UnreadablePdfError, inspect_pdf
    from desktop_app.signing.sign import ROLE_CERTIFICATION, ROLE_REPRESENTATIVE

    today = today or date.today()
    try:
        insp = inspect_pdf(data, trust_dir)
    except UnreadablePdfError as exc:
        return FileVerification(path=name, readable=False, problems=[str(exc)])
    problems: list[str] = []
    notes: list[str] = list(insp.trust_notes)
    sigs = insp.signatures
    for s in sigs:
        who = f"{s.role_label.capitalize()} ({s.signer_name or s.field_name})"
        if s.problem:
            problems.append(f"{who}: {s.problem}")
        elif not s.intact:
            problems.append(
                f"{who}: underskriften är bruten – innehållet har ändrats efter underskriften."
            )
        elif not s.valid:
            problems.append(f"{who}: underskriften är inte kryptografiskt giltig.")
        elif not s.modifications_ok:
            problems.append(
                f"{who}: filen har ändrats efter underskriften på ett sätt som inte är tillåtet."
            )
        if s.role is None:
            notes.append(f"Underskriften i fältet {s.field_name} har ingen känd roll.")
        if s.ok and s.trust_problem:
            (problems if require_trusted else notes).append(f"{who}: {s.trust_problem}")
    certs = [s for s in sigs if s.role == ROLE_CERTIFICATION]
    reps = [s for s in sigs if s.role == ROLE_REPRESENTATIVE]
    if not certs:
        problems.append(MISSING_CERTIFICATION)
    if not reps:
        problems.append(MISSING_REPRESENTATIVE)
    if (
        certs
        and reps
        and min(r.signed_revision for r in reps) < max(c.signed_revision for c in certs)
    ):
        problems.append("Den behöriga företrädaren skrev under före ekonomichefens intygande.")
    if insp.changed_after_last_signature:
        problems.append("Filen har ändrats efter den sista underskriften.")
    if len(certs) > 1 or len(reps) > 1:
        problems.append("Filen har mer än en underskrift i samma roll.")

    result: dict[str, Any] = {}
    entry = insp.attachments.get(REPORT_ATTACHMENT)
    last_signed = insp.last_signed_revision
    if entry is None:
        problems.append(f"Redovisningens data ({REPORT_ATTACHMENT}) saknas i filen.")
    else:
        signed_cert = [c.signed_revision for c in certs if c.ok]
        data_signed = bool(signed_cert) and entry.revision <= min(signed_cert)
        cert_entry = insp.attachments.get(CERTIFICATION_ATTACHMENT)
        if cert_entry is not None and signed_cert and cert_entry.revision > min(signed_cert):
            data_signed = False
        result["data_signed"] = data_signed
        if last_signed is not None and not data_signed:
            problems.append(
                "Redovisningens data ligger utanför de undertecknade delarna av filen (de har "
                "lagts till eller ändrats efter ekonomichefens intygande)."
            )
        try:
            report, tpl = report_from_bytes(entry.data)
        except UserError as exc:
            problems.append(str(exc))
        else:
            region = load_reference().region(report.region_code)
            cert, matches, cert_problems = _read_certification(insp.attachments, entry.data, report)
            if certs and cert is None and not cert_problems:
                problems.append(f"Intygandet ({CERTIFICATION_ATTACHMENT}) saknas i filen.")
            problems += cert_problems
            if cert is not None and cert.alternative == ALT_NOT_CORRECT:
                notes.append(
                    "Ekonomichefen bedömer inte att den ekonomiska redovisningen är korrekt "
                    f"(Alt 2). Avvikelse: {cert.deviations} Åtgärder: {cert.actions}"
                )
            result.update(
                region_code=report.region_code,
                region_name=region.name,
                year=tpl.year,
                template_id=tpl.id,
                report_version=report.version,
                report_status=str(report.status),
                document_sha256=entry.sha256,
                criteria=evaluate_criteria(report, tpl, today),
                certification=cert,
                certification_matches=matches,
                report_document=entry.data,
            )
    return FileVerification(
        path=name,
        readable=True,
        problems=list(dict.fromkeys(problems)),
        notes=list(dict.fromkeys(notes)),
        signatures=sigs,
        revisions=insp.revisions,
        changed_after_last_signature=insp.changed_after_last_signature,
        **result,
    )


def verify_files(
    paths: Iterable[Path | str],
    trust_dir: Path | None = None,
    today: date | None = None,
    require_trusted: bool = False,
) -> list[FileVerification]:
    """Per file: each signature's integrity, coverage, signer, time, role and trust (CA
    certificates in ``trust_dir``; self-signed = intact but untrusted); that the embedded data
    lie inside the signed revisions and nothing after the last signature changes content;
    region, year and template; the criteria recomputed from the embedded figures; the
    certification alternative and whether it still matches the financial figures.

    Never raises for a bad file: an unreadable one has ``readable`` False (exit code 2)."""
    from desktop_app.signing import KeyFileError

    out = []
    for p in paths:
        path = Path(p)
        try:
            data = path.read_bytes()
        except OSError as exc:
            reason = "finns inte" if isinstance(exc, FileNotFoundError) else "kan inte läsas"
            out.append(
                FileVerification(
                    path=str(path), readable=False, problems=[f"Filen {path} {reason}."]
                )
            )
            continue
        try:
            out.append(verify_bytes(data, str(path), trust_dir, today, require_trusted))
        except KeyFileError:
            raise  # a missing trust folder is a usage error for every file alike
    return out


# ------------------------------------------------------------------- import


@dataclass(frozen=True)
class SignedImport:
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


def import_signed_pdf(ctx: AppContext, path: Path | str, replace: bool = False) -> SignedImport:
    """Read a certified or signed PDF back: verify it, create the report from its embedded data
    or check it against the report in the database, record the certification and signatures,
    set the status (certified / signed) and lock the report.

    Refused (SignedImportError, CertificationVoidError) when the file is not intact, when the
    report in the database has changed since the export (unless ``replace``: then the signed
    content replaces it) and always when the financial figures differ from the certified ones."""
    from desktop_app.domain.document import from_document
    from desktop_app.signing import UnreadablePdfError

    path = Path(path)
    data = _read(path)
    v = verify_bytes(data, str(path), today=ctx.today())
    if not v.readable:
        raise UnreadablePdfError(v.problems[0] if v.problems else f"{path} kan inte läsas.")
    blocking = [p for p in v.problems if p != MISSING_REPRESENTATIVE]
    if blocking or not v.certified or v.report_document is None:
        raise SignedImportError(
            f"{path.name} kan inte läsas in:\n"
            + "\n".join(f"  – {p}" for p in blocking or v.problems)
        )
    assert v.certification is not None
    doc = json.loads(v.report_document.decode("utf-8"))
    tpl = load_template(doc["template"])
    signed_report = from_document(doc, tpl, path.name)
    status = Status.SIGNED if v.represented else Status.CERTIFIED
    with ctx.uow() as uow:
        report_id = uow.reports.find(signed_report.region_code, tpl.id)
        created = report_id is None
        if report_id is None:
            signed_report.status = status
            report_id = uow.reports.add(signed_report)
        else:
            current = _load(uow, report_id)
            _check_against(current, signed_report, v.certification, tpl, path.name, replace)
            record = uow.reports.signing(report_id)
            if record.locked and current.status == Status.SIGNED and status == Status.CERTIFIED:
                raise SignedImportError(
                    f"Redovisningen är redan underskriven; {path.name} har bara ekonomichefens "
                    "intygande och läses inte in."
                )
            if replace:
                signed_report.version = current.version
                uow.reports.replace_content(report_id, signed_report)
            uow.reports.set_status(report_id, status, current.submitted_on)
        uow.reports.set_signing(
            report_id,
            locked=True,
            certification=v.certification.to_dict(),
            signatures={
                "file": path.name,
                "file_sha256": _sha(data),
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
            },
        )
        label = STATUS_LABELS[status].lower()
        uow.reports.log(report_id, "signed_import", f"Inläst {label} från {path.name}; låst")
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


# -------------------------------------------------------------- lock / status


def unlock_report(ctx: AppContext, report_id: int) -> Changes:
    """'Lås upp': a new version of the report, editable again; the signatures and the
    certification are void (kept in the change log)."""
    with ctx.uow() as uow:
        report = _load(uow, report_id)
        record = uow.reports.signing(report_id)
        if not record.locked:
            raise UserError(f"Redovisning {report_id} är inte låst.")
        version = uow.reports.new_version(report_id)
        void = dict(record.certification or {})
        if void:
            void["void"] = (
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


CERT_NONE = "none"
CERT_VALID = "valid"
CERT_VOID = "void"


@dataclass(frozen=True)
class CertificationStatus:
    state: str  # none | valid | void
    message: str
    certification: Certification | None = None


def _judge(
    cert: Certification | None, report: Report, void_reason: str | None
) -> CertificationStatus:
    if cert is None:
        return CertificationStatus(CERT_NONE, "Den ekonomiska redovisningen är inte intygad.")
    who = f"{cert.name} ({cert.title}), {cert.certified_on.isoformat()}"
    if void_reason:
        return CertificationStatus(
            CERT_VOID,
            f"Intygandet av {who} är ogiltigt: {void_reason} Ett nytt intygande behövs.",
            cert,
        )
    if not cert.matches(report.finance):
        return CertificationStatus(
            CERT_VOID,
            f"Intygandet av {who} är ogiltigt: de ekonomiska uppgifterna har ändrats efter "
            "intygandet. Ett nytt intygande behövs.",
            cert,
        )
    alt = "Alt 1 – korrekt" if cert.alternative == ALT_CORRECT else "Alt 2 – inte korrekt"
    return CertificationStatus(CERT_VALID, f"Intygad av {who}: {alt}.", cert)


def certification_status(
    ctx: AppContext, report_id: int, pdf: Path | str | None = None
) -> CertificationStatus:
    """Whether the finance chief's certification holds for the report's current financial
    figures: the one recorded at import, or with ``pdf`` the one in that file. 'void' when
    the figures changed after the certification or the report was unlocked."""
    with ctx.uow() as uow:
        report = _load(uow, report_id)
        record = uow.reports.signing(report_id)
    if pdf is not None:
        v = verify_bytes(_read(Path(pdf)), str(pdf), today=ctx.today())
        if v.region_code is not None and (
            v.region_code != report.region_code or v.template_id != report.template_id
        ):
            raise UserError(
                f"{Path(pdf).name} gäller {v.region_name} {v.year}, inte den här redovisningen."
            )
        return _judge(v.certification, report, None)
    data = record.certification
    if not data:
        return _judge(None, report, None)
    return _judge(Certification.from_dict(data), report, data.get("void"))


@dataclass(frozen=True)
class SigningState:
    """For the screens: lock, status, certification and the recorded signatures."""

    locked: bool
    status: Status
    version: int
    certification: CertificationStatus
    signatures: list[dict[str, Any]]
    source_file: str | None


def signing_state(ctx: AppContext, report_id: int) -> SigningState:
    with ctx.uow() as uow:
        report = _load(uow, report_id)
        record = uow.reports.signing(report_id)
    cert = record.certification
    status = _judge(
        Certification.from_dict(cert) if cert else None, report, (cert or {}).get("void")
    )
    sigs = record.signatures or {}
    return SigningState(
        locked=record.locked,
        status=report.status,
        version=report.version,
        certification=status,
        signatures=list(sigs.get("signatures", [])),
        source_file=sigs.get("file"),
    )


def create_demo_certificate(name: str, out: Path | str, password: str) -> Any:
    """A self-signed certificate in a PKCS#12 file for trying the flow (svf-report demo-cert)."""
    from desktop_app.signing import make_demo_certificate

    return make_demo_certificate(name, password, Path(out))


__all__ = [
    "CertificationRefused",
    "CertificationRequest",
    "CertificationStatus",
    "CertificationVoidError",
    "FileVerification",
    "NotReadyError",
    "SignedImport",
    "SignedImportError",
    "SigningState",
    "certification_status",
    "certify_file",
    "certify_pdf",
    "create_demo_certificate",
    "default_trust_dir",
    "import_signed_pdf",
    "sign_file",
    "sign_report_pdf",
    "signing_state",
    "unlock_report",
    "verify_bytes",
    "verify_files",
]


# ------------------------------------------------------------ for the screens


def open_p12(path: Path | str, password: str) -> Any:
    """A signer from a PKCS#12 file (.p12/.pfx); the password is used once and not kept."""
    from desktop_app.signing import open_signer

    return open_signer(path, password)


def open_card(module: Path | str, token_label: str, pin: str, key_label: str) -> Any:
    """A signer on a smart card or other PKCS#11 token; close it when done."""
    from desktop_app.signing import open_pkcs11_signer

    return open_pkcs11_signer(module, token_label, pin, key_label)


@dataclass(frozen=True)
class PdfSummary:
    """What the finance chief sees before certifying: the report's embedded data, checked."""

    verification: FileVerification
    report: Report
    template: Template


def summarize_pdf(path: Path | str, today: date) -> PdfSummary:
    """Verify an exported (or certified) PDF and read its embedded report; UserError if the
    file is unreadable or carries no report."""
    from desktop_app.services.exports import report_from_bytes

    v = verify_bytes(_read(Path(path)), Path(path).name, today=today)
    if not v.readable or v.report_document is None:
        reason = "; ".join(v.problems) or "filen saknar redovisningens data"
        raise UserError(f"{Path(path).name} kan inte användas: {reason}.")
    report, tpl = report_from_bytes(v.report_document)
    return PdfSummary(v, report, tpl)
