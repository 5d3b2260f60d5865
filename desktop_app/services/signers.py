"""Opening the key that signs: a PKCS#12 file or a smart card (PKCS#11), and a demonstration
certificate for trying the flow. What comes back is a ``desktop_app.signing.Signer``; the
password or PIN is used once and not kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.domain.errors import UserError
from desktop_app.domain.vocabulary import InboxEvent, Role, SignerKind, label

if TYPE_CHECKING:
    from desktop_app.services.bootstrap import AppContext


def open_p12(path: Path | str, password: str) -> Any:
    """A signer from a PKCS#12 file (.p12/.pfx); the password is used once and not kept."""
    from desktop_app.signing import open_signer

    return open_signer(path, password)


def open_card(
    module: Path | str, token_label: str, pin: str, key_label: str, key_id: str = ""
) -> Any:
    """A signer on a smart card or other PKCS#11 token (the key by label, or by id as the card
    list gives it); close it when done."""
    from desktop_app.signing import open_pkcs11_signer

    return open_pkcs11_signer(module, token_label, pin, key_label, key_id)


def create_demo_certificate(name: str, out: Path | str, password: str) -> Any:
    """A self-signed certificate in a PKCS#12 file for trying the flow (svf-report demo-cert)."""
    from desktop_app.signing import make_demo_certificate

    return make_demo_certificate(name, password, Path(out))


# ---------------------------------------------------------------- the RCC's signer register
# (issue 11): which certificates, or which CA plus organisation identifier, may sign for a
# region and in which roles. Registering is explicit and logged with the OS user and time.

SIGNING_ROLES = (Role.CERTIFICATION, Role.REPRESENTATIVE)


def os_user() -> str:
    """The operating system user (who registered or decided), for the log."""
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment: still log the decision
        return "okänd användare"


@dataclass(frozen=True)
class RegisteredSigner:
    """One registration, as listed."""

    id: int
    region_code: str
    roles: tuple[Role, ...]
    kind: SignerKind
    subject: str
    cert_sha256: str
    organisation_id: str | None
    registered_by: str
    registered_at: datetime
    cert_der: bytes

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "region": self.region_code,
            "roles": [str(r) for r in self.roles],
            "kind": str(self.kind),
            "subject": self.subject,
            "cert_sha256": self.cert_sha256,
            "organisation_id": self.organisation_id,
            "registered_by": self.registered_by,
            "registered_at": self.registered_at.isoformat(),
        }

    def describe(self) -> str:
        roles = " och ".join(label(r) for r in self.roles)
        what = (
            f"utfärdare {self.subject}, organisationsidentitet {self.organisation_id}"
            if self.kind == SignerKind.CA
            else f"certifikat {self.subject} ({self.cert_sha256[:16]}…)"
        )
        return (
            f"{self.id}: region {self.region_code}, {roles}: {what}; registrerad av "
            f"{self.registered_by} {self.registered_at:%Y-%m-%d %H:%M}"
        )


def _registered(rec: Any) -> RegisteredSigner:
    return RegisteredSigner(
        rec.id,
        rec.region_code,
        tuple(Role(r) for r in rec.roles),
        SignerKind(rec.kind),
        rec.subject,
        rec.cert_sha256,
        rec.organisation_id,
        rec.registered_by,
        rec.registered_at,
        rec.cert_der,
    )


@dataclass(frozen=True)
class SignerRegister:
    """The register as verification uses it: whether a signature's certificate is bound to a
    region in a role, and the registered CAs (which are trust anchors as well)."""

    signers: tuple[RegisteredSigner, ...] = ()

    def anchors(self) -> tuple[bytes, ...]:
        return tuple(s.cert_der for s in self.signers if s.kind == SignerKind.CA)

    def pinned(self, cert_sha256: str) -> bool:
        """Whether this exact certificate is registered (for some region)."""
        return any(
            s.kind == SignerKind.CERTIFICATE and s.cert_sha256 == cert_sha256 for s in self.signers
        )

    def matches(self, s: RegisteredSigner, cert_der: bytes, cert_sha256: str) -> bool:
        from desktop_app.signing.certs import certificate_facts, issued_by

        if s.kind == SignerKind.CERTIFICATE:
            return s.cert_sha256 == cert_sha256
        if not cert_der or not s.organisation_id or not issued_by(cert_der, s.cert_der):
            return False
        ids = certificate_facts(cert_der).organisation_ids
        return any(i == s.organisation_id or i.startswith(s.organisation_id + "-") for i in ids)

    def bound(self, region: str, role: Role, cert_der: bytes, cert_sha256: str) -> bool:
        """Whether the certificate is registered for ``region`` in ``role``."""
        return any(
            s.region_code == region and role in s.roles and self.matches(s, cert_der, cert_sha256)
            for s in self.signers
        )

    def regions_of(self, cert_der: bytes, cert_sha256: str) -> list[str]:
        """The regions the certificate is registered for (any role)."""
        return sorted(
            {s.region_code for s in self.signers if self.matches(s, cert_der, cert_sha256)}
        )


def load_register(ctx: AppContext) -> SignerRegister:
    """The RCC's register as stored."""
    with ctx.uow() as uow:
        return SignerRegister(tuple(_registered(r) for r in uow.inbox.signers()))


def list_signers(ctx: AppContext, region: str | None = None) -> list[RegisteredSigner]:
    """The registrations (of one region, or all)."""
    from desktop_app.domain.reference import normalize_region_code

    code = normalize_region_code(region) if region else None
    with ctx.uow() as uow:
        return [_registered(r) for r in uow.inbox.signers(code)]


def add_signer(
    ctx: AppContext,
    region: str,
    cert_der: bytes,
    roles: tuple[Role, ...] = SIGNING_ROLES,
    organisation_id: str | None = None,
) -> RegisteredSigner:
    """Register a certificate (or a CA with ``organisation_id``) for ``region`` in ``roles``,
    logged with the OS user and the time. UserError for a CA without an organisation id."""
    from desktop_app.domain.reference import load_reference, normalize_region_code
    from desktop_app.signing.certs import certificate_facts

    code = normalize_region_code(region)
    load_reference().region(code)  # an unknown region is a UserError
    facts = certificate_facts(cert_der)
    org = (organisation_id or "").strip() or None
    kind = SignerKind.CA if facts.is_ca else SignerKind.CERTIFICATE
    if kind == SignerKind.CA and org is None:
        raise UserError(
            f"{facts.subject} är en utfärdare (CA): ange den organisationsidentitet som "
            "regionens certifikat bär (--org-id, t.ex. organisationsnumret eller HSA-id:ts början)."
        )
    if not roles:
        raise UserError("Ange minst en roll (certification eller representative).")
    who, now = os_user(), datetime.now().replace(microsecond=0)
    with ctx.uow() as uow:
        new_id = uow.inbox.add_signer(
            code, tuple(str(r) for r in roles), str(kind), facts.sha256, facts.der,
            facts.subject, org, who, now,
        )  # fmt: skip
        uow.inbox.log(None, str(InboxEvent.SIGNER_ADDED), f"{code}:{facts.sha256}", "", who, now)
        uow.commit()
    _reverify(ctx, code)
    return RegisteredSigner(
        new_id, code, roles, kind, facts.subject, facts.sha256, org, who, now, facts.der
    )


def remove_signer(ctx: AppContext, signer_id: int) -> None:
    """Remove a registration (logged); UserError when there is none with this id."""
    who, now = os_user(), datetime.now().replace(microsecond=0)
    with ctx.uow() as uow:
        region = next((s.region_code for s in uow.inbox.signers() if s.id == signer_id), None)
        if region is None or not uow.inbox.remove_signer(signer_id):
            raise UserError(f"Det finns ingen registrerad underskrivare med id {signer_id}.")
        uow.inbox.log(None, str(InboxEvent.SIGNER_REMOVED), str(signer_id), "", who, now)
        uow.commit()
    _reverify(ctx, region)


def _reverify(ctx: AppContext, region: str) -> None:
    """The region's received files judged again with the register as it is now."""
    from desktop_app.services.inbox_import import reverify_region

    reverify_region(ctx, region)


def signer_certificates_of_pdf(
    data: bytes, name: str, role: Role | None = None
) -> list[tuple[Role, bytes]]:
    """The (role, certificate) of each intact signature of a signed report PDF, of ``role``
    only when given; UserError when there is none."""
    from desktop_app.signing import UnreadablePdfError, inspect_pdf

    try:
        insp = inspect_pdf(data)
    except UnreadablePdfError as exc:
        raise UserError(f"{name}: {exc}") from None
    out = [
        (s.role, s.cert_der)
        for s in insp.signatures
        if s.ok and s.cert_der and s.role in SIGNING_ROLES and (role is None or s.role == role)
    ]
    if not out:
        which = f" i rollen {label(role)}" if role else ""
        raise UserError(f"{name} har ingen intakt underskrift{which} att registrera.")
    return out


def create_demo_ca(out: Path | str, regions: list[str], password: str) -> Any:
    """A test CA and per region and role a signer certificate carrying the region's
    organisation identifier (svf-report demo-ca); see signing.certs.make_demo_ca."""
    from desktop_app.domain.reference import load_reference, normalize_region_code
    from desktop_app.signing.certs import make_demo_ca

    ref = load_reference()
    codes = [normalize_region_code(r) for r in regions] or [r.code for r in ref.regions]
    return make_demo_ca(Path(out), {c: ref.region(c).name for c in codes}, password)


def read_certificate(path: Path | str) -> bytes:
    """The certificate (DER) of a PEM or DER file, for ``add_signer``; UserError otherwise."""
    from desktop_app.signing.certs import read_certificate_file

    return read_certificate_file(Path(path))


def trust_signers_of_entry(ctx: AppContext, entry_id: int) -> list[RegisteredSigner]:
    """ "Lita på denna underskrivare för Region X": register each intact signature of a
    received file for the file's region, in the role it signed."""
    from desktop_app.services.inbox_queries import entry_file, get_entry

    entry = get_entry(ctx, entry_id)
    if not entry.region_code:
        raise UserError(f"{entry.file_name} anger ingen region.")
    found = signer_certificates_of_pdf(entry_file(ctx, entry), entry.file_name)
    known = {(s.cert_sha256, r) for s in list_signers(ctx, entry.region_code) for r in s.roles}
    out = []
    for role, der in found:
        from desktop_app.signing.certs import certificate_facts

        if (certificate_facts(der).sha256, role) in known:
            continue
        out.append(add_signer(ctx, entry.region_code, der, (role,)))
    return out


# ---------------------------------------------------------------- trust anchors (CA folder)


def trust_folder() -> Path:
    """The folder of trusted CA certificates ($SVF_TRUST_DIR, else 'betrodda-certifikat' in
    the user's settings folder), whether or not it exists yet."""
    import os

    from platformdirs import user_config_dir

    from desktop_app.services.verification import ENV_TRUST_DIR
    from desktop_app.storage.db import APP_NAME

    env = os.environ.get(ENV_TRUST_DIR)
    if env:
        return Path(env).expanduser()
    return Path(user_config_dir(APP_NAME, appauthor=False)) / "betrodda-certifikat"


@dataclass(frozen=True)
class TrustAnchor:
    file_name: str
    subject: str
    sha256: str


def trust_anchors(folder: Path | None = None) -> list[TrustAnchor]:
    """The readable CA certificates in the trust folder."""
    from desktop_app.signing.certs import TRUST_SUFFIXES, certificate_facts, read_certificate_file

    folder = folder or trust_folder()
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in TRUST_SUFFIXES and path.is_file():
            try:
                facts = certificate_facts(read_certificate_file(path))
            except UserError:
                continue
            out.append(TrustAnchor(path.name, facts.subject, facts.sha256))
    return out


def add_trust_anchor(source: Path | str, folder: Path | None = None) -> TrustAnchor:
    """Copy a CA certificate into the trust folder (created if needed)."""
    from desktop_app.signing.certs import certificate_facts, read_certificate_file

    src = Path(source)
    facts = certificate_facts(read_certificate_file(src))
    if not facts.is_ca:
        raise UserError(f"{src.name} är inte ett utfärdarcertifikat (CA).")
    folder = folder or trust_folder()
    name = f"{facts.sha256[:16]}.der"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(facts.der)
    except OSError as exc:
        raise UserError(f"Mappen {folder} kan inte skrivas: {exc.strerror}.") from None
    return TrustAnchor(name, facts.subject, facts.sha256)


def remove_trust_anchor(file_name: str, folder: Path | None = None) -> None:
    """Remove a CA certificate from the trust folder."""
    folder = folder or trust_folder()
    path = folder / Path(file_name).name
    try:
        path.unlink()
    except FileNotFoundError:
        raise UserError(f"{file_name} finns inte i mappen med betrodda certifikat.") from None
    except OSError as exc:
        raise UserError(f"{file_name} kan inte tas bort: {exc.strerror}.") from None
