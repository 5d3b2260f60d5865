"""What the compilation's workbook and PDF show, as plain values (issue 6). The services build
it from their compilation result; the writers in this package only draw it, so they depend
on the domain and nothing else."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from desktop_app.domain.compilation import Compilation, PaymentSplit
from desktop_app.domain.findings import CriterionResult
from desktop_app.domain.indicators import IndicatorTable
from desktop_app.domain.payments import PopulationKey
from desktop_app.domain.template import Template
from desktop_app.domain.vocabulary import RemarkKind, Severity, Verdict, label, plural, short

# The words of a verdict and of "meets every criterion" (True / False / not known), from the
# vocabulary.
VERDICT: dict[str, str] = {v: label(v) for v in Verdict}
QUALIFIES: dict[bool | None, str] = {
    True: short(Verdict.PASS).capitalize(),
    False: short(Verdict.FAIL).capitalize(),
    None: label(Verdict.UNKNOWN),
}


@dataclass(frozen=True)
class RegionLine:
    """A region of the scope in the overview."""

    code: str
    name: str
    status: str  # a RegionState value
    status_label: str
    version: int | None
    file: str | None
    received: str | None
    submitted: str | None
    certification: str  # "Alt 1 – korrekt", "–"
    signers: str  # "Åsa Ekonomsson (intygande), Bo Företrädare (underskrift)"
    criteria: Sequence[CriterionResult]
    criteria_met: bool | None
    reason: str | None
    registered: bool = False  # counted on a report registered by the RCC (issue 11.5)


@dataclass(frozen=True)
class FileLine:
    """A received file of the scope's inbox."""

    file: str
    region: str  # "Region Norrbotten (25)" or "–"
    version: int | None
    status_label: str
    received: str
    reason: str | None
    status: str | None = None  # the InboxStatus value (colours the status cell)


@dataclass(frozen=True)
class RemarkLine:
    """A region's value changed from the RCC's extract, or one of its warnings, with the
    region's reason or justification (issue 15, points 3 and 5)."""

    code: str
    region: str
    kind: RemarkKind
    place: str  # "Lungcancer, kvinnor: Inkluderade"
    detail: str  # "RCC:s uttag 30 → redovisat 28", or the warning's text
    reason: str | None


@dataclass(frozen=True)
class PopulationLine:
    code: str
    name: str
    population: int
    date: str
    source: str
    edited: bool


@dataclass(frozen=True)
class CompilationDocument:
    """Everything one compilation export shows."""

    tpl: Template
    scope_id: str
    scope_name: str
    created: date
    compilation: Compilation
    region_names: dict[str, str]  # all 21
    regions: Sequence[RegionLine]  # the scope's regions
    files: Sequence[FileLine]
    payments: PaymentSplit
    populations: Sequence[PopulationLine]  # all 21, same order as payments.regions
    # The population key of the split (date, source, status); every output of the split
    # states it (issue 12, point 5). None: the template names none.
    population_key: PopulationKey | None = None
    # An unsigned preview of the package to Socialstyrelsen (issue 11.7): marked on every page.
    preview: bool = False
    # Issue 15, points 3 and 5: per region (scope order), its changes from the RCC's extract
    # and its warnings, with the region's reasons and justifications.
    remarks: Sequence[RemarkLine] = ()

    def remark_summary(self, code: str) -> str:
        """``1 värde ändrat från RCC:s datauttag, 2 varningar (1 motiverad)`` ("" without
        any)."""
        mine = [r for r in self.remarks if r.code == code]
        changed = sum(1 for r in mine if r.kind == RemarkKind.DEVIATION)
        warned = [r for r in mine if r.kind != RemarkKind.DEVIATION]
        justified = sum(1 for r in warned if r.kind == RemarkKind.JUSTIFIED_WARNING)
        parts = []
        if changed:
            what = "värde ändrat" if changed == 1 else "värden ändrade"
            parts.append(f"{changed} {what} från RCC:s datauttag")
        if warned:
            done = "motiverad" if justified == 1 else "motiverade"
            parts.append(f"{plural(Severity.WARNING, len(warned))} ({justified} {done})")
        return ", ".join(parts)

    @property
    def key_text(self) -> str:
        """The Swedish line naming the split's key, with its note."""
        key = self.population_key
        if key is None:
            return "Fördelningsnyckel: folkmängd – mallen anger inte vilken nyckel som gäller"
        return key.describe() + (f". {key.note}" if key.note else "")

    @property
    def indicators(self) -> IndicatorTable:
        """The indicator table of the summed figures."""
        table = self.compilation.indicators
        return (
            table if table is not None else IndicatorTable.build(self.compilation.total, self.tpl)
        )

    @property
    def year(self) -> int:
        return self.tpl.year

    @property
    def title(self) -> str:
        return f"Sammanställning av SVF-redovisningarna {self.tpl.year} – {self.scope_name}"
