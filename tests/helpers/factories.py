"""Shared test data builders."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from desktop_app.domain.figures import Figures
from desktop_app.domain.finance import CostItem, FinancialStatement
from desktop_app.domain.report import Prem, Report
from desktop_app.domain.template import Template

TODAY = date(2024, 9, 1)


def make_ctx(path: Path, today: date = TODAY):
    from desktop_app.services.bootstrap import bootstrap

    return bootstrap(path, today=lambda: today)


def uniform_figures(
    tpl: Template,
    expected: int = 10,
    included: int = 8,
    investigated: int = 20,
    within: int = 5,
    over: int = 1,
) -> Figures:
    """The same consistent values in every applicable cell."""
    fig = Figures()
    values = {
        "expected": expected,
        "investigated": investigated,
        "included": included,
        "within_lead_time": within,
        "over_175": over,
    }
    for svf, measure, sex in tpl.cells():
        if measure in values:
            fig.set(svf, measure, sex, values[measure])
    return fig


def complete_report(tpl: Template, region: str = "25", **figure_kwargs: int) -> Report:
    """A report with every required field filled in and consistent."""
    report = Report(region_code=region, template_id=tpl.id)
    report.figures = uniform_figures(tpl, **figure_kwargs)
    report.prem = Prem(used=True, sent=100, answers=55)
    report.answers = {q.id: ("ja" if q.type == "yes_no" else "Svar.") for q in tpl.questions}
    report.contact.name = "Test Testsson"
    report.contact.email = "test@example.se"
    report.finance = complete_finance()
    return report


def complete_finance() -> FinancialStatement:
    """A financial statement with every field of Bilaga 2 filled in and consistent."""
    return FinancialStatement(
        recipient="Region Norrbotten",
        org_number="232100-0230",
        contact_person="Eva Ekonom",
        postal_address="Box 1, 971 00 Luleå",
        phone="0920-28 40 00",
        email="eva.ekonom@example.se",
        dnr_agreement="S2023/01234",
        dnr_decision="S2024/00567",
        agreement_name="Jämlik och effektiv cancervård med kortare väntetider 2024",
        grant_total=8_594_000,
        grant_paid=4_297_000,
        period="2024-01-01 – 2024-06-30",
        received=4_297_000,
        costs=[
            CostItem("Kontaktsjuksköterskor", 2_400_000),
            CostItem("Radiologi och patologi", 1_500_000),
        ],
    )
