"""Subcommands for export, certification, signature, verification and import of the signed
PDF (issue 5). ``register(sub, add)`` is called once from ``cli.build_parser``.

Passwords come from $SVF_P12_PASSWORD (PINs from $SVF_PKCS11_PIN), else a prompt when standard
input is a terminal; they are never stored or printed."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import UserError

ENV_PASSWORD = "SVF_P12_PASSWORD"
ENV_PIN = "SVF_PKCS11_PIN"


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _ctx(args: argparse.Namespace) -> Any:
    from desktop_app.services.bootstrap import bootstrap

    return bootstrap(getattr(args, "db", None))


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' är inget datum (ÅÅÅÅ-MM-DD)") from None


def _secret(env: str, prompt: str, what: str) -> str:
    value = os.environ.get(env)
    if value:
        return value
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(prompt)
    raise UserError(f"{what} saknas: ange det i miljövariabeln {env}.")


def _new_password() -> str:
    value = os.environ.get(ENV_PASSWORD)
    if value:
        return value
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass("Nytt lösenord för certifikatfilen: ")
        if first != getpass.getpass("Samma lösenord igen: "):
            raise UserError("Lösenorden är inte lika.")
        return first
    raise UserError(f"Lösenordet saknas: ange det i miljövariabeln {ENV_PASSWORD}.")


def _signer(args: argparse.Namespace) -> Any:
    from desktop_app.services.signers import open_card, open_p12

    if args.p12 is not None:
        password = _secret(ENV_PASSWORD, f"Lösenord för {args.p12.name}: ", "Lösenordet")
        return open_p12(args.p12, password)
    if args.token and args.key:
        module, token, label, key_id = args.pkcs11, args.token, args.key, ""
        if module == AUTO_MODULE:
            raise UserError("Med --token och --key behövs modulens fil: --pkcs11 MODUL.")
    elif args.token or args.key:
        raise UserError("Ange både --token och --key, eller ingen av dem (kortet väljs då själv).")
    else:
        key = _only_card_key(args.pkcs11)
        module, token, label, key_id = key.module, key.token_label, key.label, key.key_id
    pin = _secret(ENV_PIN, f"PIN-kod för kortet {token}: ", "PIN-koden")
    return open_card(module, token, pin, label, key_id)


AUTO_MODULE = Path("")  # --pkcs11 without a file: the modules found in their usual places


def _only_card_key(module: Path) -> Any:
    """The one key that can sign today on the cards found (in ``module``, or in the modules'
    usual places); a Swedish message naming the choices when there is none or several."""
    import datetime as dt

    from desktop_app.services.cards import key_text, scan

    if module != AUTO_MODULE and not module.is_file():
        raise UserError(f"PKCS#11-modulen {module} finns inte.")
    found = scan([module] if module != AUTO_MODULE else [])
    if module != AUTO_MODULE:
        found = type(found)(
            tuple(m for m in found.modules if Path(m.module.path).resolve() == module.resolve())
        )
    today = dt.date.today()
    keys = found.usable(today)
    signing = [k for k in keys if k.for_signing] or keys
    if not signing:
        raise UserError(found.explanation(today) or "Inget kort att signera med hittades.")
    if len(signing) > 1:
        choices = "; ".join(
            f"--token {k.token_label!r} --key {k.label!r} ({key_text(k)})" for k in signing
        )
        raise UserError(f"Flera nycklar kan signera; välj en med --token och --key: {choices}.")
    return signing[0]


def _key_args(sp: argparse.ArgumentParser) -> None:
    key = sp.add_mutually_exclusive_group(required=True)
    key.add_argument(
        "--p12",
        type=Path,
        metavar="FIL",
        help="certifikatfil (.p12/.pfx); lösenord från $SVF_P12_PASSWORD",
    )
    key.add_argument(
        "--pkcs11",
        type=Path,
        nargs="?",
        const=AUTO_MODULE,
        metavar="MODUL",
        help="smart kort (t.ex. SITHS): utan MODUL letar programmet efter kortprogrammen där de "
        "brukar installeras; utan --token/--key väljs kortets enda signeringsnyckel",
    )
    sp.add_argument("--token", metavar="NAMN", help="kortets (tokenens) namn, med --pkcs11")
    sp.add_argument("--key", metavar="NAMN", help="nyckelns namn på kortet, med --pkcs11")


# ---------------------------------------------------------------- commands


def cmd_export(args: argparse.Namespace) -> int:
    from desktop_app.services.exports import export_pdf

    ctx = _ctx(args)
    r = export_pdf(ctx, args.report, args.out, args.xlsx)
    _out(
        f"Skrev {r.pdf} ({r.pages} sidor, {r.size // 1024} kB) med redovisningens data bifogade "
        "(svf-report.json)."
    )
    if r.xlsx:
        _out(f"Skrev {r.xlsx}.")
    return 0


def cmd_certify(args: argparse.Namespace) -> int:
    from desktop_app.services.signing import CertificationRequest, certify_file

    request = CertificationRequest(
        alternative=args.alt,
        name=args.name,
        title=args.title,
        phone=args.phone,
        email=args.email,
        deviations=args.deviations or "",
        actions=args.actions or "",
    )
    problems = request.problems()
    if problems:  # before asking for a password
        from desktop_app.services.signing import CertificationRefused

        raise CertificationRefused(
            "Intygandet kan inte göras:\n" + "\n".join(f"  – {p}" for p in problems)
        )
    with _signer(args) as signer:
        certify_file(args.file, args.out, signer, request, args.date or date.today())
        who = signer.subject_name
    _out(
        f"Skrev {args.out}: ekonomichefens intygande (Alt {args.alt}) av {args.name}, "
        f"undertecknat med certifikatet för {who}. Nästa steg: behörig företrädare skriver "
        "under (svf-report sign)."
    )
    return 0


def cmd_sign(args: argparse.Namespace) -> int:
    from desktop_app.services.signing import sign_file

    with _signer(args) as signer:
        sign_file(args.file, args.out, signer, args.name, args.date or date.today())
        who = signer.subject_name
    _out(f"Skrev {args.out}: underskriven av {args.name} (certifikat för {who}).")
    return 0


def _print_verification(v: Any) -> None:
    from desktop_app.domain.vocabulary import Verdict, label

    if not v.readable:
        _out(f"{v.path}: KAN INTE LÄSAS – {'; '.join(v.problems)}")
        return
    signed = "RCC:s sammanställning, underskriven" if v.compilation else "intygad och underskriven"
    head = f"GILTIG – {signed}" if v.ok else "OGILTIG"
    _out(f"{v.path}: {head}")
    if v.region_name:
        _out(
            f"  {v.region_name} ({v.region_code}), {v.year}, mall {v.template_id}, "
            f"version {v.report_version}"
        )
    for s in v.signatures:
        when = s.signing_time.astimezone().strftime("%Y-%m-%d %H:%M") if s.signing_time else "–"
        state = "intakt" if s.ok else "BRUTEN" if not s.intact else "OGILTIG"
        cover = (
            "täcker hela filen"
            if s.coverage == "entire_file"
            else f"täcker revision {s.signed_revision + 1} av {v.revisions}"
        )
        trust = "betrodd" if s.trusted else "ej betrodd"
        name = f" ({s.claimed_name})" if s.claimed_name and s.claimed_name != s.signer_name else ""
        _out(
            f"  {s.role_label[:1].upper()}{s.role_label[1:]}: {s.signer_name}{name}, {when}, {state}, {cover}, "
            f"{trust} [fält {s.field_name}]"
        )
    cert = v.certification
    if cert is not None:
        alt = "Alt 1 – korrekt" if cert.alternative == 1 else "Alt 2 – inte korrekt"
        match = (
            "stämmer med de ekonomiska uppgifterna"
            if v.certification_matches
            else "STÄMMER INTE med de ekonomiska uppgifterna"
        )
        _out(f"  Intygande: {alt}, {cert.name} ({cert.title}) {cert.certified_on} – {match}")
    if v.criteria:
        _out(
            "  Villkor (beräknade ur de bifogade siffrorna): "
            + "; ".join(f"{c.label} {label(c.status, Verdict).lower()}" for c in v.criteria)
        )
    for p in v.problems:
        _out(f"  FEL: {p}")
    for n in v.notes:
        _out(f"  Obs: {n}")


def cmd_verify(args: argparse.Namespace) -> int:
    from desktop_app.services.signing import default_trust_dir, verify_files

    trust = args.trust if args.trust is not None else default_trust_dir()
    from desktop_app.cli_round import verify_packages  # packages to Socialstyrelsen (11.7)

    package_code, args.files = verify_packages(args, trust)
    if not args.files:
        return package_code
    register = _register_for_verify(args)
    results = verify_files(
        args.files, trust, require_trusted=args.require_trusted, register=register
    )
    code = max([package_code] + [r.exit_code for r in results])
    if args.json:
        payload = {
            "exit_code": code,
            "trust_dir": str(trust) if trust else None,
            "files": [r.to_dict() for r in results],
        }
        _out(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for r in results:
            _print_verification(r)
            _print_bindings(r, register is not None)
    return code


def _register_for_verify(args: argparse.Namespace) -> Any:
    """The RCC's signer register when a database is named (--db or $SVF_REPORT_DB)."""
    if getattr(args, "db", None) is None and not os.environ.get("SVF_REPORT_DB"):
        return None
    from desktop_app.services.signers import load_register

    ctx = _ctx(args)
    try:
        return load_register(ctx)
    finally:
        ctx.close()


def _print_bindings(v: Any, bound_known: bool) -> None:
    for b in v.bindings:
        if b.role is None:
            continue
        from desktop_app.domain.vocabulary import label

        parts = [
            "intakt" if b.intact else "INTE intakt",
            "betrodd" if b.trusted else "ej betrodd",
        ]
        if bound_known:
            parts.append(
                f"registrerad för regionen i rollen {label(b.role)}"
                if b.bound
                else "INTE registrerad för regionen i denna roll"
                + (f" (registrerad för {', '.join(b.registered_for)})" if b.registered_for else "")
            )
        _out(
            f"  {label(b.role)[:1].upper()}{label(b.role)[1:]} ({b.signer_name}): {', '.join(parts)}"
        )
    if v.distinct_keys is not None:
        _out(
            "  Rollerna är underskrivna med olika nycklar."
            if v.distinct_keys
            else "  SAMMA nyckel har skrivit under i båda rollerna."
        )


def cmd_demo_ca(args: argparse.Namespace) -> int:
    from desktop_app.services.signers import create_demo_ca

    ca = create_demo_ca(args.out, args.region or [], _new_password())
    _out(
        f"Skrev test-CA {ca.ca_path} (SHA-256 {ca.ca_sha256[:16]}…) och {len(ca.signers)} "
        "underskriftscertifikat (PKCS#12) – endast för att prova och för tester:"
    )
    for (code, role), path in sorted(ca.signers.items()):
        _out(
            f"  {path.name}: region {code}, {role}, organisationsidentitet {ca.organisation_ids[code]}"
        )
    first = sorted(ca.organisation_ids)[0]
    _out(
        "Registrera hos RCC, t.ex.: svf-report signers add --region "
        f"{first} --cert {ca.ca_path} --org-id {ca.organisation_ids[first]}"
    )
    return 0


def cmd_demo_cert(args: argparse.Namespace) -> int:
    from desktop_app.services.signing import create_demo_certificate

    cert = create_demo_certificate(args.name, args.out, _new_password())
    _out(
        f"Skrev {cert.path}: självsignerat demonstrationscertifikat för {cert.subject}, giltigt "
        f"till {cert.not_after:%Y-%m-%d} (SHA-256 {cert.sha256[:16]}…). Endast för att prova: "
        "en underskrift med det visas som intakt men inte betrodd."
    )
    return 0


def cmd_import_signed(args: argparse.Namespace) -> int:
    from desktop_app.domain.vocabulary import ReportStatus, label
    from desktop_app.services.signing import import_signed_pdf

    ctx = _ctx(args)
    r = import_signed_pdf(ctx, args.file, replace=args.replace)
    v = r.verification
    _out(
        f"{'Skapade' if r.created else 'Uppdaterade'} redovisning {r.report_id} från "
        f"{args.file.name} ({v.region_name} {v.year}): {label(r.status).lower()}, "
        "låst för ändringar."
    )
    if r.status == ReportStatus.CERTIFIED:
        _out("Underskrift av behörig företrädare saknas ännu.")
    return 0


def cmd_unlock(args: argparse.Namespace) -> int:
    from desktop_app.services.reports import get_report
    from desktop_app.services.signing import unlock_report

    ctx = _ctx(args)
    unlock_report(ctx, args.report)
    version = get_report(ctx, args.report).version
    _out(
        f"Redovisning {args.report} är upplåst som version {version}. Underskrifterna och "
        "intygandet gäller inte längre; exportera och låt den intygas och skrivas under på nytt."
    )
    return 0


# ---------------------------------------------------------------- parser


def cmd_cards(args: argparse.Namespace) -> int:
    """ "Testa kortet" on the command line: the PKCS#11 modules found (and those given with
    --module), the cards in them and their keys; exit code 0 when a key can sign today."""
    from desktop_app.services import cards

    found = cards.scan([str(m) for m in args.module or ()])
    for line in cards.test_report(found, date.today()):
        _out("  " * line.depth + line.text)
    return 0 if found.usable(date.today()) else 1


def register(sub: Any, add: Callable[[str, str, Any], argparse.ArgumentParser]) -> None:
    """Add the commands to ``sub`` through cli.build_parser's ``add(name, help, func)``."""
    del sub  # every command goes through `add`, which gives it --db and its function
    _register_signing(add)
    _register_checking(add)


def _register_signing(add: Callable[[str, str, Any], argparse.ArgumentParser]) -> None:
    """export, certify, sign: the way of the file from the region to the representative."""
    sp = add("export", "skriv redovisningen som PDF (med bifogade data) och ev. Excel", cmd_export)
    sp.add_argument("--report", type=int, required=True, metavar="ID", help="redovisningens id")
    sp.add_argument("--out", type=Path, required=True, metavar="FIL.pdf")
    sp.add_argument("--xlsx", type=Path, metavar="FIL.xlsx", help="även siffror och fynd i Excel")

    sp = add("certify", "ekonomichefens intygande av en exporterad PDF (signeras)", cmd_certify)
    sp.add_argument("file", type=Path, metavar="IN.pdf")
    sp.add_argument(
        "--alt",
        type=int,
        choices=(1, 2),
        required=True,
        help=(
            "ekonomichefens val, inget är förvalt: 1 = redovisningen är korrekt, "
            "2 = den är inte korrekt (kräver --deviations)"
        ),
    )
    sp.add_argument("--deviations", metavar="TEXT", help="Alt 2: avvikelsen (krävs)")
    sp.add_argument("--actions", metavar="TEXT", help="Alt 2: eventuella åtgärder (frivilligt)")
    sp.add_argument("--name", required=True, metavar="NAMN", help="ekonomichefens namn")
    sp.add_argument("--title", required=True, metavar="TEXT", help="befattning")
    sp.add_argument("--phone", required=True, metavar="TEL", help="telefon inkl. riktnummer")
    sp.add_argument("--email", required=True, metavar="E-POST")
    _key_args(sp)
    sp.add_argument("--out", type=Path, required=True, metavar="UT.pdf")
    sp.add_argument("--date", type=_date, metavar="ÅÅÅÅ-MM-DD", help="datum (annars i dag)")

    sp = add("sign", "behörig företrädares underskrift av en intygad PDF", cmd_sign)
    sp.add_argument("file", type=Path, metavar="IN.pdf")
    sp.add_argument("--name", required=True, metavar="NAMN", help="namnförtydligande")
    _key_args(sp)
    sp.add_argument("--out", type=Path, required=True, metavar="UT.pdf")
    sp.add_argument("--date", type=_date, metavar="ÅÅÅÅ-MM-DD", help="datum (annars i dag)")


def _register_checking(add: Callable[[str, str, Any], argparse.ArgumentParser]) -> None:
    """verify, demo-cert, import-signed, unlock: checking and taking in the signed file."""
    sp = add(
        "verify",
        "kontrollera underskrifterna och data i PDF-filer (slutkod 0 giltig, 1 ogiltig, 2 oläslig)",
        cmd_verify,
    )
    sp.add_argument("files", type=Path, nargs="+", metavar="FIL.pdf")
    sp.add_argument("--json", action="store_true", help="skriv ut resultatet som JSON")
    sp.add_argument(
        "--trust",
        type=Path,
        metavar="MAPP",
        help="mapp med betrodda CA-certifikat (annars $SVF_TRUST_DIR)",
    )
    sp.add_argument(
        "--require-trusted",
        action="store_true",
        help="underkänn underskrifter vars certifikat inte är betrott",
    )

    sp = add(
        "cards",
        "visa PKCS#11-moduler, smarta kort och nycklar som hittas (som Testa kortet)",
        cmd_cards,
    )
    sp.add_argument(
        "--module", type=Path, action="append", metavar="MODUL", help="även denna modul"
    )

    sp = add(
        "demo-cert",
        "skapa ett självsignerat certifikat för att prova (lösenord från $SVF_P12_PASSWORD)",
        cmd_demo_cert,
    )
    sp.add_argument("--name", required=True, metavar="NAMN")
    sp.add_argument("--out", type=Path, required=True, metavar="FIL.p12")

    sp = add(
        "demo-ca",
        "skapa en test-CA och underskriftscertifikat per region och roll (lösenord från "
        "$SVF_P12_PASSWORD)",
        cmd_demo_ca,
    )
    sp.add_argument("--out", type=Path, required=True, metavar="MAPP")
    sp.add_argument(
        "--region", action="append", metavar="KOD", help="region (kan upprepas; annars alla 21)"
    )

    sp = add(
        "import-signed",
        "läs in en intygad eller underskriven PDF och lås redovisningen",
        cmd_import_signed,
    )
    sp.add_argument("file", type=Path, metavar="FIL.pdf")
    sp.add_argument(
        "--replace",
        action="store_true",
        help="ersätt redovisningens innehåll med den undertecknade filens om de skiljer sig",
    )

    sp = add(
        "unlock",
        "lås upp en låst redovisning (ny version; underskrifterna blir ogiltiga)",
        cmd_unlock,
    )
    sp.add_argument("--report", type=int, required=True, metavar="ID", help="redovisningens id")
