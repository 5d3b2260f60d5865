"""A region's patient-level SVF list turned into the report's figures (issue 16).

Pure: rows come in as plain values (the file formats are read in exchange.patient_read), the
identity number is replaced by a keyed hash before a row becomes a ``Pathway`` (the key is kept
by services.patients), and what comes out are counts per SVF and sex plus lists of row numbers.
Nothing here keeps or returns a clear identity number; a rejected row's reason never quotes it.

The rules (issue 16, point 3; svf-facts.md §2.1), all in calendar days:
- ``investigated``: pathways whose suspicion date lies in the template's period;
- ``included``: pathways ended by start of first treatment with the start in the period;
- for those, days = treatment start − suspicion date and the lead time is the template's for the
  SVF and treatment type valid on the suspicion date; ``within_lead_time``: days ≤ lead time;
  ``over_175``: days > long_wait_percent % of the lead time; ``median_days`` over the included;
- a pathway that ended in another region is the ending region's: not counted, listed;
- the same pseudonymised person, SVF and suspicion date twice counts once, listed;
- no lead time for an SVF and treatment type: counted in ``included``, not in the lead-time
  measures, listed per SVF and treatment (a marked override may give the lead time).
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from desktop_app.domain.figures import Cell, Number
from desktop_app.domain.template import PatientListSettings, Template
from desktop_app.domain.vocabulary import EndReason

# Our fields of a patient list, in the order the mapping dialog shows them; the last is optional.
FIELDS = (
    "personnummer",
    "svf",
    "sex",
    "suspicion_date",
    "treatment_start",
    "treatment_type",
    "end_reason",
    "unit",
    "ending_region",
)
REQUIRED_FIELDS = FIELDS[:-1]
FIELD_LABELS = {
    "personnummer": "Personnummer",
    "svf": "SVF",
    "sex": "Kön",
    "suspicion_date": "Datum för välgrundad misstanke",
    "treatment_start": "Datum för start av första behandling",
    "treatment_type": "Typ av första behandling",
    "end_reason": "Hur SVF avslutades",
    "unit": "Rapporterande enhet",
    "ending_region": "Region där SVF avslutades (frivillig)",
}
# Computed measures, in the template's order of measures.
MEASURES = ("investigated", "included", "within_lead_time", "over_175", "median_days")

Pseudonymise = Callable[[str], str]


class MappingError(ValueError):
    """A mapping that cannot be used (Swedish message naming the field)."""


@dataclass(frozen=True)
class ColumnMapping:
    """Which column header of the file holds each of our fields, and how codes map.

    ``sex``: file code -> template sex id; ``end_reason``: code -> EndReason;
    ``treatment_type``: code -> template treatment type id; ``svf``: optional code -> SVF id
    (without one, the SVF's id or name as in the template is read)."""

    columns: dict[str, str]
    sex: dict[str, str] = field(default_factory=dict)
    end_reason: dict[str, EndReason] = field(default_factory=dict)
    treatment_type: dict[str, str] = field(default_factory=dict)
    svf: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "columns": dict(self.columns),
            "sex": dict(self.sex),
            "end_reason": {k: str(v) for k, v in self.end_reason.items()},
            "treatment_type": dict(self.treatment_type),
            "svf": dict(self.svf),
        }


def mapping_from_dict(data: Any, tpl: Template) -> ColumnMapping:
    """Build and check a mapping from its JSON form. Accepts ``{"columns": {...}, "sex": ...}``
    and the flat form of the issue (our field -> header at the top level)."""
    if not isinstance(data, dict):
        raise MappingError("Mappningen ska vara ett JSON-objekt.")
    columns = data.get("columns")
    if columns is None:
        columns = {k: v for k, v in data.items() if k in FIELDS and isinstance(v, str)}
    if not isinstance(columns, dict):
        raise MappingError("Mappningens 'columns' ska vara ett objekt.")
    mapping = ColumnMapping(
        columns={str(k): str(v) for k, v in columns.items() if v},
        sex=_codes(data, "sex"),
        end_reason={k: _end_reason(k, v) for k, v in _codes(data, "end_reason").items()},
        treatment_type=_codes(data, "treatment_type"),
        svf=_codes(data, "svf_codes"),
    )
    check_mapping(mapping, tpl)
    return mapping


def _codes(data: dict[str, Any], key: str) -> dict[str, str]:
    value = data.get(key, {})
    if isinstance(value, str):  # the flat form may name the column here; codes then go in maps
        value = data.get(f"{key}_codes", {})
    if not isinstance(value, dict):
        raise MappingError(f"Mappningens '{key}' ska vara ett objekt med koder.")
    return {str(k).strip(): str(v) for k, v in value.items()}


def _end_reason(code: str, value: str) -> EndReason:
    try:
        return EndReason(value)
    except ValueError:
        allowed = ", ".join(e.value for e in EndReason)
        raise MappingError(
            f"Mappningen av avslut: koden '{code}' anger '{value}'; tillåtna värden: {allowed}."
        ) from None


def check_mapping(mapping: ColumnMapping, tpl: Template) -> None:
    """Refuse a mapping that leaves out a required field or maps a code to nothing known."""
    missing = [FIELD_LABELS[f] for f in REQUIRED_FIELDS if not mapping.columns.get(f)]
    if missing:
        raise MappingError("Mappningen saknar kolumn för: " + ", ".join(missing) + ".")
    unknown = [f for f in mapping.columns if f not in FIELDS]
    if unknown:
        raise MappingError("Mappningen anger okända fält: " + ", ".join(sorted(unknown)) + ".")
    bad_sex = sorted(v for v in mapping.sex.values() if tpl.sex(v) is None)
    if bad_sex:
        raise MappingError("Mappningen av kön anger okända kön: " + ", ".join(bad_sex) + ".")
    types = {t.id for t in settings_of(tpl).treatment_types}
    bad_types = sorted(v for v in mapping.treatment_type.values() if v not in types)
    if bad_types:
        raise MappingError(
            "Mappningen av behandlingstyp anger typer som mallen saknar: "
            + ", ".join(bad_types)
            + f" (mallen har: {', '.join(sorted(types))})."
        )
    bad_svf = sorted(v for v in mapping.svf.values() if tpl.svf(v) is None)
    if bad_svf:
        raise MappingError("Mappningen av SVF anger okända SVF: " + ", ".join(bad_svf) + ".")


def settings_of(tpl: Template) -> PatientListSettings:
    """The template's patient-list settings, or a MappingError saying the year has none."""
    if tpl.patient_list is None:
        raise MappingError(
            f"Mallen för {tpl.year} har inga uppgifter för patientlistor (behandlingstyper)."
        )
    return tpl.patient_list


# ------------------------------------------------------------------ reading one row's values


def normalise_personnummer(text: str, on: date) -> str | None:
    """The 12-digit form (ÅÅÅÅMMDDNNNN) of a personnummer or samordningsnummer, or None if it
    is not one (wrong form, impossible date, wrong check digit).

    A 10-digit number gets the century that makes the person at most 99 years old on ``on``
    (100 or more with '+'), as the Swedish rule does. Written here rather than with
    python-stdnum: 24 µs a number there is seconds on a 100 000-row list (the tests check
    this function against python-stdnum)."""
    t = text.strip()
    plus = False
    if len(t) in (11, 13):
        sep = t[-5]
        if sep not in "-+":
            return None
        plus = sep == "+"
        t = t[:-5] + t[-4:]
    if len(t) not in (10, 12) or not (t.isascii() and t.isdigit()):
        return None
    ten = t[-10:]
    if not _luhn_ok(ten):
        return None
    yy, mm, day = int(ten[:2]), int(ten[2:4]), int(ten[4:6])
    if day > 60:  # samordningsnummer
        day -= 60
    if len(t) == 12:
        year = int(t[:4])
    else:
        year = (on.year // 100) * 100 + yy
        if year > on.year:
            year -= 100
        if plus:
            year -= 100
    try:
        date(year, mm, day)
    except ValueError:
        return None
    return f"{year:04d}{ten[2:]}"


# Luhn over pairs of digits: the first of each pair doubled (digits summed), the second as is;
# five lookups a number instead of ten digit operations.
_PAIRS = {f"{a}{b}": (2 * a if a < 5 else 2 * a - 9) + b for a in range(10) for b in range(10)}


def _luhn_ok(digits: str) -> bool:
    p = _PAIRS
    try:
        return (
            p[digits[0:2]] + p[digits[2:4]] + p[digits[4:6]] + p[digits[6:8]] + p[digits[8:10]]
        ) % 10 == 0
    except KeyError:
        return False


_EXCEL_EPOCH = date(1899, 12, 30)
_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")


def parse_date(value: Any) -> date | None:
    """A date in the usual Swedish and Excel forms: a date/datetime cell, an Excel serial
    number, ÅÅÅÅ-MM-DD (also with a time after it), ÅÅÅÅMMDD, ÅÅÅÅ/MM/DD, DD.MM.ÅÅÅÅ or
    DD/MM/ÅÅÅÅ. None: not a date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        return None
    if not isinstance(value, str):
        return None
    return _parse_date_text(value.strip())


def _parse_date_text(text: str) -> date | None:
    try:
        if len(text) == 10 and text[4] in "-/" and text[7] == text[4]:
            return date(int(text[:4]), int(text[5:7]), int(text[8:10]))
        if len(text) == 8 and text.isdigit():
            return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
        if len(text) > 10 and text[4] == "-" and text[10] in " T":
            return _parse_date_text(text[:10])
        m = _DMY.match(text)
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if text.replace(".", "", 1).isdigit():
            return parse_date(float(text))
    except ValueError:
        return None
    return None


@dataclass(slots=True)  # not frozen: a frozen __init__ costs seconds on 100 000 rows
class Pathway:
    """One SVF pathway of the list, pseudonymised: ``person`` is the keyed hash of the
    identity number, ``row`` the row number in the file (1 = the header row)."""

    row: int
    person: str
    svf: str
    sex: str
    suspicion: date
    treatment_start: date | None
    treatment: str | None
    end_reason: EndReason
    unit: str
    ending_region: str


@dataclass(frozen=True)
class RejectedRow:
    row: int
    reason: str


class RowReader:
    """Turns the raw values of one row (by our field) into a Pathway or a RejectedRow.

    Built once per file: the code maps and the SVF lookup are made ready here, and dates seen
    before are remembered (a list has few distinct dates)."""

    def __init__(
        self, mapping: ColumnMapping, tpl: Template, pseudonymise: Pseudonymise, today: date
    ) -> None:
        self.tpl = tpl
        self.today = today
        self.pseudonymise = pseudonymise
        self.sex = {k.casefold(): v for k, v in mapping.sex.items()}
        for s in tpl.sexes:
            self.sex.setdefault(s.id.casefold(), s.id)
            self.sex.setdefault(s.label.casefold(), s.id)
        self.end = {k.casefold(): v for k, v in mapping.end_reason.items()}
        for e in EndReason:
            self.end.setdefault(e.value, e)
        self.types = {k.casefold(): v for k, v in mapping.treatment_type.items()}
        for t in settings_of(tpl).treatment_types:
            self.types.setdefault(t.id.casefold(), t.id)
            self.types.setdefault(t.label.casefold(), t.id)
        self.svfs = {k.casefold(): v for k, v in mapping.svf.items()}
        for svf in tpl.svfs:
            self.svfs.setdefault(svf.id.casefold(), svf.id)
            self.svfs.setdefault(svf.name.casefold(), svf.id)
        self.svf_sexes = {s.id: s.sexes for s in tpl.svfs}
        self._dates: dict[Any, date | None] = {}

    def _date(self, value: Any) -> date | None:
        try:
            return self._dates[value]
        except KeyError:
            d = self._dates[value] = parse_date(value)
            return d
        except TypeError:  # an unhashable cell value: read it, do not remember it
            return parse_date(value)

    @staticmethod
    def _code(table: dict[Any, Any], value: Any) -> Any:
        """The code map's entry for a cell (remembered per raw value: lists repeat codes)."""
        try:
            return table[value]
        except KeyError:
            found = table[value] = table.get(_text(value).casefold())
            return found
        except TypeError:
            return table.get(_text(value).casefold())

    def read(self, row: int, values: Sequence[Any]) -> Pathway | RejectedRow:
        """The pathway of one row (``values`` in the order of FIELDS), or why it cannot be
        read (never quoting the number)."""
        pnr_cell, svf_cell, sex_cell, susp_cell, start_cell, type_cell, end_cell = values[:7]
        pnr = normalise_personnummer(
            pnr_cell if type(pnr_cell) is str else _text(pnr_cell), self.today
        )
        if pnr is None:
            return RejectedRow(row, "personnumret saknas eller är ogiltigt")
        svf = self._code(self.svfs, svf_cell)
        if svf is None:
            return RejectedRow(row, f"okänd SVF '{_short(svf_cell)}'")
        sex = self._code(self.sex, sex_cell)
        if sex is None:
            return RejectedRow(row, f"okänt kön '{_short(sex_cell)}'")
        if sex not in self.svf_sexes[svf]:
            return RejectedRow(row, f"SVF {svf} gäller inte kön '{sex}'")
        suspicion = self._date(susp_cell)
        if suspicion is None:
            return RejectedRow(row, "datum för välgrundad misstanke saknas eller kan inte läsas")
        end = self._code(self.end, end_cell)
        if end is None:
            return RejectedRow(row, f"okänt avslut '{_short(end_cell)}'")
        start: date | None = None
        treatment: str | None = None
        if end is EndReason.TREATMENT:
            start = self._date(start_cell)
            if start is None:
                return RejectedRow(row, "datum för start av behandling saknas eller kan inte läsas")
            if start < suspicion:
                return RejectedRow(row, "behandlingen startar före välgrundad misstanke")
            treatment = self._code(self.types, type_cell)
            if treatment is None:
                return RejectedRow(row, f"okänd behandlingstyp '{_short(type_cell)}'")
        unit, region = values[7], values[8]
        return Pathway(
            row,
            self.pseudonymise(pnr),
            svf,
            sex,
            suspicion,
            start,
            treatment,
            end,
            unit.strip() if type(unit) is str else _text(unit),
            region.strip() if type(region) is str else _text(region),
        )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _short(value: Any) -> str:
    """A code quoted in a reason, cut short (a code column never holds an identity number,
    but a misplaced mapping could put one there: digits of personnummer length are hidden)."""
    text = _text(value)
    if sum(ch.isdigit() for ch in text) >= 10:
        return "…"
    return text[:40]


# ------------------------------------------------------------------ the figures


@dataclass(frozen=True)
class LongWait:
    """An included pathway that waited more than the long-wait threshold. ``key`` identifies
    it for tagging without the person (a hash of pseudonym, SVF and suspicion date)."""

    key: str
    row: int
    svf: str
    sex: str
    unit: str
    treatment: str
    suspicion: date
    days: int
    lead_time: int
    overridden: bool

    @property
    def percent(self) -> float:
        return 100.0 * self.days / self.lead_time


@dataclass(frozen=True)
class MissingLeadTime:
    svf_id: str
    treatment: str
    rows: int


@dataclass
class PatientFigures:
    """What a list gives: the figures per cell and what was left out or listed."""

    figures: dict[Cell, Number]
    rejected: list[RejectedRow]
    duplicate_rows: list[int]
    other_region_rows: list[int]
    missing_lead_time: list[MissingLeadTime]
    long_waits: list[LongWait]
    pathways: int  # rows read and counted (after duplicates and other regions)

    def by_svf(self) -> dict[str, dict[str, Number]]:
        """``{svf_id: {"<measure>_<sex>": n}}`` (the JSON shape of issue 16)."""
        out: dict[str, dict[str, Number]] = {}
        for (s, m, x), v in sorted(self.figures.items()):
            out.setdefault(s, {})[f"{m}_{x}"] = v
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "figures": self.by_svf(),
            "rejected": [{"row": r.row, "reason": r.reason} for r in self.rejected],
            "duplicates": len(self.duplicate_rows),
            "duplicate_rows": list(self.duplicate_rows),
            "other_region": len(self.other_region_rows),
            "other_region_rows": list(self.other_region_rows),
            "missing_lead_time": [
                {"svf_id": m.svf_id, "treatment": m.treatment, "rows": m.rows}
                for m in self.missing_lead_time
            ],
            "long_waits": len(self.long_waits),
            "pathways": self.pathways,
        }


LeadTimeOverrides = Mapping[tuple[str, str], int]


class LeadTimeLookup:
    """The lead time (days) for an SVF and treatment type valid on a suspicion date: the
    template's version valid that day, else a user's override, else None."""

    def __init__(self, tpl: Template, overrides: LeadTimeOverrides | None = None) -> None:
        names = settings_of(tpl).lead_time_treatments
        self._versions: dict[tuple[str, str], list[tuple[date, date, int | None]]] = {}
        for svf in tpl.svfs:
            for type_id, name in names.get(svf.id, {}).items():
                self._versions[(svf.id, type_id)] = [
                    (v.valid_from or date.min, v.valid_to or date.max, v.days)
                    for v in svf.lead_time_versions()
                    if v.treatment == name
                ]
        self.overrides = dict(overrides or {})

    def days(self, svf: str, treatment: str, on: date) -> tuple[int | None, bool]:
        """(days, overridden)."""
        for start, end, days in self._versions.get((svf, treatment), ()):
            if start <= on <= end and days is not None:
                return days, False
        override = self.overrides.get((svf, treatment))
        return (override, True) if override is not None else (None, False)


def pathway_key(p: Pathway) -> str:
    """The tag key of a pathway: its person's pseudonym with SVF and suspicion date (the
    pseudonym is already a keyed hash; this adds nothing that identifies)."""
    import hashlib

    text = f"{p.person}|{p.svf}|{p.suspicion.isoformat()}"
    return hashlib.sha256(text.encode("ascii", "replace")).hexdigest()[:32]


def _own_region(value: str, own: Iterable[str]) -> bool:
    return not value or value.casefold() in own


def compute(
    pathways: Iterable[Pathway],
    tpl: Template,
    own_region: Iterable[str],
    rejected: list[RejectedRow] | None = None,
    overrides: LeadTimeOverrides | None = None,
) -> PatientFigures:
    """The figures per SVF and sex of the pathways (see the module's rules).

    ``own_region``: the ways the reporting region may be written in the ending-region column
    (code, name); an empty value counts as the own region. Figures are given for the SVFs
    that occur in the list, for every sex the SVF applies to."""
    own = {o.casefold() for o in own_region}
    lookup = LeadTimeLookup(tpl, overrides)
    start, end = tpl.period_start, tpl.period_end
    limit = tpl.long_wait_percent / 100.0
    seen: set[tuple[str, str, date]] = set()
    duplicates: list[int] = []
    other: list[int] = []
    present: set[str] = set()
    counts: dict[Cell, int] = defaultdict(int)
    days_of: dict[tuple[str, str], list[int]] = defaultdict(list)
    missing: dict[tuple[str, str], int] = defaultdict(int)
    long_waits: list[LongWait] = []
    counted = 0
    for p in pathways:
        key = (p.person, p.svf, p.suspicion)
        if key in seen:
            duplicates.append(p.row)
            continue
        seen.add(key)
        if not _own_region(p.ending_region, own):
            other.append(p.row)
            continue
        counted += 1
        present.add(p.svf)
        if start <= p.suspicion <= end:
            counts[(p.svf, "investigated", p.sex)] += 1
        ts = p.treatment_start
        if p.end_reason != EndReason.TREATMENT or ts is None or not start <= ts <= end:
            continue
        counts[(p.svf, "included", p.sex)] += 1
        days = (ts - p.suspicion).days
        days_of[(p.svf, p.sex)].append(days)
        treatment = p.treatment or ""
        lead, overridden = lookup.days(p.svf, treatment, p.suspicion)
        if lead is None:
            missing[(p.svf, treatment)] += 1
            continue
        counts[(p.svf, "measured", p.sex)] += 1
        if days <= lead:
            counts[(p.svf, "within_lead_time", p.sex)] += 1
        if days > limit * lead:
            counts[(p.svf, "over_175", p.sex)] += 1
            long_waits.append(
                LongWait(
                    pathway_key(p),
                    p.row,
                    p.svf,
                    p.sex,
                    p.unit,
                    treatment,
                    p.suspicion,
                    days,
                    lead,
                    overridden,
                )  # fmt: skip
            )
    figures = _figures(tpl, present, counts, days_of)
    return PatientFigures(
        figures=figures,
        rejected=list(rejected or []),
        duplicate_rows=duplicates,
        other_region_rows=other,
        missing_lead_time=[MissingLeadTime(s, t, n) for (s, t), n in sorted(missing.items())],
        long_waits=sorted(long_waits, key=lambda w: (-w.percent, w.row)),
        pathways=counted,
    )


def _figures(
    tpl: Template,
    present: set[str],
    counts: Mapping[Cell, int],
    days_of: Mapping[tuple[str, str], list[int]],
) -> dict[Cell, Number]:
    """The cells of the SVFs present: counts (0 where none), lead-time measures where some
    included pathway had a lead time, the median where some pathway was included."""
    out: dict[Cell, Number] = {}
    for svf in tpl.svfs:
        if svf.id not in present:
            continue
        for sex in tpl.sex_ids:
            if not svf.applies_to(sex):
                continue
            out[(svf.id, "investigated", sex)] = counts.get((svf.id, "investigated", sex), 0)
            out[(svf.id, "included", sex)] = counts.get((svf.id, "included", sex), 0)
            if counts.get((svf.id, "measured", sex), 0):
                for m in ("within_lead_time", "over_175"):
                    out[(svf.id, m, sex)] = counts.get((svf.id, m, sex), 0)
            days = days_of.get((svf.id, sex))
            if days:
                median = statistics.median(days)
                out[(svf.id, "median_days", sex)] = (
                    int(median) if float(median).is_integer() else median
                )
    return out


def cause_counts(
    tags: Mapping[str, str], long_waits: Iterable[LongWait]
) -> dict[tuple[str, str], int]:
    """(svf_id, cause_id) -> number of long waits tagged with that cause (never the patients);
    ``tags`` maps a long wait's key to its cause."""
    out: dict[tuple[str, str], int] = defaultdict(int)
    for w in long_waits:
        cause = tags.get(w.key)
        if cause:
            out[(w.svf, cause)] += 1
    return dict(sorted(out.items()))
