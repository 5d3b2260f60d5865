"""The split of the regions' SVF money by population, in whole kronor.

Agreement 2024, 5.3: the first payment (182 500 000 kr) goes to all regions by population; the
second (182 500 000 kr) by population to the regions that meet every criterion.

Rounding: largest remainder (Hamilton). Each region first gets the whole-krona part of its exact
share total × population / Σ population; the kronor left over (fewer than the number of regions)
go one each to the regions with the largest fractional parts, ties broken by larger population
and then by region code. The amounts therefore always add up exactly to the total, no region is
more than one krona from its exact share, and the result does not depend on the input order.

The state's own rounding rule is not known (svf-facts.md §8, UNCONFIRMED). Rerun on the
published 2021 table (payment 2, 185 000 000 kr, key: population 1 November 2019) this split
gives 18 of the 20 published amounts to the krona; Sörmland comes out 1 kr lower and
Västerbotten 1 kr higher (tests/domain/test_payments.py). No single rule tried (half up, floor,
ceil, a rounded per-capita rate, rounded shares) reproduces all 20.

The key: every split is made with a ``PopulationKey`` naming the date and source of the
populations and whether the key is the state's (confirmed) or preliminary; the template names
the year's key and every output of a split states it (``PopulationKey.describe``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from desktop_app.domain.vocabulary import KeyStatus, label


@dataclass(frozen=True)
class PopulationKey:
    """The population key of a split: the date the populations refer to (ISO date, or several
    separated by ", " when regions come from different tables), their source, and whether the
    key is the state's decided one or preliminary. ``note`` explains a preliminary key."""

    date: str
    source: str
    status: KeyStatus = KeyStatus.PRELIMINARY
    note: str = ""

    @property
    def preliminary(self) -> bool:
        return self.status is not KeyStatus.CONFIRMED

    def describe(self) -> str:
        """One Swedish line for every output of a split, e.g. "Fördelningsnyckel: folkmängd
        2023-12-31 enligt SCB … – preliminär"."""
        text = f"Fördelningsnyckel: folkmängd {self.date} enligt {self.source}"
        if self.preliminary:
            return f"{text} – {label(KeyStatus.PRELIMINARY).lower()} nyckel"
        return f"{text} – {label(KeyStatus.CONFIRMED).lower()}"


def split_by_population(total: int, populations: Mapping[str, int]) -> dict[str, int]:
    """``total`` whole kronor over the regions in ``populations`` in proportion to population."""
    if total < 0:
        raise ValueError("total must be >= 0")
    if not populations:
        return {}
    if any(p < 0 for p in populations.values()):
        raise ValueError("populations must be >= 0")
    pop_sum = sum(populations.values())
    if pop_sum == 0:
        raise ValueError("the populations add up to 0")
    exact = {code: Fraction(total * p, pop_sum) for code, p in populations.items()}
    amounts = {code: int(q) for code, q in exact.items()}  # floor: quotas are >= 0
    left = total - sum(amounts.values())
    order = sorted(
        populations,
        key=lambda c: (-(exact[c] - amounts[c]), -populations[c], c),
    )
    for code in order[:left]:
        amounts[code] += 1
    return amounts


@dataclass(frozen=True)
class SecondPayment:
    """The second payment when some regions' criteria are still unknown.

    ``if_all_unknown_qualify`` / ``if_none_qualify`` give each region's amount in the two
    extreme cases; they are equal (and ``preliminary`` is False) when nothing is unknown."""

    if_all_unknown_qualify: dict[str, int]
    if_none_qualify: dict[str, int]
    preliminary: bool

    @property
    def final(self) -> dict[str, int] | None:
        return None if self.preliminary else self.if_none_qualify


def second_payment(
    total: int, populations: Mapping[str, int], qualifies: Mapping[str, bool | None]
) -> SecondPayment:
    """Split ``total`` over the regions that qualify (True); None means not yet known.

    Regions missing from ``qualifies`` count as unknown. If no region qualifies, nobody is paid
    (the money is not distributed here)."""
    known_yes = {c: p for c, p in populations.items() if qualifies.get(c) is True}
    maybe = {c: p for c, p in populations.items() if qualifies.get(c) is None}

    def split(pool: Mapping[str, int]) -> dict[str, int]:
        paid = split_by_population(total, pool) if pool and sum(pool.values()) else {}
        return {c: paid.get(c, 0) for c in populations}

    return SecondPayment(
        if_all_unknown_qualify=split({**known_yes, **maybe}),
        if_none_qualify=split(known_yes),
        preliminary=bool(maybe),
    )
