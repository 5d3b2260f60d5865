"""Expected and included as a total per SVF (issue 12, point 2): a sex split of the
beräkningsunderlag is not known to exist, so the template lets the inclusion goal's numerator
and denominator be reported per sex or as one total per SVF, and inclusion is computed from
whichever the region has. And rates over a compilation pair numerator and denominator within
each region."""

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain.compilation import compile_figures, sum_figures
from desktop_app.domain.figures import Figures, inclusion, lead_time_fulfilment, missing_cells
from desktop_app.domain.indicators import IndicatorTable
from desktop_app.domain.rules import figure_errors as consistency_errors
from desktop_app.domain.rules import validate
from desktop_app.domain.template import load_template
from tests.helpers.factories import complete_report, uniform_figures

TPL = load_template("svf-2024")
BOTH = "lunga"  # an SVF of both sexes
ONE = "prostata"  # an SVF of men only


def totals_only(tpl, expected=20, included=14) -> Figures:
    """expected/included as totals for the SVFs of both sexes, per sex for the others."""
    fig = Figures()
    for svf in tpl.svfs:
        for measure, value in (("expected", expected), ("included", included)):
            if tpl.total_applies(svf, measure):
                fig.set(svf.id, measure, "totalt", value)
            else:
                for x in svf.sexes:
                    fig.set(svf.id, measure, x, value // 2)
    return fig


def test_the_template_allows_totals_for_the_inclusion_goal_measures_only(tpl):
    assert tpl.total_id == "totalt"
    assert [m.id for m in tpl.total_measures()] == ["expected", "included"]
    lung, prostate = tpl.svf(BOTH), tpl.svf(ONE)
    assert tpl.cell_applies(lung, "included", "totalt")
    assert not tpl.cell_applies(lung, "within_lead_time", "totalt")
    assert not tpl.cell_applies(prostate, "included", "totalt")  # one sex: the split is the total


def test_totals_alone_leave_no_required_value_missing_and_give_the_inclusion(tpl):
    fig = totals_only(tpl)
    assert missing_cells(fig, tpl, ("expected", "included"), [s.id for s in tpl.svfs]) == []
    r = inclusion(fig, tpl)
    assert r.rate == 0.7
    assert inclusion(fig, tpl, svf=BOTH).rate == 0.7
    assert inclusion(fig, tpl, svf=BOTH, sex="kvinnor").rate is None  # no split: no rate per sex
    table = IndicatorTable.build(fig, tpl)
    assert table.inclusion == r
    assert table.row(BOTH).count("expected", "totalt") == 20
    assert table.row(BOTH).sum("expected") == 20
    assert "utan uppdelning på kön" in table.totals_note


def test_a_total_beside_a_complete_split_must_agree(tpl):
    fig = uniform_figures(tpl)  # 10 expected per sex
    fig.set(BOTH, "expected", "totalt", 20)
    assert not [e for e in consistency_errors(fig, tpl) if e.rule == "total_mismatch"]
    fig.set(BOTH, "expected", "totalt", 21)
    errors = [e for e in consistency_errors(fig, tpl) if e.rule == "total_mismatch"]
    assert len(errors) == 1
    assert errors[0].location.svf == BOTH and errors[0].location.sex == "totalt"
    assert "21" in errors[0].message and "20" in errors[0].message


def test_a_total_for_a_measure_or_svf_that_takes_none_is_an_error(tpl):
    fig = uniform_figures(tpl)
    fig.set(BOTH, "within_lead_time", "totalt", 3)
    fig.set(ONE, "included", "totalt", 3)
    errors = [e for e in consistency_errors(fig, tpl) if e.rule == "not_applicable"]
    assert {(e.location.svf, e.location.measure) for e in errors} == {
        (BOTH, "within_lead_time"),
        (ONE, "included"),
    }


def test_within_lead_time_per_sex_against_an_included_total(tpl):
    fig = totals_only(tpl, included=14)
    fig.set(BOTH, "within_lead_time", "kvinnor", 5)
    fig.set(BOTH, "within_lead_time", "man", 6)
    assert lead_time_fulfilment(fig, tpl, svf=BOTH).rate == 11 / 14
    fig.set(BOTH, "within_lead_time", "man", 10)  # 15 > 14 included
    errors = [e for e in consistency_errors(fig, tpl) if e.rule == "within_gt_included"]
    assert [e.location.svf for e in errors] == [BOTH]


def test_a_report_of_totals_has_no_error(tpl):
    report = complete_report(tpl)
    report.figures = totals_only(tpl)
    findings = validate(report, tpl)
    assert [f.message for f in findings if f.severity == "fel"] == []


def test_a_compilation_of_regions_with_totals_and_with_a_split(tpl):
    split = uniform_figures(tpl, expected=10, included=8)  # per sex
    totals = totals_only(tpl, expected=20, included=12)
    comp = compile_figures(tpl, ["25", "24"], {"25": split, "24": totals})
    # Lung cancer over both: (8 + 8 + 12) / (10 + 10 + 20).
    row = comp.indicators.row(BOTH)
    assert (row.inclusion.numerator, row.inclusion.denominator) == (28, 40)
    assert comp.total.get(BOTH, "expected", "totalt") == 40  # every region's whole-SVF value
    assert comp.total.get(BOTH, "expected", "kvinnor") == 10  # only the split region's
    assert row.rate("inclusion", "kvinnor").denominator == 10


def test_a_region_without_within_lead_time_does_not_drag_down_the_compilation(tpl):
    reported = uniform_figures(tpl, included=8, within=6)
    silent = uniform_figures(tpl, included=8)
    for svf, measure, sex in tpl.cells():
        if measure == "within_lead_time":
            silent.set(svf, measure, sex, None)
    comp = compile_figures(tpl, ["25", "24"], {"25": reported, "24": silent})
    # Only region 25 reported the lead time: 6 of 8, not 6 of 16.
    assert comp.lead_time.rate == 6 / 8
    assert comp.indicators.row(BOTH).lead_time.rate == 6 / 8


@settings(deadline=None, max_examples=40)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 500),  # expected per sex
            st.integers(0, 500),  # included per sex
            st.booleans(),  # reported as totals?
        ),
        min_size=1,
        max_size=5,
    )
)
def test_compiled_inclusion_is_the_sum_over_regions_of_their_own_sums(regions):
    tpl = TPL
    figs = {}
    for i, (expected, included, as_total) in enumerate(regions):
        fig = uniform_figures(tpl, expected=expected, included=included)
        if as_total:
            for svf in tpl.svfs:
                for m in ("expected", "included"):
                    if tpl.total_applies(svf, m):
                        whole = sum(fig.get(svf.id, m, x) or 0 for x in svf.sexes)
                        for x in svf.sexes:
                            fig.set(svf.id, m, x, None)
                        fig.set(svf.id, m, "totalt", whole)
        figs[f"{i + 1:02d}"] = fig
    comp = compile_figures(tpl, list(figs), figs)
    own = [inclusion(f, tpl) for f in figs.values()]
    assert comp.inclusion.numerator == sum(r.numerator for r in own)
    assert comp.inclusion.denominator == sum(r.denominator for r in own)
    summed = sum_figures(tpl, figs.values())
    assert inclusion(summed, tpl) == comp.inclusion
