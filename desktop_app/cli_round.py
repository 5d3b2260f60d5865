"""Subcommands of the reporting round between the region, the RCC and Socialstyrelsen
(issue 11, points 6 and 7): the RCC's kvittens or return, its import by the region, and the
RCC's package to Socialstyrelsen. ``register(sub, add)`` is called once from
``cli.build_parser``; ``verify_packages`` lets ``svf-report verify`` recognise a package.

Passwords come from the environment variable named by ``--password-env`` (default
$SVF_P12_PASSWORD), else a prompt when standard input is a terminal."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import UserError

ENV_PASSWORD = "SVF_P12_PASSWORD"


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _ctx(args: argparse.Namespace) -> Any:
    from desktop_app.services.bootstrap import bootstrap

    return bootstrap(getattr(args, "db", None))


def _year(text: str) -> int:
    if not text.isdigit() or len(text) != 4:
        raise argparse.ArgumentTypeError(f"'{text}' är inget årtal (t.ex. 2024)")
    return int(text)


def _open_p12(args: argparse.Namespace) -> Any:
    from desktop_app.cli_signing import _secret
    from desktop_app.services.signers import open_p12

    env = args.password_env or ENV_PASSWORD
    password = _secret(env, f"Lösenord för {args.p12.name}: ", "Lösenordet")
    return open_p12(args.p12, password)


def _key_args(sp: argparse.ArgumentParser, required: bool = True) -> None:
    sp.add_argument(
        "--p12", type=Path, required=required, metavar="FIL", help="RCC:s certifikatfil (.p12/.pfx)"
    )
    sp.add_argument(
        "--password-env",
        metavar="VAR",
        help=f"miljövariabel med lösenordet (annars ${ENV_PASSWORD})",
    )
    sp.add_argument("--name", metavar="NAMN", help="namnförtydligande vid underskriften")


# ---------------------------------------------------------------- commands


def cmd_receipt(args: argparse.Namespace) -> int:
    from desktop_app.domain.vocabulary import ReceiptKind
    from desktop_app.services.receipts import issue_receipt

    ctx = _ctx(args)
    try:
        with _open_p12(args) as signer:
            r = issue_receipt(ctx, args.entry, signer, args.out, args.return_reason, args.name)
    finally:
        ctx.close()
    d = r.document
    if r.kind == ReceiptKind.RETURN:
        _out(
            f"Skrev {r.path}: {d['region_name']} {d['year']} version {d['version']} återsänds "
            f"för komplettering ({d['reason']}). Underskriven av {r.signer_name}."
        )
    else:
        _out(
            f"Skrev {r.path}: kvittens för {d['region_name']} {d['year']} version "
            f"{d['version']}, mottagen {d['received_on']}. Underskriven av {r.signer_name}."
        )
    return 0


def cmd_import_receipt(args: argparse.Namespace) -> int:
    from desktop_app.services.receipts import import_receipt
    from desktop_app.services.verification import default_trust_dir

    ctx = _ctx(args)
    try:
        r = import_receipt(ctx, args.file, args.trust or default_trust_dir())
    finally:
        ctx.close()
    again = " (redan inläst)" if r.already_imported else ""
    _out(f"Redovisning {r.report_id}: {r.line}{again}.")
    if not r.trusted:
        _out(
            "  Obs: RCC:s certifikat är inte betrott (finns inte i mappen med betrodda certifikat)."
        )
    if r.can_unlock:
        _out(
            f"  Lås upp en ny version att komplettera med: svf-report unlock --report {r.report_id}"
        )
    return 0


def _preview(args: argparse.Namespace) -> int:
    from desktop_app.services.package import preview_package

    ctx = _ctx(args)
    try:
        p = preview_package(ctx, args.rcc, args.year, args.out)
    finally:
        ctx.close()
    _out(
        f"Skrev {p.path} ({p.pages} sidor, {p.size // 1024} kB): FÖRHANDSGRANSKNING, inte "
        f"underskriven – skicka den inte. {len(p.reports)} redovisningar ingår"
        + (f" ({', '.join(p.reports)})." if p.reports else ".")
    )
    for line in p.left_out:
        _out(f"  Ingår inte: {line}")
    return 0


def cmd_package(args: argparse.Namespace) -> int:
    from desktop_app.services.package import export_package

    out = args.out
    if out.is_dir() or not (out.parent if str(out.parent) else Path(".")).is_dir():
        raise UserError(f"Utfilen {out} kan inte skrivas: ange en fil i en befintlig mapp.")
    if args.preview:
        return _preview(args)
    if args.p12 is None:
        raise UserError(
            "Ange RCC:s certifikatfil med --p12 (eller --preview för en förhandsgranskning)."
        )
    ctx = _ctx(args)
    try:
        year = args.year
        with _open_p12(args) as signer:
            p = export_package(ctx, args.rcc, year, out, signer, args.name)
    finally:
        ctx.close()
    _out(
        f"Skrev {p.path} ({p.pages} sidor, {p.size // 1024} kB): sammanställningen underskriven "
        f"av RCC med {len(p.reports)} regioners underskrivna redovisningar bifogade "
        f"({', '.join(p.reports)})."
    )
    return 0


def _print_package(v: Any) -> None:
    if not v.readable:
        _out(f"{v.path}: KAN INTE LÄSAS – {'; '.join(v.problems)}")
        return
    head = "GILTIGT PAKET till Socialstyrelsen" if v.ok else "OGILTIGT PAKET"
    _out(f"{v.path}: {head}")
    if v.rcc_name:
        _out(f"  {v.rcc_name}, {v.year}")
    if v.signer_name:
        when = v.signing_time.astimezone().strftime("%Y-%m-%d %H:%M") if v.signing_time else "–"
        trust = "betrodd" if v.trusted else "ej betrodd"
        _out(f"  Roll RCC: {v.signer_name}, {when}, {trust}")
    for name, r in v.reports:
        state = "giltig" if r.ok else "OGILTIG" if r.readable else "KAN INTE LÄSAS"
        _out(f"  Bilaga {name}: {r.region_name or '?'} version {r.report_version}, {state}")
    for p in v.problems:
        _out(f"  FEL: {p}")
    for n in v.notes:
        _out(f"  Obs: {n}")


def verify_packages(args: argparse.Namespace, trust: Path | None) -> tuple[int, list[Path]]:
    """For ``svf-report verify``: verify and print the packages among ``args.files``; returns
    (their exit code, the other files)."""
    from desktop_app.services.package_verify import is_package, verify_package

    rest: list[Path] = []
    results = []
    for f in args.files:
        try:
            data = Path(f).read_bytes()
        except OSError:
            rest.append(f)
            continue
        if is_package(data):
            results.append(verify_package(data, str(f), trust, args.require_trusted))
        else:
            rest.append(f)
    if results and args.json:
        codes = [r.exit_code for r in results]
        _out(
            json.dumps(
                {"packages": [r.to_dict() for r in results], "exit_code": max(codes)},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for r in results:
            _print_package(r)
    return max((r.exit_code for r in results), default=0), rest


# ---------------------------------------------------------------- parser


def register(sub: Any, add: Callable[[str, str, Any], argparse.ArgumentParser]) -> None:
    """Add the commands through cli.build_parser's ``add(name, help, func)``."""
    del sub
    from desktop_app.cli_rcc import RCC_IDS

    sp = add(
        "receipt",
        "RCC: ge en kvittens för en räknad fil i inkorgen, eller återsänd den med ett skäl",
        cmd_receipt,
    )
    sp.add_argument("entry", type=int, metavar="ID", help="filens id i inkorgen")
    what = sp.add_mutually_exclusive_group(required=True)
    what.add_argument("--accept", action="store_true", help="kvittera: mottagen och räknad")
    what.add_argument(
        "--return",
        dest="return_reason",
        metavar="SKÄL",
        help="återsänd för komplettering med detta skäl",
    )
    _key_args(sp)
    sp.add_argument("--out", type=Path, required=True, metavar="KVITTENS.pdf")

    sp = add(
        "import-receipt",
        "läs in RCC:s kvittens (eller återsändning) för en redovisning",
        cmd_import_receipt,
    )
    sp.add_argument("file", type=Path, metavar="KVITTENS.pdf")
    sp.add_argument("--trust", type=Path, metavar="MAPP", help="mapp med betrodda CA-certifikat")

    sp = add(
        "package",
        "RCC: gör paketet till Socialstyrelsen (underskriven sammanställning med regionernas "
        "underskrivna redovisningar bifogade)",
        cmd_package,
    )
    sp.add_argument(
        "--rcc", required=True, choices=RCC_IDS, metavar="RCC", help=f"ett av: {', '.join(RCC_IDS)}"
    )
    sp.add_argument("--year", type=_year, required=True, metavar="ÅR")
    _key_args(sp, required=False)
    sp.add_argument("--out", type=Path, required=True, metavar="FIL.pdf")
    sp.add_argument(
        "--preview",
        action="store_true",
        help="skriv en förhandsgranskning (inte underskriven) i stället för paketet",
    )
