"""Optional measures (issue 12, point 2): a value not entered is "not reported", never zero, in
every rate the outputs show."""

from desktop_app.domain.figures import inclusion, lead_time_fulfilment, share_over_175
from desktop_app.domain.indicators import IndicatorTable
from tests.helpers.factories import uniform_figures


def test_rates_of_an_optional_measure_not_entered_are_no_rate(tpl):
    fig = uniform_figures(tpl)  # expected 10, included 8, within 5, over 1 in every cell
    for svf, measure, sex in tpl.cells():
        if measure in ("within_lead_time", "over_175", "investigated"):
            fig.set(svf, measure, sex, None)
    assert lead_time_fulfilment(fig, tpl).rate is None
    assert share_over_175(fig, tpl).rate is None
    assert inclusion(fig, tpl).rate == 0.8
    table = IndicatorTable.build(fig, tpl)
    assert table.lead_time.rate is None and table.long_wait_share.rate is None
    assert table.inclusion.rate == 0.8


def test_a_rate_counts_only_the_cells_where_both_values_are_entered(tpl):
    fig = uniform_figures(tpl)
    fig.set("lunga", "within_lead_time", "man", None)  # not reported for one cell
    # Σ within / Σ included over the other cells: 5/8, not dragged down by a missing value.
    r = lead_time_fulfilment(fig, tpl)
    assert r.rate == 5 / 8
    cells = len([c for c in tpl.cells() if c[1] == "included"])
    assert (r.numerator, r.denominator) == (5 * (cells - 1), 8 * (cells - 1))
    assert lead_time_fulfilment(fig, tpl, svf="lunga", sex="man").rate is None
    assert lead_time_fulfilment(fig, tpl, svf="lunga").rate == 5 / 8
