"""The command line: `svf-report` with a subcommand works headless; without one it opens the
desktop application. No Qt is imported here, so headless commands start fast."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from desktop_app import __version__
from desktop_app.domain.errors import UserError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

# argparse's own words, in Swedish (argparse looks them up through its module-level `_`).
_ARGPARSE_SV = {
    "usage: ": "användning: ",
    "options": "flaggor",
    "positional arguments": "argument",
    "show this help message and exit": "visa den här hjälpen och avsluta",
    "the following arguments are required: %s": "dessa argument krävs: %s",
    "unrecognized arguments: %s": "okända argument: %s",
    "argument %(argument_name)s: %(message)s": "argumentet %(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "ogiltigt värde (%(type)s): %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "ogiltigt val: %(value)r (välj bland %(choices)s)",
    "expected one argument": "ett värde krävs",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
    "not allowed with argument %s": "kan inte kombineras med %s",
    "one of the arguments %s is required": "ett av argumenten %s krävs",
    "ambiguous option: %(option)s could match %(matches)s": "tvetydig flagga: %(option)s kan vara %(matches)s",
}


def _sv(message: str) -> str:
    return _ARGPARSE_SV.get(message, message)


argparse._ = _sv  # type: ignore[attr-defined]


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        message = re.sub(r"invalid int value", "ogiltigt heltal", message)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: fel: {message}\n")


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def _ctx(args: argparse.Namespace) -> Any:
    from desktop_app.services.bootstrap import bootstrap

    return bootstrap(args.db)


def _year(text: str) -> int:
    if not text.isdigit() or len(text) != 4:
        raise argparse.ArgumentTypeError(f"'{text}' är inget årtal (t.ex. 2024)")
    return int(text)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' är inget datum (ÅÅÅÅ-MM-DD)") from None


# ---------------------------------------------------------------- commands


def cmd_new(args: argparse.Namespace) -> int:
    from desktop_app.services import reports

    ctx = _ctx(args)
    report_id = reports.create_report(ctx, args.region, args.year)
    _out(str(report_id))
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from desktop_app.services import reports

    ctx = _ctx(args)
    rows = reports.list_reports(ctx)
    if args.json:
        _out(
            json.dumps(
                [
                    {
                        "id": r.id,
                        "region": r.region.code,
                        "region_name": r.region.name,
                        "year": r.year,
                        "status": str(r.status),
                        "updated_at": r.updated_at.isoformat(),
                        "criteria": {c.id: c.status for c in r.criteria},
                        "errors": r.error_count,
                        "warnings": r.warning_count,
                    }
                    for r in rows
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return EXIT_OK
    if not rows:
        _out(
            f"Inga redovisningar i {ctx.db_path}. Skapa en med: svf-report new --region 25 --year 2024"
        )
        return EXIT_OK
    from desktop_app.domain.vocabulary import Verdict, short

    def mark(v: Verdict) -> str:
        return short(v).upper() if v == Verdict.FAIL else short(v)  # a failure stands out

    # The criteria under the template's own names (Inklusionsmålet, PREM, Inlämnad i tid).
    names = {c.id: c.label for r in rows for c in r.criteria}
    crit_ids = list(names)
    widths = {c: max(len(names[c]), 4) for c in crit_ids}
    head = (
        f"{'id':>4}  {'år':4}  {'region':28} {'status':10} {'ändrad':16} "
        + " ".join(f"{names[c]:>{widths[c]}}" for c in crit_ids)
        + "  fel"
    )
    _out(head)
    for r in rows:
        by_id = {c.id: mark(c.status) for c in r.criteria}
        crit = " ".join(f"{by_id.get(c, ''):>{widths[c]}}" for c in crit_ids)
        _out(
            f"{r.id:>4}  {r.year:4}  {r.region.name[:28]:28} {r.status_label:10} "
            f"{r.updated_at:%Y-%m-%d %H:%M} {crit}  {r.error_count:>3}"
        )
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from desktop_app.domain.fmt import fmt_int
    from desktop_app.domain.indicators import IndicatorTable
    from desktop_app.domain.reference import load_reference
    from desktop_app.domain.report import STATUS_LABELS
    from desktop_app.services import reports

    ctx = _ctx(args)
    report = reports.get_report(ctx, args.report)
    tpl = reports.template_of(ctx, args.report)
    region = load_reference().region(report.region_code)
    result = reports.check_report(report, ctx.today())
    _out(
        f"Redovisning {report.id}: {region.name} ({region.code}), {tpl.year} – {STATUS_LABELS[report.status]}"
    )
    _out(f"Period: {tpl.period_label}. Sista dag: {tpl.deadline.isoformat()}.")
    if report.contact.name:
        _out(f"Kontaktperson: {report.contact.name} {report.contact.email}")
    _out("")
    _show_indicators(IndicatorTable.build(report.figures, tpl))
    _out("")
    p = report.prem
    used = {True: "ja", False: "nej", None: "ej angivet"}[p.used]
    _out(f"PREM används: {used}; utskickade {fmt_int(p.sent or 0)}, svar {fmt_int(p.answers or 0)}")
    _out("")
    _print_result(result)
    return EXIT_OK


def _show_indicators(t: Any) -> None:
    """The SVF table of ``show``: per SVF, the inclusion goal's total and per sex, with the
    template's goals (t: domain.indicators.IndicatorTable)."""
    from desktop_app.domain.fmt import fmt_int, fmt_pct
    from desktop_app.domain.indicators import EXPECTED, INCLUDED, INCLUSION, LEAD_TIME, LONG_WAIT

    inc, lt, long_wait = t.column(INCLUSION), t.column(LEAD_TIME), t.long_wait
    expected, included = t.measure(EXPECTED), t.measure(INCLUDED)

    def line(name: str, a: Any, b: Any, c: Any) -> str:
        return (
            f"{name[:44]:44} {fmt_int(a.denominator):>18} {fmt_int(a.numerator):>11} "
            f"{fmt_pct(a.rate):>8} {fmt_pct(b.rate):>14} {fmt_pct(c.rate):>11}"
        )

    _out(
        f"{'SVF':44} {expected.label:>18} {included.label:>11} {inc.label[:5] + '. %':>8} "
        f"{lt.label + ' %':>14} {long_wait.label:>11}"
    )
    for row in t.rows:
        _out(line(row.label, row.inclusion, row.lead_time, row.long_wait))
    total = t.inclusion_scope_total
    _out(
        line(
            f"{total.label[:6]} ({t.inclusion_goal.label.lower()})",
            t.inclusion,
            t.lead_time,
            t.long_wait_share,
        )
    )
    for sex in t.sexes:
        r = t.rate(INCLUSION, sex.id)
        _out(
            f"  {sex.label}: {inc.label.lower()} {fmt_pct(r.rate)} ({fmt_int(r.numerator)} av "
            f"{fmt_int(r.denominator)}), {lt.label.lower()} {fmt_pct(t.rate(LEAD_TIME, sex.id).rate)}"
        )
    _out(
        f"Mål: {t.inclusion_goal.label.lower()} minst {t.inclusion_goal.text}, "
        f"{lt.label.lower()} minst {t.lead_time_goal.text}. {long_wait.label}: "
        f"{t.column(LONG_WAIT).definition.split(' = ', 1)[1]}"
    )


def _print_result(result: Any) -> None:
    from desktop_app.domain.vocabulary import label

    _out("Villkor för den andra utbetalningen:")
    for c in result.criteria:
        _out(f"  [{label(c.status).upper()}] {c.label}: {c.message}")
    errors, warnings = result.errors, result.warnings
    _out(f"\n{len(errors)} fel, {len(warnings)} varningar.")
    for f in errors + warnings:
        _out(f"  {label(f.severity).upper()} ({f.rule}): {f.message}")
        if f.acknowledgement is not None:
            _out(
                f"    Motiverad {f.acknowledgement.on.isoformat()}: {f.acknowledgement.justification}"
            )


def cmd_validate(args: argparse.Namespace) -> int:
    from desktop_app.services import reports

    ctx = _ctx(args)
    result = reports.validate_report(ctx, args.report)
    if args.json:
        _out(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_result(result)
    return EXIT_FINDINGS if result.errors else EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from desktop_app.domain.figures import cell_key
    from desktop_app.domain.vocabulary import Severity, label
    from desktop_app.services import imports

    ctx = _ctx(args)
    preview = imports.import_file(ctx, args.report, args.file, args.reason)
    _out(
        f"Importerade {preview.source} till redovisning {args.report}: "
        f"{len(preview.changes)} värden ändrade, {preview.unchanged} oförändrade."
    )
    for w in preview.warnings:
        _out(f"  {label(Severity.WARNING).upper()}: {w}")
    if args.verbose:
        for c in preview.changes:
            where = (
                c.cell
                if isinstance(c.cell, str)
                else f"{c.cell[0]} {cell_key(c.cell[1], c.cell[2])}"
            )
            _out(f"  {where}: {c.old if c.old is not None else '–'} → {c.new}")
    return EXIT_OK


def cmd_excel_template(args: argparse.Namespace) -> int:
    from desktop_app.services import imports

    ctx = _ctx(args) if args.report is not None else None
    if ctx is None:
        from desktop_app.domain.reference import load_reference
        from desktop_app.domain.template import template_for_year

        region = load_reference().region(args.region)
        imports.write_blank_template(args.out, template_for_year(args.year), region)
    else:
        imports.write_template(ctx, args.region, args.year, args.out, args.report)
    _out(f"Skrev importmallen {args.out}")
    return EXIT_OK


def cmd_dump(args: argparse.Namespace) -> int:
    from desktop_app.services import reports

    ctx = _ctx(args)
    text = json.dumps(reports.dump_report(ctx, args.report), ensure_ascii=False, indent=2) + "\n"
    if args.out:
        _write_text(args.out, text)
        _out(f"Skrev {args.out}")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _write_text(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"Filen {path} kan inte skrivas: {exc.strerror}.") from exc


def cmd_load(args: argparse.Namespace) -> int:
    from desktop_app.domain.errors import DocumentError
    from desktop_app.services import reports
    from desktop_app.services.exports import read_json_document

    try:
        data = read_json_document(args.file.read_bytes(), f"Filen {args.file.name}")
    except FileNotFoundError:
        raise DocumentError(f"Filen {args.file} finns inte.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentError(f"Filen {args.file} kan inte läsas: {exc}") from None
    except json.JSONDecodeError as exc:
        raise DocumentError(
            f"Filen {args.file.name} är inte giltig JSON (rad {exc.lineno}, kolumn {exc.colno}): {exc.msg}."
        ) from None
    ctx = _ctx(args)
    report_id, created = reports.load_document(ctx, data, args.file.name)
    _out(f"{'Skapade' if created else 'Ersatte'} redovisning {report_id} från {args.file.name}")
    return EXIT_OK


def cmd_submit(args: argparse.Namespace) -> int:
    from desktop_app.services import reports

    ctx = _ctx(args)
    reports.mark_submitted(ctx, args.report, args.date)
    _out(
        f"Redovisning {args.report} markerad som inlämnad {(args.date or ctx.today()).isoformat()}"
    )
    return EXIT_OK


def cmd_questions(args: argparse.Namespace) -> int:
    """The narrative questions of a year's template: id, required or optional, step, title."""
    from desktop_app.domain.template import template_for_year

    tpl = template_for_year(args.year)
    steps = {s.id: s.title for s in tpl.steps}
    if args.json:
        _out(
            json.dumps(
                [
                    {
                        "id": q.id,
                        "required": q.required,
                        "type": q.type,
                        "step": q.step,
                        "title": q.title,
                        "question": q.question,
                    }
                    for q in tpl.questions
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return EXIT_OK
    width = max(len(q.id) for q in tpl.questions)
    _out(f"Frågor i mallen {tpl.id} (svara med: svf-report answer --report ID --question ID …)")
    for q in tpl.questions:
        need = "måste besvaras" if q.required else "frivillig"
        _out(f"  {q.id:<{width}}  {need:<14}  {steps.get(q.step, q.step)}: {q.title}")
    return EXIT_OK


def cmd_answer(args: argparse.Namespace) -> int:
    """Answer a narrative question from the command line, typed or from a text file."""
    from desktop_app.services import reports

    ctx = _ctx(args)
    if args.file is not None:
        try:
            raw = args.file.read_bytes()
        except OSError as exc:
            raise UserError(f"Filen {args.file} kan inte läsas ({exc.strerror or exc}).") from exc
        if len(raw) > 1_000_000:
            raise UserError(f"Filen {args.file.name} är för stor för ett svar (över 1 MB).")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")  # a file saved by Windows Notepad
    else:
        text = args.text
    reports.set_answer(ctx, args.report, args.question, text.strip())
    words = len(text.split())
    _out(f"Svaret på {args.question} sparat i redovisning {args.report} ({words} ord).")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from desktop_app.services.demo import create_demo

    ctx = _ctx(args)
    ids = create_demo(ctx, args.year)
    _out(
        f"Skapade exempeldatabasen {ctx.db_path} med {len(ids)} redovisningar för {args.year} "
        "(påhittade siffror)."
    )
    return EXIT_OK


def _add_narrative_commands(add: Any, report_arg: Any) -> None:
    """``questions`` and ``answer``: the narrative questions of a headless round."""
    sp = add("questions", "lista årets frågor (id, om de måste besvaras)", cmd_questions)
    sp.add_argument(
        "--year", type=_year, required=True, metavar="ÅR", help="redovisningsår, t.ex. 2024"
    )
    sp.add_argument("--json", action="store_true", help="skriv ut som JSON")

    sp = add("answer", "besvara en fråga i redovisningen (text eller fil)", cmd_answer)
    report_arg(sp)
    sp.add_argument("--question", required=True, metavar="ID", help="frågans id (se questions)")
    what = sp.add_mutually_exclusive_group(required=True)
    what.add_argument("--text", metavar="T", help="svaret")
    what.add_argument("--file", type=Path, metavar="FIL", help="en textfil med svaret (UTF-8)")


def build_parser() -> Parser:
    p = Parser(
        prog="svf-report",
        description=(
            "SVF-redovisning: regionernas redovisning av arbetet med standardiserade vårdförlopp. "
            "Utan kommando startar programmet."
        ),
    )
    p.add_argument(
        "--version",
        action="version",
        version=f"SVF-redovisning {__version__}",
        help="visa versionen och avsluta",
    )
    p.add_argument(
        "--db",
        type=Path,
        metavar="FIL",
        help="databasfil (annars $SVF_REPORT_DB eller användarens datamapp)",
    )
    sub = p.add_subparsers(dest="command", metavar="KOMMANDO", parser_class=Parser)

    def add(name: str, help: str, func: Any) -> Parser:
        sp = sub.add_parser(name, help=help, description=help)
        sp.add_argument(
            "--db",
            type=Path,
            metavar="FIL",
            default=argparse.SUPPRESS,
            help="databasfil (annars $SVF_REPORT_DB eller användarens datamapp)",
        )
        sp.set_defaults(func=func)
        return sp

    def report_arg(sp: Parser) -> None:
        sp.add_argument("--report", type=int, required=True, metavar="ID", help="redovisningens id")

    sp = add("new", "skapa en ny redovisning (skriver ut dess id)", cmd_new)
    sp.add_argument("--region", required=True, metavar="KOD", help="regionens länskod, t.ex. 25")
    sp.add_argument(
        "--year", type=_year, required=True, metavar="ÅR", help="redovisningsår, t.ex. 2024"
    )

    sp = add("list", "lista redovisningarna i databasen", cmd_list)
    sp.add_argument("--json", action="store_true", help="skriv ut som JSON")

    sp = add("show", "visa en redovisning med siffror och villkor", cmd_show)
    report_arg(sp)

    sp = add("validate", "kontrollera en redovisning (slutkod 1 om den har fel)", cmd_validate)
    report_arg(sp)
    sp.add_argument("--json", action="store_true", help="skriv ut villkor och fynd som JSON")

    sp = add("import", "importera siffror från en Excel-fil (.xlsx) eller CSV", cmd_import)
    report_arg(sp)
    sp.add_argument("file", type=Path, metavar="FIL")
    sp.add_argument("-v", "--verbose", action="store_true", help="lista varje ändrat värde")
    sp.add_argument(
        "--reason", metavar="TEXT", help="varför filen ändrar värden från RCC:s datauttag"
    )

    sp = add("excel-template", "skriv en Excel-mall för import", cmd_excel_template)
    sp.add_argument("--region", required=True, metavar="KOD")
    sp.add_argument("--year", type=_year, required=True, metavar="ÅR")
    sp.add_argument("--out", type=Path, required=True, metavar="FIL")
    sp.add_argument(
        "--report", type=int, metavar="ID", help="fyll i värdena från denna redovisning"
    )

    sp = add("dump", "skriv redovisningen som JSON-dokument", cmd_dump)
    report_arg(sp)
    sp.add_argument("--out", type=Path, metavar="FIL", help="fil (annars standard ut)")

    sp = add("load", "läs in ett JSON-dokument (skapar eller ersätter redovisningen)", cmd_load)
    sp.add_argument("file", type=Path, metavar="FIL")

    sp = add("submit", "markera redovisningen som inlämnad", cmd_submit)
    report_arg(sp)
    sp.add_argument("--date", type=_date, metavar="ÅÅÅÅ-MM-DD", help="inlämningsdag (annars i dag)")

    _add_narrative_commands(add, report_arg)

    sp = add("demo", "skapa en exempeldatabas med påhittade siffror för alla 21 regioner", cmd_demo)
    sp.add_argument("--year", type=_year, default=2024, metavar="ÅR")
    from desktop_app.cli_signing import register

    register(sub, add)
    from desktop_app.cli_rcc import register as register_rcc

    register_rcc(sub, add)
    from desktop_app.cli_round import register as register_round

    register_round(sub, add)
    __import__("desktop_app.cli_patients", fromlist=["register"]).register(sub, add)
    __import__("desktop_app.cli_history", fromlist=["register"]).register(sub, add)
    __import__("desktop_app.cli_publish", fromlist=["register"]).register(sub, add)
    __import__("desktop_app.cli_provenance", fromlist=["register"]).register(sub, add)
    __import__("desktop_app.cli_warnings", fromlist=["register"]).register(sub, add)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from desktop_app.app import run_gui

        return run_gui(args.db)
    try:
        return int(args.func(args))
    except UserError as exc:
        _err(f"svf-report: {exc}")
        return int(getattr(exc, "exit_code", EXIT_USAGE))
    except KeyboardInterrupt:
        _err("svf-report: avbrutet.")
        return 130
    except Exception as exc:  # never a traceback in front of a user
        log = _log_crash(exc)
        _err(
            f"svf-report: ett oväntat fel inträffade ({type(exc).__name__}). "
            f"Detaljer har sparats i {log}."
        )
        return 3


def _log_crash(exc: BaseException) -> Path:
    from desktop_app.crash_log import write_crash

    return write_crash(exc)
