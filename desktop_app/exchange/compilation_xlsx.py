"""The RCC's compilation as an Excel workbook (openpyxl): a summary with the sums per SVF and
sex, an overview of the regions, one sheet per compiled region, the payment split and the
received files.

The payment sheet keeps the whole-krona amounts (largest remainder, computed by the program)
as values and adds formulas for what a reader wants to check: each region's exact share
(population × amount / Σ population) and the sums of every column, so that Excel or
LibreOffice recompute the totals (they equal the amounts exactly) and show that no region is
more than a krona from its exact share."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from desktop_app.domain import vocabulary
from desktop_app.domain.errors import UserError
from desktop_app.domain.indicators import EXPECTED, INCLUDED, INCLUSION, LEAD_TIME
from desktop_app.domain.vocabulary import InboxStatus, Verdict
from desktop_app.exchange.compilation_model import QUALIFIES, VERDICT, CompilationDocument
from desktop_app.exchange.xlsx_indicators import bold_row, write_figures_table
from desktop_app.exchange.xlsx_text import neutralize_formulas

SUMMARY = "Sammanfattning"
REGIONS = "Regioner"
PAYMENTS = "Utbetalning"
PAYMENT_FORMULA_COLUMNS = frozenset("CFGIJKLMN")  # see _payment_regions and _payment_sums
FILES = "Inkomna filer"
REMARKS = "Avvikelser"
PAYMENT_HEADER_ROW = 7  # the header of the payment table; regions follow from row 8

_FORBIDDEN = str.maketrans({c: "-" for c in "[]:*?/\\"})


def sheet_name(name: str, taken: Sequence[str] = ()) -> str:
    """A valid, unique sheet name (at most 31 characters, none of []:*?/\\)."""
    base = name.translate(_FORBIDDEN)[:31]
    candidate, n = base, 2
    while candidate in taken:
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
        n += 1
    return candidate


def _widths(ws: Any, widths: Sequence[int]) -> None:
    from openpyxl.utils import get_column_letter

    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def _summary(wb: Any, d: CompilationDocument) -> None:
    from openpyxl.styles import Font

    ws = wb.active
    ws.title = SUMMARY
    comp = d.compilation
    tpl = d.tpl
    ws.append([d.title])
    ws["A1"].font = Font(bold=True, size=14)
    missing = [f"{d.region_names[c]} ({c})" for c in comp.missing]
    t = d.indicators
    inc = t.inclusion
    inc_label, lt_label = t.column(INCLUSION).label, t.column(LEAD_TIME).label
    included, expected = t.measure(INCLUDED).label, t.measure(EXPECTED).label
    goal_scope = t.inclusion_goal.label.lower()
    percent: list[tuple[str, object]] = [
        (f"{inc_label}, summa {included.lower()} / summa {expected.lower()}", inc.rate),
        (f"{lt_label}, alla SVF", t.lead_time.rate),
        (f"{t.long_wait.label}, alla SVF", t.long_wait_share.rate),
    ]
    rows: list[tuple[str, object]] = [
        ("Urval", d.scope_name),
        ("År", tpl.year),
        ("Mall", tpl.id),
        ("Period", f"{tpl.period_label} ({tpl.period_start} – {tpl.period_end})"),
        ("Skapad", d.created.isoformat()),
        ("Regioner med godkänd redovisning", f"{len(comp.compiled)} av {len(comp.regions)}"),
        ("Regioner utan godkänd redovisning", ", ".join(missing) or "inga"),
        percent[0],
        (f"{included} (SVF i {goal_scope})", inc.numerator),
        (f"{expected} (SVF i {goal_scope})", inc.denominator),
        (t.inclusion_goal.label, f"minst {t.inclusion_goal.text}"),
        percent[1],
        (f"Mål, {lt_label.lower()}", f"minst {t.lead_time_goal.text}"),
        percent[2],
        (
            "Fördelningen av utbetalning 2",
            "Preliminär (regioner med okänt utfall)" if d.payments.preliminary else "Slutlig",
        ),
        ("Fördelningsnyckel", d.key_text),
    ]
    for row in rows:
        ws.append(list(row))
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        if row in percent:
            ws.cell(ws.max_row, 2).number_format = "0.0%"
    ws.append(
        [
            f"{t.definitions} Alla andelar är summa täljare / summa nämnare över regionerna, "
            "aldrig medelvärden av regionernas andelar. Mediantider kan inte summeras och "
            "ingår inte."
        ]
    )
    ws.append([])
    ws.append([f"Summa per SVF och kön – {d.scope_name}"])
    ws.cell(ws.max_row, 1).font = Font(bold=True, size=12)
    first = write_figures_table(ws, d.indicators, counts_only=True)
    ws.freeze_panes = ws.cell(first + 1, 3)
    _widths(ws, [24, 48] + [14] * 40)


def _regions(wb: Any, d: CompilationDocument) -> None:
    ws = wb.create_sheet(REGIONS)
    criteria = d.tpl.criteria
    t = d.indicators
    header = [
        "Länskod",
        "Region",
        "Status",
        "Version",
        "Fil",
        "Mottagen",
        "Inlämnad",
        "Ekonomichefens intygande",
        "Underskrifter",
        t.column(INCLUSION).label,
        t.measure(INCLUDED).label,
        t.measure(EXPECTED).label,
        t.column(LEAD_TIME).label,
    ]
    header += [c.label for c in criteria]
    header += ["Alla villkor uppfyllda", "Skäl"]
    ws.append(header)
    bold_row(ws)
    comp = d.compilation
    for r in d.regions:
        rf = comp.by_region.get(r.code)
        by_id = {c.id: c for c in r.criteria}
        ws.append(
            [
                r.code,
                r.name,
                r.status_label,
                r.version,
                r.file,
                r.received,
                r.submitted,
                r.certification,
                r.signers,
                rf.inclusion.rate if rf else None,
                rf.inclusion.numerator if rf else None,
                rf.inclusion.denominator if rf else None,
                rf.lead_time.rate if rf else None,
                *[VERDICT.get(by_id[c.id].status, "") if c.id in by_id else "" for c in criteria],
                QUALIFIES[r.criteria_met]
                if r.status == InboxStatus.ACCEPTED
                else vocabulary.label(Verdict.UNKNOWN),
                r.reason or "",
            ]
        )
        ws.cell(ws.max_row, 10).number_format = "0.0%"
        ws.cell(ws.max_row, 13).number_format = "0.0%"
    ws.freeze_panes = "C2"
    _widths(
        ws, [9, 28, 11, 8, 30, 17, 12, 22, 44, 10, 11, 11, 10] + [16] * len(criteria) + [12, 90]
    )


def _region_sheets(wb: Any, d: CompilationDocument) -> None:
    from openpyxl.styles import Font

    comp = d.compilation
    for code in comp.compiled:
        rf = comp.by_region[code]
        line = next(r for r in d.regions if r.code == code)
        ws = wb.create_sheet(sheet_name(d.region_names[code], wb.sheetnames))
        ws.append([f"{d.region_names[code]} ({code}) – {d.tpl.year}"])
        ws["A1"].font = Font(bold=True, size=13)
        ws.append(["Version", line.version, "Fil", line.file, "Mottagen", line.received])
        ws.append(
            [
                d.indicators.column(INCLUSION).label,
                rf.inclusion.rate,
                "Villkor",
                "; ".join(f"{c.label}: {VERDICT.get(c.status, c.status)}" for c in line.criteria),
            ]
        )
        ws.cell(3, 2).number_format = "0.0%"
        ws.append([])
        assert rf.indicators is not None
        first = write_figures_table(ws, rf.indicators, counts_only=True)
        ws.freeze_panes = ws.cell(first + 1, 3)
        _widths(ws, [24, 48] + [14] * 40)


def _col(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i)


PAYMENT_HEADER = [
    "Länskod",  # A
    "Region",  # B
    "Folkmängd",  # C
    "Folkmängd per",  # D
    "Källa",  # E
    "Utbetalning 1, exakt andel",  # F (formula)
    "Utbetalning 1 (kr)",  # G
    "Uppfyller villkoren",  # H
    "I potten om alla okända uppfyller (1/0)",  # I
    "Utbetalning 2 om alla okända uppfyller, exakt andel",  # J (formula)
    "Utbetalning 2 om alla okända uppfyller (kr)",  # K
    "I potten om inga okända uppfyller (1/0)",  # L
    "Utbetalning 2 om inga okända uppfyller, exakt andel",  # M (formula)
    "Utbetalning 2 om inga okända uppfyller (kr)",  # N
    "Skäl",  # O
]


def _payments(wb: Any, d: CompilationDocument) -> None:
    """Rows 1–3: the amounts; row PAYMENT_HEADER_ROW: header; then one row per region; then
    the sums (formulas), the difference to the amounts (formulas, 0) and the population in
    each pot (formulas)."""
    ws = wb.create_sheet(PAYMENTS)
    _payment_amounts(ws, d)
    assert ws.max_row + 1 == PAYMENT_HEADER_ROW
    ws.append(PAYMENT_HEADER)
    bold_row(ws)
    first = PAYMENT_HEADER_ROW + 1
    last = first + len(d.payments.regions) - 1
    total_row, pot_row = last + 1, last + 3
    _payment_regions(ws, d, first, total_row, pot_row)
    _payment_sums(ws, first, last, total_row, pot_row)
    assert ws.max_row == pot_row
    for row in ws.iter_rows(min_row=first, max_row=pot_row):
        for cell in row:
            if cell.column in (3, 7, 9, 11, 12, 14) or (cell.row >= total_row and cell.column > 2):
                cell.number_format = "#,##0"
            if cell.column in (6, 10, 13):
                cell.number_format = "#,##0.00"
    ws.freeze_panes = ws.cell(first, 3)
    _widths(ws, [22, 26, 12, 12, 30, 16, 16, 12, 12, 18, 18, 12, 18, 18, 90])


def _payment_amounts(ws: Any, d: CompilationDocument) -> None:
    """Rows 1–6: the two amounts, whether the split is final, the rounding, the scope."""
    from openpyxl.styles import Font

    p = d.payments
    ws.append(["Utbetalning 1 (kr)", p.payment_1_total, "till alla regioner efter folkmängd"])
    ws.append(
        [
            "Utbetalning 2 (kr)",
            p.payment_2_total,
            "efter folkmängd till regionerna som uppfyller alla villkor",
        ]
    )
    ws.append(
        [
            "Fördelning",
            "Preliminär" if p.preliminary else "Slutlig",
            "Preliminär: för regioner vars utfall inte är känt visas beloppen både om alla "
            "okända uppfyller villkoren och om ingen gör det.",
        ]
    )
    ws.append(
        [
            "Avrundning",
            "Största rest",
            "Hela kronor: varje region får heltalsdelen av sin exakta andel; de kronor som blir "
            "över går en och en till de största decimalresterna (lika rest: större folkmängd, "
            "sedan länskod). Summan blir exakt beloppet.",
        ]
    )
    for r in range(1, 5):
        ws.cell(r, 1).font = Font(bold=True)
    ws["B1"].number_format = ws["B2"].number_format = "#,##0"
    ws.append([])
    ws.append([f"{d.key_text}. Folkmängd: se kolumn D–E. Urval: {d.scope_name}, {d.tpl.year}."])


def _payment_regions(
    ws: Any, d: CompilationDocument, first: int, total_row: int, pot_row: int
) -> None:
    """One row per region: population, the amounts and the formulas of the exact shares."""
    pops = {pl.code: pl for pl in d.populations}
    for i, rp in enumerate(d.payments.regions):
        row = first + i
        pl = pops.get(rp.code)
        maybe = rp.qualifies is None
        ws.append(
            [
                rp.code,
                d.region_names.get(rp.code, rp.code),
                rp.population,
                pl.date if pl else "",
                (pl.source + (" (ändrad)" if pl.edited else "")) if pl else "",
                f"=C{row}*$B$1/$C${total_row}",
                rp.payment_1,
                QUALIFIES[rp.qualifies],
                1 if rp.qualifies is True or maybe else 0,
                f"=IF($I${pot_row}=0,0,C{row}*I{row}*$B$2/$I${pot_row})",
                rp.payment_2_if_all_unknown_qualify,
                1 if rp.qualifies is True else 0,
                f"=IF($L${pot_row}=0,0,C{row}*L{row}*$B$2/$L${pot_row})",
                rp.payment_2_if_none_qualify,
                rp.reason or "",
            ]
        )


def _payment_sums(ws: Any, first: int, last: int, total_row: int, pot_row: int) -> None:
    """The sums of every column, the difference to the amounts and the population per pot."""
    sums = ["Summa", "", f"=SUM(C{first}:C{last})", "", ""]
    for c in range(6, 15):
        letter = _col(c)
        sums.append(f"=SUM({letter}{first}:{letter}{last})" if c not in (8, 9, 12) else "")
    ws.append(sums)
    bold_row(ws)
    blank5 = ["", "", "", "", ""]
    ws.append(
        [
            "Differens mot beloppet",
            *blank5[1:],
            f"=F{total_row}-$B$1",
            f"=G{total_row}-$B$1",
            "",
            "",
            f"=IF(I{pot_row}=0,0,J{total_row}-$B$2)",
            f"=IF(I{pot_row}=0,0,K{total_row}-$B$2)",
            "",
            f"=IF(L{pot_row}=0,0,M{total_row}-$B$2)",
            f"=IF(L{pot_row}=0,0,N{total_row}-$B$2)",
        ]
    )
    ws.append(
        [
            "Folkmängd i potten",
            *blank5[1:],
            "",
            "",
            "",
            f"=SUMPRODUCT($C${first}:$C${last},I{first}:I{last})",
            "",
            "",
            f"=SUMPRODUCT($C${first}:$C${last},L{first}:L{last})",
        ]
    )


def _files(wb: Any, d: CompilationDocument) -> None:
    ws = wb.create_sheet(FILES)
    ws.append(["Fil", "Region", "Version", "Status", "Mottagen", "Skäl"])
    bold_row(ws)
    for f in d.files:
        ws.append([f.file, f.region, f.version, f.status_label, f.received, f.reason or ""])
    ws.freeze_panes = "A2"
    _widths(ws, [36, 30, 8, 10, 17, 110])


def _remarks(wb: Any, d: CompilationDocument) -> None:
    """Each region's values changed from the RCC's extract and its warnings, with the
    region's reasons and justifications (issue 15, points 3 and 5)."""
    from desktop_app.domain.vocabulary import label

    ws = wb.create_sheet(REMARKS)
    ws.append(["Region", "Kod", "Typ", "Värde", "Vad", "Regionens motivering"])
    bold_row(ws)
    for r in d.remarks:
        ws.append([r.region, r.code, label(r.kind), r.place, r.detail, r.reason or ""])
    if not d.remarks:
        ws.append(["Inga ändrade värden eller varningar i de godkända redovisningarna."])
    ws.freeze_panes = "A2"
    _widths(ws, [26, 6, 26, 40, 80, 70])


def write_compilation_workbook(path: Path, d: CompilationDocument) -> None:
    """Write the sheets Sammanfattning, Regioner, one per compiled region, Utbetalning,
    Avvikelser and Inkomna filer to ``path``."""
    from openpyxl import Workbook

    wb = Workbook()
    _summary(wb, d)
    _regions(wb, d)
    _region_sheets(wb, d)
    _payments(wb, d)
    _remarks(wb, d)
    _files(wb, d)
    # the payment formulas are the only formulas; user text never goes in these columns
    neutralize_formulas(wb, {PAYMENTS: PAYMENT_FORMULA_COLUMNS})
    try:
        wb.save(path)
    except OSError as exc:
        raise UserError(f"Filen {path} kan inte skrivas: {exc.strerror}.") from None
