"""Issue 14, point 3: an import reports exactly what the report holds after it, even when the
report changed between the preview and the storing (another window, another import)."""

from __future__ import annotations

import threading
import time

import pytest

from desktop_app.domain.reference import load_reference
from desktop_app.exchange.excel import write_import_workbook
from desktop_app.services import imports, reports
from tests.helpers.factories import make_ctx

CELL = ("aml", "expected", "man")
OTHER = ("aml", "expected", "kvinnor")


def _book(tmp_path, name, values):
    from desktop_app.domain.template import load_template

    p = tmp_path / name
    write_import_workbook(p, load_template("svf-2024"), load_reference().region("25"), values)
    return p


def test_a_change_between_preview_and_apply_is_overwritten_and_reported(ctx, tmp_path):
    rid = reports.create_report(ctx, "25", 2024)
    reports.set_figures(ctx, rid, {CELL: 10})
    mine = _book(tmp_path, "mina.xlsx", {CELL: 10, OTHER: 7})
    preview = imports.preview_import(ctx, rid, mine)
    assert [c.cell for c in preview.changes] == [OTHER]  # CELL is already 10: unchanged
    # Meanwhile another import (another window, another run) stores other figures.
    imports.import_file(ctx, rid, _book(tmp_path, "andras.xlsx", {CELL: 50, OTHER: 3}))
    applied = imports.store_import(ctx, preview)
    r = reports.get_report(ctx, rid)
    assert r.figures.get(*CELL) == 10 and r.figures.get(*OTHER) == 7  # the file's values
    reported = {c.cell: (c.old, c.new) for c in applied.changes}
    assert reported == {CELL: (50, 10), OTHER: (3, 7)}  # what was there when it was stored
    assert applied.unchanged == 0


def test_the_import_is_checked_again_against_the_changed_report(ctx, tmp_path):
    """A value stored meanwhile that the file's figures contradict (more patients within the
    lead time than included) makes the storing refuse the file, as the preview would have."""
    rid = reports.create_report(ctx, "25", 2024)
    within = ("aml", "within_lead_time", "man")
    preview = imports.preview_import(ctx, rid, _book(tmp_path, "fil.xlsx", {within: 5}))
    reports.set_figures(ctx, rid, {("aml", "included", "man"): 2})
    with pytest.raises(imports.ImportFileError) as err:
        imports.store_import(ctx, preview)
    assert str(err.value).strip()
    assert reports.get_report(ctx, rid).figures.get(*within) is None


def test_storing_compares_inside_its_write_transaction(db_path, tmp_path):
    """A writer holding the database with a change not yet committed when the import is
    stored: the import waits for it and compares with what it committed (a comparison made
    before taking the write lock would see the old value, write nothing, and leave the
    other writer's figure in the report while saying the file's value was there)."""
    ctx = make_ctx(db_path)
    rid = reports.create_report(ctx, "25", 2024)
    reports.set_figures(ctx, rid, {CELL: 10})
    preview = imports.preview_import(ctx, rid, _book(tmp_path, "f.xlsx", {CELL: 10}))
    holding, errors = threading.Event(), []

    def other_writer() -> None:
        other = make_ctx(db_path)
        try:
            with other.uow() as uow:
                uow.begin_write()
                uow.reports.set_figures(rid, {CELL: 99})
                holding.set()
                time.sleep(0.7)
                uow.commit()
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
            holding.set()
        finally:
            other.close()

    t = threading.Thread(target=other_writer)
    t.start()
    assert holding.wait(30)
    applied = imports.store_import(ctx, preview)
    t.join(timeout=60)
    assert not errors, errors
    assert reports.get_report(ctx, rid).figures.get(*CELL) == 10
    assert {c.cell: (c.old, c.new) for c in applied.changes} == {CELL: (99, 10)}
    ctx.close()
