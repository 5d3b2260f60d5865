"""Smart cards found, not typed (issue 13, point 8): the PKCS#11 modules installed in their
usual places (resources/signing/pkcs11-modules.json) or added by the user, the tokens (cards)
present in each, and the certificates on them with a key to sign with.

Listing needs no PIN: the certificates on a card are public objects; the private key with the
same id is used after the PIN has been typed (signer.open_pkcs11_signer). A Swedish explanation
says why nothing was found: no module, a module that cannot be loaded, no reader, no card,
a locked PIN, only expired certificates."""

from __future__ import annotations

import datetime as dt
import fnmatch
import glob
import json
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_app.resources import resources_dir

LOCATIONS_FILE = Path("signing") / "pkcs11-modules.json"
USER_ADDED = "Tillagd av dig"


class CardAccess:
    """One user of the card modules at a time: python-pkcs11 initialises a module without
    locking arguments, which in PKCS#11 means the application calls it from one thread at a
    time. The card search and a signature run in worker threads; a search waits while a card
    signer is open, and opening one waits for a search to end. A wait gives up after
    ``timeout`` seconds (a signer left open must not stop the search for good)."""

    def __init__(self, timeout: float = 30.0) -> None:
        self.timeout = timeout
        self._cond = threading.Condition()
        self._open = 0
        self._scanning = False

    @contextmanager
    def scanning(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._open and not self._scanning, self.timeout)
            self._scanning = True
        try:
            yield
        finally:
            with self._cond:
                self._scanning = False
                self._cond.notify_all()

    def opened(self) -> Callable[[], None]:
        """Count a signer as open; call what is returned when it is closed (once)."""
        with self._cond:
            self._cond.wait_for(lambda: not self._scanning, self.timeout)
            self._open += 1
        done = threading.Event()

        def closed() -> None:
            if done.is_set():
                return
            done.set()
            with self._cond:
                self._open -= 1
                self._cond.notify_all()

        return closed


CARD_ACCESS = CardAccess()


def current_platform() -> str:
    """'windows', 'darwin' or 'linux', the keys of the locations file."""
    if sys.platform.startswith("win"):
        return "windows"
    return "darwin" if sys.platform == "darwin" else "linux"


@dataclass(frozen=True)
class ModuleLocations:
    """The usual install locations of card programs' PKCS#11 modules, per platform."""

    entries: tuple[tuple[str, Mapping[str, tuple[str, ...]]], ...]  # (program name, patterns)
    ignore: tuple[str, ...] = ()

    def patterns(self, platform: str) -> list[tuple[str, str]]:
        """(program name, pattern) in the file's order for one platform."""
        return [(name, p) for name, by in self.entries for p in by.get(platform, ())]

    def ignored(self, path: Path) -> bool:
        return any(fnmatch.fnmatch(path.name.lower(), pat.lower()) for pat in self.ignore)


def load_locations(path: Path | None = None) -> ModuleLocations:
    """The locations file (resources/signing/pkcs11-modules.json unless given)."""
    data = json.loads((path or resources_dir() / LOCATIONS_FILE).read_text(encoding="utf-8"))
    entries = tuple(
        (
            str(m["name"]),
            {k: tuple(v) for k, v in m.items() if k in ("windows", "linux", "darwin")},
        )
        for m in data["modules"]
    )
    return ModuleLocations(entries, tuple(data.get("ignore", ())))


_VAR = re.compile(r"%([^%/\\]+)%|\$\{([^}]+)\}")


def expand(pattern: str, env: Mapping[str, str]) -> str | None:
    """The pattern with %VAR% / ${VAR} replaced from ``env`` (Windows variable names are
    case-insensitive); None when a variable is not set."""
    folded = {k.casefold(): v for k, v in env.items()}
    missing = False

    def value(m: re.Match[str]) -> str:
        nonlocal missing
        got = folded.get((m.group(1) or m.group(2)).casefold())
        if not got:
            missing = True
            return ""
        return got.replace("\\", "/")

    out = _VAR.sub(value, pattern)
    return None if missing else out


@dataclass(frozen=True)
class CardModule:
    """A PKCS#11 module file: where it is and which program it belongs to."""

    path: Path
    name: str
    added_by_user: bool = False

    @property
    def title(self) -> str:
        return f"{self.name} – {self.path}"


def _same_file(seen: set[str], path: Path) -> bool:
    try:
        key = os.path.normcase(os.path.realpath(path))
    except OSError:
        key = os.path.normcase(str(path))
    if key in seen:
        return True
    seen.add(key)
    return False


def _rooted(pattern: str, root: Path | None) -> str:
    """An absolute POSIX pattern under ``root`` (tests look in a folder made to look like /)."""
    return str(root) + pattern if root is not None and pattern.startswith("/") else pattern


def find_modules(
    extra: Iterable[str | Path] = (),
    locations: ModuleLocations | None = None,
    platform: str | None = None,
    env: Mapping[str, str] | None = None,
    root: Path | None = None,
) -> list[CardModule]:
    """The modules the user added (first, as they chose them) and then those found in the
    usual locations, each file once (a symlink and its target are one module). ``root``
    stands in for / (tests)."""
    locations = locations or load_locations()
    platform = platform or current_platform()
    env = os.environ if env is None else env
    seen: set[str] = set()
    out: list[CardModule] = []
    for raw in extra:
        path = Path(raw)
        if str(raw).strip() and not _same_file(seen, path):
            out.append(CardModule(path, USER_ADDED, added_by_user=True))
    for name, pattern in locations.patterns(platform):
        expanded = expand(pattern, env)
        if expanded is None:
            continue
        for hit in sorted(glob.glob(_rooted(expanded, root))):
            path = Path(hit)
            if path.is_file() and not locations.ignored(path) and not _same_file(seen, path):
                out.append(CardModule(path, name))
    return out


def searched_places(
    locations: ModuleLocations | None = None,
    platform: str | None = None,
    env: Mapping[str, str] | None = None,
) -> list[str]:
    """The places looked in, as shown when nothing was found."""
    locations = locations or load_locations()
    env = os.environ if env is None else env
    places = (expand(p, env) for _, p in locations.patterns(platform or current_platform()))
    return [p for p in dict.fromkeys(places) if p]


# ---------------------------------------------------------------- what is on the cards


@dataclass(frozen=True)
class CardKey:
    """A certificate on a card, with the key of the same id that signs."""

    module: Path
    token_label: str
    token_serial: str
    label: str
    key_id: str  # hex of CKA_ID, "" when the card gives none
    subject: str
    issuer: str
    valid_from: dt.datetime
    valid_to: dt.datetime
    for_signing: bool  # key usage allows signatures (non-repudiation), or says nothing
    cert_der: bytes = field(repr=False, default=b"")
    pinpad: bool = False  # the PIN is typed on the reader, not in the program

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from.date() <= day <= self.valid_to.date()

    @property
    def usage(self) -> str:
        return "underskrift" if self.for_signing else "legitimering"

    def validity(self) -> str:
        return f"{self.valid_from:%Y-%m-%d} – {self.valid_to:%Y-%m-%d}"


@dataclass(frozen=True)
class CardToken:
    """A card (token) in a reader, and what can be told without its PIN."""

    label: str
    serial: str
    manufacturer: str
    model: str
    keys: tuple[CardKey, ...] = ()
    pin_locked: bool = False
    pin_final_try: bool = False
    pin_count_low: bool = False
    problem: str = ""  # why the certificates could not be read
    pinpad: bool = False  # CKF_PROTECTED_AUTHENTICATION_PATH: a reader with its own keypad


@dataclass(frozen=True)
class ModuleScan:
    """One module: loaded or not (problem), its readers (slots) and the cards in them."""

    module: CardModule
    slots: int = 0
    tokens: tuple[CardToken, ...] = ()
    problem: str = ""


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return str(value or "").strip().strip("\x00").strip()


def _name_of(name: Any) -> str:
    from cryptography.x509.oid import NameOID

    cn = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(cn[0].value) if cn else str(name.rfc4514_string())


def certificate_key(der: bytes, module: Path, token: CardToken, label: str, key_id: str) -> Any:
    """A CardKey from a certificate on a card, or None for a CA certificate or one that cannot
    be read."""
    from cryptography import x509

    try:
        cert = x509.load_der_x509_certificate(der)
    except ValueError:
        return None
    ext = cert.extensions
    try:
        if ext.get_extension_for_class(x509.BasicConstraints).value.ca:
            return None
    except x509.ExtensionNotFound:
        pass
    try:
        ku = ext.get_extension_for_class(x509.KeyUsage).value
        for_signing = bool(ku.content_commitment)
    except x509.ExtensionNotFound:
        for_signing = True
    return CardKey(
        module=module,
        token_label=token.label,
        token_serial=token.serial,
        label=label,
        key_id=key_id,
        subject=_name_of(cert.subject),
        issuer=_name_of(cert.issuer),
        valid_from=cert.not_valid_before_utc,
        valid_to=cert.not_valid_after_utc,
        for_signing=for_signing,
        cert_der=der,
        pinpad=token.pinpad,
    )


def _read_keys(p11_token: Any, module: Path, token: CardToken) -> tuple[tuple[CardKey, ...], str]:
    from pkcs11 import Attribute, ObjectClass
    from pkcs11 import exceptions as p11_errors

    keys: list[CardKey] = []
    try:
        with p11_token.open() as session:
            for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
                der = bytes(obj[Attribute.VALUE])
                label = _text(obj[Attribute.LABEL])
                try:
                    key_id = bytes(obj[Attribute.ID]).hex()
                except p11_errors.PKCS11Error:
                    key_id = ""
                key = certificate_key(der, module, token, label, key_id)
                if key is not None:
                    keys.append(key)
    except p11_errors.PKCS11Error as exc:
        return (), f"Certifikaten på kortet {token.label} kan inte läsas ({type(exc).__name__})."
    # Signing certificates first, then the latest valid.
    keys.sort(key=lambda k: (not k.for_signing, -k.valid_to.timestamp(), k.label))
    return tuple(keys), ""


def _token(p11_token: Any, module: Path) -> CardToken | None:
    from pkcs11 import TokenFlag

    flags = p11_token.flags
    if not flags & TokenFlag.TOKEN_INITIALIZED:
        return None  # an empty slot of a software token, not a card
    token = CardToken(
        label=_text(p11_token.label),
        serial=_text(p11_token.serial),
        manufacturer=_text(p11_token.manufacturer_id),
        model=_text(p11_token.model),
        pin_locked=bool(flags & TokenFlag.USER_PIN_LOCKED),
        pin_final_try=bool(flags & TokenFlag.USER_PIN_FINAL_TRY),
        pin_count_low=bool(flags & TokenFlag.USER_PIN_COUNT_LOW),
        pinpad=bool(flags & TokenFlag.PROTECTED_AUTHENTICATION_PATH),
    )
    keys, problem = _read_keys(p11_token, module, token)
    return CardToken(**{**token.__dict__, "keys": keys, "problem": problem})


def scan_module(module: CardModule) -> ModuleScan:
    """Load one module and list its readers and the cards in them; a module that cannot be
    loaded is a ModuleScan with a Swedish problem, never an exception."""
    try:
        import pkcs11
        from pkcs11 import exceptions as p11_errors
    except ImportError:  # pragma: no cover - python-pkcs11 is a dependency
        return ModuleScan(module, problem="Stöd för smarta kort (PKCS#11) saknas i installationen.")
    if not module.path.is_file():
        return ModuleScan(module, problem=f"Modulen {module.path} finns inte (längre).")
    try:
        lib = pkcs11.lib(str(module.path))
        slots = lib.get_slots()
    except (p11_errors.PKCS11Error, OSError, RuntimeError) as exc:
        return ModuleScan(
            module,
            problem=f"Modulen {module.path.name} kan inte laddas: den är ingen PKCS#11-modul, "
            f"eller hör till ett annat system (32/64 bitar) ({type(exc).__name__}).",
        )
    tokens: list[CardToken] = []
    for slot in slots:
        try:
            p11_token = slot.get_token()
        except (p11_errors.TokenNotPresent, p11_errors.TokenNotRecognised):
            continue
        except p11_errors.PKCS11Error:
            continue
        token = _token(p11_token, module.path)
        if token is not None:
            tokens.append(token)
    return ModuleScan(module, slots=len(slots), tokens=tuple(tokens))


@dataclass(frozen=True)
class CardScan:
    """Every module looked at, in order, and what was found in each."""

    modules: tuple[ModuleScan, ...]
    places: tuple[str, ...] = ()

    def all_keys(self) -> list[CardKey]:
        """Every key once: a card that two modules see (the vendor's and OpenSC, or one
        module installed twice) is listed through the first."""
        seen: set[tuple[str, str, str, bytes]] = set()
        out = []
        for m in self.modules:
            for t in m.tokens:
                for k in t.keys:
                    same = (k.token_serial, k.token_label, k.key_id, k.cert_der)
                    if same not in seen:
                        seen.add(same)
                        out.append(k)
        return out

    def tokens(self) -> list[CardToken]:
        return [t for m in self.modules for t in m.tokens]

    def usable(self, today: dt.date) -> list[CardKey]:
        """The keys that can sign today: a valid certificate on a card whose PIN is not
        locked."""
        locked = {(t.serial, t.label) for t in self.tokens() if t.pin_locked}
        return [
            k
            for k in self.all_keys()
            if (k.token_serial, k.token_label) not in locked and k.valid_on(today)
        ]

    def explanation(self, today: dt.date) -> str:
        """Why there is no key to sign with, in Swedish; "" when there is one."""
        if self.usable(today):
            return ""
        if not self.modules:
            return (
                "Inget program för smarta kort (PKCS#11-modul) hittades på datorn. Installera "
                "kortets program (t.ex. Net iD eller SITHS eID), eller välj modulen med "
                "Lägg till modul…"
            )
        loaded = [m for m in self.modules if not m.problem]
        if not loaded:
            return "Ingen av modulerna kunde laddas. " + " ".join(m.problem for m in self.modules)
        tokens = self.tokens()
        keys = self.all_keys()
        if not tokens:
            if not any(m.slots for m in loaded):
                return (
                    "Ingen kortläsare hittades. Anslut kortläsaren (eller sätt i USB-token), "
                    "vänta några sekunder och sök igen."
                )
            return "Inget kort sitter i läsaren. Sätt i kortet och sök igen."
        locked = [t for t in tokens if t.pin_locked]
        if locked:
            names = ", ".join(t.label for t in locked)
            return (
                f"Kortet {names} är låst efter för många felaktiga PIN-koder. Lås upp det med "
                "PUK-koden i kortets program, eller vänd dig till den som utfärdade kortet."
            )
        if not keys:
            problems = " ".join(t.problem for t in tokens if t.problem)
            names = ", ".join(t.label for t in tokens)
            return (problems or f"Kortet {names} har inget certifikat att signera med.").strip()
        last = max(k.valid_to for k in keys)
        return (
            f"Certifikaten på kortet gäller inte i dag (det senaste gällde till {last:%Y-%m-%d}). "
            "Beställ ett nytt kort eller certifikat."
        )


def scan_cards(
    extra: Iterable[str | Path] = (),
    locations: ModuleLocations | None = None,
    platform: str | None = None,
    env: Mapping[str, str] | None = None,
    root: Path | None = None,
) -> CardScan:
    """Find the modules and look in each for cards and their certificates."""
    modules = find_modules(extra, locations, platform, env, root)
    with CARD_ACCESS.scanning():
        scans = tuple(scan_module(m) for m in modules)
    return CardScan(scans, tuple(searched_places(locations, platform, env)))
