from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.fmt import fmt_int, fmt_pct
from desktop_app.domain.report import Prem
from desktop_app.domain.rules import (
    CONSISTENCY_RULES,
    FAIL,
    PASS,
    UNKNOWN,
    all_met,
    evaluate_criteria,
    figure_errors,
    figure_findings,
    fmt_date,
    validate,
)
from desktop_app.domain.vocabulary import ReportStatus, Severity
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
    # Issue 11: the region's application never judges the deadline against today; the RCC
    # judges it on arrival.
    late = crit(report, tpl, date(2024, 10, 1))["deadline"]
    assert late.status == UNKNOWN and "Bedöms av RCC vid mottagandet" in late.message
    report.submitted_on = date(2024, 9, 30)
    report.status = ReportStatus.SUBMITTED
    sent = crit(report, tpl, date(2025, 1, 1))["deadline"]
    assert sent.status == UNKNOWN and sent.message.startswith("Skickad till RCC 30 september 2024")


def test_all_met(tpl):
    report = complete_report(tpl)
    report.submitted_on = date(2024, 9, 20)
    # Every criterion the region can know is met; the deadline is the RCC's to judge.
    criteria = [c for c in evaluate_criteria(report, tpl, BEFORE) if c.id != "deadline"]
    assert all_met(criteria) is True


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


# ---------------------------------------------------------------- issue 12, points 1-3


def test_included_over_investigated_is_a_warning_with_the_cohort_explanation(tpl):
    # Peniscancer: 1 SVF started in the period, 2 treated (one started in December).
    report = complete_report(tpl)
    report.figures.set("penis", "investigated", "man", 1)
    report.figures.set("penis", "included", "man", 2)
    report.figures.set("penis", "within_lead_time", "man", 1)
    report.figures.set("penis", "over_175", "man", 0)
    (f,) = [f for f in validate(report, tpl) if f.rule == "included_gt_investigated"]
    assert f.severity == Severity.WARNING
    assert (f.location.svf, f.location.sex, f.location.measure) == ("penis", "man", "included")
    assert "Inkluderade (2) är fler än Utredda i SVF (1)" in f.message
    assert "olika grupper" in f.message and "startade under perioden" in f.message
    # Never an error, never a reason to refuse an import.
    assert "included_gt_investigated" not in CONSISTENCY_RULES
    assert f not in figure_errors(report.figures, tpl)
    assert f in figure_findings(report.figures, tpl)
    assert not [g for g in validate(report, tpl) if g.severity == Severity.ERROR]


def test_template_2024_says_what_is_required():
    from desktop_app.domain.template import load_template

    t = load_template("svf-2024")
    assert {m.id for m in t.measures if m.required} == {"expected", "included"}
    assert {m.id for m in t.measures if not m.required} == {
        "investigated",
        "within_lead_time",
        "over_175",
        "median_days",
    }
    # Agreement 2024, 4.2: the narratives asked of the regions; the gender-equality
    # perspective is asked of SKR's verksamhetsrapport, not of the regions.
    assert {q.id: q.required for q in t.questions} == {
        "waiting_times": True,
        "long_waits": True,
        "prem_use": True,
        "urology": True,
        "gender_equality": False,
    }


def test_missing_optional_measures_and_gender_question_give_no_error(tpl):
    report = complete_report(tpl)
    for svf, measure, sex in tpl.cells():
        if measure not in ("expected", "included"):
            report.figures.set(svf, measure, sex, None)
    report.answers["gender_equality"] = ""
    findings = validate(report, tpl)
    assert [f for f in findings if f.severity == Severity.ERROR] == []
    assert "missing_value" not in rules_of(findings)
    assert "missing_answer" not in rules_of(findings)
    assert crit(report, tpl)["inclusion"].status == PASS  # 8 of 10 everywhere


def test_rules_follow_the_template_flag_not_the_code(tpl):
    """Which measure or question is required is the template's: flip the flags, the rules
    follow."""
    from dataclasses import replace

    flipped = replace(
        tpl,
        measures=tuple(replace(m, required=m.id == "over_175") for m in tpl.measures),
        questions=tuple(replace(q, required=q.id == "gender_equality") for q in tpl.questions),
    )
    report = complete_report(tpl)
    report.figures.set("lunga", "expected", "man", None)
    report.figures.set("lunga", "over_175", "man", None)
    report.answers["urology"] = ""
    report.answers["gender_equality"] = ""
    found = validate(report, flipped)
    missing = {(f.location.svf, f.location.measure) for f in found if f.rule == "missing_value"}
    assert missing == {("lunga", "over_175")}
    answers = {f.location.field for f in found if f.rule == "missing_answer"}
    assert answers == {"gender_equality"}


def test_missing_optional_sex_split_counts_do_not_block(tpl):
    # A region with the lead-time counts for women only: no error for the men's cells.
    report = complete_report(tpl)
    for svf in tpl.svfs:
        for m in ("within_lead_time", "over_175", "investigated"):
            report.figures.set(svf.id, m, "man", None)
    assert [f for f in validate(report, tpl) if f.severity == Severity.ERROR] == []


@pytest.mark.parametrize(
    "prem",
    [
        Prem(used=True, sent=None, answers=None),
        Prem(used=True, sent=100, answers=None),
        Prem(used=True, sent=None, answers=0),
        Prem(used=True, sent=100, answers=0),
    ],
)
def test_prem_used_without_counts_passes(tpl, prem):
    # Agreement 2024, 5.3: the criterion is that the region uses PREM; counts are information.
    report = complete_report(tpl)
    report.prem = prem
    c = crit(report, tpl)["prem"]
    assert c.status == PASS, c.message
    assert c.message.startswith("PREM används")
    prem_rules = {f.rule for f in validate(report, tpl) if f.location.step == "prem"}
    assert prem_rules == set()


def test_prem_use_account_is_a_question_not_the_criterion(tpl):
    report = complete_report(tpl)
    report.prem = Prem(used=True)
    report.answers["prem_use"] = ""
    (f,) = [f for f in validate(report, tpl) if f.rule == "missing_answer"]
    assert (f.severity, f.location.field) == (Severity.ERROR, "prem_use")
    assert crit(report, tpl)["prem"].status == PASS
