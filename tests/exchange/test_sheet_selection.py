"""Sheets are read by exact name and only when visible: a hidden (or veryHidden) copy of a sheet
is never read, and sheets whose names differ only by case or spaces are an error."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from desktop_app.domain.reference import load_reference
from desktop_app.domain.template import load_template
from desktop_app.exchange.excel import ImportFileError, read_import_file, write_import_workbook

TPL = load_template("svf-2024")
REGION = load_reference().region("25")
CELL = ("aml", "expected", "man")


def _template(tmp_path: Path, value: int = 7) -> Path:
    p = tmp_path / "mall.xlsx"
    write_import_workbook(p, TPL, REGION, {CELL: value})
    return p


def _rename(p: Path, old: str, new: str) -> None:
    """Rename a sheet in xl/workbook.xml itself (openpyxl refuses names Excel would refuse,
    which is what an attacker's tool does not)."""
    with zipfile.ZipFile(p) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    wb = parts["xl/workbook.xml"].decode("utf-8")
    assert f'name="{old}"' in wb
    parts["xl/workbook.xml"] = wb.replace(f'name="{old}"', f'name="{new}"').encode("utf-8")
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def _add_copy(p: Path, name: str, state: str, value: int) -> None:
    """A copy of the SVF sheet under ``name`` and ``state`` with a different figure."""
    wb = openpyxl.load_workbook(p)
    src = wb["SVF"]
    copy = wb.copy_worksheet(src)
    copy.title = "Kopia"
    copy.sheet_state = state
    for row in copy.iter_rows():
        for c in row:
            if c.value == 7:
                c.value = value
    wb.save(p)
    _rename(p, "Kopia", name)


def test_plain_template_reads(tmp_path):
    data = read_import_file(_template(tmp_path), TPL, "25")
    assert data.figures[CELL] == 7


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_hidden_near_copy_is_an_error_not_read(tmp_path, state):
    p = _template(tmp_path)
    _add_copy(p, "svf ", state, 999)
    with pytest.raises(ImportFileError) as err:
        read_import_file(p, TPL, "25")
    text = str(err.value)
    assert "flera blad" in text and "'svf" in text and "även dolda" in text


def test_only_sheet_svf_hidden_is_not_read(tmp_path):
    p = _template(tmp_path)
    wb = openpyxl.load_workbook(p)
    wb["SVF"].sheet_state = "veryHidden"
    wb.save(p)
    with pytest.raises(ImportFileError) as err:
        read_import_file(p, TPL, "25")
    assert "är dolt och läses inte" in str(err.value)


def test_visible_sheets_differing_by_case_are_an_error(tmp_path):
    p = _template(tmp_path)
    _add_copy(p, "Svf", "visible", 999)
    with pytest.raises(ImportFileError) as err:
        read_import_file(p, TPL, "25")
    assert "flera blad som heter nästan SVF" in str(err.value)


def test_sheet_named_almost_right_is_an_error(tmp_path):
    p = _template(tmp_path)
    _rename(p, "SVF", "svf")
    with pytest.raises(ImportFileError) as err:
        read_import_file(p, TPL, "25")
    assert "ska heta exakt 'SVF'" in str(err.value)


def test_unrelated_hidden_sheet_is_ignored(tmp_path):
    p = _template(tmp_path)
    _add_copy(p, "Gammal", "veryHidden", 999)
    assert read_import_file(p, TPL, "25").figures[CELL] == 7
