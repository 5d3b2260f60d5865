"""``svf-report history``: a report's hash-chained history, and the check of every chain
(issue 15, point 4). ``register(sub, add)`` is called once from ``cli.build_parser``.

Exit codes as elsewhere: 0 printed / every chain intact, 1 a chain is broken (findings),
2 bad input (no such report)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _check(ctx: Any, args: argparse.Namespace) -> int:
    from desktop_app.services.history import check_history

    result = check_history(ctx, args.report)
    if args.json:
        _out(
            json.dumps(
                {
                    "ok": result.ok,
                    "reports": result.reports,
                    "entries": result.entries,
                    "breaks": [
                        {
                            "report": b.report_id,
                            "seq": b.seq,
                            "at": b.at.isoformat(timespec="seconds") if b.at else None,
                            "problem": b.problem,
                        }
                        for b in result.breaks
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    elif result.ok:
        _out(f"Historiken är obruten: {result.entries} rader i {result.reports} redovisningar.")
    else:
        for b in result.breaks:
            when = f", {b.at.isoformat(sep=' ', timespec='seconds')}" if b.at else ""
            row = f", rad {b.seq}" if b.seq is not None else ""
            _out(f"Bruten kedja: redovisning {b.report_id}{row}{when}: {b.problem}.")
    return EXIT_OK if result.ok else EXIT_FINDINGS


def _check_document(ctx: Any, args: argparse.Namespace) -> int:
    from desktop_app.services.history import check_file_head

    result = check_file_head(ctx, args.document)
    if args.json:
        _out(
            json.dumps(
                {
                    "ok": result.ok,
                    "report": result.report_id,
                    "entries": result.head[0] if result.head else None,
                    "head": result.head[1] if result.head else None,
                    "problem": result.problem,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    elif result.ok and result.head is not None:
        _out(
            f"Dokumentets historik finns i databasen: redovisning {result.report_id}, rad "
            f"{result.head[0]}, kontrollsumma {result.head[1][:16]}…"
        )
    else:
        _out(f"Dokumentets historik stämmer inte med databasen: {result.problem}.")
    return EXIT_OK if result.ok else EXIT_FINDINGS


def _print(ctx: Any, args: argparse.Namespace) -> int:
    from desktop_app.services.history import report_history

    lines = report_history(ctx, args.report)
    if args.json:
        _out(json.dumps([x.to_dict() for x in lines], ensure_ascii=False, indent=2))
        return EXIT_OK
    for x in lines:
        change = f"{x.old_text} → {x.new_text}" if x.path else ""
        parts = [
            f"{x.seq:>4}  {x.at.isoformat(sep=' ', timespec='seconds')}  {x.who or '–'}",
            x.kind_label + (f": {x.what}" if x.path else ""),
            change,
            f"källa: {x.source_label}" if x.source else "",
            f"skäl: {x.reason}" if x.reason else "",
            x.note,
        ]
        _out("  ".join(p for p in parts if p))
    return EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    from desktop_app.domain.errors import UserError
    from desktop_app.services.bootstrap import bootstrap

    if not args.check and args.report is None and args.document is None:
        raise UserError(
            "Ange --report ID för att visa historiken, eller --check för att kontrollera den."
        )
    ctx = bootstrap(getattr(args, "db", None))
    try:
        if args.document is not None:
            return _check_document(ctx, args)
        return _check(ctx, args) if args.check else _print(ctx, args)
    finally:
        ctx.close()


def register(sub: Any, add: Callable[..., Any]) -> None:
    sp = add(
        "history",
        "visa en redovisnings historik (gammalt → nytt värde) eller kontrollera att den är obruten",
        cmd_history,
    )
    sp.add_argument("--report", type=int, metavar="ID", help="redovisningens id")
    sp.add_argument(
        "--check",
        action="store_true",
        help="kontrollera kedjan av kontrollsummor för alla redovisningar (eller --report); "
        "slutkod 1 och första brutna raden om den är bruten",
    )
    sp.add_argument(
        "--document",
        type=Path,
        metavar="FIL",
        help="kontrollera att en exporterad eller underskriven PDF (eller ett JSON-dokument) "
        "bär ett huvud som finns i databasens historik",
    )
    sp.add_argument("--json", action="store_true", help="skriv ut som JSON")
