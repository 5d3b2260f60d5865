"""Issue 15, point 1 in the RCC view: *Importera nationellt uttag…* → *Skapa startfiler* writes
one start file per region of the RCC, or lists every problem of the extract and writes none."""

from __future__ import annotations

import os

from PySide6.QtCore import QDate

from desktop_app.ui.rcc_extract import ExtractDialog
from tests.ui.test_rcc_view import open_rcc, wait_loaded

EXTRACT = (
    "region;svf_id;expected_kvinnor;investigated_kvinnor;included_kvinnor\n"
    "25;lunga;40;35;30\n24;lunga;20;18;15\n"
)


def _run(qtbot, dialog: ExtractDialog) -> None:
    dialog.create_button.click()
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=10_000)


def test_the_rcc_view_makes_start_files_from_the_national_extract(qtbot, ctx, tmp_path):
    window, view = open_rcc(qtbot, ctx, "norr")
    wait_loaded(qtbot, view)
    view.extract_button.click()
    dialog = view.extract_dialog
    assert isinstance(dialog, ExtractDialog) and dialog.rcc.currentData() == "norr"
    extract = tmp_path / "uttag.csv"
    extract.write_text(EXTRACT, encoding="utf-8")
    dialog.file.setText(str(extract))
    dialog.folder.setText(str(tmp_path / "ut"))
    dialog.on.setDate(QDate(2024, 8, 21))
    _run(qtbot, dialog)
    assert dialog.split_result is not None
    assert sorted(f.region.code for f in dialog.split_result.files) == ["24", "25"]
    assert "2 startfiler skapade" in dialog.message.text()
    assert len(list((tmp_path / "ut").iterdir())) == 2
    with ctx.uow() as uow:  # the RCC keeps its own copy, to check the regions' reports against
        stored = uow.extracts.latest_for("25", 2024)
        assert stored is not None and stored.extract.sha256 == dialog.split_result.extract.sha256
        assert uow.extracts.values(stored.id, "25")[("lunga", "included", "kvinnor")] == 30
    if os.environ.get("SVF_SHOTS"):
        dialog.grab().save(os.path.join(os.environ["SVF_SHOTS"], "extract-dialog.png"))
    # A broken extract: every problem listed, nothing written.
    extract.write_text(EXTRACT + "99;lunga;1;1;1\n25;lunga;1;1;1\n", encoding="utf-8")
    dialog.folder.setText(str(tmp_path / "ut2"))
    _run(qtbot, dialog)
    items = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert any("rad 4, kolumn A (region)" in t for t in items)
    assert any("rad 5, kolumn B (svf_id)" in t for t in items)
    assert "Inga startfiler skapades" in dialog.message.text()
    assert not (tmp_path / "ut2").exists()
    dialog.close()


def test_the_compilation_and_the_inbox_show_a_regions_changes_from_the_extract(
    qtbot, ctx, tmp_path
):
    """A region's signed report with one value changed from the extract (with a reason): the
    compilation's region row counts it and lists it on hover; the inbox's details list it."""
    from datetime import date

    from desktop_app.services.extract import split_extract
    from desktop_app.services.imports import import_file
    from desktop_app.services.reports import create_report, set_figures
    from tests.helpers.factories import complete_report, make_ctx
    from tests.helpers.round_trip import count, make_keys, signed_report
    from tests.ui.test_rcc_view import import_and_wait

    region = make_ctx(tmp_path / "region.sqlite3")
    rid = create_report(region, "25", 2024)
    from desktop_app.domain.template import load_template

    full = complete_report(load_template("svf-2024"))
    with region.uow() as uow:
        uow.reports.replace_content(rid, full)
        uow.commit()
    extract = tmp_path / "uttag.csv"
    extract.write_text(
        "region;svf_id;expected_kvinnor;included_kvinnor\n25;lunga;12;9\n", encoding="utf-8"
    )
    result = split_extract(extract, date(2024, 8, 21), "norr", tmp_path / "ut")
    import_file(region, rid, result.files[0].path)
    reason = "Uttaget saknade en patient."
    set_figures(region, rid, {("lunga", "included", "kvinnor"): 10}, reason=reason)
    signed = signed_report(region, rid, make_keys(tmp_path / "keys"), tmp_path / "s.pdf")
    region.close()

    window, view = open_rcc(qtbot, ctx, "norr")
    import_and_wait(qtbot, view, [signed])
    entry = next(e for e in view.entries if e.region_code == "25")
    count(ctx, entry.id)
    view.reload()
    wait_loaded(qtbot, view)
    t = view.region_table
    row = next(r for r in range(t.rowCount()) if "(25)" in t.item(r, 0).text())
    last = t.item(row, t.columnCount() - 1)
    assert "1 värde ändrat från RCC:s datauttag" in last.text()
    assert "Lungcancer, kvinnor: Inkluderade: RCC:s uttag 9 → redovisat 10 – " + reason in (
        last.toolTip()
    )
    r = next(i for i, e in enumerate(view.entries) if e.region_code == "25")
    view.inbox_table.selectRow(r)
    assert "1 värde ändrat från RCC:s datauttag" in view.details.text()
    assert reason in view.details.text()
