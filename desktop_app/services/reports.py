"""Use cases on reports: create, list, read, edit (each edit committed at once), validate,
dump and load the JSON document."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from typing import Any

from desktop_app.domain.document import document_sources, from_document, to_document
from desktop_app.domain.errors import DocumentError, UserError
from desktop_app.domain.figures import Cell, Number
from desktop_app.domain.finance import FinancialStatement
from desktop_app.domain.provenance import Provenance, SourceContext, check_reason
from desktop_app.domain.reference import Region, load_reference
from desktop_app.domain.report import STATUS_LABELS, Contact, Prem, Report, Status
from desktop_app.domain.rules import CriterionResult, Finding, evaluate_criteria, validate
from desktop_app.domain.template import Template, load_template, template_for_year
from desktop_app.domain.vocabulary import HistoryKind, Severity, ValueSource
from desktop_app.services.bootstrap import AppContext


class NotFoundError(UserError):
    pass


@dataclass(frozen=True)
class Changes:
    """What a service call changed, so screens refresh only that (cf. Anki's OpChanges)."""

    figures: bool = False
    answers: bool = False
    prem: bool = False
    contact: bool = False
    finance: bool = False
    status: bool = False
    reports: bool = False


@dataclass(frozen=True)
class ValidationResult:
    findings: list[Finding]
    criteria: list[CriterionResult]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.WARNING]

    def to_dict(self) -> dict[str, Any]:
        return {
            "criteria": [c.to_dict() for c in self.criteria],
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass(frozen=True)
class ReportSummary:
    """A report in a list, from its header alone (one query for all, no content read)."""

    id: int
    region: Region
    year: int
    template_id: str
    status: Status
    status_label: str
    version: int
    updated_at: datetime


@dataclass(frozen=True)
class ReportChecks:
    """The payment criteria and the number of findings of one report."""

    criteria: list[CriterionResult]
    error_count: int
    warning_count: int


@dataclass(frozen=True)
class ReportOverview(ReportSummary):
    """A report in a list with its criteria at a glance."""

    criteria: list[CriterionResult]
    error_count: int
    warning_count: int


def _template(report: Report) -> Template:
    return load_template(report.template_id)


def _load(uow: Any, report_id: int) -> Report:
    report = uow.reports.get(report_id)
    if report is None:
        raise NotFoundError(f"Det finns ingen redovisning med id {report_id}.")
    return report


class LockedError(UserError):
    """An edit of a certified or signed report (locked until unlocked as a new version)."""

    exit_code = 1


def _load_editable(uow: Any, report_id: int) -> Report:
    report = _load(uow, report_id)
    if uow.reports.is_locked(report_id):
        raise LockedError(
            f"Redovisningen är låst eftersom den är {STATUS_LABELS[report.status].lower()} och "
            "kan inte ändras. Lås upp den (det skapar en ny version och gör underskrifterna "
            "ogiltiga) om något måste ändras."
        )
    return report


def create_report(ctx: AppContext, region_code: str, year: int) -> int:
    """A new, empty draft report for a region and year; refuses a second one."""
    region = load_reference().region(region_code)
    tpl = template_for_year(year)
    with ctx.uow() as uow:
        existing = uow.reports.find(region.code, tpl.id)
        if existing is not None:
            raise UserError(
                f"Det finns redan en redovisning för {region.name} {tpl.year} (id {existing})."
            )
        report = Report(region_code=region.code, template_id=tpl.id)
        report.finance = FinancialStatement(
            recipient=region.name,
            agreement_name=tpl.agreement.get("name", ""),
            dnr_agreement=tpl.agreement.get("regeringskansliet_dnr") or "",
            period=f"{tpl.period_start.isoformat()} – {tpl.period_end.isoformat()}",
        )
        report_id = uow.reports.add(report)
        uow.commit()
    return report_id


def get_report(ctx: AppContext, report_id: int) -> Report:
    with ctx.uow() as uow:
        return _load(uow, report_id)


def template_of(ctx: AppContext, report_id: int) -> Template:
    return _template(get_report(ctx, report_id))


def check_report(report: Report, today: date) -> ValidationResult:
    """Findings and criteria of a report already in hand."""
    tpl = _template(report)
    return ValidationResult(validate(report, tpl), evaluate_criteria(report, tpl, today))


def validate_report(ctx: AppContext, report_id: int) -> ValidationResult:
    return check_report(get_report(ctx, report_id), ctx.today())


@contextmanager
def _swedish_storage_errors() -> Iterator[None]:
    """A failing plain-sqlite3 read (storage.views; e.g. a damaged file opened read-only)
    as the Swedish StorageError, never SQLite's English text."""
    import sqlite3

    from desktop_app.storage.db import storage_error

    try:
        yield
    except sqlite3.Error as exc:
        swedish = storage_error(exc)
        if swedish is None:
            raise
        raise swedish from exc


def summarise_reports(ctx: AppContext) -> list[ReportSummary]:
    """Every report, newest year first, from the headers alone: cheap enough for the UI thread
    (the list shows at once; its criteria follow from ``check_reports``)."""
    from desktop_app.storage.views import report_headers

    ref = load_reference()
    with _swedish_storage_errors():
        headers = report_headers(ctx.db_path)
    return [
        ReportSummary(
            id=h.id,
            region=ref.region(h.region_code),
            year=Report(region_code=h.region_code, template_id=h.template_id).year,
            template_id=h.template_id,
            status=h.status,
            status_label=STATUS_LABELS[h.status],
            version=h.version,
            updated_at=h.updated_at,
        )
        for h in headers
    ]


def check_reports(ctx: AppContext, report_ids: list[int]) -> dict[int, ReportChecks]:
    """Criteria and finding counts of the given reports (a report deleted meanwhile is left
    out). Reads (with plain sqlite3, see storage.views) and validates every report: run it off
    the UI thread."""
    from desktop_app.storage import views

    out = {}
    with _swedish_storage_errors():
        found = views.reports(ctx.db_path, report_ids)
    for report in found:
        assert report.id is not None
        result = check_report(report, ctx.today())
        out[report.id] = ReportChecks(result.criteria, len(result.errors), len(result.warnings))
    return out


def list_reports(ctx: AppContext) -> list[ReportOverview]:
    """Every report with its criteria at a glance."""
    summaries = summarise_reports(ctx)
    checks = check_reports(ctx, [s.id for s in summaries])
    return [
        ReportOverview(
            **{f.name: getattr(s, f.name) for f in fields(ReportSummary)},
            criteria=checks[s.id].criteria,
            error_count=checks[s.id].error_count,
            warning_count=checks[s.id].warning_count,
        )
        for s in summaries
        if s.id in checks
    ]


def delete_report(ctx: AppContext, report_id: int) -> Changes:
    with ctx.uow() as uow:
        _load(uow, report_id)
        uow.reports.delete(report_id)
        uow.commit()
    return Changes(reports=True)


# ----------------------------------------------------------------------- edits


def check_figure_value(
    tpl: Template, svf_id: str, measure: str, sex: str, value: Number | None
) -> None:
    """Refuse a value that can never be stored: unknown cell, negative, or a decimal count."""
    svf, m, x = tpl.svf(svf_id), tpl.measure(measure), tpl.sex(sex)
    if svf is None or m is None or x is None:
        raise UserError(f"Okänd cell: SVF '{svf_id}', mått '{measure}', kön '{sex}'.")
    where = f"{svf.name}, {x.label.lower()}, {m.label}"
    if value is None:
        return
    if not tpl.cell_applies(svf, measure, sex) and value:
        if sex == tpl.total_id:
            raise UserError(f"{where}: {m.label} kan inte anges totalt för SVF {svf.name}.")
        raise UserError(f"{where}: SVF {svf.name} gäller inte {x.label.lower()}.")
    if value < 0:
        raise UserError(f"{where}: värdet får inte vara negativt.")
    if m.kind == "count" and not float(value).is_integer():
        raise UserError(f"{where}: antal måste vara ett heltal.")


class ReasonRequiredError(UserError):
    """A change of a value that came from the RCC's extract without a reason (issue 15.2)."""

    exit_code = 2


def set_figures(
    ctx: AppContext,
    report_id: int,
    values: Mapping[Cell, Number | None],
    note: str = "",
    reason: str | None = None,
) -> Changes:
    """Set one or many cells (None clears) in one transaction; all or nothing. Changing a
    value that came from the RCC's extract needs ``reason`` (kept with the value and in the
    history), unless the cell already has one or goes back to the extract's value."""
    try:
        reason = check_reason(reason)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    with ctx.uow() as uow:
        report = _load_editable(uow, report_id)
        tpl = _template(report)
        clean: dict[Cell, Number | None] = {}
        for (s, m, x), v in values.items():
            check_figure_value(tpl, s, m, x, v)
            clean[(s, m, x)] = int(v) if v is not None and m != "median_days" else v
        if reason is None:
            _require_reason(tpl, report, uow.provenance.of(report_id, clean), clean)
        if reason is not None:
            uow.history.set_context(reason=reason)
            uow.provenance.set_source(SourceContext(ValueSource.TYPED, reason=reason))
        uow.reports.set_figures(report_id, clean)
        if note:
            uow.reports.log(report_id, "figures", note)
        uow.commit()
    return Changes(figures=True)


def reason_needed(
    ctx: AppContext, report_id: int, values: Mapping[Cell, Number | None]
) -> dict[Cell, Provenance]:
    """The cells of ``values`` whose writing needs a reason (it would change a value of the
    RCC's extract that has none yet), with their provenance."""
    with ctx.uow() as uow:
        report = _load(uow, report_id)
        sources = uow.provenance.of(report_id, values)
    return {
        c: p
        for c, v in values.items()
        if (p := sources.get(c)) is not None and _reason_missing(p, report.figures.get(*c), v)
    }


def _reason_missing(p: Provenance, current: Number | None, value: Number | None) -> bool:
    if p.extract is None or value == current or not p.deviates(value):
        return False
    return p.reason is None or not p.deviates(current)


def _require_reason(
    tpl: Template, report: Report, sources: Mapping[Cell, Provenance], values: Mapping[Cell, Any]
) -> None:
    for cell, v in values.items():
        p = sources.get(cell)
        if p is not None and _reason_missing(p, report.figures.get(*cell), v):
            assert p.extract is not None
            raise ReasonRequiredError(
                f"{cell_label(tpl, cell)}: värdet {fmt_value(p.extract_value)} kommer från RCC:s "
                f"datauttag {p.extract.on.isoformat()}. Ange kort varför det ändras till "
                f'{fmt_value(v)} (--reason "…" på kommandoraden). Inget har ändrats.'
            )


def cell_label(tpl: Template, cell: Cell) -> str:
    """``Lungcancer, kvinnor: Inkluderade`` for a figure cell."""
    from desktop_app.domain.figures import cell_key
    from desktop_app.domain.history import path_label

    return path_label(f"figures/{cell[0]}/{cell_key(cell[1], cell[2])}", tpl)


def fmt_value(v: Number | None) -> str:
    if v is None:
        return "(tomt)"
    return str(int(v)) if float(v).is_integer() else f"{v}".replace(".", ",")


def figure_provenance(ctx: AppContext, report_id: int) -> dict[Cell, Provenance]:
    """Where each of the report's cells came from (cells stored before schema 0009 are
    absent: their source is not known)."""
    with ctx.uow() as uow:
        _load(uow, report_id)
        return uow.provenance.of(report_id)


def set_figure(
    ctx: AppContext, report_id: int, svf_id: str, measure: str, sex: str, value: Number | None
) -> Changes:
    return set_figures(ctx, report_id, {(svf_id, measure, sex): value})


def set_answer(ctx: AppContext, report_id: int, question_id: str, text: str) -> Changes:
    with ctx.uow() as uow:
        report = _load_editable(uow, report_id)
        q = _template(report).question(question_id)
        if q is None:
            raise UserError(f"Frågan '{question_id}' finns inte i mallen {report.template_id}.")
        if q.type == "yes_no" and text.strip().lower() not in ("", "ja", "nej"):
            raise UserError(f"{q.title}: svara ja eller nej.")
        uow.reports.set_answer(report_id, question_id, text)
        uow.commit()
    return Changes(answers=True)


def _changed(new: dict[str, Any], base: dict[str, Any] | None) -> list[str] | None:
    """The keys that differ from ``base`` (None: no base, write everything)."""
    if base is None:
        return None
    return [k for k, v in new.items() if base.get(k) != v]


def set_prem(ctx: AppContext, report_id: int, prem: Prem, base: Prem | None = None) -> Changes:
    """Store PREM. With ``base`` (what the editor started from) only the changed values are
    written, so a concurrent edit of another value is kept."""
    for label, v in (("Antal utskickade enkäter", prem.sent), ("Antal svar", prem.answers)):
        if v is not None and (v < 0 or not float(v).is_integer()):
            raise UserError(f"PREM: {label} måste vara ett heltal, 0 eller större.")
    fields = _changed(asdict(prem), asdict(base) if base is not None else None)
    with ctx.uow() as uow:
        _load_editable(uow, report_id)
        uow.reports.set_prem(report_id, prem, fields)
        uow.commit()
    return Changes(prem=True)


def set_contact(
    ctx: AppContext, report_id: int, contact: Contact, base: Contact | None = None
) -> Changes:
    """Store the contact; with ``base`` only the changed fields (see set_prem)."""
    fields = _changed(asdict(contact), asdict(base) if base is not None else None)
    with ctx.uow() as uow:
        _load_editable(uow, report_id)
        uow.reports.set_contact(report_id, contact, fields)
        uow.commit()
    return Changes(contact=True)


def set_finance(
    ctx: AppContext,
    report_id: int,
    finance: FinancialStatement,
    base: FinancialStatement | None = None,
) -> Changes:
    """Store the financial statement; with ``base`` only the changed fields (the cost items
    count as one field), so two people editing different fields both keep their edit."""
    new = finance.normalised()
    fields = _changed(new.to_dict(), base.normalised().to_dict() if base is not None else None)
    with ctx.uow() as uow:
        _load_editable(uow, report_id)
        uow.reports.set_finance(report_id, new, fields)
        uow.commit()
    return Changes(finance=True)


def mark_submitted(ctx: AppContext, report_id: int, on: date | None = None) -> Changes:
    """Record that the report was handed in (the deadline criterion is judged on this date)."""
    on = on or ctx.today()
    with ctx.uow() as uow:
        _load(uow, report_id)
        uow.reports.set_status(report_id, Status.SUBMITTED, on)
        uow.reports.log(report_id, "submitted", f"Inlämnad {on.isoformat()}")
        uow.commit()
    return Changes(status=True)


# -------------------------------------------------------------- JSON document


def dump_report(ctx: AppContext, report_id: int) -> dict[str, Any]:
    """The report's document, with the head of its history chain."""
    with ctx.uow() as uow:
        report = _load(uow, report_id)
        head = uow.history.document_head(report_id)
        sources = uow.provenance.of(report_id)
    return to_document(report, _template(report), head, sources)


def load_document(ctx: AppContext, data: Any, origin: str = "dokumentet") -> tuple[int, bool]:
    """Create or replace the report a document describes (same region and template).

    Returns (report id, created?). Nothing changes unless the whole document is valid."""
    if not isinstance(data, dict) or not isinstance(data.get("template"), str):
        raise DocumentError(f"{origin} är inget rapportdokument från SVF-redovisning.")
    tpl = load_template(data["template"])
    report = from_document(data, tpl, origin)
    sources = document_sources(data, tpl, origin)
    region = load_reference().region(report.region_code)
    with ctx.uow() as uow:
        uow.history.set_context(HistoryKind.LOAD, ValueSource.IMPORT, f"Inläst från {origin}")
        existing = uow.reports.find(region.code, tpl.id)
        if existing is None:
            report_id = uow.reports.add(report)
            created = True
        else:
            report_id = existing
            _load_editable(uow, report_id)
            uow.reports.replace_content(report_id, report)
            created = False
        uow.provenance.replace(report_id, sources)
        uow.reports.log(report_id, "loaded", f"Inläst från {origin}")
        uow.commit()
    return report_id, created
