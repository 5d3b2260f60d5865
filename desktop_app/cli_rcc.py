"""Subcommands of the RCC workspace (issue 6). ``register(sub, add)`` is called once from
``cli.build_parser``.

``svf-report aggregate`` receives the files into the inbox of the normal database (``--db``,
else $SVF_REPORT_DB, else the user's data folder), exactly as the application's RCC mode does:
the inbox is kept, so a later run (or the application) sees every file received before, a file
received twice counts once, and a newer version replaces an older one. Pass ``--db`` with a
throwaway file for a one-off compilation."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import UserError

RCC_IDS = ("norr", "mellansverige", "stockholm-gotland", "sydost", "syd", "vast")


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _year(text: str) -> int:
    if not text.isdigit() or len(text) != 4:
        raise argparse.ArgumentTypeError(f"'{text}' är inget årtal (t.ex. 2024)")
    return int(text)


def _writable(path: Path, what: str) -> None:
    """Refuse (exit 2) an output path that cannot be written, before anything is imported."""
    if path.is_dir():
        raise UserError(f"{what} {path} är en mapp; ange en fil.")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UserError(f"{what}: mappen {parent} finns inte.")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UserError(f"{what} {path} kan inte skrivas (ingen behörighet).")


def _kr(n: int) -> str:
    from desktop_app.domain.fmt import fmt_kr

    return fmt_kr(n)


def _print_human(entries: list[Any], result: Any, xlsx: Path, pdf: Path | None) -> None:
    from desktop_app.domain.fmt import fmt_pct
    from desktop_app.domain.vocabulary import InboxStatus, label

    for e in entries:
        region = f"{e.region_name} ({e.region_code})" if e.region_code else "okänd region"
        version = f", version {e.report_version}" if e.report_version else ""
        again = " (redan inläst)" if e.already_imported else ""
        # The status in capitals, to stand out among the file names in a terminal.
        mark = label(e.status, InboxStatus).upper()
        line = f"{mark}: {e.file_name} – {region}{version}{again}"
        if e.reason:
            line += f"\n    {e.reason}"
        _out(line)
    comp = result.compilation
    _out(
        f"\n{result.scope.name} {result.year}: {len(comp.compiled)} av {len(comp.regions)} "
        f"regioner sammanställda; inklusion {fmt_pct(comp.inclusion.rate)}."
    )
    for r in result.regions:
        pay = result.payments.region(r.code)
        if pay.payment_2 is not None:
            p2 = _kr(pay.payment_2)
        else:
            low, high = sorted(
                (pay.payment_2_if_all_unknown_qualify, pay.payment_2_if_none_qualify)
            )
            p2 = f"{_kr(low)} – {_kr(high)} (beror på regioner med okänt utfall)"
        _out(
            f"  {r.name} ({r.code}): {r.status_label.lower()}; utbetalning 1 "
            f"{_kr(pay.payment_1)}, utbetalning 2 {p2}"
        )
        if r.reason:
            _out(f"    {r.reason}")
    _out(result.population_key.describe() + ".")
    if result.preliminary:
        _out(
            "Fördelningen av utbetalning 2 är preliminär: utfallet är inte känt för alla regioner."
        )
    _out(f"Skrev {xlsx}" + (f" och {pdf}" if pdf else "") + ".")


def cmd_aggregate(args: argparse.Namespace) -> int:
    from desktop_app.services.bootstrap import bootstrap
    from desktop_app.services.compilation import load_population_table, read_population_table
    from desktop_app.services.compilation_exports import (
        export_compilation_pdf,
        export_compilation_xlsx,
    )
    from desktop_app.services.inbox import SCOPE_NATIONAL, default_year, import_reports

    scope = SCOPE_NATIONAL if args.national else args.rcc
    _writable(args.out, "Utfilen")
    if args.pdf is not None:
        _writable(args.pdf, "PDF-filen")
    if args.p12 is not None and args.pdf is None:
        raise UserError("--p12 (RCC:s underskrift) kräver --pdf.")
    for f in args.files:
        if not f.exists():
            raise UserError(f"Filen eller mappen {f} finns inte.")
    if args.trust is not None and not args.trust.is_dir():
        raise UserError(f"Mappen med betrodda certifikat {args.trust} finns inte.")
    if (args.population is None) != (args.population_date is None):
        raise UserError("--population och --population-date anges tillsammans.")
    if args.population is not None:  # a bad table stops the run before anything is changed
        read_population_table(args.population, args.population_date)
    ctx = bootstrap(getattr(args, "db", None))
    try:
        year = args.year or default_year(ctx)
        entries = import_reports(ctx, scope, args.files, args.trust, year)
        if args.population is not None:
            load_population_table(ctx, scope, year, args.population, args.population_date)
        xlsx = export_compilation_xlsx(ctx, scope, year, args.out)
        result = xlsx.result
        if args.pdf is not None:
            if args.p12 is not None:
                from desktop_app.cli_signing import ENV_PASSWORD, _secret
                from desktop_app.services.signers import open_p12

                password = _secret(ENV_PASSWORD, f"Lösenord för {args.p12.name}: ", "Lösenordet")
                with open_p12(args.p12, password) as signer:
                    export_compilation_pdf(ctx, scope, year, args.pdf, signer, args.name)
            else:
                export_compilation_pdf(ctx, scope, year, args.pdf)
    finally:
        ctx.close()
    if args.json:
        payload = result.to_dict()
        payload["imported"] = [e.to_dict() for e in entries]
        payload["outputs"] = {"xlsx": str(args.out), "pdf": str(args.pdf) if args.pdf else None}
        _out(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        _print_human(entries, result, args.out, args.pdf)
    return 0


def register(sub: Any, add: Callable[[str, str, Any], argparse.ArgumentParser]) -> None:
    """Add the commands to ``sub`` through cli.build_parser's ``add(name, help, func)``."""
    del sub
    sp = add(
        "aggregate",
        "RCC: läs in underskrivna redovisningar, kontrollera dem och sammanställ siffror och "
        "fördelning av statsbidraget (Excel, ev. PDF)",
        cmd_aggregate,
    )
    who = sp.add_mutually_exclusive_group(required=True)
    who.add_argument("--rcc", choices=RCC_IDS, metavar="RCC", help=f"ett av: {', '.join(RCC_IDS)}")
    who.add_argument("--national", action="store_true", help="hela landet (alla 21 regioner)")
    sp.add_argument(
        "files",
        type=Path,
        nargs="*",
        metavar="FIL.pdf",
        help="underskrivna PDF-filer eller mappar med sådana (utan filer: sammanställ inkorgen)",
    )
    sp.add_argument("--out", type=Path, required=True, metavar="FIL.xlsx", help="Excel-filen")
    sp.add_argument("--pdf", type=Path, metavar="FIL.pdf", help="även en PDF till Socialstyrelsen")
    sp.add_argument("--json", action="store_true", help="skriv ut resultatet som JSON")
    sp.add_argument("--year", type=_year, metavar="ÅR", help="redovisningsår (annars årets mall)")
    sp.add_argument(
        "--trust",
        type=Path,
        metavar="MAPP",
        help="mapp med betrodda CA-certifikat (annars $SVF_TRUST_DIR)",
    )
    sp.add_argument(
        "--p12",
        type=Path,
        metavar="FIL",
        help="skriv under PDF:en som RCC (certifikatfil; lösenord från $SVF_P12_PASSWORD)",
    )
    sp.add_argument("--name", metavar="NAMN", help="namnförtydligande vid underskriften")
    sp.add_argument(
        "--population",
        type=Path,
        metavar="FIL.csv",
        help="folkmängdstabell i SCB:s CSV-format (region, folkmängd) att fördela efter",
    )
    sp.add_argument(
        "--population-date",
        metavar="ÅÅÅÅ-MM-DD",
        help="vilket datum folkmängden i --population avser (t.ex. 2023-11-01)",
    )
