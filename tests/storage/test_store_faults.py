"""The store under faults: a damaged database is refused for writing with an offer of the
latest backup, a newer-schema database is refused without a backup copy, and the crash log is
private and bounded."""

from __future__ import annotations

import sqlite3
import stat

import pytest
from sqlalchemy.exc import DatabaseError

from desktop_app.storage import db
from tests.helpers.factories import make_ctx


def _with_reports(db_path, n=30):
    from desktop_app.services import reports

    ctx = make_ctx(db_path)
    for code in ("01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14")[:n]:
        rid = reports.create_report(ctx, code, 2024)
        reports.set_answer(
            ctx, rid, next(iter(reports.template_of(ctx, rid).questions)).id, "x" * 3000
        )
    ctx.close()


def _damage(path):
    data = bytearray(path.read_bytes())
    page = 4096
    for off in range(2 * page, len(data) - 100, page):
        data[off + 8 : off + 64] = b"\xff" * 56  # cell pointers and content of every page
    path.write_bytes(bytes(data))


def test_damaged_database_is_refused_with_backup_offer(db_path):
    _with_reports(db_path)
    with sqlite3.connect(db_path) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = db.backup(db_path, "test")
    _damage(db_path)
    before = db_path.read_bytes()
    with pytest.raises(db.DamagedDatabaseError) as err:
        db.open_database(db_path)
    assert err.value.backup == copy
    assert "skadad" in str(err.value) and copy.name in str(err.value)
    assert db_path.read_bytes() == before  # nothing written to it
    ro = db.open_read_only(db_path)
    with pytest.raises(DatabaseError), ro.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE x (a)")
    ro.dispose()
    assert db_path.read_bytes() == before
    db.restore_backup(db_path, copy)
    db.open_database(db_path).dispose()  # the restored copy opens


def test_newer_schema_is_refused_without_a_backup(db_path):
    make_ctx(db_path).close()
    with sqlite3.connect(db_path) as con:
        con.execute("UPDATE alembic_version SET version_num = '0099'")
    with pytest.raises(db.NewerSchemaError) as err:
        db.open_database(db_path)
    assert "skapad av en nyare version av programmet (0099); uppdatera programmet" in str(err.value)
    assert not list(db_path.parent.glob("*.bak"))


def test_crash_log_is_private_and_rotated(tmp_path, monkeypatch):
    from desktop_app import crash_log

    monkeypatch.setenv("SVF_REPORT_LOG_DIR", str(tmp_path / "loggar"))
    monkeypatch.setattr(crash_log, "MAX_BYTES", 2000)
    for i in range(40):
        try:
            raise RuntimeError(f"fel nummer {i} " + "x" * 200)
        except RuntimeError as exc:
            path = crash_log.write_crash(exc)
    assert path.parent == tmp_path / "loggar"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    files = sorted(path.parent.iterdir())
    assert len(files) <= crash_log.KEEP + 1
    assert all(f.stat().st_size < 2000 + 2000 for f in files)
    assert "fel nummer 39" in path.read_text(encoding="utf-8")
