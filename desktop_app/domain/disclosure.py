"""Disclosure check before the published copy (issue 15, point 7).

The regions' reports are published. A cell with very few patients (1 to 4 with the 2024
template) could point out a person, and a PREM result from few answers says little and may do
the same; the template's ``disclosure`` block sets both limits and the texts shown instead. The
signed original keeps the exact figures; ``disclosure_flags`` lists what its published copy
hides (shown before signing), and ``Masking`` is how the published copy writes a count, a rate
and the PREM answers."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop_app.domain.figures import Figures, Number, Ratio, svf_value
from desktop_app.domain.findings import Finding, Location
from desktop_app.domain.fmt import fmt_int, fmt_pct
from desktop_app.domain.indicators import TOTAL_ALL, TOTAL_INCLUSION_SCOPE
from desktop_app.domain.report import Prem, Report
from desktop_app.domain.template import DisclosureLimits, Template
from desktop_app.domain.vocabulary import Severity

RULE_SMALL_COUNT = "disclosure_small_count"
RULE_FEW_PREM_ANSWERS = "disclosure_prem_answers"
RULE_COMPLEMENT = "disclosure_complement"

# The whole-SVF values the published SVF table shows (a count, or a rate whose numerator it
# gives away with the count beside it), by the measure they stand for; and for each rate of the
# table the measures it is built on.
SHOWN_QUANTITIES = ("expected", "included", "within_lead_time", "over_175")
RATE_MEASURES = {
    "inclusion": ("included", "expected"),
    "lead_time": ("within_lead_time", "included"),
    "long_wait": ("over_175", "included"),
}
# Row keys of the SVF table's two total rows.
TOTAL_ROWS = (TOTAL_INCLUSION_SCOPE, TOTAL_ALL)


@dataclass(frozen=True)
class Masking:
    """How a rendering writes counts, rates and PREM: exactly (no limits), or as the published
    copy does."""

    limits: DisclosureLimits | None = None
    # Secondary suppression: (table row key, measure) hidden as well, so that a hidden small
    # count cannot be worked out from a total minus the other rows (see ``complements``).
    hidden: frozenset[tuple[str, str]] = field(default_factory=frozenset)

    def small(self, value: Number | None) -> bool:
        """A count of 1 up to (not including) the template's ``min_patients``."""
        lim = self.limits
        return lim is not None and value is not None and 0 < value < lim.min_patients

    def count(self, value: Number) -> str:
        if self.limits is not None and self.small(value):
            return self.limits.small_count_text
        return fmt_int(value)

    def rate(self, r: Ratio) -> str:
        """A rate; hidden when it is built on a small count (it would give the count away)."""
        if self.limits is not None and (self.small(r.numerator) or self.small(r.denominator)):
            return self.limits.suppressed_text
        return fmt_pct(r.rate)

    def count_at(self, row: str, measure: str, value: Number) -> str:
        """A count of the SVF table's row ``row``: hidden too when it is a complement."""
        if self.limits is not None and (row, measure) in self.hidden:
            return self.limits.suppressed_text
        return self.count(value)

    def rate_at(self, row: str, rate: str, r: Ratio) -> str:
        """A whole-row rate of the SVF table (``rate``: inclusion, lead_time, long_wait)."""
        if self.limits is not None and self.hides_at(row, rate, r):
            return self.limits.suppressed_text
        return self.rate(r)

    def hides_rate(self, r: Ratio) -> bool:
        return self.limits is not None and (self.small(r.numerator) or self.small(r.denominator))

    def hides_at(self, row: str, rate: str, r: Ratio) -> bool:
        """Whether a row's rate is hidden: built on a small count, or on a complement."""
        built_on = RATE_MEASURES.get(rate, ())
        return self.hides_rate(r) or any((row, m) in self.hidden for m in built_on)

    def prem_hidden(self, prem: Prem) -> bool:
        """Whether the PREM result is hidden: fewer answers than the template's limit."""
        lim = self.limits
        return lim is not None and prem.answers is not None and prem.answers < lim.min_prem_answers

    @property
    def suppressed(self) -> str:
        return self.limits.suppressed_text if self.limits is not None else "–"


EXACT = Masking()


def _primary(fig: Figures, tpl: Template, mask: Masking, svf_id: str, measure: str) -> bool:
    """Whether the published SVF table hides ``measure`` of the SVF by its own value: a small
    count, or (a numerator shown only as a rate) a rate built on a small count."""
    value = svf_value(fig, tpl, svf_id, measure)
    if measure in ("expected", "included"):
        return mask.small(value)
    # A numerator of 0 is not hidden (a count of 0 is shown, as the policy has it).
    included = svf_value(fig, tpl, svf_id, "included")
    return mask.small(value) or (bool(value) and mask.small(included))


def complements(
    fig: Figures, tpl: Template, limits: DisclosureLimits | None
) -> frozenset[tuple[str, str]]:
    """Secondary suppression of the published SVF table. Its total rows (the inclusion goal's
    SVFs, and all SVFs) give the sum of each group of SVFs (those of the goal, the others);
    where exactly one SVF of a group has a value hidden, that value would be the group's sum
    minus the others'. So the smallest other value of the group is hidden too (or, with none,
    the all-SVF total's), and the rates built on it with it."""
    if limits is None:
        return frozenset()
    mask = Masking(limits)
    scope = {s.id for s in tpl.inclusion_svfs()}
    groups = [
        [s.id for s in tpl.svfs if s.id in scope],
        [s.id for s in tpl.svfs if s.id not in scope],
    ]
    out: set[tuple[str, str]] = set()
    for measure in SHOWN_QUANTITIES:
        for group in groups:
            values = {s: svf_value(fig, tpl, s, measure) for s in group}
            known = {s: v for s, v in values.items() if v is not None}
            hidden = [s for s in known if _primary(fig, tpl, mask, s, measure)]
            if len(hidden) != 1:
                continue
            others = sorted(
                (v, s)
                for s, v in known.items()
                if s not in hidden and v > 0 and not _primary(fig, tpl, mask, s, measure)
            )
            if others:
                out.add((others[0][1], measure))
            else:
                out.add((TOTAL_ROWS[1], measure))
    return frozenset(out)


def published_masking(report: Report, tpl: Template) -> Masking:
    """How the published copy of ``report`` writes its figures: the template's limits and the
    values hidden as complements."""
    return Masking(tpl.disclosure, complements(report.figures, tpl, tpl.disclosure))


def published_note(limits: DisclosureLimits) -> str:
    """The sentence the published copy opens with, from the template's limits."""
    return (
        f"Publicerad version. Antal patienter från 1 till {limits.min_patients - 1} visas som "
        f"”{limits.small_count_text}” och andelar som bygger på dem som "
        f"”{limits.suppressed_text}”; PREM-resultat med färre än {limits.min_prem_answers} svar "
        f"visas som ”{limits.suppressed_text}”. Det undertecknade originalet har de exakta talen."
    )


def disclosure_flags(report: Report, tpl: Template) -> list[Finding]:
    """What the published copy of ``report`` will hide, as warnings with their place: each
    count cell of 1 to min_patients − 1, and PREM with fewer answers than the limit. Empty when
    the template sets no limits."""
    lim = tpl.disclosure
    if lim is None:
        return []
    mask = Masking(lim)
    out: list[Finding] = []
    figures_step = next((s.id for s in tpl.steps if s.kind == "figures"), None)
    for svf_id, measure_id, sex_id in tpl.cells():
        m = tpl.measure(measure_id)
        value = report.figures.get(svf_id, measure_id, sex_id)
        if m is None or m.kind != "count" or not mask.small(value):
            continue
        svf, sex = tpl.svf(svf_id), tpl.sex(sex_id)
        assert svf is not None and sex is not None and value is not None
        out.append(
            Finding(
                RULE_SMALL_COUNT,
                Severity.WARNING,
                f"{svf.name}, {sex.label.lower()}, {m.label}: {fmt_int(value)} patienter (färre "
                f"än {lim.min_patients}) visas som ”{lim.small_count_text}” i den publicerade "
                "versionen.",
                Location(figures_step, svf_id, sex_id, measure_id),
            )
        )
    out += _complement_flags(report, tpl, lim, figures_step)
    if mask.prem_hidden(report.prem):
        prem_step = next((s.id for s in tpl.steps if s.kind == "prem"), None)
        out.append(
            Finding(
                RULE_FEW_PREM_ANSWERS,
                Severity.WARNING,
                f"PREM: {fmt_int(report.prem.answers or 0)} svar (färre än "
                f"{lim.min_prem_answers}); resultatet visas som ”{lim.suppressed_text}” i den "
                "publicerade versionen.",
                Location(prem_step, field="prem_answers"),
            )
        )
    return out


def _complement_flags(
    report: Report, tpl: Template, lim: DisclosureLimits, step: str | None
) -> list[Finding]:
    """A warning per row of the SVF table with values the published copy hides as
    complements."""
    by_row: dict[str, list[str]] = {}
    for row, measure in complements(report.figures, tpl, lim):
        by_row.setdefault(row, []).append(measure)
    order = [s.id for s in tpl.svfs] + list(TOTAL_ROWS)
    out = []
    for row in sorted(by_row, key=order.index):
        measures = [m for m in SHOWN_QUANTITIES if m in by_row[row]]
        svf = tpl.svf(row)
        what = ", ".join((m.label if (m := tpl.measure(x)) else x) for x in measures)
        where = svf.name if svf is not None else "Totalt, alla SVF"
        out.append(
            Finding(
                RULE_COMPLEMENT,
                Severity.WARNING,
                f"{where}: {what} visas som ”{lim.suppressed_text}” i den publicerade versionen "
                "(med andelarna som bygger på dem), så att ett dolt litet antal i ett annat SVF "
                "inte kan räknas fram ur totalen.",
                Location(step, svf.id if svf is not None else None, None, measures[0]),
            )
        )
    return out
