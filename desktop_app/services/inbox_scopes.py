"""Whose reports an RCC's inbox receives and compiles: an RCC's healthcare region or the whole
country, and the reporting year to compile when none is given."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.domain.errors import UserError
from desktop_app.domain.reference import load_reference
from desktop_app.domain.template import available_years
from desktop_app.services.bootstrap import AppContext

SCOPE_NATIONAL = "national"


@dataclass(frozen=True)
class Scope:
    """Whose reports are compiled: an RCC's healthcare region or the whole country."""

    id: str
    name: str
    regions: tuple[str, ...]  # in the reference data's order

    @property
    def national(self) -> bool:
        """Whether this is the whole country rather than one RCC."""
        return self.id == SCOPE_NATIONAL


def scopes() -> list[Scope]:
    """The six RCCs and *Hela landet*, for a picker."""
    ref = load_reference()
    order = [r.code for r in ref.regions]
    out = [
        Scope(c.id, c.name, tuple(sorted(c.regions, key=order.index)))
        for c in ref.rccs  # regions sorted like the reference list
    ]
    return out + [Scope(SCOPE_NATIONAL, "Hela landet", tuple(order))]


def scope_of(scope_id: str) -> Scope:
    """The scope with this id; a UserError naming the valid ones otherwise."""
    for s in scopes():
        if s.id == scope_id:
            return s
    valid = ", ".join(s.id for s in scopes())
    raise UserError(f"Okänt urval '{scope_id}'. Giltiga: {valid}.")


def default_year(ctx: AppContext) -> int:
    """The reporting year to compile when none is given: this year's template if there is one,
    else the newest year that has a template."""
    years = available_years()
    if not years:
        raise UserError("Det finns inga redovisningsmallar.")
    this_year = ctx.today().year
    earlier = [y for y in years if y <= this_year]
    return max(earlier) if earlier else max(years)
