"""The report's figures, criteria, findings and financial statement as an Excel workbook
(openpyxl), written next to the PDF for whoever wants to compute on the numbers.

Plain cells only (values, number formats, bold headers, frozen panes), so that Excel and
LibreOffice open it without repair."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from desktop_app.domain import vocabulary
from desktop_app.domain.errors import UserError
from desktop_app.domain.finance import (
    AMOUNT_FIELDS,
    CONTACT_FIELDS,
    GRANT_FIELDS,
    NOT_A_PAYMENT_CRITERION,
    RECEIVED_LABEL,
)
from desktop_app.domain.findings import CriterionResult, Finding
from desktop_app.domain.indicators import IndicatorTable
from desktop_app.domain.report import Report
from desktop_app.domain.template import UNKNOWN_DNR, Template
from desktop_app.exchange.xlsx_indicators import bold_row, write_figures_table
from desktop_app.exchange.xlsx_text import neutralize_formulas


def write_report_workbook(
    path: Path,
    report: Report,
    tpl: Template,
    region_name: str,
    status_label: str,
    document_id: str,
    criteria: Sequence[CriterionResult],
    findings: Sequence[Finding],
    table: IndicatorTable | None = None,
) -> None:
    """Write sheets Sammanfattning, SVF, Fynd and Ekonomi to ``path``; the SVF sheet is the
    report's indicator table (``table``, built from the report's figures when None)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    wb = Workbook()

    ws = wb.active
    ws.title = "Sammanfattning"
    rows: list[tuple[str, object]] = [
        ("Region", region_name),
        ("Länskod", report.region_code),
        ("År", tpl.year),
        ("Mall", tpl.id),
        ("Period", tpl.period_label),
        ("Status", status_label),
        ("Version", report.version),
        ("Inlämnad", report.submitted_on.isoformat() if report.submitted_on else ""),
        ("Dokument-id (SHA-256 av svf-report.json)", document_id),
    ]
    for label, value in rows:
        ws.append([label, value])
        ws.cell(ws.max_row, 1).font = bold
    _criteria(ws, criteria)

    ws = wb.create_sheet("SVF")
    write_figures_table(ws, table or IndicatorTable.build(report.figures, tpl))
    ws.freeze_panes = "C2"
    _widths(ws, [22, 44] + [14] * (ws.max_column - 2))
    _findings(wb.create_sheet("Fynd"), findings)
    _finance(wb.create_sheet("Ekonomi"), report)
    neutralize_formulas(wb)  # no formulas of its own: every text stays text
    try:
        wb.save(path)
    except OSError as exc:
        raise UserError(f"Filen {path} kan inte skrivas: {exc.strerror}.") from None


def _criteria(ws: Any, criteria: Sequence[CriterionResult]) -> None:
    """The criteria for the second payment under the summary, with their verdicts' words."""
    from openpyxl.styles import Font

    bold = Font(bold=True)
    ws.append([])
    ws.append(["Villkor", "Bedömning", "Underlag", "Värde", "Täljare", "Nämnare"])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for c in criteria:
        ws.append(
            [
                c.label,
                vocabulary.label(c.status),
                c.message,
                c.value,
                c.numerator,
                c.denominator,
            ]
        )
    _widths(ws, [42, 18, 80, 10, 10, 10])


def _findings(ws: Any, findings: Sequence[Finding]) -> None:

    ws.append(
        ["Allvarlighet", "Regel", "Meddelande", "Steg", "SVF", "Kön", "Mått", "Fält", "Motivering"]
    )
    bold_row(ws, 1)
    for f in findings:
        loc = f.location
        why = f.acknowledgement.justification if f.acknowledgement is not None else None
        ws.append(
            [
                str(f.severity), f.rule, f.message, loc.step, loc.svf, loc.sex, loc.measure,
                loc.field, why,
            ]
        )  # fmt: skip
    ws.freeze_panes = "A2"
    _widths(ws, [12, 24, 100, 14, 18, 10, 16, 22, 60])


def _finance(ws: Any, report: Report) -> None:
    """The financial statement (Bilaga 2, points 1–3) as label / value rows."""
    fs = report.finance
    ws.append(["Fält", "Värde"])
    bold_row(ws, 1)
    for key, label in (*CONTACT_FIELDS, *GRANT_FIELDS, ("received", RECEIVED_LABEL)):
        value = getattr(fs, key)
        if key in AMOUNT_FIELDS:
            label = f"{label} (kr)"
        if key in ("dnr_agreement", "dnr_decision") and not str(value).strip():
            value = UNKNOWN_DNR  # marked, never left blank as if there were none
        ws.append([label, value])
    for item in fs.costs:
        ws.append([f"Kostnad: {item.label}", item.amount])
    ws.append(["Summa kostnader (kr)", fs.total_costs])
    ws.append(["Medel som inte har förbrukats (kr)", fs.unspent])
    ws.append([])
    ws.append([NOT_A_PAYMENT_CRITERION])
    for row in ws.iter_rows(min_row=2, min_col=2, max_col=2):
        for cell in row:
            if isinstance(cell.value, int):
                cell.number_format = "#,##0"  # shown with the locale's separator
    _widths(ws, [70, 50])


def _widths(ws: object, widths: Sequence[int]) -> None:
    from openpyxl.utils import get_column_letter

    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w  # type: ignore[attr-defined]
