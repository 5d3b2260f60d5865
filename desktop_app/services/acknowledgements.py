"""Justifying warnings (issue 15, point 5): list a report's warnings with their state, keep a
justification for one (named by its key or by its number in the list), or withdraw it.

A justification is part of the report: it is kept in the document, printed next to the value
in the signed PDF and shown to the RCC, so it can only be given while the report is editable."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop_app.domain.acknowledgements import (
    JustificationError,
    acknowledge,
    lapsed,
    warning_state,
)
from desktop_app.domain.errors import UserError
from desktop_app.domain.findings import Acknowledgement, Finding
from desktop_app.domain.report import Report
from desktop_app.domain.rules import validate
from desktop_app.domain.template import load_template
from desktop_app.domain.vocabulary import Severity, WarningState, label
from desktop_app.services.bootstrap import AppContext
from desktop_app.services.reports import Changes, _load, _load_editable


@dataclass(frozen=True)
class WarningItem:
    """One warning of a report, numbered from 1 in the order ``validate`` gives."""

    number: int
    finding: Finding
    state: WarningState

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            **self.finding.to_dict(),
            "state": str(self.state),
            "state_label": label(self.state),
        }


@dataclass(frozen=True)
class WarningList:
    """A report's warnings, and the justifications that no longer hold for any of them."""

    items: list[WarningItem]
    lapsed: list[Acknowledgement]

    def to_dict(self) -> dict[str, Any]:
        return {
            "warnings": [w.to_dict() for w in self.items],
            "lapsed": [a.to_dict() for a in self.lapsed],
        }


def _items(report: Report) -> list[WarningItem]:
    """The report's warnings, numbered from 1 in the order ``validate`` gives."""
    findings = validate(report, load_template(report.template_id))
    warnings = [f for f in findings if f.severity == Severity.WARNING]
    return [
        WarningItem(i, f, warning_state(f, report.acknowledgements))
        for i, f in enumerate(warnings, start=1)
    ]


def report_warnings(ctx: AppContext, report_id: int) -> WarningList:
    with ctx.uow() as uow:
        report = _load(uow, report_id)
    items = _items(report)
    return WarningList(items, lapsed([w.finding for w in items], report.acknowledgements))


def _find(items: list[WarningItem], which: str) -> WarningItem:
    text = which.strip()
    if text.isdigit():
        n = int(text)
        if 1 <= n <= len(items):
            return items[n - 1]
        raise UserError(
            f"Det finns ingen varning nummer {n}; redovisningen har {len(items)} varningar "
            "(se svf-report warnings)."
        )
    for item in items:
        if item.finding.key == text:
            return item
    raise UserError(
        f"Redovisningen har ingen varning '{text}' just nu (se svf-report warnings). Varningen "
        "kan ha försvunnit när värdena ändrades."
    )


def justify_warning(ctx: AppContext, report_id: int, which: str, justification: str) -> Finding:
    """Keep ``justification`` for the warning ``which`` (its key, or its number in
    ``report_warnings``); returns the warning with it."""
    with ctx.uow() as uow:
        report = _load_editable(uow, report_id)
        tpl = load_template(report.template_id)
        item = _find(_items(report), which)
        try:
            ack = acknowledge(tpl, item.finding, justification, ctx.today())
        except JustificationError as exc:
            raise UserError(str(exc)) from None
        uow.reports.set_acknowledgement(report_id, ack.key, ack)
        uow.commit()
    return item.finding.acknowledged(ack)


def withdraw_justification(ctx: AppContext, report_id: int, which: str) -> Changes:
    """Remove the justification kept under the warning key ``which`` (or of warning number
    ``which``), lapsed or not."""
    with ctx.uow() as uow:
        report = _load_editable(uow, report_id)
        key = which.strip()
        if key not in report.acknowledgements:
            key = _find(_items(report), which).finding.key
            if key not in report.acknowledgements:
                raise UserError("Den varningen har ingen motivering att ta bort.")
        uow.reports.set_acknowledgement(report_id, key, None)
        uow.commit()
    return Changes(figures=True)
