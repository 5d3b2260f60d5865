"""Disclosure check before the published copy (issue 15, point 7).

The regions' reports are published. A cell with very few patients (1 to 4 with the 2024
template) could point out a person, and a PREM result from few answers says little and may do
the same; the template's ``disclosure`` block sets both limits and the texts shown instead. The
signed original keeps the exact figures; ``disclosure_flags`` lists what its published copy
hides (shown before signing), and ``Masking`` is how the published copy writes a count, a rate
and the PREM answers."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.domain.figures import Number, Ratio
from desktop_app.domain.findings import Finding, Location
from desktop_app.domain.fmt import fmt_int, fmt_pct
from desktop_app.domain.report import Prem, Report
from desktop_app.domain.template import DisclosureLimits, Template
from desktop_app.domain.vocabulary import Severity

RULE_SMALL_COUNT = "disclosure_small_count"
RULE_FEW_PREM_ANSWERS = "disclosure_prem_answers"


@dataclass(frozen=True)
class Masking:
    """How a rendering writes counts, rates and PREM: exactly (no limits), or as the published
    copy does."""

    limits: DisclosureLimits | None = None

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

    def prem_hidden(self, prem: Prem) -> bool:
        """Whether the PREM result is hidden: fewer answers than the template's limit."""
        lim = self.limits
        return lim is not None and prem.answers is not None and prem.answers < lim.min_prem_answers

    @property
    def suppressed(self) -> str:
        return self.limits.suppressed_text if self.limits is not None else "–"


EXACT = Masking()


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
