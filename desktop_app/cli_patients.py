"""``svf-report patients``: a patient-level SVF list to the report's figures (issue 16).
``register(sub, add)`` is called once from ``cli.build_parser``.

Without ``--apply`` it prints the figures and the listed rows and changes nothing; with
``--apply`` it writes the figures in one transaction (source ``patient_list``). Exit codes:
0 read without rejected rows, 1 some rows rejected (findings), 2 bad input."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FINDINGS = 0, 1


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def cmd_patients(args: argparse.Namespace) -> int:
    from desktop_app.domain.template import load_template
    from desktop_app.services.bootstrap import bootstrap
    from desktop_app.services.patients import (
        apply_patient_figures,
        load_mapping_file,
        preview_patient_list,
    )
    from desktop_app.services.reports import get_report

    ctx = bootstrap(getattr(args, "db", None))
    try:
        tpl = load_template(get_report(ctx, args.report).template_id)
        mapping = load_mapping_file(args.mapping, tpl)
        overrides = dict(args.lead_time or [])
        preview = preview_patient_list(ctx, args.report, args.file, mapping, overrides)
        refused = bool(args.all_or_nothing and preview.result.rejected)
        if args.apply and not refused:
            apply_patient_figures(
                ctx, args.report, dict(preview.result.figures),
                note=f"Siffror beräknade från patientlistan {args.file.name}",
                long_waits=preview.result.long_waits,
            )  # fmt: skip
    finally:
        ctx.close()
    data = preview.to_dict()
    data["applied"] = bool(args.apply) and not refused
    data["all_or_nothing"] = bool(args.all_or_nothing)
    data["lead_time_overrides"] = [
        {"svf_id": s, "treatment": t, "days": d} for (s, t), d in sorted(overrides.items())
    ]
    if args.json:
        _out(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print_human(data, tpl)
    return EXIT_FINDINGS if data["rejected"] else EXIT_OK


def _print_human(data: dict[str, Any], tpl: Any) -> None:
    _out(f"Rader lästa: {data['rows']}, räknade förlopp: {data['pathways']}")
    for svf_id, values in data["figures"].items():
        svf = tpl.svf(svf_id)
        cells = ", ".join(f"{k} {v}" for k, v in values.items())
        _out(f"  {svf.name if svf else svf_id}: {cells}")
    _out(f"Dubbletter (räknade en gång): {data['duplicates']}")
    _out(f"Avslutade i annan region (räknas inte): {data['other_region']}")
    for m in data["missing_lead_time"]:
        _out(f"Saknad ledtid: {m['svf_id']}, {m['treatment']}: {m['rows']} förlopp")
    for r in data["rejected"][:50]:
        _out(f"Rad {r['row']}: {r['reason']}")
    if len(data["rejected"]) > 50:
        _out(f"… och {len(data['rejected']) - 50} rader till som inte kunde läsas")
    for o in data["lead_time_overrides"]:
        _out(f"Egen ledtid (inte mallens): {o['svf_id']}, {o['treatment']}: {o['days']} dagar")
    if data["applied"]:
        _out("Siffrorna är införda i redovisningen.")
    elif data["rejected"] and data.get("all_or_nothing"):
        _out("Inget ändrades: några rader kunde inte läsas (--all-or-nothing).")
    else:
        _out("Inget ändrades (lägg till --apply för att föra in siffrorna).")


def register(sub: Any, add: Callable[..., Any]) -> None:
    sp = add(
        "patients",
        "beräkna SVF-siffrorna från en patientlista (.xlsx eller .csv)",
        cmd_patients,
    )
    sp.add_argument("--report", type=int, required=True, metavar="ID", help="redovisningens id")
    sp.add_argument("file", type=Path, metavar="FIL")
    sp.add_argument(
        "--mapping", type=Path, required=True, metavar="MAPPNING.json",
        help="vilka kolumner och koder i filen som motsvarar fälten",
    )  # fmt: skip
    sp.add_argument("--apply", action="store_true", help="för in siffrorna i redovisningen")
    sp.add_argument("--json", action="store_true", help="skriv ut som JSON")
    sp.add_argument(
        "--all-or-nothing", action="store_true",
        help="för inte in något om någon rad inte kan läsas (annars hoppas sådana rader över)",
    )  # fmt: skip
    sp.add_argument(
        "--lead-time", type=_override, action="append", metavar="SVF:TYP=DAGAR",
        help="egen ledtid där mallen saknar en (markeras), t.ex. lunga:kirurgi=30",
    )  # fmt: skip


def _override(text: str) -> tuple[tuple[str, str], int]:
    head, _, days = text.partition("=")
    svf, _, treatment = head.partition(":")
    if not (svf and treatment and days.isdigit() and int(days) > 0):
        raise argparse.ArgumentTypeError(
            f"'{text}' ska skrivas SVF:TYP=DAGAR, t.ex. lunga:kirurgi=30"
        )
    return (svf.strip(), treatment.strip()), int(days)
