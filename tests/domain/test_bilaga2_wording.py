"""Issue 12, point 6: Bilaga 2's point 4 as the form has it (N.N. is the finance chief's name,
"eventuella åtgärder", nothing preselected), the agreement's numbers each under its own name,
and the financial statement never a criterion for the second payment (agreement 6.1)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

from desktop_app.domain.finance import (
    ALT_CORRECT,
    ALT_NOT_CORRECT,
    CERTIFICATION_ALT_1,
    CERTIFICATION_ALT_2,
    NAME_PLACEHOLDER,
    NOT_A_PAYMENT_CRITERION,
    FinancialStatement,
    alternative_text,
    certification_problems,
)
from desktop_app.domain.rules import evaluate_criteria
from desktop_app.domain.template import (
    RK_DNR_AGREEMENT_LABEL,
    RK_DNR_PAYMENT_LABEL,
    SKR_REFERENCE_LABEL,
    UNKNOWN_DNR,
    agreement_references,
    templates_dir,
)
from desktop_app.resources import resources_dir
from tests.helpers.factories import complete_report

OK = ("Åsa Ek", "Ekonomidirektör", "0920-28 40 00", "asa@example.se")


def test_the_quoted_wording_is_the_agreements():
    assert CERTIFICATION_ALT_1 == (
        "Alt 1: N.N. (ekonomichefen eller motsvarande) intygar att den ekonomiska "
        "redovisningen under punkt 3 är korrekt."
    )
    assert CERTIFICATION_ALT_2.endswith("(Avvikelse och eventuella åtgärder ska också redovisas.)")


def test_n_n_is_replaced_by_the_name():
    assert alternative_text(ALT_CORRECT, "Åsa Ek").startswith(
        "Alt 1: Åsa Ek (ekonomichefen eller motsvarande) intygar"
    )
    alt2 = alternative_text(ALT_NOT_CORRECT, "  Åsa   Ek ")
    assert alt2.startswith("Alt 2: Åsa Ek (ekonomichefen eller motsvarande) bedömer inte")
    assert NAME_PLACEHOLDER not in alt2
    # No name yet: the blank form's placeholder stays.
    assert alternative_text(ALT_CORRECT, " ") == CERTIFICATION_ALT_1


def test_no_alternative_is_assumed():
    problems = certification_problems(None, *OK)
    assert problems == [
        "Inget alternativ är valt: ekonomichefen måste själv välja Alt 1 (redovisningen är "
        "korrekt) eller Alt 2 (den är inte korrekt)."
    ]
    assert certification_problems(0, *OK) == problems


def test_skr_reference_is_not_regeringskansliets_dnr(tpl):
    refs = agreement_references(tpl.agreement)
    assert refs.skr_reference == "SKR2023/02165"
    assert refs.rk_dnr_agreement is None and refs.rk_dnr_payment is None
    assert refs.rows() == [
        (SKR_REFERENCE_LABEL, "SKR2023/02165", True),
        (RK_DNR_AGREEMENT_LABEL, UNKNOWN_DNR, False),
        (RK_DNR_PAYMENT_LABEL, UNKNOWN_DNR, False),
    ]
    # What the region typed in its financial statement wins over the template's unknown.
    rows = refs.rows("S2023/01234", "")
    assert rows[1] == (RK_DNR_AGREEMENT_LABEL, "S2023/01234", True)
    assert rows[2][2] is False
    assert SKR_REFERENCE_LABEL == "SKR:s ärendenummer"


def test_templates_mark_unknown_regeringskansliet_numbers():
    for path in sorted(templates_dir().glob("svf-*.json")):
        d = json.loads(path.read_text(encoding="utf-8"))
        ag = d["agreement"]
        for key in ("regeringskansliet_dnr", "regeringskansliet_dnr_payment"):
            assert key in ag
            if ag[key] is None:
                assert f"agreement.{key}" in d.get("unconfirmed", {}), (path.name, key)
    schema = json.loads(
        (resources_dir() / "schemas" / "template.schema.json").read_text(encoding="utf-8")
    )
    described = schema["properties"]["agreement"]["properties"]["reference"]["description"]
    assert "SKR:s ärendenummer" in described and "inte Regeringskansliets" in described


def test_no_criterion_is_about_the_financial_statement(tpl):
    words = ("ekonomi", "intyg", "finans", "bilaga 2", "certif", "finance")
    for c in tpl.criteria:
        text = f"{c.id} {c.kind} {c.label} {c.description}".lower()
        assert not any(w in text for w in words), c.id
    assert "6.1" in NOT_A_PAYMENT_CRITERION and "inte villkor" in NOT_A_PAYMENT_CRITERION


def test_criteria_do_not_depend_on_the_financial_statement(tpl):
    """An empty statement and a complete one give the same verdicts for payment 2."""
    report = complete_report(tpl)
    today = date(2024, 9, 20)
    empty = replace(report, finance=FinancialStatement())
    assert [(c.id, c.status) for c in evaluate_criteria(empty, tpl, today)] == [
        (c.id, c.status) for c in evaluate_criteria(report, tpl, today)
    ]
