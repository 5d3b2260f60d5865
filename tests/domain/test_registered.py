"""Issue 11.5: the criteria of a report the RCC registered are judged from the evidence it
entered, exactly (70 % of 1 000 is met by 700), the deadline left to the arrival date."""

from __future__ import annotations

from dataclasses import replace

from desktop_app.domain.registered import RegistrationEvidence, evidence_criteria
from desktop_app.domain.template import Criterion, template_for_year


def _by_id(ev: RegistrationEvidence, tpl=None):
    return {c.id: c for c in evidence_criteria(ev, tpl or template_for_year(2024))}


def test_the_inclusion_goal_is_judged_exactly_on_the_registered_numbers():
    met = _by_id(RegistrationEvidence(700, 1000, True, True))
    assert met["inclusion"].status == "pass" and met["inclusion"].value == 70.0
    assert (met["inclusion"].numerator, met["inclusion"].denominator) == (700, 1000)
    assert "enligt RCC:s registrering" in met["inclusion"].message
    short = _by_id(RegistrationEvidence(699, 1000, True, True))
    assert short["inclusion"].status == "fail" and "nås inte" in short["inclusion"].message


def test_prem_and_the_deadline():
    c = _by_id(RegistrationEvidence(800, 1000, False, True))
    assert c["prem"].status == "fail"
    assert c["deadline"].status == "unknown"  # judged on arrival (inbox_policy)


def test_an_answer_criterion_on_urology_uses_the_registered_answer():
    tpl = template_for_year(2024)
    crit = Criterion(
        id="urology_answered",
        kind="answer_given",
        label="Urologi",
        description="Frågan om urologin är besvarad.",
        question="urology",
    )
    tpl = replace(tpl, criteria=(*tpl.criteria, crit))
    assert _by_id(RegistrationEvidence(800, 1000, True, True), tpl)["urology_answered"].status == (
        "pass"
    )
    assert _by_id(RegistrationEvidence(800, 1000, True, False), tpl)["urology_answered"].status == (
        "fail"
    )
