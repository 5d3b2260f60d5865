"""The package to Socialstyrelsen (issue 11.7), through ``svf-report``: the RCC's signed
compilation carrying each counted region's signed PDF byte for byte, the compilation's JSON,
and the regions' answers per question; ``svf-report verify`` recognises it (role RCC, each
attached report verified), ``pdfsig`` finds the RCC's valid signature, and a region PDF taken
out of the package verifies on its own."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess

import pytest

from desktop_app.cli import main
from desktop_app.services.package import PACKAGE_MANIFEST
from tests.helpers.pdf_tamper import append_revision_replacing_attachment
from tests.helpers.round_trip import count, make_keys, make_round, receive, signed_report
from tests.helpers.signed_demo import PASSWORD


def cli(*args: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    from desktop_app.services.reports import list_reports

    tmp = tmp_path_factory.mktemp("package")
    keys = make_keys(tmp / "keys")
    r = make_round(tmp, "25", keys)
    other = next(x.id for x in list_reports(r.region_ctx) if x.region.code == "24")
    second = signed_report(r.region_ctx, other, keys, tmp / "signerad-24.pdf")
    count(r.rcc_ctx, receive(r.rcc_ctx, "norr", [second])[0].id)
    out = tmp / "till-socialstyrelsen.pdf"
    mp = pytest.MonkeyPatch()
    mp.setenv("RCC_LOSEN", PASSWORD)
    code, text, err = cli(
        "--db", r.rcc_ctx.db_path, "package", "--year", "2024", "--rcc", "norr",
        "--p12", keys["rcc"], "--password-env", "RCC_LOSEN", "--out", out,
    )  # fmt: skip
    mp.undo()
    assert code == 0, err
    yield {"out": out, "text": text, "round": r, "sources": [r.signed_pdf, second]}
    r.close()


def test_package_attaches_each_region_pdf_byte_for_byte(package):
    from desktop_app.signing import read_attachments

    files = read_attachments(package["out"].read_bytes())
    assert "svf-compilation.json" in files and PACKAGE_MANIFEST in files
    manifest = json.loads(files[PACKAGE_MANIFEST].data)
    assert [m["region"] for m in manifest["reports"]] == ["24", "25"]
    attached = {files[m["file"]].data for m in manifest["reports"]}
    assert attached == {p.read_bytes() for p in package["sources"]}
    assert "2 regioners underskrivna redovisningar" in package["text"]


def test_package_shows_each_regions_answer_per_question(package):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext saknas")
    text = subprocess.run(
        ["pdftotext", "-layout", str(package["out"]), "-"], capture_output=True, text=True
    ).stdout
    assert "Regionernas svar per fråga" in text
    assert "Insatser inom urologin" in text
    section = text[text.index("Regionernas svar per fråga") :]
    assert "Region Västerbotten" in section and "Region Norrbotten" in section


def test_verify_recognises_the_package(package):
    code, text, err = cli("verify", package["out"])
    assert code == 0, text + err
    assert "GILTIGT PAKET till Socialstyrelsen" in text
    assert "Roll RCC: Rut RCC-handläggare" in text
    assert text.count("Bilaga region-") == 2 and "OGILTIG" not in text
    code, text, _err = cli("verify", "--json", package["out"])
    doc = json.loads(text)
    assert code == 0 and doc["packages"][0]["ok"]
    assert [r["report"]["region"] for r in doc["packages"][0]["reports"]] == ["24", "25"]


def test_pdfsig_finds_the_rccs_valid_signature(package):
    if shutil.which("pdfsig") is None:
        pytest.skip("pdfsig saknas")
    out = subprocess.run(["pdfsig", str(package["out"])], capture_output=True, text=True).stdout
    assert "Signature Field Name: Godkannande_RCC" in out
    assert "Signature Validation: Signature is Valid." in out
    assert "Total document signed" in out


def test_a_region_pdf_taken_out_verifies_on_its_own(package, tmp_path):
    from desktop_app.services.package_verify import extract_report

    data = extract_report(package["out"].read_bytes(), "region-25-2024-v1.pdf")
    alone = tmp_path / "region-25.pdf"
    alone.write_bytes(data)
    code, text, err = cli("verify", alone)
    assert code == 0, text + err
    assert "GILTIG – intygad och underskriven" in text
    if shutil.which("pdfsig"):
        out = subprocess.run(["pdfsig", str(alone)], capture_output=True, text=True).stdout
        assert out.count("Signature is Valid.") == 2


def test_a_swapped_attachment_fails_the_package(package, tmp_path):
    from desktop_app.signing import read_attachments

    data = package["out"].read_bytes()
    other = read_attachments(data)["region-24-2024-v1.pdf"].data
    forged = tmp_path / "forfalskat.pdf"
    forged.write_bytes(append_revision_replacing_attachment(data, "region-25-2024-v1.pdf", other))
    code, text, _err = cli("verify", forged)
    assert code == 1
    assert "OGILTIGT PAKET" in text
    assert "region-25-2024-v1.pdf" in text


def test_package_without_counted_reports_is_refused(tmp_path, monkeypatch):
    keys = make_keys(tmp_path / "keys")
    monkeypatch.setenv("RCC_LOSEN", PASSWORD)
    code, _text, err = cli(
        "--db", tmp_path / "tom.sqlite3", "package", "--year", "2024", "--rcc", "norr",
        "--p12", keys["rcc"], "--password-env", "RCC_LOSEN", "--out", tmp_path / "p.pdf",
    )  # fmt: skip
    assert code == 2
    assert "ingen räknad redovisning" in err
    assert not (tmp_path / "p.pdf").exists()
