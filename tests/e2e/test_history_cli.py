"""`svf-report history` (issue 15, point 4): old and new values of a typed change, an import
and an unlock; `--check` passes on an untouched database and names the first broken row after
the history table is edited by hand with sqlite3 (a value changed, a row deleted, rows
reordered, the last row deleted)."""

import hashlib
import json
import sqlite3

import pytest

from desktop_app.cli import main
from tests.e2e.test_cli import fill_workbook


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def history_db(capsys, tmp_path):
    """A report with a typed answer, a typed figure, an import, a lock and an unlock."""
    from desktop_app.domain.vocabulary import ReportStatus
    from desktop_app.services import reports
    from tests.helpers.factories import make_ctx

    db = tmp_path / "h.sqlite3"
    code, out, _ = run(capsys, "new", "--db", db, "--region", "25", "--year", "2024")
    rid = int(out.strip())
    code, _, err = run(
        capsys, "answer", "--db", db, "--report", rid, "--question", "urology", "--text", "Ny text"
    )
    assert code == 0, err
    ctx = make_ctx(db)
    reports.set_figure(ctx, rid, "lunga", "included", "kvinnor", 7)
    reports.set_figure(ctx, rid, "lunga", "included", "kvinnor", 9)
    xlsx = tmp_path / "arbetsbok.xlsx"
    run(capsys, "excel-template", "--db", db, "--region", "25", "--year", "2024", "--out", xlsx)
    fill_workbook(xlsx, included=8)
    code, _, err = run(capsys, "import", "--db", db, "--report", rid, xlsx)
    assert code == 0, err
    # Locked as an imported signed file would leave it (signing itself is tested elsewhere).
    with ctx.uow() as uow:
        uow.reports.set_signing(
            rid, True, None, {"signatures": [{"signer": "Rut Företrädare", "role": "x"}]}
        )
        uow.reports.set_status(rid, ReportStatus.SIGNED, None)
        uow.commit()
    ctx.close()
    code, out, err = run(capsys, "unlock", "--db", db, "--report", rid)
    assert code == 0, err
    return db, rid


def history(capsys, db, rid):
    code, out, err = run(capsys, "history", "--db", db, "--report", rid, "--json")
    assert code == 0, err
    return json.loads(out)


def test_history_json_shows_old_and_new_of_a_typed_change_an_import_and_an_unlock(
    capsys, history_db
):
    db, rid = history_db
    rows = history(capsys, db, rid)
    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1))
    cell = [r for r in rows if r["path"] == "figures/lunga/included_kvinnor"]
    typed, retyped, imported = cell
    assert (typed["kind"], typed["old"], typed["new"], typed["source"]) == (
        "figure", None, 7, "typed",
    )  # fmt: skip
    assert (retyped["old"], retyped["new"], retyped["old_text"], retyped["new_text"]) == (
        7,
        9,
        "7",
        "9",
    )
    assert retyped["source_label"] == "Inskrivet" and retyped["who"]
    assert (imported["kind"], imported["old"], imported["new"], imported["source"]) == (
        "import", 9, 8, "import",
    )  # fmt: skip
    assert (
        imported["note"] == "arbetsbok.xlsx"
        and imported["what"] == "Lungcancer, kvinnor: Inkluderade"
    )
    answer = next(r for r in rows if r["path"] == "answers/urology")
    assert (answer["kind"], answer["old"], answer["new"]) == ("answer", "", "Ny text")
    unlock = {r["path"]: r for r in rows if r["kind"] == "unlock"}
    assert (unlock["version"]["old"], unlock["version"]["new"]) == (1, 2)
    assert (unlock["status"]["old"], unlock["status"]["new"]) == ("signed", "draft")
    assert unlock["status"]["old_text"] == "Signerad" and unlock["status"]["new_text"] == "Utkast"
    assert (unlock["locked"]["old"], unlock["locked"]["new"]) == (True, False)
    assert "Rut Företrädare" in unlock["version"]["note"]
    # Each row links to the one before and its hash is over the printed fields.
    from desktop_app.domain.history import canonical

    prev = "0" * 64
    for r in rows:
        assert r["prev_hash"] == prev
        fields = {k: r[k] for k in ("seq", "at", "who", "kind", "path", "old", "new")}
        fields |= {"report": rid, "source": r["source"], "reason": r["reason"]}
        fields |= {"note": r["note"], "prev": r["prev_hash"]}
        assert hashlib.sha256(canonical(fields)).hexdigest() == r["hash"]
        prev = r["hash"]


def test_history_text_lists_when_who_what_old_new_and_source(capsys, history_db):
    db, rid = history_db
    code, out, _ = run(capsys, "history", "--db", db, "--report", rid)
    assert code == 0
    line = next(x for x in out.splitlines() if "Lungcancer, kvinnor: Inkluderade  7 → 9" in x)
    assert "Siffra" in line and "källa: Inskrivet" in line
    assert any("Upplåsning: Version  1 → 2" in x for x in out.splitlines())


def check(capsys, db):
    code, out, err = run(capsys, "history", "--db", db, "--check")
    return code, out + err


def test_check_passes_then_names_the_row_edited_with_sqlite3(capsys, history_db):
    db, rid = history_db
    code, out = check(capsys, db)
    assert code == 0 and "obruten" in out
    rows = history(capsys, db, rid)
    target = next(r for r in rows if r["path"] == "figures/lunga/included_kvinnor")
    con = sqlite3.connect(db)
    con.execute(
        "UPDATE history SET new_json = '70' WHERE report_id = ? AND seq = ?", (rid, target["seq"])
    )
    con.commit()
    con.close()
    code, out = check(capsys, db)
    assert code == 1
    assert f"redovisning {rid}, rad {target['seq']}" in out
    assert target["at"].replace("T", " ") in out and "har ändrats" in out
    code, out, _ = run(capsys, "history", "--db", db, "--check", "--json")
    found = json.loads(out)
    assert code == 1 and not found["ok"]
    assert found["breaks"][0]["report"] == rid and found["breaks"][0]["seq"] == target["seq"]


def _sql(db, *statements):
    con = sqlite3.connect(db)
    for s in statements:
        con.execute(s)
    con.commit()
    con.close()


@pytest.mark.parametrize(
    "statements, broken_row",
    [
        (["DELETE FROM history WHERE seq = 4"], 4),  # a row in the middle removed
        (  # two rows swapped (their numbers exchanged)
            [
                "UPDATE history SET seq = -1 WHERE seq = 3",
                "UPDATE history SET seq = 3 WHERE seq = 4",
                "UPDATE history SET seq = 4 WHERE seq = -1",
            ],
            3,
        ),
        (["UPDATE history SET who = 'någon annan' WHERE seq = 2"], 2),
    ],
    ids=["deleted", "reordered", "who-changed"],
)
def test_check_detects_deleted_and_reordered_rows(capsys, history_db, statements, broken_row):
    db, rid = history_db
    _sql(db, *statements)
    code, out = check(capsys, db)
    assert code == 1 and f"redovisning {rid}, rad {broken_row}" in out


def test_check_detects_the_last_rows_deleted(capsys, history_db):
    db, rid = history_db
    last = history(capsys, db, rid)[-1]["seq"]
    _sql(db, f"DELETE FROM history WHERE seq >= {last - 1}")
    code, out = check(capsys, db)
    assert code == 1 and f"redovisning {rid}" in out and "de sista raderna" in out


def test_history_of_a_missing_report_is_a_usage_error(capsys, tmp_path):
    code, _, err = run(capsys, "history", "--db", tmp_path / "x.sqlite3", "--report", 9)
    assert code == 2 and "ingen redovisning med id 9" in err
    code, _, err = run(capsys, "history", "--db", tmp_path / "x.sqlite3")
    assert code == 2 and "--check" in err


def test_the_document_carries_the_head_and_an_export_leaves_dump_equal(capsys, history_db):
    from desktop_app.services.exports import document_bytes, export_pdf
    from desktop_app.services.reports import dump_report
    from tests.helpers.factories import make_ctx

    db, rid = history_db
    rows = history(capsys, db, rid)
    code, out, _ = run(capsys, "dump", "--db", db, "--report", rid)
    doc = json.loads(out)
    assert doc["history"] == {"entries": rows[-1]["seq"], "head": rows[-1]["hash"]}
    ctx = make_ctx(db)
    try:
        result = export_pdf(ctx, rid, db.with_name("r.pdf"))
        after = dump_report(ctx, rid)
    finally:
        ctx.close()
    assert after == doc  # the export's own row does not change the document
    assert hashlib.sha256(document_bytes(after)).hexdigest() == result.document_sha256
    export = history(capsys, db, rid)[-1]
    assert (export["kind"], export["new"], export["note"]) == (
        "export", result.document_sha256, "r.pdf",
    )  # fmt: skip
    code, _ = check(capsys, db)
    assert code == 0


def _rewrite_consistently(db, rid, seq, new_json):
    """What a careful forger does: change a row and recompute every hash after it and the
    head, so the chain is consistent in itself."""
    from desktop_app.domain.history import HistoryEntry

    con = sqlite3.connect(db)
    con.execute(
        "UPDATE history SET new_json = ? WHERE report_id = ? AND seq = ?", (new_json, rid, seq)
    )
    rows = con.execute(
        "SELECT id, seq, at, who, kind, path, old_json, new_json, source, reason, note "
        "FROM history WHERE report_id = ? ORDER BY seq",
        (rid,),
    ).fetchall()
    from datetime import datetime

    prev = "0" * 64
    for row_id, s, at, who, kind, path, old, new, source, reason, note in rows:
        e = HistoryEntry(
            rid, s, datetime.fromisoformat(at), who, kind, path, json.loads(old), json.loads(new),
            source, reason, note, prev, "",
        )  # fmt: skip
        h = e.computed_hash()
        con.execute("UPDATE history SET prev_hash = ?, hash = ? WHERE id = ?", (prev, h, row_id))
        prev = h
    con.execute("UPDATE history_head SET hash = ? WHERE report_id = ?", (prev, rid))
    con.commit()
    con.close()


def test_the_exported_document_finds_a_chain_rewritten_after_the_export(capsys, history_db):
    db, rid = history_db
    pdf = db.with_name("export.pdf")
    assert run(capsys, "export", "--db", db, "--report", rid, "--out", pdf)[0] == 0
    code, out, err = run(capsys, "history", "--db", db, "--document", pdf)
    assert code == 0 and "finns i databasen" in out, err
    target = next(
        r for r in history(capsys, db, rid) if r["path"] == "figures/lunga/included_kvinnor"
    )
    _rewrite_consistently(db, rid, target["seq"], "70")
    assert check(capsys, db)[0] == 0  # consistent in itself
    code, out, _ = run(capsys, "history", "--db", db, "--document", pdf, "--json")
    found = json.loads(out)
    assert code == 1 and not found["ok"] and "skrivits om" in found["problem"]
