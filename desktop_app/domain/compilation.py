"""The RCC's compilation of the regions' reports (issue 6): per SVF and sex over the regions
of a healthcare region (or the whole country) and per region, and the payment split.

Pure arithmetic on domain values: the services decide which reports take part (the accepted
ones of the inbox) and where the populations come from.

Every rate here is a ratio of sums: the counts of the regions are summed first and the rate is
computed from the sums (figures.ratio on the summed Figures), never an average of the regions'
rates. Medians (measures of kind "days") cannot be combined from the regions' medians and are
left out of the sums."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from desktop_app.domain.figures import (
    Figures,
    Number,
    Ratio,
    SummedFigures,
    cell_key,
    svf_value,
)
from desktop_app.domain.findings import CriterionResult
from desktop_app.domain.indicators import (
    INCLUSION,
    LEAD_TIME,
    IndicatorRow,
    IndicatorTable,
    meets,
)
from desktop_app.domain.payments import SecondPayment, second_payment, split_by_population
from desktop_app.domain.template import Template
from desktop_app.domain.vocabulary import Verdict, label


def summed_measures(tpl: Template) -> tuple[str, ...]:
    """The measures that can be added up over regions: the counts (not the medians)."""
    return tuple(m.id for m in tpl.measures if m.kind == "count")


def sum_figures(tpl: Template, figures: Iterable[Figures]) -> SummedFigures:
    """Cell-wise sum of the count measures of several regions' figures. A cell is present when
    at least one region entered it (a region that left it empty adds nothing).

    Where a region reported a measure as a total per SVF (issue 12), the total column of that
    SVF and measure holds every region's whole-SVF value (its total, or the sum over its
    sexes), so it is the SVF's total over all the regions; the sex columns hold what the
    regions reported per sex. The result keeps the regions' figures, so a rate over it pairs
    within each region (``figures.ratio``)."""
    parts = tuple(figures)
    counts = set(summed_measures(tpl))
    out: dict[tuple[str, str, str], Number] = {}
    for fig in parts:
        for (svf, measure, sex), value in fig.items():
            if measure in counts and sex != tpl.total_id:
                out[(svf, measure, sex)] = out.get((svf, measure, sex), 0) + value
    total_id = tpl.total_id
    if total_id is not None:
        for s in tpl.svfs:
            for m in tpl.total_measures():
                if m.id not in counts or not any(
                    f.get(s.id, m.id, total_id) is not None for f in parts
                ):
                    continue
                out[(s.id, m.id, total_id)] = sum(_whole_svf(f, tpl, s.id, m.id) for f in parts)
    return SummedFigures(out, parts)


def _whole_svf(fig: Figures, tpl: Template, svf_id: str, measure: str) -> Number:
    """A region's value of ``measure`` for the whole SVF: its total or complete sex split, else
    what it entered per sex (0 for nothing)."""
    value = svf_value(fig, tpl, svf_id, measure)
    if value is not None:
        return value
    svf = tpl.svf(svf_id)
    sexes = svf.sexes if svf is not None else tpl.sex_ids
    return sum(fig.get(svf_id, measure, x) or 0 for x in sexes)


@dataclass(frozen=True)
class SvfRow:
    """One SVF over the compiled regions: the summed counts and the rates from those sums
    (taken from the indicator table of the sums)."""

    svf_id: str
    name: str
    counts: dict[str, Number]  # "<measure>_<sex>" -> sum over the regions
    inclusion: Ratio
    inclusion_by_sex: dict[str, Ratio]
    lead_time: Ratio
    lead_time_by_sex: dict[str, Ratio]
    over_175: Ratio
    lead_time_goal_met: bool | None  # None when nobody was included


@dataclass(frozen=True)
class RegionFigures:
    """One region's own indicators (from its own figures)."""

    code: str
    figures: Figures
    inclusion: Ratio  # over the SVFs of the inclusion goal
    lead_time: Ratio  # over all SVFs
    inclusion_goal_met: bool | None
    indicators: IndicatorTable | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class Compilation:
    """The compiled figures of a scope. ``regions`` is the scope in reference order;
    ``compiled`` those with an accepted report; ``missing`` the others. ``indicators`` is the
    indicator table of the summed figures, from which every output of the compilation draws
    its rows, columns, totals and goals."""

    template_id: str
    year: int
    regions: tuple[str, ...]
    compiled: tuple[str, ...]
    missing: tuple[str, ...]
    total: Figures
    by_region: dict[str, RegionFigures]
    svfs: tuple[SvfRow, ...]
    inclusion: Ratio
    inclusion_by_sex: dict[str, Ratio]
    lead_time: Ratio
    over_175: Ratio
    inclusion_goal_met: bool | None
    indicators: IndicatorTable | None = field(default=None, repr=False, compare=False)

    def totals(self) -> dict[str, dict[str, Number]]:
        """``{svf_id: {"<measure>_<sex>": sum}}`` for the cells that have a value."""
        return {row.svf_id: dict(row.counts) for row in self.svfs if row.counts}


def _svf_row(tpl: Template, row: IndicatorRow, total: Figures) -> SvfRow:
    assert row.svf is not None
    counts: dict[str, Number] = {}
    for m in summed_measures(tpl):
        for x in tpl.column_ids:
            v = total.get(row.svf.id, m, x)
            if v is not None:
                counts[cell_key(m, x)] = v
    return SvfRow(
        svf_id=row.key,
        name=row.label,
        counts=counts,
        inclusion=row.inclusion,
        inclusion_by_sex={x: row.rate(INCLUSION, x) for x in row.sexes},
        lead_time=row.lead_time,
        lead_time_by_sex={x: row.rate(LEAD_TIME, x) for x in row.sexes},
        over_175=row.long_wait,
        lead_time_goal_met=row.goal_met(LEAD_TIME),
    )


def compile_figures(
    tpl: Template, scope: Sequence[str], figures: Mapping[str, Figures]
) -> Compilation:
    """Compile the ``figures`` of the regions of ``scope`` that have them (region code ->
    Figures of its accepted report). Regions of ``scope`` without figures are ``missing``;
    figures of regions outside ``scope`` are ignored."""
    compiled = tuple(code for code in scope if code in figures)
    missing = tuple(code for code in scope if code not in figures)
    total = sum_figures(tpl, (figures[c] for c in compiled))
    table = IndicatorTable.build(total, tpl)
    by_region = {}
    for code in compiled:
        own = IndicatorTable.build(figures[code], tpl)
        by_region[code] = RegionFigures(
            code=code,
            figures=figures[code],
            inclusion=own.inclusion,
            lead_time=own.lead_time,
            inclusion_goal_met=own.inclusion_goal_met,
            indicators=own,
        )
    return Compilation(
        template_id=tpl.id,
        year=tpl.year,
        regions=tuple(scope),
        compiled=compiled,
        missing=missing,
        total=total,
        by_region=by_region,
        svfs=tuple(_svf_row(tpl, row, total) for row in table.rows),
        inclusion=table.inclusion,
        inclusion_by_sex={x: table.rate(INCLUSION, x) for x in tpl.sex_ids},
        lead_time=table.lead_time,
        over_175=table.long_wait_share,
        inclusion_goal_met=table.inclusion_goal_met,
        indicators=table,
    )


# ---------------------------------------------------------------- payments

NOT_KNOWN = label(Verdict.UNKNOWN).lower()  # "ej känt"


def exclusion_reason(criteria: Sequence[CriterionResult]) -> str | None:
    """Why a region with an accepted report gets nothing (or nothing certain) from the second
    payment, in Swedish: the failed criteria, else the ones that cannot be judged yet; None
    when every criterion is met."""
    failed = [c for c in criteria if c.status == Verdict.FAIL]
    if failed:
        return "; ".join(f"{c.label}: {c.message}" for c in failed)
    unknown = [c for c in criteria if c.status == Verdict.UNKNOWN]
    if unknown:
        return f"{NOT_KNOWN.capitalize()} – " + "; ".join(
            f"{c.label}: {c.message}" for c in unknown
        )
    return None


@dataclass(frozen=True)
class RegionPayment:
    """One region's share of the two payments. ``qualifies`` None is *ej känt*; the two
    payment-2 amounts are equal when nothing in the split is unknown."""

    code: str
    population: int
    payment_1: int
    qualifies: bool | None
    payment_2_if_all_unknown_qualify: int
    payment_2_if_none_qualify: int
    reason: str | None = None  # why excluded (or unknown) from the second payment

    @property
    def payment_2(self) -> int | None:
        """The final second payment; None while it depends on unknown regions."""
        if self.payment_2_if_all_unknown_qualify != self.payment_2_if_none_qualify:
            return None
        return self.payment_2_if_none_qualify


@dataclass(frozen=True)
class PaymentSplit:
    """Agreement 2024, 5.3: payment 1 over all regions by population; payment 2 by population
    over the regions that meet every criterion. Whole kronor by largest remainder
    (domain.payments), so every column adds up exactly to its total."""

    payment_1_total: int
    payment_2_total: int
    regions: tuple[RegionPayment, ...]
    preliminary: bool
    second: SecondPayment = field(repr=False)

    def region(self, code: str) -> RegionPayment:
        return next(r for r in self.regions if r.code == code)

    @property
    def population_total(self) -> int:
        return sum(r.population for r in self.regions)


def payment_split(
    tpl: Template,
    populations: Mapping[str, int],
    qualifies: Mapping[str, bool | None],
    reasons: Mapping[str, str | None] | None = None,
) -> PaymentSplit:
    """Both payments over the regions of ``populations`` (all 21, in the order given).
    ``qualifies``: True / False / None (*ej känt*); regions missing from it are *ej känt*.
    ``reasons``: why each region is excluded or unknown (shown as given)."""
    first = split_by_population(tpl.payment_1, populations)
    second = second_payment(tpl.payment_2, populations, qualifies)
    reasons = reasons or {}
    rows = tuple(
        RegionPayment(
            code=code,
            population=pop,
            payment_1=first[code],
            qualifies=qualifies.get(code),
            payment_2_if_all_unknown_qualify=second.if_all_unknown_qualify[code],
            payment_2_if_none_qualify=second.if_none_qualify[code],
            reason=reasons.get(code),
        )
        for code, pop in populations.items()
    )
    return PaymentSplit(
        payment_1_total=tpl.payment_1,
        payment_2_total=tpl.payment_2,
        regions=rows,
        preliminary=second.preliminary,
        second=second,
    )


def describe_ratio(r: Ratio) -> str:
    """'64,2 % (1 234 av 1 922)' or '–'."""
    return IndicatorTable.describe(r)


__all__ = [
    "Compilation",
    "NOT_KNOWN",
    "PaymentSplit",
    "RegionFigures",
    "RegionPayment",
    "SvfRow",
    "compile_figures",
    "describe_ratio",
    "exclusion_reason",
    "meets",
    "payment_split",
    "sum_figures",
    "summed_measures",
]
