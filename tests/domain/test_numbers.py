"""The one Swedish number parser (issue 13, point 2): digits are never reinterpreted."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.fmt import fmt_int
from desktop_app.domain.numbers import NumberError, format_amount, parse_amount, parse_count


@pytest.mark.parametrize(
    ("typed", "value", "rounded"),
    [
        ("150000", 150_000, False),
        ("150 000", 150_000, False),
        ("150\u00a0000 kr", 150_000, False),
        ("150 000 kronor", 150_000, False),
        ("150000:-", 150_000, False),
        ("150000 SEK", 150_000, False),
        ("150000,50", 150_001, True),  # never 15 000 050
        ("150000,49", 150_000, True),
        ("150000,00", 150_000, False),
        ("150000.5", 150_001, True),
        ("0", 0, False),
        ("", None, False),
        ("   ", None, False),
    ],
)
def test_amounts_as_swedes_type_them(typed, value, rounded):
    a = parse_amount(typed)
    assert a.value == value
    assert (a.note is not None) == rounded
    if rounded:
        assert f"{fmt_int(value)} kr" in a.note and "avrundat" in a.note


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("150.000", "två sätt"),
        ("1.234,50", "både punkt och komma"),
        ("1,234.50", "både punkt och komma"),
        ("-5 000", "negativt"),
        ("−5 000", "negativt"),
        ("femtio", "inte ett tal"),
        ("12 MSEK", "inte ett tal"),
        ("1e6", "inte ett tal"),
        ("9" * 40, "orimligt"),
    ],
)
def test_anything_that_could_be_misread_is_refused_in_swedish(typed, words):
    with pytest.raises(NumberError) as exc:
        parse_amount(typed)
    assert words in str(exc.value)


def test_counts_are_whole_numbers():
    assert parse_count("1 234") == 1234
    assert parse_count("") is None
    for bad in ("12,5", "-1", "tolv"):
        with pytest.raises(NumberError):
            parse_count(bad)


@given(st.integers(0, 10**11))
def test_a_formatted_amount_reads_back_as_itself(n):
    assert parse_amount(format_amount(n)).value == n
    assert parse_amount(fmt_int(n)).value == n
    assert parse_amount(str(n)).value == n


@given(st.integers(0, 10**9), st.integers(1, 99))
def test_ore_round_half_up_and_never_shift_digits(kronor, ore):
    a = parse_amount(f"{kronor},{ore:02d}")
    assert a.value == kronor + (1 if ore >= 50 else 0)
    assert a.note is not None
