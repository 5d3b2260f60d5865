"""Opening the key that signs: a PKCS#12 file or a smart card (PKCS#11), and a demonstration
certificate for trying the flow. What comes back is a ``desktop_app.signing.Signer``; the
password or PIN is used once and not kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def open_p12(path: Path | str, password: str) -> Any:
    """A signer from a PKCS#12 file (.p12/.pfx); the password is used once and not kept."""
    from desktop_app.signing import open_signer

    return open_signer(path, password)


def open_card(module: Path | str, token_label: str, pin: str, key_label: str) -> Any:
    """A signer on a smart card or other PKCS#11 token; close it when done."""
    from desktop_app.signing import open_pkcs11_signer

    return open_pkcs11_signer(module, token_label, pin, key_label)


def create_demo_certificate(name: str, out: Path | str, password: str) -> Any:
    """A self-signed certificate in a PKCS#12 file for trying the flow (svf-report demo-cert)."""
    from desktop_app.signing import make_demo_certificate

    return make_demo_certificate(name, password, Path(out))
