import shutil
import sqlite3
from pathlib import Path

import pytest

from desktop_app.storage.db import StorageError, current_revision, head_revision, open_database
from desktop_app.storage.repository import UnitOfWork

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def tables(path):
    con = sqlite3.connect(path)
    try:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        con.close()


def test_empty_database_is_created_at_head(tmp_path):
    path = tmp_path / "sub" / "new.sqlite3"
    engine = open_database(path)
    assert current_revision(engine) == head_revision() == "0011_rcc_extracts"
    assert {"report", "figure", "answer", "change_log", "alembic_version"} <= tables(path)
    assert {"inbox_file", "inbox_entry", "population"} <= tables(path)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
    assert not list(tmp_path.glob("sub/*.bak"))  # nothing to back up


def test_upgrade_from_schema_0001_keeps_data_and_backs_up(tmp_path):
    path = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / "schema-0001.sqlite3", path)
    engine = open_database(path)
    assert current_revision(engine) == head_revision()
    with UnitOfWork(engine) as uow:
        report = uow.reports.get(1)
        log = uow.reports.changes(1)
    assert report.contact.name == "Gammal Kontakt"
    assert report.figures.get("lunga", "included", "man") == 31
    assert report.prem.sent == 120
    assert report.answers["urology"] == "Text från schema 0001"
    assert [entry.kind for entry in log] == ["migrated"]
    backups = list(tmp_path.glob("old.schema0001-*.bak"))
    assert len(backups) == 1
    assert tables(backups[0]) >= {"report", "figure"} and "change_log" not in tables(backups[0])
    engine.dispose()


def test_reopening_a_current_database_changes_nothing(tmp_path):
    path = tmp_path / "db.sqlite3"
    open_database(path).dispose()
    engine = open_database(path)
    assert current_revision(engine) == head_revision()
    engine.dispose()
    assert not list(tmp_path.glob("*.bak"))


def test_foreign_and_broken_files_are_refused_in_swedish(tmp_path):
    foreign = tmp_path / "annan.sqlite3"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE kunder (id INTEGER)")
    con.commit()
    con.close()
    with pytest.raises(StorageError, match="ingen databas för SVF-redovisning"):
        open_database(foreign)
    broken = tmp_path / "trasig.sqlite3"
    broken.write_bytes(b"det har ar ingen databas" * 100)
    with pytest.raises(StorageError, match="kan inte öppnas"):
        open_database(broken)
    with pytest.raises(StorageError, match="är en mapp"):
        open_database(tmp_path)


def test_upgrade_to_0003_adds_unlocked_signing_state_and_keeps_content(tmp_path):
    from desktop_app.storage.repository import SigningRecord

    path = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / "schema-0001.sqlite3", path)
    engine = open_database(path)
    with UnitOfWork(engine) as uow:
        assert uow.reports.signing(1) == SigningRecord(False, None, None)
        assert uow.reports.get(1).figures.get("lunga", "included", "man") == 31  # no cascade
        uow.reports.set_signing(1, True, {"alternative": 1}, {"file": "a.pdf"})
        assert uow.reports.new_version(1) == 2
        uow.commit()
    with UnitOfWork(engine) as uow:
        assert uow.reports.signing(1) == SigningRecord(True, {"alternative": 1}, {"file": "a.pdf"})
        assert uow.reports.is_locked(1)
    engine.dispose()


def test_upgrade_to_0004_adds_an_empty_inbox_that_keeps_what_is_stored(tmp_path):
    from datetime import datetime

    from desktop_app.storage.inbox_repository import InboxRecord

    path = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / "schema-0001.sqlite3", path)
    engine = open_database(path)
    assert {"inbox_file", "inbox_entry", "population"} <= tables(path)
    received = datetime(2024, 9, 30, 12, 0)
    with UnitOfWork(engine) as uow:
        assert uow.inbox.entries() == [] and uow.inbox.populations("norr", 2024) == {}
        uow.inbox.add_file("ab" * 32, b"%PDF-1.7 test")
        entry_id = uow.inbox.add(
            InboxRecord(
                scope="norr",
                year=2024,
                sha256="ab" * 32,
                file_name="a.pdf",
                received_at=received,
                status="refused",
                refusal="unsigned",
                reason="Osignerad fil",
                criteria=[{"id": "prem", "status": "pass"}],
                verification={"ok": False},
            )
        )
        uow.inbox.set_population("norr", 2024, "25", 250_000, "2024-06-30", "SCB", received)
        uow.commit()
    with UnitOfWork(engine) as uow:
        rec = uow.inbox.get(entry_id)
        assert uow.inbox.file_data("ab" * 32) == b"%PDF-1.7 test"
        assert uow.inbox.populations("norr", 2024)["25"].population == 250_000
        assert uow.reports.get(1).figures.get("lunga", "included", "man") == 31
    assert (rec.status, rec.reason, rec.received_at) == ("refused", "Osignerad fil", received)
    assert rec.criteria == [{"id": "prem", "status": "pass"}] and rec.verification == {"ok": False}
    assert rec.notes == [] and rec.signers == []
    engine.dispose()


def test_head_revision_constant_is_alembics_head():
    from desktop_app.storage.db import HEAD_REVISION

    assert head_revision() == HEAD_REVISION


def test_a_current_database_opens_without_alembic_or_sqlalchemy(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "db.sqlite3"
    open_database(path).dispose()
    code = (
        "import sys\n"
        "from desktop_app.services.bootstrap import bootstrap\n"
        "from desktop_app.services import reports\n"
        f"ctx = bootstrap({str(path)!r})\n"
        "assert reports.summarise_reports(ctx) == []\n"
        "print(sorted(m for m in ('alembic', 'sqlalchemy', 'sqlmodel') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_upgrade_to_0008_chains_existing_reports_from_a_genesis_row(tmp_path):
    from desktop_app.domain.history import GENESIS_PREV, verify_chain

    path = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / "schema-0001.sqlite3", path)
    engine = open_database(path)
    with UnitOfWork(engine) as uow:
        entries = uow.history.entries(1)
        head = uow.history.head(1)
        log = uow.reports.changes(1)
    engine.dispose()
    assert [e.kind for e in entries] == ["genesis"] + ["migrated"] * len(log)
    assert entries[0].prev_hash == GENESIS_PREV and "börjar här" in entries[0].note
    assert [e.note for e in entries[1:]] == [c.summary for c in reversed(log)]
    assert head == (entries[-1].seq, entries[-1].hash)
    assert verify_chain(1, entries, head) is None


def test_upgrade_to_0010_gives_old_reports_no_justifications_and_no_baseline(tmp_path):
    """A report stored before 0010_warnings reads with neither, and takes both afterwards
    (each recorded in the history)."""
    from datetime import date

    from desktop_app.domain.figures import Figures
    from desktop_app.domain.findings import Acknowledgement
    from desktop_app.domain.vocabulary import BaselineSource
    from desktop_app.domain.year_over_year import Baseline

    path = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / "schema-0001.sqlite3", path)
    engine = open_database(path)
    con = sqlite3.connect(path)
    columns = {r[1] for r in con.execute("PRAGMA table_info(report)")}
    con.close()
    assert {"acknowledgements_json", "baseline_json"} <= columns
    assert {"rcc_extract", "rcc_extract_value"} <= tables(path)  # 0011_rcc_extracts, empty
    with UnitOfWork(engine) as uow:
        report = uow.reports.get(1)
        assert report.acknowledgements == {} and report.baseline is None
        ack = Acknowledgement(
            "r:lunga:man:included", "ab" * 32, "Motivering här.", "m", date.today()
        )
        uow.reports.set_acknowledgement(1, ack.key, ack)
        fig = Figures()
        fig.set("lunga", "included", "man", 30)
        baseline = Baseline(
            report.year - 1, report.region_code, BaselineSource.RCC_FIGURES, "f.csv", "cd" * 32, fig
        )
        uow.reports.set_baseline(1, baseline)
        uow.commit()
    with UnitOfWork(engine) as uow:
        again = uow.reports.get(1)
        assert again.acknowledgements == {ack.key: ack} and again.baseline == baseline
        kinds = [e.kind for e in uow.history.entries(1)]
        assert kinds[-2:] == ["acknowledgement", "baseline"]
    engine.dispose()
