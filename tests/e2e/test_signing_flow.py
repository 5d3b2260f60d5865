"""Issue 5, end to end through `svf-report`: demo data → export → certify (Alt 1) → sign →
verify, read the data back, and every kind of tampering caught.

Like Electrum's offline-signing test: the region exports, the finance chief certifies on
another computer (no database), the representative signs, the RCC verifies and imports."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from desktop_app.cli import main
from tests.helpers.pdf_tamper import (
    append_revision_replacing_attachment,
    embedded_json_offset,
    flip_byte,
    page_content_offset,
)

PASSWORD = "demo-lösen"
NORRBOTTEN = "25"


def cli(*args: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def _json(data: bytes) -> bytes:
    from desktop_app.signing import read_attachments

    return read_attachments(data)["svf-report.json"].data


def _append_changed(data: bytes) -> bytes:
    """An unsigned incremental update with other figures in svf-report.json."""
    changed = _json(data).replace(b'"received": ', b'"received": 1')
    return append_revision_replacing_attachment(data, "svf-report.json", changed)


def region_report_id(db: Path, region: str) -> int:
    code, out, _ = cli("list", "--db", db, "--json")
    assert code == 0
    return next(r["id"] for r in json.loads(out) if r["region"] == region)


@pytest.fixture(scope="module")
def flow(tmp_path_factory):
    """The whole happy path, once; tests read its files (and copy before changing any)."""
    tmp = tmp_path_factory.mktemp("flow")
    db = tmp / "demo.sqlite3"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SVF_P12_PASSWORD", PASSWORD)
        mp.delenv("SVF_TRUST_DIR", raising=False)
        assert cli("demo", "--db", db)[0] == 0
        rid = region_report_id(db, NORRBOTTEN)
        code, out, err = cli(
            "export",
            "--db",
            db,
            "--report",
            rid,
            "--out",
            tmp / "export.pdf",
            "--xlsx",
            tmp / "export.xlsx",
        )
        assert code == 0, err
        assert "svf-report.json" in out
        for who, name in (("chef", "Åsa Ekonomsson"), ("rep", "Bo Företrädare")):
            code, out, err = cli("demo-cert", "--name", name, "--out", tmp / f"{who}.p12")
            assert code == 0, err
        # On the finance chief's computer: no database involved.
        code, out, err = cli(
            "certify", tmp / "export.pdf",
            "--alt", "1",
            "--name", "Åsa Ekonomsson",
            "--title", "Ekonomidirektör",
            "--phone", "0920-28 40 00",
            "--email", "asa.ekonomsson@example.se",
            "--p12", tmp / "chef.p12",
            "--out", tmp / "certified.pdf",
        )  # fmt: skip
        assert code == 0, err
        code, out, err = cli(
            "sign", tmp / "certified.pdf", "--name", "Bo Företrädare", "--p12", tmp / "rep.p12",
            "--out", tmp / "signed.pdf",
        )  # fmt: skip
        assert code == 0, err
        assert "underskriven av Bo Företrädare" in out
    return {"dir": tmp, "db": db, "id": rid}


def test_done_when_signed_file_verifies_and_carries_the_dump(flow):
    tmp = flow["dir"]
    code, out, err = cli("verify", tmp / "signed.pdf")
    assert code == 0, out + err
    assert "GILTIG – intygad och underskriven" in out
    assert "Ekonomichefens intygande: Åsa Ekonomsson" in out
    assert "Behörig företrädares underskrift: Bo Företrädare" in out
    assert "Alt 1 – korrekt" in out and "stämmer med de ekonomiska uppgifterna" in out
    assert "Region Norrbotten (25), 2024, mall svf-2024" in out
    assert "Självsignerat certifikat" in out  # demo certificates: intact, not trusted

    # The JSON read back is exactly what `dump` writes, byte for byte.
    from desktop_app.signing import read_attachments

    embedded = read_attachments((tmp / "signed.pdf").read_bytes())["svf-report.json"].data
    code, dumped, _ = cli("dump", "--db", flow["db"], "--report", flow["id"])
    assert code == 0
    assert embedded.decode("utf-8") == dumped
    assert json.loads(embedded) == json.loads(dumped)


def test_verify_json_gives_the_same_as_data(flow):
    code, out, _ = cli("verify", "--json", flow["dir"] / "signed.pdf")
    assert code == 0
    data = json.loads(out)
    assert data["exit_code"] == 0
    (f,) = data["files"]
    assert f["ok"] and f["data_signed"] and not f["changed_after_last_signature"]
    assert [s["role"] for s in f["signatures"]] == ["certification", "representative"]
    cert_sig, rep_sig = f["signatures"]
    assert cert_sig["intact"] and cert_sig["coverage"] == "entire_revision"
    assert cert_sig["modification"] == "form_filling" and cert_sig["certifies_document"]
    assert rep_sig["coverage"] == "entire_file" and rep_sig["claimed_name"] == "Bo Företrädare"
    assert not cert_sig["trusted"] and cert_sig["self_signed"]
    assert f["report"] == {
        "region": "25",
        "region_name": "Region Norrbotten",
        "year": 2024,
        "template": "svf-2024",
        "version": 1,
        "status": "submitted",
        "document_sha256": f["report"]["document_sha256"],
    }
    assert f["certification"]["alternative"] == 1 and f["certification"]["matches_finance"]
    crit = {c["id"]: c["status"] for c in f["criteria"]}
    assert crit["inclusion"] == "fail"  # Norrbotten is the demo region below the goal


def test_trust_folder_makes_the_signers_trusted(flow, tmp_path):
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

    trust = tmp_path / "betrodda"
    trust.mkdir()
    for who in ("chef", "rep"):
        _k, cert, _ = pkcs12.load_key_and_certificates(
            (flow["dir"] / f"{who}.p12").read_bytes(), PASSWORD.encode()
        )
        (trust / f"{who}.pem").write_bytes(cert.public_bytes(Encoding.PEM))
    code, out, _ = cli("verify", "--json", "--trust", trust, flow["dir"] / "signed.pdf")
    assert code == 0
    assert all(s["trusted"] for s in json.loads(out)["files"][0]["signatures"])
    code, out, _ = cli("verify", "--require-trusted", flow["dir"] / "signed.pdf")
    assert code == 1 and "Självsignerat" in out


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="pdfsig (poppler-utils) saknas")
def test_pdfsig_lists_two_valid_signatures(flow):
    res = subprocess.run(
        ["pdfsig", str(flow["dir"] / "signed.pdf")], capture_output=True, text=True, check=False
    )
    out = res.stdout
    assert out.count("Signature Validation: Signature is Valid.") == 2, out
    assert "Signature Field Name: Intygande_ekonomichef" in out
    assert "Signature Field Name: Underskrift_behorig_foretradare" in out
    assert "ETSI.CAdES.detached" in out


def test_cli_certify_needs_a_choice_and_alt_2_needs_no_actions(flow, tmp_path, monkeypatch):
    """Issue 12, point 6 through `svf-report`: no alternative is assumed (refused in Swedish);
    Alt 2 with the deviation and without the optional actions certifies, N.N. is the finance
    chief's name in point 4, and both signatures still verify (our verify and pdfsig)."""
    tmp = flow["dir"]
    monkeypatch.setenv("SVF_P12_PASSWORD", PASSWORD)
    who = ["--name", "Åsa Ekonomsson", "--title", "Ekonomidirektör", "--phone", "0920-28 40 00",
           "--email", "asa@example.se", "--p12", tmp / "chef.p12"]  # fmt: skip
    out_pdf = tmp_path / "alt2.pdf"
    err_buf = io.StringIO()
    with pytest.raises(SystemExit) as exit_info, contextlib.redirect_stderr(err_buf):
        main([str(a) for a in ("certify", tmp / "export.pdf", *who, "--out", out_pdf)])
    assert exit_info.value.code == 2 and "fel: dessa argument krävs: --alt" in err_buf.getvalue()
    assert not out_pdf.exists()
    code, out, err = cli(
        "certify", tmp / "export.pdf", "--alt", "2", "--deviations", "Radiologin är för hög.",
        *who, "--out", out_pdf,
    )  # fmt: skip
    assert code == 0, err
    code, out, err = cli(
        "sign", out_pdf, "--name", "Bo Företrädare", "--p12", tmp / "rep.p12",
        "--out", tmp_path / "alt2-signed.pdf",
    )  # fmt: skip
    assert code == 0, err
    code, out, err = cli("verify", tmp_path / "alt2-signed.pdf")
    assert code == 0, out + err
    assert "Alt 2 – inte korrekt" in out
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "alt2-signed.pdf"), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    text = " ".join(text.split())
    assert "Alt 2: Åsa Ekonomsson (ekonomichefen eller motsvarande) bedömer inte" in text
    assert "Eventuella åtgärder: inga angivna" in text and "N.N." not in text
    if shutil.which("pdfsig"):
        res = subprocess.run(
            ["pdfsig", str(tmp_path / "alt2-signed.pdf")], capture_output=True, text=True
        )
        assert res.stdout.count("Signature Validation: Signature is Valid.") == 2, res.stdout


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) saknas")
def test_fonts_are_embedded(flow):
    res = subprocess.run(
        ["pdffonts", str(flow["dir"] / "signed.pdf")], capture_output=True, text=True, check=True
    )
    rows = res.stdout.splitlines()[2:]
    assert rows and all(" yes " in r for r in rows), res.stdout
    assert any("DejaVuSans" in r for r in rows)


@pytest.mark.parametrize(
    "damage, reason",
    [
        (lambda d: flip_byte(d, page_content_offset(d, 1)), "underskriften är bruten"),
        (lambda d: flip_byte(d, embedded_json_offset(d)), "underskriften är bruten"),
        (lambda d: _append_changed(d), "Filen har ändrats efter den sista underskriften"),
    ],
    ids=["page-content-byte", "embedded-file-byte", "appended-revision"],
)
def test_tampering_makes_verify_fail(flow, tmp_path, damage, reason):
    bad = tmp_path / "manipulerad.pdf"
    bad.write_bytes(damage((flow["dir"] / "signed.pdf").read_bytes()))
    code, out, _ = cli("verify", bad)
    assert code == 1, out
    assert "OGILTIG" in out and reason in out


def test_appended_revision_is_reported_as_data_outside_the_signatures(flow, tmp_path):
    data = (flow["dir"] / "signed.pdf").read_bytes()
    bad = tmp_path / "tillagd.pdf"
    bad.write_bytes(_append_changed(data))
    code, out, _ = cli("verify", "--json", bad)
    f = json.loads(out)["files"][0]
    assert code == 1 and not f["data_signed"] and f["changed_after_last_signature"]
    assert any("utanför de undertecknade delarna" in p for p in f["problems"])
    assert not f["certification"]["matches_finance"]  # the swapped figures are not certified


def test_missing_representative_signature_fails(flow):
    code, out, _ = cli("verify", flow["dir"] / "certified.pdf")
    assert code == 1
    assert "Underskrift av behörig företrädare saknas." in out
    assert "Ekonomichefens intygande: Åsa Ekonomsson" in out


def test_unsigned_export_and_unreadable_files(flow, tmp_path):
    code, out, _ = cli("verify", flow["dir"] / "export.pdf")
    assert code == 1 and "Ekonomichefens intygande (underskrift) saknas." in out
    junk = tmp_path / "inte.pdf"
    junk.write_text("ingen pdf")
    code, out, _ = cli("verify", flow["dir"] / "signed.pdf", junk)
    assert code == 2 and "KAN INTE LÄSAS" in out
    code, out, _ = cli("verify", tmp_path / "saknas.pdf")
    assert code == 2 and "finns inte" in out


def test_refusals_are_swedish_without_tracebacks(flow, tmp_path, monkeypatch):
    tmp = flow["dir"]
    monkeypatch.setenv("SVF_P12_PASSWORD", PASSWORD)
    base = [
        "--name",
        "Åsa",
        "--title",
        "Ekonomichef",
        "--phone",
        "010-000 00 00",
        "--email",
        "a@b.se",
    ]
    code, _, err = cli(
        "certify",
        tmp / "export.pdf",
        "--alt",
        "2",
        *base,
        "--p12",
        tmp / "chef.p12",
        "--out",
        tmp_path / "x.pdf",
    )
    assert code == 1 and "Alt 2: redovisa avvikelsen" in err and "Traceback" not in err
    code, _, err = cli(
        "sign",
        tmp / "export.pdf",
        "--name",
        "Bo",
        "--p12",
        tmp / "rep.p12",
        "--out",
        tmp_path / "x.pdf",
    )
    assert code == 1 and "inte intygad av ekonomichefen" in err
    code, _, err = cli(
        "sign",
        tmp / "signed.pdf",
        "--name",
        "Bo",
        "--p12",
        tmp / "rep.p12",
        "--out",
        tmp_path / "x.pdf",
    )
    assert code == 1 and "redan underskriven" in err
    monkeypatch.setenv("SVF_P12_PASSWORD", "fel")
    code, _, err = cli(
        "sign",
        tmp / "certified.pdf",
        "--name",
        "Bo",
        "--p12",
        tmp / "rep.p12",
        "--out",
        tmp_path / "x.pdf",
    )
    assert code == 2 and "fel lösenord" in err
    monkeypatch.delenv("SVF_P12_PASSWORD")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: no prompt
    code, _, err = cli(
        "sign",
        tmp / "certified.pdf",
        "--name",
        "Bo",
        "--p12",
        tmp / "rep.p12",
        "--out",
        tmp_path / "x.pdf",
    )
    assert code == 2 and "SVF_P12_PASSWORD" in err
    assert not (tmp_path / "x.pdf").exists()


def test_import_locks_and_unlock_makes_a_new_version(flow, tmp_path):
    db = tmp_path / "kopia.sqlite3"
    # Through SQLite's backup API: a plain file copy can miss what is still in the WAL file.
    src, dst = sqlite3.connect(flow["db"]), sqlite3.connect(db)
    src.backup(dst)
    src.close()
    dst.close()
    rid = flow["id"]
    code, out, err = cli("import-signed", "--db", db, flow["dir"] / "signed.pdf")
    assert code == 0, err
    assert "signerad, låst för ändringar" in out
    code, out, _ = cli("list", "--db", db, "--json")
    assert next(r for r in json.loads(out) if r["id"] == rid)["status"] == "signed"
    xlsx = flow["dir"] / "export.xlsx"
    code, _, err = cli("import", "--db", db, "--report", rid, xlsx)
    assert code == 1 and "låst" in err
    code, out, _ = cli("unlock", "--db", db, "--report", rid)
    assert code == 0 and "version 2" in out
    code, out, _ = cli("dump", "--db", db, "--report", rid)
    doc = json.loads(out)
    assert doc["version"] == 2 and doc["status"] == "draft"
    # The old signed file is for version 1: it no longer fits the report.
    code, _, err = cli("import-signed", "--db", db, flow["dir"] / "signed.pdf")
    assert code == 1 and "version 1" in err


def test_import_into_an_empty_database_creates_the_report(flow, tmp_path):
    db = tmp_path / "rcc.sqlite3"
    code, out, err = cli("import-signed", "--db", db, flow["dir"] / "certified.pdf")
    assert code == 0, err
    assert "Skapade redovisning 1" in out and "intygad" in out
    _, dumped, _ = cli("dump", "--db", db, "--report", 1)
    embedded = json.loads(_json((flow["dir"] / "certified.pdf").read_bytes()))
    # The head of the history chain is each database's own (issue 15).
    assert {**json.loads(dumped), "status": None, "history": None} == {
        **embedded,
        "status": None,
        "history": None,
    }


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) saknas")
def test_xlsx_opens_in_libreoffice(flow, tmp_path):
    res = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",  # 76: UTF-8
            "--outdir",
            str(tmp_path),
            str(flow["dir"] / "export.xlsx"),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    csv = tmp_path / "export.csv"
    assert res.returncode == 0 and csv.exists(), res.stderr
    text = csv.read_text(encoding="utf-8")
    assert "Region Norrbotten" in text and "Inklusionsmålet" in text


def test_signing_services_load_no_qt():
    import sys

    code = (
        "import sys, desktop_app.services.signing, desktop_app.services.exports, "
        "desktop_app.cli_signing, desktop_app.signing, desktop_app.exchange.pdf\n"
        "assert 'PySide6' not in sys.modules, 'Qt loaded'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
