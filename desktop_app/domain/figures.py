"""SVF figures per SVF, measure and sex, and the indicators computed from them.

Every rate is a ratio of sums (Σ numerator / Σ denominator), never an average of rates."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from desktop_app.domain.template import Template

Number = int | float
Cell = tuple[str, str, str]  # (svf_id, measure_id, sex_id)

COUNT_MEASURES = ("expected", "investigated", "included", "within_lead_time", "over_175")


def cell_key(measure: str, sex: str) -> str:
    """The machine key of a column: ``included_kvinnor``."""
    return f"{measure}_{sex}"


def split_cell_key(
    key: str, measures: Iterable[str], sexes: Iterable[str]
) -> tuple[str, str] | None:
    """``included_kvinnor`` -> (``included``, ``kvinnor``); None if not a known key."""
    for m in measures:
        for s in sexes:
            if key == cell_key(m, s):
                return m, s
    return None


class Figures:
    """A sparse table of values; a missing cell means 'not entered'."""

    __slots__ = ("_values",)

    def __init__(self, values: dict[Cell, Number] | None = None) -> None:
        self._values: dict[Cell, Number] = dict(values or {})

    def get(self, svf: str, measure: str, sex: str) -> Number | None:
        return self._values.get((svf, measure, sex))

    def set(self, svf: str, measure: str, sex: str, value: Number | None) -> None:
        if value is None:
            self._values.pop((svf, measure, sex), None)
        else:
            self._values[(svf, measure, sex)] = value

    def items(self) -> Iterator[tuple[Cell, Number]]:
        return iter(sorted(self._values.items()))

    def copy(self) -> Figures:
        return Figures(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Figures) and self._values == other._values

    def __repr__(self) -> str:
        return f"Figures({len(self._values)} cells)"

    def total(self, measure: str, svfs: Iterable[str], sexes: Iterable[str]) -> int | float:
        """Sum of the entered values of ``measure`` over the given SVFs and sexes."""
        sexes = tuple(sexes)
        return sum(self._values.get((s, measure, x), 0) for s in svfs for x in sexes)


class SummedFigures(Figures):
    """Figures summed over several regions that remember the regions' own figures, so that a
    rate over them pairs numerator and denominator within each region (``ratio``)."""

    __slots__ = ("parts",)

    def __init__(self, values: dict[Cell, Number], parts: Iterable[Figures]) -> None:
        super().__init__(values)
        self.parts: tuple[Figures, ...] = tuple(parts)

    def copy(self) -> SummedFigures:
        return SummedFigures(dict(self.items()), self.parts)


@dataclass(frozen=True)
class Ratio:
    """numerator / denominator, kept whole so messages can show both counts."""

    numerator: int | float
    denominator: int | float

    @property
    def rate(self) -> float | None:
        """The share 0..1 (can exceed 1 for implausible data); None when the denominator is 0."""
        if not self.denominator:
            return None
        return self.numerator / self.denominator


def _sexes(tpl: Template, sex: str | None) -> tuple[str, ...]:
    return tpl.sex_ids if sex is None else (sex,)


def svf_value(fig: Figures, tpl: Template, svf_id: str, measure: str) -> Number | None:
    """The value of ``measure`` for the whole SVF: its total when one is entered (a measure
    the template lets be reported as a total, issue 12), else the sum over the SVF's sexes when
    every one is entered; None when neither is complete."""
    if tpl.total_id is not None:
        total = fig.get(svf_id, measure, tpl.total_id)
        if total is not None:
            return total
    svf = tpl.svf(svf_id)
    sexes = svf.sexes if svf is not None else tpl.sex_ids
    values = [fig.get(svf_id, measure, x) for x in sexes]
    if any(v is None for v in values):
        return None
    return sum(v for v in values if v is not None)


def _pair_sums(
    fig: Figures,
    tpl: Template,
    numerator: str,
    denominator: str,
    svfs: Iterable[str],
    sex: str | None,
) -> tuple[Number, Number]:
    num: Number = 0
    den: Number = 0
    for s in svfs:
        if sex is None:
            n, d = svf_value(fig, tpl, s, numerator), svf_value(fig, tpl, s, denominator)
            if n is not None and d is not None:
                num += n
                den += d
                continue
        for x in _sexes(tpl, sex):
            n, d = fig.get(s, numerator, x), fig.get(s, denominator, x)
            if n is not None and d is not None:
                num += n
                den += d
    return num, den


def ratio(
    fig: Figures,
    tpl: Template,
    numerator: str,
    denominator: str,
    svfs: Iterable[str],
    sex: str | None = None,
) -> Ratio:
    """Σ numerator / Σ denominator over SVFs and one or all sexes.

    Only values where both are entered count: a measure the template makes optional (e.g.
    ``within_lead_time``) may be missing for some SVFs or sexes, and a missing value is "not
    reported", not zero. Over both sexes an SVF counts with its whole-SVF values (its totals,
    or the sums over its sexes) when both are complete, else per sex where both are entered.
    Figures summed over regions (``SummedFigures``) pair within each region and add the
    regions' sums, so a region that left a numerator empty does not count its denominator.
    With nothing entered the ratio is 0 / 0 (shown as no rate)."""
    svfs = tuple(svfs)
    parts = fig.parts if isinstance(fig, SummedFigures) else (fig,)
    num: Number = 0
    den: Number = 0
    for part in parts:
        n, d = _pair_sums(part, tpl, numerator, denominator, svfs, sex)
        num += n
        den += d
    return Ratio(num, den)


def inclusion(fig: Figures, tpl: Template, svf: str | None = None, sex: str | None = None) -> Ratio:
    """Share of expected new cancer cases that were included in SVF.

    With ``svf=None``: the overall rate over the SVFs in the template's inclusion scope
    (Agreement 2024, 5.3: summed over all SVF introduced before the year)."""
    svfs = [s.id for s in tpl.inclusion_svfs()] if svf is None else [svf]
    return ratio(fig, tpl, "included", "expected", svfs, sex)


def lead_time_fulfilment(
    fig: Figures, tpl: Template, svf: str | None = None, sex: str | None = None
) -> Ratio:
    """Share of the included patients who started treatment within the SVF's lead time."""
    svfs = [s.id for s in tpl.svfs] if svf is None else [svf]
    return ratio(fig, tpl, "within_lead_time", "included", svfs, sex)


def share_over_175(
    fig: Figures, tpl: Template, svf: str | None = None, sex: str | None = None
) -> Ratio:
    """Share of the included patients who waited longer than the template's long-wait
    threshold (``long_wait_percent`` of the lead time; the measure ``over_175``)."""
    svfs = [s.id for s in tpl.svfs] if svf is None else [svf]
    return ratio(fig, tpl, "over_175", "included", svfs, sex)


def missing_cells(
    fig: Figures, tpl: Template, measures: Iterable[str], svfs: Iterable[str]
) -> list[Cell]:
    """Cells of the given measures and SVFs that apply but have no value. A measure entered
    as a total for an SVF has no missing cells there (a total is an alternative to the sex
    split, issue 12)."""
    measures = tuple(measures)
    out: list[Cell] = []
    for svf_id in svfs:
        svf = tpl.svf(svf_id)
        if svf is None:
            continue
        for m in measures:
            if tpl.total_id is not None and fig.get(svf_id, m, tpl.total_id) is not None:
                continue
            for x in tpl.sex_ids:
                if svf.applies_to(x) and fig.get(svf_id, m, x) is None:
                    out.append((svf_id, m, x))
    return out
