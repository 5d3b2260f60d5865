"""Last year's figures as a baseline (issue 15, point 6).

A region compares this year's report with last year's: its signed report, that report as a
document, or the RCC's figures for last year. Per SVF and sex (and total, where entered) an
inclusion that moves beyond the template's band, or a count that grows or shrinks more than
its factor, is a warning that asks for a justification (see domain.acknowledgements). The
baseline keeps only the counts the check reads: aggregates, never patients."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from desktop_app.domain.figures import Figures, Number, cell_key, split_cell_key
from desktop_app.domain.findings import Finding, Location
from desktop_app.domain.fmt import fmt_int, fmt_num, fmt_pct
from desktop_app.domain.template import Template, YearOverYear
from desktop_app.domain.vocabulary import BaselineSource, Severity, label

INCLUSION_RULE = "year_over_year_inclusion"
COUNT_RULE = "year_over_year_count"
# The measures the inclusion comparison reads (inclusion = included / expected).
INCLUSION_MEASURES = ("included", "expected")


@dataclass(frozen=True)
class Baseline:
    """Last year's counts of one region, with where they came from."""

    year: int
    region_code: str
    source: BaselineSource
    file: str
    sha256: str
    figures: Figures

    def describe(self) -> str:
        """``Fjolårets undertecknade redovisning (2023), fil rapport-2023.pdf``."""
        return f"{label(self.source)} ({self.year}), fil {self.file}"

    def to_dict(self) -> dict[str, Any]:
        part: dict[str, dict[str, Number]] = {}
        for (s, m, x), v in self.figures.items():
            part.setdefault(s, {})[cell_key(m, x)] = v
        return {
            "year": self.year,
            "region": self.region_code,
            "source": str(self.source),
            "file": self.file,
            "sha256": self.sha256,
            "figures": part,
        }

    @classmethod
    def from_dict(
        cls, d: dict[str, Any], measures: tuple[str, ...], columns: tuple[str, ...]
    ) -> Baseline:
        fig = Figures()
        for svf_id, row in d["figures"].items():
            for key, v in row.items():
                ms = split_cell_key(key, measures, columns)
                if ms is None:
                    raise ValueError(f"baseline/figures/{svf_id}/{key}: okänd kolumn")
                fig.set(svf_id, ms[0], ms[1], v)
        return cls(d["year"], d["region"], BaselineSource(d["source"]), d["file"], d["sha256"], fig)


def baseline_figures(fig: Figures, tpl: Template) -> Figures:
    """The cells of last year's ``fig`` the check of ``tpl`` (this year's) reads."""
    band = tpl.warnings.year_over_year if tpl.warnings else None
    if band is None:
        return Figures()
    wanted = set(band.measures) | set(INCLUSION_MEASURES)
    columns = set(tpl.column_ids)  # last year's columns that this year also has
    out = Figures()
    for (s, m, x), v in fig.items():
        if m in wanted and x in columns:
            out.set(s, m, x, v)
    return out


def _where(tpl: Template, svf_id: str, column: str) -> str:
    svf = tpl.svf(svf_id)
    col = tpl.total if column == tpl.total_id else tpl.sex(column)
    name = svf.name if svf else svf_id
    return f"{name}, {(col.label if col else column).lower()}"


def _columns(tpl: Template, svf_id: str) -> tuple[str, ...]:
    svf = tpl.svf(svf_id)
    sexes = svf.sexes if svf is not None else tpl.sex_ids
    return tuple(sexes) + ((tpl.total_id,) if tpl.total_id else ())


def _count_jump(band: YearOverYear, old: Number, new: Number) -> bool:
    if max(old, new) < band.min_count:
        return False
    low, high = sorted((Fraction(str(old)), Fraction(str(new))))
    return low == 0 or high > low * Fraction(str(band.count_factor))


def _inclusion_jump(
    band: YearOverYear, old: tuple[Number, Number], new: tuple[Number, Number]
) -> Fraction | None:
    """The change in percentage points when beyond the band, else None."""
    (oi, oe), (ni, ne) = old, new
    if min(oe, ne) < max(band.min_count, 1):
        return None
    diff = (Fraction(str(ni)) / Fraction(str(ne)) - Fraction(str(oi)) / Fraction(str(oe))) * 100
    return diff if abs(diff) > Fraction(str(band.inclusion_points)) else None


def year_over_year_findings(
    fig: Figures, tpl: Template, baseline: Baseline | None
) -> list[Finding]:
    """A warning per SVF and sex whose inclusion or counts moved beyond the band since the
    baseline; none without a baseline or a band. SVFs of only one year are not compared."""
    band = tpl.warnings.year_over_year if tpl.warnings else None
    if baseline is None or band is None:
        return []
    step = next((s.id for s in tpl.steps if s.kind == "figures"), None)
    then = f"i fjol ({baseline.year})"
    out: list[Finding] = []
    last = baseline.figures
    for svf in tpl.svfs:
        for col in _columns(tpl, svf.id):
            where = _where(tpl, svf.id, col)
            old_pair = (last.get(svf.id, "included", col), last.get(svf.id, "expected", col))
            new_pair = (fig.get(svf.id, "included", col), fig.get(svf.id, "expected", col))
            if None not in old_pair and None not in new_pair:
                diff = _inclusion_jump(band, old_pair, new_pair)  # type: ignore[arg-type]
                if diff is not None:
                    old_rate = old_pair[0] / old_pair[1]  # type: ignore[operator]
                    new_rate = new_pair[0] / new_pair[1]  # type: ignore[operator]
                    sign = "+" if diff > 0 else "−"
                    out.append(
                        Finding(
                            INCLUSION_RULE,
                            Severity.WARNING,
                            f"{where}: inklusionen är {fmt_pct(new_rate)} i år mot "
                            f"{fmt_pct(old_rate)} {then}, {sign}{fmt_num(float(abs(diff)))} "
                            f"procentenheter (gränsen är ±{fmt_num(band.inclusion_points, 0)}). "
                            "Kontrollera siffrorna eller motivera förändringen.",
                            Location(step=step, svf=svf.id, sex=col, measure="included"),
                        )
                    )
            for m in band.measures:
                old, new = last.get(svf.id, m, col), fig.get(svf.id, m, col)
                if old is None or new is None or not _count_jump(band, old, new):
                    continue
                measure = tpl.measure(m)
                out.append(
                    Finding(
                        COUNT_RULE,
                        Severity.WARNING,
                        f"{where}, {measure.label if measure else m}: {fmt_int(new)} i år mot "
                        f"{fmt_int(old)} {then}, en förändring på mer än ×{fmt_num(band.count_factor, 0)} "
                        "uppåt eller nedåt (gränsen i mallen). Kontrollera siffrorna eller motivera förändringen.",
                        Location(step=step, svf=svf.id, sex=col, measure=m),
                    )
                )
    return out
