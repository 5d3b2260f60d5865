"""`svf-report cards`: "Testa kortet" on the command line, for the IT department (issue 13,
point 8)."""

from __future__ import annotations

import contextlib
import io

import pytest

from desktop_app.cli import main
from desktop_app.services import signing
from tests.helpers.softhsm import (  # noqa: F401 - fresh_softhsm is a fixture
    fresh_softhsm,
    make_token,
    require_softhsm,
    reset_softhsm,
)


def cards(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["cards", *args])
    return code, out.getvalue()


@pytest.mark.usefixtures("fresh_softhsm")
def test_cards_lists_the_softhsm_card_and_its_key(tmp_path, monkeypatch):
    require_softhsm()
    p12 = tmp_path / "k.p12"
    signing.create_demo_certificate("Kim Kortsson", p12, "lösen")
    monkeypatch.setenv("SOFTHSM2_CONF", str(make_token(tmp_path / "hsm", p12, "lösen")))
    reset_softhsm()
    code, text = cards("--db", str(tmp_path / "db.sqlite3"))
    assert code == 0
    assert "Modul: SoftHSM2" in text and "  Kort: svf-kort" in text
    assert "    Nyckel: Kim Kortsson (underskrift, giltigt " in text
    assert text.rstrip().endswith("Klart att signera: 1 nyckel.")


@pytest.mark.usefixtures("fresh_softhsm")
def test_cards_says_why_there_is_no_key(tmp_path, monkeypatch):
    module = require_softhsm()
    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    fake = tmp_path / "fel.so"
    fake.write_bytes(b"inte en modul")
    code, text = cards("--db", str(tmp_path / "db.sqlite3"), "--module", str(fake))
    assert code == 1
    assert f"Modul: Tillagd av dig – {fake}" in text and "kan inte laddas" in text
    assert module in text and "Inget kort sitter i läsaren" in text


def _cli(*args: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


@pytest.mark.usefixtures("fresh_softhsm")
def test_certify_with_a_card_found_not_typed(tmp_path, monkeypatch):
    """`certify --pkcs11` with no module, card or key named: the one signing key on the cards
    found in their usual places signs; naming only one of --token/--key is refused in
    Swedish; the certified file verifies."""
    require_softhsm()
    p12 = tmp_path / "k.p12"
    signing.create_demo_certificate("Kim Kortsson", p12, "lösen")
    monkeypatch.setenv("SOFTHSM2_CONF", str(make_token(tmp_path / "hsm", p12, "lösen")))
    monkeypatch.setenv("SVF_PKCS11_PIN", "1234")
    reset_softhsm()
    db = tmp_path / "db.sqlite3"
    assert _cli("demo", "--db", db)[0] == 0
    export = tmp_path / "export.pdf"
    assert _cli("export", "--db", db, "--report", 1, "--out", export)[0] == 0
    who = ["--alt", "1", "--name", "Kim Kortsson", "--title", "Ekonomidirektör",
           "--phone", "0920-28 40 00", "--email", "kim@example.se"]  # fmt: skip
    code, _, err = _cli("certify", export, *who, "--pkcs11", "--token", "svf-kort",
                        "--out", tmp_path / "x.pdf")  # fmt: skip
    assert code != 0 and "Ange både --token och --key" in err
    out_pdf = tmp_path / "intygad.pdf"
    code, out, err = _cli("certify", export, *who, "--pkcs11", "--out", out_pdf)
    assert code == 0, err
    code, out, err = _cli("verify", out_pdf)
    assert "Kim Kortsson" in out, out + err
