"""`svf-report patients` end to end (issue 16): a generated list with known answers through the
CLI, csv and xlsx; --apply in one transaction; and no identity number in the database, the
dump, the PDF, the workbook or anything printed."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import zipfile

import pytest

from desktop_app.cli import main
from tests.helpers.patient_lists import MAPPING, generate, write_csv, write_xlsx


@pytest.fixture(autouse=True)
def key_file(tmp_path, monkeypatch):
    path = tmp_path / "nyckel"
    monkeypatch.setenv("SVF_REPORT_KEY", str(path))
    return path


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def setup(tmp_path, capsys):
    db = tmp_path / "db.sqlite3"
    code, out, _ = run(capsys, "--db", db, "new", "--region", "25", "--year", "2024")
    assert code == 0
    mapping = tmp_path / "mappning.json"
    mapping.write_text(json.dumps(MAPPING, ensure_ascii=False), encoding="utf-8")
    return db, int(out.strip()), mapping


def expected_json(exp):
    out: dict = {}
    for (s, m, x), v in sorted(exp.figures.items()):
        out.setdefault(s, {})[f"{m}_{x}"] = v
    return out


def figures_in_db(db, report_id):
    with sqlite3.connect(db) as con:
        rows = con.execute(
            "select svf_id, measure, sex, value from figure where report_id = ?", (report_id,)
        ).fetchall()
    return {(s, m, x): v for s, m, x, v in rows}


def test_a_100000_row_csv_gives_the_expected_figures_and_changes_nothing(setup, tmp_path, capsys):
    db, rid, mapping = setup
    rows, exp = generate(100_000, seed=7)
    path = tmp_path / "lista.csv"
    write_csv(path, rows)
    code, out, err = run(capsys, "--db", db, "patients", "--report", rid, path,
                         "--mapping", mapping, "--json")  # fmt: skip
    assert code == 1, err  # rows were rejected: findings
    data = json.loads(out)
    assert data["figures"] == expected_json(exp)
    assert [r["row"] for r in data["rejected"]] == exp.rejected_rows
    assert data["duplicates"] == len(exp.duplicate_rows)
    assert data["other_region"] == len(exp.other_region_rows)
    got = {(m["svf_id"], m["treatment"]): m["rows"] for m in data["missing_lead_time"]}
    assert got == exp.missing
    assert figures_in_db(db, rid) == {}  # without --apply nothing changes


def test_apply_writes_the_figures_with_the_source_patient_list(setup, tmp_path, capsys):
    db, rid, mapping = setup
    rows, exp = generate(4000, seed=3)
    path = tmp_path / "lista.xlsx"
    write_xlsx(path, rows)
    code, out, err = run(capsys, "--db", db, "patients", "--report", rid, path,
                         "--mapping", mapping, "--apply", "--json")  # fmt: skip
    assert code == 1, err
    assert json.loads(out)["figures"] == expected_json(exp)
    assert figures_in_db(db, rid) == exp.figures
    from desktop_app.domain.vocabulary import ValueSource
    from desktop_app.services.bootstrap import bootstrap
    from desktop_app.services.patients import figure_sources
    from desktop_app.services.reports import set_figure

    ctx = bootstrap(db)
    sources = figure_sources(ctx, rid)
    assert set(sources) == set(exp.figures)
    assert set(sources.values()) == {ValueSource.PATIENT_LIST}
    from desktop_app.services.long_waits import long_waits

    assert len(long_waits(ctx, rid)) == exp.long_waits  # kept, pseudonymised, for tagging
    set_figure(ctx, rid, "brost", "included", "man", 1)  # typed over: no longer from the list
    assert ("brost", "included", "man") not in figure_sources(ctx, rid)
    ctx.close()


def test_bad_input_exits_2_with_a_swedish_message(setup, tmp_path, capsys):
    db, rid, mapping = setup
    path = tmp_path / "lista.csv"
    path.write_text("A;B\n1;2\n", encoding="utf-8")
    code, _, err = run(capsys, "--db", db, "patients", "--report", rid, path, "--mapping", mapping)
    assert code == 2
    assert "saknar kolumnerna 'Personnr' (Personnummer)" in err
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    code, _, err = run(capsys, "--db", db, "patients", "--report", rid, path, "--mapping", bad)
    assert code == 2 and "inte giltig JSON" in err
    broken = tmp_path / "trasig.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really")
    code, _, err = run(capsys, "--db", db, "patients", "--report", rid, broken,
                       "--mapping", mapping)  # fmt: skip
    assert code == 2 and "inte en giltig Excelfil" in err and "Traceback" not in err


def test_a_key_file_others_can_read_is_refused(setup, tmp_path, capsys, key_file):
    db, rid, mapping = setup
    rows, _ = generate(50)
    path = tmp_path / "lista.csv"
    write_csv(path, rows)
    assert run(capsys, "--db", db, "patients", "--report", rid, path, "--mapping", mapping)[0] in (
        0,
        1,
    )
    assert key_file.stat().st_mode & 0o777 == 0o600
    key_file.chmod(0o644)
    code, _, err = run(capsys, "--db", db, "patients", "--report", rid, path, "--mapping", mapping)
    assert code == 2 and "kan läsas av andra" in err


def _forms(pnr12: str) -> list[str]:
    """An identity number as it may be written: with and without century and hyphen."""
    return [pnr12, f"{pnr12[:8]}-{pnr12[8:]}", pnr12[2:], f"{pnr12[2:8]}-{pnr12[8:]}"]


def _pdf_text(path) -> bytes:
    """The PDF's page text (pdftotext) and its raw bytes (the embedded JSON is stored plain)."""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    assert b"Norrbotten" in text  # the text was read
    return text + b"\n" + path.read_bytes()


def _tag_some_long_waits(db, rid) -> dict[tuple[str, str], int]:
    """Tag the first long waits with two causes; the counts per (svf, cause) expected."""
    from desktop_app.services.bootstrap import bootstrap
    from desktop_app.services.long_waits import long_waits, tag_long_wait

    ctx = bootstrap(db)
    counts: dict[tuple[str, str], int] = {}
    try:
        for i, w in enumerate(long_waits(ctx, rid)[:12]):
            cause = "capacity_radiology" if i % 3 else "patient_choice"
            tag_long_wait(ctx, rid, w.key, cause, "kö till DT")
            counts[(w.svf_id, cause)] = counts.get((w.svf_id, cause), 0) + 1
    finally:
        ctx.close()
    return counts


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs pdftotext")
def test_no_identity_number_in_the_database_dump_pdf_or_workbook(setup, tmp_path, capsys):
    db, rid, mapping = setup
    rows, exp = generate(3000, seed=11)
    path = tmp_path / "lista.csv"
    write_csv(path, rows)
    outputs = []
    code, out, err = run(capsys, "--db", db, "patients", "--report", rid, path,
                         "--mapping", mapping, "--apply", "--json")  # fmt: skip
    outputs += [out.encode(), err.encode()]
    code, out, err = run(capsys, "--db", db, "patients", "--report", rid, path,
                         "--mapping", mapping)  # fmt: skip
    outputs += [out.encode(), err.encode()]
    tagged = _tag_some_long_waits(db, rid)
    code, out, _ = run(capsys, "--db", db, "dump", "--report", rid)
    assert code == 0
    outputs.append(out.encode())
    # The counts per SVF and cause are in the document (schema version 2) ...
    doc = json.loads(out)
    assert doc["schema_version"] == 2
    assert {(c["svf"], c["cause"]): c["count"] for c in doc["long_wait_causes"]} == tagged
    pdf, xlsx = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    code, _, err = run(capsys, "--db", db, "export", "--report", rid, "--out", pdf, "--xlsx", xlsx)
    assert code in (0, 1), err
    outputs.append(_pdf_text(pdf))
    # ... and a table of their own in the PDF.
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout
    assert "Förlopp över 175 % av ledtiden per orsak".encode() in text
    assert b"Kapacitet inom radiologi" in text
    with zipfile.ZipFile(xlsx) as z:
        outputs += [z.read(n) for n in z.namelist()]
    exports = b"\n".join(outputs)
    for f in tmp_path.iterdir():  # the database, its WAL and any backup next to it
        if f.name.startswith("db.sqlite3"):
            outputs.append(f.read_bytes())
    blob = b"\n".join(outputs)
    # The search would find a number that is there (in the list itself, the source).
    assert any(x.encode() in path.read_bytes() for x in _forms(exp.identities[0]))
    for pnr in exp.identities:
        for form in _forms(pnr):
            assert form.encode() not in blob, "an identity number was found in an output"
    # Nor a patient row in what leaves the machine: no unit of the list is in the exports
    # (the database keeps the long waits, pseudonymised, for tagging their causes).
    assert b"Sunderby sjukhus" not in exports
    assert b"Sunderby sjukhus" in blob


def test_all_or_nothing_and_a_marked_lead_time_override(setup, tmp_path, capsys):
    db, rid, mapping = setup
    rows, exp = generate(2000, seed=4)
    path = tmp_path / "lista.csv"
    write_csv(path, rows)
    base = ("--db", db, "patients", "--report", rid, path, "--mapping", mapping)
    code, out, _ = run(capsys, *base, "--apply", "--all-or-nothing", "--json")
    assert code == 1 and json.loads(out)["applied"] is False
    assert figures_in_db(db, rid) == {}
    code, out, _ = run(capsys, *base, "--lead-time", "lunga:kirurgi=30", "--json")
    data = json.loads(out)
    assert data["lead_time_overrides"] == [{"svf_id": "lunga", "treatment": "kirurgi", "days": 30}]
    assert ("lunga", "kirurgi") not in {
        (m["svf_id"], m["treatment"]) for m in data["missing_lead_time"]
    }
    assert "within_lead_time_man" in data["figures"]["lunga"]
    with pytest.raises(SystemExit) as exit_info:  # argparse refuses it, as any bad argument
        run(capsys, *base, "--lead-time", "lunga=30")
    assert exit_info.value.code == 2 and "SVF:TYP=DAGAR" in capsys.readouterr().err
