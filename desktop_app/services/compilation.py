"""The RCC's compilation (issue 6): the accepted reports of the inbox compiled per SVF and sex
and per region, the populations (reference data, editable per compilation) and the payment
split.

Payment split (Agreement 2024, 5.3): payment 1 (template.payment_1) over all 21 regions by
population; payment 2 (template.payment_2) by population over the regions that meet every
criterion, the criteria recomputed from the figures embedded in each accepted file (the deadline
judged as services.inbox describes). A region without an accepted report in the scope is
*ej känt*; so is a region whose criteria cannot all be judged yet. With any region *ej känt*
the split is preliminary and each region gets two amounts: if every unknown region qualifies
and if none does (domain.payments.second_payment). For an RCC the regions of the other
healthcare regions are always *ej känt*: the payment split is national by nature, and an RCC
sees only its own regions' reports."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from desktop_app.domain.compilation import (
    NOT_KNOWN,
    Compilation,
    PaymentSplit,
    compile_figures,
    exclusion_reason,
    payment_split,
)
from desktop_app.domain.document import document_sources, from_document
from desktop_app.domain.errors import UserError
from desktop_app.domain.findings import CriterionResult, Finding
from desktop_app.domain.indicators import IndicatorTable
from desktop_app.domain.payments import PopulationKey
from desktop_app.domain.provenance import Deviation, deviations, deviations_from_own
from desktop_app.domain.reference import (
    PopulationTable,
    load_reference,
    normalize_region_code,
    parse_population_csv,
)
from desktop_app.domain.report import Report
from desktop_app.domain.template import Template, template_for_year
from desktop_app.domain.vocabulary import InboxStatus, KeyStatus, RegionState, Severity, label
from desktop_app.services.bootstrap import AppContext
from desktop_app.services.inbox import (
    ACCEPTED,
    REFUSED,
    InboxEntry,
    Scope,
    list_inbox,
    scope_of,
)

# A region of the scope from which nothing has been received (kept names; see RegionState).
MISSING = RegionState.MISSING
MISSING_LABEL = label(RegionState.MISSING)


# ------------------------------------------------------------------ populations


@dataclass(frozen=True)
class PopulationEntry:
    """A region's population as used by a compilation. ``edited`` when it differs from the
    reference data (then ``reference`` is the reference value)."""

    code: str
    name: str
    population: int
    date: str
    source: str
    edited: bool
    reference: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "population": self.population,
            "date": self.date,
            "source": self.source,
            "edited": self.edited,
            "reference": self.reference,
        }


def get_populations(ctx: AppContext, scope: str, year: int) -> list[PopulationEntry]:
    """The populations of all 21 regions for the compilation of ``scope`` and ``year``: the
    reference data (with its date and source) unless edited for this compilation."""
    scope_of(scope)
    with ctx.uow() as uow:
        edited = uow.inbox.populations(scope, year)
    out = []
    for r in load_reference().regions:
        e = edited.get(r.code)
        out.append(
            PopulationEntry(
                code=r.code,
                name=r.name,
                population=e.population if e else r.population,
                date=e.population_date if e else r.population_date,
                source=e.source if e else r.population_source,
                edited=e is not None,
                reference=r.population,
            )
        )
    return out


def set_population(
    ctx: AppContext,
    scope: str,
    year: int,
    region: str,
    value: int | None,
    population_date: str | None = None,
    source: str | None = None,
) -> PopulationEntry:
    """Edit a region's population for this compilation (saved at once); ``value`` None goes
    back to the reference data. ``population_date`` and ``source`` describe the new figure
    (default: today, "Ändrad i SVF-redovisning"). Returns the population now used."""
    scope_of(scope)
    ref = load_reference().region(region)
    with ctx.uow() as uow:
        if value is None:
            uow.inbox.clear_population(scope, year, ref.code)
        else:
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise UserError(
                    f"Folkmängden för {ref.name} måste vara ett positivt heltal (inte {value})."
                )
            today = ctx.today()
            uow.inbox.set_population(
                scope,
                year,
                ref.code,
                value,
                population_date or today.isoformat(),
                source
                or (
                    f"Ändrad i SVF-redovisning {today.isoformat()} (referens: "
                    f"{ref.population} enligt {ref.population_source})"
                ),
                datetime.now().replace(microsecond=0),
            )
        uow.commit()
    return next(p for p in get_populations(ctx, scope, year) if p.code == ref.code)


def read_population_table(path: Path, population_date: str) -> PopulationTable:
    """A population table in SCB's CSV layout (domain.reference.parse_population_csv) read
    from ``path`` (UTF-8, or Windows-1252 as SCB's older exports are). Nothing is saved.
    Raises UserError naming the file, row and column of the first problem."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"Filen {path.name} kunde inte läsas: {exc.strerror or exc}.") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return parse_population_csv(text, path.name, population_date)


def load_population_table(
    ctx: AppContext, scope: str, year: int, path: Path, population_date: str
) -> list[PopulationEntry]:
    """Use the population table in ``path`` (all 21 regions, figures of ``population_date``)
    for this compilation: every region's population, date and source are replaced at once,
    or, if the file is bad (UserError naming file, row and column), nothing is changed."""
    scope_of(scope)
    table = read_population_table(path, population_date)
    source = f"{table.source} (inläst {ctx.today().isoformat()})"
    edited_at = datetime.now().replace(microsecond=0)
    with ctx.uow() as uow:
        for code, value in table.populations.items():
            uow.inbox.set_population(scope, year, code, value, table.date, source, edited_at)
        uow.commit()
    return get_populations(ctx, scope, year)


def population_key(tpl: Template, populations: Sequence[PopulationEntry]) -> PopulationKey:
    """The key a compilation's split uses: the template's key while the reference figures are
    used; otherwise the dates and sources of the figures in use, always preliminary (the
    state's key is not known to the application; svf-facts.md §8)."""
    edited = [p for p in populations if p.edited]
    if not edited and tpl.population_key is not None:
        return tpl.population_key
    note = ""
    if edited and len(edited) < len(populations):
        note = f"Folkmängden ändrad för {len(edited)} av {len(populations)} regioner."
    elif tpl.population_key is not None:
        tk = tpl.population_key
        note = f"Årets mall anger folkmängd {tk.date} enligt {tk.source} ({label(tk.status)})."
    return PopulationKey(
        date=", ".join(sorted({p.date for p in populations})),
        source="; ".join(dict.fromkeys(p.source for p in populations)),
        status=KeyStatus.PRELIMINARY,
        note=note,
    )


def reset_populations(ctx: AppContext, scope: str, year: int) -> None:
    """Every population of this compilation back to the reference data."""
    scope_of(scope)
    with ctx.uow() as uow:
        uow.inbox.clear_population(scope, year)
        uow.commit()


# ------------------------------------------------------------------ compilation


@dataclass(frozen=True)
class RegionStatus:
    """A region of the scope in the compilation.

    ``status``: accepted (its accepted report is compiled), refused (files came, none could be
    accepted) or missing (nothing received). ``reason`` says in Swedish why the region is
    refused or missing, or why it is excluded from (or unknown in) the second payment; None
    when it is compiled and meets every criterion."""

    code: str
    name: str
    status: RegionState
    reason: str | None
    entry: InboxEntry | None  # the accepted entry, else the newest refused one
    files: tuple[InboxEntry, ...]
    criteria: tuple[CriterionResult, ...]
    criteria_met: bool | None

    @property
    def status_label(self) -> str:
        return label(self.status)


@dataclass(frozen=True)
class CompilationResult:
    """Everything the compilation screens, the workbook, the PDF and the CLI's JSON show."""

    scope: Scope
    year: int
    tpl: Template
    compilation: Compilation
    regions: tuple[RegionStatus, ...]  # the scope's regions, reference order
    entries: tuple[InboxEntry, ...]  # every file of the scope's inbox for the year
    reports: dict[str, Report]  # region -> the accepted report
    populations: tuple[PopulationEntry, ...]  # all 21
    payments: PaymentSplit  # all 21
    created: date
    # Issue 15, point 3: per region, the values of its accepted report that differ from the
    # RCC's extract, with the region's reasons.
    deviations: dict[str, tuple[Deviation, ...]] = field(default_factory=dict)
    # Issue 15, point 5: per region, the warnings of its accepted report, each with the
    # region's justification where it gave one.
    warnings: dict[str, tuple[Finding, ...]] = field(default_factory=dict)

    @property
    def preliminary(self) -> bool:
        return self.payments.preliminary

    @property
    def population_key(self) -> PopulationKey:
        """The date, source and status of the populations the split uses; every output of the
        split states it (``PopulationKey.describe``)."""
        return population_key(self.tpl, self.populations)

    @property
    def indicators(self) -> IndicatorTable:
        """The indicator table of the summed figures (rows, columns, totals, goals)."""
        table = self.compilation.indicators
        return (
            table if table is not None else IndicatorTable.build(self.compilation.total, self.tpl)
        )

    def region(self, code: str) -> RegionStatus:
        return next(r for r in self.regions if r.code == code)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.regions if r.status != ACCEPTED)

    def _region_dict(self, r: RegionStatus) -> dict[str, Any]:
        """One region of ``to_dict``."""
        comp = self.compilation
        pay = self.payments.region(r.code)
        rf = comp.by_region.get(r.code)
        inc = rf.inclusion if rf else None
        registered = bool(r.entry and r.status == ACCEPTED and r.entry.registered_by_rcc)
        evidence = _registered_inclusion(r) if registered and rf is None else None
        return {
            "code": r.code,
            "name": r.name,
            "status": r.status,
            "reason": r.reason,
            "version": r.entry.report_version if r.entry and r.status == ACCEPTED else None,
            "file": r.entry.file_name if r.entry else None,
            "criteria": {c.id: c.status for c in r.criteria},
            "criteria_met": r.criteria_met,
            "inclusion": round(inc.rate * 100, 2)
            if inc and inc.rate is not None
            else (evidence.value if evidence else None),
            "inclusion_numerator": inc.numerator
            if inc
            else (evidence.numerator if evidence else None),
            "inclusion_denominator": inc.denominator
            if inc
            else (evidence.denominator if evidence else None),
            "registered_by_rcc": registered,
            "population": pay.population,
            "payment_1": pay.payment_1,
            "payment_2": pay.payment_2,
            "payment_2_if_all_unknown_qualify": pay.payment_2_if_all_unknown_qualify,
            "payment_2_if_none_qualify": pay.payment_2_if_none_qualify,
            "files": [_file_dict(f) for f in r.files],
            "deviations": [d.to_dict() for d in self.deviations.get(r.code, ())],
            "deviation_count": len(self.deviations.get(r.code, ())),
            "warnings": [f.to_dict() for f in self.warnings.get(r.code, ())],
            "justified_warning_count": sum(
                1 for f in self.warnings.get(r.code, ()) if f.acknowledgement is not None
            ),
        }

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``svf-report aggregate --json`` (see README)."""
        comp = self.compilation
        regions = [self._region_dict(r) for r in self.regions]
        indicators = {}
        for row in comp.svfs:
            indicators[row.svf_id] = {
                "inclusion": _pct(row.inclusion.rate),
                "within_lead_time": _pct(row.lead_time.rate),
                "over_175": _pct(row.over_175.rate),
                "lead_time_goal_met": row.lead_time_goal_met,
            }
        return {
            "scope": self.scope.id,
            "scope_name": self.scope.name,
            "year": self.year,
            "template": self.tpl.id,
            "created": self.created.isoformat(),
            "preliminary": self.preliminary,
            "regions": regions,
            "missing": list(self.missing),
            "totals": comp.totals(),
            "indicators": indicators,
            "inclusion": {
                "value": _pct(comp.inclusion.rate),
                "numerator": comp.inclusion.numerator,
                "denominator": comp.inclusion.denominator,
                "goal_met": comp.inclusion_goal_met,
            },
            "payments": {
                "payment_1_total": self.payments.payment_1_total,
                "payment_2_total": self.payments.payment_2_total,
                "preliminary": self.preliminary,
                "population_key": {
                    "date": self.population_key.date,
                    "source": self.population_key.source,
                    "status": self.population_key.status.value,
                    "note": self.population_key.note,
                    "text": self.population_key.describe(),
                },
                "regions": [
                    {
                        "code": p.code,
                        "population": p.population,
                        "payment_1": p.payment_1,
                        "qualifies": p.qualifies,
                        "payment_2_if_all_unknown_qualify": p.payment_2_if_all_unknown_qualify,
                        "payment_2_if_none_qualify": p.payment_2_if_none_qualify,
                        "reason": p.reason,
                    }
                    for p in self.payments.regions
                ],
            },
            "populations": [p.to_dict() for p in self.populations],
            "files": [
                {
                    "file": e.file_name,
                    "region": e.region_code,
                    "version": e.report_version,
                    "id": e.id,
                    "status": e.status,
                    "reason": e.reason,
                    "remarks": list(e.remarks) or ([e.reason] if e.reason else []),
                    "received_on": e.received_on.isoformat() if e.received_on else None,
                    "submitted_on": e.submitted_on.isoformat() if e.submitted_on else None,
                    "received_at": e.received_at.isoformat(),
                    "registered_by_rcc": e.registered_by_rcc,
                }
                for e in self.entries
            ],
        }


def _registered_inclusion(r: RegionStatus) -> CriterionResult | None:
    """The inclusion criterion of a region whose report the RCC registered without figures:
    its numerator and denominator are the registered evidence."""
    return next((c for c in r.criteria if c.numerator is not None and c.denominator), None)


def _file_dict(f: InboxEntry) -> dict[str, Any]:
    """A region's file in ``CompilationResult.to_dict``: status, remarks, arrival date."""
    return {
        "id": f.id,
        "file": f.file_name,
        "status": f.status,
        "reason": f.reason,
        "remarks": list(f.remarks) or ([f.reason] if f.reason else []),
        "received_on": f.received_on.isoformat() if f.received_on else None,
        "registered_by_rcc": f.registered_by_rcc,
    }


def _pct(rate: float | None) -> float | None:
    return round(rate * 100, 2) if rate is not None else None


def _report(entry: InboxEntry, ctx: AppContext) -> Report:
    return _report_and_deviations(entry, ctx)[0]


def _report_and_deviations(entry: InboxEntry, ctx: AppContext) -> tuple[Report, list[Deviation]]:
    """A received report and its values that differ from the RCC's extract it names."""
    from desktop_app.domain.template import load_template
    from desktop_app.services.inbox import entry_document

    doc = entry_document(ctx, entry)
    tpl = load_template(entry.template_id or doc["template"])
    report = from_document(doc, tpl, entry.file_name)
    sources = document_sources(doc, tpl, entry.file_name)
    values = dict(report.figures.items())
    with ctx.uow() as uow:
        own = _own_extract(uow, report.region_code, tpl.year, sources)
        if own is not None:
            own_values = uow.extracts.values(own.id, report.region_code)
    if own is None:  # the RCC kept no copy: what the region's document says
        return report, deviations(values, sources)
    return report, deviations_from_own(values, sources, own_values, own.extract)


def _own_extract(uow: Any, region: str, year: int, sources: dict[Any, Any]) -> Any:
    """The RCC's copy of the extract to check a region's report against: the one its values
    name when the RCC has it, else the RCC's newest of the year with values for the region."""
    named = Counter(p.extract.sha256 for p in sources.values() if p.extract is not None)
    for sha, _n in named.most_common():
        found = uow.extracts.by_sha(None, year, sha)
        if found is not None:
            return found
    return uow.extracts.latest_for(region, year)


def entry_deviations(ctx: AppContext, entry: InboxEntry) -> list[Deviation]:
    """The values of a received file that differ from the RCC's extract (the inbox lists
    them with the region's reasons); none for a file without a report document."""
    if entry.region_code is None:
        return []
    try:
        return _report_and_deviations(entry, ctx)[1]
    except UserError:  # a file without a readable report document has none
        return []


def _region_line(
    ctx: AppContext, code: str, name: str, files: tuple[InboxEntry, ...]
) -> tuple[RegionStatus, Report | None]:
    """A region of the scope from its files (oldest first): accepted (with its report),
    refused (the newest refusal's reason) or missing."""
    accepted = next((e for e in files if e.counted), None)
    if accepted is not None:
        criteria = accepted.criteria
        status = RegionStatus(
            code,
            name,
            RegionState.ACCEPTED,
            exclusion_reason(criteria),
            accepted,
            files,
            criteria,
            accepted.criteria_met,
        )
        return status, _report(accepted, ctx)
    waiting = [e for e in files if e.status in (InboxStatus.PENDING, InboxStatus.CONFLICT)]
    if waiting:
        last = waiting[-1]
        reason = f"Väntar på beslut av RCC: {last.reason}"
        state = RegionState.PENDING
        return RegionStatus(code, name, state, reason, last, files, (), None), None
    refused = [e for e in files if e.status == REFUSED]
    if refused:
        last = refused[-1]
        reason = f"Ingen godkänd redovisning: {last.reason}"
        return RegionStatus(code, name, RegionState.REFUSED, reason, last, files, (), None), None
    reason = "Ingen redovisning har kommit in."
    return RegionStatus(code, name, MISSING, reason, None, files, (), None), None


def _qualification(
    sc: Scope, statuses: Sequence[RegionStatus], populations: Sequence[PopulationEntry]
) -> tuple[dict[str, bool | None], dict[str, str | None]]:
    """Whether each of the 21 regions qualifies for the second payment (None: *ej känt*), and
    why not (or why it is not known)."""
    qualifies: dict[str, bool | None] = {}
    reasons: dict[str, str | None] = {}
    by_code = {s.code: s for s in statuses}
    for p in populations:
        st = by_code.get(p.code)
        if st is None:
            qualifies[p.code] = None
            reasons[p.code] = f"{NOT_KNOWN.capitalize()} – hör inte till {sc.name}."
        elif st.status == ACCEPTED:
            qualifies[p.code] = st.criteria_met
            reasons[p.code] = st.reason
        else:
            qualifies[p.code] = None
            why = st.reason or ""
            reasons[p.code] = f"{NOT_KNOWN.capitalize()} – {why[:1].lower()}{why[1:]}"
    return qualifies, reasons


def compile_scope(ctx: AppContext, scope: str, year: int) -> CompilationResult:
    """Compile the accepted reports of ``scope``'s inbox for ``year`` and split the payments
    (see the module docstring). Regions of the scope without an accepted report are listed as
    refused or missing, with the reason."""
    sc = scope_of(scope)
    tpl = template_for_year(year)
    ref = load_reference()
    entries = list_inbox(ctx, sc.id, year)
    reports: dict[str, Report] = {}
    bare: set[str] = set()
    found: dict[str, tuple[Deviation, ...]] = {}
    statuses = []
    for code in sc.regions:
        files = tuple(
            sorted(
                (e for e in entries if e.region_code == code),
                key=lambda e: (e.received_at, e.id or 0),
            )
        )
        status, report = _region_line(ctx, code, ref.region(code).name, files)
        statuses.append(status)
        if report is not None:
            reports[code] = report
            if status.entry is not None and status.entry.registered_by_rcc:
                bare.add(code)
            if status.entry is not None:
                found[code] = tuple(entry_deviations(ctx, status.entry))
    # A report registered by the RCC without figures is counted on its evidence, but adds no
    # figures to the sums (issue 11.5).
    figures = {c: r.figures for c, r in reports.items() if len(r.figures) or c not in bare}
    compilation = compile_figures(tpl, sc.regions, figures)
    populations = get_populations(ctx, sc.id, year)
    qualifies, reasons = _qualification(sc, statuses, populations)
    payments = payment_split(tpl, {p.code: p.population for p in populations}, qualifies, reasons)
    return CompilationResult(
        scope=sc,
        year=year,
        tpl=tpl,
        compilation=compilation,
        regions=tuple(statuses),
        entries=tuple(entries),
        reports=reports,
        populations=tuple(populations),
        payments=payments,
        created=ctx.today(),
        deviations=found,
        warnings={c: received_warnings(r, tpl) for c, r in reports.items()},
    )


def received_warnings(report: Report, tpl: Template) -> tuple[Finding, ...]:
    """A received report's warnings, with the region's justifications (issue 15, point 5)."""
    from desktop_app.domain.rules import validate

    return tuple(f for f in validate(report, tpl) if f.severity == Severity.WARNING)


def entry_warnings(ctx: AppContext, entry: InboxEntry) -> tuple[Finding, ...]:
    """The warnings of a received file's report (none without a readable report)."""
    from desktop_app.domain.template import load_template

    if entry.region_code is None:
        return ()
    try:
        report = _report_and_deviations(entry, ctx)[0]
        return received_warnings(report, load_template(report.template_id))
    except UserError:
        return ()


def region_status(ctx: AppContext, scope: str, year: int, region: str) -> RegionStatus:
    """One region of a compilation."""
    code = normalize_region_code(region)
    result = compile_scope(ctx, scope, year)
    for r in result.regions:
        if r.code == code:
            return r
    raise UserError(f"Region {region} hör inte till {result.scope.name}.")


__all__ = [
    "MISSING",
    "MISSING_LABEL",
    "CompilationResult",
    "PopulationEntry",
    "RegionStatus",
    "compile_scope",
    "get_populations",
    "load_population_table",
    "population_key",
    "read_population_table",
    "region_status",
    "reset_populations",
    "set_population",
]
