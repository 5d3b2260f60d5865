"""The indicator table: the one read model of the SVF statistics that every output shows.

Built once from a set of figures (one region's report, or a compilation's sums) and the
template, it holds the rows (one per SVF, with the SVF's name, sexes and lead times), the
columns (the template's measures with their labels, and the computed rates with their
headings), the two total rows (the SVFs of the inclusion goal, all SVFs), the overall rates per
sex and the goals with their labels. The PDF, the workbooks, the grid, the Ledtider step, the
compilation and the CLI draw from it: an output never divides, never writes a threshold and
never names a rate column of its own.

Every rate is Σ numerator / Σ denominator (``figures.ratio``), never an average of rates. The
goals and the long-wait threshold are the template's (``thresholds`` in svf-YYYY.json)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from desktop_app.domain.figures import Figures, Number, Ratio, ratio, svf_value
from desktop_app.domain.fmt import fmt_int, fmt_num, fmt_pct
from desktop_app.domain.template import LeadTime, LeadTimeVersion, Measure, Sex, Svf, Template
from desktop_app.domain.vocabulary import LeadTimeStatus
from desktop_app.domain.vocabulary import label as vocabulary_label

# Measure ids of the template the rates are made of (keys of the stored figures).
EXPECTED = "expected"
INCLUDED = "included"
WITHIN_LEAD_TIME = "within_lead_time"
OVER_LONG_WAIT = "over_175"

# Ids of the computed rates.
INCLUSION = "inclusion"
LEAD_TIME = "lead_time"
LONG_WAIT = "long_wait"

# Keys of the two total rows.
TOTAL_INCLUSION_SCOPE = "total_inclusion_scope"
TOTAL_ALL = "total_all"

COUNT = "count"  # the measure kind that can be summed (medians cannot)

INCLUSION_LABEL = "Inklusion"
TOTAL_LABEL = "Totalt"
NOT_ESTABLISHED = "ej fastställd"


def meets(r: Ratio, percent: float) -> bool | None:
    """Whether ``r`` reaches ``percent`` %, in exact arithmetic (70 % of 1 000 is met by 700,
    whatever floating point thinks); None without a denominator."""
    if not r.denominator:
        return None
    return Fraction(r.numerator) * 100 >= Fraction(str(percent)) * Fraction(r.denominator)


def percent_text(percent: float) -> str:
    """A template percentage as shown: ``70 %``."""
    return f"{fmt_num(percent, 0)} %"


@dataclass(frozen=True)
class Goal:
    """A goal or threshold of the template, with the words the outputs show for it.

    ``percent``: the template's value (70 for 70 %); ``label``: what it is called
    (``Inklusionsmålet``, ``Inom ledtid``, ``Över 175 %``)."""

    id: str
    percent: float
    label: str

    @property
    def text(self) -> str:
        """``70 %``."""
        return percent_text(self.percent)

    @property
    def caption(self) -> str:
        """``Mål 70 %``: the label of a goal line in a chart."""
        return f"Mål {self.text}"

    def met(self, r: Ratio) -> bool | None:
        """Whether ``r`` reaches the goal; None without a denominator."""
        return meets(r, self.percent)


@dataclass(frozen=True)
class MeasureColumn:
    """A measure of the template as a column: its label (``Beräkningsunderlag``), help text and
    whether it can be summed over SVFs, sexes and regions (counts can, medians cannot)."""

    measure: Measure

    @property
    def id(self) -> str:
        return self.measure.id

    @property
    def label(self) -> str:
        return self.measure.label

    @property
    def help(self) -> str:
        return self.measure.help

    @property
    def summed(self) -> bool:
        return self.measure.kind == COUNT

    def heading(self, sex: Sex) -> str:
        """``Beräkningsunderlag – kvinnor``."""
        return f"{self.label} – {sex.label.lower()}"


@dataclass(frozen=True)
class RateColumn:
    """A computed rate: Σ ``numerator`` / Σ ``denominator`` (measure ids).

    ``label``: its heading (``Inklusion``, ``Inom ledtid``, ``Över 175 %``); ``of``: what is
    counted, for tooltips and notes (``inkluderade av beräkningsunderlaget``); ``definition``:
    one sentence saying how it is computed; ``goal``: the template's goal of the rate, if any;
    ``scope``: the SVFs of its overall value (the inclusion goal's SVFs for inclusion)."""

    id: str
    label: str
    numerator: str
    denominator: str
    of: str
    definition: str
    goal: Goal | None
    scope: tuple[str, ...]

    def heading(self, sex: Sex | None = None, suffix: str = "") -> str:
        """``Inklusion – totalt`` / ``Inklusion (andel) – kvinnor`` (with ``suffix`` " (andel)")."""
        part = sex.label.lower() if sex is not None else "totalt"
        return f"{self.label}{suffix} – {part}"


def _days(x: Fraction) -> str:
    """``64,75`` / ``49``: a number of days with at most two decimals, no trailing zeros."""
    if x.denominator == 1:
        return fmt_int(x.numerator)
    return fmt_num(float(x), 2).rstrip("0").rstrip(",")


@dataclass(frozen=True)
class LeadTimeLine:
    """One lead time of an SVF as the outputs show it for the reporting period: the treatment,
    the days (or ``ej fastställd``), the dates it is valid when it changes inside the period,
    whether it is confirmed, and the long-wait limit in days.

    The limit is the template's long-wait percent of the lead time, exact and **not rounded**
    (175 % of 37 days = 64,75 days). Waits are whole calendar days, so the first wait over the
    limit is ``floor(limit) + 1`` days (65 days; for 28 days, 175 % = 49 and the first wait over
    it is 50 days): ``long_wait_from``."""

    version: LeadTimeVersion
    long_wait_percent: float
    period_start: date
    period_end: date

    @property
    def treatment(self) -> str:
        return self.version.treatment

    @property
    def days(self) -> int | None:
        return self.version.days

    @property
    def status(self) -> LeadTimeStatus:
        return self.version.status

    @property
    def confirmed(self) -> bool:
        return self.version.confirmed

    @property
    def long_wait_limit(self) -> Fraction | None:
        """The long-wait percent of the lead time, in days (exact)."""
        if self.days is None:
            return None
        return Fraction(self.days) * Fraction(str(self.long_wait_percent)) / 100

    @property
    def long_wait_from(self) -> int | None:
        """The shortest wait, in whole days, that is over the long-wait limit."""
        limit = self.long_wait_limit
        return None if limit is None else math.floor(limit) + 1

    @property
    def days_text(self) -> str:
        """``37 dagar`` / ``ej fastställd``."""
        return NOT_ESTABLISHED if self.days is None else f"{fmt_int(self.days)} dagar"

    @property
    def limit_text(self) -> str:
        """``över 64,75 dagar (från 65 dagar)`` / ``–``."""
        limit = self.long_wait_limit
        if limit is None:
            return "–"
        return f"över {_days(limit)} dagar (från {fmt_int(self.long_wait_from or 0)} dagar)"

    @property
    def limit_short(self) -> str:
        """``> 64,75 d`` / ``–``: the long-wait limit for a narrow column."""
        limit = self.long_wait_limit
        return "–" if limit is None else f"> {_days(limit)} d"

    @property
    def validity_text(self) -> str:
        """``hela perioden``, ``fr.o.m. 2024-05-14`` or ``t.o.m. 2024-05-13`` (both when the
        version begins and ends inside the period)."""
        parts = []
        v = self.version
        if v.valid_from is not None and v.valid_from > self.period_start:
            parts.append(f"fr.o.m. {v.valid_from.isoformat()}")
        if v.valid_to is not None and v.valid_to < self.period_end:
            parts.append(f"t.o.m. {v.valid_to.isoformat()}")
        return " ".join(parts) if parts else "hela perioden"

    @property
    def status_text(self) -> str:
        """The status label (``Ej bekräftad``, ``Senast kända version`` …)."""
        return vocabulary_label(self.status)

    @property
    def text(self) -> str:
        """``kirurgi: 42 dagar, fr.o.m. 2024-05-14, lång väntan över 73,5 dagar (från 74
        dagar) – EJ BEKRÄFTAD (Ej bekräftad)``: one line for a tooltip or a note."""
        out = f"{self.treatment}: {self.days_text}"
        if self.validity_text != "hela perioden":
            out += f", {self.validity_text}"
        if self.days is not None:
            out += f"; gräns {percent_text(self.long_wait_percent)}: {self.limit_text}"
        if not self.confirmed:
            out += f" – EJ BEKRÄFTAD ({self.status_text.lower()})"
        return out


def lead_time_lines(svf: Svf, tpl: Template) -> tuple[LeadTimeLine, ...]:
    """The SVF's lead times that apply to the template's reporting period, with their
    validity and long-wait limits."""
    return tuple(
        LeadTimeLine(v, tpl.long_wait_percent, tpl.period_start, tpl.period_end)
        for v in svf.lead_times_in(tpl.period_start, tpl.period_end)
    )


@dataclass(frozen=True)
class IndicatorRow:
    """One row of the table: an SVF, or a total over several SVFs.

    ``counts``: (measure, sex) -> the value (an SVF row: as entered, None when not entered or
    not applicable; a total row: the sum of the counts, None for measures that cannot be
    summed); ``rates``: (rate id, sex or None for both) -> Ratio over the row's SVFs."""

    key: str
    label: str
    svf: Svf | None
    svf_ids: tuple[str, ...]
    sexes: tuple[str, ...]
    counts: Mapping[tuple[str, str], Number | None]
    rates: Mapping[tuple[str, str | None], Ratio]
    goals_met: Mapping[str, bool | None]
    lead_time_lines: tuple[LeadTimeLine, ...] = ()  # those of the period; () for a total
    # measure -> the value over both sexes (the SVF's total or sex split; a total row: the sum
    # of its SVFs'), None when nothing is entered; the counts only.
    whole: Mapping[str, Number | None] = field(default_factory=dict)

    @property
    def is_total(self) -> bool:
        return self.svf is None

    @property
    def lead_times(self) -> tuple[LeadTime, ...]:
        return self.svf.lead_times if self.svf is not None else ()

    @property
    def lead_times_confirmed(self) -> bool:
        """Whether every lead time of the period is confirmed (False when there is none)."""
        return bool(self.lead_time_lines) and all(ln.confirmed for ln in self.lead_time_lines)

    @property
    def lead_time_status_text(self) -> str:
        """The SVF's lead-time status in words (the template's ``lead_time_status``)."""
        return vocabulary_label(self.svf.lead_time_status) if self.svf is not None else ""

    @property
    def lead_time_short(self) -> str:
        """The period's lead times in a few characters, for a narrow column: ``28``,
        ``22–48 ?`` (range of days; ``?``: not confirmed), ``ej fastställd``."""
        if self.svf is None:
            return ""
        days = sorted({ln.days for ln in self.lead_time_lines if ln.days is not None})
        if not days:
            return NOT_ESTABLISHED  # says itself that nothing is confirmed
        first, last = fmt_int(days[0]), fmt_int(days[-1])
        text = first if first == last else f"{first}–{last}"
        return text if self.lead_times_confirmed else f"{text} ?"

    @property
    def lead_time_changes(self) -> bool:
        """Whether a lead time changes inside the period (two versions of one treatment)."""
        treatments = [ln.treatment for ln in self.lead_time_lines]
        return len(treatments) != len(set(treatments))

    def lead_time_text(self, period_label: str) -> str:
        """The lead times of the period on lines, for a tooltip: a heading, one line per
        lead time, or ``Ledtid: ej fastställd i mallen``."""
        if self.svf is None:
            return ""
        if not self.lead_time_lines:
            return (
                f"Ledtid {period_label}: {NOT_ESTABLISHED} i mallen "
                f"– EJ BEKRÄFTAD ({self.lead_time_status_text.lower()})"
            )
        head = f"Ledtider {period_label} (kalenderdagar från välgrundad misstanke):"
        return "\n".join([head, *(f"• {ln.text}" for ln in self.lead_time_lines)])

    def applies_to(self, sex: str) -> bool:
        return sex in self.sexes

    def count(self, measure: str, sex: str) -> Number | None:
        return self.counts.get((measure, sex))

    def sum(self, measure: str) -> Number:
        """The measure over both sexes: the total where one is entered, else the sum over the
        row's sexes (0 when nothing is entered)."""
        if measure in self.whole:
            return self.whole[measure] or 0
        return sum(self.counts.get((measure, x)) or 0 for x in self.sexes)

    def has_total(self, measure: str) -> bool:
        """Whether the row holds a total (not split by sex) for ``measure``."""
        return any(
            k[0] == measure and k[1] not in self.sexes and v is not None
            for k, v in self.counts.items()
        )

    def rate(self, rate_id: str, sex: str | None = None) -> Ratio:
        return self.rates[(rate_id, sex)]

    def only_over_both(self, rate_id: str) -> bool:
        """Whether the rate is known over both sexes but for no sex: the SVF's values are a
        total per SVF (charts per sex show it as a bar of its own)."""
        if not self.rates[(rate_id, None)].denominator:
            return False
        return all(not self.rates[(rate_id, x)].denominator for x in self.sexes)

    @property
    def inclusion(self) -> Ratio:
        return self.rates[(INCLUSION, None)]

    @property
    def lead_time(self) -> Ratio:
        return self.rates[(LEAD_TIME, None)]

    @property
    def long_wait(self) -> Ratio:
        return self.rates[(LONG_WAIT, None)]

    def goal_met(self, rate_id: str) -> bool | None:
        """Whether the row's rate reaches its goal (None: no goal or no denominator)."""
        return self.goals_met.get(rate_id)


@dataclass(frozen=True)
class IndicatorTable:
    """The SVF statistics of one set of figures; build it with ``IndicatorTable.build``."""

    template: Template
    figures: Figures
    sexes: tuple[Sex, ...]
    measures: tuple[MeasureColumn, ...]
    rates: tuple[RateColumn, ...]
    rows: tuple[IndicatorRow, ...]
    totals: tuple[IndicatorRow, ...]  # the inclusion goal's SVFs, then all SVFs
    overall: Mapping[tuple[str, str | None], Ratio]
    inclusion_goal: Goal
    lead_time_goal: Goal
    long_wait: Goal

    # ------------------------------------------------------------------ building

    @classmethod
    def build(cls, figures: Figures, tpl: Template) -> IndicatorTable:
        """The table of ``figures`` under ``tpl``: every rate computed here, once."""
        measure_label = {m.id: m.label for m in tpl.measures}
        inclusion_goal = Goal(INCLUSION, tpl.inclusion_percent, _inclusion_goal_label(tpl))
        lead_time_goal = Goal(LEAD_TIME, tpl.lead_time_percent, measure_label[WITHIN_LEAD_TIME])
        long_wait = Goal(LONG_WAIT, tpl.long_wait_percent, measure_label[OVER_LONG_WAIT])
        scope = tuple(s.id for s in tpl.inclusion_svfs())
        all_svfs = tuple(s.id for s in tpl.svfs)
        rates = _rate_columns(tpl, inclusion_goal, lead_time_goal, long_wait)
        measures = tuple(MeasureColumn(m) for m in tpl.measures)
        rows = tuple(
            _row(figures, tpl, measures, rates, s.id, s.name, s, (s.id,), s.sexes) for s in tpl.svfs
        )
        totals = (
            _row(
                figures,
                tpl,
                measures,
                rates,
                TOTAL_INCLUSION_SCOPE,
                f"{TOTAL_LABEL}, SVF införda före {tpl.inclusion_introduced_before} "
                f"({inclusion_goal.label.lower()})",
                None,
                scope,
                tpl.sex_ids,
            ),
            _row(
                figures,
                tpl,
                measures,
                rates,
                TOTAL_ALL,
                f"{TOTAL_LABEL}, alla SVF",
                None,
                all_svfs,
                tpl.sex_ids,
            ),
        )
        overall = {
            (r.id, x): ratio(figures, tpl, r.numerator, r.denominator, r.scope, x)
            for r in rates
            for x in (None, *tpl.sex_ids)
        }
        return cls(
            template=tpl,
            figures=figures,
            sexes=tpl.sexes,
            measures=measures,
            rates=rates,
            rows=rows,
            totals=totals,
            overall=overall,
            inclusion_goal=inclusion_goal,
            lead_time_goal=lead_time_goal,
            long_wait=long_wait,
        )

    # ------------------------------------------------------------------ lookup

    def row(self, svf_id: str) -> IndicatorRow:
        return next(r for r in self.rows if r.key == svf_id)

    def column(self, rate_id: str) -> RateColumn:
        return next(r for r in self.rates if r.id == rate_id)

    def measure(self, measure_id: str) -> MeasureColumn:
        return next(m for m in self.measures if m.id == measure_id)

    def columns_of(self, measure: MeasureColumn) -> tuple[Sex, ...]:
        """The columns a measure is shown in: its sexes, then the total per SVF where the
        template lets the measure be reported as one (``Beräkningsunderlag – totalt``)."""
        total = self.template.total
        if total is not None and measure.measure.total:
            return (*self.sexes, total)
        return self.sexes

    @property
    def count_measures(self) -> tuple[MeasureColumn, ...]:
        """The measures that can be summed (the counts, not the medians)."""
        return tuple(m for m in self.measures if m.summed)

    @property
    def inclusion_scope_total(self) -> IndicatorRow:
        return self.totals[0]

    @property
    def all_total(self) -> IndicatorRow:
        return self.totals[1]

    def rate(self, rate_id: str, sex: str | None = None) -> Ratio:
        """The overall rate (over the rate's ``scope``), for both sexes or one."""
        return self.overall[(rate_id, sex)]

    @property
    def inclusion(self) -> Ratio:
        """The inclusion over the SVFs of the inclusion goal (Agreement 2024, 5.3)."""
        return self.overall[(INCLUSION, None)]

    @property
    def lead_time(self) -> Ratio:
        return self.overall[(LEAD_TIME, None)]

    @property
    def long_wait_share(self) -> Ratio:
        return self.overall[(LONG_WAIT, None)]

    @property
    def inclusion_goal_met(self) -> bool | None:
        return self.inclusion_goal.met(self.inclusion)

    def long_wait_rows(self, limit: int | None = None) -> list[IndicatorRow]:
        """The SVFs with patients over the long-wait threshold, most first (ties by name)."""
        rows = [r for r in self.rows if r.sum(OVER_LONG_WAIT)]
        rows.sort(key=lambda r: (-r.sum(OVER_LONG_WAIT), r.label))
        return rows if limit is None else rows[:limit]

    # ------------------------------------------------------------------ words

    @property
    def lead_time_note(self) -> str:
        """What the lead times and their long-wait limits are, for the note under a table."""
        pct = self.long_wait.text
        return (
            "Ledtid = kalenderdagar från beslut om välgrundad misstanke till start av första "
            f"behandling, per behandlingstyp. Gräns för lång väntan = {pct} av ledtiden, exakt "
            "beräknad (inte avrundad); en väntan räknas som över gränsen från första hela dagen "
            f"över den. Ändras en ledtid under {self.template.period_label} visas båda "
            f"versionerna med datum. {NOT_ESTABLISHED.capitalize()} = mallen har ingen ledtid. "
            "EJ BEKRÄFTAD = ledtiden är inte bekräftad mot gällande SVF-beskrivning."
        )

    def rows_with_totals(self) -> tuple[IndicatorRow, ...]:
        """The SVFs with a measure reported as one total (not per sex)."""
        measures = [m.id for m in self.template.total_measures()]
        return tuple(r for r in self.rows if any(r.has_total(m) for m in measures))

    @property
    def totals_note(self) -> str:
        """What a total per SVF means for the rates, for the note under a table; "" when every
        value is per sex."""
        rows = self.rows_with_totals()
        if not rows:
            return ""
        names = " och ".join(m.label.lower() for m in self.template.total_measures()).capitalize()
        which = ", ".join(r.label for r in rows) if len(rows) <= 6 else f"{len(rows)} SVF"
        return (
            f"{names} är redovisade totalt per SVF, utan uppdelning på kön, för {which}. "
            "Andelarna för båda könen räknas från totalerna; andelar per kön räknas bara "
            "där värdena finns per kön."
        )

    @property
    def definitions(self) -> str:
        """How the rates are computed, one sentence each, for the note under a table."""
        return " ".join(r.definition for r in self.rates)

    @staticmethod
    def describe(r: Ratio) -> str:
        """``64,2 % (1 234 av 1 922)`` or ``–``."""
        if r.rate is None:
            return "–"
        return f"{fmt_pct(r.rate)} ({fmt_int(r.numerator)} av {fmt_int(r.denominator)})"


def _rate_columns(
    tpl: Template, inclusion_goal: Goal, lead_time_goal: Goal, long_wait: Goal
) -> tuple[RateColumn, ...]:
    """The three rates with their headings, words and goals, in the template's words."""
    measure_label = {m.id: m.label for m in tpl.measures}
    scope = tuple(s.id for s in tpl.inclusion_svfs())
    all_svfs = tuple(s.id for s in tpl.svfs)
    lower = {m: measure_label[m].lower() for m in (EXPECTED, INCLUDED)}
    return (
        RateColumn(
            INCLUSION,
            INCLUSION_LABEL,
            INCLUDED,
            EXPECTED,
            f"{lower[INCLUDED]} av {lower[EXPECTED]}et",
            f"{INCLUSION_LABEL} = {lower[INCLUDED]} / {lower[EXPECTED]}.",
            inclusion_goal,
            scope,
        ),
        RateColumn(
            LEAD_TIME,
            lead_time_goal.label,
            WITHIN_LEAD_TIME,
            INCLUDED,
            f"{lower[INCLUDED]} startade inom ledtid",
            f"{lead_time_goal.label} = andel av de {lower[INCLUDED]} som startade första "
            "behandling inom SVF:ets ledtid.",
            lead_time_goal,
            all_svfs,
        ),
        RateColumn(
            LONG_WAIT,
            long_wait.label,
            OVER_LONG_WAIT,
            INCLUDED,
            f"{lower[INCLUDED]} väntade mer än {long_wait.text} av ledtiden",
            f"{long_wait.label} = andel av de {lower[INCLUDED]} som väntade mer än "
            f"{long_wait.text} av ledtiden.",
            None,
            all_svfs,
        ),
    )


def _inclusion_goal_label(tpl: Template) -> str:
    """The template's name of the inclusion goal (the criterion of kind ``inclusion_goal``)."""
    return next((c.label for c in tpl.criteria if c.kind == "inclusion_goal"), "Inklusionsmålet")


def whole_svf(fig: Figures, tpl: Template, svf_id: str, measure: str) -> Number | None:
    """The SVF's value of ``measure`` over both sexes: its total or its complete sex split
    (``figures.svf_value``), else the sum of what was entered per sex; None for nothing."""
    value = svf_value(fig, tpl, svf_id, measure)
    if value is not None:
        return value
    entered = [fig.get(svf_id, measure, x) for x in tpl.sex_ids]
    present = [v for v in entered if v is not None]
    return sum(present) if present else None


def _row(
    fig: Figures,
    tpl: Template,
    measures: Sequence[MeasureColumn],
    rates: Sequence[RateColumn],
    key: str,
    label: str,
    svf: Svf | None,
    svf_ids: tuple[str, ...],
    sexes: tuple[str, ...],
) -> IndicatorRow:
    counts: dict[tuple[str, str], Number | None] = {}
    whole: dict[str, Number | None] = {}
    for m in measures:
        for x in tpl.sex_ids:
            if svf is not None:
                counts[(m.id, x)] = fig.get(svf.id, m.id, x) if x in sexes else None
            else:
                counts[(m.id, x)] = fig.total(m.id, svf_ids, [x]) if m.summed else None
        if tpl.total_id is not None and m.measure.total:
            if svf is not None:
                entered = fig.get(svf.id, m.id, tpl.total_id)
                counts[(m.id, tpl.total_id)] = entered if tpl.total_applies(svf, m.id) else None
            else:
                counts[(m.id, tpl.total_id)] = fig.total(m.id, svf_ids, [tpl.total_id])
        if m.summed:
            per_svf = [whole_svf(fig, tpl, s, m.id) for s in svf_ids]
            present = [v for v in per_svf if v is not None]
            whole[m.id] = sum(present) if present else None
    values = {
        (r.id, x): ratio(fig, tpl, r.numerator, r.denominator, svf_ids, x)
        for r in rates
        for x in (None, *tpl.sex_ids)  # a sex the SVF does not apply to: 0 / 0
    }
    goals = {r.id: r.goal.met(values[(r.id, None)]) for r in rates if r.goal is not None}
    lines = lead_time_lines(svf, tpl) if svf is not None else ()
    return IndicatorRow(key, label, svf, svf_ids, sexes, counts, values, goals, lines, whole)


def indicator_table(figures: Figures, tpl: Template) -> IndicatorTable:
    """``IndicatorTable.build(figures, tpl)``."""
    return IndicatorTable.build(figures, tpl)


__all__ = [
    "EXPECTED",
    "INCLUDED",
    "INCLUSION",
    "LEAD_TIME",
    "LONG_WAIT",
    "NOT_ESTABLISHED",
    "OVER_LONG_WAIT",
    "TOTAL_ALL",
    "TOTAL_INCLUSION_SCOPE",
    "WITHIN_LEAD_TIME",
    "Goal",
    "IndicatorRow",
    "IndicatorTable",
    "LeadTimeLine",
    "MeasureColumn",
    "RateColumn",
    "indicator_table",
    "lead_time_lines",
    "whole_svf",
    "meets",
    "percent_text",
]
