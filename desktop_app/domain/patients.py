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

import gc
import hashlib
import operator
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import compress, repeat
from operator import itemgetter
from typing import Any, cast

from desktop_app.domain.figures import Cell, Number
from desktop_app.domain.identity import normalise_identity_number
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


# The one check of an identity number (domain.identity), under the name this module has used.
normalise_personnummer = normalise_identity_number


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


@dataclass(slots=True)
class PathwayColumns:
    """The pathways of a list column by column (one list per field, in row order): a list of
    100 000 rows is 10 lists here rather than 100 000 objects (issue 16, point 6). The
    treatment start and type are those of the row's cells, and mean something only where the
    SVF ended by start of treatment (``compute`` looks at them there only)."""

    row: list[int] = field(default_factory=list)
    person: list[str] = field(default_factory=list)
    svf: list[str] = field(default_factory=list)
    sex: list[str] = field(default_factory=list)
    suspicion: list[date] = field(default_factory=list)
    treatment_start: list[date | None] = field(default_factory=list)
    treatment: list[str | None] = field(default_factory=list)
    end_reason: list[EndReason] = field(default_factory=list)
    unit: list[str] = field(default_factory=list)
    ending_region: list[str] = field(default_factory=list)

    def columns(self) -> tuple[list[Any], ...]:
        return tuple(getattr(self, name) for name in _PATHWAY_FIELDS)

    def extend(self, columns: Sequence[Iterable[Any]]) -> None:
        for own, more in zip(self.columns(), columns, strict=True):
            own.extend(more)

    def append(self, p: Pathway) -> None:
        for own, name in zip(self.columns(), _PATHWAY_FIELDS, strict=True):
            own.append(getattr(p, name))

    def __len__(self) -> int:
        return len(self.row)

    def __iter__(self) -> Iterator[Pathway]:
        return (Pathway(*values) for values in zip(*self.columns(), strict=True))

    @classmethod
    def of(cls, pathways: Iterable[Pathway]) -> PathwayColumns:
        if isinstance(pathways, PathwayColumns):
            return pathways
        out = cls()
        for p in pathways:
            out.append(p)
        return out


_PATHWAY_FIELDS = tuple(Pathway.__dataclass_fields__)


class _Cache(dict[Any, Any]):
    """A raw cell value -> what it reads as, worked out once per distinct value by ``make``
    (lists repeat their codes and dates); ``map(cache.__getitem__, column)`` runs in C for
    every value seen before. Unhashable values are read without remembering."""

    def __init__(self, make: Callable[[Any], Any]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.make(key)
        return value

    def get_value(self, key: Any) -> Any:
        try:
            return self[key]
        except TypeError:
            return self.make(key)


_UNSEEN: Any = object()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cycle collector paused while a list is read and computed: the work allocates
    some hundred thousand short-lived rows and tuples and makes no cycles, and every collection
    it would set off walks the whole program's objects (a fifth of the time of a 100 000-row
    list). Reference counting still frees everything; the collector runs again afterwards."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# A date's day number; a missing date as after (start) or before (suspicion) every day.
_DAY_OR_LAST = _Cache(lambda d: date.max.toordinal() if d is None else d.toordinal())
_DAY_OR_FIRST = _Cache(lambda d: 0 if d is None else d.toordinal())
_NEVER = float("inf")


class RowReader:
    """Turns the raw values of rows (by our field) into pathways, or rejected rows.

    Built once per file: the code maps and the SVF lookup are made ready here, and every code,
    date and text seen is remembered (a list has few distinct ones). ``read_block`` reads many
    rows column by column; ``read`` one row, with the same rules and reasons."""

    def __init__(
        self, mapping: ColumnMapping, tpl: Template, pseudonymise: Pseudonymise, today: date
    ) -> None:
        self.tpl = tpl
        self.today = today
        self.pseudonymise = pseudonymise
        sex = {k.casefold(): v for k, v in mapping.sex.items()}
        for s in tpl.sexes:
            sex.setdefault(s.id.casefold(), s.id)
            sex.setdefault(s.label.casefold(), s.id)
        end: dict[str, EndReason] = {k.casefold(): v for k, v in mapping.end_reason.items()}
        for e in EndReason:
            end.setdefault(e.value, e)
        types = {k.casefold(): v for k, v in mapping.treatment_type.items()}
        for t in settings_of(tpl).treatment_types:
            types.setdefault(t.id.casefold(), t.id)
            types.setdefault(t.label.casefold(), t.id)
        svfs = {k.casefold(): v for k, v in mapping.svf.items()}
        for svf in tpl.svfs:
            svfs.setdefault(svf.id.casefold(), svf.id)
            svfs.setdefault(svf.name.casefold(), svf.id)
        self.svf_sexes = {s.id: s.sexes for s in tpl.svfs}
        self._pairs = {(s.id, x) for s in tpl.svfs for x in s.sexes}
        self._sex = _Cache(lambda v: sex.get(_text(v).casefold()))
        self._end = _Cache(lambda v: end.get(_text(v).casefold()))
        self._types = _Cache(lambda v: types.get(_text(v).casefold()))
        self._svfs = _Cache(lambda v: svfs.get(_text(v).casefold()))
        self._dates = _Cache(parse_date)
        self._texts = _Cache(lambda v: v.strip() if type(v) is str else _text(v))

    def _person(self, cell: Any) -> str | None:
        """The pseudonym of an identity number cell, or None if it is not one."""
        pnr = normalise_identity_number(cell if type(cell) is str else _text(cell), self.today)
        return None if pnr is None else self.pseudonymise(pnr)

    def _persons(self, cells: Sequence[Any]) -> list[str | None]:
        """The pseudonyms of a column of identity numbers: each distinct number read and
        hashed once (remembered for this column only, then dropped with the clear numbers)."""
        seen: dict[str, str | None] = {}
        out: list[str | None] = []
        add, get = out.append, seen.get
        pseudonymise, today, normalise = self.pseudonymise, self.today, normalise_identity_number
        for cell in cells:
            if type(cell) is not str:
                cell = _text(cell)
            person = get(cell, _UNSEEN)
            if person is _UNSEEN:
                pnr = normalise(cell, today)
                person = seen[cell] = None if pnr is None else pseudonymise(pnr)
            add(person)
        return out

    def read(self, row: int, values: Sequence[Any]) -> Pathway | RejectedRow:
        """The pathway of one row (``values`` in the order of FIELDS), or why it cannot be
        read (never quoting the number)."""
        person = self._person(values[0])
        return self._checked(row, person, values)

    def _checked(
        self, row: int, person: str | None, values: Sequence[Any]
    ) -> Pathway | RejectedRow:
        """The rules of one row once its identity number is read (``person``)."""
        _, svf_cell, sex_cell, susp_cell, start_cell, type_cell, end_cell = values[:7]
        if person is None:
            return RejectedRow(row, "personnumret saknas eller är ogiltigt")
        svf = self._svfs.get_value(svf_cell)
        if svf is None:
            return RejectedRow(row, f"okänd SVF '{_short(svf_cell)}'")
        sex = self._sex.get_value(sex_cell)
        if sex is None:
            return RejectedRow(row, f"okänt kön '{_short(sex_cell)}'")
        if sex not in self.svf_sexes[svf]:
            return RejectedRow(row, f"SVF {svf} gäller inte kön '{sex}'")
        suspicion = self._dates.get_value(susp_cell)
        if suspicion is None:
            return RejectedRow(row, "datum för välgrundad misstanke saknas eller kan inte läsas")
        end = self._end.get_value(end_cell)
        if end is None:
            return RejectedRow(row, f"okänt avslut '{_short(end_cell)}'")
        start: date | None = None
        treatment: str | None = None
        if end is EndReason.TREATMENT:
            start = self._dates.get_value(start_cell)
            if start is None:
                return RejectedRow(row, "datum för start av behandling saknas eller kan inte läsas")
            if start < suspicion:
                return RejectedRow(row, "behandlingen startar före välgrundad misstanke")
            treatment = self._types.get_value(type_cell)
            if treatment is None:
                return RejectedRow(row, f"okänd behandlingstyp '{_short(type_cell)}'")
        texts = self._texts.get_value
        return Pathway(
            row, person, svf, sex, suspicion, start, treatment, end,
            texts(values[7]), texts(values[8]),
        )  # fmt: skip

    def read_block(
        self, rows: Sequence[int], columns: Sequence[Sequence[Any]]
    ) -> tuple[PathwayColumns, list[RejectedRow]]:
        """Many rows at once, ``columns`` holding one sequence per field of FIELDS (the values
        of ``rows``, in order). The same rules and reasons as ``read``: each column is looked
        up whole through the caches, and only rows with something wrong are read one by one.
        The identity numbers' pseudonyms are remembered for this block only."""
        n = len(rows)
        persons = self._persons(columns[0])
        try:
            svfs = list(map(self._svfs.__getitem__, columns[1]))
            sexes = list(map(self._sex.__getitem__, columns[2]))
            susp = list(map(self._dates.__getitem__, columns[3]))
            starts = list(map(self._dates.__getitem__, columns[4]))
            types = list(map(self._types.__getitem__, columns[5]))
            ends = list(map(self._end.__getitem__, columns[6]))
            units = list(map(self._texts.__getitem__, columns[7]))
            regions = list(map(self._texts.__getitem__, columns[8]))
        except TypeError:  # an unhashable cell (not from a file): row by row
            return self._read_rows(rows, persons, columns)
        treated = list(map(operator.is_, ends, repeat(EndReason.TREATMENT)))
        bad: set[int] = set()
        for col in (persons, svfs, sexes, susp, ends):
            bad.update(compress(range(n), map(operator.is_, col, repeat(None))))
        allowed = map(self._pairs.__contains__, zip(svfs, sexes, strict=True))
        bad.update(compress(range(n), map(operator.not_, allowed)))
        # Ended by treatment: a start date, a treatment type, and the start not before the
        # suspicion (compared as day numbers; a missing date compares as never before).
        for col in (starts, types):
            missing = map(operator.is_, col, repeat(None))
            bad.update(compress(range(n), map(operator.and_, treated, missing)))
        start_days = map(_DAY_OR_LAST.__getitem__, starts)
        early = map(operator.lt, start_days, map(_DAY_OR_FIRST.__getitem__, susp))
        bad.update(compress(range(n), map(operator.and_, treated, early)))
        out = PathwayColumns()
        cols = (list(rows), persons, svfs, sexes, susp, starts, types, ends, units, regions)
        if not bad:
            out.extend(cols)
            return out, []
        keep = list(map(operator.not_, map(bad.__contains__, range(n))))
        out.extend([list(compress(c, keep)) for c in cols])
        rejected: list[RejectedRow] = []
        for i in sorted(bad):
            r = self._checked(rows[i], persons[i], [c[i] for c in columns])
            if isinstance(r, RejectedRow):
                rejected.append(r)
        return out, rejected

    def _read_rows(
        self, rows: Sequence[int], persons: list[str | None], columns: Sequence[Sequence[Any]]
    ) -> tuple[PathwayColumns, list[RejectedRow]]:
        out = PathwayColumns()
        rejected: list[RejectedRow] = []
        for i, row in enumerate(rows):
            r = self._checked(row, persons[i], [c[i] for c in columns])
            if isinstance(r, RejectedRow):
                rejected.append(r)
            else:
                out.append(r)
        return out, rejected


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def cell_text(value: Any) -> str:
    """A cell as the reader reads a code: stripped text, a whole float without its decimals."""
    return _text(value)


def looks_like_identity_number(text: str) -> bool:
    """Whether a cell may hold an identity number (ten digits or more): such a value is never
    quoted in a reason nor shown as a code to pick."""
    return sum(ch.isdigit() for ch in text) >= 10


def _short(value: Any) -> str:
    """A code quoted in a reason, cut short (a code column never holds an identity number,
    but a misplaced mapping could put one there: digits of personnummer length are hidden)."""
    text = _text(value)
    if looks_like_identity_number(text):
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
    return _key(p.person, p.svf, p.suspicion)


def _key(person: str, svf: str, suspicion: date) -> str:
    text = f"{person}|{svf}|{suspicion.isoformat()}"
    return hashlib.sha256(text.encode("ascii", "replace")).hexdigest()[:32]


class _LeadTimes(dict[tuple[str, str, date], tuple[int | None, bool]]):
    """(svf, treatment, suspicion date) -> (days, overridden), looked up once per distinct key
    (a list has few: SVFs × treatments × days of the period)."""

    def __init__(self, lookup: LeadTimeLookup) -> None:
        super().__init__()
        self.lookup = lookup

    def __missing__(self, key: tuple[str, str, date]) -> tuple[int | None, bool]:
        value = self[key] = self.lookup.days(*key)
        return value


def compute(
    pathways: Iterable[Pathway] | PathwayColumns,
    tpl: Template,
    own_region: Iterable[str],
    rejected: list[RejectedRow] | None = None,
    overrides: LeadTimeOverrides | None = None,
) -> PatientFigures:
    """The figures per SVF and sex of the pathways (see the module's rules).

    ``own_region``: the ways the reporting region may be written in the ending-region column
    (code, name); an empty value counts as the own region. Figures are given for the SVFs
    that occur in the list, for every sex the SVF applies to.

    Column by column: duplicates, regions and the period are masks over whole columns (run in
    C through maps and Counters); only the included pathways are looped over one by one."""
    with gc_paused():
        return _compute(PathwayColumns.of(pathways), tpl, own_region, rejected, overrides)


def _compute(
    p: PathwayColumns,
    tpl: Template,
    own_region: Iterable[str],
    rejected: list[RejectedRow] | None,
    overrides: LeadTimeOverrides | None,
) -> PatientFigures:
    n = len(p)
    # The first of each (person, SVF, suspicion date) counts; later ones are duplicates.
    keys = list(zip(p.person, p.svf, p.suspicion, strict=True))
    first_at = dict(zip(reversed(keys), range(n - 1, -1, -1), strict=True))
    first = list(map(operator.eq, map(first_at.__getitem__, keys), range(n)))
    del keys, first_at  # the largest of what compute holds: not kept past their use
    own = {o.casefold() for o in own_region}
    own_of = _Cache(lambda v: not v or v.casefold() in own)
    own_mask = list(map(own_of.__getitem__, p.ending_region))
    duplicates = list(compress(p.row, map(operator.not_, first)))
    other = list(compress(p.row, map(operator.and_, first, map(operator.not_, own_mask))))
    keep = list(map(operator.and_, first, own_mask))
    if not all(keep):
        p = PathwayColumns(*(list(compress(c, keep)) for c in p.columns()))
    start, end = tpl.period_start, tpl.period_end
    in_period = _Cache(lambda d: d is not None and start <= d <= end).__getitem__
    counts: Counter[Cell] = Counter()
    pairs = list(zip(p.svf, p.sex, strict=True))
    for (s, x), k in Counter(compress(pairs, map(in_period, p.suspicion))).items():
        counts[(s, "investigated", x)] = k
    treated = map(operator.is_, p.end_reason, repeat(EndReason.TREATMENT))
    included = list(map(operator.and_, treated, map(in_period, p.treatment_start)))
    for (s, x), k in Counter(compress(pairs, included)).items():
        counts[(s, "included", x)] = k
    days_of, missing, long_waits = _lead_time_measures(
        [list(compress(c, included)) for c in p.columns()],
        LeadTimeLookup(tpl, overrides),
        tpl.long_wait_percent / 100.0,
        counts,
    )
    return PatientFigures(
        figures=_figures(tpl, set(p.svf), counts, days_of),
        rejected=list(rejected or []),
        duplicate_rows=duplicates,
        other_region_rows=other,
        missing_lead_time=[MissingLeadTime(s, t, n) for (s, t), n in sorted(missing.items())],
        long_waits=sorted(long_waits, key=lambda w: (-w.percent, w.row)),
        pathways=len(p),
    )


def _lead_time_measures(
    columns: list[list[Any]], lookup: LeadTimeLookup, limit: float, counts: Counter[Cell]
) -> tuple[dict[tuple[str, str], list[int]], dict[tuple[str, str], int], list[LongWait]]:
    """Over the included pathways (``columns`` as PathwayColumns.columns()): the days per SVF
    and sex, the counts of measured, within and over, the rows without a lead time per SVF and
    treatment, and the long waits."""
    leads = _LeadTimes(lookup)
    rows, persons, svfs, sexes, susp, starts, types, _, units, _ = columns
    treatments = [t or "" for t in types]
    found = list(map(leads.__getitem__, zip(svfs, treatments, susp, strict=True)))
    lead_days: list[int | None] = list(map(itemgetter(0), found))
    day = _DAY_OR_FIRST.__getitem__
    days = list(map(operator.sub, map(day, starts), map(day, susp)))
    pairs = list(zip(svfs, sexes, strict=True))
    days_of: dict[tuple[str, str], list[int]] = defaultdict(list)
    for pair, d in zip(pairs, days, strict=True):
        days_of[pair].append(d)
    has_lead = list(map(operator.is_not, lead_days, repeat(None)))
    missing = Counter(compress(zip(svfs, treatments, strict=True), map(operator.not_, has_lead)))
    within_limit = [-1 if d is None else d for d in lead_days]  # no lead time: never within
    over_limit = [_NEVER if d is None else limit * d for d in lead_days]  # ... nor over
    over = list(map(operator.gt, days, over_limit))
    for measure, mask in (
        ("measured", has_lead),
        ("within_lead_time", map(operator.le, days, within_limit)),
        ("over_175", over),
    ):
        for (s, x), k in Counter(compress(pairs, mask)).items():
            counts[(s, measure, x)] = k
    long_waits = [
        LongWait(
            _key(persons[i], svfs[i], susp[i]),
            rows[i],
            svfs[i],
            sexes[i],
            units[i],
            treatments[i],
            susp[i],
            days[i],
            cast(int, found[i][0]),  # over the threshold: there is a lead time
            found[i][1],
        )
        for i in compress(range(len(rows)), over)
    ]
    return days_of, missing, long_waits


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
