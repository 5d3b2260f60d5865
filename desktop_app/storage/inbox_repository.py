"""Repository of the RCC workspace (schema revisions 0004, 0005): received files, inbox entries and
the populations edited for a compilation. Records are plain dataclasses with JSON columns
decoded; the services give them meaning."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, select

from desktop_app.domain.problems import PROBLEM_CODES_KEY
from desktop_app.storage.tables import (
    InboxEntryRow,
    InboxEventRow,
    InboxFileRow,
    PopulationRow,
    RccLastDayRow,
    SignerRegistrationRow,
)


@dataclass
class InboxRecord:
    """One inbox entry as stored (without the file's bytes)."""

    scope: str
    year: int
    sha256: str
    file_name: str
    received_at: datetime
    status: str
    id: int | None = None
    source_path: str = ""
    refusal: str | None = None
    reason: str | None = None
    superseded_by: int | None = None
    region_code: str | None = None
    report_year: int | None = None
    template_id: str | None = None
    report_version: int | None = None
    report_status: str | None = None
    submitted_on: date | None = None
    signed_at: datetime | None = None
    document_sha256: str | None = None
    document_json: str | None = None
    certification_alt: int | None = None
    criteria_met: bool | None = None
    on_time: bool | None = None
    criteria: list[dict[str, Any]] = field(default_factory=list)
    signers: list[dict[str, Any]] = field(default_factory=list)
    verification: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    received_on: date | None = None
    remarks: list[str] = field(default_factory=list)
    decision: str | None = None
    decision_reason: str | None = None

    @property
    def problem_codes(self) -> list[str]:
        """The codes of ``problems`` (domain.problems.ProblemCode values), kept inside the
        stored verification so that the table needs no new column; a file received before
        the codes existed has none."""
        return list(self.verification.get(PROBLEM_CODES_KEY) or [])


_JSON = {
    "criteria": "criteria_json",
    "signers": "signers_json",
    "verification": "verification_json",
    "problems": "problems_json",
    "notes": "notes_json",
    "remarks": "remarks_json",
}


@dataclass(frozen=True)
class SignerRecord:
    """A registered signer (a certificate, or a CA with the organisation id it issues to)."""

    id: int
    region_code: str
    roles: tuple[str, ...]
    kind: str
    cert_sha256: str
    cert_der: bytes
    subject: str
    organisation_id: str | None
    registered_by: str
    registered_at: datetime


@dataclass(frozen=True)
class EventRecord:
    """One logged decision on a received file."""

    id: int
    entry_id: int | None
    kind: str
    value: str
    reason: str
    actor: str
    at: datetime


@dataclass(frozen=True)
class PopulationRecord:
    region_code: str
    population: int
    population_date: str
    source: str
    edited_at: datetime


def _record(row: InboxEntryRow) -> InboxRecord:
    plain = {f.name for f in fields(InboxRecord)} - set(_JSON)
    values = {name: getattr(row, name) for name in plain}
    for attr, column in _JSON.items():
        empty: Any = {} if attr == "verification" else []
        values[attr] = json.loads(getattr(row, column) or "null") or empty
    return InboxRecord(**values)


class InboxRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # ------------------------------------------------------------ files
    def has_file(self, sha256: str) -> bool:
        return self.session.get(InboxFileRow, sha256) is not None

    def add_file(self, sha256: str, data: bytes) -> None:
        if not self.has_file(sha256):
            self.session.add(InboxFileRow(sha256=sha256, data=data, size=len(data)))
            self.session.flush()

    def file_data(self, sha256: str) -> bytes | None:
        row = self.session.get(InboxFileRow, sha256)
        return bytes(row.data) if row else None

    # ------------------------------------------------------------ entries
    def add(self, record: InboxRecord) -> int:
        values = {f.name: getattr(record, f.name) for f in fields(InboxRecord)}
        values.pop("id")
        for attr, column in _JSON.items():
            values[column] = json.dumps(values.pop(attr), ensure_ascii=False)
        row = InboxEntryRow(**values)
        self.session.add(row)
        self.session.flush()
        assert row.id is not None
        record.id = row.id
        return row.id

    def get(self, entry_id: int) -> InboxRecord | None:
        row = self.session.get(InboxEntryRow, entry_id)
        return _record(row) if row else None

    def find(self, scope: str, year: int, sha256: str) -> InboxRecord | None:
        row = self.session.exec(
            select(InboxEntryRow).where(
                InboxEntryRow.scope == scope,
                InboxEntryRow.year == year,
                InboxEntryRow.sha256 == sha256,
            )
        ).first()
        return _record(row) if row else None

    def entries(
        self,
        scope: str | None = None,
        year: int | None = None,
        region_code: str | None = None,
    ) -> list[InboxRecord]:
        """Entries in the order they were received (oldest first), optionally filtered."""
        stmt = select(InboxEntryRow)
        if scope is not None:
            stmt = stmt.where(InboxEntryRow.scope == scope)
        if year is not None:
            stmt = stmt.where(InboxEntryRow.year == year)
        if region_code is not None:
            stmt = stmt.where(InboxEntryRow.region_code == region_code)
        stmt = stmt.order_by(InboxEntryRow.id)  # type: ignore[arg-type]
        return [_record(r) for r in self.session.exec(stmt)]

    def set_status(
        self,
        entry_id: int,
        status: str,
        reason: str | None,
        superseded_by: int | None = None,
    ) -> None:
        row = self.session.get(InboxEntryRow, entry_id)
        if row is None:
            raise KeyError(entry_id)
        row.status = status
        row.reason = reason
        row.superseded_by = superseded_by
        self.session.add(row)

    def update(self, record: InboxRecord) -> None:
        """Store every field of ``record`` (which has an id) over its row."""
        assert record.id is not None
        row = self.session.get(InboxEntryRow, record.id)
        if row is None:
            raise KeyError(record.id)
        for f in fields(InboxRecord):
            if f.name == "id":
                continue
            value = getattr(record, f.name)
            if f.name in _JSON:
                setattr(row, _JSON[f.name], json.dumps(value, ensure_ascii=False))
            else:
                setattr(row, f.name, value)
        self.session.add(row)
        self.session.flush()

    # ------------------------------------------------------------ signers
    def signers(self, region_code: str | None = None) -> list[SignerRecord]:
        stmt = select(SignerRegistrationRow)
        if region_code is not None:
            stmt = stmt.where(SignerRegistrationRow.region_code == region_code)
        stmt = stmt.order_by(SignerRegistrationRow.id)  # type: ignore[arg-type]
        return [
            SignerRecord(
                r.id or 0,
                r.region_code,
                tuple(x for x in r.roles.split(",") if x),
                r.kind,
                r.cert_sha256,
                bytes(r.cert_der),
                r.subject,
                r.organisation_id,
                r.registered_by,
                r.registered_at,
            )
            for r in self.session.exec(stmt)
        ]

    def add_signer(
        self,
        region_code: str,
        roles: tuple[str, ...],
        kind: str,
        cert_sha256: str,
        cert_der: bytes,
        subject: str,
        organisation_id: str | None,
        registered_by: str,
        registered_at: datetime,
    ) -> int:
        row = SignerRegistrationRow(
            region_code=region_code,
            roles=",".join(roles),
            kind=kind,
            cert_sha256=cert_sha256,
            cert_der=cert_der,
            subject=subject,
            organisation_id=organisation_id,
            registered_by=registered_by,
            registered_at=registered_at,
        )
        self.session.add(row)
        self.session.flush()
        assert row.id is not None
        return row.id

    def remove_signer(self, signer_id: int) -> bool:
        row = self.session.get(SignerRegistrationRow, signer_id)
        if row is None:
            return False
        self.session.delete(row)
        self.session.flush()
        return True

    # ------------------------------------------------------------ log and settings
    def log(
        self, entry_id: int | None, kind: str, value: str, reason: str, actor: str, at: datetime
    ) -> None:
        self.session.add(
            InboxEventRow(
                entry_id=entry_id, kind=kind, value=value, reason=reason, actor=actor, at=at
            )
        )
        self.session.flush()

    def events(self, entry_id: int | None = None) -> list[EventRecord]:
        stmt = select(InboxEventRow)
        if entry_id is not None:
            stmt = stmt.where(InboxEventRow.entry_id == entry_id)
        stmt = stmt.order_by(InboxEventRow.id)  # type: ignore[arg-type]
        return [
            EventRecord(r.id or 0, r.entry_id, r.kind, r.value, r.reason, r.actor, r.at)
            for r in self.session.exec(stmt)
        ]

    def last_day(self, rcc: str, year: int) -> date | None:
        row = self.session.exec(
            select(RccLastDayRow).where(RccLastDayRow.rcc == rcc, RccLastDayRow.year == year)
        ).first()
        return row.last_day if row else None

    def set_last_day(self, rcc: str, year: int, last_day: date) -> None:
        row = self.session.exec(
            select(RccLastDayRow).where(RccLastDayRow.rcc == rcc, RccLastDayRow.year == year)
        ).first()
        if row is None:
            row = RccLastDayRow(rcc=rcc, year=year, last_day=last_day)
        row.last_day = last_day
        self.session.add(row)
        self.session.flush()

    # ------------------------------------------------------------ populations
    def populations(self, scope: str, year: int) -> dict[str, PopulationRecord]:
        rows = self.session.exec(
            select(PopulationRow).where(PopulationRow.scope == scope, PopulationRow.year == year)
        )
        return {
            r.region_code: PopulationRecord(
                r.region_code, r.population, r.population_date, r.source, r.edited_at
            )
            for r in rows
        }

    def set_population(
        self,
        scope: str,
        year: int,
        region_code: str,
        population: int,
        population_date: str,
        source: str,
        edited_at: datetime,
    ) -> None:
        row = self.session.exec(
            select(PopulationRow).where(
                PopulationRow.scope == scope,
                PopulationRow.year == year,
                PopulationRow.region_code == region_code,
            )
        ).first()
        if row is None:
            row = PopulationRow(
                scope=scope,
                year=year,
                region_code=region_code,
                population=population,
                population_date=population_date,
                source=source,
                edited_at=edited_at,
            )
        else:
            row.population = population
            row.population_date = population_date
            row.source = source
            row.edited_at = edited_at
        self.session.add(row)

    def clear_population(self, scope: str, year: int, region_code: str | None = None) -> None:
        """Back to the reference data: one region, or (None) every region of the compilation."""
        stmt = select(PopulationRow).where(PopulationRow.scope == scope, PopulationRow.year == year)
        if region_code is not None:
            stmt = stmt.where(PopulationRow.region_code == region_code)
        for row in self.session.exec(stmt):
            self.session.delete(row)
