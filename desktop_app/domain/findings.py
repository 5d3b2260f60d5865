"""What the checks of a report produce: findings (with a severity and the exact place) and the
results of the payment criteria. Kept apart from the rules so that every module that checks
something (figures, finance, PREM) can make findings without importing the others."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from desktop_app.domain.vocabulary import Severity, Verdict


@dataclass(frozen=True)
class Location:
    """Where a finding points: a step of the guided report and, inside it, an SVF, a sex, a
    measure or a named field."""

    step: str | None = None
    svf: str | None = None
    sex: str | None = None
    measure: str | None = None
    field: str | None = None

    def to_dict(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Acknowledgement:
    """A region's justification of one warning (issue 15, point 5), kept under the warning's
    ``key`` with the ``fingerprint`` of the warning's text when it was justified: the text
    names the values, so when they change the justification no longer applies (it lapses)
    and the warning is open again. ``message`` is that text, for the record."""

    key: str
    fingerprint: str
    justification: str
    message: str
    on: date

    def to_dict(self) -> dict[str, str]:
        return {
            "key": self.key,
            "fingerprint": self.fingerprint,
            "justification": self.justification,
            "message": self.message,
            "on": self.on.isoformat(),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Acknowledgement:
        return cls(
            d["key"],
            d["fingerprint"],
            d["justification"],
            d["message"],
            date.fromisoformat(d["on"]),
        )


def fingerprint(message: str) -> str:
    """SHA-256 of a warning's text: what a justification was given for."""
    return hashlib.sha256(message.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Finding:
    """One problem found in a report: the rule's id, its severity, a Swedish message and the
    place."""

    rule: str
    severity: Severity
    message: str
    location: Location = field(default_factory=Location)
    # The region's justification of this warning, when one holds for its current text.
    acknowledgement: Acknowledgement | None = None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.message)

    def acknowledged(self, ack: Acknowledgement | None) -> Finding:
        """This finding with ``ack`` attached (None: without)."""
        return replace(self, acknowledgement=ack)

    @property
    def key(self) -> str:
        """A stable name of the finding's rule and place, the same every time the report is
        checked: ``rule:svf:sex:measure:field`` with empty parts kept and trailing ones dropped
        (``inclusion_implausible:lunga::included``). A justification of a warning is kept under
        it, and the command line names a warning by it."""
        loc = self.location
        parts = [self.rule, loc.svf or "", loc.sex or "", loc.measure or "", loc.field or ""]
        return ":".join(parts).rstrip(":")

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "key": self.key,
            "rule": self.rule,
            "severity": str(self.severity),
            "message": self.message,
            "location": self.location.to_dict(),
        }
        if self.acknowledgement is not None:
            d["acknowledged"] = {
                "justification": self.acknowledgement.justification,
                "on": self.acknowledgement.on.isoformat(),
            }
        return d


@dataclass(frozen=True)
class CriterionResult:
    """The outcome of one payment criterion with its figures."""

    id: str
    label: str
    status: Verdict
    message: str
    value: float | None = None
    numerator: int | float | None = None
    denominator: int | float | None = None

    def __post_init__(self) -> None:
        # Results are also rebuilt from stored JSON, where the status is a plain string.
        if not isinstance(self.status, Verdict):
            object.__setattr__(self, "status", Verdict(self.status))

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["status"] = str(self.status)
        return d
