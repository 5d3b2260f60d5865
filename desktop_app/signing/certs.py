"""Certificates: a self-signed demo certificate for trying the flow, and the folder of trusted
CA certificates that verification checks signers against."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import UserError
from desktop_app.signing.errors import KeyFileError

TRUST_SUFFIXES = (".pem", ".crt", ".cer", ".der")


@dataclass(frozen=True)
class DemoCertificate:
    path: Path
    subject: str
    sha256: str
    not_after: dt.datetime


def make_demo_certificate(
    name: str, password: str, out: Path, days: int = 730, organisation: str = ""
) -> DemoCertificate:
    """Write a PKCS#12 file with a new RSA key and a self-signed certificate for ``name``.

    For trying the flow only: verification reports such a signature as intact but not trusted
    (unless the certificate itself is put in the trust folder)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    if not name.strip():
        raise UserError("Ange ett namn för certifikatet (--name).")
    if not password:
        raise UserError("Ange ett lösenord för certifikatfilen (SVF_P12_PASSWORD).")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, name.strip())]
    attrs.append(
        x509.NameAttribute(
            NameOID.ORGANIZATION_NAME,
            organisation or "SVF-redovisning demo (självsignerat, ej för verklig underskrift)",
        )
    )
    attrs.append(x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"))
    subject = x509.Name(attrs)
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # non-repudiation: what a signature certificate has
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        name.strip().encode("utf-8"),
        key,
        cert,
        None,
        serialization.BestAvailableEncryption(password.encode("utf-8")),
    )
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise UserError(f"Filen {out} kan inte skrivas: {exc.strerror}.") from None
    return DemoCertificate(
        path=out,
        subject=name.strip(),
        sha256=cert.fingerprint(hashes.SHA256()).hex(),
        not_after=cert.not_valid_after_utc,
    )


def load_trust_roots(trust_dir: Path | None) -> tuple[list[Any], list[str]]:
    """The CA certificates (asn1crypto) in ``trust_dir`` (PEM or DER; .pem .crt .cer .der) and
    notes about files that could not be read. No folder, no trusted roots."""
    from asn1crypto import pem, x509

    if trust_dir is None:
        return [], []
    if not trust_dir.is_dir():
        raise KeyFileError(f"Mappen med betrodda certifikat {trust_dir} finns inte.")
    certs: list[Any] = []
    notes: list[str] = []
    for path in sorted(trust_dir.iterdir()):
        if path.suffix.lower() not in TRUST_SUFFIXES or not path.is_file():
            continue
        try:
            data = path.read_bytes()
            blobs = (
                [der for _t, _h, der in pem.unarmor(data, multiple=True)]
                if pem.detect(data)
                else [data]
            )
            for der in blobs:
                cert = x509.Certificate.load(der)
                cert.native  # noqa: B018 - parse now so that a broken file is noticed here
                certs.append(cert)
        except Exception:  # a broken file in the folder must not stop verification
            notes.append(f"{path.name} i mappen med betrodda certifikat kan inte läsas.")
    return certs, notes
