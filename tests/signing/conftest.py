"""Keys and certificates for the signing tests, made once per test session (RSA key
generation is the slow part)."""

from __future__ import annotations

import datetime as dt
import io

import pytest

PASSWORD = "hemligt-lösen"


def _name(cn: str, org: str = "Testregionen"):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
        ]
    )


def make_ca_and_leaf(tmp, leaf_cn: str):
    """A test CA (PEM in tmp/trust/) and a leaf signing certificate issued by it (PKCS#12)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("Test-CA för SVF", "Test-CA")
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name(leaf_cn))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    trust = tmp / "trust"
    trust.mkdir(exist_ok=True)
    (trust / "test-ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    p12 = tmp / "issued.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"leaf",
            key,
            leaf,
            [ca],
            serialization.BestAvailableEncryption(PASSWORD.encode()),
        )
    )
    return p12, trust


@pytest.fixture(scope="session")
def keys(tmp_path_factory):
    """Demo certificates for both roles and a CA-issued one with its trust folder."""
    from desktop_app.signing import make_demo_certificate

    tmp = tmp_path_factory.mktemp("keys")
    chef = make_demo_certificate("Åsa Ekonomsson", PASSWORD, tmp / "chef.p12").path
    rep = make_demo_certificate("Bo Företrädare", PASSWORD, tmp / "rep.p12").path
    issued, trust = make_ca_and_leaf(tmp, "Cecilia Certifierad")
    return {"chef": chef, "rep": rep, "issued": issued, "trust": trust, "dir": tmp}


def small_pdf(text: str = "Testdokument") -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    canv = Canvas(buf, pagesize=(300, 300))
    canv.drawString(40, 250, text)
    canv.showPage()
    canv.save()
    return buf.getvalue()
