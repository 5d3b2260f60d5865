"""Issue 15, points 5 and 6 headless, the whole round: a region compares with last year's
signed report (``baseline``), lists its warnings (``warnings``), justifies one
(``acknowledge``; refused without a justification), ``validate --json`` and the history show
it, the exported PDF prints it next to the value, and the RCC that receives the signed report
sees it in ``aggregate --json``. A changed value makes the justification lapse."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.e2e.test_provenance_cli import run
from tests.helpers.factories import make_ctx
from tests.helpers.round_trip import count, make_keys, receive, signed_report
from tests.services.test_baseline import signed_last_year

WHY = "Ny remissväg från primärvården i mars; färre kvinnor inkluderades under omställningen."
KEY = "year_over_year_inclusion:lunga:kvinnor:included"


@pytest.fixture
def region(tmp_path):
    from desktop_app.services.demo import create_demo, demo_reports
    from desktop_app.services.reports import get_report, set_figures

    db = tmp_path / "region.sqlite3"
    ctx = make_ctx(db)
    ids = create_demo(ctx)
    rid = next(i for i in ids if get_report(ctx, i).region_code == "25")
    last = next(r for r in demo_reports(2023) if r.region_code == "25").figures
    set_figures(
        ctx,
        rid,
        {
            ("lunga", "included", "kvinnor"): last.get("lunga", "included", "kvinnor") // 3,
            ("lunga", "within_lead_time", "kvinnor"): 0,
            ("lunga", "over_175", "kvinnor"): 0,
        },
    )
    ctx.close()
    return db, rid


def test_a_jump_from_last_years_signed_report_is_justified_and_reaches_the_rcc(region, tmp_path):
    db, rid = region
    fjol = signed_last_year(tmp_path)
    code, out, err = run("--db", db, "baseline", "--report", rid, fjol)
    assert code == 0, err
    assert "Fjolårets undertecknade redovisning (2023)" in out
    assert "Lungcancer, kvinnor: inklusionen är" in out

    code, out, err = run("--db", db, "warnings", "--report", rid, "--json")
    assert code == 0, err
    listed = json.loads(out)["warnings"]
    jump = next(w for w in listed if w["key"] == KEY)
    assert (jump["state"], jump["severity"]) == ("open", "varning")
    assert "acknowledged" not in jump

    # Without a justification, with too short a one, or for a warning that is not there:
    # refused, nothing kept.
    code, _o, err = run("--db", db, "acknowledge", "--report", rid, "--warning", KEY)
    assert code == 2 and "--justification" in err
    code, _o, err = run(
        "--db", db, "acknowledge", "--report", rid, "--warning", KEY, "--justification", "ok"
    )
    assert code == 2 and "för kort" in err
    code, _o, err = run(
        "--db", db, "acknowledge", "--report", rid, "--warning", "99", "--justification", WHY
    )
    assert code == 2 and "ingen varning nummer 99" in err
    assert "acknowledgements" not in json.loads(run("--db", db, "dump", "--report", rid)[1])

    number = str(jump["number"])
    code, out, err = run(
        "--db", db, "acknowledge", "--report", rid, "--warning", number, "--justification", WHY
    )
    assert code == 0, err
    assert "Motiverad: Lungcancer, kvinnor: inklusionen" in out

    found = json.loads(run("--db", db, "validate", "--report", rid, "--json")[1])["findings"]
    jump = next(f for f in found if f["key"] == KEY)
    assert jump["severity"] == "varning"  # still a warning, now with its justification
    assert jump["acknowledged"]["justification"] == WHY
    others = [f for f in found if f["key"] != KEY]
    assert others and all("acknowledged" not in f for f in others)

    rows = json.loads(run("--db", db, "history", "--report", rid, "--json")[1])
    ack = [r for r in rows if r["kind"] == "acknowledgement"]
    assert [(r["path"], r["old"], r["new"]) for r in ack] == [
        (f"acknowledgements/{KEY}", None, WHY)
    ]
    base = [r for r in rows if r["kind"] == "baseline"]
    assert len(base) == 1 and fjol.name in base[0]["new"]
    code, out, err = run("--db", db, "history", "--check")
    assert code == 0, out + err

    if shutil.which("pdftotext") is not None:
        pdf = tmp_path / "r.pdf"
        assert run("--db", db, "export", "--report", rid, "--out", pdf)[0] == 0
        text = " ".join(
            subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True)
            .stdout.decode()
            .split()
        )
        assert "Motiverade varningar († i tabellen)" in text
        assert WHY in text and "Lungcancer †" in text
        assert "Siffrorna jämfördes med Fjolårets undertecknade redovisning (2023)" in text

    # The RCC receives the signed report and sees the justification.
    from desktop_app.services.compilation import compile_scope

    ctx = make_ctx(db)
    signed = signed_report(ctx, rid, make_keys(tmp_path / "keys"), tmp_path / "signerad.pdf")
    ctx.close()
    rcc = make_ctx(tmp_path / "rcc.sqlite3")
    entry = receive(rcc, "norr", [signed])[0]
    count(rcc, entry.id)
    payload = compile_scope(rcc, "norr", 2024).to_dict()  # what aggregate --json prints
    r25 = next(r for r in payload["regions"] if r["code"] == "25")
    seen = next(w for w in r25["warnings"] if w["key"] == KEY)
    assert seen["acknowledged"]["justification"] == WHY
    assert r25["justified_warning_count"] == 1
    from openpyxl import load_workbook

    from desktop_app.services.compilation_exports import export_compilation_xlsx

    export_compilation_xlsx(rcc, "norr", 2024, tmp_path / "s.xlsx")
    rows = list(load_workbook(tmp_path / "s.xlsx")["Avvikelser"].iter_rows(values_only=True))
    assert ("Region Norrbotten", "25", "Motiverad varning", "Lungcancer, kvinnor: Inkluderade") in [
        r[:4] for r in rows if r[5] == WHY
    ]
    rcc.close()


def test_a_changed_value_makes_the_justification_lapse(region, tmp_path):
    db, rid = region
    run("--db", db, "baseline", "--report", rid, signed_last_year(tmp_path))
    assert (
        run("--db", db, "acknowledge", "--report", rid, "--warning", KEY, "--justification", WHY)[0]
        == 0
    )
    cell = ["--svf", "lunga", "--measure", "included", "--sex", "kvinnor"]
    assert run("--db", db, "set", "--report", rid, *cell, "--value", 2)[0] == 0
    code, out, _ = run("--db", db, "warnings", "--report", rid)
    assert code == 0
    assert "[Motiveringen gäller inte längre (värdena har ändrats)]" in out
    data = json.loads(run("--db", db, "warnings", "--report", rid, "--json")[1])
    jump = next(w for w in data["warnings"] if w["key"] == KEY)
    assert jump["state"] == "lapsed" and "acknowledged" not in jump
    assert [a["key"] for a in data["lapsed"]] == [KEY]
    # Withdrawn, the justification is gone from the report.
    assert run("--db", db, "acknowledge", "--report", rid, "--warning", KEY, "--withdraw")[0] == 0
    assert "acknowledgements" not in json.loads(run("--db", db, "dump", "--report", rid)[1])
