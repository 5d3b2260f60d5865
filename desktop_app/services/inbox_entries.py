"""The read model of the RCC's inbox: one ``InboxEntry`` per received file with its signers,
exactly what the inbox list, the CLI and the compilation show, built from the stored
``InboxRecord``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from desktop_app.domain.errors import UserError
from desktop_app.domain.problems import PROBLEM_CODES_KEY
from desktop_app.domain.reference import load_reference
from desktop_app.domain.registered import REGISTRATION_KEY
from desktop_app.domain.rules import CriterionResult
from desktop_app.domain.vocabulary import InboxStatus, RefusalReason, Role, Verdict, label
from desktop_app.storage.inbox_repository import InboxRecord

# How a report registered by the RCC is marked wherever it shows (issue 11.5).
REGISTERED_MARK = "registrerad av RCC"

# The statuses that take part in the compilation and move money.
COUNTED = frozenset({InboxStatus.ACCEPTED, InboxStatus.ACCEPTED_WITH_REMARKS})

# The certification alternatives and the deadline verdict as the list shows them.
_ALTERNATIVES = {1: "Alt 1 – korrekt", 2: "Alt 2 – inte korrekt"}
_ON_TIME = {True: "I tid", False: "För sent", None: label(Verdict.UNKNOWN)}


@dataclass(frozen=True)
class SignerInfo:
    """One signature of a received file, for the list: who, when, and the certificate."""

    role: Role | None
    role_label: str
    signer_name: str  # the certificate holder
    claimed_name: str | None  # the name the signer typed (namnförtydligande)
    signing_time: datetime | None
    ok: bool
    trusted: bool
    self_signed: bool
    certificate_status: str  # Swedish, e.g. "Giltig, självsignerat certifikat (inte betrott)"

    def to_dict(self) -> dict[str, Any]:
        """As stored in the inbox (signers_json) and printed by ``aggregate --json``."""
        return {
            "role": self.role,
            "role_label": self.role_label,
            "signer": self.signer_name,
            "name": self.claimed_name,
            "time": self.signing_time.isoformat() if self.signing_time else None,
            "ok": self.ok,
            "trusted": self.trusted,
            "self_signed": self.self_signed,
            "certificate_status": self.certificate_status,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SignerInfo:
        """From ``to_dict``'s form, as stored."""
        role = d.get("role")
        return cls(
            role=Role(role) if role else None,
            role_label=d.get("role_label", ""),
            signer_name=d.get("signer", ""),
            claimed_name=d.get("name"),
            signing_time=datetime.fromisoformat(d["time"]) if d.get("time") else None,
            ok=bool(d.get("ok")),
            trusted=bool(d.get("trusted")),
            self_signed=bool(d.get("self_signed")),
            certificate_status=d.get("certificate_status", ""),
        )


def _certificate_status(s: Any) -> str:
    if not s.ok:
        return f"Ogiltig: {s.problem or 'underskriften är bruten eller filen ändrad efteråt'}"
    if s.trusted:
        return f"Giltig, betrott certifikat (utfärdat av {s.issuer_name})"
    if s.self_signed:
        return "Giltig, självsignerat certifikat (inte betrott)"
    return f"Giltig, certifikatet är inte betrott ({s.trust_problem or 'okänd utfärdare'})"


def signers_of(signatures: list[Any]) -> list[SignerInfo]:
    """The list's view of each verified signature (signing.SignatureCheck)."""
    return [
        SignerInfo(
            role=s.role,
            role_label=s.role_label,
            signer_name=s.signer_name,
            claimed_name=s.claimed_name,
            signing_time=s.signing_time,
            ok=s.ok,
            trusted=s.trusted,
            self_signed=s.self_signed,
            certificate_status=_certificate_status(s),
        )
        for s in signatures
    ]


@dataclass(frozen=True)
class InboxEntry:
    """One received file as the inbox lists it."""

    id: int | None
    scope: str
    year: int
    file_name: str
    sha256: str
    received_at: datetime
    status: InboxStatus
    reason: str | None
    refusal: RefusalReason | None
    region_code: str | None
    region_name: str | None
    report_year: int | None
    template_id: str | None
    report_version: int | None
    report_status: str | None
    submitted_on: date | None
    signed_at: datetime | None  # the representative's signature (aware, UTC)
    certification_alt: int | None
    signers: tuple[SignerInfo, ...]
    criteria: tuple[CriterionResult, ...]
    criteria_met: bool | None
    on_time: bool | None
    problems: tuple[str, ...]
    notes: tuple[str, ...]
    superseded_by: int | None = None
    source_path: str = ""
    already_imported: bool = False  # this import found the same file already received
    # domain.problems.ProblemCode values beside ``problems``; empty for files received before
    # the codes were stored.
    problem_codes: tuple[str, ...] = ()
    received_on: date | None = None  # the arrival date the deadline is judged on
    remarks: tuple[str, ...] = ()
    decision: str | None = None  # vocabulary.Decision, when an RCC officer decided
    decision_reason: str | None = None
    pending: tuple[str, ...] = ()  # why it waits for a decision
    other_rcc: str | None = None  # "hör till RCC X" when viewed from another RCC
    verification_bindings: tuple[dict[str, Any], ...] = ()  # intact / trusted / bound per signature
    distinct_keys: bool | None = None
    # Issue 11.5: a report that came in another form, registered by an RCC officer (evidence,
    # who, when, why); None for a file received from the region.
    registration: dict[str, Any] | None = None

    @property
    def registered_by_rcc(self) -> bool:
        """Whether this report was registered by the RCC rather than received as a file."""
        return self.registration is not None

    @property
    def bindings(self) -> tuple[dict[str, Any], ...]:
        """Per signature: intact, trusted, bound (services.verification.SignatureBinding)."""
        return self.verification_bindings

    @property
    def accepted(self) -> bool:
        """Whether this file takes part in the compilation (counted)."""
        return self.status in COUNTED

    @property
    def counted(self) -> bool:
        """Whether this file is counted: accepted, with or without remarks."""
        return self.status in COUNTED

    @property
    def status_label(self) -> str:
        """The status in Swedish (Godkänd, Avvisad, Ersatt), marked for a registered report."""
        text = label(self.status, InboxStatus)
        return f"{text} – {REGISTERED_MARK}" if self.registered_by_rcc else text

    @property
    def certification_label(self) -> str:
        """The finance chief's alternative in Swedish, "–" without a certification."""
        return _ALTERNATIVES.get(self.certification_alt or 0, "–")

    @property
    def on_time_label(self) -> str:
        """Whether it was handed in on time, in Swedish."""
        return _ON_TIME[self.on_time]

    def signer(self, role: str) -> SignerInfo | None:
        """The signature in ``role`` (a ``Role``), if there is one."""
        return next((s for s in self.signers if s.role == role), None)

    def to_dict(self) -> dict[str, Any]:
        """As ``aggregate --json`` prints it."""
        return {
            "id": self.id,
            "file": self.file_name,
            "sha256": self.sha256,
            "received_at": self.received_at.isoformat(),
            "status": self.status,
            "reason": self.reason,
            "refusal": self.refusal,
            "region": self.region_code,
            "region_name": self.region_name,
            "year": self.report_year,
            "template": self.template_id,
            "version": self.report_version,
            "submitted_on": self.submitted_on.isoformat() if self.submitted_on else None,
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "certification_alt": self.certification_alt,
            "signers": [s.to_dict() for s in self.signers],
            "criteria": [c.to_dict() for c in self.criteria],
            "criteria_met": self.criteria_met,
            "on_time": self.on_time,
            "problems": list(self.problems),
            PROBLEM_CODES_KEY: list(self.problem_codes),
            "notes": list(self.notes),
            "superseded_by": self.superseded_by,
            "already_imported": self.already_imported,
            "received_on": self.received_on.isoformat() if self.received_on else None,
            "remarks": list(self.remarks) or ([self.reason] if self.reason else []),
            "decision": self.decision,
            "decision_reason": self.decision_reason,
            "pending": list(self.pending),
            "other_rcc": self.other_rcc,
            "bindings": list(self.bindings),
            "distinct_keys": self.distinct_keys,
            "registered_by_rcc": self.registered_by_rcc,
            "registration": self.registration,
        }


def _region_name(code: str | None) -> str | None:
    if not code:
        return None
    try:
        return load_reference().region(code).name
    except UserError:
        return code  # a code the reference data no longer knows: show it as it is


def other_rcc_note(region: str | None, scope: Any) -> str | None:
    """ "hör till RCC X" for a region outside ``scope`` (an inbox_scopes.Scope), else None."""
    if region is None or scope is None or region in scope.regions:
        return None
    rccs = [c.name for c in load_reference().rccs if region in c.regions]
    return f"hör till {' och '.join(rccs)}" if rccs else "hör inte till något RCC"


def entry_from_record(rec: InboxRecord, already: bool = False, scope: Any = None) -> InboxEntry:
    """The entry of a stored record (``already``: this import found it received before;
    ``scope``: the view, for the note on a region of another RCC)."""
    return InboxEntry(
        received_on=rec.received_on,
        remarks=tuple(rec.remarks),
        decision=rec.decision,
        decision_reason=rec.decision_reason,
        pending=tuple(rec.verification.get("pending") or []),
        other_rcc=other_rcc_note(rec.region_code, scope),
        verification_bindings=tuple(rec.verification.get("bindings") or []),
        distinct_keys=rec.verification.get("distinct_keys"),
        registration=rec.verification.get(REGISTRATION_KEY) or None,
        id=rec.id,
        scope=rec.scope,
        year=rec.year,
        file_name=rec.file_name,
        sha256=rec.sha256,
        received_at=rec.received_at,
        status=InboxStatus(rec.status),
        reason=rec.reason,
        refusal=RefusalReason(rec.refusal) if rec.refusal else None,
        region_code=rec.region_code,
        region_name=_region_name(rec.region_code),
        report_year=rec.report_year,
        template_id=rec.template_id,
        report_version=rec.report_version,
        report_status=rec.report_status,
        submitted_on=rec.submitted_on,
        signed_at=rec.signed_at.replace(tzinfo=UTC) if rec.signed_at else None,
        certification_alt=rec.certification_alt,
        signers=tuple(SignerInfo.from_dict(s) for s in rec.signers),
        criteria=tuple(CriterionResult(**c) for c in rec.criteria),
        criteria_met=rec.criteria_met,
        on_time=rec.on_time,
        problems=tuple(rec.problems),
        notes=tuple(rec.notes),
        superseded_by=rec.superseded_by,
        source_path=rec.source_path,
        already_imported=already,
        problem_codes=tuple(rec.problem_codes),
    )
