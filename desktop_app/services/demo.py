"""A demo database: clearly fictitious but realistic figures for all 21 regions.

The figures are drawn from a fixed seed, scaled by each region's population, so the same
database comes out every time. Region Norrbotten is set below the inclusion goal and Region
Gotland does not use PREM, so that every criterion has a region that fails it."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from desktop_app.domain.figures import Figures
from desktop_app.domain.finance import CostItem, FinancialStatement
from desktop_app.domain.reference import load_reference
from desktop_app.domain.report import Contact, Prem, Report, Status
from desktop_app.domain.template import Template, template_for_year
from desktop_app.services.bootstrap import AppContext

# Rough new cases per 100 000 inhabitants in half a year, and the share of women.
# Fictitious round values of the right order of magnitude (national ~70 000 cases a year).
INCIDENCE: dict[str, tuple[float, float]] = {
    "aml": (1.6, 0.45),
    "huvud-hals": (7.0, 0.3),
    "matstrupe-magsack": (6.0, 0.35),
    "prostata": (45.0, 0.0),
    "urinblasa-urinvagar": (13.0, 0.25),
    "brost": (48.0, 0.99),
    "bukspottkortel": (7.0, 0.5),
    "galla-gallvagar": (2.0, 0.55),
    "cup": (2.0, 0.5),
    "allvarliga-ospecifika-symtom": (9.0, 0.5),
    "hjarntumorer": (4.0, 0.45),
    "lever": (3.0, 0.35),
    "lunga": (22.0, 0.52),
    "lymfom": (10.0, 0.42),
    "myelom": (3.2, 0.4),
    "tjock-andtarm": (34.0, 0.47),
    "aggstock": (4.0, 1.0),
    "melanom": (21.0, 0.47),
    "anal": (0.8, 0.65),
    "all": (0.4, 0.45),
    "kll": (2.5, 0.38),
    "livmoderhals": (3.0, 1.0),
    "livmoderkropp": (7.0, 1.0),
    "njure": (6.0, 0.35),
    "penis": (0.7, 0.0),
    "sarkom": (2.0, 0.45),
    "skoldkortel": (4.0, 0.72),
    "testikel": (1.7, 0.0),
    "buksarkom": (1.0, 0.5),
    "net": (2.0, 0.5),
    "vulva": (1.0, 1.0),
    "mpn": (3.0, 0.48),
}
BELOW_GOAL = "25"  # Region Norrbotten: inclusion about 64 %
NO_PREM = "09"  # Region Gotland: does not use PREM
IN_PROGRESS = "22"  # Region Västernorrland: still a draft, narratives partly missing

EXAMPLE_TEXT = {
    "waiting_times": (
        "(Exempeltext) Andelen patienter som startade behandling inom ledtid var högst för akut "
        "leukemi och bröstcancer och lägst för prostatacancer och lungcancer. Kvinnor och män "
        "hade likartade ledtider utom inom tjock- och ändtarmscancer där kvinnor väntade något längre."
    ),
    "long_waits": (
        "(Exempeltext) De längsta väntetiderna (över 175 % av ledtiden) beror främst på väntan på "
        "MR och PET-DT samt patologisvar. Vi har infört gemensam bokning av röntgentider och "
        "utökat antalet patologer med två tjänster."
    ),
    "prem_use": (
        "(Exempeltext) Resultaten från PREM-enkäten återkopplas kvartalsvis till varje "
        "processgrupp. Utifrån svaren har information om kontaktsjuksköterska förbättrats."
    ),
    "urology": (
        "(Exempeltext) Urologin har fått en ny utredningsmottagning för prostatacancer med "
        "direktbokning till MR, vilket har kortat tiden till diagnos med tio dagar."
    ),
    "gender_equality": (
        "(Exempeltext) Vi följer inklusion och ledtider uppdelat på kön varje månad. Inga "
        "systematiska skillnader har setts under perioden."
    ),
    "mpn_introduced": "ja",
}


def _figures(tpl: Template, population: int, inclusion: float, rng: random.Random) -> Figures:
    fig = Figures()
    lead_time_level = rng.uniform(0.35, 0.6)
    for svf in tpl.svfs:
        rate, women = INCIDENCE.get(svf.id, (2.0, 0.5))
        for sex in svf.sexes:
            share = women if sex == "kvinnor" else 1 - women
            if svf.sexes != tpl.sex_ids:
                share = 1.0
            expected = round(population / 100_000 * rate * share * rng.uniform(0.9, 1.1))
            included = min(round(expected * inclusion * rng.uniform(0.9, 1.1)), expected * 2)
            investigated = (
                round(included / rng.uniform(0.28, 0.4)) if included else rng.randint(0, 3)
            )
            within = round(included * min(0.95, lead_time_level * rng.uniform(0.7, 1.4)))
            over = round((included - within) * rng.uniform(0.2, 0.45))
            for measure, value in (
                ("expected", expected),
                ("investigated", max(investigated, included)),
                ("included", included),
                ("within_lead_time", within),
                ("over_175", over),
            ):
                fig.set(svf.id, measure, sex, value)
            days = [lt.days for lt in svf.lead_times if lt.days]
            if included >= 5 and days:
                fig.set(svf.id, "median_days", sex, round(min(days) * rng.uniform(0.8, 1.5), 1))
    return fig


def _demo_org_number(region_code: str) -> str:
    """A fictitious organisationsnummer (999…) with a correct check digit."""
    from desktop_app.domain.finance import luhn_check_digit

    nine = f"9990{region_code}000"
    return f"{nine[:6]}-{nine[6:]}{luhn_check_digit(nine)}"


def demo_reports(year: int = 2024) -> list[Report]:
    """The 21 demo reports (not stored)."""
    tpl = template_for_year(year)
    ref = load_reference()
    rng = random.Random(f"svf-demo-{year}")
    national = sum(r.population for r in ref.regions)
    reports = []
    for i, region in enumerate(ref.regions):
        inclusion = 0.6 if region.code == BELOW_GOAL else rng.uniform(0.8, 0.97)
        fig = _figures(tpl, region.population, inclusion, rng)
        if region.code == NO_PREM:
            prem = Prem(used=False, sent=None, answers=None)
        else:
            sent = round(region.population / 100_000 * rng.uniform(40, 70))
            prem = Prem(used=True, sent=sent, answers=round(sent * rng.uniform(0.35, 0.6)))
        answers = {q.id: EXAMPLE_TEXT[q.id] for q in tpl.questions if q.id in EXAMPLE_TEXT}
        status: Status = Status.SUBMITTED
        submitted: date | None = date(year, 9, 16 + i % 12)
        if region.code == IN_PROGRESS:
            answers.pop("long_waits", None)
            answers.pop("gender_equality", None)
            status, submitted = Status.DRAFT, None
        received = tpl.payment_1 * region.population // national
        costs = [
            CostItem("Processledare och kontaktsjuksköterskor (exempel)", round(received * 0.55)),
            CostItem("Utökad kapacitet radiologi och patologi (exempel)", round(received * 0.3)),
            CostItem("Uppföljning, IT-stöd och utbildning (exempel)", round(received * 0.1)),
        ]
        reports.append(
            Report(
                region_code=region.code,
                template_id=tpl.id,
                status=status,
                figures=fig,
                prem=prem,
                answers=answers,
                contact=Contact(
                    name=f"Exempel Samordnare ({region.code})",
                    title="SVF-samordnare (exempel)",
                    email=f"svf.exempel.{region.code}@example.se",
                    phone="010-000 00 00",
                ),
                finance=FinancialStatement(
                    recipient=region.name,
                    org_number=_demo_org_number(region.code),
                    contact_person=f"Exempel Ekonom ({region.code})",
                    postal_address="Box 000, 000 00 Exempelstad",
                    email=f"ekonomi.exempel.{region.code}@example.se",
                    phone="010-000 00 01",
                    dnr_agreement="S2023/00000 (exempel)",
                    dnr_decision="S2024/00000 (exempel)",
                    agreement_name=tpl.agreement.get("name", ""),
                    period=f"{tpl.period_start.isoformat()} – {tpl.period_end.isoformat()}",
                    grant_total=tpl.payment_total * region.population // national,
                    grant_paid=received,
                    received=received,
                    costs=costs,
                ),
                submitted_on=submitted,
            )
        )
    return reports


def create_demo(ctx: AppContext, year: int = 2024) -> list[int]:
    """Store the demo reports in ``ctx``'s database (one transaction); returns their ids.
    Refuses a database that already holds reports for that year."""
    from desktop_app.domain.errors import UserError

    reports = demo_reports(year)
    with ctx.uow() as uow:
        taken = [r.region_code for r in reports if uow.reports.find(r.region_code, r.template_id)]
        if taken:
            raise UserError(
                f"Databasen {ctx.db_path} har redan redovisningar för {year} "
                f"({len(taken)} regioner). Välj en ny fil för exempeldatabasen."
            )
        ids = [uow.reports.add(r) for r in reports]
        for i in ids:
            uow.reports.log(i, "demo", "Exempeldata (påhittade siffror)")
        uow.commit()
    return ids


# The example database: a file of its own in the user's data folder, never the user's database.
DEMO_DB_NAME = "svf-exempel.sqlite3"


def demo_db_path() -> Path:
    """Where the example database lives: next to the default database in the user's data
    folder (whatever database is open)."""
    from platformdirs import user_data_dir

    from desktop_app.storage.db import APP_NAME

    return Path(user_data_dir(APP_NAME, appauthor=False)) / DEMO_DB_NAME


def is_demo_database(path: Path) -> bool:
    """Whether ``path`` is an example database (its name says so)."""
    return Path(path).name == DEMO_DB_NAME
