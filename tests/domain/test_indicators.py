from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain.figures import Figures, Ratio, inclusion, lead_time_fulfilment
from desktop_app.domain.indicators import (
    INCLUSION,
    LEAD_TIME,
    LONG_WAIT,
    OVER_LONG_WAIT,
    TOTAL_ALL,
    TOTAL_INCLUSION_SCOPE,
    IndicatorTable,
    meets,
)
from desktop_app.domain.template import load_template

TPL = load_template("svf-2024")
CELLS = [(s.id, x) for s in TPL.svfs for x in s.sexes]
counts = st.integers(min_value=0, max_value=3000)


def build(values):
    fig = Figures()
    for (svf, sex), (exp, inc, within, over) in zip(CELLS, values, strict=False):
        fig.set(svf, "expected", sex, exp)
        fig.set(svf, "included", sex, inc)
        fig.set(svf, "within_lead_time", sex, within)
        fig.set(svf, OVER_LONG_WAIT, sex, over)
    return fig


def test_columns_rows_totals_and_goals_come_from_the_template():
    t = IndicatorTable.build(Figures(), TPL)
    assert [r.key for r in t.rows] == [s.id for s in TPL.svfs]
    assert [r.label for r in t.rows] == [s.name for s in TPL.svfs]
    assert [r.key for r in t.totals] == [TOTAL_INCLUSION_SCOPE, TOTAL_ALL]
    assert t.totals[0].label == "Totalt, SVF införda före 2024 (inklusionsmålet)"
    assert t.totals[0].svf_ids == tuple(s.id for s in TPL.inclusion_svfs())
    assert [m.id for m in t.measures] == list(TPL.measure_ids)
    assert "median_days" not in [m.id for m in t.count_measures]
    assert [r.label for r in t.rates] == ["Inklusion", "Inom ledtid", "Över 175 %"]
    assert t.column(INCLUSION).heading(TPL.sexes[0], " (andel)") == "Inklusion (andel) – kvinnor"
    assert (t.inclusion_goal.percent, t.lead_time_goal.percent, t.long_wait.percent) == (
        TPL.inclusion_percent,
        TPL.lead_time_percent,
        TPL.long_wait_percent,
    )
    assert t.inclusion_goal.label == "Inklusionsmålet"
    assert t.lead_time_goal.caption == "Mål 80 %"
    assert t.inclusion.rate is None and t.inclusion_goal_met is None


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(counts, counts, counts, counts), min_size=len(CELLS)))
def test_rates_are_ratios_of_sums_as_the_domain_computes_them(values):
    fig = build(values)
    t = IndicatorTable.build(fig, TPL)
    assert t.inclusion == inclusion(fig, TPL)
    assert t.lead_time == lead_time_fulfilment(fig, TPL)
    for x in TPL.sex_ids:
        assert t.rate(INCLUSION, x) == inclusion(fig, TPL, sex=x)
    for row in t.rows:
        assert row.inclusion == inclusion(fig, TPL, row.key)
        assert row.lead_time == lead_time_fulfilment(fig, TPL, row.key)
    total = t.inclusion_scope_total
    assert total.inclusion == t.inclusion
    assert total.count("expected", "kvinnor") == sum(
        fig.get(s, "expected", "kvinnor") or 0 for s in total.svf_ids
    )
    assert t.all_total.count("median_days", "kvinnor") is None  # medians are not summed


def test_a_sex_an_svf_does_not_apply_to_is_empty():
    svf = next(s for s in TPL.svfs if len(s.sexes) == 1)
    other = next(x for x in TPL.sex_ids if x not in svf.sexes)
    fig = Figures({(svf.id, "expected", svf.sexes[0]): 10, (svf.id, "included", svf.sexes[0]): 7})
    row = IndicatorTable.build(fig, TPL).row(svf.id)
    assert not row.applies_to(other)
    assert row.count("expected", other) is None
    assert row.rate(INCLUSION, other) == Ratio(0, 0)
    assert row.inclusion == Ratio(7, 10)


def test_goals_are_met_in_exact_arithmetic():
    assert meets(Ratio(700, 1000), 70) is True
    assert meets(Ratio(699, 1000), 70) is False
    assert meets(Ratio(0, 0), 70) is None
    fig = Figures(
        {("lunga", "included", "kvinnor"): 8, ("lunga", "within_lead_time", "kvinnor"): 8}
    )
    row = IndicatorTable.build(fig, TPL).row("lunga")
    assert row.goal_met(LEAD_TIME) is True
    assert row.goal_met(LONG_WAIT) is None  # no goal for long waits, only a threshold


def test_long_wait_rows_most_first():
    fig = Figures(
        {
            ("lunga", OVER_LONG_WAIT, "kvinnor"): 3,
            ("lunga", OVER_LONG_WAIT, "man"): 4,
            ("aml", OVER_LONG_WAIT, "man"): 9,
            ("prostata", OVER_LONG_WAIT, "man"): 0,
        }
    )
    rows = IndicatorTable.build(fig, TPL).long_wait_rows()
    assert [(r.key, r.sum(OVER_LONG_WAIT)) for r in rows] == [("aml", 9), ("lunga", 7)]
