"""Issue 12, point 5 through `svf-report aggregate --population`: the RCC's own population
table (SCB's CSV layout) is the key of the split, and the workbook (read with openpyxl) and
the PDF (read with pdftotext) state the key's date and source and that it is preliminary."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess

import pytest

from desktop_app.cli import main
from desktop_app.domain.reference import load_reference
from desktop_app.domain.template import template_for_year


def cli(*args: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def scb_csv(path, bad_row: str | None = None):
    """An SCB-style table in Windows-1252: title, header, one row per region (+1 each)."""
    lines = ['"Folkmängd efter region, 2023M11"', '"region";"2023M11"']
    for r in load_reference().regions:
        value = bad_row if bad_row and r.code == "05" else str(r.population + 1)
        lines.append(f'"{r.code} {r.lan}";"{value}"')
    path.write_bytes("\n".join(lines).encode("cp1252"))
    return path


def sheet_text(ws) -> str:
    return "\n".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c)


def pdf_text(pdf) -> str:
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_a_loaded_table_is_the_key_and_every_output_states_it(tmp_path):
    from openpyxl import load_workbook

    csv_file = scb_csv(tmp_path / "folkmangd-2023-11.csv")
    xlsx, pdf = tmp_path / "s.xlsx", tmp_path / "s.pdf"
    code, out, err = cli(
        "aggregate", "--db", tmp_path / "rcc.sqlite3", "--national", "--year", "2024",
        "--out", xlsx, "--pdf", pdf, "--json",
        "--population", csv_file, "--population-date", "2023-11-01",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    key = data["payments"]["population_key"]
    assert key["date"] == "2023-11-01" and key["status"] == "preliminary"
    assert key["source"].startswith("folkmangd-2023-11.csv")
    assert {p["population"] - p["reference"] for p in data["populations"]} == {1}

    wb = load_workbook(xlsx)
    for name in ("Sammanfattning", "Utbetalning"):
        text = sheet_text(wb[name])
        assert "Fördelningsnyckel: folkmängd 2023-11-01 enligt folkmangd-2023-11.csv" in text
        assert "preliminär nyckel" in text
    if shutil.which("pdftotext"):
        text = " ".join(pdf_text(pdf).split())
        assert text.count("folkmängd 2023-11-01 enligt folkmangd-2023-11.csv") >= 2
        assert "preliminär nyckel" in text


def test_the_shipped_key_is_stated_as_preliminary(tmp_path):
    from openpyxl import load_workbook

    xlsx, pdf = tmp_path / "s.xlsx", tmp_path / "s.pdf"
    code, out, err = cli(
        "aggregate", "--db", tmp_path / "rcc.sqlite3", "--national", "--year", "2024",
        "--out", xlsx, "--pdf", pdf,
    )  # fmt: skip
    assert code == 0, err
    key = template_for_year(2024).population_key
    assert key is not None
    line = key.describe()
    assert "folkmängd 2023-12-31" in line and "preliminär" in line
    assert line in out
    assert line in sheet_text(load_workbook(xlsx)["Utbetalning"])
    if shutil.which("pdftotext"):
        assert line in " ".join(pdf_text(pdf).split())


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--population-date", "2023-11-01"], "rad 6, kolumn 2"),
        ([], "anges tillsammans"),
    ],
)
def test_a_bad_table_exits_2_and_changes_nothing(tmp_path, extra, message):
    csv_file = scb_csv(tmp_path / "folk.csv", bad_row="4x")
    db = tmp_path / "rcc.sqlite3"
    code, _, err = cli(
        "aggregate", "--db", db, "--national", "--year", "2024", "--out", tmp_path / "s.xlsx",
        "--population", csv_file, *extra,
    )  # fmt: skip
    assert code == 2
    assert message in err
    if "kolumn" in message:
        assert "folk.csv" in err
    assert not (tmp_path / "s.xlsx").exists()
