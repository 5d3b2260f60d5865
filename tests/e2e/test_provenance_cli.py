"""Issue 15, points 1-3 headless: the RCC's national extract split into per-region start files,
a region imports its own, ``dump`` shows the values' source (the extract's date and hash), a
change of an extract value is refused without ``--reason`` and kept with it, the exported PDF
lists the change with the reason, and the RCC's compilation reports the deviation."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from desktop_app.cli import main
from desktop_app.domain.figures import cell_key
from desktop_app.domain.template import load_template

TPL = load_template("svf-2024")
CELLS = ("expected", "investigated", "included", "within_lead_time")


def run(*args: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def write_extract(path: Path, by_region: dict[str, dict]) -> None:
    """A national extract: the import workbook's keys plus ``region``, a row per region × SVF."""
    keys = [cell_key(m, x) for m in CELLS for x in ("kvinnor", "man")]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["region", "svf_id", *keys])
        for code, figures in by_region.items():
            for svf in ("lunga", "aml"):
                w.writerow([code, svf, *(figures.get((svf, *k.rsplit("_", 1))) for k in keys)])


def demo_db(tmp_path: Path) -> tuple[Path, int, dict]:
    from desktop_app.services.demo import create_demo
    from desktop_app.services.reports import get_report
    from tests.helpers.factories import make_ctx

    db = tmp_path / "region.sqlite3"
    ctx = make_ctx(db)
    ids = create_demo(ctx)
    rid = next(i for i in ids if get_report(ctx, i).region_code == "25")
    figures = dict(get_report(ctx, rid).figures.items())
    ctx.close()
    return db, rid, figures


@pytest.fixture
def start(tmp_path):
    """Region 25's database, the extract (the demo's figures, lung cancer's included women
    one higher, so that importing changes it) and the start files of RCC Norr."""
    db, rid, figures = demo_db(tmp_path)
    extract = tmp_path / "uttag.csv"
    rcc_figures = dict(figures)
    rcc_figures[("lunga", "included", "kvinnor")] += 1
    rcc_figures[("lunga", "investigated", "kvinnor")] += 1
    write_extract(extract, {"25": rcc_figures, "24": figures, "01": figures})
    code, out, err = run(
        "extract-split", extract, "--date", "2024-08-21", "--rcc", "norr", "--out", tmp_path / "ut"
    )
    assert code == 0, err
    return db, rid, extract, tmp_path / "ut", rcc_figures, out


def test_an_extract_is_split_into_one_start_file_per_region_of_the_rcc(start):
    from desktop_app.exchange.excel import read_import_file

    _db, _rid, extract, out_dir, rcc_figures, printed = start
    names = sorted(p.name for p in out_dir.iterdir())
    # Only the RCC's regions with values: 01 (Stockholm) is not Norr's, 22 and 23 have no rows.
    assert names == [
        "startfil-24-region-vasterbotten-2024.xlsx",
        "startfil-25-region-norrbotten-2024.xlsx",
    ]
    assert "inga värden i uttaget" in printed and "Jämtland" in printed
    data = read_import_file(out_dir / names[1], TPL, "25")
    sha = hashlib.sha256(extract.read_bytes()).hexdigest()
    assert data.extract is not None
    assert (data.extract.on.isoformat(), data.extract.sha256) == ("2024-08-21", sha)
    assert (
        data.figures[("lunga", "included", "kvinnor")]
        == rcc_figures[("lunga", "included", "kvinnor")]
    )
    assert data.extract_values == data.figures


def test_a_region_imports_its_start_file_changes_a_value_with_a_reason_and_the_pdf_lists_it(
    start, tmp_path
):
    db, rid, extract, out_dir, rcc_figures, _ = start
    sha = hashlib.sha256(extract.read_bytes()).hexdigest()
    f = out_dir / "startfil-25-region-norrbotten-2024.xlsx"
    code, _out, err = run("--db", db, "import", "--report", rid, f)
    assert code == 0, err
    code, out, err = run("--db", db, "dump", "--report", rid)
    doc = json.loads(out)
    src = doc["sources"]["lunga"]["included_kvinnor"]
    assert src == {
        "source": "rcc_extract",
        "extract_date": "2024-08-21",
        "extract_sha256": sha,
        "extract_rcc": "norr",
        "extract_value": rcc_figures[("lunga", "included", "kvinnor")],
    }
    assert doc["sources"]["aml"]["expected_man"]["source"] == "rcc_extract"
    original = rcc_figures[("lunga", "included", "kvinnor")]
    cell = ["--svf", "lunga", "--measure", "included", "--sex", "kvinnor"]
    code, _out, err = run("--db", db, "set", "--report", rid, *cell, "--value", original - 1)
    assert code == 2 and "RCC:s datauttag 2024-08-21" in err and "--reason" in err
    assert (
        json.loads(run("--db", db, "dump", "--report", rid)[1])["figures"]["lunga"][
            "included_kvinnor"
        ]
        == original
    )  # refused: nothing changed
    reason = "En patient räknades två gånger i uttaget."
    code, out, err = run(
        "--db", db, "set", "--report", rid, *cell, "--value", original - 1, "--reason", reason
    )
    assert code == 0, err
    doc = json.loads(run("--db", db, "dump", "--report", rid)[1])
    assert doc["figures"]["lunga"]["included_kvinnor"] == original - 1
    src = doc["sources"]["lunga"]["included_kvinnor"]
    assert (src["source"], src["extract_value"], src["reason"]) == ("typed", original, reason)
    history = json.loads(run("--db", db, "history", "--report", rid, "--json")[1])
    rows = history["entries"] if isinstance(history, dict) else history
    last = [r for r in rows if r.get("path") == "figures/lunga/included_kvinnor"][-1]
    assert (last["old"], last["new"], last["reason"]) == (original, original - 1, reason)
    # Back at the extract's value: the extract's again, no reason needed.
    code, _o, err = run("--db", db, "set", "--report", rid, *cell, "--value", original)
    assert code == 0, err
    src = json.loads(run("--db", db, "dump", "--report", rid)[1])["sources"]["lunga"]
    assert src["included_kvinnor"]["source"] == "rcc_extract"
    assert "reason" not in src["included_kvinnor"]
    # Changed again (with a reason), then exported: the PDF lists it.
    run("--db", db, "set", "--report", rid, *cell, "--value", original - 1, "--reason", reason)
    if shutil.which("pdftotext") is None:
        pytest.skip("needs pdftotext")
    pdf = tmp_path / "r.pdf"
    code, _o, err = run("--db", db, "export", "--report", rid, "--out", pdf)
    assert code == 0, err
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True)
        .stdout.decode()
        .split()
    )
    assert "Ändrade värden från RCC:s datauttag" in text
    assert "Lungcancer, kvinnor: Inkluderade" in text and reason in text
    assert "Lungcancer *" in text  # the SVF table marks the row


def test_a_value_changed_in_the_start_file_itself_needs_a_reason_too(start, tmp_path):
    """A start file whose value the region changed before importing changes the extract's
    value: refused without ``--reason`` (nothing imported), kept with it."""
    from openpyxl import load_workbook

    db, rid, _extract, out_dir, rcc_figures, _ = start
    f = out_dir / "startfil-25-region-norrbotten-2024.xlsx"
    wb = load_workbook(f)
    ws = wb["SVF"]
    keys = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=3) if r[0].value == "aml")
    row[keys.index("expected_kvinnor")].value = 3
    wb.save(f)
    before = run("--db", db, "dump", "--report", rid)[1]
    code, _o, err = run("--db", db, "import", "--report", rid, f)
    assert code == 2
    assert "ändrar 1 värde från RCC:s datauttag" in err and "--reason" in err
    assert "Akut myeloisk leukemi, kvinnor: Beräkningsunderlag" in err
    assert run("--db", db, "dump", "--report", rid)[1] == before  # nothing imported
    reason = "Två patienter fanns i fel region i uttaget."
    code, _o, err = run("--db", db, "import", "--report", rid, f, "--reason", reason)
    assert code == 0, err
    src = json.loads(run("--db", db, "dump", "--report", rid)[1])["sources"]["aml"]
    assert src["expected_kvinnor"]["source"] == "import"
    assert src["expected_kvinnor"]["extract_value"] == rcc_figures[("aml", "expected", "kvinnor")]
    assert src["expected_kvinnor"]["reason"] == reason
    assert src["expected_man"]["source"] == "rcc_extract"
    assert "reason" not in src["expected_man"]


def test_an_ordinary_import_over_extract_values_needs_a_reason(start, tmp_path):
    """After the start file, a plain workbook that changes a value of the extract is refused
    without ``--reason``; with one, the value keeps the extract's and the reason."""
    db, rid, _extract, out_dir, rcc_figures, _ = start
    assert (
        run(
            "--db",
            db,
            "import",
            "--report",
            rid,
            out_dir / "startfil-25-region-norrbotten-2024.xlsx",
        )[0]
        == 0
    )
    plain = tmp_path / "egen.csv"
    new = rcc_figures[("lunga", "included", "kvinnor")] - 1
    plain.write_text(f"svf_id;included_kvinnor\nlunga;{new}\n", encoding="utf-8")
    code, _o, err = run("--db", db, "import", "--report", rid, plain)
    assert code == 2 and "Lungcancer, kvinnor: Inkluderade" in err and "--reason" in err
    reason = "En patient räknades två gånger."
    code, _o, err = run("--db", db, "import", "--report", rid, plain, "--reason", reason)
    assert code == 0, err
    doc = json.loads(run("--db", db, "dump", "--report", rid)[1])
    src = doc["sources"]["lunga"]["included_kvinnor"]
    assert (src["source"], src["file"], src["reason"]) == ("import", "egen.csv", reason)
    assert doc["figures"]["lunga"]["included_kvinnor"] == new
    rows = json.loads(run("--db", db, "history", "--report", rid, "--json")[1])
    last = [r for r in rows if r["path"] == "figures/lunga/included_kvinnor"][-1]
    assert (last["kind"], last["new"], last["reason"]) == ("import", new, reason)


def test_an_extract_with_problems_writes_nothing_and_names_each_place(tmp_path):
    extract = tmp_path / "uttag.csv"
    extract.write_text(
        "region;svf_id;included_kvinnor\n25;lunga;7\n99;lunga;3\n25;lunga;4\n24;aml;-1\n",
        encoding="utf-8",
    )
    out_dir = tmp_path / "ut"
    code, _o, err = run(
        "extract-split", extract, "--date", "2024-08-21", "--rcc", "norr", "--out", out_dir
    )
    assert code == 1
    assert "rad 3, kolumn A (region)" in err  # unknown region 99
    assert "rad 4, kolumn B (svf_id)" in err  # lunga twice for region 25
    assert "rad 5, kolumn C (included_kvinnor)" in err  # a negative count
    assert not out_dir.exists()
    # The same SVF for two regions is no repetition; a file without a region column is refused.
    extract.write_text("svf_id;included_kvinnor\nlunga;7\n", encoding="utf-8")
    code, _o, err = run(
        "extract-split", extract, "--date", "2024-08-21", "--rcc", "norr", "--out", out_dir
    )
    assert code == 1 and "kolumnen region" in err and not out_dir.exists()
