"""Verification of a report PDF, exactly as ``svf-report verify`` reports it and as the
RCC's inbox and the import of a signed file rely on it: each signature, the two roles and
their order, the embedded report document and the certification bound to it.

Every problem found is a ``domain.problems.Problem``: a code that callers decide by and a
Swedish sentence that is shown. Policy lives here, the cryptography in ``desktop_app.signing``."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import DocumentError, UserError
from desktop_app.domain.finance import ALT_NOT_CORRECT, Certification
from desktop_app.domain.problems import PROBLEM_CODES_KEY, Problem, ProblemCode, codes, texts
from desktop_app.domain.reference import load_reference
from desktop_app.domain.report import Report
from desktop_app.domain.rules import CriterionResult, evaluate_criteria
from desktop_app.domain.template import Template
from desktop_app.domain.vocabulary import CERTIFICATION_KEY, Role
from desktop_app.exchange.limits import InputLimitError, load_json_bounded
from desktop_app.services.exports import (
    CERTIFICATION_ATTACHMENT,
    CERTIFICATION_KIND,
    REPORT_ATTACHMENT,
    report_from_bytes,
)
from desktop_app.services.pdf_files import read_pdf, sha256_hex

ENV_TRUST_DIR = "SVF_TRUST_DIR"

# The key of the certification in a verification written as JSON: a published format.
CERTIFICATION_OUT_KEY = CERTIFICATION_KEY

MISSING_CERTIFICATION = "Ekonomichefens intygande (underskrift) saknas."
MISSING_REPRESENTATIVE = "Underskrift av behörig företrädare saknas."


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


@dataclass(frozen=True)
class SignatureBinding:
    """One signature as the RCC judges it: intact, trusted (chains to an anchor or is a
    registered certificate), bound (registered for the document's region in that role)."""

    role: Role | None
    signer_name: str
    cert_sha256: str
    intact: bool
    trusted: bool
    bound: bool
    registered_for: tuple[str, ...]  # the regions the certificate is registered for

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "signer": self.signer_name,
            "cert_sha256": self.cert_sha256,
            "intact": self.intact,
            "trusted": self.trusted,
            "bound": self.bound,
            "registered_for": list(self.registered_for),
        }


def bind_signatures(
    signatures: list[Any], region: str | None, register: Any
) -> tuple[list[SignatureBinding], bool | None]:
    """Each signature bound (or not) to ``region`` by the signer ``register``
    (services.signers.SignerRegister); and whether the two roles were signed by different
    keys (None when not both are there)."""
    out = []
    for s in signatures:
        pinned = register.pinned(s.cert_sha256) if register else False
        bound = bool(
            register
            and region
            and s.ok
            and s.role is not None
            and register.bound(region, s.role, s.cert_der, s.cert_sha256)
        )
        regions = tuple(register.regions_of(s.cert_der, s.cert_sha256)) if register else ()
        out.append(
            SignatureBinding(
                s.role,
                s.signer_name,
                s.cert_sha256,
                s.ok,
                s.ok and (s.trusted or pinned),
                bound,
                regions,
            )  # fmt: skip
        )
    certs = {s.cert_sha256 for s in signatures if s.role == Role.CERTIFICATION}
    reps = {s.cert_sha256 for s in signatures if s.role == Role.REPRESENTATIVE}
    distinct = (not (certs & reps)) if certs and reps else None
    return out, distinct


@dataclass(frozen=True)
class FileVerification:
    """Everything ``svf-report verify`` says about one file. ``issues`` make it invalid
    (exit 1); ``notes`` are for information (e.g. a self-signed certificate).

    ``issues`` are Problems (code and text); ``problems`` gives their Swedish texts as before,
    ``problem_codes`` their codes."""

    path: str
    readable: bool
    issues: list[Problem] = field(default_factory=list)
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
    bindings: list[SignatureBinding] = field(default_factory=list)
    distinct_keys: bool | None = None
    compilation: bool = False  # an RCC's compilation, signed in the RCC role

    @property
    def problems(self) -> list[str]:
        """The Swedish texts of ``issues``, in order."""
        return texts(self.issues)

    @property
    def problem_codes(self) -> list[ProblemCode]:
        """The codes of ``issues``, in order."""
        return codes(self.issues)

    def has(self, *wanted: ProblemCode) -> bool:
        """Whether any of ``wanted`` was found."""
        return any(p.code in wanted for p in self.issues)

    @property
    def certified(self) -> bool:
        """A valid certification signature is present."""
        return any(s.role == Role.CERTIFICATION and s.ok for s in self.signatures)

    @property
    def represented(self) -> bool:
        """A valid representative's signature is present."""
        return any(s.role == Role.REPRESENTATIVE and s.ok for s in self.signatures)

    @property
    def ok(self) -> bool:
        """Intact, and signed in both roles."""
        return self.readable and not self.issues

    @property
    def exit_code(self) -> int:
        """2 unreadable, 1 invalid, 0 valid (the exit code of ``svf-report verify``)."""
        return 2 if not self.readable else 0 if self.ok else 1

    def to_dict(self) -> dict[str, Any]:
        """As JSON (``verify --json`` and the inbox's stored verification): ``problems`` the
        texts as always, ``problem_codes`` beside them."""
        cert = self.certification
        return {
            "file": self.path,
            "readable": self.readable,
            "ok": self.ok,
            "exit_code": self.exit_code,
            "problems": self.problems,
            PROBLEM_CODES_KEY: [str(c) for c in self.problem_codes],
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
            CERTIFICATION_OUT_KEY: (
                {**cert.to_dict(), "matches_finance": self.certification_matches} if cert else None
            ),
            "criteria": [c.to_dict() for c in self.criteria],
            "bindings": [b.to_dict() for b in self.bindings],
            "distinct_keys": self.distinct_keys,
            "compilation": self.compilation,
        }


@dataclass
class _Found:
    """What one verification has found so far, in the order it was found."""

    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def problem(self, code: ProblemCode, text: str) -> None:
        self.problems.append(Problem(code, text))


def _check_signatures(sigs: list[Any], require_trusted: bool, found: _Found) -> None:
    """Each signature on its own: readable, intact, valid, nothing disallowed added after it;
    an untrusted certificate is a note unless ``require_trusted``."""
    for s in sigs:
        who = f"{s.role_label[:1].upper()}{s.role_label[1:]} ({s.signer_name or s.field_name})"
        if s.issue is not None:
            found.problem(s.issue.code, f"{who}: {s.issue.text}")
        elif not s.intact:
            found.problem(
                ProblemCode.SIGNATURE_BROKEN,
                f"{who}: underskriften är bruten – innehållet har ändrats efter underskriften.",
            )
        elif not s.valid:
            found.problem(
                ProblemCode.SIGNATURE_INVALID,
                f"{who}: underskriften är inte kryptografiskt giltig.",
            )
        elif not s.modifications_ok:
            found.problem(
                ProblemCode.MODIFIED_AFTER_SIGNATURE,
                f"{who}: filen har ändrats efter underskriften på ett sätt som inte är tillåtet.",
            )
        if s.role is None:
            found.notes.append(f"Underskriften i fältet {s.field_name} har ingen känd roll.")
        if s.ok and s.trust_issue is not None:
            text = f"{who}: {s.trust_issue.text}"
            if require_trusted:
                found.problem(s.trust_issue.code, text)
            else:
                found.notes.append(text)


def _check_roles(insp: Any, found: _Found) -> list[Any]:
    """Both roles present, once each, the finance chief first, nothing changed after the
    last signature. Returns the certification signatures."""
    certs = [s for s in insp.signatures if s.role == Role.CERTIFICATION]
    reps = [s for s in insp.signatures if s.role == Role.REPRESENTATIVE]
    if not certs:
        found.problem(ProblemCode.CERTIFICATION_MISSING, MISSING_CERTIFICATION)
    if not reps:
        found.problem(ProblemCode.REPRESENTATIVE_MISSING, MISSING_REPRESENTATIVE)
    # Bilaga 2: the representative signs what the finance chief has certified, so after it.
    if (
        certs
        and reps
        and min(r.signed_revision for r in reps) < max(c.signed_revision for c in certs)
    ):
        found.problem(
            ProblemCode.SIGNED_OUT_OF_ORDER,
            "Den behöriga företrädaren skrev under före ekonomichefens intygande.",
        )
    if insp.changed_after_last_signature:
        found.problem(
            ProblemCode.CHANGED_AFTER_LAST_SIGNATURE,
            "Filen har ändrats efter den sista underskriften.",
        )
    if len(certs) > 1 or len(reps) > 1:
        found.problem(ProblemCode.DUPLICATE_ROLE, "Filen har mer än en underskrift i samma roll.")
    return certs


def _data_signed(insp: Any, entry: Any, certs: list[Any]) -> bool:
    """Whether the report document (and the certification document, if any) lie in the
    revisions the finance chief's valid signature covers: data added later were not signed."""
    signed_cert = [c.signed_revision for c in certs if c.ok]
    if not signed_cert or entry.revision > min(signed_cert):
        return False
    cert_entry = insp.attachments.get(CERTIFICATION_ATTACHMENT)
    return cert_entry is None or cert_entry.revision <= min(signed_cert)


def _read_certification(
    files: dict[str, Any], report_doc: bytes, report: Report, found: _Found
) -> tuple[Certification | None, bool | None]:
    """The embedded certification and whether it matches the embedded finance figures; its
    problems go to ``found``."""
    entry = files.get(CERTIFICATION_ATTACHMENT)
    if entry is None:
        return None, None
    try:
        doc = load_json_bounded(entry.data, f"Intygandet ({CERTIFICATION_ATTACHMENT})")
        if not isinstance(doc, dict) or doc.get("document") != CERTIFICATION_KIND:
            raise ValueError("fel dokumenttyp")
        cert = Certification.from_dict(doc[CERTIFICATION_KEY])
    except (ValueError, KeyError, TypeError, AttributeError, OverflowError, InputLimitError):
        found.problem(
            ProblemCode.CERTIFICATION_DOCUMENT_UNREADABLE,
            f"Intygandet ({CERTIFICATION_ATTACHMENT}) i filen kan inte läsas.",
        )
        return None, None
    if doc.get("report_sha256") != sha256_hex(report_doc):
        found.problem(
            ProblemCode.CERTIFICATION_WRONG_REPORT,
            "Intygandet hör inte till den bifogade redovisningen (kontrollsumman stämmer inte).",
        )
    matches = cert.matches(report.finance)
    if not matches:
        found.problem(
            ProblemCode.CERTIFICATION_MISMATCH,
            "Intygandet är ogiltigt: de ekonomiska uppgifterna i filen är inte de som "
            "ekonomichefen intygade.",
        )
    return cert, matches


def _parse_report(data: bytes, found: _Found) -> tuple[Report, Template] | None:
    """The embedded report document, or None with its problem in ``found``."""
    try:
        return report_from_bytes(data)
    except DocumentError as exc:
        found.problem(ProblemCode.REPORT_UNREADABLE, str(exc))
    except UserError as exc:  # a template this installation does not have
        found.problem(ProblemCode.REPORT_TEMPLATE_UNAVAILABLE, str(exc))
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError, RecursionError):
        # A value the document reader did not expect (a date like 2024-02-30, a number too
        # large, a list where a text belongs): the document is not a readable report.
        found.problem(
            ProblemCode.REPORT_UNREADABLE,
            f"Redovisningens data ({REPORT_ATTACHMENT}) har ett ogiltigt värde (datum, tal "
            "eller text) och kan inte läsas.",
        )
    return None


def _check_report(insp: Any, certs: list[Any], today: date, found: _Found) -> dict[str, Any]:
    """The embedded report document: present, signed, readable; the certification bound to
    it; the criteria recomputed from its figures. Returns FileVerification's report fields."""
    entry = insp.attachments.get(REPORT_ATTACHMENT)
    if entry is None:
        found.problem(
            ProblemCode.REPORT_MISSING,
            f"Redovisningens data ({REPORT_ATTACHMENT}) saknas i filen.",
        )
        return {}
    if entry.copies > 1:
        found.problem(
            ProblemCode.REPORT_DUPLICATE,
            f"Filen har {entry.copies} bifogade filer med namnet {REPORT_ATTACHMENT}. En "
            "redovisning har bara en; en sådan fil kan läsas på två sätt och godtas inte.",
        )
        return {}
    result: dict[str, Any] = {"data_signed": _data_signed(insp, entry, certs)}
    if insp.last_signed_revision is not None and not result["data_signed"]:
        found.problem(
            ProblemCode.DATA_NOT_SIGNED,
            "Redovisningens data ligger utanför de undertecknade delarna av filen (de har "
            "lagts till eller ändrats efter ekonomichefens intygande).",
        )
    parsed = _parse_report(entry.data, found)
    if parsed is None:
        return result
    report, tpl = parsed
    try:
        region = load_reference().region(report.region_code)
    except UserError:
        found.problem(
            ProblemCode.REPORT_UNREADABLE,
            f"Redovisningen anger en okänd region ({str(report.region_code)[:20]}).",
        )
        return result
    before = len(found.problems)
    cert, matches = _read_certification(insp.attachments, entry.data, report, found)
    if certs and cert is None and len(found.problems) == before:
        found.problem(
            ProblemCode.CERTIFICATION_DOCUMENT_MISSING,
            f"Intygandet ({CERTIFICATION_ATTACHMENT}) saknas i filen.",
        )
    if cert is not None and cert.alternative == ALT_NOT_CORRECT:
        found.notes.append(
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
    return result


def verify_bytes(
    data: bytes,
    name: str,
    trust_dir: Path | None = None,
    today: date | None = None,
    require_trusted: bool = False,
    register: Any = None,
) -> FileVerification:
    """Verify one PDF held in memory; see ``verify_files``. ``register``: the RCC's signer
    register (services.signers.SignerRegister): its CAs are trust anchors too, and each
    signature is reported as bound to the document's region or not."""
    from desktop_app.signing import UnreadablePdfError, inspect_pdf

    anchors = register.anchors() if register is not None else ()
    try:
        insp = inspect_pdf(data, trust_dir, anchors)
    except UnreadablePdfError as exc:
        issue = Problem(ProblemCode.PDF_UNREADABLE, str(exc))
        return FileVerification(path=name, readable=False, issues=[issue])
    found = _Found(notes=list(insp.trust_notes))
    _check_signatures(insp.signatures, require_trusted, found)
    if _is_compilation(insp):
        return _compilation_verification(insp, name, found)
    certs = _check_roles(insp, found)
    result = _check_report(insp, certs, today or date.today(), found)
    bindings, distinct = bind_signatures(insp.signatures, result.get("region_code"), register)
    return FileVerification(
        bindings=bindings,
        distinct_keys=distinct,
        path=name,
        readable=True,
        # The same problem can be found twice (e.g. by two signatures); say it once.
        issues=list(dict.fromkeys(found.problems)),
        notes=list(dict.fromkeys(found.notes)),
        signatures=insp.signatures,
        revisions=insp.revisions,
        changed_after_last_signature=insp.changed_after_last_signature,
        **result,
    )


def _is_compilation(insp: Any) -> bool:
    from desktop_app.services.compilation_exports import COMPILATION_ATTACHMENT

    return COMPILATION_ATTACHMENT in insp.attachments and REPORT_ATTACHMENT not in insp.attachments


def _compilation_verification(insp: Any, name: str, found: _Found) -> FileVerification:
    """An RCC's compilation: signed once, in the RCC role, over its embedded data."""
    from desktop_app.services.compilation_exports import COMPILATION_ATTACHMENT

    rcc = [s for s in insp.signatures if s.role == Role.RCC]
    if not rcc:
        found.problem(ProblemCode.REPRESENTATIVE_MISSING, "RCC:s underskrift saknas.")
    elif insp.attachments[COMPILATION_ATTACHMENT].revision > min(s.signed_revision for s in rcc):
        found.problem(
            ProblemCode.DATA_NOT_SIGNED,
            "Sammanställningens data har lagts till efter RCC:s underskrift.",
        )
    if insp.changed_after_last_signature:
        found.problem(
            ProblemCode.CHANGED_AFTER_LAST_SIGNATURE,
            "Filen har ändrats efter den sista underskriften.",
        )
    found.notes.append("Filen är ett RCC:s sammanställning (svf-compilation.json).")
    return FileVerification(
        path=name,
        readable=True,
        issues=list(dict.fromkeys(found.problems)),
        notes=list(dict.fromkeys(found.notes)),
        signatures=insp.signatures,
        revisions=insp.revisions,
        changed_after_last_signature=insp.changed_after_last_signature,
        compilation=True,
    )


def _unreadable_file(path: Path, exc: OSError) -> FileVerification:
    if isinstance(exc, FileNotFoundError):
        issue = Problem(ProblemCode.FILE_NOT_FOUND, f"Filen {path} finns inte.")
    else:
        issue = Problem(ProblemCode.FILE_UNREADABLE, f"Filen {path} kan inte läsas.")
    return FileVerification(path=str(path), readable=False, issues=[issue])


def verify_files(
    paths: Iterable[Path | str],
    trust_dir: Path | None = None,
    today: date | None = None,
    require_trusted: bool = False,
    register: Any = None,
) -> list[FileVerification]:
    """Per file: each signature's integrity, coverage, signer, time, role and trust (CA
    certificates in ``trust_dir``; self-signed = intact but untrusted); that the embedded data
    lie inside the signed revisions and nothing after the last signature changes content;
    region, year and template; the criteria recomputed from the embedded figures; the
    certification alternative and whether it still matches the financial figures.

    Never raises for a bad file: an unreadable one has ``readable`` False (exit code 2). A
    trust folder that cannot be used raises KeyFileError: it is wrong for every file alike."""
    out = []
    for p in paths:
        path = Path(p)
        try:
            data = path.read_bytes()
        except OSError as exc:
            out.append(_unreadable_file(path, exc))
            continue
        out.append(verify_bytes(data, str(path), trust_dir, today, require_trusted, register))
    return out


@dataclass(frozen=True)
class PdfSummary:
    """What the finance chief sees before certifying: the report's embedded data, checked."""

    verification: FileVerification
    report: Report
    template: Template


def summarize_pdf(path: Path | str, today: date) -> PdfSummary:
    """Verify an exported (or certified) PDF and read its embedded report; UserError if the
    file is unreadable or carries no report."""
    v = verify_bytes(read_pdf(Path(path)), Path(path).name, today=today)
    if not v.readable or v.report_document is None:
        reason = "; ".join(v.problems) or "filen saknar redovisningens data"
        raise UserError(f"{Path(path).name} kan inte användas: {reason}.")
    report, tpl = report_from_bytes(v.report_document)
    return PdfSummary(v, report, tpl)
