"""End to end through `svf-report`: demo, new, excel-template, fill in, import, validate."""

import json
import subprocess
import sys

import openpyxl
import pytest

from desktop_app.cli import main


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def fill_workbook(path, included, expected=10, prem=("ja", 100, 40), bad=None, only=None):
    """Fill every applicable count cell of sheet SVF like a coordinator would in Excel
    (with ``only``: the cells of those measures alone)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["SVF"]
    keys = [c.value for c in ws[1]]
    values = {
        "expected": expected,
        "investigated": included + 5,
        "included": included,
        "within_lead_time": included // 2,
        "over_175": 1,
    }
    if only is not None:
        values = {m: v for m, v in values.items() if m in only}
    for row in ws.iter_rows(min_row=3):
        svf_id = row[0].value
        if not svf_id:
            continue
        for cell, key in zip(row, keys, strict=False):
            if not key or key in ("svf_id", "svf_name"):
                continue
            measure, sex = key.rsplit("_", 1)
            if sex == "totalt":
                continue  # the split per sex is filled; a total per SVF is the alternative
            if (
                measure in values
                and not (svf_id == "prostata" and sex == "kvinnor")
                and not (svf_id == "aggstock" and sex == "man")
            ):
                if svf_id in ("prostata", "penis", "testikel") and sex == "kvinnor":
                    continue
                if (
                    svf_id in ("aggstock", "livmoderhals", "livmoderkropp", "vulva")
                    and sex == "man"
                ):
                    continue
                cell.value = values[measure]
    for ref, value in (bad or {}).items():
        ws[ref] = value
    p = wb["PREM"]
    for row in p.iter_rows(min_row=1):
        key = row[0].value
        if key == "prem_used":
            row[1].value = prem[0]
        elif key == "prem_sent":
            row[1].value = prem[1]
        elif key == "prem_answers":
            row[1].value = prem[2]
    wb.save(path)


def column_of(path, key):
    ws = openpyxl.load_workbook(path, read_only=True)["SVF"]
    header = [c.value for c in next(ws.iter_rows(min_row=1, max_row=1))]
    return openpyxl.utils.get_column_letter(header.index(key) + 1)


def row_of(path, svf_id):
    ws = openpyxl.load_workbook(path, read_only=True)["SVF"]
    for i, row in enumerate(ws.iter_rows(min_row=1, max_col=1, values_only=True), start=1):
        if row[0] == svf_id:
            return i
    raise AssertionError(svf_id)


def test_demo_database(capsys, tmp_path):
    db = tmp_path / "demo.sqlite3"
    code, out, _ = run(capsys, "demo", "--db", db)
    assert code == 0 and "21 redovisningar" in out
    code, out, _ = run(capsys, "--db", db, "list", "--json")
    rows = json.loads(out)
    assert len(rows) == 21
    by_region = {r["region"]: r for r in rows}
    assert by_region["25"]["criteria"]["inclusion"] == "fail"
    assert by_region["09"]["criteria"]["prem"] == "fail"


@pytest.mark.parametrize(
    "region, included, status",
    [("25", 6, "fail"), ("03", 8, "pass"), ("05", 7, "pass")],  # 60 %, 80 %, exactly 70 %
)
def test_new_template_fill_import_validate(capsys, tmp_path, region, included, status):
    db = tmp_path / "r.sqlite3"
    code, out, _ = run(capsys, "new", "--db", db, "--region", region, "--year", "2024")
    assert code == 0
    rid = int(out.strip())
    xlsx = tmp_path / f"region{region}.xlsx"
    code, _, _ = run(
        capsys, "excel-template", "--db", db, "--region", region, "--year", "2024", "--out", xlsx
    )
    assert code == 0 and xlsx.exists()
    fill_workbook(xlsx, included=included)
    code, out, err = run(capsys, "import", "--db", db, "--report", rid, xlsx)
    assert code == 0, err
    assert "värden ändrade" in out

    code, out, _ = run(capsys, "validate", "--db", db, "--report", rid, "--json")
    result = json.loads(out)
    crit = {c["id"]: c for c in result["criteria"]}
    assert set(crit) == {"inclusion", "prem", "deadline"}
    # computed from the figures: 32 SVF, 25 with both sexes and 7 with one -> 57 cells
    assert crit["inclusion"]["denominator"] == 57 * 10
    assert crit["inclusion"]["numerator"] == 57 * included
    assert crit["inclusion"]["value"] == pytest.approx(included * 10)
    assert crit["inclusion"]["status"] == status
    assert crit["prem"]["status"] == "pass" and crit["prem"]["numerator"] == 40
    # Past 2024's deadline and nothing handed in: the region's side does not judge it (issue 11).
    assert crit["deadline"]["status"] == "unknown"
    assert "Bedöms av RCC vid mottagandet" in crit["deadline"]["message"]
    # narratives are still missing: errors, so exit 1
    assert code == 1
    assert {f["rule"] for f in result["findings"] if f["severity"] == "fel"} == {"missing_answer"}

    code, _, _ = run(capsys, "submit", "--db", db, "--report", rid, "--date", "2024-09-27")
    code, out, _ = run(capsys, "validate", "--db", db, "--report", rid, "--json")
    deadline = {c["id"]: c for c in json.loads(out)["criteria"]}["deadline"]
    assert deadline["status"] == "unknown"  # the RCC judges it on arrival (issue 11)
    assert deadline["message"].startswith("Skickad till RCC 27 september 2024")


def test_workbook_with_errors_is_refused_and_nothing_changes(capsys, tmp_path):
    db = tmp_path / "r.sqlite3"
    _, out, _ = run(capsys, "new", "--db", db, "--region", "25", "--year", "2024")
    rid = int(out)
    good = tmp_path / "good.xlsx"
    run(capsys, "excel-template", "--db", db, "--region", "25", "--year", "2024", "--out", good)
    fill_workbook(good, included=8)
    assert run(capsys, "import", "--db", db, "--report", rid, good)[0] == 0
    _, before, _ = run(capsys, "dump", "--db", db, "--report", rid)

    bad = tmp_path / "bad.xlsx"
    run(capsys, "excel-template", "--db", db, "--region", "25", "--year", "2024", "--out", bad)
    lung, breast = row_of(bad, "lunga"), row_of(bad, "brost")
    inc_w, exp_m, within_m = (
        column_of(bad, k) for k in ("included_kvinnor", "expected_man", "within_lead_time_man")
    )
    fill_workbook(
        bad,
        included=9,
        bad={
            f"{inc_w}{lung}": "tolv",  # text in a number cell
            f"{exp_m}{lung}": -4,  # negative
            f"{inc_w}{breast}": 3.5,  # decimal count
            f"{within_m}{breast}": 99,  # more within lead time than included
        },
    )
    code, out, err = run(capsys, "import", "--db", db, "--report", rid, bad)
    assert code == 1
    assert "Inget har ändrats" in err
    assert f"blad SVF, rad {lung}, kolumn {inc_w} (included_kvinnor)" in err and "tolv" in err
    assert f"rad {lung}, kolumn {exp_m}" in err
    assert f"rad {breast}, kolumn {inc_w}" in err
    assert f"rad {breast}, kolumn {within_m}" in err
    assert "Traceback" not in err
    _, after, _ = run(capsys, "dump", "--db", db, "--report", rid)
    assert after == before


def test_load_dump_round_trip(capsys, tmp_path):
    db = tmp_path / "r.sqlite3"
    run(capsys, "demo", "--db", db)
    out_file = tmp_path / "doc.json"
    assert run(capsys, "dump", "--db", db, "--report", 3, "--out", out_file)[0] == 0
    db2 = tmp_path / "r2.sqlite3"
    code, out, _ = run(capsys, "load", "--db", db2, out_file)
    assert code == 0 and "Skapade redovisning 1" in out
    _, dumped, _ = run(capsys, "dump", "--db", db2, "--report", 1)
    # The same content; the head of the history chain is each database's own (issue 15).
    again, original = json.loads(dumped), json.loads(out_file.read_text(encoding="utf-8"))
    assert again.pop("history") != original.pop("history")
    assert again == original
    broken = tmp_path / "broken.json"
    broken.write_text("{ nej", encoding="utf-8")
    code, _, err = run(capsys, "load", "--db", db2, broken)
    assert code == 2 and "inte giltig JSON (rad 1" in err


def test_usage_errors_are_swedish(capsys, tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["new", "--region", "25"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "dessa argument krävs: --year" in err and "användning:" in err
    code, _, err = run(capsys, "show", "--db", tmp_path / "x.sqlite3", "--report", 7)
    assert code == 2 and "ingen redovisning med id 7" in err


def test_env_variable_selects_database(capsys, tmp_path, monkeypatch):
    db = tmp_path / "env.sqlite3"
    monkeypatch.setenv("SVF_REPORT_DB", str(db))
    assert run(capsys, "new", "--region", "01", "--year", "2024")[0] == 0
    assert db.exists()


def test_headless_start_does_not_load_qt():
    code = (
        "import sys\n"
        "from desktop_app.cli import build_parser\n"
        "build_parser().format_help()\n"
        "import desktop_app.services.reports, desktop_app.services.imports, desktop_app.services.demo\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt loaded'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    out = subprocess.run(
        [sys.executable, "-m", "desktop_app", "--help"], capture_output=True, text=True, check=True
    )
    assert "användning: svf-report" in out.stdout and "excel-template" in out.stdout


# ---------------------------------------------------------------- issue 12, points 1-3


def new_report_with_workbook(capsys, tmp_path, region="25"):
    db = tmp_path / "r.sqlite3"
    _, out, _ = run(capsys, "new", "--db", db, "--region", region, "--year", "2024")
    rid = int(out)
    xlsx = tmp_path / "region.xlsx"
    run(capsys, "excel-template", "--db", db, "--region", region, "--year", "2024", "--out", xlsx)
    return db, rid, xlsx


def test_included_over_investigated_imports_with_a_warning_naming_the_cell(capsys, tmp_path):
    db, rid, xlsx = new_report_with_workbook(capsys, tmp_path)
    penis = row_of(xlsx, "penis")
    inv, inc, within, over = (
        column_of(xlsx, f"{m}_man")
        for m in ("investigated", "included", "within_lead_time", "over_175")
    )
    # Peniscancer: 1 SVF started in the period, 2 ended with start of treatment in it.
    bad = {f"{inv}{penis}": 1, f"{inc}{penis}": 2, f"{within}{penis}": 1, f"{over}{penis}": 0}
    fill_workbook(xlsx, included=8, bad=bad)
    code, out, err = run(capsys, "import", "--db", db, "--report", rid, xlsx)
    assert code == 0, err
    warning = next(line for line in out.splitlines() if "VARNING" in line)
    assert f"blad SVF, rad {penis}, kolumn {inc} (included_man)" in warning
    assert "Peniscancer, män: Inkluderade (2) är fler än Utredda i SVF (1)" in warning
    _, dumped, _ = run(capsys, "dump", "--db", db, "--report", rid)
    assert json.loads(dumped)["figures"]["penis"]["included_man"] == 2  # stored

    code, out, _ = run(capsys, "validate", "--db", db, "--report", rid, "--json")
    result = json.loads(out)
    (f,) = [f for f in result["findings"] if f["rule"] == "included_gt_investigated"]
    assert f["severity"] == "varning"
    assert f["location"] == {
        "step": "svf-statistik",
        "svf": "penis",
        "sex": "man",
        "measure": "included",
    }
    assert "olika grupper" in f["message"]


# The narratives of 4.2 answered, the gender-equality question (optional) left empty.
REQUIRED_ANSWERS = {
    "waiting_times": "Väntetidsläget per SVF.",
    "long_waits": "Orsaker.",
    "prem_use": "Resultaten återkopplas till verksamheterna.",
    "urology": "Insatser.",
    "gender_equality": "",
}


def load_with_required_answers(capsys, db, doc, tmp_path):
    """Load ``doc`` (a dumped report) back with ``REQUIRED_ANSWERS`` as its answers."""
    doc["answers"] = dict(REQUIRED_ANSWERS)
    edited = tmp_path / "doc.json"
    edited.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert run(capsys, "load", "--db", db, edited)[0] == 0


def test_required_figures_and_narratives_only_validate_and_export(capsys, tmp_path):
    """expected and included filled, no within_lead_time/over_175/investigated, PREM used with
    no counts, the required narratives answered and the gender question empty: no error, the
    PREM criterion passes and the report exports."""
    db, rid, xlsx = new_report_with_workbook(capsys, tmp_path)
    fill_workbook(xlsx, included=8, prem=("ja", None, None), only=("expected", "included"))
    code, out, err = run(capsys, "import", "--db", db, "--report", rid, xlsx)
    assert code == 0, err
    _, dumped, _ = run(capsys, "dump", "--db", db, "--report", rid)
    doc = json.loads(dumped)
    assert {k.rsplit("_", 1)[0] for v in doc["figures"].values() for k in v} == {
        "expected",
        "included",
    }
    load_with_required_answers(capsys, db, doc, tmp_path)

    code, out, _ = run(capsys, "validate", "--db", db, "--report", rid, "--json")
    result = json.loads(out)
    assert [f for f in result["findings"] if f["severity"] == "fel"] == []
    assert code == 0
    crit = {c["id"]: c for c in result["criteria"]}
    assert crit["prem"]["status"] == "pass"
    assert crit["inclusion"]["status"] == "pass"  # 8 of 10 in every cell

    pdf = tmp_path / "redovisning.pdf"
    code, out, err = run(capsys, "export", "--db", db, "--report", rid, "--out", pdf)
    assert code == 0, err
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")


def fill_totals(path, expected, included):
    """Fill ``expected`` and ``included`` as one total per SVF (no sex split), and per sex
    for the SVFs of one sex (they have no total column)."""
    from desktop_app.domain.template import load_template

    tpl = load_template("svf-2024")
    wb = openpyxl.load_workbook(path)
    ws = wb["SVF"]
    keys = [c.value for c in ws[1]]
    values = {"expected": expected, "included": included}
    for row in ws.iter_rows(min_row=3):
        svf = tpl.svf(row[0].value or "")
        if svf is None:
            continue
        for cell, key in zip(row, keys, strict=False):
            measure, _, column = (key or "").rpartition("_")
            if measure not in values:
                continue
            if tpl.total_applies(svf, measure):
                if column == "totalt":
                    cell.value = values[measure] * len(svf.sexes)
            elif svf.applies_to(column):
                cell.value = values[measure]
    for row in wb["PREM"].iter_rows(min_row=1):
        if row[0].value == "prem_used":
            row[1].value = "ja"
    wb.save(path)


def test_expected_and_included_as_totals_per_svf_validate_and_export(capsys, tmp_path):
    """Issue 12: the beräkningsunderlag is not known per sex, so expected and included may be
    one total per SVF. With those totals alone (no within_lead_time/over_175/investigated),
    the required narratives answered and the gender question empty: no error, inclusion is
    computed from the totals, the report exports, and the PDF says inclusion per sex is not
    computed for SVFs reported as totals."""
    db, rid, xlsx = new_report_with_workbook(capsys, tmp_path)
    fill_totals(xlsx, expected=10, included=6)
    code, out, err = run(capsys, "import", "--db", db, "--report", rid, xlsx)
    assert code == 0, err + out
    _, dumped, _ = run(capsys, "dump", "--db", db, "--report", rid)
    doc = json.loads(dumped)
    assert doc["figures"]["lunga"] == {"expected_totalt": 20, "included_totalt": 12}
    assert doc["figures"]["prostata"] == {"expected_man": 10, "included_man": 6}
    load_with_required_answers(capsys, db, doc, tmp_path)

    code, out, _ = run(capsys, "validate", "--db", db, "--report", rid, "--json")
    result = json.loads(out)
    assert [f for f in result["findings"] if f["severity"] == "fel"] == []
    crit = {c["id"]: c for c in result["criteria"]}
    assert crit["inclusion"]["status"] == "fail"  # 6 of 10 = 60 %, computed from the totals
    assert crit["inclusion"]["value"] == 60.0
    assert crit["inclusion"]["denominator"] > 0

    pdf = tmp_path / "redovisning.pdf"
    code, out, err = run(capsys, "export", "--db", db, "--report", rid, "--out", pdf)
    assert code == 0, err
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "60,0 %" in text
    assert "totalt per SVF" in text  # the note on the SVFs reported without a sex split


def test_a_total_that_disagrees_with_the_split_is_refused_naming_the_svf(capsys, tmp_path):
    db, rid, xlsx = new_report_with_workbook(capsys, tmp_path)
    fill_workbook(xlsx, included=6)  # per sex: 10 expected for women and for men
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["SVF"]
    ws[f"{column_of(xlsx, 'expected_totalt')}{row_of(xlsx, 'lunga')}"] = 25  # not 10 + 10
    wb.save(xlsx)
    before = run(capsys, "dump", "--db", db, "--report", rid)[1]
    code, out, err = run(capsys, "import", "--db", db, "--report", rid, xlsx)
    assert code != 0
    assert "Lungcancer: Beräkningsunderlag totalt (25) stämmer inte med summan per kön (20)" in (
        out + err
    )
    assert run(capsys, "dump", "--db", db, "--report", rid)[1] == before


def test_questions_are_listed_and_answered_from_the_command_line(capsys, tmp_path):
    """Issue 13, point 11: the narratives of a headless round: `questions` lists the ids, and
    `answer` stores a typed answer or one from a file (Windows Notepad's encoding too)."""
    db, rid, _ = new_report_with_workbook(capsys, tmp_path)
    code, out, _ = run(capsys, "questions", "--year", "2024")
    assert code == 0
    assert "urology" in out and "måste besvaras" in out and "frivillig" in out
    code, out, _ = run(capsys, "questions", "--year", "2024", "--json")
    ids = {q["id"]: q["required"] for q in json.loads(out)}
    assert ids["urology"] is True and ids["gender_equality"] is False

    assert (
        run(
            capsys,
            "answer",
            "--db",
            db,
            "--report",
            rid,
            "--question",
            "urology",
            "--text",
            "Ny utredningsmottagning.",
        )[0]
        == 0
    )
    answer = tmp_path / "svar.txt"
    answer.write_bytes("Väntetiderna har kortats för bröstcancer.\r\n".encode("cp1252"))
    code, out, _ = run(
        capsys,
        "answer",
        "--db",
        db,
        "--report",
        rid,
        "--question",
        "waiting_times",
        "--file",
        answer,
    )
    assert code == 0 and "sparat" in out
    doc = json.loads(run(capsys, "dump", "--db", db, "--report", rid)[1])
    assert doc["answers"]["urology"] == "Ny utredningsmottagning."
    assert doc["answers"]["waiting_times"] == "Väntetiderna har kortats för bröstcancer."

    code, _, err = run(
        capsys, "answer", "--db", db, "--report", rid, "--question", "nej", "--text", "x"
    )
    assert code == 2 and "Frågan 'nej' finns inte" in err
