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


def ratio(
    fig: Figures,
    tpl: Template,
    numerator: str,
    denominator: str,
    svfs: Iterable[str],
    sex: str | None = None,
) -> Ratio:
    """Σ numerator / Σ denominator over SVFs and one or all sexes.

    Only cells where both values are entered count: a measure the template makes optional
    (e.g. ``within_lead_time``) may be missing for some SVFs or sexes, and a missing value is
    "not reported", not zero. With nothing entered the ratio is 0 / 0 (shown as no rate)."""
    num: Number = 0
    den: Number = 0
    for s in svfs:
        for x in _sexes(tpl, sex):
            n, d = fig.get(s, numerator, x), fig.get(s, denominator, x)
            if n is not None and d is not None:
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
    """Cells of the given measures and SVFs that apply but have no value."""
    measures = tuple(measures)
    out: list[Cell] = []
    for svf_id in svfs:
        svf = tpl.svf(svf_id)
        if svf is None:
            continue
        for m in measures:
            for x in tpl.sex_ids:
                if svf.applies_to(x) and fig.get(svf_id, m, x) is None:
                    out.append((svf_id, m, x))
    return out
