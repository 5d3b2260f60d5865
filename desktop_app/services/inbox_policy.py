"""The RCC inbox's rules (issue 11): a received file's status never moves money on untrusted
evidence. Decisions are made on problem codes (domain.problems) and verification flags, never
on the wording of a message.

**Refused** (never counted): unreadable, tampered (a broken signature, data outside the signed
part, changes after the last signature), not a report, wrong year.

**Pending** (counted only after an RCC officer's logged decision): unsigned, a role missing
(the agreement asks no signature, so a missing certification is not a refusal), a signature
whose certificate is not trusted or not registered for the region in that role, both roles by
one key, a newer version signed by other keys than the version it would replace.

**Conflict**: two different documents of the same version of a region; both wait.

**Accepted with remarks** (counted): trusted and bound, but Alt 2, errors in the report,
or a typed signer name that is not the certificate's. **Accepted**: nothing to remark.

**Deadline.** "Inlämnad i tid" is judged on the date the file arrived at the RCC
(``received_on``: the import date unless the RCC set the real arrival date) against the RCC's
last day for the year (an RCC setting, the template's date by default). The region's own
``submitted_on`` is information only.

**Superseding.** Of a region's counted files, the newest (version, then signing time, then
receipt) is counted, the others superseded; a newer version signed by other keys waits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from desktop_app.domain.problems import ProblemCode, first
from desktop_app.domain.reference import load_reference
from desktop_app.domain.report import Report
from desktop_app.domain.rules import CriterionResult, fmt_date
from desktop_app.domain.template import Template
from desktop_app.domain.vocabulary import RefusalReason, Role, Verdict, label
from desktop_app.services.inbox_scopes import Scope

if TYPE_CHECKING:
    from desktop_app.services.verification import FileVerification
    from desktop_app.signing import SignatureCheck
    from desktop_app.storage.inbox_repository import InboxRecord

# Problems that show the signed content was changed: the reason quotes the first of them.
TAMPERING = frozenset(
    {
        ProblemCode.SIGNATURE_BROKEN,
        ProblemCode.MODIFIED_AFTER_SIGNATURE,
        ProblemCode.CHANGED_AFTER_LAST_SIGNATURE,
        ProblemCode.DATA_NOT_SIGNED,
        ProblemCode.CERTIFICATION_MISMATCH,
    }
)
# Parts of the file that are missing: an incompletely signed file's reason lists them.
MISSING_PARTS = frozenset(
    {
        ProblemCode.CERTIFICATION_MISSING,
        ProblemCode.REPRESENTATIVE_MISSING,
        ProblemCode.REPORT_MISSING,
        ProblemCode.CERTIFICATION_DOCUMENT_MISSING,
    }
)
# Problems with the embedded report document: a file without readable report data names one.
DOCUMENT_PROBLEMS = frozenset(
    {ProblemCode.REPORT_MISSING, ProblemCode.REPORT_UNREADABLE, ProblemCode.REPORT_DUPLICATE}
)

Refusal = tuple[RefusalReason | None, str | None]


def _refuse(kind: RefusalReason, detail: str) -> Refusal:
    """The refusal with its reason: the kind's label, then what was found."""
    return kind, f"{label(kind)}: {detail}"


def _is_tampered(v: FileVerification) -> bool:
    sigs = v.signatures
    return (
        any(not s.ok for s in sigs)
        or v.changed_after_last_signature
        or (bool(sigs) and v.report_document is not None and not v.data_signed)
        or v.certification_matches is False
    )


def _integrity(v: FileVerification) -> Refusal:
    """Unreadable, tampered, or without readable report data."""
    if not v.readable:
        return _refuse(RefusalReason.UNREADABLE, v.problems[0] if v.problems else "kan inte läsas")
    if _is_tampered(v):
        evidence = first(v.issues, TAMPERING) or (v.issues[0] if v.issues else None)
        return _refuse(
            RefusalReason.TAMPERED,
            evidence.text if evidence else "filen har ändrats efter underskriften",
        )
    if v.compilation or v.report_document is None or v.region_code is None:
        detail = first(v.issues, DOCUMENT_PROBLEMS)
        return _refuse(
            RefusalReason.UNREADABLE,
            "den innehåller ingen läsbar redovisning från SVF-redovisning"
            + (f" ({detail.text})" if detail else "."),
        )
    return None, None


def _signatures(v: FileVerification) -> Refusal:
    """Unsigned, one signature missing, or signatures that are not acceptable."""
    if not v.signatures:
        return _refuse(
            RefusalReason.UNSIGNED,
            "varken ekonomichefens intygande eller den behöriga företrädarens underskrift finns.",
        )
    if not v.certified or not v.represented:
        missing = [p.text for p in v.issues if p.code in MISSING_PARTS]
        return _refuse(
            RefusalReason.INCOMPLETE,
            " ".join(missing or ["en av de två underskrifterna saknas."]),
        )
    if v.issues:
        return _refuse(RefusalReason.INVALID, v.issues[0].text)
    return None, None


def _belongs(region_code: str, scope: Scope, year: int, report_year: int | None) -> Refusal:
    """A region of the scope, and the year being compiled."""
    if region_code not in scope.regions:
        ref = load_reference()
        region = ref.region(region_code)
        rccs = [c.name for c in ref.rccs if region_code in c.regions]
        belongs = f" (den hör till {' och '.join(rccs)})" if rccs else ""
        return _refuse(
            RefusalReason.OUTSIDE_SCOPE,
            f"{region.name} ({region.code}) hör inte till {scope.name}{belongs}.",
        )
    if report_year != year:
        return _refuse(
            RefusalReason.WRONG_YEAR,
            f"redovisningen gäller {report_year}, sammanställningen {year}.",
        )
    return None, None


def classify(v: FileVerification, scope: Scope | None, year: int) -> Refusal:
    """(refusal kind, Swedish reason) for a verified file; (None, None) when it is not
    refused (it may still wait for a decision: ``pending_reasons``). ``scope`` is not used:
    the inbox keeps every region's files, the scope only filters what is shown."""
    del scope
    refusal = _integrity(v)
    if refusal[0] is not None:
        return refusal
    assert v.region_code is not None  # _integrity refuses a file without report data
    if v.year != year:
        return _refuse(
            RefusalReason.WRONG_YEAR,
            f"redovisningen gäller {v.year}, sammanställningen {year}.",
        )
    return None, None


def representative_signature(v: FileVerification) -> SignatureCheck | None:
    """The representative's valid signature, if there is one."""
    return next((s for s in v.signatures if s.role == Role.REPRESENTATIVE and s.ok), None)


def representative_date(v: FileVerification) -> date | None:
    """The local date of the representative's valid signature, if there is one."""
    rep = representative_signature(v)
    if rep is None or rep.signing_time is None:
        return None
    return rep.signing_time.astimezone().date()


def deadline_ids(tpl: Template) -> set[str]:
    """The ids of the template's deadline criteria."""
    return {c.id for c in tpl.criteria if c.kind == "submitted_by_deadline"}


def on_time(criteria: Sequence[CriterionResult], tpl: Template) -> bool | None:
    """Whether the deadline criterion is met; None when it is not known (or there is none)."""
    deadlines = deadline_ids(tpl)
    deadline = next((c for c in criteria if c.id in deadlines), None)
    if deadline is None or deadline.status == Verdict.UNKNOWN:
        return None
    return deadline.status == Verdict.PASS


def _newness(e: InboxRecord) -> tuple[Any, ...]:
    return (e.report_version or 0, e.signed_at or datetime.min, e.received_at, e.id)


def supersede(
    candidates: Sequence[InboxRecord],
) -> tuple[InboxRecord, list[tuple[InboxRecord, str]]]:
    """Of a region's compilable records, the newest and each other one with the Swedish
    reason it is superseded."""
    newest = max(candidates, key=_newness)
    when = newest.received_at.strftime("%Y-%m-%d %H:%M")
    older = []
    for e in candidates:
        if e.id == newest.id:
            continue
        if (e.report_version or 0) < (newest.report_version or 0):
            reason = (
                f"Ersatt av version {newest.report_version} ({newest.file_name}, mottagen {when})."
            )
        else:
            reason = (
                f"Ersatt av en senare underskriven fil av samma version ({newest.file_name}, "
                f"mottagen {when})."
            )
        older.append((e, reason))
    return newest, older


def _who(role: Role | None, name: str) -> str:
    role_text = label(role) if role is not None else "okänd roll"
    return f"{role_text[:1].upper()}{role_text[1:]} ({name or 'okänd underskrivare'})"


def pending_reasons(v: FileVerification) -> list[str]:
    """Why a file that is not refused waits for an RCC officer's decision (empty: it can be
    counted on its own): unsigned, a role missing, a signer not trusted or not bound to the
    region in its role, one key for both roles, other problems of the signatures."""
    reasons: list[str] = []
    if not v.signatures:
        return ["Osignerad fil: ingen underskrift; räknas först efter ett beslut av RCC."]
    if not v.certified:
        reasons.append("Ekonomichefens intygande saknas (avtalet kräver ingen underskrift).")
    if not v.represented:
        reasons.append("Underskrift av behörig företrädare saknas.")
    region = v.region_name or v.region_code or "regionen"
    for b in v.bindings:
        if b.role not in (Role.CERTIFICATION, Role.REPRESENTATIVE):
            continue
        who = _who(b.role, b.signer_name)
        if not b.trusted:
            reasons.append(f"{who}: certifikatet är inte betrott (ingen registrerad utfärdare).")
        elif not b.bound:
            elsewhere = (
                f" (registrerad för region {', '.join(b.registered_for)})"
                if b.registered_for
                else ""
            )
            reasons.append(
                f"{who}: inte registrerad för {region} i rollen {label(b.role)}{elsewhere}."
            )
    if v.distinct_keys is False:
        reasons.append("Samma nyckel har skrivit under i båda rollerna.")
    skip = TAMPERING | MISSING_PARTS | DOCUMENT_PROBLEMS
    reasons += [p.text for p in v.issues if p.code not in skip]
    return list(dict.fromkeys(reasons))


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def remarks_of(v: FileVerification, report: Report | None, tpl: Template | None) -> list[str]:
    """What an RCC should note on a counted file: Alt 2, errors in the report (required
    answers missing, findings with errors), a typed name that is not the certificate's."""
    from desktop_app.domain.finance import ALT_NOT_CORRECT
    from desktop_app.domain.rules import validate
    from desktop_app.domain.vocabulary import Severity

    out: list[str] = []
    if v.certification is not None and v.certification.alternative == ALT_NOT_CORRECT:
        out.append("Ekonomichefen bedömer inte redovisningen som korrekt (Alt 2).")
    if report is not None and tpl is not None:
        errors = [f for f in validate(report, tpl) if f.severity == Severity.ERROR]
        if errors:
            first_text = getattr(errors[0], "message", "") or ""
            out.append(
                f"{len(errors)} fel i redovisningen"
                + (f", t.ex. {first_text}" if first_text else "")
                + "."
            )
    for s in v.signatures:
        if (
            s.ok
            and s.claimed_name
            and s.signer_name
            and not _same_name(s.claimed_name, s.signer_name)
        ):
            out.append(
                f'{_who(s.role, s.signer_name)}: namnförtydligandet "{s.claimed_name}" är inte '
                "certifikatets namn."
            )
    return out


def arrival_deadline(
    criteria: Sequence[CriterionResult],
    tpl: Template,
    received_on: date | None,
    last_day: date,
    submitted_on: date | None,
) -> list[CriterionResult]:
    """The criteria with the deadline judged on the arrival date at the RCC (``received_on``)
    against the RCC's ``last_day``; the region's own ``submitted_on`` is named, not judged."""
    deadlines = deadline_ids(tpl)
    out = []
    own = (
        f" Regionens egen inlämningsdag: {fmt_date(submitted_on)} (information)."
        if submitted_on
        else ""
    )
    for c in criteria:
        if c.id in deadlines:
            if received_on is None:
                c = CriterionResult(c.id, c.label, Verdict.UNKNOWN, "Mottagningsdag saknas." + own)
            else:
                ok = received_on <= last_day
                c = CriterionResult(
                    c.id,
                    c.label,
                    Verdict.PASS if ok else Verdict.FAIL,
                    f"Mottagen av RCC {fmt_date(received_on)} – senast {fmt_date(last_day)}"
                    + ("" if ok else ": för sent")
                    + "."
                    + own,
                )
        out.append(c)
    return out
