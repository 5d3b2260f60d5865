"""Write the import workbook (.xlsx via openpyxl) for a region to fill in: sheets SVF, PREM,
Info and Instruktioner (layout in excel_layout)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import UserError
from desktop_app.domain.figures import Cell, Number, cell_key
from desktop_app.domain.provenance import Extract
from desktop_app.domain.reference import Region
from desktop_app.domain.template import Measure, Sex, Template
from desktop_app.exchange.excel_layout import (
    PREM_LABELS,
    SHEET_EXTRACT,
    SHEET_HELP,
    SHEET_INFO,
    SHEET_PREM,
    SHEET_SVF,
    column_letter,
)
from desktop_app.exchange.xlsx_text import neutralize_formulas

__all__ = ["write_import_workbook"]


def _ranges(col: str, rows: Iterable[int]) -> list[str]:
    """['C3:C5', 'C8'] for rows 3, 4, 5, 8."""
    out: list[str] = []
    rows = sorted(rows)
    i = 0
    while i < len(rows):
        j = i
        while j + 1 < len(rows) and rows[j + 1] == rows[j] + 1:
            j += 1
        out.append(f"{col}{rows[i]}" if i == j else f"{col}{rows[i]}:{col}{rows[j]}")
        i = j + 1
    return out


@dataclass(frozen=True)
class _Styles:
    """The fonts, fills and alignments of the workbook (openpyxl objects)."""

    bold: Any
    key_font: Any
    grey: Any
    label_fill: Any
    input_fill: Any
    wrap_top: Any
    unlocked: Any


AUTHOR = "SVF-redovisning"  # of the cell comments


def _styles() -> _Styles:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    return _Styles(
        bold=Font(bold=True),
        key_font=Font(size=8, color="808080"),
        grey=PatternFill("solid", fgColor="D9D9D9"),
        label_fill=PatternFill("solid", fgColor="DDEBF7"),
        input_fill=PatternFill("solid", fgColor="FFFFFF"),
        wrap_top=Alignment(wrap_text=True, vertical="top"),
        unlocked=Protection(locked=False),
    )


def write_import_workbook(
    path: Path,
    tpl: Template,
    region: Region,
    values: Mapping[Cell, Number] | None = None,
    prem: tuple[bool | None, int | None, int | None] | None = None,
    extract: Extract | None = None,
) -> None:
    """Write the import workbook for a region and year, prefilled with ``values`` and ``prem``.
    With ``extract`` it is a start file of the RCC's national extract: marked with its date
    and hash (sheet Info) and with the extract's values kept in a hidden sheet.

    Raises UserError (Swedish) when the file cannot be saved."""
    from openpyxl import Workbook

    st = _styles()
    wb = Workbook()
    help_ws = wb.active
    help_ws.title = SHEET_HELP
    ws = wb.create_sheet(SHEET_SVF)
    prem_ws = wb.create_sheet(SHEET_PREM)
    info_ws = wb.create_sheet(SHEET_INFO)
    _write_svf_sheet(ws, tpl, values or {}, st)
    _write_prem_sheet(prem_ws, prem, st)
    _write_info_sheet(info_ws, tpl, region)
    _write_instructions(help_ws, tpl, region, st.bold, st.wrap_top)
    if extract is not None:
        _mark_extract(wb, info_ws, help_ws, extract, values or {})
    wb.active = 0
    _save(wb, path)


def _write_svf_sheet(ws: Any, tpl: Template, values: Mapping[Cell, Number], st: _Styles) -> None:
    """Keys in row 1, labels in row 2, one row per SVF; number cells unlocked and checked."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment

    data_cols = [(m, x) for m in tpl.measures for x in _columns_of(tpl, m)]
    ws.append(["svf_id", "svf_name"] + [cell_key(m.id, x.id) for m, x in data_cols])
    ws.append(["SVF-id", "SVF"] + [f"{m.label} – {x.label.lower()}" for m, x in data_cols])
    for svf in tpl.svfs:
        row: list[Any] = [svf.id, svf.name]
        for m, x in data_cols:
            v = values.get((svf.id, m.id, x.id)) if tpl.cell_applies(svf, m.id, x.id) else None
            row.append(v)
        ws.append(row)
    for cell in ws[1]:
        cell.font = st.key_font
    for i, cell in enumerate(ws[2]):
        cell.font = st.bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.fill = st.label_fill
        if i >= 2:
            m, _x = data_cols[i - 2]
            if m.help:
                cell.comment = Comment(m.help, AUTHOR, width=300, height=90)
    ws.row_dimensions[2].height = 45
    ws.freeze_panes = "C3"
    ws.column_dimensions["A"].width = max(12, max(len(s.id) for s in tpl.svfs) + 2)
    ws.column_dimensions["B"].width = min(48, max(len(s.name) for s in tpl.svfs) + 2)
    ok_ranges, na_ranges = _style_number_cells(ws, tpl, data_cols, st)
    _add_svf_validations(ws, tpl, ok_ranges, na_ranges)
    # Rows 1-2 and columns A-B are locked; every number cell stays unlocked so that a block of
    # figures can be pasted in one go. No password: Granska > Ta bort skydd if really needed.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.formatCells = False


def _style_number_cells(
    ws: Any, tpl: Template, data_cols: list[tuple[Any, Any]], st: _Styles
) -> tuple[dict[str, list[str]], list[str]]:
    """Fill and format the number cells; returns the ranges that apply per measure, and those
    that do not (an SVF of one sex only)."""
    from openpyxl.comments import Comment

    first = 3
    na_ranges: list[str] = []
    ok_ranges: dict[str, list[str]] = {}
    for j, (m, x) in enumerate(data_cols):
        col = column_letter(j + 2)
        ws.column_dimensions[col].width = max(14, round(len(cell_key(m.id, x.id)) * 0.8) + 2)
        ok_rows, na_rows = [], []
        for k, svf in enumerate(tpl.svfs):
            r = first + k
            cell = ws[f"{col}{r}"]
            cell.protection = st.unlocked
            if tpl.cell_applies(svf, m.id, x.id):
                ok_rows.append(r)
                cell.fill = st.input_fill
                cell.number_format = "#,##0" if m.kind == "count" else "General"
            else:
                na_rows.append(r)
                cell.fill = st.grey
                only = " och ".join(
                    (tpl.sex(s).label.lower() if tpl.sex(s) else s) for s in svf.sexes
                )
                what = "ange värdet per kön" if x.id == tpl.total_id else "lämna cellen tom"
                cell.comment = Comment(
                    f"Ej aktuellt: {svf.name} gäller bara {only}. {what.capitalize()}.",
                    AUTHOR,
                    width=260,
                    height=60,
                )
        ok_ranges.setdefault(m.id, []).extend(_ranges(col, ok_rows))
        na_ranges.extend(_ranges(col, na_rows))

    return ok_ranges, na_ranges


def _columns_of(tpl: Template, m: Measure) -> tuple[Sex, ...]:
    """The columns of measure ``m``: per sex, then the total per SVF if the template allows
    the measure as a total (issue 12)."""
    if tpl.total is not None and m.total:
        return (*tpl.sexes, tpl.total)
    return tpl.sexes


def _validation(
    kind: str,
    error: str,
    operator: str | None = "greaterThanOrEqual",
    formula1: str = "0",
    title: str = "Fel värde",
    **extra: str,
) -> Any:
    """An Excel data validation of ``kind`` that allows blanks and shows ``error`` (Swedish)
    when a typed value breaks it."""
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(
        type=kind,
        operator=operator,
        formula1=formula1,
        allow_blank=True,
        errorTitle=title,
        error=error,
        **extra,
    )
    dv.showErrorMessage = True
    return dv


def _add_svf_validations(
    ws: Any, tpl: Template, ok_ranges: dict[str, list[str]], na_ranges: list[str]
) -> None:
    """Excel's own checks: whole numbers (or decimals for a median) >= 0; nothing where an
    SVF does not apply."""
    for m in tpl.measures:
        if m.kind == "count":
            dv = _validation(
                "whole",
                "Skriv ett heltal som är 0 eller större (inga decimaler, ingen text), "
                "eller lämna cellen tom.",
            )
        else:
            dv = _validation(
                "decimal",
                "Skriv ett tal som är 0 eller större (decimaler går bra), eller lämna cellen tom.",
            )
        dv.showInputMessage = True
        dv.promptTitle = m.label[:32]
        dv.prompt = (m.help or m.label)[:255]
        for rng in ok_ranges.get(m.id, []):
            dv.add(rng)
        if dv.sqref:
            ws.add_data_validation(dv)
    if na_ranges:
        not_applicable = "SVF:et gäller inte detta kön. Lämna cellen tom."
        dv = _validation(
            "whole",
            not_applicable,
            operator="equal",
            title="Ej aktuellt",
            promptTitle="Ej aktuellt",
            prompt=not_applicable,
        )
        dv.showInputMessage = True
        for rng in na_ranges:
            dv.add(rng)
        ws.add_data_validation(dv)


def _write_prem_sheet(
    prem_ws: Any, prem: tuple[bool | None, int | None, int | None] | None, st: _Styles
) -> None:
    """The PREM sheet: key, value and description per row, with Excel's own checks."""
    used, sent, answers = prem if prem is not None else (None, None, None)
    prem_ws.append(["nyckel", "värde", "beskrivning"])
    prem_ws.append(
        [
            "prem_used",
            None if used is None else ("ja" if used else "nej"),
            PREM_LABELS["prem_used"],
        ]
    )
    prem_ws.append(["prem_sent", sent, PREM_LABELS["prem_sent"]])
    prem_ws.append(["prem_answers", answers, PREM_LABELS["prem_answers"]])
    for cell in prem_ws[1]:
        cell.font = st.bold
        cell.fill = st.label_fill
    for r in range(2, 5):
        prem_ws[f"A{r}"].font = st.key_font
        prem_ws[f"B{r}"].protection = st.unlocked
        prem_ws[f"C{r}"].alignment = st.wrap_top
    dv = _validation(
        "list", "Välj ja eller nej, eller lämna cellen tom.", operator=None, formula1='"ja,nej"'
    )
    dv.add("B2")
    prem_ws.add_data_validation(dv)
    dv = _validation("whole", "Skriv ett heltal som är 0 eller större, eller lämna cellen tom.")
    dv.add("B3:B4")
    prem_ws.add_data_validation(dv)
    prem_ws.column_dimensions["A"].width = 16
    prem_ws.column_dimensions["B"].width = 12
    prem_ws.column_dimensions["C"].width = 70
    prem_ws.protection.sheet = True
    prem_ws.protection.formatColumns = False
    prem_ws.protection.formatRows = False


def _write_info_sheet(info_ws: Any, tpl: Template, region: Region) -> None:
    info_rows: list[tuple[str, Any, str]] = [
        ("region", region.code, "Regionkod"),
        ("region_name", region.name, "Region"),
        ("year", tpl.year, "Redovisningsår"),
        ("template", tpl.id, "Mall"),
        ("period", tpl.period_label, "Period"),
        ("generated", date.today(), "Skapad"),
    ]
    for key, value, label in info_rows:
        info_ws.append([key, value, label])
    info_ws["B1"].number_format = "@"  # the region code is text: "01", not 1
    info_ws["B6"].number_format = "yyyy-mm-dd"
    info_ws.column_dimensions["A"].width = 14
    info_ws.column_dimensions["B"].width = 28
    info_ws.column_dimensions["C"].width = 16
    info_ws.protection.sheet = True


def _mark_extract(
    wb: Any, info_ws: Any, help_ws: Any, extract: Extract, values: Mapping[Cell, Number]
) -> None:
    """The start file's marks: the extract in Info and Instruktioner, its values hidden."""
    start = info_ws.max_row + 1
    for key, value, text in (
        ("extract_date", extract.on, "RCC:s datauttag"),
        ("extract_sha256", extract.sha256, "Uttagets SHA-256"),
        ("extract_rcc", extract.rcc, "RCC"),
    ):
        info_ws.append([key, value, text])
    info_ws[f"B{start}"].number_format = "yyyy-mm-dd"
    info_ws.column_dimensions["B"].width = 66
    # Row 3 is the empty line under the period (inserting a row would leave the sheet's link
    # to SVF and its row heights behind).
    from openpyxl.styles import Alignment, Font

    help_ws.row_dimensions[3].height = 48
    help_ws["A3"].font = Font(bold=True)
    help_ws["B3"].alignment = Alignment(wrap_text=True, vertical="top")
    help_ws["A3"] = "Startfil"
    help_ws["B3"] = (
        f"Förifylld med RCC:s datauttag {extract.on.isoformat()} (SHA-256 {extract.sha256}). "
        "Ändra inte siffrorna här: ändra dem i programmet efter importen, som då ber om en "
        "kort motivering som RCC ser."
    )
    ws = wb.create_sheet(SHEET_EXTRACT)
    ws.append(["svf_id", "key", "value"])
    for (s, m, x), v in sorted(values.items()):
        ws.append([s, cell_key(m, x), v])
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


def _save(wb: Any, path: Path) -> None:
    neutralize_formulas(wb)  # no formulas of its own: every text stays text
    try:
        wb.save(Path(path))
    except PermissionError as exc:
        raise UserError(
            f"Filen {Path(path).name} kan inte sparas – den kan vara öppen i Excel. Stäng den "
            "och försök igen."
        ) from exc
    except OSError as exc:
        raise UserError(f"Filen {path} kan inte sparas ({exc.strerror or exc}).") from exc


def _instruction_lines(tpl: Template, region: Region) -> list[tuple[str, str, str]]:
    """The sheet Instruktioner as (style, column A, column B) rows: a flat list of texts."""
    one_sex = [s for s in tpl.svfs if len(s.sexes) < len(tpl.sexes)]
    lines: list[tuple[str, str, str]] = [  # (style, column A, column B)
        ("title", f"SVF-redovisning {tpl.year} – {region.name} ({region.code})", ""),
        ("", "Period", tpl.period_label),
        ("", "", ""),
        ("head", "Så här fyller du i", ""),
        (
            "",
            "1.",
            "Gå till bladet SVF (klicka här). Fyll i siffrorna på raden för varje SVF, "
            "från kolumn C och åt höger.",
        ),
        (
            "",
            "2.",
            "Lämna en cell tom om du inte har siffran. Tomma celler ändrar ingenting vid "
            "import – det värde som redan finns i programmet ligger kvar.",
        ),
        (
            "",
            "3.",
            "Skriv bara heltal (0, 1, 2 …) i antalskolumnerna – inga decimaler, ingen "
            "text. Medianen (dagar) får ha decimaler.",
        ),
        (
            "",
            "4.",
            "Grå celler är ej aktuella: SVF:et gäller bara det ena könet "
            f"({', '.join(s.name for s in one_sex[:4])}{' …' if len(one_sex) > 4 else ''}). "
            "Lämna dem tomma.",
        ),
        (
            "",
            "5.",
            "Ändra inte rad 1 (nycklar som programmet läser) och inte kolumn A (SVF-id). "
            "Lägg inte till, ta bort eller byt namn på blad.",
        ),
        ("", "6.", "Fyll i bladet PREM: ja eller nej, och antal utskickade och besvarade enkäter."),
        ("", "7.", "Spara som Excel-arbetsbok (.xlsx)."),
        ("", "", ""),
        ("head", "Importera", ""),
        (
            "",
            "I programmet",
            "Öppna redovisningen och välj Importera från Excel. Programmet "
            "kontrollerar hela filen innan något sparas.",
        ),
        ("", "Kommandorad", "svf-report import --report ID FIL.xlsx"),
        (
            "",
            "Om något är fel",
            "Då importeras ingenting. Programmet listar varje fel med blad, "
            "rad och kolumn, så att du kan rätta filen och importera igen.",
        ),
        ("", "", ""),
        ("head", "Kolumnerna på bladet SVF", ""),
        ("", "svf_id / SVF", "SVF-id och namn på standardiserat vårdförlopp. Ändra inte."),
    ]
    for m in tpl.measures:
        keys = ", ".join(cell_key(m.id, x.id) for x in _columns_of(tpl, m))
        rule = (
            "Heltal, 0 eller större."
            if m.kind == "count"
            else "Tal, 0 eller större; decimaler går bra."
        )
        need = "" if m.required or "frivillig" in m.help.lower() else " Frivillig."
        if tpl.total is not None and m.total:
            need += (
                f" Ange per kön, eller bara kolumnen {tpl.total.label.lower()} om siffran "
                "inte finns per kön. Anger du båda måste de stämma."
            )
        lines.append(("", m.label, f"{m.help} {rule}{need} (Nycklar: {keys}.)"))
    return lines


def _write_instructions(ws: Any, tpl: Template, region: Region, bold: Any, wrap: Any) -> None:
    from openpyxl.styles import Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    for i, (style, a, b) in enumerate(_instruction_lines(tpl, region), start=1):
        ca, cb = ws.cell(i, 1, a or None), ws.cell(i, 2, b or None)
        ca.alignment = wrap
        cb.alignment = wrap
        if style == "title":
            ca.font = Font(bold=True, size=14)
        elif style == "head":
            ca.font = Font(bold=True, size=12)
        elif a and not a.endswith("."):
            ca.font = bold
        if "(klicka här)" in (b or ""):
            cb.hyperlink = Hyperlink(ref=cb.coordinate, location=f"'{SHEET_SVF}'!C3")
            cb.font = Font(color="0563C1", underline="single")
        # openpyxl cannot measure text, and LibreOffice does not grow wrapped rows by itself:
        # give each row room for its longest text at about one character per width unit.
        lines_needed = max(math.ceil(len(a or "") / 22), math.ceil(len(b or "") / 90), 1)
        if lines_needed > 1:
            ws.row_dimensions[i].height = 15 * lines_needed
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 95
