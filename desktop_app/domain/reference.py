"""Regions, RCCs and populations (resources/reference/regions.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from desktop_app.domain.errors import UserError
from desktop_app.resources import resources_dir


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    lan: str
    rcc: str
    population: int
    population_date: str
    population_source: str
    rcc_secondary: str | None = None


@dataclass(frozen=True)
class Rcc:
    id: str
    name: str
    regions: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Reference:
    regions: tuple[Region, ...]
    rccs: tuple[Rcc, ...]

    def region(self, code: str) -> Region:
        """The region with this code; accepts '1', '01', 'SE-01'. Raises UserError if unknown."""
        norm = normalize_region_code(code)
        for r in self.regions:
            if r.code == norm:
                return r
        codes = ", ".join(r.code for r in self.regions)
        raise UserError(f"Det finns ingen region med kod '{code}'. Giltiga koder: {codes}.")

    def rcc(self, rcc_id: str) -> Rcc:
        for c in self.rccs:
            if c.id == rcc_id:
                return c
        ids = ", ".join(c.id for c in self.rccs)
        raise UserError(f"Det finns inget RCC som heter '{rcc_id}'. Giltiga: {ids}.")


def normalize_region_code(code: str | int) -> str:
    """'1' -> '01', 'SE-25' -> '25'; anything else is returned stripped."""
    s = str(code).strip().upper().removeprefix("SE-")
    if s.endswith(".0"):  # a code typed as a number in Excel
        s = s[:-2]
    return s.zfill(2) if s.isdigit() and len(s) <= 2 else s


@lru_cache(maxsize=1)
def load_reference() -> Reference:
    data = json.loads((resources_dir() / "reference" / "regions.json").read_text(encoding="utf-8"))
    regions = tuple(
        Region(
            code=r["code"],
            name=r["name"],
            lan=r["lan"],
            rcc=r["rcc"],
            population=r["population"],
            population_date=r["population_date"],
            population_source=r["population_source"],
            rcc_secondary=r.get("rcc_secondary"),
        )
        for r in data["regions"]
    )
    rccs = tuple(
        Rcc(id=c["id"], name=c["name"], regions=tuple(c["regions"]), note=c.get("note", ""))
        for c in data["rccs"]
    )
    return Reference(regions=regions, rccs=rccs)
