"""A region's report for one year: figures, PREM, answers to the template's questions,
contact details and the financial statement."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from desktop_app.domain.figures import Figures
from desktop_app.domain.finance import FinancialStatement
from desktop_app.domain.findings import Acknowledgement
from desktop_app.domain.vocabulary import ReportStatus, label

if TYPE_CHECKING:
    from desktop_app.domain.year_over_year import Baseline

# The report status lives in the vocabulary; this name is kept for its many callers.
Status = ReportStatus
STATUS_LABELS = {s: label(s) for s in ReportStatus}


@dataclass
class Prem:
    """PREM survey follow-up of SVF (Agreement 2024, 5.3: regions use PREM-enkäter)."""

    used: bool | None = None
    sent: int | None = None
    answers: int | None = None


@dataclass(frozen=True)
class LongWaitCause:
    """How many of an SVF's pathways over the long-wait threshold (from an applied patient
    list, issue 16) were tagged with a cause: a count, never the patients. ``label`` is the
    cause's name where the template does not name it (a cause the user added)."""

    svf_id: str
    cause_id: str
    count: int
    label: str = ""


@dataclass
class Contact:
    name: str = ""
    title: str = ""
    email: str = ""
    phone: str = ""


@dataclass
class Report:
    region_code: str
    template_id: str
    id: int | None = None
    status: Status = Status.DRAFT
    version: int = 1
    figures: Figures = field(default_factory=Figures)
    prem: Prem = field(default_factory=Prem)
    answers: dict[str, str] = field(default_factory=dict)
    contact: Contact = field(default_factory=Contact)
    finance: FinancialStatement = field(default_factory=FinancialStatement)
    submitted_on: date | None = None
    long_wait_causes: tuple[LongWaitCause, ...] = ()
    # Issue 15, point 5: the region's justifications of warnings, by the warning's key.
    acknowledgements: dict[str, Acknowledgement] = field(default_factory=dict)
    # Issue 15, point 6: last year's figures compared against (a year_over_year.Baseline).
    baseline: Baseline | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def year(self) -> int:
        return int(self.template_id.removeprefix("svf-"))
