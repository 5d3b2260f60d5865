"""Read models: what a screen lists, read with plain sqlite3 (cf. cosmicpython's views.py).

The list of reports is the first thing the window shows, with every report's criteria; reading
it this way needs neither SQLAlchemy nor the ORM tables, so a start that only looks at the list
never imports them (they come with the first edit). The mapping from stored values to the
domain's Report is ``build_report``, shared with the repository so the two cannot differ."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from desktop_app.domain.figures import COUNT_MEASURES, Figures, Number
from desktop_app.domain.finance import FinancialStatement
from desktop_app.domain.findings import Acknowledgement
from desktop_app.domain.report import Contact, LongWaitCause, Prem, Report, Status
from desktop_app.domain.year_over_year import Baseline


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


def stored_value(measure: str, stored: float) -> Number:
    """A figure as stored (REAL) back as the domain's number: counts are whole."""
    if measure in COUNT_MEASURES and float(stored).is_integer():
        return int(stored)
    return stored


# The counts per SVF and cause of a report's tagged long waits (issue 16), with the name of a
# cause the user added (a template's cause has none stored); parameters: the report ids.
LONG_WAIT_CAUSES_SQL = (
    "SELECT w.report_id, w.svf_id, w.cause, COUNT(*), COALESCE(c.label, '') "
    "FROM patient_long_wait w LEFT JOIN long_wait_cause c ON c.id = w.cause "
    "WHERE w.cause IS NOT NULL AND w.report_id IN ({marks}) "
    "GROUP BY w.report_id, w.svf_id, w.cause ORDER BY w.report_id, w.svf_id, w.cause"
)


def build_report(
    row: Any,
    cells: Iterable[tuple[str, str, str, float]],
    answers: dict[str, str],
    causes: Iterable[tuple[str, str, int, str]] = (),
) -> Report:
    """The domain Report from a stored report row (attributes as in tables.ReportRow), its
    figure cells (svf, measure, sex, value), its answers and the counts of its long waits per
    SVF and cause (svf, cause, count, label)."""
    fig = Figures()
    for svf_id, measure, sex, value in cells:
        fig.set(svf_id, measure, sex, stored_value(measure, value))
    return Report(
        id=row.id,
        region_code=row.region_code,
        template_id=row.template_id,
        status=Status(row.status),
        version=row.version,
        figures=fig,
        prem=Prem(used=row.prem_used, sent=row.prem_sent, answers=row.prem_answers),
        answers=answers,
        contact=Contact(**json.loads(row.contact_json or "{}")),
        finance=FinancialStatement.from_dict(json.loads(row.finance_json or "{}")),
        submitted_on=row.submitted_on,
        long_wait_causes=tuple(LongWaitCause(s, c, int(n), lbl) for s, c, n, lbl in causes),
        acknowledgements=acknowledgements_of(row.acknowledgements_json),
        baseline=baseline_of(row.baseline_json, row.template_id),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def acknowledgements_of(text: str | None) -> dict[str, Acknowledgement]:
    """The justified warnings stored as JSON (schema 0010), by key."""
    items = [Acknowledgement.from_dict(d) for d in json.loads(text or "[]")]
    return {a.key: a for a in items}


def acknowledgements_json(acks: dict[str, Acknowledgement]) -> str | None:
    return (
        json.dumps([a.to_dict() for _, a in sorted(acks.items())], ensure_ascii=False)
        if acks
        else None
    )


def baseline_of(text: str | None, template_id: str) -> Baseline | None:
    """Last year's figures stored as JSON (schema 0010), None when none are set."""
    if not text:
        return None
    from desktop_app.domain.template import load_template

    tpl = load_template(template_id)
    return Baseline.from_dict(json.loads(text), tpl.measure_ids, tpl.column_ids)


def baseline_json(baseline: Baseline | None) -> str | None:
    return json.dumps(baseline.to_dict(), ensure_ascii=False) if baseline is not None else None


@dataclass(frozen=True)
class _Row:
    """A report row read with sqlite3, in the types the ORM would give."""

    id: int
    region_code: str
    template_id: str
    status: str
    version: int
    prem_used: bool | None
    prem_sent: int | None
    prem_answers: int | None
    contact_json: str
    finance_json: str
    submitted_on: date | None
    created_at: datetime
    updated_at: datetime
    acknowledgements_json: str | None = None
    baseline_json: str | None = None


_REPORT_COLUMNS = (
    "id, region_code, template_id, status, version, prem_used, prem_sent, prem_answers, "
    "contact_json, finance_json, submitted_on, created_at, updated_at, acknowledgements_json, "
    "baseline_json"
)


def _connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path)
    con.execute("PRAGMA busy_timeout=5000")
    return con


def reports(path: Path, report_ids: Sequence[int]) -> list[Report]:
    """The given reports in full (a missing id is left out), read in one transaction."""
    if not report_ids:
        return []
    marks = ",".join("?" * len(report_ids))
    con = _connect(path)
    try:
        con.execute("BEGIN")  # one snapshot for the three queries
        rows = con.execute(
            f"SELECT {_REPORT_COLUMNS} FROM report WHERE id IN ({marks})", list(report_ids)
        ).fetchall()
        cells: dict[int, list[tuple[str, str, str, float]]] = {}
        for rid, *cell in con.execute(
            f"SELECT report_id, svf_id, measure, sex, value FROM figure "
            f"WHERE report_id IN ({marks}) ORDER BY id",
            list(report_ids),
        ):
            cells.setdefault(rid, []).append(tuple(cell))  # type: ignore[arg-type]
        answers: dict[int, dict[str, str]] = {}
        for rid, question, text in con.execute(
            f"SELECT report_id, question_id, text FROM answer WHERE report_id IN ({marks}) "
            "ORDER BY id",
            list(report_ids),
        ):
            answers.setdefault(rid, {})[question] = text
        causes: dict[int, list[tuple[str, str, int, str]]] = {}
        for rid, *cause in con.execute(LONG_WAIT_CAUSES_SQL.format(marks=marks), list(report_ids)):
            causes.setdefault(rid, []).append(tuple(cause))  # type: ignore[arg-type]
        con.rollback()
    finally:
        con.close()
    by_id = {}
    for r in rows:
        row = _Row(
            *r[:5],
            None if r[5] is None else bool(r[5]),
            *r[6:10],
            _date(r[10]),
            _datetime(r[11]),
            _datetime(r[12]),
            r[13],
            r[14],
        )
        by_id[row.id] = build_report(
            row, cells.get(row.id, []), answers.get(row.id, {}), causes.get(row.id, [])
        )
    return [by_id[i] for i in report_ids if i in by_id]


def _datetime(text: str | None) -> datetime:
    assert text is not None  # NOT NULL columns
    return datetime.fromisoformat(text)


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def report_headers(path: Path) -> list[ReportHeader]:
    """Every report's header, newest year first, then by region code (as
    ``ReportRepository.headers``)."""
    con = _connect(path)
    try:
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
