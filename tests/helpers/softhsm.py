"""A SoftHSM2 token holding a key and its certificate from a PKCS#12 file: a smart card for
tests. Skips the test cleanly when SoftHSM2 is not installed (apt-get install softhsm2)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

MODULE_CANDIDATES = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/local/lib/softhsm/libsofthsm2.so",
)


def softhsm_module() -> str | None:
    """The SoftHSM2 module ($SOFTHSM2_MODULE, else its Debian/Ubuntu places), or None."""
    candidates = (os.environ.get("SOFTHSM2_MODULE", ""), *MODULE_CANDIDATES)
    return next((c for c in candidates if c and Path(c).exists()), None)


def require_softhsm() -> str:
    module = softhsm_module()
    if module is None or shutil.which("softhsm2-util") is None:
        pytest.skip("SoftHSM2 är inte installerat (apt-get install softhsm2): PKCS#11 testas inte")
    return module


def reset_softhsm() -> None:
    """Finalise SoftHSM2 if it is loaded: python-pkcs11 keeps one library object per path,
    initialised once, and SoftHSM2 reads $SOFTHSM2_CONF only when initialised. A test that
    points $SOFTHSM2_CONF at its own token folder calls this before and after."""
    import pkcs11

    loaded = getattr(pkcs11, "_loaded", {})  # python-pkcs11's cache, by path
    for lib in list(loaded.values()):
        if "softhsm" in str(lib.so) and lib.initialized:
            lib.finalize()


@pytest.fixture
def fresh_softhsm():
    """SoftHSM2 re-reads $SOFTHSM2_CONF in this test, and the next test starts clean."""
    require_softhsm()
    reset_softhsm()
    yield
    reset_softhsm()


def make_token(
    folder: Path, p12: Path, password: str, label: str = "svf-kort", pin: str = "1234",
    key_label: str = "underskrift", cert_label: str | None = None, key_id: bytes = b"\x42",
) -> Path:  # fmt: skip
    """Initialise a token in ``folder`` and put the key and certificate of ``p12`` on it (the
    certificate under ``cert_label``, by default the key's label, with the same id). Returns
    the softhsm2.conf to set as $SOFTHSM2_CONF."""
    import pkcs11
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        pkcs12,
    )
    from pkcs11 import Attribute, CertificateType, ObjectClass

    module = require_softhsm()
    (folder / "tokens").mkdir(parents=True, exist_ok=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n"
        "log.level = ERROR\n"
    )
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    key, cert, _ = pkcs12.load_key_and_certificates(p12.read_bytes(), password.encode())
    assert key is not None and cert is not None
    pem = folder / "key.pem"
    pem.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    run = dict(check=True, capture_output=True, env=env)
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin,
         "--so-pin", "5678"], **run,
    )  # fmt: skip
    subprocess.run(
        ["softhsm2-util", "--import", str(pem), "--token", label, "--label", key_label,
         "--id", key_id.hex(), "--pin", pin], **run,
    )  # fmt: skip
    pem.unlink()
    old = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    reset_softhsm()
    try:
        der = cert.public_bytes(Encoding.DER)
        token = pkcs11.lib(module).get_token(token_label=label)
        with token.open(rw=True, user_pin=pin) as session:
            session.create_object(
                {
                    Attribute.CLASS: ObjectClass.CERTIFICATE,
                    Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                    Attribute.TOKEN: True,
                    Attribute.PRIVATE: False,
                    Attribute.LABEL: cert_label or key_label,
                    Attribute.ID: key_id,
                    Attribute.VALUE: der,
                    Attribute.SUBJECT: asn1_x509.Certificate.load(der).subject.dump(),
                }
            )
    finally:
        reset_softhsm()
        if old is None:
            os.environ.pop("SOFTHSM2_CONF", None)
        else:
            os.environ["SOFTHSM2_CONF"] = old
    return conf
