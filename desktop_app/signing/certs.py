"""Certificates: a self-signed demo certificate for trying the flow, and the folder of trusted
CA certificates that verification checks signers against."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import UserError
from desktop_app.domain.vocabulary import Role
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


# X.520 organizationIdentifier: where an organisation certificate carries the
# organisation's number (e.g. "SE2321000230" for a region's organisationsnummer).
ORGANIZATION_IDENTIFIER_OID = "2.5.4.97"
DEMO_CA_FILE = "demo-ca.pem"
DEMO_ROLE_FILES = {Role.CERTIFICATION: "ekonomichef", Role.REPRESENTATIVE: "foretradare"}


@dataclass(frozen=True)
class DemoCa:
    """What ``make_demo_ca`` wrote: the CA certificate and each region's signer files."""

    ca_path: Path
    ca_sha256: str
    signers: dict[tuple[str, str], Path]  # (region code, role) -> PKCS#12 file
    organisation_ids: dict[str, str]  # region code -> organisation identifier


def demo_organisation_id(region_code: str) -> str:
    """The organisation identifier the demo CA gives a region's signers (not a real number)."""
    return f"SE-DEMO-{region_code}"


def _name(cn: str, org: str, org_id: str | None = None, serial: str = "0001") -> Any:
    from cryptography import x509
    from cryptography.x509.oid import NameOID, ObjectIdentifier

    attrs = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
    ]
    if org_id:
        attrs.append(x509.NameAttribute(ObjectIdentifier(ORGANIZATION_IDENTIFIER_OID), org_id))
        attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, f"{org_id}-{serial}"))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def _usage(ca: bool) -> Any:
    from cryptography import x509

    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _build(subject: Any, issuer: Any, key: Any, sign_key: Any, ca: bool, days: int) -> Any:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(_usage(ca), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    return builder.sign(sign_key, hashes.SHA256())


def make_demo_ca(
    out: Path,
    regions: dict[str, str],
    password: str,
    names: dict[str, str] | None = None,
    days: int = 730,
) -> DemoCa:
    """A test CA (``demo-ca.pem`` in ``out``) and, per region (code -> region name) and role,
    a PKCS#12 signer file ``<ekonomichef|foretradare>-<code>.p12`` whose certificate is issued
    by the CA and carries the region's organisation identifier. ``names``: role -> the signer's
    name. For trying the RCC round and for tests only."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12

    if not password:
        raise UserError("Ange ett lösenord för certifikatfilerna (SVF_P12_PASSWORD).")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"Mappen {out} kan inte skapas: {exc.strerror}.") from None
    names = names or {
        Role.CERTIFICATION: "Demo Ekonomichef",
        Role.REPRESENTATIVE: "Demo Företrädare",
    }
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("SVF-redovisning Demo-CA (ej för verklig underskrift)", "SVF-redovisning demo")
    ca = _build(ca_name, ca_name, ca_key, ca_key, True, days)
    signers: dict[tuple[str, str], Path] = {}
    org_ids = {}
    enc = serialization.BestAvailableEncryption(password.encode("utf-8"))
    try:
        (out / DEMO_CA_FILE).write_bytes(ca.public_bytes(serialization.Encoding.PEM))
        for code, region_name in regions.items():
            org_ids[code] = demo_organisation_id(code)
            for role, stem in DEMO_ROLE_FILES.items():
                key = ec.generate_private_key(ec.SECP256R1())
                serial = "0001" if role == Role.CERTIFICATION else "0002"
                subject = _name(names[role], f"{region_name} (demo)", org_ids[code], serial)
                cert = _build(subject, ca_name, key, ca_key, False, days)
                path = out / f"{stem}-{code}.p12"
                path.write_bytes(
                    pkcs12.serialize_key_and_certificates(
                        names[role].encode("utf-8"), key, cert, [ca], enc
                    )
                )
                signers[(code, role)] = path
    except OSError as exc:
        raise UserError(f"Filerna i {out} kan inte skrivas: {exc.strerror}.") from None
    return DemoCa(out / DEMO_CA_FILE, ca.fingerprint(hashes.SHA256()).hex(), signers, org_ids)


@dataclass(frozen=True)
class CertificateFacts:
    """What the signer register needs to know of a certificate."""

    der: bytes
    sha256: str
    subject: str  # the common name, else the whole subject
    is_ca: bool
    organisation_ids: tuple[str, ...]  # organizationIdentifier, serialNumber values


def certificate_facts(der: bytes) -> CertificateFacts:
    """Facts of a DER certificate; UserError when it is not one."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID, ObjectIdentifier

    try:
        cert = x509.load_der_x509_certificate(der)
    except ValueError:
        raise UserError("Filen innehåller inget läsbart certifikat.") from None
    try:
        is_ca = bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        is_ca = False
    cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    ids = [
        str(a.value)
        for oid in (ObjectIdentifier(ORGANIZATION_IDENTIFIER_OID), NameOID.SERIAL_NUMBER)
        for a in cert.subject.get_attributes_for_oid(oid)
    ]
    return CertificateFacts(
        der=der,
        sha256=cert.fingerprint(hashes.SHA256()).hex(),
        subject=str(cn[0].value) if cn else cert.subject.rfc4514_string(),
        is_ca=is_ca,
        organisation_ids=tuple(ids),
    )


def read_certificate_file(path: Path) -> bytes:
    """The first certificate of a PEM or DER file, as DER; UserError otherwise."""
    from asn1crypto import pem

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"Filen {path} kan inte läsas: {exc.strerror}.") from None
    if pem.detect(data):
        try:
            blobs = [der for _t, _h, der in pem.unarmor(data, multiple=True)]
        except ValueError:
            blobs = []
        if not blobs:
            raise UserError(f"{path.name} innehåller inget läsbart certifikat.")
        data = blobs[0]
    certificate_facts(data)
    return data


def issued_by(cert_der: bytes, ca_der: bytes) -> bool:
    """Whether ``cert_der`` is issued (and signed) directly by the CA ``ca_der``."""
    from cryptography import x509

    try:
        cert = x509.load_der_x509_certificate(cert_der)
        ca = x509.load_der_x509_certificate(ca_der)
        cert.verify_directly_issued_by(ca)
    except Exception:  # any mismatch, unsupported key or malformed certificate: not issued by it
        return False
    return True
