"""Issue 15, point 6: a change from last year beyond the template's band is a warning per SVF
and sex; within the band, with small counts, or without a baseline there is none."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.document import check_document, from_document, to_document
from desktop_app.domain.figures import Figures
from desktop_app.domain.rules import validate
from desktop_app.domain.template import load_template
from desktop_app.domain.vocabulary import BaselineSource, Severity
from desktop_app.domain.year_over_year import (
    COUNT_RULE,
    INCLUSION_RULE,
    Baseline,
    _count_jump,
    baseline_figures,
    year_over_year_findings,
)
from tests.helpers.factories import complete_report

TPL = load_template("svf-2024")
BAND = TPL.warnings.year_over_year


def _baseline(cells: dict) -> Baseline:
    fig = Figures()
    for (s, m, x), v in cells.items():
        fig.set(s, m, x, v)
    return Baseline(2023, "25", BaselineSource.REPORT_DOCUMENT, "fjol.json", "0" * 64, fig)


def _this_year(**cells: int) -> Figures:
    fig = complete_report(TPL, expected=40, included=24, investigated=50).figures
    for k, v in cells.items():
        fig.set("lunga", k, "kvinnor", v)
    return fig


LAST = {
    ("lunga", "expected", "kvinnor"): 40,
    ("lunga", "included", "kvinnor"): 24,  # 60 %
    ("lunga", "investigated", "kvinnor"): 50,
}


def test_the_template_sets_the_band_and_marks_it_unconfirmed() -> None:
    assert (BAND.inclusion_points, BAND.count_factor, BAND.min_count) == (15, 2, 10)
    assert "warnings.year_over_year" in TPL.unconfirmed
    assert load_template("svf-2023").warnings is None  # no band: no check for 2023


def test_no_baseline_no_findings() -> None:
    assert year_over_year_findings(_this_year(included=5), TPL, None) == []


def test_inclusion_beyond_the_band_is_a_warning_naming_both_years() -> None:
    # 24/40 = 60 % last year, 14/40 = 35 % now: −25 points
    found = year_over_year_findings(_this_year(included=14), TPL, _baseline(LAST))
    inc = [f for f in found if f.rule == INCLUSION_RULE]
    assert [f.key for f in inc] == ["year_over_year_inclusion:lunga:kvinnor:included"]
    assert inc[0].severity == Severity.WARNING
    assert "35,0 % i år mot 60,0 % i fjol (2023)" in inc[0].message
    assert "−25,0 procentenheter" in inc[0].message


def test_inclusion_within_the_band_is_no_warning() -> None:
    # 18/40 = 45 %: exactly −15 points is within the band
    found = year_over_year_findings(_this_year(included=18), TPL, _baseline(LAST))
    assert [f for f in found if f.rule == INCLUSION_RULE] == []
    found = year_over_year_findings(_this_year(included=17), TPL, _baseline(LAST))
    assert [f.rule for f in found] == [INCLUSION_RULE]


def test_a_count_more_than_doubled_is_a_warning_and_one_just_doubled_is_not() -> None:
    found = year_over_year_findings(_this_year(investigated=101), TPL, _baseline(LAST))
    assert [f.key for f in found] == ["year_over_year_count:lunga:kvinnor:investigated"]
    assert "101 i år mot 50 i fjol" in found[0].message
    assert year_over_year_findings(_this_year(investigated=100), TPL, _baseline(LAST)) == []
    found = year_over_year_findings(_this_year(investigated=24), TPL, _baseline(LAST))
    assert [f.rule for f in found] == [COUNT_RULE]  # more than halved


def test_small_counts_are_left_alone() -> None:
    small = {("lunga", "expected", "kvinnor"): 4, ("lunga", "included", "kvinnor"): 3}
    fig = _this_year(expected=9, included=1)
    assert year_over_year_findings(fig, TPL, _baseline(small)) == []


def test_only_svfs_and_cells_of_both_years_are_compared() -> None:
    other = {("finns-inte", "expected", "kvinnor"): 500}
    assert year_over_year_findings(_this_year(), TPL, _baseline(other)) == []


@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_a_jump_is_the_same_whichever_year_is_larger(a: int, b: int) -> None:
    assert _count_jump(BAND, a, b) == _count_jump(BAND, b, a)
    if max(a, b) >= BAND.min_count and min(a, b) > 0:
        assert _count_jump(BAND, a, b) == (max(a, b) > 2 * min(a, b))


def test_validate_reads_the_reports_baseline() -> None:
    report = complete_report(TPL, expected=40, included=24, investigated=50)
    report.figures.set("lunga", "included", "kvinnor", 10)
    assert not [f for f in validate(report, TPL) if f.rule.startswith("year_over_year")]
    report.baseline = _baseline(LAST)
    rules = {f.rule for f in validate(report, TPL)}
    assert {INCLUSION_RULE, COUNT_RULE} <= rules


def test_the_baseline_keeps_only_the_counts_compared() -> None:
    last = complete_report(TPL).figures
    kept = baseline_figures(last, TPL)
    assert {m for (_, m, _), _ in kept.items()} == {"expected", "investigated", "included"}


def test_the_document_carries_the_baseline_and_reads_it_back() -> None:
    report = complete_report(TPL)
    report.baseline = _baseline(LAST)
    doc = to_document(report, TPL)
    check_document(doc)
    assert doc["baseline"]["figures"]["lunga"]["included_kvinnor"] == 24
    assert from_document(doc, TPL).baseline == report.baseline
    assert "baseline" not in to_document(complete_report(TPL), TPL)


def test_a_document_with_another_regions_baseline_is_refused() -> None:
    from desktop_app.domain.errors import DocumentError

    report = complete_report(TPL, region="25")
    report.baseline = _baseline(LAST)
    doc = to_document(report, TPL)
    doc["baseline"]["region"] = "01"
    with pytest.raises(DocumentError, match="fjolårets siffror gäller region 01"):
        from_document(doc, TPL)
