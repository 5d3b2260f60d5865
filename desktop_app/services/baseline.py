"""Last year's figures as the baseline of the year-over-year check (issue 15, point 6).

A region sets as its baseline last year's signed report (the PDF), that report as a document
(``dump``'s JSON, or an exported PDF without signatures), or the RCC's extract of last year
(xlsx/csv, one row per region × SVF × sex). Only the counts the check reads are kept, with the
file's name and hash; the report's history records the change."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from desktop_app.domain.document import from_document
from desktop_app.domain.errors import DocumentError, UserError
from desktop_app.domain.figures import Figures
from desktop_app.domain.limits import REGISTERED_FILE_MAX_BYTES
from desktop_app.domain.reference import load_reference
from desktop_app.domain.report import Report
from desktop_app.domain.template import Template, load_template, template_for_year
from desktop_app.domain.vocabulary import BaselineSource
from desktop_app.domain.year_over_year import Baseline, baseline_figures
from desktop_app.services.bootstrap import AppContext
from desktop_app.services.pdf_files import sha256_hex
from desktop_app.services.reports import Changes, _load, _load_editable

BASELINE_SUFFIXES = (".pdf", ".json", ".xlsx", ".csv")


class BaselineError(UserError):
    """A file that cannot be last year's figures of this report (Swedish message)."""

    exit_code = 1


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > REGISTERED_FILE_MAX_BYTES:
            raise BaselineError(
                f"{path.name} är {size // (1024 * 1024)} MB, större än gränsen "
                f"{REGISTERED_FILE_MAX_BYTES // (1024 * 1024)} MB för fjolårets redovisning."
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise BaselineError(f"Filen {path} finns inte.") from None
    except OSError as exc:
        raise BaselineError(f"Filen {path} kan inte läsas ({exc.strerror or exc}).") from None


def _last_template(tpl: Template) -> Template:
    try:
        return template_for_year(tpl.year - 1)
    except UserError:
        raise BaselineError(
            f"Det finns ingen mall för {tpl.year - 1}, så fjolårets siffror kan inte läsas."
        ) from None


def _from_report_document(data: bytes, path: Path, report: Report, last: Template) -> Figures:
    from desktop_app.exchange.limits import InputLimitError, load_json_bounded

    what = f"Rapportdokumentet i {path.name}"
    try:
        doc = load_json_bounded(data, what)
    except InputLimitError:
        raise
    except ValueError:
        raise BaselineError(f"{path.name} är ingen läsbar JSON-fil.") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("template"), str):
        raise BaselineError(f"{path.name} är inget rapportdokument från SVF-redovisning.")
    if doc.get("year") != last.year:
        raise BaselineError(
            f"{path.name} är redovisningen för {doc.get('year')}, inte för fjolåret "
            f"({last.year}). Välj fjolårets redovisning."
        )
    if doc.get("region") != report.region_code:
        region = load_reference().region(report.region_code)
        raise BaselineError(
            f"{path.name} är en annan regions redovisning ({doc.get('region')}), inte "
            f"{region.name}s."
        )
    try:
        return from_document(doc, load_template(doc["template"]), path.name).figures
    except DocumentError as exc:
        raise BaselineError(str(exc)) from None


def _from_pdf(
    data: bytes, path: Path, report: Report, last: Template, today: date
) -> tuple[Figures, BaselineSource]:
    from desktop_app.services.pdf_files import embedded_report
    from desktop_app.services.verification import verify_bytes

    v = verify_bytes(data, path.name, today=today)
    if not v.readable:
        raise BaselineError(f"{path.name} kan inte läsas som PDF.")
    signed = (
        v.certified
        and v.report_document is not None
        and not v.changed_after_last_signature
        and v.data_signed
    )
    doc = v.report_document if v.report_document is not None else embedded_report(data)
    figures = _from_report_document(doc, path, report, last)
    return figures, BaselineSource.SIGNED_REPORT if signed else BaselineSource.REPORT_DOCUMENT


def _from_extract(path: Path, report: Report, last: Template) -> Figures:
    from desktop_app.exchange.extract_read import read_extract

    by_region = read_extract(path, last)
    values = by_region.get(report.region_code)
    if not values:
        region = load_reference().region(report.region_code)
        raise BaselineError(
            f"{path.name} har inga värden för {region.name} ({report.region_code})."
        )
    return Figures(dict(values))


def read_baseline(path: Path | str, report: Report, today: date) -> Baseline:
    """Last year's counts of ``report``'s region from ``path``; BaselineError (Swedish) when
    the file is not last year's report or extract of that region."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in BASELINE_SUFFIXES:
        raise BaselineError(
            f"{path.name}: välj fjolårets undertecknade redovisning (.pdf), dess dokument "
            "(.json) eller RCC:s siffror för fjolåret (.xlsx eller .csv)."
        )
    tpl = load_template(report.template_id)
    if tpl.warnings is None or tpl.warnings.year_over_year is None:
        raise BaselineError(f"Mallen {tpl.id} jämför inte med fjolåret.")
    last = _last_template(tpl)
    data = _read(path)
    if suffix == ".pdf":
        figures, source = _from_pdf(data, path, report, last, today)
    elif suffix == ".json":
        figures, source = (
            _from_report_document(data, path, report, last),
            BaselineSource.REPORT_DOCUMENT,
        )
    else:
        figures, source = _from_extract(path, report, last), BaselineSource.RCC_FIGURES
    kept = baseline_figures(figures, tpl)
    if not len(kept):
        raise BaselineError(f"{path.name} har inga av de siffror som jämförs med fjolåret.")
    return Baseline(last.year, report.region_code, source, path.name, sha256_hex(data), kept)


def set_baseline(ctx: AppContext, report_id: int, path: Path | str) -> Baseline:
    """Read ``path`` as last year's figures of the report and keep them as its baseline."""
    report = _load_report(ctx, report_id)
    baseline = read_baseline(path, report, ctx.today())
    with ctx.uow() as uow:
        _load_editable(uow, report_id)
        uow.reports.set_baseline(report_id, baseline)
        uow.commit()
    return baseline


def clear_baseline(ctx: AppContext, report_id: int) -> Changes:
    """No baseline any more (the year-over-year warnings go away)."""
    with ctx.uow() as uow:
        _load_editable(uow, report_id)
        uow.reports.set_baseline(report_id, None)
        uow.commit()
    return Changes(figures=True)


def _load_report(ctx: AppContext, report_id: int) -> Report:
    with ctx.uow() as uow:
        return _load(uow, report_id)
