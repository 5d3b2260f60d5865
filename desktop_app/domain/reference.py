"""Regions, RCCs and populations (resources/reference/regions.json)."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from datetime import date
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
    source: str = ""  # the RCC's own page the reference data was taken from


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
        Rcc(
            id=c["id"],
            name=c["name"],
            regions=tuple(c["regions"]),
            note=c.get("note", ""),
            source=c.get("source", ""),
        )
        for c in data["rccs"]
    )
    return Reference(regions=regions, rccs=rccs)


# ------------------------------------------------------------------ population tables


@dataclass(frozen=True)
class PopulationTable:
    """A population table the RCC loaded (all 21 regions): region code -> population, with the
    date the figures refer to and their source (the file name)."""

    populations: dict[str, int]
    date: str
    source: str


_TOTAL_ROW = re.compile(r"^(00\s*)?riket$", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]")


def _region_index(ref: Reference) -> dict[str, str]:
    """Every accepted way of naming a region -> its code: code, "01 Stockholms län", the
    region's name and its län, case-insensitive."""
    index: dict[str, str] = {}
    for r in ref.regions:
        for key in (r.code, r.name, r.lan, f"{r.code} {r.lan}", f"{r.code} {r.name}"):
            index[key.casefold()] = r.code
    return index


def _region_code(cell: str, index: dict[str, str]) -> str | None:
    text = " ".join(cell.split())
    code = index.get(text.casefold()) or index.get(normalize_region_code(text).casefold())
    if code is None:
        head = text.split(" ", 1)[0]
        if head.isdigit() and len(head) <= 2:
            code = index.get(normalize_region_code(head))
    return code


def _population(cell: str) -> int | None:
    text = _SPACES.sub("", cell)
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text.isdigit() else None


def _rows(text: str) -> list[list[str]]:
    sample = "\n".join(line for line in text.splitlines()[:20] if line.strip())
    delimiter = max((";", "\t", ","), key=sample.count)
    return [[c.strip() for c in row] for row in csv.reader(text.splitlines(), delimiter=delimiter)]


def parse_population_csv(
    text: str, file_name: str, population_date: str, ref: Reference | None = None
) -> PopulationTable:
    """A population table in SCB's CSV layout: a row per region, the region (code such as
    "01", "01 Stockholms län", "Stockholms län" or "Region Stockholm") in the first column and
    the population in the last; separator ";", tab or ","; title lines, a header row, a
    "Riket" row and footnotes after the table are skipped. Every one of the 21 regions must be
    there exactly once with a positive whole number.

    Raises UserError naming the file, the row and the column of the first problem."""
    ref = ref or load_reference()
    try:
        date.fromisoformat(population_date)
    except ValueError:
        raise UserError(
            f"Datumet för folkmängden i {file_name} måste skrivas ÅÅÅÅ-MM-DD "
            f"(inte '{population_date}')."
        ) from None
    index = _region_index(ref)
    found: dict[str, int] = {}
    started = False
    for number, row in enumerate(_rows(text), start=1):
        cells = [c for c in row if c]
        if len(cells) < 2 or _TOTAL_ROW.match(" ".join(cells[0].split())):
            if started and not cells:
                break  # footnotes follow a blank line
            continue
        code = _region_code(row[0], index)
        value = _population(row[-1])
        if not started and code is None and value is None:
            continue  # a header row
        started = True
        where = f"{file_name}, rad {number}"
        if code is None:
            raise UserError(f"{where}, kolumn 1: '{row[0]}' är ingen känd region.")
        if value is None or value <= 0:
            raise UserError(
                f"{where}, kolumn {len(row)}: folkmängden '{row[-1]}' är inget positivt heltal."
            )
        if code in found:
            raise UserError(f"{where}, kolumn 1: {ref.region(code).name} finns redan i tabellen.")
        found[code] = value
    missing = [r.name for r in ref.regions if r.code not in found]
    if missing:
        raise UserError(
            f"{file_name}: tabellen saknar {len(missing)} av {len(ref.regions)} regioner: "
            + ", ".join(missing)
            + "."
        )
    return PopulationTable(populations=found, date=population_date, source=file_name)
