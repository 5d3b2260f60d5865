from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.fmt import fmt_int, fmt_pct
from desktop_app.domain.report import Prem
from desktop_app.domain.rules import (
    FAIL,
    PASS,
    UNKNOWN,
    all_met,
    evaluate_criteria,
    figure_errors,
    fmt_date,
    validate,
)
from tests.helpers.factories import complete_report

BEFORE = date(2024, 9, 1)


def rules_of(findings):
    return {f.rule for f in findings}


def crit(report, tpl, today=BEFORE):
    return {c.id: c for c in evaluate_criteria(report, tpl, today)}


def test_complete_report_has_no_findings(tpl):
    assert validate(complete_report(tpl), tpl) == []


@pytest.mark.parametrize(
    "svf, sex, measure, value, rule, measure_at",
    [
        ("lunga", "kvinnor", "within_lead_time", 9, "within_gt_included", "within_lead_time"),
        ("lunga", "man", "over_175", 4, "over175_gt_remaining", "over_175"),
        ("lunga", "man", "investigated", 7, "included_gt_investigated", "included"),
        ("lunga", "man", "expected", -1, "value_negative", "expected"),
        ("lunga", "man", "expected", 2.5, "value_not_whole", "expected"),
        ("prostata", "kvinnor", "expected", 3, "not_applicable", "expected"),
    ],
)
def test_figure_rules_locate_the_cell(tpl, svf, sex, measure, value, rule, measure_at):
    report = complete_report(tpl)  # included 8, within 5, over 1, investigated 20
    report.figures.set(svf, measure, sex, value)
    found = [f for f in validate(report, tpl) if f.rule == rule]
    assert len(found) == 1, validate(report, tpl)
    f = found[0]
    assert f.severity == "fel"
    assert (f.location.svf, f.location.sex, f.location.measure) == (svf, sex, measure_at)
    assert f.location.step == "svf-statistik"
    assert tpl.svf(svf).name in f.message
    assert f in figure_errors(report.figures, tpl)


def test_message_names_values(tpl):
    report = complete_report(tpl)
    report.figures.set("lunga", "within_lead_time", "kvinnor", 9)
    (f,) = [f for f in validate(report, tpl) if f.rule == "within_gt_included"]
    assert f.message == "Lungcancer, kvinnor: Inom ledtid (9) är fler än Inkluderade (8)."


def test_missing_required_value_and_optional_median(tpl):
    report = complete_report(tpl)
    report.figures.set("lunga", "expected", "man", None)
    found = [f for f in validate(report, tpl) if f.rule == "missing_value"]
    assert [(f.location.svf, f.location.sex, f.location.measure) for f in found] == [
        ("lunga", "man", "expected")
    ]
    assert "median_days" not in {f.location.measure for f in validate(report, tpl)}


def test_warnings_for_implausible_values(tpl):
    report = complete_report(tpl)
    for x in ("kvinnor", "man"):
        report.figures.set("lymfom", "included", x, 0)
        report.figures.set("lymfom", "within_lead_time", x, 0)
        report.figures.set("lymfom", "over_175", x, 0)
        report.figures.set("myelom", "included", x, 16)  # 16 of 10 expected = 160 %
    found = {f.rule: f for f in validate(report, tpl) if f.severity == "varning"}
    assert found["nothing_included"].location.svf == "lymfom"
    assert found["inclusion_implausible"].location.svf == "myelom"
    assert "160,0 %" in found["inclusion_implausible"].message


def test_required_narrative_missing(tpl):
    report = complete_report(tpl)
    report.answers["urology"] = "   "
    (f,) = [f for f in validate(report, tpl) if f.rule == "missing_answer"]
    assert (f.location.step, f.location.field) == ("urologi", "urology")


@pytest.mark.parametrize(
    "prem, rule",
    [
        (Prem(used=True, sent=100, answers=0), "prem_no_answers"),
        (Prem(used=True, sent=100, answers=None), "prem_no_answers"),
        (Prem(used=True, sent=10, answers=11), "prem_answers_gt_sent"),
        (Prem(used=None), "prem_used_missing"),
    ],
)
def test_prem_rules(tpl, prem, rule):
    report = complete_report(tpl)
    report.prem = prem
    assert rule in rules_of(validate(report, tpl))


def test_inclusion_message_with_the_numbers(tpl):
    report = complete_report(tpl)
    # 1 234 included of 1 804 expected, on one SVF; zero elsewhere.
    for s in tpl.svfs:
        for x in s.sexes:
            report.figures.set(s.id, "expected", x, 0)
            for m in ("included", "within_lead_time", "over_175", "investigated"):
                report.figures.set(s.id, m, x, 0)
    report.figures.set("brost", "expected", "kvinnor", 1804)
    report.figures.set("brost", "included", "kvinnor", 1234)
    c = crit(report, tpl)["inclusion"]
    assert c.status == FAIL
    assert c.message == "Inklusion 68,4 % (1 234 av 1 804) – målet 70 % nås inte"
    assert (c.numerator, c.denominator, c.value) == (1234, 1804, 68.4)


@given(st.integers(min_value=1, max_value=10_000), st.integers(min_value=0, max_value=10_000))
def test_inclusion_goal_is_exact_at_the_boundary(expected, included):
    from desktop_app.domain.template import load_template
    from tests.helpers.factories import complete_report as make

    tpl = load_template("svf-2024")
    report = make(tpl, expected=0, included=0, investigated=0, within=0, over=0)
    report.figures.set("lunga", "expected", "man", expected)
    report.figures.set("lunga", "included", "man", included)
    c = crit(report, tpl)["inclusion"]
    assert c.status == (PASS if included * 10 >= expected * 7 else FAIL)


def test_inclusion_unknown_while_figures_missing(tpl):
    report = complete_report(tpl)
    report.figures.set("lunga", "included", "man", None)
    c = crit(report, tpl)["inclusion"]
    assert c.status == UNKNOWN
    assert "1 värden" in c.message


def test_prem_and_deadline_criteria(tpl):
    report = complete_report(tpl)
    c = crit(report, tpl)
    assert (
        c["prem"].status == PASS
        and c["prem"].message == "PREM används: 55 svar av 100 utskickade (55,0 %)"
    )
    assert c["deadline"].status == UNKNOWN and "29 dagar kvar" in c["deadline"].message
    assert all_met(list(c.values())) is None
    report.prem = Prem(used=False)
    assert crit(report, tpl)["prem"].status == FAIL
    assert crit(report, tpl, date(2024, 10, 1))["deadline"].status == FAIL
    report.submitted_on = date(2024, 9, 30)
    assert crit(report, tpl, date(2025, 1, 1))["deadline"].status == PASS
    report.submitted_on = date(2024, 10, 1)
    assert crit(report, tpl)["deadline"].status == FAIL


def test_all_met(tpl):
    report = complete_report(tpl)
    report.submitted_on = date(2024, 9, 20)
    assert all_met(evaluate_criteria(report, tpl, BEFORE)) is True


def test_answer_criteria_2023():
    from desktop_app.domain.template import load_template

    t = load_template("svf-2023")
    report = complete_report(t)
    report.answers["mpn_introduced"] = "nej"
    c = {r.id: r for r in evaluate_criteria(report, t, date(2023, 9, 1))}
    assert c["mpn"].status == FAIL
    assert c["urology"].status == PASS
    report.answers["mpn_introduced"] = ""
    assert {r.id: r for r in evaluate_criteria(report, t, date(2023, 9, 1))}[
        "mpn"
    ].status == UNKNOWN


def test_swedish_formatting():
    assert fmt_int(1234567) == "1 234 567"
    assert fmt_pct(0.684) == "68,4 %"
    assert fmt_pct(None) == "–"
    assert fmt_date(date(2024, 9, 30)) == "30 september 2024"
