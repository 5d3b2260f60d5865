"""Every output takes its goals, thresholds and rate headings from the template: with a test
template of other thresholds (inclusion goal 75 %, lead-time goal 85 %, long waits over 200 %)
the PDFs, both workbooks, the SVF grid, the Ledtider step and `svf-report show` change
accordingly, and none of them shows 70 %, 80 % or 175 %."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from desktop_app.domain import template as template_module
from desktop_app.domain.compilation import compile_figures, payment_split
from desktop_app.domain.indicators import LONG_WAIT, IndicatorTable
from desktop_app.domain.reference import load_reference
from desktop_app.domain.rules import evaluate_criteria, validate
from desktop_app.domain.template import Template, templates_dir

NORR = ("22", "23", "24", "25")
TODAY = date(2024, 9, 1)
# 70 %, 80 % or 175 % as a goal or threshold is written ("70 %"); a computed rate always has a
# decimal ("70,0 %") and does not match.
OLD = re.compile(r"(?<![\d,])(70|80|175)\s?%")
# The tick labels of a chart's percent axis ("60 %  70 %  80 %") are a scale, not a goal.
AXIS = re.compile(r"(?:\b\d+0 %\s+){2,}\d+0 %")


def other_template_data() -> dict:
    """svf-2024.json with the thresholds 75 / 85 / 200 and its texts saying so."""
    text = (templates_dir() / "svf-2024.json").read_text(encoding="utf-8")
    text = text.replace("mer än 75 % längre", "mer än 100 % längre")  # = over 175 % of it
    for old, new in (("175", "200"), ("70", "75"), ("80", "85")):
        text = re.sub(rf"(?<![\d,]){old} %", f"{new} %", text)
    data = json.loads(text)
    data["thresholds"].update(inclusion_percent=75, lead_time_percent=85, long_wait_percent=200)
    return data


@pytest.fixture
def other_tpl(tmp_path, monkeypatch) -> Template:
    """The test template, also as the template of 2024 for everything that loads it by id."""
    folder = tmp_path / "templates"
    folder.mkdir()
    data = other_template_data()
    (folder / "svf-2024.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(template_module, "templates_dir", lambda: folder)
    template_module._cached.cache_clear()
    tpl = template_module.load_template("svf-2024")
    assert tpl.long_wait_percent == 200, "the test template must replace svf-2024"
    yield tpl
    template_module._cached.cache_clear()


@pytest.fixture
def demo(other_tpl):
    """The demo reports, without the example answers (a region's own words, which in the demo
    mention 175 %)."""
    from desktop_app.services.demo import demo_reports

    return {r.region_code: replace(r, answers={}) for r in demo_reports()}


def assert_follows(text: str, *expected: str) -> None:
    text = AXIS.sub(" ", text)
    old = sorted({text[max(0, m.start() - 50) : m.end()] for m in OLD.finditer(text)})
    assert not old, f"the template's old thresholds are shown: {old}"
    for e in expected:
        assert e in text, e


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def workbook_text(path: Path) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return "\n".join(
        str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None
    )


# ------------------------------------------------------------------ the read model


def test_indicator_table_takes_goals_and_headings_from_the_template(other_tpl, demo):
    t = IndicatorTable.build(demo["25"].figures, other_tpl)
    assert (t.inclusion_goal.percent, t.lead_time_goal.percent, t.long_wait.percent) == (
        75,
        85,
        200,
    )
    assert t.lead_time_goal.caption == "Mål 85 %"
    assert t.column(LONG_WAIT).label == "Över 200 %"
    assert "200 %" in t.column(LONG_WAIT).definition
    assert_follows(t.definitions, "Över 200 %")


# ------------------------------------------------------------------ the region's outputs


def test_report_pdf_and_workbook_follow_the_template(other_tpl, demo, tmp_path):
    from desktop_app.exchange.pdf import PdfContent, render_report_pdf
    from desktop_app.exchange.report_xlsx import write_report_workbook

    report = demo["25"]
    criteria = evaluate_criteria(report, other_tpl, TODAY)
    findings = validate(report, other_tpl)
    rendered = render_report_pdf(
        PdfContent(
            report=report,
            tpl=other_tpl,
            region_name="Region Norrbotten",
            document_id="0" * 64,
            rendered_on=TODAY,
            status_label="Utkast",
            criteria=criteria,
            findings=findings,
        )
    )
    text = pdf_text(rendered.data, tmp_path)
    assert_follows(text, "Ledtider mot målet 85 %", "Mål 85 %", "Över 200 %", "målet 75 %")

    xlsx = tmp_path / "r.xlsx"
    write_report_workbook(
        xlsx, report, other_tpl, "Region Norrbotten", "Utkast", "0" * 64, criteria, findings
    )
    assert_follows(workbook_text(xlsx), "Över 200 % (andel) – totalt", "Över 200 % – kvinnor")


# ------------------------------------------------------------------ the compilation's outputs


def compilation_document(tpl: Template, demo):
    from desktop_app.exchange.compilation_model import (
        CompilationDocument,
        PopulationLine,
        RegionLine,
    )

    ref = load_reference()
    comp = compile_figures(tpl, NORR, {c: demo[c].figures for c in NORR})
    criteria = {c: evaluate_criteria(demo[c], tpl, TODAY) for c in NORR}
    pops = {r.code: r.population for r in ref.regions}
    qualifies = {c: None for c in pops} | {c: True for c in NORR}
    lines = [
        RegionLine(
            code=c,
            name=ref.region(c).name,
            status="accepted",
            status_label="Godkänd",
            version=1,
            file=f"{c}.pdf",
            received="2024-09-01 10:00",
            submitted="2024-09-01",
            certification="Alt 1 – korrekt",
            signers="",
            criteria=criteria[c],
            criteria_met=True,
            reason=None,
        )
        for c in NORR
    ]
    return CompilationDocument(
        tpl=tpl,
        scope_id="norr",
        scope_name="RCC Norr",
        created=TODAY,
        compilation=comp,
        region_names={r.code: r.name for r in ref.regions},
        regions=lines,
        files=[],
        payments=payment_split(tpl, pops, qualifies),
        populations=[
            PopulationLine(r.code, r.name, r.population, r.population_date, "SCB", False)
            for r in ref.regions
        ],
    )


def test_compilation_pdf_and_workbook_follow_the_template(other_tpl, demo, tmp_path):
    from desktop_app.exchange.compilation_pdf import render_compilation_pdf
    from desktop_app.exchange.compilation_xlsx import write_compilation_workbook

    d = compilation_document(other_tpl, demo)
    text = pdf_text(render_compilation_pdf(d, "0" * 64).data, tmp_path)
    assert_follows(
        text,
        "Inklusion per region – målet 75 %",
        "Ledtider mot målet 85 % – RCC Norr",
        "Mål 75 %",
        "Mål 85 %",
        "Över 200 %",
    )
    xlsx = tmp_path / "c.xlsx"
    write_compilation_workbook(xlsx, d)
    assert_follows(workbook_text(xlsx), "Över 200 % (andel) – totalt", "minst 75 %", "minst 85 %")


# ------------------------------------------------------------------ the screens and the CLI


def test_grid_and_lead_time_step_follow_the_template(other_tpl, ctx, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    from desktop_app.services import reports
    from desktop_app.ui.models.figures_model import FiguresModel
    from desktop_app.ui.session import ReportSession
    from desktop_app.ui.steps.lead_times import LeadTimesStep

    session = ReportSession(ctx, reports.create_report(ctx, "25", 2024))
    assert session.template.long_wait_percent == 200
    model = FiguresModel(session)
    headers = [
        str(model.headerData(c, Qt.Orientation.Horizontal, role))
        for c in range(model.columnCount())
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
    ]
    totals = [
        str(model.data(model.index(model.totals_row, c), Qt.ItemDataRole.ToolTipRole))
        for c in range(model.columnCount())
    ]
    assert_follows("\n".join(headers + totals), "Över\n200 %\nkvinnor", "inklusionsmålet 75 %")

    step = next(s for s in session.template.steps if s.kind == "lead_times")
    page = LeadTimesStep(session, step)
    qtbot.addWidget(page)
    texts = [w.text() for w in page.findChildren(QLabel)]
    table = page.over_175_table
    texts += [table.horizontalHeaderItem(c).toolTip() for c in range(table.columnCount())]
    texts += [page.goal_line.name(), table.accessibleName()]
    assert_follows(
        "\n".join(texts), "mål 85 %", "Mål 85 %", "Flest patienter över 200 % av ledtiden"
    )


def test_cli_show_follows_the_template(other_tpl, tmp_path, capsys):
    from desktop_app.cli import main

    db = tmp_path / "demo.sqlite3"
    assert main(["demo", "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["show", "--db", str(db), "--report", "1"]) == 0
    out = capsys.readouterr().out
    assert_follows(out, "minst 75 %", "minst 85 %", "Över 200 %", "målet 75 %")
