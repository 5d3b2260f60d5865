"""Build resources/reference/*.json and the SVF lists of the yearly templates from
../shared/reference/svf-reference.json (the team's sourced fact base).

Run from the repository root:  uv run python resources/reference/build_reference.py PATH/svf-reference.json

The output is committed; the application never reads the shared file at run time.
Only regions/RCCs are overwritten; in the templates only each SVF's lead-time block is refreshed,
so hand-written template text (questions, criteria, amounts) is left as it is.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE.parent / "templates"

# Region names in the reference data are the official ones; population source text per the fact sheet §4.3.
POPULATION_SOURCE = "SCB, folkmängd 31 december 2023 (summa 10 551 707); se svf-facts.md §4.3"


def build(ref_path: Path) -> None:
    ref = json.loads(ref_path.read_text(encoding="utf-8"))
    regions = [
        {
            "code": r["code"],
            "name": r["name"],
            "lan": r["lan"],
            "rcc": r["rcc"],
            **({"rcc_secondary": r["rcc_secondary"]} if r.get("rcc_secondary") else {}),
            "population": r["population"],
            "population_date": r["population_date"],
            "population_source": POPULATION_SOURCE,
        }
        for r in ref["regions"]
    ]
    rccs = [
        {
            "id": c["id"],
            "name": c["name"],
            "regions": c["regions"],
            **({"note": c["note"]} if c.get("note") else {}),
            "source": c["source"],
        }
        for c in ref["rccs"]
    ]
    out = {"regions": regions, "rccs": rccs}
    (HERE / "regions.json").write_text(
        json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )

    by_id = {s["id"]: s for s in ref["svf"]}
    for tpl_path in sorted(TEMPLATES.glob("svf-*.json")):
        tpl = json.loads(tpl_path.read_text(encoding="utf-8"))
        for svf in tpl["svfs"]:
            src = by_id.get(svf["id"])
            if src is None:
                continue
            svf["lead_times"] = [
                {"treatment": lt["treatment"], "days": lt["days"]} for lt in src["lead_times"]
            ]
            svf["lead_time_status"] = src["status"]
            svf["lead_time_version"] = src.get("version")
            svf["lead_time_source"] = src.get("source")
        tpl_path.write_text(json.dumps(tpl, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    build(Path(sys.argv[1]))
