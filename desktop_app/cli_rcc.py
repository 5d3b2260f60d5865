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


def _print_deviations(result: Any, code: str) -> None:
    """A region's values changed from the RCC's extract, with its reasons (issue 15.3)."""
    from desktop_app.services.reports import cell_label, fmt_value

    found = result.deviations.get(code, ())
    if found:
        _out(f"    {len(found)} ändrade från RCC:s datauttag:")
    for d in found:
        where = cell_label(result.tpl, (d.svf, d.measure, d.sex))
        why = d.reason or "ingen motivering angiven"
        note = f" (OBS: {d.note})" if d.note else ""
        _out(f"      {where}: {fmt_value(d.extract)} → {fmt_value(d.reported)} – {why}{note}")
    warnings = result.warnings.get(code, ())
    justified = [f for f in warnings if f.acknowledgement is not None]
    if warnings:
        _out(f"    {len(warnings)} varningar, varav {len(justified)} motiverade av regionen:")
    for f in warnings:
        why = f.acknowledgement.justification if f.acknowledgement else "ingen motivering"
        _out(f"      {f.message} – {why}")


def _print_human(entries: list[Any], result: Any, xlsx: Path, pdf: Path | None) -> None:
    from desktop_app.domain.fmt import fmt_pct
    from desktop_app.domain.vocabulary import InboxStatus, label

    for e in entries:
        region = f"{e.region_name} ({e.region_code})" if e.region_code else "okänd region"
        version = f", version {e.report_version}" if e.report_version else ""
        again = " (redan inläst)" if e.already_imported else ""
        # The status in capitals, to stand out among the file names in a terminal.
        mark = label(e.status, InboxStatus).upper()
        mark += " (registrerad av RCC)" if e.registered_by_rcc else ""
        line = f"{mark}: {e.file_name} – {region}{version}{again}"
        line = f"{e.id}: {line}" + (f" ({e.other_rcc})" if e.other_rcc else "")
        if e.reason:
            line += f"\n    {e.reason}"
        _out(line)
    comp = result.compilation
    registered = [
        r
        for r in result.regions
        if r.entry is not None and r.entry.registered_by_rcc and r.entry.counted
    ]
    bare = sum(1 for r in registered if r.code not in comp.compiled)
    note = f" (och {bare} registrerad av RCC utan siffror, räknad på sitt underlag)" if bare else ""
    _out(
        f"\n{result.scope.name} {result.year}: {len(comp.compiled)} av {len(comp.regions)} "
        f"regioner sammanställda{note}; inklusion {fmt_pct(comp.inclusion.rate)}."
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
        _print_deviations(result, r.code)
    _out(result.population_key.describe() + ".")
    if result.preliminary:
        _out(
            "Fördelningen av utbetalning 2 är preliminär: utfallet är inte känt för alla regioner."
        )
    _out(f"Skrev {xlsx}" + (f" och {pdf}" if pdf else "") + ".")
    waiting = [e for e in entries if e.status in (InboxStatus.PENDING, InboxStatus.CONFLICT)]
    if waiting:
        _out(
            f"{len(waiting)} fil(er) väntar på beslut och räknas inte: svf-report inbox decide "
            "ID --accept|--refuse --reason TEXT."
        )


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
        entries = import_reports(
            ctx, scope, args.files, args.trust, year, received_on=args.received_on
        )
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
    register_round(add)
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
        "--received-on",
        type=_day,
        metavar="ÅÅÅÅ-MM-DD",
        help="dagen filerna i detta anrop kom in till RCC (annars i dag)",
    )
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


# ---------------------------------------------------------------- issue 11: the RCC round


def _day(text: str) -> Any:
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' är inget datum (ÅÅÅÅ-MM-DD)") from None


def _roles(role: str | None) -> tuple[Any, ...]:
    from desktop_app.domain.vocabulary import Role
    from desktop_app.services.signers import SIGNING_ROLES

    return SIGNING_ROLES if role is None else (Role(role),)


def cmd_signers_add(args: argparse.Namespace) -> int:
    from desktop_app.services.bootstrap import bootstrap
    from desktop_app.services.pdf_files import read_pdf
    from desktop_app.services.signers import (
        add_signer,
        read_certificate,
        signer_certificates_of_pdf,
    )

    if (args.cert is None) == (args.from_pdf is None):
        raise UserError("Ange antingen --cert FIL.pem eller --from-pdf FIL.pdf.")
    if args.cert is not None:
        jobs = [(_roles(args.role), read_certificate(args.cert))]
    else:
        found = signer_certificates_of_pdf(
            read_pdf(args.from_pdf), args.from_pdf.name, _roles(args.role)[0] if args.role else None
        )
        jobs = [((role,), der) for role, der in found]
    ctx = bootstrap(getattr(args, "db", None))
    try:
        for roles, der in jobs:
            reg = add_signer(ctx, args.region, der, roles, args.org_id)
            _out(f"Registrerade {reg.describe()}")
    finally:
        ctx.close()
    return 0


def cmd_signers_list(args: argparse.Namespace) -> int:
    from desktop_app.services.bootstrap import bootstrap
    from desktop_app.services.signers import list_signers

    ctx = bootstrap(getattr(args, "db", None))
    try:
        regs = list_signers(ctx, args.region)
    finally:
        ctx.close()
    if args.json:
        _out(json.dumps([r.to_dict() for r in regs], ensure_ascii=False, indent=2))
    elif not regs:
        _out("Inga registrerade underskrivare.")
    for r in regs if not args.json else []:
        _out(r.describe())
    return 0


def cmd_signers_remove(args: argparse.Namespace) -> int:
    from desktop_app.services.bootstrap import bootstrap
    from desktop_app.services.signers import remove_signer

    ctx = bootstrap(getattr(args, "db", None))
    try:
        remove_signer(ctx, args.id)
    finally:
        ctx.close()
    _out(f"Tog bort registrerad underskrivare {args.id}.")
    return 0


def _entry_line(e: Any) -> str:
    from desktop_app.domain.vocabulary import InboxStatus, label

    region = f"{e.region_name} ({e.region_code})" if e.region_code else "okänd region"
    version = f"version {e.report_version}" if e.report_version else "–"
    got = e.received_on.isoformat() if e.received_on else "–"
    mark = " (registrerad av RCC)" if e.registered_by_rcc else ""
    line = f"{e.id}: {label(e.status, InboxStatus).upper()}{mark} {e.file_name} – {region}, {version}, mottagen {got}"
    if e.reason:
        line += f"\n    {e.reason}"
    return line


def cmd_inbox_list(args: argparse.Namespace) -> int:
    from desktop_app.services.bootstrap import bootstrap
    from desktop_app.services.inbox_queries import list_all, list_inbox

    ctx = bootstrap(getattr(args, "db", None))
    try:
        entries = list_inbox(ctx, args.rcc, args.year) if args.rcc else list_all(ctx, args.year)
    finally:
        ctx.close()
    if args.json:
        keys = ("id", "region", "version", "status", "remarks", "received_on", "file", "reason",
                "registered_by_rcc")  # fmt: skip
        rows = [{k: e.to_dict()[k] for k in keys} for e in entries]
        _out(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not entries:
        _out("Inkorgen är tom.")
    for e in entries:
        _out(_entry_line(e))
    return 0


def cmd_inbox_decide(args: argparse.Namespace) -> int:
    from desktop_app.domain.vocabulary import Decision
    from desktop_app.services.bootstrap import bootstrap
    from desktop_app.services.inbox_decisions import decide

    ctx = bootstrap(getattr(args, "db", None))
    try:
        e = decide(ctx, args.id, Decision.ACCEPT if args.accept else Decision.REFUSE, args.reason)
    finally:
        ctx.close()
    _out(_entry_line(e))
    return 0


def cmd_inbox_received_on(args: argparse.Namespace) -> int:
    from desktop_app.services.bootstrap import bootstrap
    from desktop_app.services.inbox_decisions import set_received_on

    ctx = bootstrap(getattr(args, "db", None))
    try:
        e = set_received_on(ctx, args.id, args.date, args.reason)
    finally:
        ctx.close()
    _out(_entry_line(e))
    deadline = next((c for c in e.criteria if c.id == "deadline"), None)
    if deadline is not None:
        _out(f"    {deadline.label}: {deadline.message}")
    return 0


def cmd_inbox_last_day(args: argparse.Namespace) -> int:
    from desktop_app.services.bootstrap import bootstrap
    from desktop_app.services.inbox_decisions import set_last_day

    ctx = bootstrap(getattr(args, "db", None))
    try:
        set_last_day(ctx, args.rcc, args.year, args.date, args.reason or "")
    finally:
        ctx.close()
    _out(f"Sista dag för {args.rcc} {args.year}: {args.date.isoformat()}.")
    return 0


def cmd_inbox_register(args: argparse.Namespace) -> int:
    from desktop_app.services.bootstrap import bootstrap
    from desktop_app.services.inbox_register import Registration, parse_yes_no, register_report

    reg = Registration(
        region=args.region,
        year=args.year,
        file=args.file,
        received_on=args.received_on,
        included=args.included,
        expected=args.expected,
        prem_used=parse_yes_no(args.prem_used),
        urology_answered=parse_yes_no(args.urology_answered),
        reason=args.reason,
        figures=args.figures,
    )
    ctx = bootstrap(getattr(args, "db", None))
    try:
        e = register_report(ctx, reg)
    finally:
        ctx.close()
    _out(_entry_line(e))
    for c in e.criteria:
        _out(f"    {c.label}: {c.message}")
    return 0


def cmd_inbox_file(args: argparse.Namespace) -> int:
    from desktop_app.services.bootstrap import bootstrap
    from desktop_app.services.inbox_register import registered_file

    _writable(args.out, "Utfilen")
    ctx = bootstrap(getattr(args, "db", None))
    try:
        name, data = registered_file(ctx, args.id)
    finally:
        ctx.close()
    try:
        args.out.write_bytes(data)
    except OSError as exc:
        raise UserError(f"Filen {args.out} kan inte skrivas: {exc.strerror}.") from None
    _out(f"Skrev {args.out}: {name} ({len(data)} byte) exakt som den kom in.")
    return 0


def _nested(sp: Any, dest: str) -> Any:
    return sp.add_subparsers(dest=dest, metavar="KOMMANDO", required=True, parser_class=type(sp))


def register_round(add: Callable[[str, str, Any], argparse.ArgumentParser]) -> None:
    """``signers …`` and ``inbox …`` (issue 11)."""
    from desktop_app.domain.vocabulary import Role

    roles = [str(Role.CERTIFICATION), str(Role.REPRESENTATIVE)]
    sp = add("signers", "RCC: regionernas registrerade underskrivare", cmd_signers_list)
    nested = _nested(sp, "signers_command")
    a = nested.add_parser("add", help="lita på en underskrivare för en region")
    a.set_defaults(func=cmd_signers_add)
    a.add_argument("--region", required=True, metavar="KOD", help="regionens länskod, t.ex. 25")
    a.add_argument("--cert", type=Path, metavar="FIL.pem", help="certifikat (eller CA) i PEM/DER")
    a.add_argument("--from-pdf", type=Path, metavar="FIL.pdf", help="ta certifikaten ur en PDF")
    a.add_argument("--role", choices=roles, help="rollen (annars båda, eller PDF:ens roller)")
    a.add_argument(
        "--org-id", metavar="ID", help="för en CA: organisationsidentiteten i certifikaten"
    )
    ls = nested.add_parser("list", help="lista de registrerade underskrivarna")
    ls.set_defaults(func=cmd_signers_list)
    ls.add_argument("--region", metavar="KOD")
    ls.add_argument("--json", action="store_true")
    rm = nested.add_parser("remove", help="ta bort en registrering")
    rm.set_defaults(func=cmd_signers_remove)
    rm.add_argument("id", type=int, metavar="ID")

    sp = add("inbox", "RCC: inkorgens filer, beslut och mottagningsdatum", cmd_inbox_list)
    nested = _nested(sp, "inbox_command")
    ls = nested.add_parser("list", help="lista inkomna filer")
    ls.set_defaults(func=cmd_inbox_list)
    ls.add_argument("--rcc", choices=RCC_IDS, metavar="RCC", help="bara detta RCC:s regioner")
    ls.add_argument("--year", type=_year, metavar="ÅR")
    ls.add_argument("--json", action="store_true")
    d = nested.add_parser("decide", help="godkänn eller avvisa en fil som väntar på beslut")
    d.set_defaults(func=cmd_inbox_decide)
    d.add_argument("id", type=int, metavar="ID")
    which = d.add_mutually_exclusive_group(required=True)
    which.add_argument("--accept", action="store_true", help="räkna filen")
    which.add_argument("--refuse", action="store_true", help="avvisa filen")
    d.add_argument("--reason", required=True, metavar="TEXT", help="skälet (loggas)")
    r = nested.add_parser("received-on", help="ange dagen filen kom in till RCC")
    r.set_defaults(func=cmd_inbox_received_on)
    r.add_argument("id", type=int, metavar="ID")
    r.add_argument("date", type=_day, metavar="ÅÅÅÅ-MM-DD")
    r.add_argument("--reason", required=True, metavar="TEXT", help="skälet (loggas)")
    ld = nested.add_parser("last-day", help="RCC:s sista dag för inkomna redovisningar")
    ld.set_defaults(func=cmd_inbox_last_day)
    ld.add_argument("--rcc", choices=RCC_IDS, required=True, metavar="RCC")
    ld.add_argument("--year", type=_year, required=True, metavar="ÅR")
    ld.add_argument("date", type=_day, metavar="ÅÅÅÅ-MM-DD")
    ld.add_argument("--reason", metavar="TEXT")
    rg = nested.add_parser(
        "register",
        help="registrera en redovisning som kommit på annat sätt (PDF- eller Word-fil)",
    )
    rg.set_defaults(func=cmd_inbox_register)
    rg.add_argument("--region", required=True, metavar="KOD", help="regionens länskod, t.ex. 25")
    rg.add_argument("--year", type=_year, required=True, metavar="ÅR")
    rg.add_argument("--file", type=Path, required=True, metavar="FIL", help="regionens fil")
    rg.add_argument("--received-on", type=_day, required=True, metavar="ÅÅÅÅ-MM-DD")
    rg.add_argument("--included", required=True, metavar="N", help="inkluderade i SVF (täljare)")
    rg.add_argument("--expected", required=True, metavar="N", help="beräkningsunderlag (nämnare)")
    rg.add_argument("--prem-used", required=True, choices=("ja", "nej"), help="används PREM?")
    rg.add_argument(
        "--urology-answered", required=True, choices=("ja", "nej"), help="urologin besvarad?"
    )
    rg.add_argument("--figures", type=Path, metavar="FIL.xlsx", help="siffrorna i importformatet")
    rg.add_argument("--reason", required=True, metavar="TEXT", help="skälet (loggas)")
    fl = nested.add_parser("file", help="spara en inkommen (eller registrerad) fil som den kom")
    fl.set_defaults(func=cmd_inbox_file)
    fl.add_argument("id", type=int, metavar="ID")
    fl.add_argument("--out", type=Path, required=True, metavar="FIL")
