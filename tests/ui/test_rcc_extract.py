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
