"""One signer type for both key stores: a PKCS#12 file (.p12/.pfx) or a PKCS#11 token such as a
SITHS card (cf. pyHanko's ``Signer`` and Electrum's keystores). Passwords and PINs are used once
and never kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from desktop_app.signing.errors import KeyFileError, SigningError


class Signer:
    """A private key with its certificate, ready to sign. Close it when done (a PKCS#11 session
    stays open until then); usable as a context manager."""

    def __init__(self, impl: Any, source: str, closer: Callable[[], None] | None = None) -> None:
        self._impl = impl  # pyHanko signer; never leaves desktop_app.signing
        self.source = source
        self._closer = closer

    @property
    def subject_name(self) -> str:
        """The certificate holder's name (common name, else the whole subject)."""
        return _common_name(self._impl.signing_cert)

    @property
    def issuer_name(self) -> str:
        return _common_name(self._impl.signing_cert, issuer=True)

    @property
    def certificate_der(self) -> bytes:
        return bytes(self._impl.signing_cert.dump())

    def close(self) -> None:
        if self._closer is not None:
            closer, self._closer = self._closer, None
            closer()

    def __enter__(self) -> Signer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _common_name(cert: Any, issuer: bool = False) -> str:
    name = cert.issuer if issuer else cert.subject
    native = name.native
    cn = native.get("common_name") if isinstance(native, dict) else None
    if isinstance(cn, list):
        cn = cn[0]
    return str(cn) if cn else name.human_friendly


def open_signer(p12_path: Path | str, password: str | bytes) -> Signer:
    """Open a PKCS#12 file. Swedish errors: missing file (exit 2), wrong password or not a
    PKCS#12 file (exit 2), no private key or certificate in it (exit 1)."""
    from pyhanko.sign.signers import SimpleSigner

    path = Path(p12_path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise KeyFileError(f"Certifikatfilen {path} finns inte.") from None
    except OSError as exc:
        raise KeyFileError(f"Certifikatfilen {path} kan inte läsas: {exc.strerror}.") from None
    secret = password.encode("utf-8") if isinstance(password, str) else password
    try:
        impl = SimpleSigner.load_pkcs12_data(data, other_certs=None, passphrase=secret or None)
    except (ValueError, TypeError):
        raise KeyFileError(
            f"Certifikatfilen {path.name} kan inte öppnas: fel lösenord, eller så är filen "
            "ingen PKCS#12-fil (.p12/.pfx)."
        ) from None
    if impl.signing_cert is None or impl.signing_key is None:
        raise SigningError(f"Certifikatfilen {path.name} saknar privat nyckel eller certifikat.")
    return Signer(impl, source=str(path))


def _pinpad(module: str, token_label: str) -> Any:
    """pkcs11.PROTECTED_AUTH when no PIN was typed and the card's reader has a keypad of its
    own (the PIN is typed there), else None."""
    import pkcs11

    try:
        token = pkcs11.lib(module).get_token(token_label=token_label)
    except pkcs11.PKCS11Error:
        return None  # open_pkcs11_session says why in a moment
    if token.flags & pkcs11.TokenFlag.PROTECTED_AUTHENTICATION_PATH:
        return pkcs11.PROTECTED_AUTH
    return None


def open_pkcs11_signer(
    module: Path | str, token_label: str, pin: str | None, key_label: str, key_id: str = ""
) -> Signer:
    """Open a key on a PKCS#11 token (smart card, SoftHSM) by token and key label; the
    certificate is the one stored under the same label. With ``key_id`` (hex of CKA_ID, as
    signing.cards lists it) key and certificate are found by id instead, as cards pair them.
    The session stays open until ``Signer.close()``. Without a PIN, a reader with a keypad
    asks for it itself."""
    try:
        from pkcs11 import exceptions as p11_errors
        from pyhanko.sign import pkcs11 as p11
    except ImportError:  # pragma: no cover - python-pkcs11 is a dependency
        raise KeyFileError("Stöd för smarta kort (PKCS#11) saknas i installationen.") from None

    lib = Path(module)
    if not lib.exists():
        raise KeyFileError(f"PKCS#11-modulen {lib} finns inte.")
    from desktop_app.signing.cards import CARD_ACCESS

    release = CARD_ACCESS.opened()  # no card search while this signer is open
    try:
        return _open_session_signer(p11, p11_errors, lib, token_label, pin, key_label, key_id,
                                    release)  # fmt: skip
    except BaseException:
        release()
        raise


def _open_session_signer(
    p11: Any, p11_errors: Any, lib: Path, token_label: str, pin: str | None, key_label: str,
    key_id: str, release: Callable[[], None],
) -> Signer:  # fmt: skip
    try:
        session = p11.open_pkcs11_session(
            str(lib),
            token_criteria=p11.TokenCriteria(label=token_label),
            user_pin=pin or _pinpad(str(lib), token_label) or pin,
        )
    except p11_errors.PinIncorrect:
        raise SigningError(f"Fel PIN-kod för kortet {token_label}.") from None
    except p11_errors.PinLocked:
        raise SigningError(
            f"Kortet {token_label} är låst efter för många felaktiga PIN-koder."
        ) from None
    except p11.PKCS11Error:
        raise SigningError(
            f"Inget kort med namnet {token_label} hittades. Sitter kortet i läsaren?"
        ) from None
    except p11_errors.PKCS11Error as exc:
        raise SigningError(
            f"Kortet {token_label} kan inte öppnas ({type(exc).__name__})."
        ) from None
    except OSError:
        raise KeyFileError(
            f"PKCS#11-modulen {lib} kan inte laddas: filen saknas eller är ingen "
            "PKCS#11-modul för den här datorn (t.ex. ett 32-bitarsprogram)."
        ) from None
    try:
        if key_id:
            ident = bytes.fromhex(key_id)
            impl = p11.PKCS11Signer(session, key_id=ident, cert_id=ident)
        else:
            impl = p11.PKCS11Signer(session, key_label=key_label, cert_label=key_label)
        impl.signing_cert  # noqa: B018 - loads key and certificate now, to fail early
    except Exception:
        session.close()
        raise SigningError(
            f"Kortet {token_label} har ingen nyckel med certifikat som heter {key_label}."
        ) from None

    def close() -> None:
        try:
            session.close()
        finally:
            release()

    return Signer(impl, source=f"pkcs11:{token_label}/{key_label}", closer=close)
