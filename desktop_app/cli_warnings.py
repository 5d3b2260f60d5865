"""`svf-report warnings`, `acknowledge` and `baseline`: a report's warnings with their
justifications (issue 15, point 5) and last year's figures to compare with (point 6)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import UserError


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def cmd_warnings(args: argparse.Namespace) -> int:
    from desktop_app.domain.vocabulary import label
    from desktop_app.services.acknowledgements import report_warnings
    from desktop_app.services.bootstrap import bootstrap

    ctx = bootstrap(getattr(args, "db", None))
    try:
        result = report_warnings(ctx, args.report)
    finally:
        ctx.close()
    if args.json:
        _out(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return 0
    if not result.items:
        _out("Redovisningen har inga varningar.")
    for w in result.items:
        _out(f"{w.number}. [{label(w.state)}] {w.finding.message}")
        _out(f"   nyckel: {w.finding.key}")
        if w.finding.acknowledgement is not None:
            a = w.finding.acknowledgement
            _out(f"   motivering ({a.on.isoformat()}): {a.justification}")
    for a in result.lapsed:
        _out(f"Motiveringen gäller inte längre (värdena har ändrats): {a.key}")
        _out(f"   gavs för: {a.message}")
        _out(f"   motivering: {a.justification}")
    return 0


def cmd_acknowledge(args: argparse.Namespace) -> int:
    from desktop_app.services.acknowledgements import justify_warning, withdraw_justification
    from desktop_app.services.bootstrap import bootstrap

    if not args.withdraw and args.justification is None:
        raise UserError(
            'Ange --justification "…" (varför värdet stämmer) eller --withdraw för att ta '
            "bort en motivering."
        )
    ctx = bootstrap(getattr(args, "db", None))
    try:
        if args.withdraw:
            withdraw_justification(ctx, args.report, args.warning)
            _out(f"Motiveringen av varningen {args.warning} är borttagen.")
        else:
            f = justify_warning(ctx, args.report, args.warning, args.justification)
            _out(f"Motiverad: {f.message}")
            _out(f"  nyckel: {f.key}")
    finally:
        ctx.close()
    return 0


def cmd_baseline(args: argparse.Namespace) -> int:
    from desktop_app.services.baseline import clear_baseline, set_baseline
    from desktop_app.services.bootstrap import bootstrap
    from desktop_app.services.reports import validate_report

    if (args.file is None) == (not args.clear):
        raise UserError("Ange fjolårets fil, eller --clear för att sluta jämföra med fjolåret.")
    ctx = bootstrap(getattr(args, "db", None))
    try:
        if args.clear:
            clear_baseline(ctx, args.report)
            _out("Redovisningen jämförs inte längre med fjolåret.")
            return 0
        b = set_baseline(ctx, args.report, args.file)
        jumps = [
            f
            for f in validate_report(ctx, args.report).warnings
            if f.rule.startswith("year_over_year")
        ]
    finally:
        ctx.close()
    _out(f"Jämför med {b.describe()} (SHA-256 {b.sha256}).")
    _out(f"{len(jumps)} förändringar utanför mallens band (se svf-report warnings):")
    for f in jumps:
        _out(f"  {f.message}")
    return 0


def register(sub: Any, add: Any) -> None:
    sp = add("warnings", "visa redovisningens varningar med nyckel och motivering", cmd_warnings)
    sp.add_argument("--report", type=int, required=True, metavar="ID", help="redovisningens id")
    sp.add_argument("--json", action="store_true", help="skriv ut som JSON")

    sp = add("acknowledge", "motivera en varning (eller ta bort motiveringen)", cmd_acknowledge)
    sp.add_argument("--report", type=int, required=True, metavar="ID", help="redovisningens id")
    sp.add_argument(
        "--warning", required=True, metavar="NYCKEL|N", help="varningens nyckel eller nummer"
    )
    sp.add_argument("--justification", metavar="TEXT", help="varför värdet stämmer")
    sp.add_argument("--withdraw", action="store_true", help="ta bort motiveringen")

    sp = add(
        "baseline",
        "jämför med fjolårets redovisning eller RCC:s siffror för fjolåret",
        cmd_baseline,
    )
    sp.add_argument("--report", type=int, required=True, metavar="ID", help="redovisningens id")
    sp.add_argument(
        "file",
        type=Path,
        nargs="?",
        metavar="FIL",
        help="fjolårets .pdf/.json eller RCC:s .xlsx/.csv",
    )
    sp.add_argument("--clear", action="store_true", help="sluta jämföra med fjolåret")
