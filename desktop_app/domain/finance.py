"""The financial statement (ekonomisk redovisning) of Bilaga 2 in the agreement: fields only here.

unspent = received − total costs is always computed, never typed."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class CostItem:
    label: str = ""
    amount: int | None = None


@dataclass
class FinancialStatement:
    # 1. Kontaktuppgifter
    recipient: str = ""  # Bidragsmottagare
    org_number: str = ""  # Organisationsnummer
    contact_person: str = ""
    postal_address: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    # 2. Bidrag som ansökan avser
    dnr_agreement: str = ""  # Regeringskansliets diarienummer för bakomliggande överenskommelse
    dnr_decision: str = ""  # ... avseende regeringsbeslut för utbetalning
    agreement_name: str = ""
    grant_total: int | None = None  # Summa bidrag enligt överenskommelsen
    grant_paid: int | None = None  # Summa bidrag som utbetalats
    period: str = ""
    # 3. Redovisning av verksamhet eller aktivitet
    received: int | None = None  # Bidrag som erhållits
    costs: list[CostItem] = field(default_factory=list)

    @property
    def total_costs(self) -> int:
        return sum(c.amount or 0 for c in self.costs)

    @property
    def unspent(self) -> int | None:
        """Medel som inte har förbrukats (Bidrag – kostnader)."""
        if self.received is None:
            return None
        return self.received - self.total_costs

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["costs"] = [asdict(c) for c in self.costs]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> FinancialStatement:
        d = dict(d or {})
        costs = [CostItem(**c) for c in d.pop("costs", [])]
        d.pop("total_costs", None)
        d.pop("unspent", None)
        known = {f for f in cls.__dataclass_fields__}
        return cls(costs=costs, **{k: v for k, v in d.items() if k in known})
