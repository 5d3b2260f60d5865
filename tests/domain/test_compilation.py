"""The RCC compilation's arithmetic (issue 6): totals are sums over the regions, rates are
ratios of those sums, and the payment split adds up exactly."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain.compilation import (
    compile_figures,
    exclusion_reason,
    payment_split,
    sum_figures,
)
from desktop_app.domain.diff import diff_documents
from desktop_app.domain.figures import Figures, cell_key, inclusion, ratio
from desktop_app.domain.reference import load_reference
from desktop_app.domain.rules import FAIL, PASS, UNKNOWN, CriterionResult
from desktop_app.domain.template import load_template

TPL = load_template("svf-2024")
SVFS = [s.id for s in TPL.svfs]
REGIONS = ["22", "23", "24", "25"]

counts = st.integers(min_value=0, max_value=4000)


CELLS = [(s.id, x) for s in TPL.svfs for x in s.sexes]
cell_values = st.one_of(st.none(), st.tuples(counts, counts, counts, counts, counts))


def _figures(values) -> Figures:
    """Consistent counts from raw draws; None leaves the cell empty (as a region may). A
    median is set too: it must not be summed."""
    fig = Figures()
    for (svf, sex), v in zip(CELLS, values, strict=True):
        if v is None:
            continue
        expected, a, b, c, d = v
        included = min(a, expected + 5)
        within = b % (included + 1)
        fig.set(svf, "expected", sex, expected)
        fig.set(svf, "included", sex, included)
        fig.set(svf, "within_lead_time", sex, within)
        fig.set(svf, "over_175", sex, c % (included - within + 1))
        fig.set(svf, "investigated", sex, included + d)
        fig.set(svf, "median_days", sex, 10.5)
    return fig


region_figures = st.lists(cell_values, min_size=len(CELLS), max_size=len(CELLS)).map(_figures)
scopes = st.dictionaries(st.sampled_from(REGIONS), region_figures, min_size=0, max_size=4)


@settings(max_examples=30, deadline=None)
@given(scopes)
def test_total_is_the_sum_of_the_regions_cell_by_cell(by_region):
    comp = compile_figures(TPL, REGIONS, by_region)
    for svf in TPL.svfs:
        for m in ("expected", "investigated", "included", "within_lead_time", "over_175"):
            for x in svf.sexes:
                entered = [f.get(svf.id, m, x) for f in by_region.values()]
                entered = [v for v in entered if v is not None]
                assert comp.total.get(svf.id, m, x) == (sum(entered) if entered else None)
        row = next(r for r in comp.svfs if r.svf_id == svf.id)
        assert row.counts == {
            cell_key(m, x): comp.total.get(svf.id, m, x)
            for m in ("expected", "investigated", "included", "within_lead_time", "over_175")
            for x in TPL.sex_ids
            if comp.total.get(svf.id, m, x) is not None
        }
    # Medians cannot be summed: they are left out.
    assert all(m != "median_days" for (_s, m, _x), _v in comp.total.items())
    assert set(comp.compiled) == set(by_region)
    assert set(comp.missing) == set(REGIONS) - set(by_region)


@settings(max_examples=30, deadline=None)
@given(scopes)
def test_rates_are_ratios_of_the_sums_never_means_of_rates(by_region):
    comp = compile_figures(TPL, REGIONS, by_region)
    scope_svfs = [s.id for s in TPL.inclusion_svfs()]

    def summed(measure, svfs, sexes=TPL.sex_ids):
        return sum(f.total(measure, svfs, sexes) for f in by_region.values())

    inc_num, inc_den = summed("included", scope_svfs), summed("expected", scope_svfs)
    assert (comp.inclusion.numerator, comp.inclusion.denominator) == (inc_num, inc_den)
    if inc_den:
        assert Fraction(comp.inclusion.numerator, comp.inclusion.denominator) == Fraction(
            inc_num, inc_den
        )
    else:
        assert comp.inclusion.rate is None
    for row in comp.svfs:
        lt_num = summed("within_lead_time", [row.svf_id])
        lt_den = summed("included", [row.svf_id])
        assert (row.lead_time.numerator, row.lead_time.denominator) == (lt_num, lt_den)
        assert row.lead_time_goal_met == (
            None if not lt_den else Fraction(lt_num, lt_den) * 100 >= TPL.lead_time_percent
        )
        for sex, r in row.inclusion_by_sex.items():
            assert r == ratio(comp.total, TPL, "included", "expected", [row.svf_id], sex)
    for code, fig in by_region.items():
        assert comp.by_region[code].inclusion == inclusion(fig, TPL)


def test_a_small_region_does_not_weigh_like_a_large_one():
    """Mean of rates would give (90 % + 10 %) / 2 = 50 %; the ratio of sums gives 82 %."""
    big, small = Figures(), Figures()
    big.set("lunga", "expected", "kvinnor", 900)
    big.set("lunga", "included", "kvinnor", 810)
    small.set("lunga", "expected", "kvinnor", 100)
    small.set("lunga", "included", "kvinnor", 10)
    comp = compile_figures(TPL, ["24", "23"], {"24": big, "23": small})
    row = next(r for r in comp.svfs if r.svf_id == "lunga")
    assert row.inclusion_by_sex["kvinnor"].rate == pytest.approx(0.82)
    assert row.counts == {"expected_kvinnor": 1000, "included_kvinnor": 820}


def test_sum_figures_ignores_medians_and_keeps_empty_cells_empty():
    a, b = Figures(), Figures()
    a.set("aml", "expected", "man", 3)
    a.set("aml", "median_days", "man", 12.5)
    b.set("aml", "expected", "man", 4)
    total = sum_figures(TPL, [a, b])
    assert total.get("aml", "expected", "man") == 7
    assert total.get("aml", "median_days", "man") is None
    assert total.get("aml", "expected", "kvinnor") is None


def test_payment_split_both_payments_add_up_and_excluded_get_nothing():
    ref = load_reference()
    pops = {r.code: r.population for r in ref.regions}
    qualifies = {c: c not in ("25", "09", "22") for c in pops}
    split = payment_split(TPL, pops, qualifies, {"25": "under målet"})
    assert sum(r.payment_1 for r in split.regions) == 182_500_000
    assert sum(r.payment_2_if_none_qualify for r in split.regions) == 182_500_000
    assert not split.preliminary
    for code in ("25", "09", "22"):
        assert split.region(code).payment_2 == 0
    assert split.region("25").reason == "under målet"
    assert split.population_total == sum(pops.values())


def test_payment_split_with_unknown_regions_is_preliminary_with_both_amounts():
    pops = {"22": 242_148, "23": 132_572, "24": 278_729, "25": 248_480}
    split = payment_split(TPL, pops, {"23": True, "24": True, "25": False})
    assert split.preliminary
    r22 = split.region("22")
    assert r22.qualifies is None and r22.payment_2 is None
    assert r22.payment_2_if_none_qualify == 0 < r22.payment_2_if_all_unknown_qualify
    r23 = split.region("23")
    assert r23.payment_2_if_all_unknown_qualify < r23.payment_2_if_none_qualify
    for attr in ("payment_2_if_all_unknown_qualify", "payment_2_if_none_qualify"):
        assert sum(getattr(r, attr) for r in split.regions) == 182_500_000


def test_exclusion_reason_names_failed_then_unknown_criteria():
    ok = CriterionResult("prem", "PREM", PASS, "PREM används")
    bad = CriterionResult("inclusion", "Inklusionsmålet", FAIL, "61 % – målet nås inte")
    unk = CriterionResult("deadline", "Inlämnad i tid", UNKNOWN, "Inte inlämnad ännu")
    assert exclusion_reason([ok]) is None
    assert exclusion_reason([ok, bad, unk]) == "Inklusionsmålet: 61 % – målet nås inte"
    assert exclusion_reason([ok, unk]).startswith("Ej känt – Inlämnad i tid:")


def _doc(**changes):
    doc = {
        "template": "svf-2024",
        "version": 1,
        "status": "submitted",
        "submitted_on": "2024-09-16",
        "figures": {"lunga": {"included_kvinnor": 10, "expected_kvinnor": 12}},
        "prem": {"used": True, "sent": 100, "answers": 40},
        "answers": {"urology": "Gammal text."},
        "contact": {"name": "A", "title": "", "email": "a@x.se", "phone": ""},
        "finance": {"received": 1000, "costs": [{"label": "Lön", "amount": 900}]},
    }
    doc.update(changes)
    return doc


def test_diff_lists_each_changed_cell_text_and_field_old_to_new():
    old = _doc()
    new = _doc(
        version=2,
        figures={"lunga": {"included_kvinnor": 11, "expected_kvinnor": 12, "over_175_man": 2}},
        prem={"used": True, "sent": 120, "answers": 40},
        answers={"urology": "Ny text.", "long_waits": "Tillagd."},
        finance={"received": 1000, "costs": [{"label": "Lön", "amount": 950}, {"label": "IT"}]},
    )
    diffs = {d.key: d for d in diff_documents(old, new, TPL)}
    assert (diffs["version"].old, diffs["version"].new) == (1, 2)
    cell = diffs["figures/lunga/included_kvinnor"]
    assert (cell.kind, cell.svf, cell.measure, cell.sex) == (
        "figure",
        "lunga",
        "included",
        "kvinnor",
    )
    assert (cell.old, cell.new) == (10, 11)
    assert cell.label == "Lungcancer, kvinnor: Inkluderade"
    assert diffs["figures/lunga/over_175_man"].old is None
    assert (diffs["prem/sent"].old, diffs["prem/sent"].new) == (100, 120)
    assert (diffs["answers/urology"].old, diffs["answers/urology"].new) == (
        "Gammal text.",
        "Ny text.",
    )
    assert diffs["answers/long_waits"].old is None
    assert (diffs["finance/costs/0/amount"].old, diffs["finance/costs/0/amount"].new) == (900, 950)
    assert diffs["finance/costs/1/label"].new == "IT"
    assert "figures/lunga/expected_kvinnor" not in diffs
    assert diff_documents(old, _doc(), TPL) == []


def test_diff_words_are_swedish():
    """Issue 13, point 4: the version diff says "Inlämnad → Utkast", never the stored values."""
    new = _doc(status="draft", prem={"used": False, "sent": 1200, "answers": 40})
    diffs = {d.key: d for d in diff_documents(_doc(), new, TPL)}
    assert (diffs["status"].old_text, diffs["status"].new_text) == ("Inlämnad", "Utkast")
    assert (diffs["prem/used"].old_text, diffs["prem/used"].new_text) == ("ja", "nej")
    assert diffs["prem/sent"].new_text == "1 200"
    assert diffs["prem/sent"].old_text == "100"


def test_the_compilation_carries_the_indicator_table_of_its_sums():
    from desktop_app.domain.indicators import IndicatorTable

    figs = {
        "22": Figures({("lunga", "expected", "kvinnor"): 10, ("lunga", "included", "kvinnor"): 7}),
        "25": Figures({("lunga", "expected", "kvinnor"): 30, ("lunga", "included", "kvinnor"): 20}),
    }
    comp = compile_figures(TPL, REGIONS, figs)
    table = comp.indicators
    assert table is not None and table.figures == comp.total
    assert table.row("lunga").inclusion == comp.svfs[SVFS.index("lunga")].inclusion
    assert table.row("lunga").inclusion.numerator == 27
    assert table.inclusion == comp.inclusion
    assert table.long_wait_share == comp.over_175
    own = comp.by_region["25"].indicators
    assert own is not None and own.inclusion == IndicatorTable.build(figs["25"], TPL).inclusion
