"""Verification of the package to Socialstyrelsen (issue 11.7), as ``svf-report verify``
reports it: the RCC's approval signature (role RCC) intact and covering the compilation's
JSON, the manifest and every attached region report; each attached report's checksum as the
manifest names it; then each attached report verified in turn exactly as a report file is
(services.verification.verify_bytes).

A region report that was counted by an RCC officer's decision may lack a signature: that is
shown, but only a broken, tampered or unreadable attached report fails the package."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_app.domain.problems import ProblemCode
from desktop_app.services.compilation_exports import APPROVAL_FIELD, COMPILATION_ATTACHMENT
from desktop_app.services.package import PACKAGE_KIND, PACKAGE_MANIFEST
from desktop_app.services.pdf_files import sha256_hex
from desktop_app.services.verification import FileVerification, verify_bytes

ROLE_RCC = "RCC (godkännande av sammanställningen)"

# What makes an attached report fail the package: its content is not what was signed.
_TAMPERING = frozenset(
    {
        ProblemCode.PDF_UNREADABLE,
        ProblemCode.SIGNATURE_UNREADABLE,
        ProblemCode.SIGNATURE_UNCHECKABLE,
        ProblemCode.SIGNATURE_BROKEN,
        ProblemCode.SIGNATURE_INVALID,
        ProblemCode.MODIFIED_AFTER_SIGNATURE,
        ProblemCode.CHANGED_AFTER_LAST_SIGNATURE,
        ProblemCode.DATA_NOT_SIGNED,
        ProblemCode.REPORT_MISSING,
        ProblemCode.REPORT_UNREADABLE,
        ProblemCode.CERTIFICATION_WRONG_REPORT,
        ProblemCode.CERTIFICATION_MISMATCH,
    }
)


@dataclass(frozen=True)
class PackageVerification:
    """What ``svf-report verify`` says about a package."""

    path: str
    readable: bool
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rcc_name: str | None = None
    year: int | None = None
    signer_name: str | None = None
    signing_time: Any = None
    trusted: bool = False
    reports: list[tuple[str, FileVerification]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.readable and not self.problems

    @property
    def exit_code(self) -> int:
        return 2 if not self.readable else 0 if self.ok else 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.path,
            "kind": PACKAGE_KIND,
            "role": ROLE_RCC,
            "readable": self.readable,
            "ok": self.ok,
            "exit_code": self.exit_code,
            "problems": list(self.problems),
            "notes": list(self.notes),
            "rcc": self.rcc_name,
            "year": self.year,
            "signer": self.signer_name,
            "signing_time": self.signing_time.isoformat() if self.signing_time else None,
            "trusted": self.trusted,
            "reports": [{"attachment": n, **v.to_dict()} for n, v in self.reports],
        }


def is_package(data: bytes) -> bool:
    """Whether ``data`` is a PDF carrying a package manifest."""
    from desktop_app.signing import UnreadablePdfError, read_attachments

    try:
        return PACKAGE_MANIFEST in read_attachments(data)
    except UnreadablePdfError:
        return False


def _manifest(insp: Any, problems: list[str]) -> dict[str, Any]:
    from desktop_app.exchange.limits import InputLimitError, load_json_bounded

    try:
        doc = load_json_bounded(insp.attachments[PACKAGE_MANIFEST].data, PACKAGE_MANIFEST)
    except InputLimitError as exc:  # too large, too deep, a number too long
        problems.append(str(exc))
        doc = None
    except ValueError:  # not UTF-8, not JSON
        doc = None
    if not isinstance(doc, dict) or doc.get("document") != PACKAGE_KIND:
        problems.append(f"Paketets innehållsförteckning ({PACKAGE_MANIFEST}) kan inte läsas.")
        return {}
    return doc


def _check_signature(insp: Any, problems: list[str], require_trusted: bool) -> Any:
    sig = next((s for s in insp.signatures if s.field_name == APPROVAL_FIELD), None)
    if sig is None:
        problems.append("RCC:s underskrift av paketet saknas.")
        return None
    if not sig.ok:
        problems.append(
            f"RCC:s underskrift ({sig.signer_name or sig.field_name}) är bruten eller filen har "
            "ändrats efter underskriften."
        )
    if insp.changed_after_last_signature:
        problems.append("Paketet har ändrats efter RCC:s underskrift.")
    if require_trusted and sig.ok and sig.trust_issue is not None:
        problems.append(f"RCC:s underskrift: {sig.trust_issue.text}")
    for name in (COMPILATION_ATTACHMENT, PACKAGE_MANIFEST):
        entry = insp.attachments.get(name)
        if entry is None:
            problems.append(f"{name} saknas i paketet.")
        elif entry.revision > sig.signed_revision:
            problems.append(f"{name} har lagts till efter RCC:s underskrift.")
    return sig


def _check_reports(
    insp: Any,
    manifest: dict[str, Any],
    sig: Any,
    trust_dir: Path | None,
    require_trusted: bool,
    found: tuple[list[str], list[str]],
) -> list[tuple[str, FileVerification]]:
    problems, notes = found
    out = []
    for item in manifest.get("reports") or []:
        name = str(item.get("file", ""))
        entry = insp.attachments.get(name)
        if entry is None:
            problems.append(f"Den bifogade redovisningen {name} saknas i paketet.")
            continue
        if sig is not None and entry.revision > sig.signed_revision:
            problems.append(f"{name} har lagts till efter RCC:s underskrift.")
        if sha256_hex(entry.data) != item.get("sha256"):
            problems.append(f"{name}: kontrollsumman stämmer inte med paketets förteckning.")
        if item.get("registered_by_rcc"):
            # Issue 11.5: came in another form (PDF or Word) and registered by the RCC: no
            # signature of the region to verify; covered by the RCC's signature and checksum.
            notes.append(f"{name}: registrerad av RCC (kom in på annat sätt), ingen underskrift.")
            continue
        v = verify_bytes(entry.data, name, trust_dir, require_trusted=require_trusted)
        out.append((name, v))
        bad = [p.text for p in v.issues if p.code in _TAMPERING] if v.readable else v.problems
        problems.extend(f"{name}: {t}" for t in bad)
        notes.extend(f"{name}: {p.text}" for p in v.issues if p.code not in _TAMPERING)
    return out


def verify_package(
    data: bytes, name: str, trust_dir: Path | None = None, require_trusted: bool = False
) -> PackageVerification:
    """Verify a package held in memory (see the module's docstring)."""
    from desktop_app.signing import UnreadablePdfError, inspect_pdf

    try:
        insp = inspect_pdf(data, trust_dir)
    except UnreadablePdfError as exc:
        return PackageVerification(path=name, readable=False, problems=[str(exc)])
    problems: list[str] = []
    notes: list[str] = list(insp.trust_notes)
    sig = _check_signature(insp, problems, require_trusted)
    manifest = _manifest(insp, problems) if PACKAGE_MANIFEST in insp.attachments else {}
    reports = _check_reports(insp, manifest, sig, trust_dir, require_trusted, (problems, notes))
    if sig is not None and sig.ok and sig.trust_issue is not None and not require_trusted:
        notes.append(f"RCC:s underskrift: {sig.trust_issue.text}")
    return PackageVerification(
        path=name,
        readable=True,
        problems=list(dict.fromkeys(problems)),
        notes=list(dict.fromkeys(notes)),
        rcc_name=manifest.get("rcc_name"),
        year=manifest.get("year"),
        signer_name=sig.signer_name if sig else None,
        signing_time=sig.signing_time if sig else None,
        trusted=bool(sig and sig.trusted),
        reports=reports,
    )


def verify_package_file(
    path: Path, trust_dir: Path | None = None, require_trusted: bool = False
) -> PackageVerification:
    """Verify the package in ``path``."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return PackageVerification(
            path=str(path), readable=False, problems=[f"Filen {path} kan inte läsas."]
        )
    return verify_package(data, str(path), trust_dir, require_trusted)


def extract_report(data: bytes, attachment: str) -> bytes:
    """The bytes of one attached region report, exactly as attached."""
    from desktop_app.signing import read_attachments

    files = read_attachments(data)
    if attachment not in files:
        from desktop_app.domain.errors import UserError

        raise UserError(f"Paketet har ingen bifogad fil som heter {attachment}.")
    return files[attachment].data


__all__ = [
    "ROLE_RCC",
    "PackageVerification",
    "extract_report",
    "is_package",
    "verify_package",
    "verify_package_file",
]
