from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.figures import (
    Figures,
    Ratio,
    cell_key,
    inclusion,
    lead_time_fulfilment,
    missing_cells,
    share_over_175,
    split_cell_key,
)
from desktop_app.domain.template import load_template

TPL = load_template("svf-2024")
CELLS = [(s, x) for s in TPL.svfs for x in s.sexes]

counts = st.integers(min_value=0, max_value=5000)
pairs = st.lists(st.tuples(counts, counts), min_size=len(CELLS), max_size=len(CELLS))


def build(values):
    fig = Figures()
    for (svf, sex), (expected, included) in zip(CELLS, values, strict=True):
        fig.set(svf.id, "expected", sex, expected)
        fig.set(svf.id, "included", sex, included)
    return fig


@given(pairs)
def test_overall_inclusion_is_ratio_of_sums(values):
    fig = build(values)
    r = inclusion(fig, TPL)
    assert r.numerator == sum(i for _, i in values)
    assert r.denominator == sum(e for e, _ in values)
    if r.denominator:
        assert r.rate == r.numerator / r.denominator
    else:
        assert r.rate is None


@given(pairs)
def test_sexes_add_up_to_total(values):
    fig = build(values)
    total = inclusion(fig, TPL)
    parts = [inclusion(fig, TPL, sex=x) for x in TPL.sex_ids]
    assert sum(p.numerator for p in parts) == total.numerator
    assert sum(p.denominator for p in parts) == total.denominator


@given(pairs)
def test_svfs_add_up_to_total(values):
    fig = build(values)
    total = inclusion(fig, TPL)
    per_svf = [inclusion(fig, TPL, svf=s.id) for s in TPL.inclusion_svfs()]
    assert sum(p.numerator for p in per_svf) == total.numerator
    assert sum(p.denominator for p in per_svf) == total.denominator


def test_never_an_average_of_rates():
    fig = Figures()
    fig.set("brost", "expected", "kvinnor", 1000)
    fig.set("brost", "included", "kvinnor", 900)  # 90 %
    fig.set("aml", "expected", "kvinnor", 10)
    fig.set("aml", "included", "kvinnor", 1)  # 10 %
    r = inclusion(fig, TPL)
    assert (r.numerator, r.denominator) == (901, 1010)
    assert abs(r.rate - 901 / 1010) < 1e-12  # not (0.9 + 0.1) / 2


def test_only_svfs_in_scope_count_towards_inclusion():
    t2023 = load_template("svf-2023")
    fig = Figures()
    fig.set("mpn", "expected", "kvinnor", 100)
    fig.set("mpn", "included", "kvinnor", 0)
    fig.set("lunga", "expected", "kvinnor", 10)
    fig.set("lunga", "included", "kvinnor", 8)
    assert (inclusion(fig, t2023).numerator, inclusion(fig, t2023).denominator) == (8, 10)
    assert inclusion(fig, TPL).denominator == 110


@given(counts, counts, counts)
def test_lead_time_and_long_wait_shares(included, within, over):
    fig = Figures()
    fig.set("lunga", "included", "man", included)
    fig.set("lunga", "within_lead_time", "man", within)
    fig.set("lunga", "over_175", "man", over)
    lt = lead_time_fulfilment(fig, TPL, "lunga", "man")
    lw = share_over_175(fig, TPL, "lunga", "man")
    assert (lt.numerator, lt.denominator) == (within, included)
    assert (lw.numerator, lw.denominator) == (over, included)


def test_ratio_with_zero_denominator_has_no_rate():
    assert Ratio(0, 0).rate is None
    assert Ratio(3, 4).rate == 0.75


def test_cell_keys_round_trip():
    for m in TPL.measure_ids:
        for x in TPL.sex_ids:
            assert split_cell_key(cell_key(m, x), TPL.measure_ids, TPL.sex_ids) == (m, x)
    assert split_cell_key("included_alien", TPL.measure_ids, TPL.sex_ids) is None


def test_missing_cells_skip_sexes_that_do_not_apply():
    fig = Figures()
    missing = missing_cells(fig, TPL, ["expected"], ["prostata", "brost"])
    assert ("prostata", "expected", "kvinnor") not in missing
    assert set(missing) == {
        ("prostata", "expected", "man"),
        ("brost", "expected", "kvinnor"),
        ("brost", "expected", "man"),
    }
