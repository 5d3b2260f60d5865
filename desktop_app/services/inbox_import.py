"""Receiving files into an RCC's inbox: verify each one exactly as ``svf-report verify`` does
(with the RCC's signer register), keep it once (its bytes, the embedded document, the
verification, the arrival date) with what the inbox policy finds, and settle each touched
region's statuses (services.inbox_policy). Each file is received in its own transaction and
time limit: a file that fails for any reason is refused with the reason, the rest go in."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.domain.errors import UserError
from desktop_app.domain.rules import all_met
from desktop_app.domain.vocabulary import Decision, InboxStatus, RefusalReason, Role
from desktop_app.services.bootstrap import AppContext
from desktop_app.services.inbox_entries import InboxEntry, entry_from_record, signers_of
from desktop_app.services.inbox_policy import (
    arrival_deadline,
    classify,
    on_time,
    pending_reasons,
    remarks_of,
    representative_signature,
)
from desktop_app.services.inbox_scopes import default_year, scope_of
from desktop_app.storage.inbox_repository import InboxRecord

if TYPE_CHECKING:
    from desktop_app.services.verification import FileVerification


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


# Every file is stored once (per year) under this scope; an RCC's scope is a filter.
STORE_SCOPE = "national"
# The time one file's verification may take (seconds) where a time limit can be set.
FILE_TIME_LIMIT = 60


def _signed_at(v: FileVerification) -> datetime | None:
    """The representative's signing time as stored: naive UTC."""
    rep = representative_signature(v)
    if rep is None or rep.signing_time is None:
        return None
    return rep.signing_time.astimezone(UTC).replace(tzinfo=None)


def last_day_for(uow: Any, region: str | None, year: int, tpl_deadline: date) -> date:
    """The RCC's last day of arrival for ``region``'s reports of ``year``: the setting of the
    region's RCC (the later one for a region of two RCCs), else the template's date."""
    from desktop_app.domain.reference import load_reference

    days = [
        d
        for c in load_reference().rccs
        if region in c.regions and (d := uow.inbox.last_day(c.id, year)) is not None
    ]
    return max(days) if days else tpl_deadline


def judge(uow: Any, rec: InboxRecord, today: date) -> None:
    """(Re)compute ``rec``'s criteria from its embedded document, the deadline on its arrival
    date (services.inbox_policy.arrival_deadline)."""
    from desktop_app.domain.registered import (
        REGISTRATION_KEY,
        RegistrationEvidence,
        evidence_criteria,
    )
    from desktop_app.domain.rules import evaluate_criteria
    from desktop_app.services.exports import report_from_bytes

    if not rec.document_json or rec.region_code is None or rec.refusal is not None:
        return
    report, tpl = report_from_bytes(rec.document_json.encode("utf-8"))
    last = last_day_for(uow, rec.region_code, tpl.year, tpl.deadline)
    registered = rec.verification.get(REGISTRATION_KEY)
    judged = (
        evidence_criteria(RegistrationEvidence.from_dict(registered), tpl)
        if registered  # issue 11.5: the evidence the RCC entered, not the (maybe empty) figures
        else evaluate_criteria(report, tpl, today)
    )
    criteria = arrival_deadline(judged, tpl, rec.received_on, last, report.submitted_on)
    rec.criteria = [c.to_dict() for c in criteria]
    rec.criteria_met = all_met(criteria) if criteria else None
    rec.on_time = on_time(criteria, tpl)


def _record(
    v: FileVerification, data_sha: str, path: Path, year: int, received_on: date
) -> InboxRecord:
    """The record to store for a verified file: refused, or with its pending reasons (kept in
    the stored verification) and remarks; the statuses are settled by ``settle_region``."""
    from desktop_app.services.exports import report_from_bytes

    refusal, reason = classify(v, None, year)
    report = tpl = None
    if refusal is None and v.report_document is not None:
        report, tpl = report_from_bytes(v.report_document)
    verification = v.to_dict()
    verification["pending"] = pending_reasons(v) if refusal is None else []
    return InboxRecord(
        scope=STORE_SCOPE,
        year=year,
        sha256=data_sha,
        file_name=path.name,
        source_path=str(path),
        received_at=datetime.now().replace(microsecond=0),
        received_on=received_on,
        status=InboxStatus.REFUSED if refusal else InboxStatus.PENDING,
        refusal=refusal,
        reason=reason,
        region_code=v.region_code,
        report_year=v.year,
        template_id=v.template_id,
        report_version=v.report_version,
        report_status=v.report_status,
        submitted_on=report.submitted_on if report else None,
        signed_at=_signed_at(v),
        document_sha256=v.document_sha256,
        document_json=v.report_document.decode("utf-8") if v.report_document else None,
        certification_alt=v.certification.alternative if v.certification else None,
        criteria=[c.to_dict() for c in v.criteria],
        signers=[s.to_dict() for s in signers_of(v.signatures)],
        verification=verification,
        problems=list(v.problems),
        notes=list(v.notes),
        remarks=remarks_of(v, report, tpl) if refusal is None else [],
    )


def _refused_record(path: Path, sha: str, year: int, received_on: date, why: str) -> InboxRecord:
    """A file whose reception failed outright (e.g. it took too long to verify)."""
    return InboxRecord(
        scope=STORE_SCOPE,
        year=year,
        sha256=sha,
        file_name=path.name,
        source_path=str(path),
        received_at=datetime.now().replace(microsecond=0),
        received_on=received_on,
        status=InboxStatus.REFUSED,
        refusal=RefusalReason.UNREADABLE,
        reason=f"Oläslig fil: {why}",
    )


def _keys(rec: InboxRecord) -> frozenset[str]:
    return frozenset(
        s.get("cert_sha256", "")
        for s in rec.verification.get("signatures", [])
        if s.get("role") in (Role.CERTIFICATION, Role.REPRESENTATIVE) and s.get("cert_sha256")
    )


def _newness(e: InboxRecord) -> tuple[Any, ...]:
    return (e.report_version or 0, e.signed_at or datetime.min, e.received_at, e.id or 0)


def _conflicts(cands: list[InboxRecord]) -> tuple[set[int], dict[int, int]]:
    """Ids in conflict (two different documents of one version, none decided), and ids of
    the other documents of a version where one was accepted by a decision (-> winner)."""
    conflict: set[int] = set()
    lost: dict[int, int] = {}
    versions = {e.report_version for e in cands}
    for ver in versions:
        same = [e for e in cands if e.report_version == ver]
        if len({e.document_sha256 for e in same}) < 2:
            continue
        chosen = [e for e in same if e.decision == Decision.ACCEPT]
        if chosen:
            win = max(chosen, key=_newness)
            for e in same:
                if e.document_sha256 != win.document_sha256:
                    lost[e.id or 0] = win.id or 0
        else:
            conflict |= {e.id or 0 for e in same}
    return conflict, lost


def _countable(e: InboxRecord) -> bool:
    return not e.verification.get("pending") or e.decision == Decision.ACCEPT


def _set(
    uow: Any, e: InboxRecord, status: InboxStatus, reason: str | None, by: int | None = None
) -> None:
    uow.inbox.set_status(e.id, status, reason, by)


def _is_registered(e: InboxRecord) -> bool:
    from desktop_app.domain.registered import REGISTRATION_KEY

    return bool(e.verification.get(REGISTRATION_KEY))


def _settle_registered(uow: Any, registered: list[InboxRecord], own: InboxRecord | None) -> None:
    """Issue 11.5: a report registered by the RCC counts only while no file from the region
    itself is counted; the newest registration counts, earlier ones are superseded."""
    if not registered:
        return
    newest = max(registered, key=lambda e: (e.received_at, e.id or 0))
    for e in registered:
        if own is not None:
            _set(uow, e, InboxStatus.SUPERSEDED,
                 f"Ersatt av id {own.id}: regionens egen redovisning har kommit in och räknas "
                 "i stället för den som registrerats av RCC.", own.id)  # fmt: skip
        elif e.id == newest.id:
            notes = list(e.remarks)
            if e.decision == Decision.ACCEPT:
                notes.append(f"Godkänd efter beslut: {e.decision_reason}")
            _set(uow, e, InboxStatus.ACCEPTED_WITH_REMARKS, " ".join(notes) or None)
        else:
            _set(uow, e, InboxStatus.SUPERSEDED,
                 f"Ersatt av id {newest.id} (en senare registrering av RCC).", newest.id)  # fmt: skip


def settle_region(uow: Any, year: int, region: str) -> None:
    """Settle the statuses of a region's files of ``year`` (services.inbox_policy); reports
    registered by the RCC after the region's own files (``_settle_registered``)."""
    records = [e for e in uow.inbox.entries(None, year, region) if e.scope == STORE_SCOPE]
    cands: list[InboxRecord] = []
    registered: list[InboxRecord] = []
    for e in records:
        if e.refusal is not None:
            continue
        if e.decision == Decision.REFUSE:
            _set(uow, e, InboxStatus.REFUSED, f"Avvisad efter beslut: {e.decision_reason}")
            continue
        (registered if _is_registered(e) else cands).append(e)
    own = _settle_own(uow, cands)
    _settle_registered(uow, registered, own)


def _settle_own(uow: Any, cands: list[InboxRecord]) -> InboxRecord | None:
    """Settle the region's own files; returns the one counted, if any."""
    # Conflict is between documents that could each be counted: one that waits for a
    # decision anyway (untrusted, unbound, unsigned) waits as such.
    conflict, lost = _conflicts([e for e in cands if _countable(e)])
    for e in cands:
        if e.id in conflict:
            others = ", ".join(str(o.id) for o in cands if o.id in conflict and o.id != e.id)
            _set(uow, e, InboxStatus.CONFLICT,
                 f"Två olika dokument av version {e.report_version} (jämför med id {others}); "
                 "RCC beslutar vilket som gäller.")  # fmt: skip
        elif e.id in lost:
            _set(
                uow,
                e,
                InboxStatus.SUPERSEDED,
                f"Ersatt efter beslut om id {lost[e.id]}.",
                lost[e.id],
            )
    waiting: list[tuple[InboxRecord, str]] = []
    current: InboxRecord | None = None
    counted: list[InboxRecord] = []
    for e in sorted((c for c in cands if c.id not in conflict and c.id not in lost), key=_newness):
        pending = list(e.verification.get("pending") or [])
        decided = e.decision == Decision.ACCEPT
        if pending and not decided:
            waiting.append((e, " ".join(pending)))
            continue
        if current is not None and _keys(current) and _keys(e) != _keys(current) and not decided:
            waiting.append((e, f"Nyare version underskriven med andra nycklar än id {current.id} "
                               f"(version {current.report_version}); RCC beslutar."))  # fmt: skip
            continue
        current = e
        counted.append(e)
    if current is not None:
        notes = list(current.remarks)
        if current.decision == Decision.ACCEPT:
            notes.append(f"Godkänd efter beslut: {current.decision_reason}")
        status = InboxStatus.ACCEPTED_WITH_REMARKS if notes else InboxStatus.ACCEPTED
        _set(uow, current, status, " ".join(notes) or None)
        for e in counted[:-1]:
            _set(uow, e, InboxStatus.SUPERSEDED,
                 f"Ersatt av id {current.id} (version {current.report_version}).", current.id)  # fmt: skip
    for e, why in waiting:
        if current is not None and (e.report_version or 0) < (current.report_version or 0):
            _set(uow, e, InboxStatus.SUPERSEDED,
                 f"Ersatt av id {current.id} (version {current.report_version}).", current.id)  # fmt: skip
        else:
            _set(uow, e, InboxStatus.PENDING, f"Väntar på beslut: {why}")
    return current


# The function that verifies one file, as the child process of ``Isolated`` names it, and
# what the child imports before its first file (the PDF and signature libraries).
VERIFY_TARGET = "desktop_app.services.inbox_import:verify_record"
CHILD_PRELOAD = (
    "desktop_app.services.verification",
    "desktop_app.services.exports",
    "desktop_app.signing",
)


def verify_record(
    data: bytes,
    sha: str,
    path: Path,
    year: int,
    received_on: date,
    trust: Path | None,
    register: Any,
    today: date,
) -> InboxRecord:
    """Verify one received file and make its record (no database: it may run in a child
    process, services.isolated)."""
    from desktop_app.services.verification import verify_bytes

    v = verify_bytes(data, str(path), trust, today, register=register)
    return _record(v, sha, path, year, received_on)


def _verified(isolated: Any, args: tuple[Any, ...]) -> InboxRecord:
    """``verify_record(*args)`` within FILE_TIME_LIMIT: by SIGALRM on the main thread (the
    CLI), else in the child process of ``isolated`` (the application's worker thread), which
    is killed if the file hangs its parse."""
    from desktop_app.services.isolated import IsolatedUnavailable
    from desktop_app.services.time_limit import time_limit

    if isolated is None:
        with time_limit(FILE_TIME_LIMIT):
            return verify_record(*args)
    try:
        return isolated.run(VERIFY_TARGET, args, FILE_TIME_LIMIT)  # type: ignore[no-any-return]
    except IsolatedUnavailable:
        # No child process could be started here: verify in this process (the readers'
        # own bounds still hold), rather than refusing every file.
        return verify_record(*args)


def _receive_one(
    ctx: AppContext,
    path: Path,
    year: int,
    trust: Path | None,
    register: Any,
    received_on: date,
    isolated: Any = None,
) -> tuple[InboxRecord, bool]:
    """Receive one file in its own transaction: (its record, whether received before)."""
    from desktop_app.services.isolated import IsolatedFailure
    from desktop_app.services.time_limit import TimeLimitExceeded

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"Filen {path} kan inte läsas: {exc.strerror}.") from None
    sha = hashlib.sha256(data).hexdigest()
    with ctx.uow() as uow:
        existing = next(
            (
                e
                for e in uow.inbox.entries(None, year)
                if e.sha256 == sha and e.scope == STORE_SCOPE
            ),
            None,
        )
        if existing is not None:
            return existing, True
    try:
        rec = _verified(
            isolated, (data, sha, path, year, received_on, trust, register, ctx.today())
        )
    except TimeLimitExceeded:
        rec = _refused_record(path, sha, year, received_on,
                              f"kontrollen tog mer än {FILE_TIME_LIMIT} sekunder.")  # fmt: skip
    except (UserError, ValueError, TypeError, KeyError, RecursionError, OverflowError,
            IsolatedFailure):  # fmt: skip
        rec = _refused_record(path, sha, year, received_on,
                              "filen kan inte kontrolleras (ogiltigt innehåll).")  # fmt: skip
    with ctx.uow() as uow:
        judge(uow, rec, ctx.today())
        uow.inbox.add_file(sha, data)
        uow.inbox.add(rec)
        if rec.region_code and rec.refusal is None:
            settle_region(uow, year, rec.region_code)
        uow.commit()
    return rec, False


def import_reports(
    ctx: AppContext,
    scope: str,
    paths: Iterable[Path | str],
    trust_dir: Path | None = None,
    year: int | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    received_on: date | None = None,
) -> list[InboxEntry]:
    """Receive files (a folder gives all its PDF files) into the inbox for ``year`` (default:
    ``default_year``). Every file is verified (``trust_dir``: folder of trusted CA
    certificates, default $SVF_TRUST_DIR or the settings folder; the registered signers' CAs
    as well), kept once whatever the ``scope`` (an RCC or national: only a filter) with its
    arrival date (``received_on``, default today), and its region's statuses settled.

    Returns one entry per file, in order (``already_imported`` for a file received before; a
    region of another RCC gets a note). Each file in its own transaction: a bad file is
    refused with its reason, the rest go in. Raises UserError for an unknown scope, a path
    that does not exist, or an unusable trust folder. ``progress(i, n, file_name)`` is called
    before each file."""
    from desktop_app.services.isolated import shared
    from desktop_app.services.signers import load_register
    from desktop_app.services.time_limit import can_interrupt
    from desktop_app.services.verification import default_trust_dir

    sc = scope_of(scope)
    year = year or default_year(ctx)
    files = expand_paths(paths)
    trust = trust_dir if trust_dir is not None else default_trust_dir()
    register = load_register(ctx)
    arrival = received_on or ctx.today()
    received: list[tuple[InboxRecord, bool]] = []
    # Off the main thread (the application's worker) SIGALRM cannot stop a hung parse: each
    # file is verified in a child process that is killed when it takes too long.
    isolated = None if can_interrupt() else shared(CHILD_PRELOAD)
    for i, path in enumerate(files):
        if progress is not None:
            progress(i, len(files), path.name)
        received.append(_receive_one(ctx, path, year, trust, register, arrival, isolated))
    result = []
    with ctx.uow() as uow:
        for rec, already in received:
            assert rec.id is not None
            fresh = uow.inbox.get(rec.id)
            assert fresh is not None
            result.append(entry_from_record(fresh, already, sc))
    return result


def reverify_region(ctx: AppContext, region: str, trust_dir: Path | None = None) -> int:
    """Verify a region's stored files again against the signer register as it is now (after
    a signer was registered or removed) and settle its statuses. Returns how many."""
    from desktop_app.services.signers import load_register
    from desktop_app.services.verification import default_trust_dir, verify_bytes

    register = load_register(ctx)
    trust = trust_dir if trust_dir is not None else default_trust_dir()
    count = 0
    with ctx.uow() as uow:
        records = [
            r
            for r in uow.inbox.entries(None, None, region)
            if r.scope == STORE_SCOPE and r.refusal is None and not _is_registered(r)
        ]
        years = set()
        for rec in records:
            data = uow.inbox.file_data(rec.sha256)
            if data is None:
                continue
            v = verify_bytes(data, rec.file_name, trust, ctx.today(), register=register)
            fresh = _record(v, rec.sha256, Path(rec.source_path or rec.file_name), rec.year,
                            rec.received_on or ctx.today())  # fmt: skip
            rec.verification, rec.signers, rec.remarks = (
                fresh.verification, fresh.signers, fresh.remarks,
            )  # fmt: skip
            uow.inbox.update(rec)
            years.add(rec.year)
            count += 1
        for year in sorted(years):
            settle_region(uow, year, region)
        uow.commit()
    return count
