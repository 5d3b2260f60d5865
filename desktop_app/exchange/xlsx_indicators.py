"""The SVF statistics in a workbook: one header row, one row per SVF with the counts and the
rates, and the two total rows, all from an ``IndicatorTable``. Shared by the report's workbook
and the compilation's (summary and region sheets), so the two show the same columns and
headings and neither computes a rate."""

from __future__ import annotations

from typing import Any

from desktop_app.domain.indicators import IndicatorRow, IndicatorTable

# "(andel)": the counts' own columns are called "Inom ledtid – kvinnor" etc.
RATE_SUFFIX = " (andel)"
PERCENT = "0.0%"
WHOLE = "#,##0"


def bold_row(ws: Any, row: int | None = None) -> None:
    """Every cell of ``row`` (default: the last) in bold."""
    from openpyxl.styles import Font

    for cell in ws[row or ws.max_row]:
        cell.font = Font(bold=True)


def header(t: IndicatorTable, counts_only: bool = False) -> list[str]:
    """``svf_id``, ``SVF``, one column per measure and sex, then each rate in total and per
    sex. ``counts_only`` leaves out the measures that cannot be summed (medians)."""
    measures = t.count_measures if counts_only else t.measures
    out = ["svf_id", "SVF"]
    out += [m.heading(x) for m in measures for x in t.columns_of(m)]
    for r in t.rates:
        out += [r.heading(None, RATE_SUFFIX)] + [r.heading(x, RATE_SUFFIX) for x in t.sexes]
    assert len(set(out)) == len(out), "column names must be unique"
    return out


def _values(t: IndicatorTable, row: IndicatorRow, counts_only: bool) -> list[object]:
    measures = t.count_measures if counts_only else t.measures
    values: list[object] = [row.count(m.id, x.id) for m in measures for x in t.columns_of(m)]
    for r in t.rates:
        values += [row.rate(r.id).rate] + [row.rate(r.id, x.id).rate for x in t.sexes]
    return values


def write_figures_table(ws: Any, t: IndicatorTable, counts_only: bool = False) -> int:
    """Append the table to ``ws`` from its next row; returns the header's row number."""
    names = header(t, counts_only)
    ws.append(names)
    first_row = ws.max_row
    bold_row(ws, first_row)
    for row in t.rows:
        ws.append([row.key, row.label, *_values(t, row, counts_only)])
    for row in t.totals:
        ws.append(["", row.label, *_values(t, row, counts_only)])
        bold_row(ws)
    measures = len(names) - 2 - len(t.rates) * (1 + len(t.sexes))
    first_rate_col = 3 + measures
    for cells in ws.iter_rows(min_row=first_row + 1, min_col=first_rate_col):
        for cell in cells:
            cell.number_format = PERCENT
    if counts_only:
        for cells in ws.iter_rows(min_row=first_row + 1, min_col=3, max_col=first_rate_col - 1):
            for cell in cells:
                cell.number_format = WHOLE
    return first_row


__all__ = ["RATE_SUFFIX", "bold_row", "header", "write_figures_table"]
