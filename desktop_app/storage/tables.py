"""SQLModel tables. They are storage records only; the repository maps them to the plain
domain dataclasses (desktop_app.domain.report), so the domain never depends on SQL.

Why not one class for both: the domain Report holds nested values (figures table, PREM,
financial statement) that are several tables or JSON columns here, and the domain must stay
importable without SQLAlchemy."""

from __future__ import annotations

from datetime import date

from pydantic import NaiveDatetime
from sqlalchemy import Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel


class ReportRow(SQLModel, table=True):
    __tablename__ = "report"

    id: int | None = Field(default=None, primary_key=True)
    region_code: str = Field(index=True)
    template_id: str
    status: str = "draft"
    version: int = 1
    submitted_on: date | None = None
    contact_json: str = "{}"
    prem_used: bool | None = None
    prem_sent: int | None = None
    prem_answers: int | None = None
    finance_json: str = "{}"
    created_at: NaiveDatetime
    updated_at: NaiveDatetime
    # Schema revision 0003: a certified or signed report is locked against edits; the
    # certification (JSON of domain.finance.Certification, plus "void" once unlocked) and the
    # signatures found when the signed PDF was imported.
    locked: bool = False
    certification_json: str | None = None
    signatures_json: str | None = None


class FigureRow(SQLModel, table=True):
    __tablename__ = "figure"
    __table_args__ = (UniqueConstraint("report_id", "svf_id", "measure", "sex"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("report.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    svf_id: str
    measure: str
    sex: str
    value: float


class AnswerRow(SQLModel, table=True):
    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("report_id", "question_id"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("report.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    question_id: str
    text: str = ""


class ChangeLogRow(SQLModel, table=True):
    """What was changed and when (schema revision 0002): the 'last edited' column and an
    audit trail of imports and loads."""

    __tablename__ = "change_log"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("report.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    at: NaiveDatetime
    kind: str
    summary: str = ""
