"""Issue 14, point 7 in the window: a damaged database is offered a restore of the latest
backup or a read-only opening (Swedish, nothing written to the damaged file); a database held
by another run is a Swedish message with "Försök igen" that runs the edit again – never SQL."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app.domain.report import Contact
from desktop_app.services import reports
from desktop_app.services.bootstrap import (
    DamagedDatabaseError,
    StorageError,
    bootstrap,
)
from desktop_app.storage import db
from desktop_app.ui import store_dialogs
from desktop_app.ui.main_window import MainWindow
from tests.helpers.factories import make_ctx

SQL_WORDS = ("locked", "UPDATE", "SELECT", "sqlite", "SQL", "Traceback")


def _damaged_with_backup(db_path) -> int:
    """A database with a report, a backup copy beside it, then damaged. Returns the id."""
    ctx = make_ctx(db_path)
    rid = reports.create_report(ctx, "25", 2024)
    reports.set_contact(ctx, rid, Contact(name="Före skadan"))
    for code in ("01", "03", "04", "05", "06", "07", "08", "09", "10", "12"):
        other = reports.create_report(ctx, code, 2024)
        q = next(iter(reports.template_of(ctx, other).questions)).id
        reports.set_answer(ctx, other, q, "x" * 3000)
    ctx.close()
    with sqlite3.connect(db_path) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.backup(db_path, "test")
    data = bytearray(db_path.read_bytes())
    for off in range(2 * 4096, len(data) - 100, 4096):
        data[off + 8 : off + 64] = b"\xff" * 56
    db_path.write_bytes(bytes(data))
    return rid


def _answer_boxes(choice: str, seen: list[str]) -> QTimer:
    """Click ``choice`` in the damaged-database box, and OK in any later message box."""

    def tick() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, store_dialogs.DamagedDatabaseBox):
            seen.append(box.text())
            button = next(b for b in box.buttons() if b.text() == choice)
            button.click()
        elif isinstance(box, QMessageBox):
            seen.append(box.text())
            box.accept()

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(50)
    return timer


def test_damaged_database_opens_read_only_when_asked(qtbot, db_path):
    _damaged_with_backup(db_path)
    before = db_path.read_bytes()
    with pytest.raises(DamagedDatabaseError) as err:
        bootstrap(db_path)
    seen: list[str] = []
    timer = _answer_boxes(store_dialogs.READ_ONLY, seen)
    ctx = store_dialogs.recover_damaged(err.value)
    timer.stop()
    assert ctx is not None and ctx.read_only
    assert "skadad" in seen[0] and "säkerhetskopia" in seen[0]
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert "skrivskyddad" in window.windowTitle()
    with pytest.raises(StorageError) as refused:
        reports.create_report(ctx, "13", 2024)
    assert "sparades inte" in str(refused.value)
    # The list of this file cannot be read: said in Swedish in the window, not a crash.
    assert "skadad" in window.error_box.text()
    assert not any(w in window.error_box.text() for w in SQL_WORDS)
    assert not any(w in str(refused.value) for w in SQL_WORDS)
    window.close()
    ctx.close()
    assert db_path.read_bytes() == before  # nothing written to the damaged file


def test_damaged_database_restores_the_latest_backup(qtbot, db_path):
    rid = _damaged_with_backup(db_path)
    with pytest.raises(DamagedDatabaseError) as err:
        bootstrap(db_path)
    seen: list[str] = []
    timer = _answer_boxes(store_dialogs.RESTORE, seen)
    ctx = store_dialogs.recover_damaged(err.value)
    timer.stop()
    assert ctx is not None and not ctx.read_only
    assert any("är återställd" in text for text in seen)
    assert reports.get_report(ctx, rid).contact.name == "Före skadan"
    reports.set_contact(ctx, rid, Contact(name="Efter återställningen"))  # writable again
    ctx.close()
    assert list(db_path.parent.glob(f"{db_path.name}.skadad-*"))  # the damaged file is kept


def test_quitting_leaves_the_damaged_file_alone(qtbot, db_path):
    _damaged_with_backup(db_path)
    before = db_path.read_bytes()
    with pytest.raises(DamagedDatabaseError) as err:
        bootstrap(db_path)
    timer = _answer_boxes(store_dialogs.QUIT, [])
    assert store_dialogs.recover_damaged(err.value) is None
    timer.stop()
    assert db_path.read_bytes() == before


def test_busy_database_offers_a_retry_that_saves_the_edit(qtbot, db_path, monkeypatch):
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)
    ctx = make_ctx(db_path)
    rid = reports.create_report(ctx, "25", 2024)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.open_report(rid)
    session = window.report_view.session
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another run holding the database
    try:
        assert not session.set_contact(Contact(name="Sparas efter väntan"), "name")
        box = window.busy_box
        assert box.isVisible()
        assert "Försök igen" in box.text() or store_dialogs.RETRY in box.retry_button.text()
        assert box.retry_button.text() == "Försök igen"
        assert not any(w in box.text() for w in SQL_WORDS)
        assert reports.get_report(ctx, rid).contact.name != "Sparas efter väntan"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    box.retry_button.click()  # the lock is gone: the same edit runs again
    assert reports.get_report(ctx, rid).contact.name == "Sparas efter väntan"
    assert session.report.contact.name == "Sparas efter väntan"
    assert session.undo_stack.count() == 1
    window.close()
    ctx.close()


def test_busy_database_cancel_shows_the_stored_state(qtbot, db_path, monkeypatch):
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)
    ctx = make_ctx(db_path)
    rid = reports.create_report(ctx, "25", 2024)
    reports.set_contact(ctx, rid, Contact(name="Lagrat"))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.open_report(rid)
    session = window.report_view.session
    changed: list[object] = []
    session.changed.connect(changed.append)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        session.set_contact(Contact(name="Ges upp"), "name")
        window.busy_box.cancel_button.click()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert session.report.contact.name == "Lagrat"
    assert changed and changed[-1].contact  # the screens are told to show it again
    assert session.undo_stack.count() == 0
    window.close()
    ctx.close()


def test_the_program_start_offers_the_choice_for_a_damaged_database(qtbot, db_path, monkeypatch):
    import sys

    from desktop_app.app import run_gui

    _damaged_with_backup(db_path)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui installs its own
    asked: list[DamagedDatabaseError] = []

    def quit_at_once(damaged, parent=None):
        asked.append(damaged)
        return None

    monkeypatch.setattr(store_dialogs, "recover_damaged", quit_at_once)
    assert run_gui(db_path) == 2
    assert len(asked) == 1 and asked[0].path == db_path
