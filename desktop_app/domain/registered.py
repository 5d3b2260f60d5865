"""A report that an RCC registers by hand (issue 11, point 5): a region that does not use this
application sends its report in another form (a PDF or Word file in the RCC's template), and the
RCC officer enters the evidence of the payment criteria from it. The criteria are judged from
that evidence here; the deadline is judged on arrival like every received file
(services.inbox_policy.arrival_deadline)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from desktop_app.domain.findings import CriterionResult
from desktop_app.domain.fmt import fmt_int, fmt_num, fmt_pct
from desktop_app.domain.template import Template
from desktop_app.domain.vocabulary import Verdict

# Where the stored verification of a received file keeps a registration (stored format).
REGISTRATION_KEY = "registered"
# The template's question on urology (Agreement 2024, 4.2), the one the RCC registers.
UROLOGY_QUESTION = "urology"
BY_RCC = "enligt RCC:s registrering"


@dataclass(frozen=True)
class RegistrationEvidence:
    """What the RCC officer read from the region's own report: the inclusion (numerator and
    denominator, Agreement 2024, 5.3), whether PREM is used, whether urology is answered."""

    included: int
    expected: int
    prem_used: bool
    urology_answered: bool

    @property
    def rate(self) -> float | None:
        return self.included / self.expected if self.expected else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "included": self.included,
            "expected": self.expected,
            "prem_used": self.prem_used,
            "urology_answered": self.urology_answered,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RegistrationEvidence:
        return cls(
            int(d["included"]),
            int(d["expected"]),
            bool(d["prem_used"]),
            bool(d["urology_answered"]),
        )


def _inclusion(ev: RegistrationEvidence, tpl: Template, c_id: str, label: str) -> CriterionResult:
    goal = fmt_num(tpl.inclusion_percent, 0)
    ok = Fraction(ev.included) * 100 >= Fraction(str(tpl.inclusion_percent)) * ev.expected
    verdict = f"målet {goal} % nås" if ok else f"målet {goal} % nås inte"
    rate = ev.rate
    return CriterionResult(
        c_id,
        label,
        Verdict.PASS if ok else Verdict.FAIL,
        f"Inklusion {fmt_pct(rate)} ({fmt_int(ev.included)} av {fmt_int(ev.expected)}) {BY_RCC}"
        f" – {verdict}",
        round(rate * 100, 2) if rate is not None else None,
        ev.included,
        ev.expected,
    )


def _answer(ev: RegistrationEvidence, tpl: Template, question: str, c_id: str, label: str) -> Any:
    q = tpl.question(question)
    title = q.title if q else question
    if question != UROLOGY_QUESTION:
        return CriterionResult(c_id, label, Verdict.UNKNOWN, f"{title}: inte registrerat av RCC.")
    if ev.urology_answered:
        return CriterionResult(c_id, label, Verdict.PASS, f"{title}: besvarad {BY_RCC}")
    return CriterionResult(c_id, label, Verdict.FAIL, f"{title}: inte besvarad {BY_RCC}")


def evidence_criteria(ev: RegistrationEvidence, tpl: Template) -> list[CriterionResult]:
    """The template's criteria judged from the registered evidence. The deadline criterion is
    left unknown here: it is judged on the arrival date at the RCC."""
    out: list[CriterionResult] = []
    for c in tpl.criteria:
        if c.kind == "inclusion_goal":
            out.append(_inclusion(ev, tpl, c.id, c.label))
        elif c.kind == "prem_used":
            ok = ev.prem_used
            text = "PREM används för uppföljning av SVF" if ok else "PREM används inte"
            out.append(
                CriterionResult(
                    c.id, c.label, Verdict.PASS if ok else Verdict.FAIL, f"{text} {BY_RCC}"
                )
            )
        elif c.kind == "submitted_by_deadline":
            out.append(CriterionResult(c.id, c.label, Verdict.UNKNOWN, "Mottagningsdag saknas."))
        elif c.kind == "answer_given" and c.question:
            out.append(_answer(ev, tpl, c.question, c.id, c.label))
    return out


__all__ = [
    "REGISTRATION_KEY",
    "UROLOGY_QUESTION",
    "RegistrationEvidence",
    "evidence_criteria",
]
