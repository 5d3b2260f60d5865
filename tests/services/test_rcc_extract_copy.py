"""Issue 15, points 1 and 3: the RCC keeps its own copy of the extract it splits, and checks
what the regions report against it: a region that types its figures instead of importing its
start file (so its document names no extract) still shows its changes in the compilation."""

from __future__ import annotations

from datetime import date

from tests.e2e.test_provenance_cli import run, write_extract
from tests.helpers.factories import make_ctx
from tests.helpers.round_trip import count, make_keys, receive, signed_report


def test_the_rcc_keeps_its_extract_once_and_only_its_regions(tmp_path) -> None:
    from desktop_app.services.extract import split_extract

    rcc = make_ctx(tmp_path / "rcc.sqlite3")
    extract = tmp_path / "uttag.csv"
    figures = {("lunga", "included", "kvinnor"): 30, ("lunga", "expected", "kvinnor"): 40}
    write_extract(extract, {"25": figures, "01": figures})  # 01 is not RCC Norr's
    for _ in range(2):
        split_extract(extract, date(2024, 8, 21), "norr", tmp_path / "ut", ctx=rcc)
    with rcc.uow() as uow:
        stored = uow.extracts.latest_for("25", 2024)
        assert stored is not None and stored.extract.on == date(2024, 8, 21)
        assert uow.extracts.values(stored.id, "25") == figures
        assert uow.extracts.values(stored.id, "01") == {}
        n = uow.session.connection().exec_driver_sql("SELECT COUNT(*) FROM rcc_extract").scalar()
    assert n == 1
    rcc.close()


def test_a_value_typed_over_the_rccs_figure_shows_without_the_start_file(tmp_path) -> None:
    from desktop_app.services.compilation import compile_scope
    from desktop_app.services.demo import create_demo
    from desktop_app.services.reports import get_report, set_figures

    region = make_ctx(tmp_path / "region.sqlite3")
    ids = create_demo(region)
    rid = next(i for i in ids if get_report(region, i).region_code == "25")
    figures = dict(get_report(region, rid).figures.items())
    extract = tmp_path / "uttag.csv"
    write_extract(extract, {"25": figures})
    rcc_db = tmp_path / "rcc.sqlite3"
    code, _o, err = run(
        "--db", rcc_db, "extract-split", extract, "--date", "2024-08-21", "--rcc", "norr",
        "--out", tmp_path / "ut",
    )  # fmt: skip
    assert code == 0, err
    cell = ("lunga", "included", "man")
    set_figures(region, rid, {cell: figures[cell] + 5})  # typed: no start file, no reason
    signed = signed_report(region, rid, make_keys(tmp_path / "keys"), tmp_path / "signerad.pdf")
    rcc = make_ctx(rcc_db)
    entry = receive(rcc, "norr", [signed])[0]
    count(rcc, entry.id)
    by_code = {r["code"]: r for r in compile_scope(rcc, "norr", 2024).to_dict()["regions"]}
    assert by_code["25"]["deviations"] == [
        {
            "svf": "lunga",
            "measure": "included",
            "sex": "man",
            "extract": figures[cell],
            "reported": figures[cell] + 5,
            "reason": None,
            "note": "regionens dokument anger inte RCC:s uttag som källa",
        }
    ]
    assert by_code["25"]["deviation_count"] == 1
    rcc.close()
    code, out, err = run(
        "--db", rcc_db, "aggregate", "--rcc", "norr", "--year", "2024", "--out", tmp_path / "s.xlsx"
    )  # fmt: skip
    assert code == 0, err
    assert "1 ändrade från RCC:s datauttag" in out
    assert "OBS: regionens dokument anger inte RCC:s uttag som källa" in out
    region.close()
