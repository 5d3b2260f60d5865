"""The RCC's inbox (issue 6): receive signed report PDFs, verify each one exactly as
``svf-report verify`` does (services.signing.verify_bytes), keep it in the local database and
decide which report of each region takes part in the compilation.

Scopes: an RCC id (``norr``, ``mellansverige``, ``stockholm-gotland``, ``sydost``, ``syd``,
``vast``) or ``national`` (all 21 regions). Region Halland (13) belongs to both RCC Syd and
RCC Väst in the reference data, so either may receive it. Each scope and year has its own
inbox: the same file may be received by an RCC and, for the national view, again.

An entry is
- ``accepted``: intact, certified and signed, a region of the scope, the chosen year, and the
  newest version received from its region;
- ``refused``: with a Swedish reason (unreadable, tampered, unsigned or missing a role, region
  outside the scope, wrong year); kept in the list and in the history, never compiled;
- ``superseded``: an older version (or an earlier signed copy of the same version) of a region
  whose newer file is accepted; kept in the history.

Receiving the same file again (same SHA-256) in the same scope and year changes nothing.

**Deadline.** The criterion "Inlämnad i tid" is judged on the ``submitted_on`` date inside the
signed report document: it is the date the region recorded as handed in, it lies inside the
data that the finance chief certified and the representative signed, and it cannot be changed
without breaking the signatures. The signing time is not used for it when that date exists,
because it is the signer's own clock and says when the file was signed, not when it was handed
in (a late signature is noted). A document without ``submitted_on`` (exported as a draft) is
judged on the date of the representative's signature instead: a report counts as handed in no
earlier than it was signed. The RCC's own receiving time is not used: files reach the RCC by
e-mail or on disk, often days later, and the import time says nothing about the region.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from desktop_app.domain.diff import Difference, diff_documents
from desktop_app.domain.errors import UserError
from desktop_app.domain.reference import load_reference
from desktop_app.domain.report import Report
from desktop_app.domain.rules import (
    FAIL,
    PASS,
    UNKNOWN,
    CriterionResult,
    all_met,
    evaluate_criteria,
    fmt_date,
)
from desktop_app.domain.template import Template, available_years, load_template
from desktop_app.services.bootstrap import AppContext
from desktop_app.storage.inbox_repository import InboxRecord

SCOPE_NATIONAL = "national"

ACCEPTED = "accepted"
REFUSED = "refused"
SUPERSEDED = "superseded"
STATUS_LABELS = {ACCEPTED: "Godkänd", REFUSED: "Avvisad", SUPERSEDED: "Ersatt"}

# Why an entry was refused (InboxEntry.refusal).
UNREADABLE = "unreadable"
TAMPERED = "tampered"
UNSIGNED = "unsigned"
INCOMPLETE = "incomplete"  # one of the two signatures missing
INVALID = "invalid"  # signatures present and intact, but not acceptable (order, duplicates …)
OUTSIDE_SCOPE = "outside_scope"
WRONG_YEAR = "wrong_year"


# ------------------------------------------------------------------ scopes


@dataclass(frozen=True)
class Scope:
    """Whose reports are compiled: an RCC's healthcare region or the whole country."""

    id: str
    name: str
    regions: tuple[str, ...]  # in the reference data's order

    @property
    def national(self) -> bool:
        return self.id == SCOPE_NATIONAL


def scopes() -> list[Scope]:
    """The six RCCs and *Hela landet*, for a picker."""
    ref = load_reference()
    order = [r.code for r in ref.regions]
    out = [
        Scope(c.id, c.name, tuple(sorted(c.regions, key=order.index)))
        for c in ref.rccs  # regions sorted like the reference list
    ]
    return out + [Scope(SCOPE_NATIONAL, "Hela landet", tuple(order))]


def scope_of(scope_id: str) -> Scope:
    """The scope with this id; a UserError naming the valid ones otherwise."""
    for s in scopes():
        if s.id == scope_id:
            return s
    valid = ", ".join(s.id for s in scopes())
    raise UserError(f"Okänt urval '{scope_id}'. Giltiga: {valid}.")


def default_year(ctx: AppContext) -> int:
    """The reporting year to compile when none is given: this year's template if there is one,
    else the newest year that has a template."""
    years = available_years()
    if not years:
        raise UserError("Det finns inga redovisningsmallar.")
    this_year = ctx.today().year
    earlier = [y for y in years if y <= this_year]
    return max(earlier) if earlier else max(years)


# ------------------------------------------------------------------ entries


@dataclass(frozen=True)
class SignerInfo:
    """One signature of a received file, for the list: who, when, and the certificate."""

    role: str | None  # certification | representative | None
    role_label: str
    signer_name: str  # the certificate holder
    claimed_name: str | None  # the name the signer typed (namnförtydligande)
    signing_time: datetime | None
    ok: bool
    trusted: bool
    self_signed: bool
    certificate_status: str  # Swedish, e.g. "Giltig, självsignerat certifikat (inte betrott)"

    def to_dict(self) -> dict[str, Any]:
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
        return cls(
            role=d.get("role"),
            role_label=d.get("role_label", ""),
            signer_name=d.get("signer", ""),
            claimed_name=d.get("name"),
            signing_time=datetime.fromisoformat(d["time"]) if d.get("time") else None,
            ok=bool(d.get("ok")),
            trusted=bool(d.get("trusted")),
            self_signed=bool(d.get("self_signed")),
            certificate_status=d.get("certificate_status", ""),
        )


@dataclass(frozen=True)
class InboxEntry:
    """One received file as the inbox lists it."""

    id: int | None
    scope: str
    year: int
    file_name: str
    sha256: str
    received_at: datetime
    status: str  # accepted | refused | superseded
    reason: str | None
    refusal: str | None
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

    @property
    def accepted(self) -> bool:
        return self.status == ACCEPTED

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def certification_label(self) -> str:
        return {1: "Alt 1 – korrekt", 2: "Alt 2 – inte korrekt"}.get(
            self.certification_alt or 0, "–"
        )

    @property
    def on_time_label(self) -> str:
        return {True: "I tid", False: "För sent", None: "Ej känt"}[self.on_time]

    def signer(self, role: str) -> SignerInfo | None:
        return next((s for s in self.signers if s.role == role), None)

    def to_dict(self) -> dict[str, Any]:
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
            "notes": list(self.notes),
            "superseded_by": self.superseded_by,
            "already_imported": self.already_imported,
        }


def _entry(rec: InboxRecord, already: bool = False) -> InboxEntry:
    region_name = None
    if rec.region_code:
        try:
            region_name = load_reference().region(rec.region_code).name
        except UserError:
            region_name = rec.region_code
    signed_at = rec.signed_at.replace(tzinfo=UTC) if rec.signed_at else None
    return InboxEntry(
        id=rec.id,
        scope=rec.scope,
        year=rec.year,
        file_name=rec.file_name,
        sha256=rec.sha256,
        received_at=rec.received_at,
        status=rec.status,
        reason=rec.reason,
        refusal=rec.refusal,
        region_code=rec.region_code,
        region_name=region_name,
        report_year=rec.report_year,
        template_id=rec.template_id,
        report_version=rec.report_version,
        report_status=rec.report_status,
        submitted_on=rec.submitted_on,
        signed_at=signed_at,
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
    )


# ------------------------------------------------------------------ verification → entry


def _certificate_status(s: Any) -> str:
    if not s.ok:
        return f"Ogiltig: {s.problem or 'underskriften är bruten eller filen ändrad efteråt'}"
    if s.trusted:
        return f"Giltig, betrott certifikat (utfärdat av {s.issuer_name})"
    if s.self_signed:
        return "Giltig, självsignerat certifikat (inte betrott)"
    return f"Giltig, certifikatet är inte betrott ({s.trust_problem or 'okänd utfärdare'})"


def _signers(v: Any) -> list[SignerInfo]:
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
        for s in v.signatures
    ]


def _classify(v: Any, scope: Scope, year: int) -> tuple[str | None, str | None]:
    """(refusal kind, Swedish reason) for a verified file; (None, None) when it can be
    compiled. The first that applies of: unreadable, tampered, no report data (also
    unreadable), unsigned, one signature missing, signatures not acceptable, region outside
    the scope, wrong year."""
    if not v.readable:
        return UNREADABLE, f"Oläslig fil: {v.problems[0] if v.problems else 'kan inte läsas'}"
    sigs = v.signatures
    broken = [s for s in sigs if not s.ok]
    tampered = (
        bool(broken)
        or v.changed_after_last_signature
        or (bool(sigs) and v.report_document is not None and not v.data_signed)
        or v.certification_matches is False
    )
    if tampered:
        first = next(
            (
                p
                for p in v.problems
                if "bruten" in p
                or "ändrats" in p
                or "utanför de undertecknade" in p
                or "intygade" in p
            ),
            v.problems[0] if v.problems else "filen har ändrats efter underskriften",
        )
        return TAMPERED, f"Manipulerad fil: {first}"
    if v.report_document is None or v.region_code is None:
        detail = next(
            (p for p in v.problems if "svf-report.json" in p or "JSON" in p or "dokument" in p),
            None,
        )
        return UNREADABLE, (
            "Oläslig fil: den innehåller ingen läsbar redovisning från SVF-redovisning"
            + (f" ({detail})" if detail else ".")
        )
    if not sigs:
        return (
            UNSIGNED,
            "Osignerad fil: varken ekonomichefens intygande eller den behöriga företrädarens "
            "underskrift finns.",
        )
    if not v.certified or not v.represented:
        missing = [p for p in v.problems if "saknas" in p]
        return INCOMPLETE, "Ofullständigt undertecknad: " + " ".join(
            missing or ["en av de två underskrifterna saknas."]
        )
    if v.problems:
        return INVALID, f"Underskrifterna godtas inte: {v.problems[0]}"
    if v.region_code not in scope.regions:
        ref = load_reference()
        region = ref.region(v.region_code)
        rccs = [c.name for c in ref.rccs if v.region_code in c.regions]
        belongs = f" (den hör till {' och '.join(rccs)})" if rccs else ""
        return (
            OUTSIDE_SCOPE,
            f"Fel region: {region.name} ({region.code}) hör inte till {scope.name}{belongs}.",
        )
    if v.year != year:
        return WRONG_YEAR, f"Fel år: redovisningen gäller {v.year}, sammanställningen {year}."
    return None, None


def _representative_date(v: Any) -> date | None:
    rep = next((s for s in v.signatures if s.role == "representative" and s.ok), None)
    if rep is None or rep.signing_time is None:
        return None
    return rep.signing_time.astimezone().date()


def judge_criteria(
    report: Report, tpl: Template, signed_on: date | None, today: date
) -> tuple[list[CriterionResult], list[str]]:
    """The criteria of a received report, recomputed from its embedded figures, with the
    deadline judged as described in this module's docstring; and notes for the list."""
    notes: list[str] = []
    deadline_ids = {c.id for c in tpl.criteria if c.kind == "submitted_by_deadline"}
    if report.submitted_on is not None or signed_on is None:
        criteria = evaluate_criteria(report, tpl, today)
        if (
            report.submitted_on is not None
            and signed_on is not None
            and signed_on > tpl.deadline >= report.submitted_on
        ):
            notes.append(
                f"Underskriven {fmt_date(signed_on)}, efter sista dag {fmt_date(tpl.deadline)}; "
                f"bedömd på inlämningsdagen i redovisningen ({fmt_date(report.submitted_on)})."
            )
        return criteria, notes
    judged = replace(report, submitted_on=signed_on)
    criteria = []
    for c in evaluate_criteria(judged, tpl, today):
        if c.id in deadline_ids:
            ok = signed_on <= tpl.deadline
            c = CriterionResult(
                c.id,
                c.label,
                PASS if ok else FAIL,
                f"Inlämningsdag saknas i redovisningen; bedömd på den behöriga företrädarens "
                f"underskrift {fmt_date(signed_on)} – senast {fmt_date(tpl.deadline)}"
                + ("" if ok else ": för sent"),
            )
        criteria.append(c)
    return criteria, notes


def _record(
    v: Any,
    data_sha: str,
    path: Path,
    scope: Scope,
    year: int,
    received_at: datetime,
    today: date,
) -> InboxRecord:
    from desktop_app.services.exports import report_from_bytes

    refusal, reason = _classify(v, scope, year)
    criteria: list[CriterionResult] = list(v.criteria)
    notes = list(v.notes)
    submitted_on = None
    on_time = None
    if v.report_document is not None and v.region_code is not None:
        report, tpl = report_from_bytes(v.report_document)
        criteria, more = judge_criteria(report, tpl, _representative_date(v), today)
        notes += more
        submitted_on = report.submitted_on
        deadline_ids = {c.id for c in tpl.criteria if c.kind == "submitted_by_deadline"}
        deadline = next((c for c in criteria if c.id in deadline_ids), None)
        if deadline is not None and deadline.status != UNKNOWN:
            on_time = deadline.status == PASS
    met = all_met(criteria) if criteria else None
    rep = next((s for s in v.signatures if s.role == "representative" and s.ok), None)
    signed_at = (
        rep.signing_time.astimezone(UTC).replace(tzinfo=None)
        if rep is not None and rep.signing_time is not None
        else None
    )
    return InboxRecord(
        scope=scope.id,
        year=year,
        sha256=data_sha,
        file_name=path.name,
        source_path=str(path),
        received_at=received_at,
        status=REFUSED if refusal else ACCEPTED,
        refusal=refusal,
        reason=reason,
        region_code=v.region_code,
        report_year=v.year,
        template_id=v.template_id,
        report_version=v.report_version,
        report_status=v.report_status,
        submitted_on=submitted_on,
        signed_at=signed_at,
        document_sha256=v.document_sha256,
        document_json=v.report_document.decode("utf-8") if v.report_document else None,
        certification_alt=v.certification.alternative if v.certification else None,
        criteria_met=met,
        on_time=on_time,
        criteria=[c.to_dict() for c in criteria],
        signers=[s.to_dict() for s in _signers(v)],
        verification=v.to_dict(),
        problems=list(v.problems),
        notes=notes,
    )


def _resolve(uow: Any, scope: str, year: int, region: str) -> None:
    """Of a region's compilable entries, the newest (by report version, then the
    representative's signing time, then receipt) is accepted, the others superseded."""
    candidates = [e for e in uow.inbox.entries(scope, year, region) if e.refusal is None]
    if not candidates:
        return
    newest = max(
        candidates,
        key=lambda e: (e.report_version or 0, e.signed_at or datetime.min, e.received_at, e.id),
    )
    for e in candidates:
        if e.id == newest.id:
            uow.inbox.set_status(e.id, ACCEPTED, None)
            continue
        when = newest.received_at.strftime("%Y-%m-%d %H:%M")
        if (e.report_version or 0) < (newest.report_version or 0):
            reason = (
                f"Ersatt av version {newest.report_version} ({newest.file_name}, mottagen {when})."
            )
        else:
            reason = (
                f"Ersatt av en senare underskriven fil av samma version ({newest.file_name}, "
                f"mottagen {when})."
            )
        uow.inbox.set_status(e.id, SUPERSEDED, reason, newest.id)


# ------------------------------------------------------------------ use cases


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files as given; a folder gives its PDF files (not its subfolders), sorted by name.
    Raises UserError for a path that does not exist."""
    out: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out += sorted(
                (f for f in path.iterdir() if f.is_file() and f.suffix.lower() == ".pdf"),
                key=lambda f: f.name,
            )
        elif path.exists():
            out.append(path)
        else:
            raise UserError(f"Filen eller mappen {path} finns inte.")
    return out


def import_reports(
    ctx: AppContext,
    scope: str,
    paths: Iterable[Path | str],
    trust_dir: Path | None = None,
    year: int | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[InboxEntry]:
    """Receive files (a folder gives all its PDF files) into the inbox of ``scope`` for
    ``year`` (default: ``default_year``). Every file is verified (``trust_dir``: folder of
    trusted CA certificates, default $SVF_TRUST_DIR or the settings folder), kept (a copy of
    its bytes, the embedded document, the verification) and given its status; then each
    touched region's newest compilable file is accepted and the older ones superseded.

    Returns one entry per file, in order (``already_imported`` for a file received before).
    Never raises for a bad file; raises UserError for an unknown scope, a path that does not
    exist or cannot be read, or an unusable trust folder. All or nothing: one database transaction.
    ``progress(i, n, file_name)`` is called before each file."""
    from desktop_app.services.signing import default_trust_dir, verify_bytes

    sc = scope_of(scope)
    year = year or default_year(ctx)
    files = expand_paths(paths)
    trust = trust_dir if trust_dir is not None else default_trust_dir()
    today = ctx.today()
    out: list[tuple[InboxRecord, bool]] = []  # (record, already received)
    touched: set[str] = set()
    with ctx.uow() as uow:
        for i, path in enumerate(files):
            if progress is not None:
                progress(i, len(files), path.name)
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise UserError(f"Filen {path} kan inte läsas: {exc.strerror}.") from None
            sha = hashlib.sha256(data).hexdigest()
            existing = uow.inbox.find(sc.id, year, sha)
            if existing is not None:
                out.append((existing, True))
                continue
            v = verify_bytes(data, str(path), trust, today)
            rec = _record(v, sha, path, sc, year, datetime.now().replace(microsecond=0), today)
            uow.inbox.add_file(sha, data)
            uow.inbox.add(rec)
            out.append((rec, False))
            if rec.refusal is None and rec.region_code:
                touched.add(rec.region_code)
        for region in sorted(touched):
            _resolve(uow, sc.id, year, region)
        # Read back: statuses may have changed while resolving versions.
        result = []
        for rec, already in out:
            assert rec.id is not None
            fresh = uow.inbox.get(rec.id)
            assert fresh is not None
            result.append(_entry(fresh, already))
        uow.commit()
    return result


def _sort_key(e: InboxEntry) -> tuple[Any, ...]:
    return (e.region_code or "~", -(e.report_version or 0), e.received_at, e.id or 0)


def list_inbox(ctx: AppContext, scope: str, year: int) -> list[InboxEntry]:
    """Every entry received in ``scope`` for ``year``: by region (unreadable files last), the
    newest version first."""
    scope_of(scope)
    with ctx.uow() as uow:
        records = uow.inbox.entries(scope, year)
    return sorted((_entry(r) for r in records), key=_sort_key)


def inbox_history(
    ctx: AppContext, region: str, year: int, scope: str | None = None
) -> list[InboxEntry]:
    """Every file received from ``region`` for ``year`` (in ``scope``, or in every scope), in
    the order received."""
    from desktop_app.domain.reference import normalize_region_code

    code = normalize_region_code(region)
    with ctx.uow() as uow:
        records = uow.inbox.entries(scope, year, code)
    return [_entry(r) for r in records]


def get_entry(ctx: AppContext, entry_id: int) -> InboxEntry:
    with ctx.uow() as uow:
        rec = uow.inbox.get(entry_id)
    if rec is None:
        raise UserError(f"Det finns ingen inkommen fil med id {entry_id}.")
    return _entry(rec)


def entry_document(ctx: AppContext, entry: int | InboxEntry) -> dict[str, Any]:
    """The report document (svf-report.json) embedded in a received file."""
    entry_id = entry.id if isinstance(entry, InboxEntry) else entry
    with ctx.uow() as uow:
        rec = uow.inbox.get(entry_id) if entry_id is not None else None
    if rec is None:
        raise UserError(f"Det finns ingen inkommen fil med id {entry_id}.")
    if not rec.document_json:
        raise UserError(f"{rec.file_name} innehåller ingen läsbar redovisning.")
    return json.loads(rec.document_json)


def entry_report(ctx: AppContext, entry: int | InboxEntry) -> tuple[Report, Template]:
    """The received report as a domain Report (from its embedded document)."""
    from desktop_app.domain.document import from_document

    doc = entry_document(ctx, entry)
    tpl = load_template(doc["template"])
    return from_document(doc, tpl), tpl


def entry_file(ctx: AppContext, entry: int | InboxEntry) -> bytes:
    """The received PDF exactly as it came (e.g. to open it or to pass it on)."""
    entry_id = entry.id if isinstance(entry, InboxEntry) else entry
    with ctx.uow() as uow:
        rec = uow.inbox.get(entry_id) if entry_id is not None else None
        data = uow.inbox.file_data(rec.sha256) if rec is not None else None
    if data is None:
        raise UserError(f"Det finns ingen inkommen fil med id {entry_id}.")
    return data


def diff_versions(
    ctx: AppContext, entry_a: int | InboxEntry, entry_b: int | InboxEntry
) -> list[Difference]:
    """What changed from the report in ``entry_a`` (old) to the one in ``entry_b`` (new): each
    figure cell, answer text, PREM, contact and financial field, old → new."""
    old = entry_document(ctx, entry_a)
    new = entry_document(ctx, entry_b)
    tpl = load_template(new.get("template") or old["template"])
    return diff_documents(old, new, tpl)


__all__ = [
    "ACCEPTED",
    "REFUSED",
    "SCOPE_NATIONAL",
    "STATUS_LABELS",
    "SUPERSEDED",
    "InboxEntry",
    "Scope",
    "SignerInfo",
    "default_year",
    "diff_versions",
    "entry_document",
    "entry_file",
    "entry_report",
    "expand_paths",
    "get_entry",
    "import_reports",
    "inbox_history",
    "judge_criteria",
    "list_inbox",
    "scope_of",
    "scopes",
]
