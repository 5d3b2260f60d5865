from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.payments import second_payment, split_by_population
from desktop_app.domain.reference import load_reference

populations = st.dictionaries(
    st.from_regex(r"[0-9]{2}", fullmatch=True),
    st.integers(min_value=1, max_value=3_000_000),
    min_size=1,
    max_size=21,
)
totals = st.integers(min_value=0, max_value=10**10)


@given(totals, populations)
def test_amounts_add_up_exactly_and_stay_within_one_krona(total, pops):
    amounts = split_by_population(total, pops)
    assert sum(amounts.values()) == total
    pop_sum = sum(pops.values())
    for code, amount in amounts.items():
        exact = Fraction(total * pops[code], pop_sum)
        assert abs(amount - exact) < 1


@given(totals, populations)
def test_order_of_input_does_not_matter(total, pops):
    reversed_pops = dict(reversed(list(pops.items())))
    assert split_by_population(total, pops) == split_by_population(total, reversed_pops)


@given(totals, populations)
def test_more_people_never_get_less(total, pops):
    amounts = split_by_population(total, pops)
    for a in pops:
        for b in pops:
            if pops[a] > pops[b]:
                assert amounts[a] >= amounts[b]


def test_2024_first_payment_over_the_21_regions():
    pops = {r.code: r.population for r in load_reference().regions}
    amounts = split_by_population(182_500_000, pops)
    assert sum(amounts.values()) == 182_500_000
    # Stockholm: 182 500 000 × 2 454 821 / 10 551 707 = 42 458 043,28…
    assert amounts["01"] in (42_458_043, 42_458_044)


def test_largest_remainder_by_hand():
    # 100 kr over 3 equal regions: 33,33… each; one krona left, ties to the lowest code.
    assert split_by_population(100, {"01": 1, "03": 1, "04": 1}) == {"01": 34, "03": 33, "04": 33}
    # 10 kr over 1:1:2 -> 2,5 / 2,5 / 5: no fractional tie with the big one; 2 and 3 by code
    assert split_by_population(10, {"01": 1, "03": 1, "04": 2}) == {"01": 3, "03": 2, "04": 5}


def test_invalid_input():
    with pytest.raises(ValueError):
        split_by_population(-1, {"01": 1})
    with pytest.raises(ValueError):
        split_by_population(10, {"01": 0})
    assert split_by_population(10, {}) == {}


def test_second_payment_preliminary_bounds():
    pops = {"01": 100, "03": 100, "04": 200}
    result = second_payment(400, pops, {"01": True, "03": False, "04": None})
    assert result.preliminary and result.final is None
    assert result.if_all_unknown_qualify == {"01": 133, "03": 0, "04": 267}
    assert result.if_none_qualify == {"01": 400, "03": 0, "04": 0}
    done = second_payment(400, pops, {"01": True, "03": False, "04": True})
    assert not done.preliminary and done.final == {"01": 133, "03": 0, "04": 267}
    nobody = second_payment(400, pops, {"01": False, "03": False, "04": False})
    assert sum(nobody.final.values()) == 0


@given(totals, populations, st.data())
def test_second_payment_adds_up_over_qualifying_regions(total, pops, data):
    status = {c: data.draw(st.sampled_from([True, False, None])) for c in pops}
    result = second_payment(total, pops, status)
    for amounts, pool in (
        (result.if_none_qualify, [c for c in pops if status[c] is True]),
        (result.if_all_unknown_qualify, [c for c in pops if status[c] is not False]),
    ):
        assert sum(amounts.values()) == (total if pool else 0)
        assert all(amounts[c] == 0 for c in pops if c not in pool)
