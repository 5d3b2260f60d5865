"""Verify the signatures of a PDF and read the files embedded in it, with the revision each
lies in, so that a caller can tell whether the data were signed.

Results are our own dataclasses; nothing of pyHanko leaves this module."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop_app.domain.problems import Problem, ProblemCode
from desktop_app.domain.vocabulary import Role, label
from desktop_app.signing.certs import load_trust_roots
from desktop_app.signing.errors import UnreadablePdfError
from desktop_app.signing.pdf_guard import name_tree_leaves

# The signature fields the application creates; their names carry the role.
CERTIFICATION_FIELD = "Intygande_ekonomichef"
REPRESENTATIVE_FIELD = "Underskrift_behorig_foretradare"
# The RCC approves its compilation in this field (services.compilation_exports).
RCC_APPROVAL_FIELD = "Godkannande_RCC"
ROLE_OF_FIELD = {
    CERTIFICATION_FIELD: Role.CERTIFICATION,
    REPRESENTATIVE_FIELD: Role.REPRESENTATIVE,
    RCC_APPROVAL_FIELD: Role.RCC,
}
# Fallback for signatures made with other tools in fields of other names: the /Reason. These
# are the beginnings of the reasons services.certification and services.representative write
# into the signature, a protocol of the file, so they stay here rather than following the
# screens' labels (rewording a label must not stop old files from being recognised).
REASON_PREFIX = {
    "ekonomichefens intygande": Role.CERTIFICATION,
    "behörig företrädare": Role.REPRESENTATIVE,
}
UNKNOWN_ROLE_LABEL = "okänd roll"

COVERAGE_ENTIRE_FILE = "entire_file"
COVERAGE_ENTIRE_REVISION = "entire_revision"
COVERAGE_PARTIAL = "partial"


@dataclass(frozen=True)
class SignatureCheck:
    """One signature as verified.

    ``intact``: the signed bytes are unchanged; ``valid``: the signature itself is correct;
    ``trusted``: the certificate chains to a root in the trust folder; ``modifications_ok``:
    what was added after this signature is allowed (further signatures, filling their fields);
    ``signed_revision``: 0-based index of the file revision the signature covers;
    ``trust_issue``: why the certificate is not trusted; ``issue``: why the signature could
    not be read or checked at all (both domain.problems.Problem, code and Swedish text)."""

    field_name: str
    role: Role | None
    signer_name: str
    issuer_name: str
    claimed_name: str | None
    reason: str | None
    signing_time: datetime | None
    intact: bool
    valid: bool
    trusted: bool
    self_signed: bool
    trust_issue: Problem | None
    coverage: str
    signed_revision: int
    modification: str | None
    modifications_ok: bool
    certifies_document: bool
    cert_sha256: str
    issue: Problem | None = None  # the signature could not be read or checked at all
    cert_der: bytes = b""  # the signer's certificate (DER), for binding it to a region

    @property
    def ok(self) -> bool:
        """Intact, cryptographically valid, and nothing disallowed added afterwards."""
        return self.issue is None and self.intact and self.valid and self.modifications_ok

    @property
    def problem(self) -> str | None:
        """The Swedish text of ``issue`` (why the signature could not be checked)."""
        return self.issue.text if self.issue else None

    @property
    def trust_problem(self) -> str | None:
        """The Swedish text of ``trust_issue`` (why the certificate is not trusted)."""
        return self.trust_issue.text if self.trust_issue else None

    @property
    def role_label(self) -> str:
        """The role in Swedish ("ekonomichefens intygande" …), "okänd roll" without one."""
        return label(self.role) if self.role is not None else UNKNOWN_ROLE_LABEL

    def to_dict(self) -> dict[str, Any]:
        """As JSON: the texts under the keys of old ("problem", "trust_problem"), their codes
        beside them, so that stored verifications keep their shape."""
        d: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "cert_der":
                continue  # bytes; the certificate is identified by cert_sha256
            if f.name == "issue":
                d["problem"] = self.problem
            elif f.name == "trust_issue":
                d["trust_problem"] = self.trust_problem
            elif f.name == "signing_time":
                d[f.name] = value.isoformat() if value else None
            else:
                d[f.name] = value
        d["ok"] = self.ok
        d["problem_code"] = self.issue.code if self.issue else None
        d["trust_problem_code"] = self.trust_issue.code if self.trust_issue else None
        return d


@dataclass(frozen=True)
class EmbeddedFile:
    name: str
    data: bytes
    description: str
    revision: int  # 0-based revision in which the file (or its reference) last changed
    # How many entries of the name tree carry this name: more than one is a file that could be
    # read two ways (one program takes the first, another the last), so it is refused.
    copies: int = 1

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class PdfInspection:
    revisions: int
    signatures: list[SignatureCheck]
    attachments: dict[str, EmbeddedFile]
    empty_signature_fields: list[str]
    trust_notes: list[str] = field(default_factory=list)
    # The document information dictionary (/Info: title, author, subject …) as each revision
    # has it, which pyHanko's difference analysis does not look at. The dates and the
    # producer are left out: every incremental save rewrites them, signature maintenance too.
    info_history: tuple[tuple[tuple[str, str], ...], ...] = ()
    # Bytes after the end of the last revision (its %%EOF) other than whitespace: nothing a
    # signature covers and nothing a conforming reader reads, but a lenient one that rebuilds
    # the cross-references does (objects appended without an xref redefine the signed ones).
    trailing_data: bool = False

    @property
    def last_signed_revision(self) -> int | None:
        return max((s.signed_revision for s in self.signatures), default=None)

    @property
    def changed_after_last_signature(self) -> bool:
        """True when something other than signature maintenance (DSS, document timestamps)
        was added after the last signature."""
        if not self.signatures:
            return False
        if self.trailing_data:
            return True
        last = max(self.signatures, key=lambda s: s.signed_revision)
        history = self.info_history
        if (
            0 <= last.signed_revision < len(history)
            and history[-1] != history[last.signed_revision]
        ):
            return True  # /Info replaced or edited after the last signature
        if last.coverage == COVERAGE_ENTIRE_FILE:
            return False
        return last.modification not in ("none", "lta_updates")


# Keys of /Info that every incremental save may rewrite (pyHanko sets them on each write).
_INFO_MAINTENANCE = frozenset({"/ModDate", "/Producer"})


def _info_history(reader: Any) -> tuple[tuple[tuple[str, str], ...], ...]:
    """/Info per revision (0-based), without the keys every save rewrites; () when the
    trailer cannot be read (the signatures' own checks report the damage)."""
    from pyhanko.pdf_utils import generic

    try:
        out = []
        for rev in range(int(reader.xrefs.total_revisions)):
            resolver = reader.get_historical_resolver(rev)
            trailer = resolver.trailer_view
            info = trailer.raw_get("/Info") if "/Info" in trailer else {}
            if isinstance(info, generic.IndirectObject):
                # Resolved as that revision has it: an /Info object rewritten in place by a
                # later revision would otherwise read the same in every revision.
                info = resolver.get_object(info.reference)
            out.append(
                tuple(
                    sorted((str(k), str(info[k])) for k in info if str(k) not in _INFO_MAINTENANCE)
                )
            )
        return tuple(out)
    except Exception:
        return ()


# What PDF counts as white space (ISO 32000-1, 7.2.2): NUL, TAB, LF, FF, CR, SPACE.
_PDF_WHITESPACE = b"\x00\t\n\x0c\r "


def _trailing_data(data: bytes, reader: Any) -> bool:
    """Whether anything but white space follows the %%EOF that ends the last revision."""
    try:
        last = int(reader.xrefs.total_revisions) - 1
        end = reader.xrefs.get_xref_container_info(last).end_location
    except Exception:
        return False  # the xrefs cannot be read: the signatures' own checks report it
    eof = data.find(b"%%EOF", end)
    if eof < 0:
        return True
    return bool(data[eof + len(b"%%EOF") :].strip(_PDF_WHITESPACE))


def _reader(data: bytes) -> Any:
    from pyhanko.pdf_utils.reader import PdfFileReader

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise UnreadablePdfError("Filen är ingen PDF.")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        reader.root  # noqa: B018 - parse the trailer and catalog now
    except Exception as exc:
        # pyHanko's own text is English and technical: the user gets the Swedish sentence.
        raise UnreadablePdfError(
            "PDF-filen kan inte läsas: dess struktur (objekt, korsreferenser) är skadad eller "
            "ofullständig."
        ) from exc
    return reader


def _raw(container: Any, key: str, refs: list[Any]) -> Any:
    """``container[key]`` resolved; its reference noted when it is an indirect object."""
    from pyhanko.pdf_utils import generic

    value = container.raw_get(key)
    if isinstance(value, generic.IndirectObject):
        refs.append(value.reference)
        return value.get_object()
    return value


def _attachments(reader: Any) -> dict[str, EmbeddedFile]:
    """Embedded files with the last revision that touched any object on the way to them
    (name tree, file specification, stream): a later revision that swaps the data shows."""
    from pyhanko.pdf_utils import generic

    xrefs = reader.xrefs
    refs: list[Any] = []
    try:
        names = _raw(reader.root, "/Names", refs)
        tree = _raw(names, "/EmbeddedFiles", refs)
    except Exception:  # missing, or damaged objects (PdfReadError): no attachments
        return {}
    if not isinstance(reader.root.raw_get("/Names"), generic.IndirectObject):
        refs.append(reader.root_ref)  # a direct /Names dict lives in the catalog itself
    out: dict[str, EmbeddedFile] = {}
    for name, spec_value, path in name_tree_leaves(tree, refs):
        try:
            chain = list(path)
            if isinstance(spec_value, generic.IndirectObject):
                chain.append(spec_value.reference)
            spec = spec_value.get_object()
            stream = _raw(spec["/EF"], "/F", chain)
            data = stream.data
            description = str(spec.get("/Desc", ""))
            revision = max((xrefs.get_last_change(r) for r in chain), default=0)
        except Exception:  # a damaged entry is reported as missing by the caller
            continue
        if name in out:
            out[name] = replace(out[name], copies=out[name].copies + 1)
            continue  # the first is kept, and marked: the callers refuse such a file
        out[name] = EmbeddedFile(name=name, data=data, description=description, revision=revision)
    return out


def read_attachments(data: bytes) -> dict[str, EmbeddedFile]:
    """The files embedded in a PDF by name. Raises UnreadablePdfError for a non-PDF."""
    return _attachments(_reader(data))


_MODIFICATION = {
    "NONE": "none",
    "LTA_UPDATES": "lta_updates",
    "FORM_FILLING": "form_filling",
    "ANNOTATIONS": "annotations",
    "OTHER": "other",
}


# pyHanko's trust problem indications (by name) → our code and sentence.
_TRUST_PROBLEMS: tuple[tuple[frozenset[str], ProblemCode, str], ...] = (
    (
        frozenset({"NO_CERTIFICATE_CHAIN_FOUND", "CERTIFICATE_CHAIN_GENERAL_FAILURE"}),
        ProblemCode.CERTIFICATE_UNTRUSTED,
        "Certifikatet kedjar inte till något betrott rotcertifikat i mappen med betrodda "
        "certifikat.",
    ),
    (
        frozenset({"REVOKED", "REVOKED_NO_POE", "REVOKED_CA_NO_POE"}),
        ProblemCode.CERTIFICATE_REVOKED,
        "Certifikatet är spärrat.",
    ),
    (
        frozenset({"EXPIRED", "OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED"}),
        ProblemCode.CERTIFICATE_EXPIRED,
        "Certifikatet har gått ut eller var inte giltigt vid underskriften.",
    ),
    (
        frozenset({"NOT_YET_VALID"}),
        ProblemCode.CERTIFICATE_NOT_YET_VALID,
        "Certifikatet är inte giltigt ännu.",
    ),
    (
        frozenset({"SIG_CONSTRAINTS_FAILURE", "CHAIN_CONSTRAINTS_FAILURE"}),
        ProblemCode.CERTIFICATE_KEY_USAGE,
        "Certifikatet är inte avsett för underskrifter (nyckelanvändning).",
    ),
)


def _trust_problem(status: Any, self_signed: bool) -> Problem | None:
    if status.trusted:
        return None
    if self_signed:
        return Problem(
            ProblemCode.CERTIFICATE_SELF_SIGNED,
            "Självsignerat certifikat: underskriften är intakt, men certifikatet är inte "
            "utfärdat av någon betrodd utfärdare.",
        )
    indic = getattr(status.trust_problem_indic, "name", None)
    for names, code, text in _TRUST_PROBLEMS:
        if indic in names:
            return Problem(code, text)
    return Problem(
        ProblemCode.CERTIFICATE_UNVALIDATED,
        f"Certifikatet kunde inte valideras ({indic or 'okänt skäl'}).",
    )


def _role(field_name: str, reason: str | None) -> Role | None:
    if field_name in ROLE_OF_FIELD:
        return ROLE_OF_FIELD[field_name]
    r = (reason or "").strip().lower()
    return next((role for prefix, role in REASON_PREFIX.items() if r.startswith(prefix)), None)


def _check(emb: Any, vc: Any) -> SignatureCheck:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    from desktop_app.signing.signer import _common_name

    reason = emb.sig_object.get("/Reason")
    reason = str(reason) if reason is not None else None
    claimed = emb.sig_object.get("/Name")
    claimed = str(claimed) if claimed is not None else None
    cert = emb.signer_cert
    self_signed = cert.subject == cert.issuer
    status = validate_pdf_signature(emb, vc)
    coverage = {
        SignatureCoverageLevel.ENTIRE_FILE: COVERAGE_ENTIRE_FILE,
        SignatureCoverageLevel.ENTIRE_REVISION: COVERAGE_ENTIRE_REVISION,
    }.get(status.coverage, COVERAGE_PARTIAL)
    level = status.modification_level
    modification = _MODIFICATION.get(level.name, "other") if level is not None else None
    modifications_ok = bool(status.docmdp_ok) and coverage != COVERAGE_PARTIAL
    return SignatureCheck(
        field_name=str(emb.field_name),
        role=_role(str(emb.field_name), reason),
        signer_name=_common_name(cert),
        issuer_name=_common_name(cert, issuer=True),
        claimed_name=claimed,
        reason=reason,
        signing_time=emb.self_reported_timestamp,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        self_signed=self_signed,
        trust_issue=_trust_problem(status, self_signed),
        coverage=coverage,
        signed_revision=int(emb.signed_revision),
        modification=modification,
        modifications_ok=modifications_ok,
        certifies_document=emb.docmdp_level is not None,
        cert_sha256=hashlib.sha256(cert.dump()).hexdigest(),
        cert_der=cert.dump(),
    )


def _broken(field_name: str, issue: Problem) -> SignatureCheck:
    return SignatureCheck(
        field_name=field_name,
        role=_role(field_name, None),
        signer_name="",
        issuer_name="",
        claimed_name=None,
        reason=None,
        signing_time=None,
        intact=False,
        valid=False,
        trusted=False,
        self_signed=False,
        trust_issue=None,
        coverage=COVERAGE_PARTIAL,
        signed_revision=-1,
        modification=None,
        modifications_ok=False,
        certifies_document=False,
        cert_sha256="",
        issue=issue,
    )


def _data_beside_signature(emb: Any) -> Problem | None:
    """The /Contents of a signature holds the CMS structure and zeros after it (room left
    when the file was signed); those bytes are the one part of a signed file no signature
    covers. Anything but zeros there is data slipped in after signing."""
    from asn1crypto import cms

    try:
        contents = bytes(emb.sig_object["/Contents"])
        used = len(cms.ContentInfo.load(contents, strict=False).dump(force=False))
    except Exception:
        return None  # unreadable: _check reports it
    if contents[used:].strip(b"\x00"):
        return Problem(
            ProblemCode.SIGNATURE_INVALID,
            "Underskriftens fält innehåller data utöver själva underskriften (tillagda efter "
            "underskriften).",
        )
    return None


def inspect_pdf(
    data: bytes, trust_dir: Path | None = None, extra_roots: tuple[bytes, ...] = ()
) -> PdfInspection:
    """Verify every signature and read the embedded files with their revisions.
    ``extra_roots``: more trust anchors (DER), e.g. the CAs of the RCC's signer register.

    Raises UnreadablePdfError when ``data`` is not a readable PDF; a damaged signature is
    reported in its SignatureCheck instead."""
    from pyhanko.sign.fields import enumerate_sig_fields
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
    from pyhanko_certvalidator import ValidationContext

    reader = _reader(data)
    roots, notes = load_trust_roots(trust_dir)
    roots = roots + _extra_roots(extra_roots)
    checks: list[SignatureCheck] = []
    empty: list[str] = []
    try:
        fields = list(enumerate_sig_fields(reader))
    except Exception as exc:
        raise UnreadablePdfError(
            "Signaturfälten i PDF-filen kan inte läsas: de är skadade eller ofullständiga."
        ) from exc
    for name, value, field_ref in fields:
        if value is None:
            empty.append(str(name))
            continue
        try:
            emb = EmbeddedPdfSignature(reader, field_ref, name)
        except Exception:
            damaged = "Underskriften är skadad och kan inte läsas."
            checks.append(_broken(str(name), Problem(ProblemCode.SIGNATURE_UNREADABLE, damaged)))
            continue
        # A fresh context per signature: pyHanko caches validation state in it.
        vc = ValidationContext(trust_roots=roots, allow_fetching=False)
        hidden = _data_beside_signature(emb)
        if hidden is not None:
            checks.append(_broken(str(name), hidden))
            continue
        try:
            checks.append(_check(emb, vc))
        except Exception:
            failed = (
                "Underskriften kan inte kontrolleras: den signerade delen är skadad "
                "eller har ändrats."
            )
            checks.append(_broken(str(name), Problem(ProblemCode.SIGNATURE_UNCHECKABLE, failed)))
    checks.sort(key=lambda c: c.signed_revision)
    return PdfInspection(
        revisions=int(reader.xrefs.total_revisions),
        signatures=checks,
        attachments=_attachments(reader),
        empty_signature_fields=empty,
        trust_notes=notes,
        info_history=_info_history(reader),
        trailing_data=_trailing_data(data, reader),
    )


def _extra_roots(ders: tuple[bytes, ...]) -> list[Any]:
    from asn1crypto import x509

    return [x509.Certificate.load(d) for d in ders]


def verify_pdf(data: bytes, trust_dir: Path | None = None) -> list[SignatureCheck]:
    """Each signature of ``data`` checked for integrity, coverage, later changes and trust
    (roots: the CA certificates in ``trust_dir``), oldest first."""
    return inspect_pdf(data, trust_dir).signatures
