"""The yearly report template: loaded from resources/templates/svf-YYYY.json and checked
against resources/schemas/template.schema.json. A new year needs a new file only."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import TemplateError
from desktop_app.domain.payments import PopulationKey
from desktop_app.domain.vocabulary import KeyStatus, LeadTimeStatus
from desktop_app.resources import resources_dir


@dataclass(frozen=True)
class LeadTime:
    """One lead time of an SVF: calendar days from *beslut välgrundad misstanke* to the start
    of a first-treatment type (svf-facts.md §2.1). ``days`` None: not established.

    A template may hold several versions of one treatment's lead time: each applies from its
    ``valid_from`` (None: from the start) until the day before the next version of the same
    treatment. ``status`` overrides the SVF's ``lead_time_status`` for this entry (a value
    derived rather than read is ``unconfirmed``); ``note`` says why."""

    treatment: str
    days: int | None
    valid_from: date | None = None
    status: LeadTimeStatus | None = None
    note: str = ""


@dataclass(frozen=True)
class LeadTimeVersion:
    """A lead time with the dates it is valid (``valid_to`` None: still valid) and its
    effective status."""

    lead_time: LeadTime
    valid_from: date | None
    valid_to: date | None
    status: LeadTimeStatus

    @property
    def treatment(self) -> str:
        return self.lead_time.treatment

    @property
    def days(self) -> int | None:
        return self.lead_time.days

    @property
    def confirmed(self) -> bool:
        """Only the newest version found counts as confirmed (the template's notes)."""
        return self.status == LeadTimeStatus.LATEST_FOUND and self.days is not None

    def overlaps(self, start: date, end: date) -> bool:
        """Whether the version is valid on any day of ``start``..``end``."""
        return (self.valid_from is None or self.valid_from <= end) and (
            self.valid_to is None or self.valid_to >= start
        )


@dataclass(frozen=True)
class Svf:
    id: str
    name: str
    introduced_year: int
    sexes: tuple[str, ...]
    lead_times: tuple[LeadTime, ...]  # every version, in template order
    lead_time_status: LeadTimeStatus = LeadTimeStatus.UNCONFIRMED
    lead_time_source: str | None = None

    def applies_to(self, sex: str) -> bool:
        return sex in self.sexes

    def lead_time_versions(self) -> tuple[LeadTimeVersion, ...]:
        """Every lead time with its validity: per treatment (in order of first appearance),
        the versions by ``valid_from``, each valid until the day before the next."""
        by_treatment: dict[str, list[LeadTime]] = {}
        for lt in self.lead_times:
            by_treatment.setdefault(lt.treatment, []).append(lt)
        out: list[LeadTimeVersion] = []
        for versions in by_treatment.values():
            versions.sort(key=lambda lt: lt.valid_from or date.min)
            for i, lt in enumerate(versions):
                nxt = versions[i + 1].valid_from if i + 1 < len(versions) else None
                valid_to = nxt - timedelta(days=1) if nxt is not None else None
                status = lt.status or self.lead_time_status
                out.append(LeadTimeVersion(lt, lt.valid_from, valid_to, status))
        return tuple(out)

    def lead_times_in(self, start: date, end: date) -> tuple[LeadTimeVersion, ...]:
        """The lead-time versions valid on some day of ``start``..``end`` (a reporting
        period): both versions of a treatment whose lead time changed inside it."""
        return tuple(v for v in self.lead_time_versions() if v.overlaps(start, end))


@dataclass(frozen=True)
class Measure:
    id: str
    label: str
    help: str
    kind: str  # "count" (whole number >= 0) or "days" (median, may have decimals)
    required: bool
    # Whether the measure may be reported as one total per SVF instead of per sex (the
    # template's ``measures[].total``; 2024: the inclusion goal's numerator and denominator,
    # since a sex split of the beräkningsunderlag is not known to exist).
    total: bool = False


@dataclass(frozen=True)
class Sex:
    id: str
    label: str


@dataclass(frozen=True)
class Question:
    id: str
    step: str
    type: str  # "text" or "yes_no"
    required: bool
    title: str
    question: str
    guidance: str = ""
    source: str = ""


@dataclass(frozen=True)
class Criterion:
    id: str
    kind: str
    label: str
    description: str
    source: str = ""
    question: str | None = None


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    kind: str
    help: str = ""


@dataclass(frozen=True)
class Choice:
    """An id and its Swedish label (a treatment type, a cause of a long wait)."""

    id: str
    label: str


@dataclass(frozen=True)
class PatientListSettings:
    """The template's ``patient_list`` block: the treatment types a patient-level list is
    mapped to, which of an SVF's lead times applies to each type
    (``lead_time_treatments[svf][type]`` is a ``LeadTime.treatment``), the causes a long wait
    can be tagged with, and the size bounds of a list."""

    treatment_types: tuple[Choice, ...]
    lead_time_treatments: dict[str, dict[str, str]]
    causes: tuple[Choice, ...]
    max_rows: int
    max_file_mb: int
    long_waits_question: str | None = None  # where the counts per cause go


@dataclass(frozen=True)
class DisclosureLimits:
    """The template's ``disclosure`` block (issue 15, point 7): in the published copy a count
    of 1 to ``min_patients`` − 1 patients reads ``small_count_text``, and a PREM result with
    fewer than ``min_prem_answers`` answers (and a rate built on a small count) reads
    ``suppressed_text``."""

    min_patients: int
    min_prem_answers: int
    small_count_text: str
    suppressed_text: str


@dataclass(frozen=True)
class YearOverYear:
    """The template's band for a change from last year (issue 15, point 6): per SVF and sex an
    inclusion that moves more than ``inclusion_points`` percentage points, or a count of
    ``measures`` that grows or shrinks by more than ``count_factor`` times, is a warning. Counts
    below ``min_count`` in both years are left alone (small numbers swing), and inclusion is
    compared only where the calculation basis is at least ``min_count`` both years."""

    inclusion_points: float
    count_factor: float
    min_count: int
    measures: tuple[str, ...]


@dataclass(frozen=True)
class WarningSettings:
    """The template's ``warnings`` block (issue 15, points 5 and 6): how long a justification
    of a warning is, and the band of the year-over-year check (None: no such check)."""

    justification_min_chars: int
    justification_max_chars: int
    year_over_year: YearOverYear | None = None


def _warning_settings(
    d: dict[str, Any] | None, measure_ids: tuple[str, ...]
) -> WarningSettings | None:
    if d is None:
        return None
    yoy = d.get("year_over_year")
    band = None
    if yoy is not None:
        unknown = [m for m in yoy["measures"] if m not in measure_ids]
        if unknown:
            raise ValueError(f"warnings.year_over_year: okända mått {', '.join(unknown)}")
        band = YearOverYear(
            yoy["inclusion_points"], yoy["count_factor"], yoy["min_count"], tuple(yoy["measures"])
        )
    return WarningSettings(d["justification_min_chars"], d["justification_max_chars"], band)


@dataclass(frozen=True)
class Template:
    id: str
    year: int
    title: str
    agreement: dict[str, Any]
    period_start: date
    period_end: date
    period_label: str
    deadline: date
    inclusion_percent: float
    lead_time_percent: float
    long_wait_percent: float
    implausible_inclusion_percent: float
    inclusion_introduced_before: int
    payment_total: int
    payment_1: int
    payment_2: int
    criteria: tuple[Criterion, ...]
    measures: tuple[Measure, ...]
    sexes: tuple[Sex, ...]
    questions: tuple[Question, ...]
    steps: tuple[Step, ...]
    svfs: tuple[Svf, ...]
    unconfirmed: dict[str, str] = field(default_factory=dict)
    # The population key the year's split uses (payments.population_key); None when the
    # template names none (then every split says so and counts as preliminary).
    population_key: PopulationKey | None = None
    # The column of a total per SVF (the template's ``total``: id and label), for the measures
    # that allow one; None: every value is per sex.
    total: Sex | None = None
    # Issue 16: None when the template has no ``patient_list`` block.
    patient_list: PatientListSettings | None = None
    # Issue 15, point 7: None when the template has no ``disclosure`` block.
    disclosure: DisclosureLimits | None = None
    # Issue 15, points 5 and 6: None when the template has no ``warnings`` block.
    warnings: WarningSettings | None = None

    def svf(self, svf_id: str) -> Svf | None:
        return self._svf_index().get(svf_id)

    def _svf_index(self) -> dict[str, Svf]:
        return {s.id: s for s in self.svfs}

    def measure(self, measure_id: str) -> Measure | None:
        return next((m for m in self.measures if m.id == measure_id), None)

    def sex(self, sex_id: str) -> Sex | None:
        """The sex ``sex_id``, or the total column when ``sex_id`` is its id."""
        found = next((s for s in self.sexes if s.id == sex_id), None)
        if found is None and self.total is not None and self.total.id == sex_id:
            return self.total
        return found

    @property
    def total_id(self) -> str | None:
        """The id of the total column (``totalt``), None when the template has none."""
        return self.total.id if self.total is not None else None

    @property
    def column_ids(self) -> tuple[str, ...]:
        """The sexes, then the total column if the template has one: every third part of a
        cell key (``included_kvinnor``, ``included_totalt``)."""
        return self.sex_ids + ((self.total.id,) if self.total is not None else ())

    def total_measures(self) -> tuple[Measure, ...]:
        """The measures that may be reported as a total per SVF."""
        if self.total is None:
            return ()
        return tuple(m for m in self.measures if m.total)

    def total_applies(self, svf: Svf, measure: str) -> bool:
        """Whether ``svf`` has a total column for ``measure``: the measure allows one and the
        SVF has more than one sex (for one sex the split is the total)."""
        m = self.measure(measure)
        return self.total is not None and m is not None and m.total and len(svf.sexes) > 1

    def cell_applies(self, svf: Svf, measure: str, column: str) -> bool:
        """Whether the cell (``svf``, ``measure``, sex or total column) can hold a value."""
        if self.total is not None and column == self.total.id:
            return self.total_applies(svf, measure)
        return svf.applies_to(column)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def questions_for_step(self, step_id: str) -> list[Question]:
        return [q for q in self.questions if q.step == step_id]

    @property
    def sex_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sexes)

    @property
    def measure_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.measures)

    def inclusion_svfs(self) -> tuple[Svf, ...]:
        """SVFs whose inclusion counts towards the goal.

        Agreement 2024, 5.3: "sammantaget för alla SVF som införts före 2024"."""
        return tuple(s for s in self.svfs if s.introduced_year < self.inclusion_introduced_before)

    def cells(self) -> list[tuple[str, str, str]]:
        """Every (svf, measure, sex) cell that applies, in template order."""
        return [
            (s.id, m.id, x.id)
            for s in self.svfs
            for m in self.measures
            for x in self.sexes
            if s.applies_to(x.id)
        ]


def templates_dir() -> Path:
    return resources_dir() / "templates"


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    path = resources_dir() / "schemas" / "template.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _where(path: Any) -> str:
    parts = [str(p) for p in path]
    return "/".join(parts) if parts else "(hela filen)"


def parse_template(data: Any, origin: str = "mallen") -> Template:
    """Check ``data`` against the template schema and build a Template.

    Raises TemplateError with a Swedish message naming the file and the place in it."""
    import jsonschema  # imported here: only commands that load templates pay for it

    validator = jsonschema.Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"  – vid {_where(e.absolute_path)}: {e.message}" for e in errors[:10]]
        more = f"\n  … och {len(errors) - 10} fel till" if len(errors) > 10 else ""
        raise TemplateError(
            f"Mallen {origin} är felaktig och kan inte användas:\n" + "\n".join(lines) + more
        )
    try:
        return _build(data)
    except (ValueError, KeyError) as exc:
        raise TemplateError(f"Mallen {origin} är felaktig och kan inte användas: {exc}") from exc


def _lead_time(d: dict[str, Any]) -> LeadTime:
    """One entry of an SVF's ``lead_times``: treatment, days, optional valid_from, status, note."""
    return LeadTime(
        treatment=d["treatment"],
        days=d["days"],
        valid_from=date.fromisoformat(d["valid_from"]) if d.get("valid_from") else None,
        status=LeadTimeStatus(d["status"]) if d.get("status") else None,
        note=d.get("note", ""),
    )


def _check_lead_times(svf: Svf) -> None:
    """Two versions of one treatment's lead time may not apply from the same day."""
    seen: set[tuple[str, date | None]] = set()
    for lt in svf.lead_times:
        key = (lt.treatment, lt.valid_from)
        if key in seen:
            when = lt.valid_from.isoformat() if lt.valid_from else "början"
            raise ValueError(
                f"SVF {svf.id} har två ledtider för {lt.treatment} som gäller från {when}"
            )
        seen.add(key)


def _build(d: dict[str, Any]) -> Template:
    sexes = tuple(Sex(s["id"], s["label"]) for s in d["sexes"])
    sex_ids = [s.id for s in sexes]
    svfs = tuple(
        Svf(
            id=s["id"],
            name=s["name"],
            introduced_year=s["introduced_year"],
            sexes=tuple(s.get("sexes", sex_ids)),
            lead_times=tuple(_lead_time(lt) for lt in s["lead_times"]),
            lead_time_status=LeadTimeStatus(s.get("lead_time_status", LeadTimeStatus.UNCONFIRMED)),
            lead_time_source=s.get("lead_time_source"),
        )
        for s in d["svfs"]
    )
    ids = [s.id for s in svfs]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"SVF-id förekommer flera gånger: {', '.join(dupes)}")
    for s in svfs:
        _check_lead_times(s)
        unknown = [x for x in s.sexes if x not in sex_ids]
        if unknown:
            raise ValueError(f"SVF {s.id} anger okänt kön: {', '.join(unknown)}")
    questions = tuple(
        Question(
            id=q["id"],
            step=q["step"],
            type=q["type"],
            required=q["required"],
            title=q["title"],
            question=q["question"],
            guidance=q.get("guidance", ""),
            source=q.get("source", ""),
        )
        for q in d["questions"]
    )
    q_ids = {q.id for q in questions}
    steps = tuple(Step(s["id"], s["title"], s["kind"], s.get("help", "")) for s in d["steps"])
    step_ids = {s.id for s in steps}
    for q in questions:
        if q.step not in step_ids:
            raise ValueError(f"frågan {q.id} hör till ett steg som inte finns: {q.step}")
    criteria = tuple(
        Criterion(
            id=c["id"],
            kind=c["kind"],
            label=c["label"],
            description=c["description"],
            source=c.get("source", ""),
            question=c.get("question"),
        )
        for c in d["criteria"]
    )
    for c in criteria:
        if c.question is not None and c.question not in q_ids:
            raise ValueError(
                f"villkoret {c.id} hänvisar till en fråga som inte finns: {c.question}"
            )
    th = d["thresholds"]
    pay = d["payments"]
    if pay["payment_1"] + pay["payment_2"] != pay["total"]:
        raise ValueError("utbetalning 1 och 2 summerar inte till totalbeloppet")
    return Template(
        id=d["id"],
        year=d["year"],
        title=d["title"],
        agreement=dict(d["agreement"]),
        period_start=date.fromisoformat(d["period"]["start"]),
        period_end=date.fromisoformat(d["period"]["end"]),
        period_label=d["period"]["label"],
        deadline=date.fromisoformat(d["deadline"]),
        inclusion_percent=th["inclusion_percent"],
        lead_time_percent=th["lead_time_percent"],
        long_wait_percent=th["long_wait_percent"],
        implausible_inclusion_percent=th["implausible_inclusion_percent"],
        inclusion_introduced_before=d["inclusion_scope"]["introduced_before"],
        payment_total=pay["total"],
        payment_1=pay["payment_1"],
        payment_2=pay["payment_2"],
        criteria=criteria,
        measures=_measures(d["measures"]),
        sexes=sexes,
        questions=questions,
        steps=steps,
        svfs=svfs,
        unconfirmed=dict(d.get("unconfirmed", {})),
        population_key=_population_key(pay.get("population_key")),
        disclosure=DisclosureLimits(**d["disclosure"]) if "disclosure" in d else None,
        total=_total_column(d.get("total"), sex_ids),
        patient_list=_patient_list(d.get("patient_list")),
        warnings=_warning_settings(d.get("warnings"), tuple(m["id"] for m in d["measures"])),
    )


def _patient_list(d: dict[str, Any] | None) -> PatientListSettings | None:
    """The template's ``patient_list`` block (issue 16)."""
    if d is None:
        return None
    return PatientListSettings(
        treatment_types=tuple(Choice(t["id"], t["label"]) for t in d["treatment_types"]),
        lead_time_treatments={s: dict(m) for s, m in d["lead_time_treatments"].items()},
        causes=tuple(Choice(c["id"], c["label"]) for c in d["causes"]),
        max_rows=int(d["max_rows"]),
        max_file_mb=int(d["max_file_mb"]),
        long_waits_question=d.get("long_waits_question"),
    )


def _measures(items: list[dict[str, Any]]) -> tuple[Measure, ...]:
    """The template's ``measures`` (id, label, help, kind, required, total)."""
    return tuple(
        Measure(
            m["id"],
            m["label"],
            m.get("help", ""),
            m["kind"],
            m["required"],
            bool(m.get("total", False)),
        )
        for m in items
    )


def _total_column(d: dict[str, Any] | None, sex_ids: list[str]) -> Sex | None:
    """The template's ``total`` column (id, label); its id must not be a sex's."""
    if d is None:
        return None
    if d["id"] in sex_ids:
        raise ValueError(f"totalkolumnens id {d['id']} är samma som ett köns")
    return Sex(d["id"], d["label"])


# A file of digests (template + schema) that passed the schema check, so that a start does not
# import jsonschema (a quarter of a second) to check the same shipped file again. Set by the
# composition root (services.bootstrap); None: every file is checked.
_check_cache: Path | None = None


def _population_key(d: dict[str, Any] | None) -> PopulationKey | None:
    """The template's ``payments.population_key`` (date, source, status, note)."""
    if d is None:
        return None
    date.fromisoformat(d["date"])  # the schema's pattern lets 2023-02-31 through
    return PopulationKey(
        date=d["date"], source=d["source"], status=KeyStatus(d["status"]), note=d.get("note", "")
    )


def use_check_cache(path: Path | None) -> None:
    """Remember templates that passed the schema check in ``path`` (None: always check)."""
    global _check_cache
    _check_cache = path


def _digest(text: str) -> str:
    schema = (resources_dir() / "schemas" / "template.schema.json").read_bytes()
    return hashlib.sha256(schema + b"\0" + text.encode("utf-8")).hexdigest()


def _known_good(digest: str) -> bool:
    if _check_cache is None:
        return False
    try:
        return digest in _check_cache.read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError):
        return False


def _remember_good(digest: str) -> None:
    if _check_cache is None:
        return
    try:
        _check_cache.parent.mkdir(parents=True, exist_ok=True)
        with _check_cache.open("a", encoding="ascii") as fh:
            fh.write(digest + "\n")
    except OSError:
        pass  # a cache only: the next start checks again


def load_template_file(path: Path) -> Template:
    """Load and check one template file (the schema check is skipped for content that passed
    it before, see ``use_check_cache``; the semantic checks of ``_build`` always run)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise TemplateError(f"Mallfilen {path} finns inte.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"Mallfilen {path} kan inte läsas: {exc}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TemplateError(
            f"Mallfilen {path.name} är inte giltig JSON (rad {exc.lineno}, kolumn {exc.colno}): "
            f"{exc.msg}."
        ) from exc
    digest = _digest(text) if _check_cache is not None else ""
    if digest and _known_good(digest):
        try:
            return _build(data)
        except (ValueError, KeyError):
            pass  # cannot happen for a file that passed; check it properly below
    tpl = parse_template(data, origin=path.name)
    if digest:
        _remember_good(digest)
    return tpl


def available_years() -> list[int]:
    """Years that have a template file, newest first."""
    years = []
    for p in templates_dir().glob("svf-*.json"):
        suffix = p.stem.removeprefix("svf-")
        if suffix.isdigit():
            years.append(int(suffix))
    return sorted(years, reverse=True)


@lru_cache(maxsize=16)
def _cached(template_id: str) -> Template:
    return load_template_file(templates_dir() / f"{template_id}.json")


def load_template(template_id: str) -> Template:
    """Load a template by id (``svf-2024``); unknown ids give a TemplateError."""
    if not template_id.startswith("svf-") or not (templates_dir() / f"{template_id}.json").exists():
        years = ", ".join(str(y) for y in available_years()) or "inga"
        raise TemplateError(
            f"Det finns ingen redovisningsmall som heter '{template_id}'. Tillgängliga år: {years}."
        )
    return _cached(template_id)


def template_for_year(year: int) -> Template:
    """The template of a reporting year."""
    if year not in available_years():
        years = ", ".join(str(y) for y in available_years()) or "inga"
        raise TemplateError(
            f"Det finns ingen redovisningsmall för år {year}. Tillgängliga år: {years}."
        )
    return load_template(f"svf-{year}")


# ------------------------------------------------------------------ the agreement's numbers

SKR_REFERENCE_LABEL = "SKR:s ärendenummer"
RK_DNR_AGREEMENT_LABEL = "Regeringskansliets diarienummer för överenskommelsen"
RK_DNR_PAYMENT_LABEL = "Regeringskansliets diarienummer för regeringsbeslut om utbetalning"
UNKNOWN_DNR = "ej känt – fylls i av regionen i den ekonomiska redovisningen"
UNKNOWN_DNR_COMPILED = "ej känt – står i regionernas ekonomiska redovisningar"


@dataclass(frozen=True)
class AgreementReferences:
    """The agreement's numbers, each labelled as what it is: ``reference`` in the template is
    SKR's ärendenummer (SKR2023/02165 in 2024), never Regeringskansliet's diarienummer, which
    are separate fields (Bilaga 2, point 2; 6.2: "Regeringskansliets diarienummer … ska framgå
    av samtliga handlingar"). None means not known from the sources."""

    skr_reference: str | None
    rk_dnr_agreement: str | None
    rk_dnr_payment: str | None

    def rows(
        self, dnr_agreement: str = "", dnr_payment: str = "", unknown: str = UNKNOWN_DNR
    ) -> list[tuple[str, str, bool]]:
        """(label, value, known) for the cover: a region's own entries in its financial
        statement (``dnr_agreement``, ``dnr_payment``) win over the template's; an unknown
        Regeringskansliet number is marked as such, never left out or guessed."""
        out: list[tuple[str, str, bool]] = []
        if self.skr_reference:
            out.append((SKR_REFERENCE_LABEL, self.skr_reference, True))
        for label, own, tpl_value in (
            (RK_DNR_AGREEMENT_LABEL, dnr_agreement, self.rk_dnr_agreement),
            (RK_DNR_PAYMENT_LABEL, dnr_payment, self.rk_dnr_payment),
        ):
            value = own.strip() or (tpl_value or "").strip()
            out.append((label, value or unknown, bool(value)))
        return out


def agreement_references(agreement: dict[str, Any]) -> AgreementReferences:
    """The numbers of a template's ``agreement`` block (empty strings count as unknown)."""

    def text(key: str) -> str | None:
        value = agreement.get(key)
        return str(value).strip() or None if value is not None else None

    return AgreementReferences(
        skr_reference=text("reference"),
        rk_dnr_agreement=text("regeringskansliet_dnr"),
        rk_dnr_payment=text("regeringskansliet_dnr_payment"),
    )
