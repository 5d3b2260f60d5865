"""A generated patient-level SVF list with known answers (issue 16), for the tests and the
benchmark. The expected figures are counted here while the rows are made, from the generator's
own table of lead times (read from the SVF descriptions, not from the code under test).

Region 25 (Norrbotten) reports; some pathways end in Skåne. Measurement period 2024-01-01 ..
2024-06-30 (svf-2024)."""

from __future__ import annotations

import random
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

HEADERS = [
    "Personnr",
    "Vårdförlopp",
    "Kön",
    "Välgrundad misstanke",
    "Behandlingsstart",
    "Behandling",
    "Avslut",
    "Enhet",
    "Avslutsregion",
]
MAPPING = {
    "columns": {
        "personnummer": "Personnr",
        "svf": "Vårdförlopp",
        "sex": "Kön",
        "suspicion_date": "Välgrundad misstanke",
        "treatment_start": "Behandlingsstart",
        "treatment_type": "Behandling",
        "end_reason": "Avslut",
        "unit": "Enhet",
        "ending_region": "Avslutsregion",
    },
    "sex": {"K": "kvinnor", "M": "man"},
    "end_reason": {"1": "treatment", "2": "written_off", "3": "other"},
    "treatment_type": {"KIR": "kirurgi", "STR": "stralbehandling", "ING": "ingen_atgard"},
}
TODAY = date(2024, 9, 1)
PERIOD = (date(2024, 1, 1), date(2024, 6, 30))
CHANGE = date(2024, 5, 14)  # urinblåsa: new lead times from this day


def lead_time(svf: str, treatment: str, suspicion: date) -> int | None:
    """The oracle's lead times (svf-facts.md and the SVF descriptions)."""
    if svf == "brost":
        return 28
    if svf == "prostata":
        return {"kirurgi": 61, "stralbehandling": 68}.get(treatment)
    if svf == "aggstock":
        return {"kirurgi": 24}.get(treatment)
    if svf == "urinblasa-urinvagar":
        new = suspicion >= CHANGE
        return {
            "kirurgi": 42 if new else 37,
            "stralbehandling": 48 if new else 43,
            "ingen_atgard": None if new else 22,
        }.get(treatment)
    return None  # lunga: the template has no lead time


SVFS = {  # svf id -> (written as in the file, sexes)
    "brost": ("brost", ("K", "M")),
    "prostata": ("Prostatacancer", ("M",)),
    "aggstock": ("aggstock", ("K",)),
    "urinblasa-urinvagar": ("urinblasa-urinvagar", ("K", "M")),
    "lunga": ("Lungcancer", ("K", "M")),
}
SEX = {"K": "kvinnor", "M": "man"}
TREATMENT = {"KIR": "kirurgi", "STR": "stralbehandling", "ING": "ingen_atgard"}


def luhn_digit(nine: str) -> str:
    total = 0
    for i, ch in enumerate(nine):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return str((10 - total % 10) % 10)


def personnummer(rng: random.Random) -> str:
    """A valid 12-digit personnummer (YYYYMMDDNNNC), born 1930-1999."""
    born = date(1930, 1, 1) + timedelta(days=rng.randrange(365 * 70))
    nine = born.strftime("%y%m%d") + f"{rng.randrange(1000):03d}"
    return born.strftime("%Y") [:2] + nine + luhn_digit(nine)  # fmt: skip


def written(pnr12: str, form: int) -> str:
    """The same number in the forms lists use: 12 with hyphen, 10 with hyphen, 12 plain."""
    if form == 0:
        return f"{pnr12[:8]}-{pnr12[8:]}"
    if form == 1:
        return f"{pnr12[2:8]}-{pnr12[8:]}"
    return pnr12


def date_text(d: date, form: int) -> str | float:
    if form == 0:
        return d.isoformat()
    if form == 1:
        return d.strftime("%Y%m%d")
    if form == 2:
        return d.strftime("%d.%m.%Y")
    return str((d - date(1899, 12, 30)).days)  # an Excel serial, as some exports write it


@dataclass
class Expected:
    figures: dict[tuple[str, str, str], float] = field(default_factory=dict)
    rejected_rows: list[int] = field(default_factory=list)
    duplicate_rows: list[int] = field(default_factory=list)
    other_region_rows: list[int] = field(default_factory=list)
    missing: dict[tuple[str, str], int] = field(default_factory=dict)
    long_waits: int = 0
    identities: list[str] = field(default_factory=list)  # 12-digit, to search outputs for


@dataclass
class _Counter:
    counts: dict = field(default_factory=lambda: defaultdict(int))
    days: dict = field(default_factory=lambda: defaultdict(list))
    measured: dict = field(default_factory=lambda: defaultdict(int))
    missing: dict = field(default_factory=lambda: defaultdict(int))
    present: set = field(default_factory=set)
    long_waits: int = 0

    def add(self, svf: str, sex: str, suspicion: date, end: str, start: date | None, t: str):
        self.present.add(svf)
        lo, hi = PERIOD
        if lo <= suspicion <= hi:
            self.counts[(svf, "investigated", sex)] += 1
        if end != "1" or start is None or not lo <= start <= hi:
            return
        self.counts[(svf, "included", sex)] += 1
        days = (start - suspicion).days
        self.days[(svf, sex)].append(days)
        lead = lead_time(svf, t, suspicion)
        if lead is None:
            self.missing[(svf, t)] += 1
            return
        self.measured[(svf, sex)] += 1
        if days <= lead:
            self.counts[(svf, "within_lead_time", sex)] += 1
        if days > 1.75 * lead:
            self.counts[(svf, "over_175", sex)] += 1
            self.long_waits += 1

    def figures(self) -> dict:
        out = {}
        for svf in self.present:
            for code in SVFS[svf][1]:
                sex = SEX[code]
                out[(svf, "investigated", sex)] = self.counts[(svf, "investigated", sex)]
                out[(svf, "included", sex)] = self.counts[(svf, "included", sex)]
                if self.measured[(svf, sex)]:
                    for m in ("within_lead_time", "over_175"):
                        out[(svf, m, sex)] = self.counts[(svf, m, sex)]
                if self.days[(svf, sex)]:
                    out[(svf, "median_days", sex)] = statistics.median(self.days[(svf, sex)])
        return out


BAD_ROWS = (
    lambda v: v.__setitem__(0, v[0][:-1] + str((int(v[0][-1]) + 1) % 10)),  # check digit
    lambda v: v.__setitem__(1, "Okänt förlopp"),
    lambda v: v.__setitem__(3, "31.02.2024"),
    lambda v: v.__setitem__(2, "X"),
)


def generate(n: int, seed: int = 16) -> tuple[list[list[str]], Expected]:
    """``n`` data rows (without the header) and what they must give."""
    rng = random.Random(seed)
    rows: list[list[str]] = []
    exp = Expected()
    counter = _Counter()
    kept: list[tuple[str, str, str, date]] = []  # (pnr12, svf written, sex, suspicion)
    for i in range(n):
        number = i + 2  # row 1 is the header
        roll = rng.random()
        if roll < 0.01 and kept:  # a duplicate of an earlier counted pathway, in another form
            pnr, svf_text, sex, suspicion = rng.choice(kept)
            values = _row(rng, written(pnr, rng.randrange(3)), svf_text, sex, suspicion)
            rows.append(values)
            exp.duplicate_rows.append(number)
            continue
        svf = rng.choice(list(SVFS))
        svf_text, codes = SVFS[svf]
        sex = rng.choice(codes)
        pnr = personnummer(rng)
        suspicion = date(2023, 11, 1) + timedelta(days=rng.randrange(243))
        values = _row(rng, written(pnr, rng.randrange(3)), svf_text, sex, suspicion)
        if roll < 0.02:
            rng.choice(BAD_ROWS)(values)
            rows.append(values)
            exp.rejected_rows.append(number)
            continue
        rows.append(values)
        kept.append((pnr, svf_text, sex, suspicion))
        exp.identities.append(pnr)
        if roll < 0.04:
            values[8] = "Region Skåne"
            exp.other_region_rows.append(number)
            continue
        start = _date_of(values[4])
        counter.add(svf, SEX[sex], suspicion, values[6], start, TREATMENT.get(values[5], ""))
    exp.figures = counter.figures()
    exp.missing = dict(counter.missing)
    exp.long_waits = counter.long_waits
    return rows, exp


def _row(rng: random.Random, pnr: str, svf: str, sex: str, suspicion: date) -> list[str]:
    end = rng.choices(["1", "2", "3"], weights=[80, 15, 5])[0]
    start = suspicion + timedelta(days=rng.randrange(0, 110)) if end == "1" else None
    treatment = rng.choice(list(TREATMENT)) if end == "1" else ""
    region = rng.choice(["", "", "Norrbotten", "25", "Region Norrbotten"])
    return [
        pnr,
        svf,
        sex,
        date_text(suspicion, rng.randrange(4)),
        date_text(start, rng.randrange(4)) if start else "",
        treatment,
        end,
        rng.choice(["Sunderby sjukhus", "Gällivare sjukhus", "Piteå älvdal"]),
        region,
    ]


def _date_of(text: str) -> date | None:
    if not text:
        return None
    if "-" in text:
        return date.fromisoformat(text)
    if "." in text:
        d, m, y = text.split(".")
        return date(int(y), int(m), int(d))
    if len(text) == 8:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    return date(1899, 12, 30) + timedelta(days=int(text))


def write_csv(path, rows: list[list[str]]) -> None:
    import csv

    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(HEADERS)
        w.writerows(rows)


def write_xlsx(path, rows: list[list[str]]) -> None:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Lista")
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    wb.save(path)
