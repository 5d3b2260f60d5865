"""The import workbook and CSV files: writing, reading back, and every kind of problem."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from desktop_app.domain.reference import load_reference
from desktop_app.domain.template import load_template
from desktop_app.exchange.excel import (
    MAX_PROBLEMS,
    SHOWN_PROBLEMS,
    CellRef,
    ImportData,
    ImportFileError,
    ImportProblem,
    read_import_file,
    write_import_workbook,
)

TPL = load_template("svf-2024")
REGION = load_reference().region("25")  # Region Norrbotten
# Per measure: one column per sex, then "<measure>_totalt" for the measures the template lets be
# reported as a total per SVF (expected, included).
KEYS = ["svf_id", "svf_name"] + [
    f"{m.id}_{x}"
    for m in TPL.measures
    for x in [s.id for s in TPL.sexes] + (["totalt"] if m.id in ("expected", "included") else [])
]
SVF_IDS = [s.id for s in TPL.svfs]


def col(key: str) -> str:
    """Column letter of a key in the written workbook (computed independently of the module)."""
    return get_column_letter(KEYS.index(key) + 1)


def row(svf_id: str) -> int:
    return 3 + SVF_IDS.index(svf_id)


def addr(svf_id: str, key: str) -> str:
    return f"{col(key)}{row(svf_id)}"


def plausible_values(seed: int = 1) -> dict[tuple[str, str, str], int | float]:
    rnd = random.Random(seed)
    values: dict[tuple[str, str, str], int | float] = {}
    for svf in TPL.svfs:
        for sex in svf.sexes:
            expected = rnd.randint(0, 400)
            investigated = rnd.randint(0, 600)
            included = rnd.randint(0, investigated)
            within = rnd.randint(0, included)
            over = rnd.randint(0, included - within)
            for m, v in (
                ("expected", expected),
                ("investigated", investigated),
                ("included", included),
                ("within_lead_time", within),
                ("over_175", over),
            ):
                values[(svf.id, m, sex)] = v
            values[(svf.id, "median_days", sex)] = rnd.choice([12, 12.5, 31.25, 0])
    return values


@pytest.fixture
def blank(tmp_path: Path) -> Path:
    p = tmp_path / "region25.xlsx"
    write_import_workbook(p, TPL, REGION)
    return p


def edit(path: Path, changes: dict[str, dict[str, object]]) -> Path:
    """Set cells of a written workbook: {"SVF": {"F14": "tolv"}}."""
    wb = openpyxl.load_workbook(path)
    for sheet, cells in changes.items():
        ws = wb[sheet]
        for a, v in cells.items():
            ws[a] = v
    wb.save(path)
    return path


def problems_of(path: Path, region: str = "25") -> list[ImportProblem]:
    with pytest.raises(ImportFileError) as info:
        read_import_file(path, TPL, region)
    assert info.value.problems, "an ImportFileError must list its problems"
    return info.value.problems


def one_problem(path: Path, region: str = "25") -> ImportProblem:
    problems = problems_of(path, region)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def write_csv(
    path: Path,
    lines: list[list[object]],
    sep: str = ";",
    bom: bool = False,
    encoding: str = "utf-8",
) -> Path:
    text = "\r\n".join(sep.join("" if v is None else str(v) for v in line) for line in lines)
    data = text.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


# ----------------------------------------------------------------------------------------------
# Writing


def test_round_trip_values_and_prem(tmp_path: Path) -> None:
    values = plausible_values()
    p = tmp_path / "region25.xlsx"
    write_import_workbook(p, TPL, REGION, values, (True, 1200, 431))

    data = read_import_file(p, TPL, "25")

    assert isinstance(data, ImportData)
    assert data.figures == values
    assert (data.prem_used, data.prem_sent, data.prem_answers) == (True, 1200, 431)
    assert data.source == "region25.xlsx"
    assert set(data.locations) == set(values) | {"prem_used", "prem_sent", "prem_answers"}
    counts = [v for (_s, m, _x), v in data.figures.items() if m != "median_days"]
    assert all(type(v) is int for v in counts)  # Excel stores 12.0; counts come back as int
    ref = data.locations[("lunga", "included", "kvinnor")]
    assert ref == CellRef(
        "region25.xlsx", "SVF", row("lunga"), col("included_kvinnor"), "included_kvinnor"
    )
    assert (
        str(ref) == f"blad SVF, rad {row('lunga')}, kolumn {col('included_kvinnor')} "
        "(included_kvinnor)"
    )
    assert data.locations["prem_sent"] == CellRef("region25.xlsx", "PREM", 3, "B", "prem_sent")


def test_round_trip_prem_no_and_partial(tmp_path: Path) -> None:
    p = tmp_path / "r.xlsx"
    write_import_workbook(p, TPL, REGION, {("aml", "expected", "man"): 7}, (False, None, 0))
    data = read_import_file(p, TPL, "25")
    assert data.figures == {("aml", "expected", "man"): 7}
    assert (data.prem_used, data.prem_sent, data.prem_answers) == (False, None, 0)
    assert "prem_sent" not in data.locations


def test_blank_workbook_imports_nothing(blank: Path) -> None:
    data = read_import_file(blank, TPL, "25")
    assert data.figures == {}
    assert (data.prem_used, data.prem_sent, data.prem_answers) == (None, None, None)
    assert data.locations == {}


def test_workbook_layout(tmp_path: Path) -> None:
    p = tmp_path / "r.xlsx"
    write_import_workbook(p, TPL, REGION, {("aml", "included", "kvinnor"): 5})
    wb = openpyxl.load_workbook(p)
    assert set(wb.sheetnames) == {"Instruktioner", "SVF", "PREM", "Info"}
    assert wb.active.title == "Instruktioner"

    ws = wb["SVF"]
    assert [c.value for c in ws[1]] == KEYS
    assert ws["C2"].value == "Beräkningsunderlag – kvinnor"
    assert ws["D2"].value == "Beräkningsunderlag – män"
    assert ws["C2"].font.bold and ws["C2"].alignment.wrap_text
    assert [ws.cell(r, 1).value for r in range(3, 3 + len(SVF_IDS))] == SVF_IDS
    assert ws.cell(3, 2).value == TPL.svfs[0].name
    assert ws.max_row == 2 + len(SVF_IDS)
    assert ws.freeze_panes == "C3"
    assert ws[addr("aml", "included_kvinnor")].value == 5
    assert ws.column_dimensions["A"].width >= len("allvarliga-ospecifika-symtom")

    dvs = ws.data_validations.dataValidation

    def validation_of(cell: str):
        found = [dv for dv in dvs if cell in dv.sqref]
        assert len(found) == 1, (cell, found)
        return found[0]

    count = validation_of(addr("lunga", "included_kvinnor"))
    assert (count.type, count.operator, count.formula1) == ("whole", "greaterThanOrEqual", "0")
    assert count.showErrorMessage and "heltal" in count.error
    median = validation_of(addr("lunga", "median_days_man"))
    assert (median.type, median.operator) == ("decimal", "greaterThanOrEqual")

    # Prostate cancer applies to men only: the women's cells are grey, commented, only 0/empty.
    na = addr("prostata", "included_kvinnor")
    assert ws[na].fill.fgColor.rgb.endswith("D9D9D9")
    assert "Ej aktuellt" in ws[na].comment.text
    dv = validation_of(na)
    assert (dv.type, dv.operator, dv.formula1) == ("whole", "equal", "0")
    assert ws[addr("prostata", "included_man")].comment is None
    assert ws["A3"].protection.locked and not ws[addr("aml", "expected_man")].protection.locked

    prem = wb["PREM"]
    assert [prem.cell(r, 1).value for r in (2, 3, 4)] == ["prem_used", "prem_sent", "prem_answers"]
    assert all(prem.cell(r, 3).value for r in (2, 3, 4))
    lists = [dv for dv in prem.data_validations.dataValidation if dv.type == "list"]
    assert lists and lists[0].formula1 == '"ja,nej"' and "B2" in lists[0].sqref

    info = wb["Info"]
    kv = {r[0]: r[1] for r in info.iter_rows(values_only=True)}
    assert kv["region"] == "25" and info["B1"].data_type == "s"
    assert kv["region_name"] == "Region Norrbotten"
    assert kv["year"] == 2024 and kv["template"] == "svf-2024" and kv["generated"] is not None
    assert info.protection.sheet

    text = "\n".join(
        str(v) for r in wb["Instruktioner"].iter_rows(values_only=True) for v in r if v
    )
    for m in TPL.measures:
        assert m.help in text
    assert "svf-report import --report ID FIL.xlsx" in text
    assert "Importera från Excel" in text
    assert "tom" in text and "heltal" in text


def test_region_code_with_leading_zero_stays_text(tmp_path: Path) -> None:
    p = tmp_path / "r.xlsx"
    write_import_workbook(p, TPL, load_reference().region("1"))
    assert openpyxl.load_workbook(p)["Info"]["B1"].value == "01"
    assert read_import_file(p, TPL, "01").figures == {}


def test_write_to_missing_folder_is_a_user_error(tmp_path: Path) -> None:
    from desktop_app.domain.errors import UserError

    with pytest.raises(UserError, match="kan inte sparas"):
        write_import_workbook(tmp_path / "nej" / "r.xlsx", TPL, REGION)


def test_module_imports_neither_qt_nor_openpyxl() -> None:
    code = (
        "import sys, desktop_app.exchange.excel; "
        "print(sorted(m for m in ('PySide6', 'openpyxl', 'python_calamine') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ----------------------------------------------------------------------------------------------
# Values that are accepted


def test_numbers_as_text_and_whole_floats_are_accepted(blank: Path) -> None:
    edit(
        blank,
        {
            "SVF": {
                addr("lunga", "expected_kvinnor"): "1 234",
                addr("lunga", "expected_man"): "1\u00a0234",
                addr("lunga", "investigated_kvinnor"): 12.0,
                addr("lunga", "investigated_man"): " 7 ",
                addr("lunga", "included_kvinnor"): "5,0",
                addr("lunga", "median_days_kvinnor"): "12,5",
                addr("lunga", "median_days_man"): 30.25,
                addr("lunga", "included_man"): "   ",  # blank
            }
        },
    )
    data = read_import_file(blank, TPL, "25")
    assert data.figures == {
        ("lunga", "expected", "kvinnor"): 1234,
        ("lunga", "expected", "man"): 1234,
        ("lunga", "investigated", "kvinnor"): 12,
        ("lunga", "investigated", "man"): 7,
        ("lunga", "included", "kvinnor"): 5,
        ("lunga", "median_days", "kvinnor"): 12.5,
        ("lunga", "median_days", "man"): 30.25,
    }
    assert type(data.figures[("lunga", "investigated", "kvinnor")]) is int


def test_zero_in_not_applicable_cell_is_accepted_and_ignored(blank: Path) -> None:
    edit(
        blank,
        {"SVF": {addr("prostata", "included_kvinnor"): 0, addr("prostata", "included_man"): 4}},
    )
    data = read_import_file(blank, TPL, "25")
    assert data.figures == {("prostata", "included", "man"): 4}


def test_empty_rows_extra_columns_and_rows_in_any_order(tmp_path: Path) -> None:
    p = tmp_path / "r.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "SVF"
    ws.append(["included_man", "svf_id", "notering", None])
    ws["C1"] = None  # a column without key: not read
    ws.append([3, "lunga", "egen anteckning"])
    ws.append([])
    ws.append([None, None, None])
    ws.append([9, "aml"])
    wb.save(p)
    data = read_import_file(p, TPL, "25")
    assert data.figures == {("lunga", "included", "man"): 3, ("aml", "included", "man"): 9}
    assert data.locations[("aml", "included", "man")] == CellRef(
        "r.xlsx", "SVF", 5, "A", "included_man"
    )


def test_key_row_below_an_inserted_title_row(tmp_path: Path) -> None:
    p = tmp_path / "r.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "SVF"
    ws.append(["Våra siffror"])
    ws.append(["svf_id", "expected_man"])
    ws.append(["SVF-id", "Beräkningsunderlag – män"])
    ws.append(["lunga", 40])
    wb.save(p)
    data = read_import_file(p, TPL, "25")
    assert data.figures == {("lunga", "expected", "man"): 40}
    assert data.locations[("lunga", "expected", "man")].row == 4


# ----------------------------------------------------------------------------------------------
# Problems in cells


def test_text_in_number_cell(blank: Path) -> None:
    edit(blank, {"SVF": {addr("lunga", "included_kvinnor"): "tolv"}})
    p = one_problem(blank)
    assert p.ref == CellRef(
        "region25.xlsx", "SVF", row("lunga"), col("included_kvinnor"), "included_kvinnor"
    )
    assert "'tolv'" in p.message and "inte ett tal" in p.message


def test_negative_number(blank: Path) -> None:
    edit(blank, {"SVF": {addr("aml", "expected_man"): -3}})
    p = one_problem(blank)
    assert (p.ref.row, p.ref.column, p.ref.key) == (row("aml"), col("expected_man"), "expected_man")
    assert "negativt" in p.message and "-3" in p.message


def test_negative_number_as_text(blank: Path) -> None:
    edit(blank, {"SVF": {addr("aml", "expected_man"): "\u22125"}})  # typographic minus
    assert "negativt" in one_problem(blank).message


def test_decimal_in_count_cell(blank: Path) -> None:
    edit(blank, {"SVF": {addr("brost", "within_lead_time_kvinnor"): 12.5}})
    p = one_problem(blank)
    assert (p.ref.sheet, p.ref.row, p.ref.column) == (
        "SVF",
        row("brost"),
        col("within_lead_time_kvinnor"),
    )
    assert "12,5" in p.message and "heltal" in p.message


def test_english_thousands_separator_gets_a_hint(blank: Path) -> None:
    edit(blank, {"SVF": {addr("brost", "expected_kvinnor"): "1,234"}})
    msg = one_problem(blank).message
    assert "decimaler" in msg and "tusentalsavgränsare" in msg


def test_value_for_a_sex_the_svf_does_not_apply_to(blank: Path) -> None:
    edit(blank, {"SVF": {addr("prostata", "included_kvinnor"): 3}})
    p = one_problem(blank)
    assert (p.ref.row, p.ref.column, p.ref.key) == (
        row("prostata"),
        col("included_kvinnor"),
        "included_kvinnor",
    )
    assert "Prostatacancer" in p.message and "män" in p.message and "kvinnor" in p.message


def test_boolean_and_date_are_not_numbers(blank: Path) -> None:
    import datetime

    edit(
        blank,
        {
            "SVF": {
                addr("aml", "expected_man"): True,
                addr("aml", "included_man"): datetime.date(2024, 3, 1),
            }
        },
    )
    msgs = {p.ref.key: p.message for p in problems_of(blank)}
    assert "sanningsvärde" in msgs["expected_man"]
    assert "datum" in msgs["included_man"]


def test_unreasonably_large_number(blank: Path) -> None:
    edit(blank, {"SVF": {addr("aml", "expected_man"): 1e300}})
    assert "orimligt stort" in one_problem(blank).message


def test_unknown_svf_id(blank: Path) -> None:
    edit(blank, {"SVF": {f"A{row('lunga')}": "lungor"}})
    p = one_problem(blank)
    assert p.ref == CellRef("region25.xlsx", "SVF", row("lunga"), "A", "svf_id")
    assert "'lungor'" in p.message and "Okänt SVF-id" in p.message


def test_svf_listed_twice(blank: Path) -> None:
    last = 3 + len(SVF_IDS)
    edit(blank, {"SVF": {f"A{last}": "aml", f"{col('expected_man')}{last}": 5}})
    p = one_problem(blank)
    assert (p.ref.row, p.ref.column) == (last, "A")
    assert f"rad {row('aml')}" in p.message and "Akut myeloisk leukemi" in p.message


def test_values_without_svf_id(blank: Path) -> None:
    last = 3 + len(SVF_IDS)
    edit(blank, {"SVF": {f"{col('expected_man')}{last}": 5}})
    p = one_problem(blank)
    assert (p.ref.row, p.ref.column) == (last, "A")
    assert "saknar SVF-id" in p.message and col("expected_man") in p.message


def test_all_problems_are_collected_in_one_error(blank: Path) -> None:
    edit(
        blank,
        {
            "SVF": {
                addr("aml", "expected_kvinnor"): "x",
                addr("lunga", "included_man"): -1,
                addr("myelom", "over_175_kvinnor"): 2.5,
            }
        },
    )
    with pytest.raises(ImportFileError) as info:
        read_import_file(blank, TPL, "25")
    err = info.value
    assert len(err.problems) == 3
    assert {(p.ref.row, p.ref.column) for p in err.problems} == {
        (row("aml"), col("expected_kvinnor")),
        (row("lunga"), col("included_man")),
        (row("myelom"), col("over_175_kvinnor")),
    }
    lines = str(err).splitlines()
    assert (
        lines[0] == "Filen region25.xlsx kan inte importeras – 3 fel hittades. Inget har ändrats."
    )
    assert len(lines) == 4
    assert f"blad SVF, rad {row('lunga')}, kolumn {col('included_man')} (included_man)" in lines[2]


def test_long_problem_list_is_capped_in_the_message(tmp_path: Path) -> None:
    p = tmp_path / "r.csv"
    lines: list[list[object]] = [["svf_id", "expected_kvinnor", "expected_man"]]
    lines += [[s, "x", "y"] for s in SVF_IDS]  # 64 bad cells (2 per SVF)
    write_csv(p, lines)
    with pytest.raises(ImportFileError) as info:
        read_import_file(p, TPL, "25")
    n = 2 * len(SVF_IDS)
    assert len(info.value.problems) == n
    text_lines = str(info.value).splitlines()
    assert len(text_lines) == 1 + SHOWN_PROBLEMS + 1
    assert text_lines[-1].strip() == f"… och {n - SHOWN_PROBLEMS} fel till"


# ----------------------------------------------------------------------------------------------
# Problems in the header, sheets, Info and PREM


def test_unknown_column_key(blank: Path) -> None:
    edit(blank, {"SVF": {"E1": "investigated_kvinor"}})
    p = one_problem(blank)
    assert (p.ref.sheet, p.ref.row, p.ref.column) == ("SVF", 1, "E")
    assert "'investigated_kvinor'" in p.message and "kolumn E" in p.message


def test_duplicate_column_key(blank: Path) -> None:
    edit(blank, {"SVF": {"E1": "expected_kvinnor"}})
    p = one_problem(blank)
    assert (p.ref.row, p.ref.column, p.ref.key) == (1, "E", "expected_kvinnor")
    assert "kolumn C och E" in p.message


def test_missing_svf_id_column(blank: Path) -> None:
    edit(blank, {"SVF": {"A1": "id"}})
    problems = problems_of(blank)
    msgs = " ".join(p.message for p in problems)
    assert "svf_id saknas" in msgs
    assert any(p.ref.column == "A" and "'id'" in p.message for p in problems)


def test_key_row_replaced_by_labels(tmp_path: Path) -> None:
    p = tmp_path / "r.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "SVF"
    ws.append(["SVF-id", "SVF", "Beräkningsunderlag – kvinnor"])
    ws.append(["aml", "Akut myeloisk leukemi", 3])
    wb.save(p)
    problem = one_problem(p)
    assert (problem.ref.sheet, problem.ref.row) == ("SVF", 1)
    assert "Ändra inte rad 1" in problem.message


def test_sheet_svf_missing(blank: Path) -> None:
    wb = openpyxl.load_workbook(blank)
    wb["SVF"].title = "Blad1"
    wb.save(blank)
    p = one_problem(blank)
    assert p.ref.sheet == "SVF" and p.ref.row is None
    assert "Bladet SVF saknas" in p.message and "Blad1" in p.message


def test_wrong_region(tmp_path: Path) -> None:
    p = tmp_path / "uppsala.xlsx"
    write_import_workbook(
        p, TPL, load_reference().region("03"), {("aml", "expected_man", "man"): 1}
    )
    problem = one_problem(p, "25")
    assert problem.ref == CellRef("uppsala.xlsx", "Info", 1, "B", "region")
    assert (
        "Filen gäller Region Uppsala (03) men redovisningen gäller Region Norrbotten (25)"
        in problem.message
    )


def test_wrong_region_typed_as_number(blank: Path) -> None:
    edit(blank, {"Info": {"B1": 3}})
    assert "Region Uppsala (03)" in one_problem(blank).message


def test_wrong_year(blank: Path) -> None:
    edit(blank, {"Info": {"B3": 2023}})
    p = one_problem(blank)
    assert p.ref == CellRef("region25.xlsx", "Info", 3, "B", "year")
    assert "år 2023" in p.message and "år 2024" in p.message


def test_prem_problems(blank: Path) -> None:
    edit(blank, {"PREM": {"B2": "kanske", "B3": -3, "B4": "många"}})
    problems = {p.ref.key: p for p in problems_of(blank)}
    assert set(problems) == {"prem_used", "prem_sent", "prem_answers"}
    assert problems["prem_used"].ref == CellRef("region25.xlsx", "PREM", 2, "B", "prem_used")
    assert "'kanske'" in problems["prem_used"].message
    assert "ja eller nej" in problems["prem_used"].message
    assert "negativt" in problems["prem_sent"].message
    assert "'många'" in problems["prem_answers"].message


def test_prem_answer_case_and_spaces(blank: Path) -> None:
    edit(blank, {"PREM": {"B2": " Nej ", "B3": "1 500"}})
    data = read_import_file(blank, TPL, "25")
    assert (data.prem_used, data.prem_sent, data.prem_answers) == (False, 1500, None)


def test_problems_in_several_sheets_are_all_reported(blank: Path) -> None:
    edit(
        blank,
        {"Info": {"B3": 2023}, "SVF": {addr("aml", "expected_man"): "?"}, "PREM": {"B2": "x"}},
    )
    assert {p.ref.sheet for p in problems_of(blank)} == {"Info", "SVF", "PREM"}


# ----------------------------------------------------------------------------------------------
# CSV


def csv_lines(with_labels: bool = False) -> list[list[object]]:
    lines: list[list[object]] = [
        ["svf_id", "svf_name", "included_kvinnor", "included_man", "median_days_man"]
    ]
    if with_labels:
        lines.append(
            ["SVF-id", "SVF", "Inkluderade – kvinnor", "Inkluderade – män", "Median (dagar) – män"]
        )
    lines.append(["aml", "Akut myeloisk leukemi", 4, "1 234", "12,5"])
    lines.append(["prostata", "Prostatacancer", None, 90, None])
    return lines


def test_csv_semicolon_with_bom(tmp_path: Path) -> None:
    p = write_csv(tmp_path / "r.csv", csv_lines(), sep=";", bom=True)
    data = read_import_file(p, TPL, "25")
    assert data.figures == {
        ("aml", "included", "kvinnor"): 4,
        ("aml", "included", "man"): 1234,
        ("aml", "median_days", "man"): 12.5,
        ("prostata", "included", "man"): 90,
    }
    assert data.prem_used is None
    assert data.locations[("prostata", "included", "man")] == CellRef(
        "r.csv", None, 3, "D", "included_man"
    )
    assert str(data.locations[("prostata", "included", "man")]) == "rad 3, kolumn D (included_man)"


def test_csv_comma_with_label_row(tmp_path: Path) -> None:
    lines = csv_lines(with_labels=True)
    lines[2][4] = "12.5"
    lines[2][3] = 1234
    p = write_csv(tmp_path / "r.csv", lines, sep=",")
    data = read_import_file(p, TPL, "25")
    assert data.figures[("aml", "median_days", "man")] == 12.5
    assert data.locations[("aml", "included", "man")].row == 3


def test_csv_from_swedish_excel_in_windows_1252(tmp_path: Path) -> None:
    p = write_csv(tmp_path / "r.csv", csv_lines(with_labels=True), encoding="cp1252")
    assert read_import_file(p, TPL, "25").figures[("aml", "included", "kvinnor")] == 4


def test_csv_region_and_year_columns_are_checked_on_every_row(tmp_path: Path) -> None:
    lines = [
        ["region", "year", "svf_id", "expected_man"],
        ["25", 2024, "aml", 1],
        ["03", 2024, "lunga", 2],
        ["3", 2023, "lymfom", 3],
        ["SE-25", "2024", "myelom", 4],
    ]
    p = write_csv(tmp_path / "r.csv", lines)
    problems = problems_of(p)
    assert len(problems) == 2
    region, year = problems
    assert region.ref == CellRef("r.csv", None, 3, "A", "region")
    assert "Region Uppsala (03)" in region.message and "2 rader" in region.message
    assert year.ref == CellRef("r.csv", None, 4, "B", "year")
    assert "år 2023" in year.message


def test_csv_region_and_year_columns_that_match(tmp_path: Path) -> None:
    lines = [["region", "year", "svf_id", "expected_man"], [25, 2024, "aml", 1]]
    assert read_import_file(write_csv(tmp_path / "r.csv", lines), TPL, "25").figures == {
        ("aml", "expected", "man"): 1
    }


def test_csv_typo_in_first_data_row_is_not_taken_for_labels(tmp_path: Path) -> None:
    lines = [["svf_id", "expected_man"], ["amll", 5]]
    p = one_problem(write_csv(tmp_path / "r.csv", lines))
    assert (p.ref.row, p.ref.column) == (2, "A") and "'amll'" in p.message


def test_csv_that_is_really_an_excel_file(tmp_path: Path, blank: Path) -> None:
    p = tmp_path / "r.csv"
    p.write_bytes(blank.read_bytes())
    assert "Excelfil" in one_problem(p).message


def test_csv_with_binary_content(tmp_path: Path) -> None:
    p = tmp_path / "r.csv"
    p.write_bytes(bytes(range(256)) * 4)
    assert "binära" in one_problem(p).message


# ----------------------------------------------------------------------------------------------
# Files that are not readable at all


def test_corrupt_xlsx_is_an_import_error(tmp_path: Path) -> None:
    p = tmp_path / "trasig.xlsx"
    p.write_bytes(random.Random(7).randbytes(5000))
    err = pytest.raises(ImportFileError, read_import_file, p, TPL, "25").value
    assert str(err).startswith("Filen trasig.xlsx kan inte importeras – 1 fel hittades.")
    assert "inte en giltig Excelfil" in str(err)
    assert err.problems[0].ref is None


def test_truncated_xlsx_is_an_import_error(tmp_path: Path, blank: Path) -> None:
    p = tmp_path / "halv.xlsx"
    p.write_bytes(blank.read_bytes()[:3000])
    with pytest.raises(ImportFileError, match="halv.xlsx kan inte importeras"):
        read_import_file(p, TPL, "25")


def test_missing_file(tmp_path: Path) -> None:
    assert "finns inte" in one_problem(tmp_path / "saknas.xlsx").message


def test_not_an_excel_or_csv_file(tmp_path: Path) -> None:
    p = tmp_path / "r.pdf"
    p.write_bytes(b"%PDF-1.4")
    msg = one_problem(p).message
    assert "varken en Excelfil" in msg and ".pdf" in msg


def test_empty_file_and_folder(tmp_path: Path) -> None:
    p = tmp_path / "tom.xlsx"
    p.write_bytes(b"")
    assert "tom" in one_problem(p).message
    d = tmp_path / "mapp.csv"
    d.mkdir()
    assert "mapp" in one_problem(d).message


# ----------------------------------------------------------------------------------------------
# Big and hostile files give a bounded problem list (their speed is bench/bench_import.py's;
# a hang is caught by the suite's per-test timeout)


def test_100000_junk_rows_in_csv_give_a_bounded_problem_list(tmp_path: Path) -> None:
    p = tmp_path / "skräp.csv"
    junk = "\n".join(f"x{i};abc;-1;{i}.5" for i in range(100_000))
    p.write_text("svf_id;expected_kvinnor;expected_man;included_man\n" + junk, encoding="utf-8")
    with pytest.raises(ImportFileError) as info:
        read_import_file(p, TPL, "25")
    err = info.value
    assert err.truncated
    assert len(err.problems) == MAX_PROBLEMS + 1
    assert "fler än 500 fel" in str(err).splitlines()[0]
    assert len(str(err).splitlines()) == 1 + SHOWN_PROBLEMS + 1


def test_many_junk_rows_in_xlsx_give_a_bounded_problem_list(tmp_path: Path) -> None:
    p = tmp_path / "skräp.xlsx"
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("SVF")
    ws.append(["svf_id", "expected_kvinnor", "expected_man"])
    for i in range(12_000):
        ws.append([f"x{i}", "abc", i])
    wb.save(p)
    with pytest.raises(ImportFileError) as info:
        read_import_file(p, TPL, "25")
    assert len(info.value.problems) <= MAX_PROBLEMS + 1


def test_many_empty_rows_are_skipped(tmp_path: Path) -> None:
    p = tmp_path / "r.csv"
    p.write_text("svf_id;expected_man\n" + ";\n" * 100_000 + "aml;3\n", encoding="utf-8")
    data = read_import_file(p, TPL, "25")
    assert data.figures == {("aml", "expected", "man"): 3}
    assert data.locations[("aml", "expected", "man")].row == 100_002


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cell=st.one_of(
        st.text(max_size=12),
        st.integers(-(10**20), 10**20),
        st.floats(allow_nan=True, allow_infinity=True),
    )
)
def test_any_cell_content_gives_data_or_import_error(tmp_path: Path, cell: object) -> None:
    p = tmp_path / "h.csv"
    text = str(cell).replace(";", "").replace("\n", " ").replace("\r", " ").replace('"', "")
    p.write_text(f"svf_id;included_man;median_days_man\naml;{text};{text}\n", encoding="utf-8")
    try:
        data = read_import_file(p, TPL, "25")
    except ImportFileError as err:
        assert err.problems and all(isinstance(x, ImportProblem) for x in err.problems)
        return
    for (_s, m, _x), v in data.figures.items():
        assert v >= 0
        if m == "included":
            assert type(v) is int
