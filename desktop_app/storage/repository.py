"""Repository and unit of work around the SQLite store.

Leaving a UnitOfWork without commit() rolls everything back, so a use case that changes many
rows (an import, a load) is all-or-nothing by construction."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from types import TracebackType
from typing import Any

from sqlalchemy import delete, func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from desktop_app.domain.figures import Cell, Number
from desktop_app.domain.finance import FinancialStatement
from desktop_app.domain.findings import Acknowledgement
from desktop_app.domain.history import Change, document_changes
from desktop_app.domain.identity import mask as mask_identity
from desktop_app.domain.report import Contact, Prem, Report, Status
from desktop_app.domain.template import Template, load_template
from desktop_app.domain.vocabulary import HistoryKind
from desktop_app.domain.year_over_year import Baseline
from desktop_app.storage.db import StorageError, storage_error
from desktop_app.storage.extract_repository import ExtractRepository
from desktop_app.storage.history_repository import HistoryRepository
from desktop_app.storage.inbox_repository import InboxRepository
from desktop_app.storage.provenance_repository import ProvenanceRepository
from desktop_app.storage.tables import AnswerRow, ChangeLogRow, FigureRow, ReportRow
from desktop_app.storage.views import (
    LONG_WAIT_CAUSES_SQL,
    ReportHeader,
    acknowledgements_json,
    acknowledgements_of,
    baseline_json,
    baseline_of,
    build_report,
)


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


@dataclass(frozen=True)
class SigningRecord:
    """The signing state of a report (schema revision 0003): locked against edits, the
    certification and the signatures recorded from an imported signed PDF (plain JSON dicts;
    the services give them meaning)."""

    locked: bool
    certification: dict[str, Any] | None
    signatures: dict[str, Any] | None


@dataclass(frozen=True)
class ChangeEntry:
    at: datetime
    kind: str
    summary: str


class ReportRepository:
    """Reads and writes reports; every write that changes a value also chains a row of the
    report's history (``self.history``, see storage.history_repository)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.history = HistoryRepository(session)
        self.provenance = ProvenanceRepository(session)

    # ------------------------------------------------------------ reading
    def _row(self, report_id: int) -> ReportRow | None:
        return self.session.get(ReportRow, report_id)

    def exists(self, report_id: int) -> bool:
        return self._row(report_id) is not None

    def headers(self) -> list[ReportHeader]:
        rows = self.session.exec(
            select(ReportRow).order_by(ReportRow.template_id.desc(), ReportRow.region_code)
        )  # type: ignore[attr-defined]
        return [self._header(r) for r in rows]

    def header(self, report_id: int) -> ReportHeader | None:
        row = self._row(report_id)
        return self._header(row) if row else None

    @staticmethod
    def _header(r: ReportRow) -> ReportHeader:
        assert r.id is not None
        return ReportHeader(
            id=r.id,
            region_code=r.region_code,
            template_id=r.template_id,
            status=Status(r.status),
            version=r.version,
            submitted_on=r.submitted_on,
            created_at=r.created_at,
            updated_at=r.updated_at,
        )

    def find(self, region_code: str, template_id: str) -> int | None:
        row = self.session.exec(
            select(ReportRow.id)
            .where(ReportRow.region_code == region_code, ReportRow.template_id == template_id)
            .order_by(ReportRow.version.desc())  # type: ignore[attr-defined]
        ).first()
        return row

    def get(self, report_id: int) -> Report | None:
        r = self._row(report_id)
        if r is None:
            return None
        # Plain rows, not ORM objects: a report is read after every edit (~340 cells).
        cells = self.session.exec(
            select(FigureRow.svf_id, FigureRow.measure, FigureRow.sex, FigureRow.value).where(
                FigureRow.report_id == report_id
            )
        )
        answers = dict(
            self.session.exec(
                select(AnswerRow.question_id, AnswerRow.text).where(
                    AnswerRow.report_id == report_id
                )
            ).all()
        )
        causes = [
            (svf, cause, n, lbl)
            for _, svf, cause, n, lbl in self.session.connection().exec_driver_sql(
                LONG_WAIT_CAUSES_SQL.format(marks="?"), (report_id,)
            )
        ]
        return build_report(r, cells, answers, causes)

    def changes(self, report_id: int, limit: int = 50) -> list[ChangeEntry]:
        """The newest first."""
        rows = self.session.exec(
            select(ChangeLogRow)
            .where(ChangeLogRow.report_id == report_id)
            .order_by(ChangeLogRow.id.desc())  # type: ignore[union-attr]
            .limit(limit)
        )
        return [ChangeEntry(r.at, r.kind, r.summary) for r in rows]

    def figure_count(self, report_id: int) -> int:
        return self.session.exec(
            select(func.count()).select_from(FigureRow).where(FigureRow.report_id == report_id)
        ).one()

    # ------------------------------------------------------------ writing
    def add(self, report: Report) -> int:
        now = _now()
        row = ReportRow(
            region_code=report.region_code,
            template_id=report.template_id,
            status=str(report.status),
            version=report.version,
            created_at=now,
            updated_at=now,
        )
        self.session.add(row)
        self.session.flush()
        assert row.id is not None
        report.id = row.id
        self.history.append(row.id, HistoryKind.CREATED, [Change("", None, None)])
        self._replace(row.id, report, HistoryKind.CREATED)
        self.log(row.id, "created", "Redovisningen skapades")
        return row.id

    def replace_content(self, report_id: int, report: Report) -> None:
        """Overwrite every part of a report's content with ``report``'s."""
        self._replace(report_id, report, HistoryKind.LOAD)

    def _replace(self, report_id: int, report: Report, kind: HistoryKind) -> None:
        self.history.lock(report_id)
        before = self.get(report_id)
        assert before is not None
        tpl = _template(report.template_id)
        changes = document_changes(_doc(before, tpl), _doc(report, tpl), tpl)
        row = self._require(report_id)
        row.status = str(report.status)
        row.version = report.version
        row.submitted_on = report.submitted_on
        row.contact_json = json.dumps(asdict(report.contact), ensure_ascii=False)
        row.prem_used, row.prem_sent, row.prem_answers = (
            report.prem.used,
            report.prem.sent,
            report.prem.answers,
        )
        row.finance_json = json.dumps(report.finance.to_dict(), ensure_ascii=False)
        row.acknowledgements_json = acknowledgements_json(report.acknowledgements)
        row.baseline_json = baseline_json(report.baseline)
        self.session.exec(delete(FigureRow).where(FigureRow.report_id == report_id))  # type: ignore[arg-type]
        self.session.exec(delete(AnswerRow).where(AnswerRow.report_id == report_id))  # type: ignore[arg-type]
        self.session.add_all(
            FigureRow(report_id=report_id, svf_id=s, measure=m, sex=x, value=v)
            for (s, m, x), v in report.figures.items()
        )
        self.session.add_all(
            AnswerRow(report_id=report_id, question_id=q, text=t) for q, t in report.answers.items()
        )
        self._touch(row)
        self.history.changed(report_id, kind, changes)

    def set_figures(self, report_id: int, values: Mapping[Cell, Number | None]) -> None:
        """Set many cells (None clears a cell) with two bulk statements."""
        from sqlalchemy import and_, or_
        from sqlalchemy.dialects.sqlite import insert

        row = self._require(report_id)
        self.history.lock(report_id)
        changes = self._figure_changes(row, values)
        table = FigureRow.__table__  # type: ignore[attr-defined]
        upserts = [
            {"report_id": report_id, "svf_id": s, "measure": m, "sex": x, "value": v}
            for (s, m, x), v in values.items()
            if v is not None
        ]
        clears = [(s, m, x) for (s, m, x), v in values.items() if v is None]
        if upserts:
            stmt = insert(table)
            stmt = stmt.on_conflict_do_update(
                index_elements=["report_id", "svf_id", "measure", "sex"],
                set_={"value": stmt.excluded.value},
            )
            self.session.execute(stmt, upserts)
        if clears:
            self.session.execute(
                delete(table).where(
                    table.c.report_id == report_id,
                    or_(
                        *(
                            and_(table.c.svf_id == s, table.c.measure == m, table.c.sex == x)
                            for s, m, x in clears
                        )
                    ),
                )
            )
        self._touch(row)
        self.history.changed(report_id, HistoryKind.FIGURE, changes)
        # A cell written with the value it had keeps its source (a paste over the same value,
        # a file that repeats it); a start file tags every value it gives as the extract's.
        changed = {c.path for c in changes}
        written = {
            (s, m, x): v
            for (s, m, x), v in values.items()
            if f"figures/{s}/{_cell_key(m, x)}" in changed
        }
        source = self.history.context.source
        extract = self.provenance.context.extract is not None
        self.provenance.written(report_id, dict(values) if extract else written, source)

    def _figure_changes(self, row: ReportRow, values: Mapping[Cell, Number | None]) -> list[Change]:
        from desktop_app.storage.views import stored_value

        old = {
            (s, m, x): stored_value(m, v)
            for s, m, x, v in self.session.exec(
                select(FigureRow.svf_id, FigureRow.measure, FigureRow.sex, FigureRow.value).where(
                    FigureRow.report_id == row.id
                )
            )
        }
        tpl = _template(row.template_id)
        return document_changes(
            {"figures": _figure_part({c: old.get(c) for c in values})},
            {"figures": _figure_part(values)},
            tpl,
        )

    def set_answer(self, report_id: int, question_id: str, text: str) -> None:
        row = self._require(report_id)
        self.history.lock(report_id)
        a = self.session.exec(
            select(AnswerRow).where(
                AnswerRow.report_id == report_id, AnswerRow.question_id == question_id
            )
        ).first()
        old = a.text if a is not None else ""
        if a is None:
            self.session.add(AnswerRow(report_id=report_id, question_id=question_id, text=text))
        else:
            a.text = text
        self._touch(row)
        if (old or "") != (text or ""):
            self.history.changed(
                report_id, HistoryKind.ANSWER, [Change(f"answers/{question_id}", old, text)]
            )

    def set_prem(self, report_id: int, prem: Prem, fields: Sequence[str] | None = None) -> None:
        """Write PREM; with ``fields`` only those of used/sent/answers (a concurrent writer of
        the others keeps its values)."""
        row = self._require(report_id)
        self.history.lock(report_id)
        changes = []
        for name in fields if fields is not None else ("used", "sent", "answers"):
            old, new = getattr(row, f"prem_{name}"), getattr(prem, name)
            if old != new:
                changes.append(Change(f"prem/{name}", old, new))
            setattr(row, f"prem_{name}", new)
        self._touch(row)
        self.history.changed(report_id, HistoryKind.PREM, changes)

    def _set_json_keys(self, report_id: int, column: str, values: Mapping[str, Any]) -> None:
        """Set keys of a JSON column in one UPDATE (SQLite's json_set), so that two writers of
        different keys never overwrite each other's (no read-modify-write in Python)."""
        from sqlalchemy import text

        if not values:
            return
        self.session.flush()
        args = ", ".join(f"'$.\"{k}\"', json(:v{i})" for i, k in enumerate(values))
        params: dict[str, Any] = {
            f"v{i}": json.dumps(v, ensure_ascii=False) for i, v in enumerate(values.values())
        }
        params["id"] = report_id
        self.session.execute(
            text(
                f"UPDATE report SET {column} = json_set(coalesce({column}, '{{}}'), {args}) "
                "WHERE id = :id"
            ),
            params,
        )
        self.session.expire_all()
        self._touch(self._require(report_id))

    def set_contact(
        self, report_id: int, contact: Contact, fields: Sequence[str] | None = None
    ) -> None:
        """Write the contact; with ``fields`` only those keys."""
        self._json_changes(report_id, "contact", asdict(contact), fields, HistoryKind.CONTACT)
        if fields is not None:
            d = asdict(contact)
            self._set_json_keys(report_id, "contact_json", {k: d[k] for k in fields})
            return
        row = self._require(report_id)
        row.contact_json = json.dumps(asdict(contact), ensure_ascii=False)
        self._touch(row)

    def set_finance(
        self, report_id: int, finance: FinancialStatement, fields: Sequence[str] | None = None
    ) -> None:
        """Write the financial statement; with ``fields`` only those keys (``costs`` is one
        key: the list of cost items)."""
        self._json_changes(report_id, "finance", finance.to_dict(), fields, HistoryKind.FINANCE)
        if fields is not None:
            d = finance.to_dict()
            self._set_json_keys(report_id, "finance_json", {k: d[k] for k in fields})
            return
        row = self._require(report_id)
        row.finance_json = json.dumps(finance.to_dict(), ensure_ascii=False)
        self._touch(row)

    def _json_changes(
        self,
        report_id: int,
        part: str,
        new: dict[str, Any],
        fields: Sequence[str] | None,
        kind: HistoryKind,
    ) -> None:
        """History rows for a JSON column's keys about to be written (before the write)."""
        row = self._require(report_id)
        self.history.lock(report_id)
        old = json.loads(getattr(self._require(report_id), f"{part}_json") or "{}")
        keys = list(fields) if fields is not None else list(new)
        changes = document_changes(
            {part: {k: old.get(k) for k in keys}},
            {part: {k: new.get(k) for k in keys}},
            _template(row.template_id),
        )
        self.history.changed(report_id, kind, changes)

    def set_acknowledgement(self, report_id: int, key: str, ack: Acknowledgement | None) -> None:
        """Keep ``ack`` as the justification of the warning ``key`` (None: withdraw it)."""
        row = self._require(report_id)
        self.history.lock(report_id)
        acks = acknowledgements_of(row.acknowledgements_json)
        old = acks.get(key)
        if ack is None:
            acks.pop(key, None)
        else:
            acks[key] = ack
        row.acknowledgements_json = acknowledgements_json(acks)
        self._touch(row)
        before = old.justification if old else None
        after = ack.justification if ack else None
        if before != after or (old and ack and old.fingerprint != ack.fingerprint):
            self.history.changed(
                report_id,
                HistoryKind.ACKNOWLEDGEMENT,
                [Change(f"acknowledgements/{key}", before, after)],
            )

    def set_baseline(self, report_id: int, baseline: Baseline | None) -> None:
        """Last year's figures to compare with (None: none)."""
        row = self._require(report_id)
        self.history.lock(report_id)
        old = baseline_of(row.baseline_json, row.template_id)
        row.baseline_json = baseline_json(baseline)
        self._touch(row)
        if old != baseline:
            self.history.changed(
                report_id,
                HistoryKind.BASELINE,
                [
                    Change(
                        "baseline",
                        old.describe() if old else None,
                        baseline.describe() if baseline else None,
                    )
                ],
                value=False,
            )

    def set_status(self, report_id: int, status: Status, submitted_on: date | None) -> None:
        row = self._require(report_id)
        self.history.lock(report_id)
        changes = [
            Change(path, old, new)
            for path, old, new in (
                ("status", row.status, str(status)),
                ("submitted_on", _iso(row.submitted_on), _iso(submitted_on)),
            )
            if old != new
        ]
        self.history.changed(report_id, HistoryKind.STATUS, changes, value=False)
        row = self._require(report_id)
        row.status = str(status)
        row.submitted_on = submitted_on
        self._touch(row)

    def is_locked(self, report_id: int) -> bool:
        return bool(self._require(report_id).locked)

    def signing(self, report_id: int) -> SigningRecord:
        row = self._require(report_id)
        return SigningRecord(
            locked=bool(row.locked),
            certification=json.loads(row.certification_json) if row.certification_json else None,
            signatures=json.loads(row.signatures_json) if row.signatures_json else None,
        )

    def set_signing(
        self,
        report_id: int,
        locked: bool,
        certification: dict[str, Any] | None,
        signatures: dict[str, Any] | None,
    ) -> None:
        row = self._require(report_id)
        self.history.lock(report_id)
        if bool(row.locked) != locked:
            self.history.changed(
                report_id, HistoryKind.STATUS, [Change("locked", bool(row.locked), locked)], False
            )
        row = self._require(report_id)
        row.locked = locked
        row.certification_json = (
            json.dumps(certification, ensure_ascii=False) if certification is not None else None
        )
        row.signatures_json = (
            json.dumps(signatures, ensure_ascii=False) if signatures is not None else None
        )
        self._touch(row)

    def new_version(self, report_id: int) -> int:
        """Raise the report's version by one; returns the new version."""
        row = self._require(report_id)
        self.history.lock(report_id)
        row = self._require(report_id)
        self.history.changed(
            report_id, HistoryKind.STATUS, [Change("version", row.version, row.version + 1)], False
        )
        row = self._require(report_id)
        row.version += 1
        self._touch(row)
        return row.version

    def delete(self, report_id: int) -> None:
        row = self._require(report_id)
        self.session.delete(row)

    def log(self, report_id: int, kind: str, summary: str = "") -> None:
        """A change-log line; personal identity numbers (e.g. in an import file's name) are
        masked, so the log never keeps one."""
        self.session.add(
            ChangeLogRow(report_id=report_id, at=_now(), kind=kind, summary=mask_identity(summary))
        )

    def _require(self, report_id: int) -> ReportRow:
        row = self._row(report_id)
        if row is None:
            raise KeyError(report_id)
        return row

    @staticmethod
    def _touch(row: ReportRow) -> None:
        row.updated_at = _now()


def _template(template_id: str) -> Template:
    return load_template(template_id)


def _doc(report: Report, tpl: Template) -> dict[str, Any]:
    from desktop_app.domain.document import to_document

    return to_document(report, tpl)


def _figure_part(values: Mapping[Cell, Number | None]) -> dict[str, dict[str, Number | None]]:
    from desktop_app.domain.figures import cell_key

    out: dict[str, dict[str, Number | None]] = {}
    for (s, m, x), v in values.items():
        out.setdefault(s, {})[cell_key(m, x)] = v
    return out


def _cell_key(measure: str, sex: str) -> str:
    from desktop_app.domain.figures import cell_key

    return cell_key(measure, sex)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


class UnitOfWork:
    """``with uow: ...; uow.commit()`` — anything not committed is rolled back on exit."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def __enter__(self) -> UnitOfWork:
        self.session = Session(self._engine, expire_on_commit=False)
        self.reports = ReportRepository(self.session)
        self.history = self.reports.history
        self.provenance = self.reports.provenance
        self.inbox = InboxRepository(self.session)
        self.extracts = ExtractRepository(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.session.rollback()
            self.session.close()
        except Exception:  # the rollback of a failed connection: the first error counts
            if exc is None:
                raise
        if exc is not None and not isinstance(exc, StorageError):
            translated = storage_error(exc)
            if translated is not None:
                raise translated from exc

    def begin_write(self) -> None:
        """Take the write lock now (BEGIN IMMEDIATE, waiting up to the busy timeout), so that
        what is read next in this unit is what its writes are made against."""
        try:
            self.session.connection().exec_driver_sql("BEGIN IMMEDIATE")
        except Exception as exc:
            translated = storage_error(exc)
            if translated is None:
                raise
            raise translated from exc

    def commit(self) -> None:
        try:
            self.session.commit()
        except Exception as exc:
            translated = storage_error(exc)
            if translated is None:
                raise
            raise translated from exc
