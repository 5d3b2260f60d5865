"""desktop_app.signing on small PDFs: PKCS#12 and PKCS#11 signers, incremental signatures in
two roles, trust, tampering, embedded files."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from desktop_app.signing import (
    Attachment,
    FieldSpot,
    KeyFileError,
    SignatureMeta,
    SigningError,
    UnreadablePdfError,
    inspect_pdf,
    open_pkcs11_signer,
    open_signer,
    prepare_pdf,
    read_attachments,
    sign_pdf,
    verify_pdf,
)
from desktop_app.signing.verify import CERTIFICATION_FIELD, REPRESENTATIVE_FIELD
from tests.helpers.pdf_tamper import append_revision_replacing_attachment, flip_byte
from tests.signing.conftest import PASSWORD, small_pdf

DATA = b'{"received": 4297000}\n'


def prepared() -> bytes:
    return prepare_pdf(
        small_pdf(),
        [Attachment("svf-report.json", DATA, "testdata")],
        {REPRESENTATIVE_FIELD: FieldSpot(0, (40, 40, 260, 90))},
    )


def certify(data: bytes, p12: Path) -> bytes:
    with open_signer(p12, PASSWORD) as signer:
        return sign_pdf(
            data,
            signer,
            SignatureMeta(
                field_name=CERTIFICATION_FIELD,
                reason="Ekonomichefens intygande (Alt 1)",
                name="Åsa Ekonomsson",
                certify=True,
                new_field=FieldSpot(0, (40, 120, 260, 170)),
            ),
        )


def represent(data: bytes, p12: Path) -> bytes:
    with open_signer(p12, PASSWORD) as signer:
        return sign_pdf(
            data,
            signer,
            SignatureMeta(
                field_name=REPRESENTATIVE_FIELD, reason="Behörig företrädare: Bo", name="Bo"
            ),
        )


@pytest.fixture(scope="module")
def two_signatures(keys):
    first = certify(prepared(), keys["chef"])
    return first, represent(first, keys["rep"])


def test_open_signer_reads_the_demo_certificate(keys):
    with open_signer(keys["chef"], PASSWORD) as signer:
        assert signer.subject_name == "Åsa Ekonomsson"
        assert signer.issuer_name == "Åsa Ekonomsson"  # self-signed


def test_open_signer_refuses_in_swedish(keys, tmp_path):
    with pytest.raises(KeyFileError, match="fel lösenord"):
        open_signer(keys["chef"], "fel")
    with pytest.raises(KeyFileError, match="finns inte"):
        open_signer(tmp_path / "saknas.p12", PASSWORD)
    junk = tmp_path / "skräp.p12"
    junk.write_bytes(b"inte en nyckel")
    with pytest.raises(KeyFileError, match="ingen PKCS#12-fil"):
        open_signer(junk, PASSWORD)


def test_both_signatures_stay_valid_and_show_their_roles(two_signatures):
    first, both = two_signatures
    assert both.startswith(first)  # incremental: the certified file is untouched
    (only,) = verify_pdf(first)
    assert only.ok and only.coverage == "entire_file" and only.certifies_document
    cert, rep = verify_pdf(both)
    assert (cert.role, rep.role) == ("certification", "representative")
    assert cert.ok and rep.ok
    assert cert.coverage == "entire_revision" and cert.modification == "form_filling"
    assert rep.coverage == "entire_file" and rep.modification == "none"
    assert cert.signer_name == "Åsa Ekonomsson" and rep.signer_name == "Bo Företrädare"
    assert rep.claimed_name == "Bo" and cert.reason.startswith("Ekonomichefens intygande")
    assert cert.signed_revision < rep.signed_revision


def test_self_signed_is_intact_but_untrusted(two_signatures):
    _first, both = two_signatures
    for s in verify_pdf(both):
        assert s.intact and s.valid and not s.trusted and s.self_signed
        assert "Självsignerat" in s.trust_problem


def test_ca_issued_certificate_is_trusted_only_with_its_root(keys):
    data = certify(prepared(), keys["issued"])
    (with_root,) = verify_pdf(data, keys["trust"])
    assert with_root.trusted and with_root.trust_problem is None and not with_root.self_signed
    assert with_root.issuer_name == "Test-CA för SVF"
    (without,) = verify_pdf(data, None)
    assert without.intact and not without.trusted
    assert "kedjar inte" in without.trust_problem


def test_broken_file_in_trust_folder_is_a_note(keys, tmp_path):
    trust = tmp_path / "trust"
    shutil.copytree(keys["trust"], trust)
    (trust / "trasig.pem").write_text(
        "-----BEGIN CERTIFICATE-----\nnej\n-----END CERTIFICATE-----\n"
    )
    insp = inspect_pdf(certify(prepared(), keys["issued"]), trust)
    assert insp.signatures[0].trusted
    assert any("trasig.pem" in n for n in insp.trust_notes)
    with pytest.raises(KeyFileError, match="finns inte"):
        inspect_pdf(small_pdf(), tmp_path / "saknas")


def test_attachments_are_read_with_their_revision(two_signatures):
    _first, both = two_signatures
    files = read_attachments(both)
    assert files["svf-report.json"].data == DATA
    assert files["svf-report.json"].revision == 0  # the unsigned base revision
    insp = inspect_pdf(both)
    assert insp.revisions == 3 and not insp.changed_after_last_signature


def test_one_changed_byte_breaks_the_signatures(two_signatures):
    _first, both = two_signatures
    bad = flip_byte(both, both.index(b"4297000") + 3)
    checks = verify_pdf(bad)
    assert checks and not any(s.intact for s in checks)


def test_appended_revision_that_swaps_the_data_is_caught(two_signatures):
    _first, both = two_signatures
    bad = append_revision_replacing_attachment(both, "svf-report.json", b'{"received": 1}\n')
    insp = inspect_pdf(bad)
    assert insp.changed_after_last_signature
    assert insp.attachments["svf-report.json"].revision == 3
    assert not all(s.ok for s in insp.signatures)  # the certification forbids such changes


def test_signing_a_signed_field_again_is_refused(two_signatures, keys):
    _first, both = two_signatures
    with pytest.raises(SigningError, match="redan undertecknat"):
        represent(both, keys["rep"])


def test_not_a_pdf_is_unreadable():
    with pytest.raises(UnreadablePdfError):
        verify_pdf(b"hej, jag ar ingen pdf")
    with pytest.raises(UnreadablePdfError):
        read_attachments(b"%PDF-1.7\ntrasig")


# ------------------------------------------------------------------ PKCS#11


def _softhsm_module() -> str | None:
    candidates = [
        os.environ.get("SOFTHSM2_MODULE", ""),
        "/usr/lib/softhsm/libsofthsm2.so",
        "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
        "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
        "/usr/local/lib/softhsm/libsofthsm2.so",
    ]
    return next((c for c in candidates if c and Path(c).exists()), None)


@pytest.fixture(scope="module")
def softhsm(keys, tmp_path_factory):
    """A SoftHSM2 token 'svf-test' (PIN 1234) holding the chef's demo key and certificate."""
    module = _softhsm_module()
    if module is None or shutil.which("softhsm2-util") is None:
        pytest.skip("SoftHSM2 är inte installerat (apt-get install softhsm2): PKCS#11 testas inte")
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        pkcs12,
    )

    tmp = tmp_path_factory.mktemp("softhsm")
    (tmp / "tokens").mkdir()
    conf = tmp / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {tmp / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    old = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    key, cert, _ = pkcs12.load_key_and_certificates(keys["chef"].read_bytes(), PASSWORD.encode())
    (tmp / "key.pem").write_bytes(
        key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    )
    run = dict(check=True, capture_output=True, env=os.environ.copy())
    subprocess.run(
        [
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            "svf-test",
            "--pin",
            "1234",
            "--so-pin",
            "5678",
        ],
        **run,
    )
    subprocess.run(
        [
            "softhsm2-util",
            "--import",
            str(tmp / "key.pem"),
            "--token",
            "svf-test",
            "--label",
            "signkey",
            "--id",
            "01",
            "--pin",
            "1234",
        ],
        **run,
    )
    import pkcs11
    from asn1crypto import x509 as asn1_x509
    from pkcs11 import Attribute, CertificateType, ObjectClass

    der = cert.public_bytes(Encoding.DER)
    token = pkcs11.lib(module).get_token(token_label="svf-test")
    with token.open(rw=True, user_pin="1234") as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: "signkey",
                Attribute.ID: b"\x01",
                Attribute.VALUE: der,
                Attribute.SUBJECT: asn1_x509.Certificate.load(der).subject.dump(),
            }
        )
    yield module
    if old is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = old


def test_pkcs11_token_signs_like_a_p12(softhsm):
    with open_pkcs11_signer(softhsm, "svf-test", "1234", "signkey") as signer:
        assert signer.subject_name == "Åsa Ekonomsson"
        data = sign_pdf(
            prepared(),
            signer,
            SignatureMeta(
                field_name=CERTIFICATION_FIELD,
                reason="Ekonomichefens intygande (Alt 1)",
                certify=True,
                new_field=FieldSpot(0, (40, 120, 260, 170)),
            ),
        )
    (check,) = verify_pdf(data)
    assert check.ok and check.role == "certification" and check.signer_name == "Åsa Ekonomsson"


def test_pkcs11_errors_are_swedish(softhsm):
    with pytest.raises(SigningError, match="Fel PIN-kod"):
        open_pkcs11_signer(softhsm, "svf-test", "0000", "signkey")
    with pytest.raises(SigningError, match="Inget kort"):
        open_pkcs11_signer(softhsm, "finns-inte", "1234", "signkey")
    with pytest.raises(SigningError, match="ingen nyckel"):
        open_pkcs11_signer(softhsm, "svf-test", "1234", "annan")
    with pytest.raises(KeyFileError, match="finns inte"):
        open_pkcs11_signer("/finns/inte.so", "svf-test", "1234", "signkey")
