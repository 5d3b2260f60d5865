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
from desktop_app.domain.identity import mask as mask_identity
from desktop_app.domain.report import Contact, Prem, Report, Status
from desktop_app.storage.db import StorageError, storage_error
from desktop_app.storage.inbox_repository import InboxRepository
from desktop_app.storage.tables import AnswerRow, ChangeLogRow, FigureRow, ReportRow
from desktop_app.storage.views import ReportHeader, build_report


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
    def __init__(self, session: Session) -> None:
        self.session = session

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
        return build_report(r, cells, answers)

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
        self.replace_content(row.id, report)
        self.log(row.id, "created", "Redovisningen skapades")
        return row.id

    def replace_content(self, report_id: int, report: Report) -> None:
        """Overwrite every part of a report's content with ``report``'s."""
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

    def set_figures(self, report_id: int, values: Mapping[Cell, Number | None]) -> None:
        """Set many cells (None clears a cell) with two bulk statements."""
        from sqlalchemy import and_, or_
        from sqlalchemy.dialects.sqlite import insert

        row = self._require(report_id)
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

    def set_answer(self, report_id: int, question_id: str, text: str) -> None:
        row = self._require(report_id)
        a = self.session.exec(
            select(AnswerRow).where(
                AnswerRow.report_id == report_id, AnswerRow.question_id == question_id
            )
        ).first()
        if a is None:
            self.session.add(AnswerRow(report_id=report_id, question_id=question_id, text=text))
        else:
            a.text = text
        self._touch(row)

    def set_prem(self, report_id: int, prem: Prem, fields: Sequence[str] | None = None) -> None:
        """Write PREM; with ``fields`` only those of used/sent/answers (a concurrent writer of
        the others keeps its values)."""
        row = self._require(report_id)
        for name in fields if fields is not None else ("used", "sent", "answers"):
            setattr(row, f"prem_{name}", getattr(prem, name))
        self._touch(row)

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
        if fields is not None:
            d = finance.to_dict()
            self._set_json_keys(report_id, "finance_json", {k: d[k] for k in fields})
            return
        row = self._require(report_id)
        row.finance_json = json.dumps(finance.to_dict(), ensure_ascii=False)
        self._touch(row)

    def set_status(self, report_id: int, status: Status, submitted_on: date | None) -> None:
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


class UnitOfWork:
    """``with uow: ...; uow.commit()`` — anything not committed is rolled back on exit."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def __enter__(self) -> UnitOfWork:
        self.session = Session(self._engine, expire_on_commit=False)
        self.reports = ReportRepository(self.session)
        self.inbox = InboxRepository(self.session)
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
