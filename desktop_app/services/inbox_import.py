"""Receiving files into an RCC's inbox: verify each one exactly as ``svf-report verify`` does,
keep it (its bytes, the embedded document, the verification) with the status the inbox
policy gives it, and let each touched region's newest compilable file be the accepted one."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.domain.errors import UserError
from desktop_app.domain.rules import CriterionResult, all_met
from desktop_app.domain.vocabulary import InboxStatus
from desktop_app.services.bootstrap import AppContext
from desktop_app.services.inbox_entries import InboxEntry, entry_from_record, signers_of
from desktop_app.services.inbox_policy import (
    classify,
    judge_criteria,
    on_time,
    representative_date,
    representative_signature,
    supersede,
)
from desktop_app.services.inbox_scopes import Scope, default_year, scope_of
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


@dataclass(frozen=True)
class _Judged:
    """The criteria of a received report as the inbox judges them, with what they imply."""

    criteria: list[CriterionResult]
    notes: list[str]
    submitted_on: date | None = None
    on_time: bool | None = None


def _judge(v: FileVerification, today: date) -> _Judged:
    """The criteria recomputed with the inbox's deadline rule when the file carries a
    report; else what the verification found."""
    from desktop_app.services.exports import report_from_bytes

    if v.report_document is None or v.region_code is None:
        return _Judged(list(v.criteria), list(v.notes))
    report, tpl = report_from_bytes(v.report_document)
    criteria, more = judge_criteria(report, tpl, representative_date(v), today)
    return _Judged(criteria, list(v.notes) + more, report.submitted_on, on_time(criteria, tpl))


def _signed_at(v: FileVerification) -> datetime | None:
    """The representative's signing time as stored: naive UTC."""
    rep = representative_signature(v)
    if rep is None or rep.signing_time is None:
        return None
    return rep.signing_time.astimezone(UTC).replace(tzinfo=None)


def _record(
    v: FileVerification,
    data_sha: str,
    path: Path,
    scope: Scope,
    year: int,
    received_at: datetime,
    today: date,
) -> InboxRecord:
    """The record to store for a verified file, with the status the policy gives it."""
    refusal, reason = classify(v, scope, year)
    judged = _judge(v, today)
    return InboxRecord(
        scope=scope.id,
        year=year,
        sha256=data_sha,
        file_name=path.name,
        source_path=str(path),
        received_at=received_at,
        status=InboxStatus.REFUSED if refusal else InboxStatus.ACCEPTED,
        refusal=refusal,
        reason=reason,
        region_code=v.region_code,
        report_year=v.year,
        template_id=v.template_id,
        report_version=v.report_version,
        report_status=v.report_status,
        submitted_on=judged.submitted_on,
        signed_at=_signed_at(v),
        document_sha256=v.document_sha256,
        document_json=v.report_document.decode("utf-8") if v.report_document else None,
        certification_alt=v.certification.alternative if v.certification else None,
        criteria_met=all_met(judged.criteria) if judged.criteria else None,
        on_time=judged.on_time,
        criteria=[c.to_dict() for c in judged.criteria],
        signers=[s.to_dict() for s in signers_of(v.signatures)],
        verification=v.to_dict(),
        problems=list(v.problems),
        notes=judged.notes,
    )


def _resolve(uow: Any, scope: str, year: int, region: str) -> None:
    """Of a region's compilable entries the newest is accepted, the others superseded
    (inbox_policy.supersede decides)."""
    candidates = [e for e in uow.inbox.entries(scope, year, region) if e.refusal is None]
    if not candidates:
        return
    newest, older = supersede(candidates)
    uow.inbox.set_status(newest.id, InboxStatus.ACCEPTED, None)
    for e, reason in older:
        uow.inbox.set_status(e.id, InboxStatus.SUPERSEDED, reason, newest.id)


def _receive(
    uow: Any, path: Path, sc: Scope, year: int, trust: Path | None, today: date
) -> tuple[InboxRecord, bool]:
    """Receive one file: (its record, whether it had been received before)."""
    from desktop_app.services.verification import verify_bytes

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"Filen {path} kan inte läsas: {exc.strerror}.") from None
    sha = hashlib.sha256(data).hexdigest()
    existing = uow.inbox.find(sc.id, year, sha)
    if existing is not None:
        return existing, True
    v = verify_bytes(data, str(path), trust, today)
    rec = _record(v, sha, path, sc, year, datetime.now().replace(microsecond=0), today)
    uow.inbox.add_file(sha, data)
    uow.inbox.add(rec)
    return rec, False


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
    from desktop_app.services.verification import default_trust_dir

    sc = scope_of(scope)
    year = year or default_year(ctx)
    files = expand_paths(paths)
    trust = trust_dir if trust_dir is not None else default_trust_dir()
    today = ctx.today()
    received: list[tuple[InboxRecord, bool]] = []  # (record, already received)
    with ctx.uow() as uow:
        for i, path in enumerate(files):
            if progress is not None:
                progress(i, len(files), path.name)
            received.append(_receive(uow, path, sc, year, trust, today))
        # Only a newly received compilable file can change which of its region's files wins.
        touched = {r.region_code for r, already in received if not already and r.refusal is None}
        for region in sorted(c for c in touched if c):
            _resolve(uow, sc.id, year, region)
        # Read back: statuses may have changed while resolving versions.
        result = []
        for rec, already in received:
            assert rec.id is not None
            fresh = uow.inbox.get(rec.id)
            assert fresh is not None
            result.append(entry_from_record(fresh, already))
        uow.commit()
    return result
