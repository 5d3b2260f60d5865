"""No lost updates: two processes editing different fields of the same financial statement
(and contact, PREM) both keep every edit; parallel imports lose nothing and each reports what
its report holds; a writer waits for a long lock holder; a lock held past the busy timeout is a
Swedish message with a retry, never SQL."""

from __future__ import annotations

import multiprocessing as mp
import sqlite3
import threading
from pathlib import Path

import pytest

from desktop_app.domain.finance import FinancialStatement
from desktop_app.domain.reference import load_reference
from desktop_app.domain.report import Contact, Prem
from desktop_app.exchange.excel import write_import_workbook
from desktop_app.services import imports, reports
from desktop_app.storage import db
from tests.helpers.factories import make_ctx

ROUNDS = 60


def _writer(path: str, report_id: int, kind: str, rounds: int) -> None:
    """Edit one field ``rounds`` times from a view read once at the start (a stale copy, as an
    open window has): only the field changed may be written."""
    ctx = make_ctx(Path(path))
    try:
        start = reports.get_report(ctx, report_id)
        for i in range(rounds):
            if kind == "recipient":
                old = start.finance
                new = FinancialStatement.from_dict(old.to_dict() | {"recipient": f"R{i}"})
                reports.set_finance(ctx, report_id, new, base=old)
                start.finance = new
            elif kind == "period":
                old = start.finance
                new = FinancialStatement.from_dict(old.to_dict() | {"period": f"P{i}"})
                reports.set_finance(ctx, report_id, new, base=old)
                start.finance = new
            elif kind == "contact_name":
                old_c = start.contact
                new_c = Contact(**(vars(old_c) | {"name": f"N{i}"}))
                reports.set_contact(ctx, report_id, new_c, base=old_c)
                start.contact = new_c
            elif kind == "contact_email":
                old_c = start.contact
                new_c = Contact(**(vars(old_c) | {"email": f"e{i}@example.se"}))
                reports.set_contact(ctx, report_id, new_c, base=old_c)
                start.contact = new_c
            elif kind == "prem_sent":
                old_p = start.prem
                new_p = Prem(old_p.used, i, old_p.answers)
                reports.set_prem(ctx, report_id, new_p, base=old_p)
                start.prem = new_p
            elif kind == "prem_answers":
                old_p = start.prem
                new_p = Prem(old_p.used, old_p.sent, i)
                reports.set_prem(ctx, report_id, new_p, base=old_p)
                start.prem = new_p
    finally:
        ctx.close()


@pytest.mark.parametrize(
    "pair",
    [("recipient", "period"), ("contact_name", "contact_email"), ("prem_sent", "prem_answers")],
)
def test_two_writers_of_different_fields_lose_nothing(db_path, pair):
    ctx = make_ctx(db_path)
    rid = reports.create_report(ctx, "25", 2024)
    ctx.close()
    spawn = mp.get_context("spawn")
    procs = [spawn.Process(target=_writer, args=(str(db_path), rid, kind, ROUNDS)) for kind in pair]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
        assert p.exitcode == 0
    ctx = make_ctx(db_path)
    r = reports.get_report(ctx, rid)
    ctx.close()
    last = ROUNDS - 1
    got = {
        "recipient": r.finance.recipient,
        "period": r.finance.period,
        "contact_name": r.contact.name,
        "contact_email": r.contact.email,
        "prem_sent": r.prem.sent,
        "prem_answers": r.prem.answers,
    }
    expected = {
        "recipient": f"R{last}",
        "period": f"P{last}",
        "contact_name": f"N{last}",
        "contact_email": f"e{last}@example.se",
        "prem_sent": last,
        "prem_answers": last,
    }
    for kind in pair:
        assert got[kind] == expected[kind], (kind, got)


def test_parallel_imports_each_keep_and_report_their_figures(ctx, db_path, tmp_path):
    ids = {c: reports.create_report(ctx, c, 2024) for c in ("25", "01", "03", "04")}
    tpl = reports.template_of(ctx, ids["25"])
    files = {}
    for n, (code, rid) in enumerate(ids.items()):
        p = tmp_path / f"{code}.xlsx"
        write_import_workbook(
            p, tpl, load_reference().region(code), {("aml", "expected", "man"): 10 + n}
        )
        files[code] = (rid, p, 10 + n)
    errors: list[BaseException] = []
    results = {}

    def run(code: str) -> None:
        rid, p, _ = files[code]
        try:
            preview = imports.import_file(make_ctx(db_path), rid, p)
            results[code] = preview
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(c,)) for c in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    for code, (rid, _, value) in files.items():
        assert reports.get_report(ctx, rid).figures.get("aml", "expected", "man") == value
        changed = {c.cell: c.new for c in results[code].changes}
        assert changed[("aml", "expected", "man")] == value  # it reports what the report holds


def test_writer_waits_for_a_long_lock_holder(ctx, db_path):
    rid = reports.create_report(ctx, "25", 2024)
    con = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    con.execute("BEGIN IMMEDIATE")
    con.execute("UPDATE report SET version = version WHERE id = ?", (rid,))
    release = threading.Timer(2.0, con.execute, args=("COMMIT",))
    release.start()
    reports.set_contact(ctx, rid, Contact(name="Väntade"))
    release.join()
    con.close()
    assert reports.get_report(ctx, rid).contact.name == "Väntade"


def test_lock_past_the_timeout_is_a_swedish_message(db_path, monkeypatch):
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)
    ctx = make_ctx(db_path)
    rid = reports.create_report(ctx, "25", 2024)
    con = sqlite3.connect(db_path, isolation_level=None)
    con.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(db.StorageBusyError) as err:
            reports.set_contact(ctx, rid, Contact(name="Blockerad"))
    finally:
        con.execute("ROLLBACK")
        con.close()
    text = str(err.value)
    assert "Försök igen" in text and err.value.retryable
    for word in ("locked", "UPDATE", "SELECT", "sqlite", "SQL"):
        assert word not in text
    reports.set_contact(ctx, rid, Contact(name="Andra försöket"))
    assert reports.get_report(ctx, rid).contact.name == "Andra försöket"
    ctx.close()
