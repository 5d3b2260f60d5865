"""Import of an Excel workbook or CSV into a report: parse, check, preview, store.

The file is checked on its own (exchange.excel), then merged with the report's current figures
and checked again with the consistency rules; any error refuses the whole file and nothing is
changed. Blank cells in the file leave the report's value as it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_app.domain.figures import Cell, Number
from desktop_app.domain.provenance import SourceContext
from desktop_app.domain.reference import Region, load_reference
from desktop_app.domain.report import Prem, Report
from desktop_app.domain.rules import CONSISTENCY_RULES, Finding, figure_findings, validate
from desktop_app.domain.template import Template, load_template
from desktop_app.domain.vocabulary import HistoryKind, Severity, ValueSource, plural
from desktop_app.exchange.excel import (
    CSV_SUFFIXES as CSV_SUFFIXES,  # re-exported: ui/ reaches file formats only through here
)
from desktop_app.exchange.excel import (
    EXCEL_SUFFIXES as EXCEL_SUFFIXES,
)
from desktop_app.exchange.excel import (
    ImportData,
    ImportProblem,
    read_import_file,
    write_import_workbook,
)
from desktop_app.exchange.excel import (
    ImportFileError as ImportFileError,
)
from desktop_app.services.bootstrap import AppContext
from desktop_app.services.reports import Changes, _load, _load_editable


@dataclass(frozen=True)
class CellChange:
    cell: Cell | str  # a figure cell, or a PREM field name
    old: Number | bool | None
    new: Number | bool | None


@dataclass(frozen=True)
class ImportPreview:
    report_id: int
    source: str
    changes: list[CellChange]
    unchanged: int
    data: ImportData
    # Warnings about the file's values (e.g. more included than investigated, which can be
    # right): shown with the cell they concern, never a reason to refuse the file.
    warnings: list[ImportProblem] = field(default_factory=list)
    sha256: str = ""  # of the file as read, kept as the values' source
    # Issue 15, point 2: the cells whose new value differs from the RCC's extract without a
    # reason yet (cell → (the extract's value, the file's)); storing them needs ``reason``.
    needs_reason: dict[Cell, tuple[Number | None, Number | None]] = field(default_factory=dict)
    reason: str | None = None
    extract_text: str = ""  # "RCC:s datauttag 2024-08-21", for the question

    @property
    def figure_changes(self) -> dict[Cell, Number | None]:
        return {c.cell: c.new for c in self.changes if isinstance(c.cell, tuple)}  # type: ignore[misc]


def _merged(report: Report, data: ImportData) -> Report:
    fig = report.figures.copy()
    for (s, m, x), v in data.figures.items():
        fig.set(s, m, x, v)
    prem = Prem(
        used=report.prem.used if data.prem_used is None else data.prem_used,
        sent=report.prem.sent if data.prem_sent is None else data.prem_sent,
        answers=report.prem.answers if data.prem_answers is None else data.prem_answers,
    )
    return Report(
        region_code=report.region_code,
        template_id=report.template_id,
        figures=fig,
        prem=prem,
        answers=report.answers,
        contact=report.contact,
    )


def _touches(f: Finding, data: ImportData) -> bool:
    """Does a finding concern something the file sets? (Old problems elsewhere do not block.)"""
    loc = f.location
    if loc.field is not None:
        return loc.field in data.locations
    return any(s == loc.svf and (loc.sex is None or x == loc.sex) for (s, _m, x) in data.figures)


def _problem(f: Finding, data: ImportData) -> ImportProblem:
    """A finding as a problem of the file, naming the cell of the file it concerns."""
    loc = f.location
    key: Cell | str | None = (
        (loc.svf, loc.measure, loc.sex) if loc.svf and loc.measure and loc.sex else loc.field
    )
    ref = data.locations.get(key) if key is not None else None  # type: ignore[arg-type]
    if ref is None and loc.svf and loc.sex:
        # The rule points at a value already in the report; name the row in the file instead.
        ref = next((r for (s, _m, x), r in _cell_refs(data) if s == loc.svf and x == loc.sex), None)
    return ImportProblem(ref, f.message)


def _problems_after_merge(tpl: Template, merged: Report, data: ImportData) -> list[ImportProblem]:
    return [
        _problem(f, data)
        for f in validate(merged, tpl)
        if f.severity == Severity.ERROR and f.rule in CONSISTENCY_RULES and _touches(f, data)
    ]


def _warnings_after_merge(tpl: Template, merged: Report, data: ImportData) -> list[ImportProblem]:
    """The warnings of the figures that concern a cell the file sets."""
    return [
        _problem(f, data)
        for f in figure_findings(merged.figures, tpl)
        if f.severity == Severity.WARNING and _touches(f, data)
    ]


def _cell_refs(data: ImportData) -> list:
    return [(k, r) for k, r in data.locations.items() if isinstance(k, tuple)]


def _compare(report: Report, data: ImportData) -> tuple[list[CellChange], int]:
    """What the file changes in ``report``, and how many of its values are already there."""
    changes: list[CellChange] = []
    unchanged = 0
    for cell, new in data.figures.items():
        old = report.figures.get(*cell)
        if old == new:
            unchanged += 1
        else:
            changes.append(CellChange(cell, old, new))
    prem_fields: list[tuple[str, Number | bool | None, Number | bool | None]] = [
        ("prem_used", report.prem.used, data.prem_used),
        ("prem_sent", report.prem.sent, data.prem_sent),
        ("prem_answers", report.prem.answers, data.prem_answers),
    ]
    for name, before, after in prem_fields:
        if after is None:
            continue
        if before == after:
            unchanged += 1
        else:
            changes.append(CellChange(name, before, after))
    return changes, unchanged


def preview_import(ctx: AppContext, report_id: int, path: Path) -> ImportPreview:
    """Read and check a file against a report; raises ImportFileError listing every problem.
    Nothing is stored."""
    with ctx.uow() as uow:
        report = _load_editable(uow, report_id)
    tpl = load_template(report.template_id)
    data = read_import_file(
        Path(path),
        tpl,
        report.region_code,
        check=lambda d: _problems_after_merge(tpl, _merged(report, d), d),
    )
    warnings = _warnings_after_merge(tpl, _merged(report, data), data)
    changes, unchanged = _compare(report, data)
    from desktop_app.services.extract import file_sha256

    sha = file_sha256(Path(path))
    with ctx.uow() as uow:
        needs, extract_text = _reason_cells(uow, report, data)
    return ImportPreview(
        report_id, data.source, changes, unchanged, data, warnings, sha, needs, None, extract_text
    )


def _reason_cells(
    uow: Any, report: Report, data: ImportData
) -> tuple[dict[Cell, tuple[Number | None, Number | None]], str]:
    """The cells the file changes away from the RCC's extract with no reason yet, and the
    extract's name: a start file's values the region changed in the file, or (any file) new
    values of cells that came from the extract."""
    from desktop_app.services.reports import _reason_missing

    out: dict[Cell, tuple[Number | None, Number | None]] = {}
    on = None
    if data.extract is not None:
        on = data.extract.on
        for c, v in data.figures.items():
            if c in data.extract_values and data.extract_values[c] != v:
                out[c] = (data.extract_values[c], v)
    else:
        assert report.id is not None
        sources = uow.provenance.of(report.id, data.figures)
        for c, v in data.figures.items():
            p = sources.get(c)
            if (
                p is not None
                and p.extract is not None
                and _reason_missing(p, report.figures.get(*c), v)
            ):
                out[c] = (p.extract_value, v)
                on = p.extract.on
    return out, (f"RCC:s datauttag {on.isoformat()}" if on else "RCC:s datauttag")


def _require_import_reason(
    tpl: Template, preview: ImportPreview, needs: dict[Cell, tuple[Number | None, Number | None]]
) -> str | None:
    """The preview's reason checked; ReasonRequiredError naming the cells when one is needed
    and none was given."""
    from desktop_app.domain.errors import UserError
    from desktop_app.domain.provenance import check_reason
    from desktop_app.services.reports import ReasonRequiredError, cell_label, fmt_value

    try:
        reason = check_reason(preview.reason)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if needs and reason is None:
        lines = [
            f"  – {cell_label(tpl, c)}: {fmt_value(old)} → {fmt_value(new)}"
            for c, (old, new) in list(needs.items())[:10]
        ]
        more = f"\n  … och {len(needs) - 10} till" if len(needs) > 10 else ""
        raise ReasonRequiredError(
            f"{preview.source} ändrar {'1 värde' if len(needs) == 1 else f'{len(needs)} värden'} "
            "från RCC:s datauttag:\n"
            + "\n".join(lines)
            + more
            + '\nAnge kort varför (--reason "…" på kommandoraden). Inget har importerats.'
        )
    return reason


def store_import(ctx: AppContext, preview: ImportPreview) -> ImportPreview:
    """Store a previewed import in one write transaction, compared again with the report as
    it is inside that transaction (another window or run may have changed it since the
    preview): every value of the file is written where the report differs, the file is
    checked again against the report it now merges with, and the returned ImportPreview says
    exactly what changed – the report holds the file's values afterwards."""
    data = preview.data
    with ctx.uow() as uow:
        uow.begin_write()
        report = _load_editable(uow, preview.report_id)
        tpl = load_template(report.template_id)
        merged = _merged(report, data)
        problems = _problems_after_merge(tpl, merged, data)
        if problems:
            raise ImportFileError(preview.source, problems)
        changes, unchanged = _compare(report, data)
        needs, extract_text = _reason_cells(uow, report, data)
        reason = _require_import_reason(tpl, preview, needs)
        applied = ImportPreview(
            preview.report_id,
            preview.source,
            changes,
            unchanged,
            data,
            _warnings_after_merge(tpl, merged, data),
            preview.sha256,
            needs,
            reason,
            extract_text,
        )
        uow.history.set_context(HistoryKind.IMPORT, ValueSource.IMPORT, preview.source, reason)
        _import_figures(uow, applied)
        if any(isinstance(c.cell, str) for c in changes):
            uow.reports.set_prem(preview.report_id, merged.prem)
        uow.reports.log(
            preview.report_id,
            "import",
            f"Import från {preview.source}: {len(changes)} värden ändrade, {unchanged} oförändrade"
            + (f", {plural(Severity.WARNING, len(applied.warnings))}" if applied.warnings else ""),
        )
        uow.commit()
    return applied


def apply_import(ctx: AppContext, preview: ImportPreview) -> Changes:
    """Store a previewed import (see ``store_import``)."""
    store_import(ctx, preview)
    return Changes(figures=True, prem=True)


def _import_figures(uow: Any, preview: ImportPreview) -> None:
    """Write the file's figures with their source: the file, or for a start file the RCC's
    extract (its values as the RCC gave them; a value the region changed in the file keeps
    the extract's as the one it deviates from)."""
    data = preview.data
    sha = preview.sha256
    why = preview.reason if preview.needs_reason else None
    if data.extract is None:
        if preview.figure_changes:
            uow.provenance.set_source(
                SourceContext(ValueSource.IMPORT, preview.source, sha, reason=why)
            )
            uow.reports.set_figures(preview.report_id, preview.figure_changes)
        return
    same = {c: v for c, v in data.figures.items() if data.extract_values.get(c) == v}
    uow.history.set_context(HistoryKind.IMPORT, ValueSource.RCC_EXTRACT, preview.source)
    uow.provenance.set_source(SourceContext(ValueSource.RCC_EXTRACT, extract=data.extract))
    # The extract's own values first (every one, also those already equal), then the cells
    # the region changed in the file, as changes from the extract with the import's reason.
    uow.reports.set_figures(preview.report_id, {**data.extract_values, **same})
    changed = {c: v for c, v in data.figures.items() if c not in same}
    if changed:
        uow.history.set_context(HistoryKind.IMPORT, ValueSource.IMPORT, preview.source, why)
        uow.provenance.set_source(
            SourceContext(ValueSource.IMPORT, preview.source, sha, reason=why)
        )
        uow.reports.set_figures(preview.report_id, changed)


def import_file(
    ctx: AppContext, report_id: int, path: Path, reason: str | None = None
) -> ImportPreview:
    """Check and store a file in one go (the CLI's `import`). Returns what changed. A file
    that changes values from the RCC's extract needs ``reason`` (ReasonRequiredError)."""
    from dataclasses import replace

    return store_import(ctx, replace(preview_import(ctx, report_id, path), reason=reason))


def write_template(
    ctx: AppContext, region_code: str, year: int, out: Path, report_id: int | None = None
) -> Path:
    """The import workbook for a region and year, prefilled with a report's values if given."""
    from desktop_app.domain.template import template_for_year

    region = load_reference().region(region_code)
    tpl = template_for_year(year)
    values = None
    prem = None
    if report_id is not None:
        with ctx.uow() as uow:
            report = _load(uow, report_id)
        values = dict(report.figures.items())
        prem = (report.prem.used, report.prem.sent, report.prem.answers)
    write_import_workbook(Path(out), tpl, region, values, prem)
    return Path(out)


def write_blank_template(out: Path | str, tpl: Template, region: Region) -> Path:
    """The empty import workbook for a region and a template, without any database."""
    write_import_workbook(Path(out), tpl, region)
    return Path(out)
