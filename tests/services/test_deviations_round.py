"""Issue 15, point 3: the RCC sees each value a region changed from the RCC's extract, with
the region's reason, counted per region, in the compilation (``aggregate --json``) and the
inbox."""

from __future__ import annotations

from datetime import date

from tests.e2e.test_provenance_cli import write_extract
from tests.helpers.factories import make_ctx
from tests.helpers.round_trip import count, make_keys, receive, signed_report

REASON = "Två patienter hörde till en annan region."


def test_the_compilation_lists_a_regions_change_from_the_extract_with_its_reason(tmp_path):
    from desktop_app.services.compilation import compile_scope, entry_deviations
    from desktop_app.services.demo import create_demo
    from desktop_app.services.extract import split_extract
    from desktop_app.services.imports import import_file
    from desktop_app.services.reports import get_report, set_figures

    region = make_ctx(tmp_path / "region.sqlite3")
    ids = create_demo(region)
    rid = next(i for i in ids if get_report(region, i).region_code == "25")
    figures = dict(get_report(region, rid).figures.items())
    extract = tmp_path / "uttag.csv"
    write_extract(extract, {"25": figures})
    result = split_extract(extract, date(2024, 8, 21), "norr", tmp_path / "ut")
    import_file(region, rid, result.files[0].path)
    cell = ("lunga", "included", "man")
    set_figures(region, rid, {cell: figures[cell] - 2}, reason=REASON)
    signed = signed_report(region, rid, make_keys(tmp_path / "keys"), tmp_path / "signerad.pdf")
    rcc = make_ctx(tmp_path / "rcc.sqlite3")
    entry = receive(rcc, "norr", [signed])[0]
    count(rcc, entry.id)
    payload = compile_scope(rcc, "norr", 2024).to_dict()  # what aggregate --json prints
    by_code = {r["code"]: r for r in payload["regions"]}
    assert by_code["25"]["deviations"] == [
        {
            "svf": "lunga",
            "measure": "included",
            "sex": "man",
            "extract": figures[cell],
            "reported": figures[cell] - 2,
            "reason": REASON,
        }
    ]
    assert by_code["25"]["deviation_count"] == 1
    assert by_code["24"]["deviations"] == [] and by_code["24"]["deviation_count"] == 0
    assert [d.reason for d in entry_deviations(rcc, entry)] == [REASON]
    _the_compilation_files_list_it(rcc, tmp_path)
    region.close()
    rcc.close()


def _the_compilation_files_list_it(rcc, tmp_path) -> None:
    """The compilation's workbook (sheet Avvikelser) and PDF list the change with the reason."""
    import shutil
    import subprocess

    from openpyxl import load_workbook

    from desktop_app.services.compilation_exports import (
        export_compilation_pdf,
        export_compilation_xlsx,
    )

    xlsx = tmp_path / "sammanstallning.xlsx"
    export_compilation_xlsx(rcc, "norr", 2024, xlsx)
    rows = list(load_workbook(xlsx)["Avvikelser"].iter_rows(values_only=True))
    assert rows[0] == ("Region", "Kod", "Typ", "Värde", "Vad", "Regionens motivering")
    changed = [r for r in rows[1:] if r[2] == "Ändrat från RCC:s datauttag"]
    assert [(r[0], r[1], r[3], r[5]) for r in changed] == [
        ("Region Norrbotten", "25", "Lungcancer, män: Inkluderade", REASON)
    ]
    assert changed[0][4].startswith("RCC:s uttag ") and "→ redovisat" in changed[0][4]
    if shutil.which("pdftotext") is None:
        return
    pdf = tmp_path / "sammanstallning.pdf"
    export_compilation_pdf(rcc, "norr", 2024, pdf)
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True)
        .stdout.decode()
        .split()
    )
    assert "Ändrade värden och varningar per region" in text
    assert "Region Norrbotten: 1 värde ändrat från RCC:s datauttag" in text
    assert REASON in text


def test_a_dumped_document_loads_back_with_its_sources(tmp_path):
    """The document carries each cell's source and reason; loading it restores them, and a
    document without sources (an older one) still loads, its cells' sources unknown."""
    from desktop_app.domain.document import document_sources
    from desktop_app.domain.template import load_template
    from desktop_app.services.extract import split_extract
    from desktop_app.services.imports import import_file
    from desktop_app.services.reports import (
        create_report,
        dump_report,
        figure_provenance,
        load_document,
        set_figures,
    )

    ctx = make_ctx(tmp_path / "a.sqlite3")
    rid = create_report(ctx, "25", 2024)
    extract = tmp_path / "uttag.csv"
    extract.write_text(
        "region;svf_id;expected_kvinnor;included_kvinnor\n25;lunga;40;30\n", encoding="utf-8"
    )
    result = split_extract(extract, date(2024, 8, 21), "norr", tmp_path / "ut")
    import_file(ctx, rid, result.files[0].path)
    set_figures(ctx, rid, {("lunga", "included", "kvinnor"): 29}, reason=REASON)
    set_figures(ctx, rid, {("aml", "included", "kvinnor"): 5})
    doc = dump_report(ctx, rid)
    sources = document_sources(doc, load_template("svf-2024"))
    other = make_ctx(tmp_path / "b.sqlite3")
    new_id, created = load_document(other, doc)
    assert created and figure_provenance(other, new_id) == sources
    assert sources[("lunga", "included", "kvinnor")].reason == REASON
    assert str(sources[("aml", "included", "kvinnor")].source) == "typed"
    del doc["sources"]
    load_document(other, doc)
    assert figure_provenance(other, new_id) == {}
    ctx.close()
    other.close()


def test_writing_a_cell_with_the_value_it_has_keeps_its_source(tmp_path):
    """A paste repeating a value (one edit of many cells) does not change where that value
    came from."""
    from desktop_app.services.imports import import_file
    from desktop_app.services.reports import create_report, figure_provenance, set_figures

    ctx = make_ctx(tmp_path / "a.sqlite3")
    rid = create_report(ctx, "25", 2024)
    f = tmp_path / "fil.csv"
    f.write_text("svf_id;included_kvinnor\naml;5\n", encoding="utf-8")
    import_file(ctx, rid, f)
    set_figures(ctx, rid, {("aml", "included", "kvinnor"): 5, ("lunga", "included", "kvinnor"): 7})
    sources = figure_provenance(ctx, rid)
    imported = sources[("aml", "included", "kvinnor")]
    assert (str(imported.source), imported.file, len(imported.sha256)) == ("import", "fil.csv", 64)
    assert str(sources[("lunga", "included", "kvinnor")].source) == "typed"
    ctx.close()
