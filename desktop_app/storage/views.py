"""Read models: what a screen lists, read with plain sqlite3 (cf. cosmicpython's views.py).

The list of reports is the first thing the window shows; reading its headers this way needs
neither SQLAlchemy nor the ORM tables, so the window can show before they are imported (the
database worker imports them when it first opens a session)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from desktop_app.domain.report import Status


@dataclass(frozen=True)
class ReportHeader:
    """A report without its content, for lists."""

    id: int
    region_code: str
    template_id: str
    status: Status
    version: int
    submitted_on: date | None
    created_at: datetime
    updated_at: datetime


def _datetime(text: str | None) -> datetime:
    assert text is not None  # NOT NULL columns
    return datetime.fromisoformat(text)


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def report_headers(path: Path) -> list[ReportHeader]:
    """Every report's header, newest year first, then by region code (as
    ``ReportRepository.headers``)."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA busy_timeout=5000")
        rows = con.execute(
            "SELECT id, region_code, template_id, status, version, submitted_on, created_at, "
            "updated_at FROM report ORDER BY template_id DESC, region_code"
        ).fetchall()
    finally:
        con.close()
    return [
        ReportHeader(
            id=r[0],
            region_code=r[1],
            template_id=r[2],
            status=Status(r[3]),
            version=r[4],
            submitted_on=_date(r[5]),
            created_at=_datetime(r[6]),
            updated_at=_datetime(r[7]),
        )
        for r in rows
    ]
