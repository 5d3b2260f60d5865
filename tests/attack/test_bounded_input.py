"""Hostile workbooks, CSV files, JSON documents and PDFs are refused with a Swedish message
naming the limit, in a fresh process whose peak memory stays under 500 MB. Without the checks
in desktop_app.exchange.limits the far-cell workbook aborts the process (a 550 GB allocation)
and the 800 MB string peaks at several GB; without pdf_guard the self-referencing name tree
never finishes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.domain.limits import (
    JSON_MAX_DEPTH,
    SHEET_MAX_COLUMNS,
    SHEET_MAX_ROWS,
)
from desktop_app.domain.template import load_template
from desktop_app.exchange.excel import ImportFileError, read_import_file
from desktop_app.exchange.limits import InputLimitError, check_xlsx, load_json_bounded
from tests.attack import hostile_files as hf

MEMORY_BOUND_MB = 500
TPL = load_template("svf-2024")
ROOT = Path(__file__).resolve().parents[2]


def probe(kind: str, path: Path) -> dict:
    """The outcome in a child process; the timeout only guards against a hang."""
    proc = subprocess.run(
        [sys.executable, "-m", "tests.attack.memory_probe", kind, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("build", "needle"),
    [
        (hf.far_cell_workbook, "XFD1048576"),
        (lambda p: hf.far_cell_workbook(p, "GR200000"), "GR200000"),
        (hf.lying_dimension_workbook, "A1:XFD1048576"),
        (hf.huge_string_workbook, "xl/sharedStrings.xml"),
        (hf.reused_string_workbook, "tillsammans"),
        (hf.zip_bomb_workbook, "packas upp"),
    ],
    ids=["far-cell-XFD1048576", "far-cell-GR200000", "dimension", "800MB-string", "reused", "bomb"],
)
def test_hostile_workbook_is_refused_in_bounded_memory(tmp_path, build, needle):
    path = build(tmp_path / "fientlig.xlsx")
    assert path.stat().st_size < 20 * 1024 * 1024
    out = probe("import", path)
    assert out["result"] == "error" and out["type"] == "ImportFileError", out
    assert needle in out["message"], out["message"]
    assert "fientlig.xlsx" in out["message"] and "gräns" in out["message"]
    assert out["peak_mb"] < MEMORY_BOUND_MB, out
    print(f"peak {out['peak_mb']:.0f} MB")


def test_800mb_string_workbook_is_small_on_disk(tmp_path):
    path = hf.huge_string_workbook(tmp_path / "s.xlsx")
    assert path.stat().st_size < 2 * 1024 * 1024  # the attack: about 1 MB compressed


def test_far_cell_message_names_limit(tmp_path):
    path = hf.far_cell_workbook(tmp_path / "lång.xlsx")
    with pytest.raises(ImportFileError) as err:
        read_import_file(path, TPL, "25")
    text = str(err.value)
    assert f"{SHEET_MAX_ROWS:,}".replace(",", "\u00a0") in text or str(
        SHEET_MAX_ROWS
    ) in text.replace("\u00a0", "").replace(" ", "")
    assert str(SHEET_MAX_COLUMNS) in text


def test_cell_inside_limits_passes_the_check(tmp_path):
    """The check does not refuse an ordinary sheet: a cell at the last allowed row and column
    passes it, and the reader goes on to the content."""
    path = hf.far_cell_workbook(tmp_path / "ok.xlsx", f"IP{SHEET_MAX_ROWS}")
    check_xlsx(path)  # no InputLimitError
    try:
        read_import_file(path, TPL, "25")
    except ImportFileError as err:
        assert "gräns" not in str(err)


def test_self_referencing_pdf_name_tree_is_bounded(tmp_path):
    data = hf.self_referencing_pdf()
    assert len(data) < 600
    path = tmp_path / "själv.pdf"
    path.write_bytes(data)
    out = probe("pdf", path)
    assert out["result"] == "read" and out["attachments"] == [], out
    assert out["peak_mb"] < MEMORY_BOUND_MB


def test_csv_limits(tmp_path):
    wide = tmp_path / "bred.csv"
    wide.write_text(";".join(["x"] * (SHEET_MAX_COLUMNS + 5)) + "\n", encoding="utf-8")
    with pytest.raises(ImportFileError) as err:
        read_import_file(wide, TPL, "25")
    assert "kolumner" in str(err.value) and "gränsen" in str(err.value)
    long_field = tmp_path / "fält.csv"
    long_field.write_text("svf_id;" + '"' + "x" * 200_000 + '"\n', encoding="utf-8")
    with pytest.raises(ImportFileError) as err:
        read_import_file(long_field, TPL, "25")
    assert "fält längre" in str(err.value)
    assert "field larger" not in str(err.value)


def test_json_limits():
    deep = b"[" * (JSON_MAX_DEPTH + 1) + b"]" * (JSON_MAX_DEPTH + 1)
    with pytest.raises(InputLimitError, match="nästlat"):
        load_json_bounded(deep, "Dokumentet")
    very_deep = b"[" * 200_000 + b"]" * 200_000  # json.loads alone: RecursionError
    with pytest.raises(InputLimitError):
        load_json_bounded(very_deep, "Dokumentet")
    with pytest.raises(InputLimitError, match="tal med 5"):
        load_json_bounded(b'{"a": ' + b"9" * 5000 + b"}", "Dokumentet")
    assert load_json_bounded(b'{"a": [1, 2.5, "[[[[" ], "b": "' + b"9" * 100 + b'"}', "D") == {
        "a": [1, 2.5, "[[[["],
        "b": "9" * 100,
    }


def test_largest_allowed_area_is_read_under_the_memory_bound(tmp_path):
    """A cell at the last allowed row and column makes the reader hold the whole rectangle
    (5 million cells): the limits are chosen so that this still fits under the bound."""
    path = hf.far_cell_workbook(tmp_path / "kant.xlsx", f"IP{SHEET_MAX_ROWS}")
    out = probe("import", path)
    assert out["peak_mb"] < MEMORY_BOUND_MB, out
