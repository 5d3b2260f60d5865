"""`svf-report set`: one figure typed on the command line, with the reason a change of the
RCC's extract value needs (issue 15, point 2)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any


def _number(text: str) -> float | None:
    if text.strip().lower() in ("", "tomt", "-"):
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' är inget tal") from None


def cmd_set(args: argparse.Namespace) -> int:
    from desktop_app.domain.template import load_template
    from desktop_app.services.bootstrap import bootstrap
    from desktop_app.services.reports import (
        cell_label,
        figure_provenance,
        fmt_value,
        get_report,
        set_figures,
    )

    ctx = bootstrap(getattr(args, "db", None))
    try:
        cell = (args.svf, args.measure, args.sex)
        set_figures(ctx, args.report, {cell: args.value}, reason=args.reason)
        report = get_report(ctx, args.report)
        p = figure_provenance(ctx, args.report).get(cell)
    finally:
        ctx.close()
    where = cell_label(load_template(report.template_id), cell)
    line = f"{where}: {fmt_value(report.figures.get(*cell))}"
    sys.stdout.write(line + (f" ({p.describe()})" if p is not None else "") + "\n")
    return 0


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' är inget datum (ÅÅÅÅ-MM-DD)") from None


def cmd_extract_split(args: argparse.Namespace) -> int:
    from desktop_app.services.bootstrap import bootstrap
    from desktop_app.services.extract import split_extract

    ctx = bootstrap(getattr(args, "db", None))  # the RCC keeps its own copy of the extract
    try:
        result = split_extract(args.file, args.date, args.rcc, args.out, args.year, ctx)
    finally:
        ctx.close()
    x = result.extract
    sys.stdout.write(f"RCC:s datauttag {x.on.isoformat()} (SHA-256 {x.sha256})\n")
    for f in result.files:
        sys.stdout.write(f"  {f.region.name} ({f.region.code}): {f.values} värden → {f.path}\n")
    for r in result.missing:
        sys.stdout.write(f"  {r.name} ({r.code}): inga värden i uttaget, ingen startfil\n")
    return 0


def register(sub: Any, add: Any) -> None:
    sp = add(
        "extract-split",
        "dela RCC:s nationella datauttag i en förifylld startfil per region",
        cmd_extract_split,
    )
    sp.add_argument("file", type=Path, metavar="UTTAG", help="uttaget (.xlsx eller .csv)")
    sp.add_argument(
        "--date", type=_date, required=True, metavar="ÅÅÅÅ-MM-DD", help="uttagets datum"
    )
    sp.add_argument("--rcc", required=True, metavar="RCC", help="RCC:s id, t.ex. norr")
    sp.add_argument("--out", type=Path, required=True, metavar="MAPP", help="mapp för startfilerna")
    sp.add_argument("--year", type=int, metavar="ÅR", help="redovisningsår (annars uttagets år)")

    sp = add("set", "ändra en siffra (med motivering om den kommer från RCC:s uttag)", cmd_set)
    sp.add_argument("--report", type=int, required=True, metavar="ID", help="redovisningens id")
    sp.add_argument("--svf", required=True, metavar="ID", help="SVF-id, t.ex. lunga")
    sp.add_argument("--measure", required=True, metavar="M", help="mått, t.ex. included")
    sp.add_argument("--sex", required=True, metavar="S", help="kön eller total, t.ex. kvinnor")
    sp.add_argument(
        "--value", type=_number, required=True, metavar="N", help="värdet (tomt: rensa cellen)"
    )
    sp.add_argument("--reason", metavar="TEXT", help="varför ett värde från RCC:s datauttag ändras")
