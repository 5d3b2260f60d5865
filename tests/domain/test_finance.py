"""The financial statement of Bilaga 2: organisationsnummer (Luhn), formats, amounts, the
computed unspent funds, and the certification's binding to the figures."""

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.finance import (
    ALT_CORRECT,
    ALT_NOT_CORRECT,
    Certification,
    CostItem,
    FinancialStatement,
    certification_problems,
    finance_findings,
    finance_fingerprint,
    luhn_check_digit,
    luhn_valid,
    normalise_org_number,
    valid_email,
    valid_phone,
)
from desktop_app.domain.rules import validate
from tests.helpers.factories import complete_finance, complete_report

digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


def findings_of(fs, tpl):
    report = complete_report(tpl)
    report.finance = fs
    return finance_findings(report, tpl)


def rules(findings):
    return {f.rule for f in findings}


# ------------------------------------------------------------------ Luhn


@given(digits)
def test_check_digit_makes_a_valid_number(nine):
    assert luhn_valid(nine + str(luhn_check_digit(nine)))


@given(digits, st.integers(0, 9), st.integers(1, 9))
def test_any_single_wrong_digit_is_caught(nine, position, delta):
    number = nine + str(luhn_check_digit(nine))
    pos = position  # 0..9: every position, the check digit too
    changed = number[:pos] + str((int(number[pos]) + delta) % 10) + number[pos + 1 :]
    assert not luhn_valid(changed)


@given(digits, st.integers(0, 8))
def test_swapped_neighbours_are_caught_except_09(nine, pos):
    number = nine + str(luhn_check_digit(nine))
    a, b = number[pos], number[pos + 1]
    swapped = number[:pos] + b + a + number[pos + 2 :]
    if a != b and {a, b} != {"0", "9"}:
        assert not luhn_valid(swapped)


@given(digits)
def test_normalised_form_is_nnnnnn_dash_nnnn(nine):
    number = nine + str(luhn_check_digit(nine))
    shown = f"{number[:6]}-{number[6:]}"
    for typed in (number, shown, f"{number[:6]} {number[6:]}", "16" + number):
        assert normalise_org_number(typed) == shown


@pytest.mark.parametrize(
    "typed, shown",
    [
        ("232100-0230", "232100-0230"),  # a real region's number (Region Norrbotten)
        ("2321000016", "232100-0016"),
        ("16 232100-0230", "232100-0230"),
        ("232100-0231", None),  # wrong check digit
        ("23210-00230", "232100-0230"),  # hyphen in the wrong place is only a separator
        ("232100-023", None),  # nine digits
        ("abc", None),
        ("", None),
    ],
)
def test_org_numbers(typed, shown):
    assert normalise_org_number(typed) == shown


# ------------------------------------------------------------------ formats


@pytest.mark.parametrize(
    "text, ok",
    [
        ("anna.andersson@regionnorrbotten.se", True),
        ("ekonomi@region.örebro.se", True),
        ("anna@example", False),
        ("anna example@x.se", False),
        ("@x.se", False),
        ("anna@@x.se", False),
    ],
)
def test_email(text, ok):
    assert valid_email(text) is ok


@pytest.mark.parametrize(
    "text, ok",
    [
        ("010-000 00 00", True),
        ("0920-28 40 00", True),
        ("+46 10 000 00 00", True),
        ("08-123 456 78", True),
        ("(0920) 28 40 00", False),  # must start with 0 or +
        ("28 40 00", False),  # no riktnummer
        ("010-ABC", False),
        ("0123", False),  # too short
    ],
)
def test_phone(text, ok):
    assert valid_phone(text) is ok


# ------------------------------------------------------------------ findings


def test_complete_statement_has_no_findings(tpl):
    assert findings_of(complete_finance(), tpl) == []


def test_findings_are_located_in_the_finance_step(tpl):
    fs = replace(complete_finance(), org_number="232100-0231", email="nej", phone="123")
    found = {f.rule: f for f in findings_of(fs, tpl)}
    assert set(found) == {"org_number_invalid", "email_invalid", "phone_invalid"}
    for f in found.values():
        assert f.severity == "fel"
        assert f.location.step == "ekonomi"
    assert found["org_number_invalid"].location.field == "finance.org_number"
    assert "kontrollsiffran stämmer inte" in found["org_number_invalid"].message
    assert found["email_invalid"].location.field == "finance.email"
    assert found["phone_invalid"].location.field == "finance.phone"


def test_missing_fields_are_warnings_naming_bilaga_2s_words(tpl):
    found = findings_of(FinancialStatement(), tpl)
    missing = [f for f in found if f.rule == "finance_missing"]
    assert all(f.severity == "varning" for f in missing)
    messages = " ".join(f.message for f in missing)
    assert "Organisationsnummer saknas" in messages
    assert "Bidrag som erhållits av regeringen/Regeringskansliet saknas" in messages
    assert "Faxnummer" not in messages  # optional


@pytest.mark.parametrize(
    "change, rule, field",
    [
        (dict(received=-1), "amount_invalid", "finance.received"),
        (dict(grant_total=12.5), "amount_invalid", "finance.grant_total"),
        (dict(costs=[CostItem("Löner", -5)]), "amount_invalid", "finance.costs.0.amount"),
        (dict(costs=[CostItem("", 1000)]), "cost_label_missing", "finance.costs.0.label"),
        (dict(costs=[CostItem("Löner", None)]), "cost_amount_missing", "finance.costs.0.amount"),
        (dict(costs=[]), "costs_missing", "finance.costs"),
        (dict(received=4_000_000), "received_ne_paid", "finance.received"),
        (dict(grant_paid=9_000_000), "paid_gt_total", "finance.grant_paid"),
    ],
)
def test_amount_rules(tpl, change, rule, field):
    found = [f for f in findings_of(replace(complete_finance(), **change), tpl) if f.rule == rule]
    assert len(found) == 1
    assert found[0].location.field == field


def test_finance_findings_are_part_of_validate(tpl):
    report = complete_report(tpl)
    report.finance.org_number = "123"
    assert "org_number_invalid" in rules(validate(report, tpl))


# ------------------------------------------------------------------ arithmetic

kronor = st.integers(min_value=0, max_value=10**10)


@given(kronor, st.lists(kronor, max_size=8))
def test_unspent_is_received_minus_costs(received, amounts):
    fs = FinancialStatement(
        received=received, costs=[CostItem(f"Post {i}", a) for i, a in enumerate(amounts)]
    )
    assert fs.total_costs == sum(amounts)
    assert fs.unspent == received - sum(amounts)


@given(kronor, st.lists(kronor, min_size=1, max_size=6))
def test_overspending_is_a_warning_exactly_when_costs_exceed_the_grant(received, amounts):
    from desktop_app.domain.template import load_template

    tpl = load_template("svf-2024")
    fs = replace(
        complete_finance(),
        received=received,
        grant_paid=received,
        grant_total=None,
        costs=[CostItem(f"Post {i}", a) for i, a in enumerate(amounts)],
    )
    over = [f for f in findings_of(fs, tpl) if f.rule == "overspent"]
    assert bool(over) == (sum(amounts) > received)
    if over:
        assert over[0].severity == "varning"
        assert over[0].location.field == "finance.unspent"


def test_typed_unspent_and_total_are_ignored():
    fs = FinancialStatement.from_dict(
        {"received": 100, "costs": [{"label": "a", "amount": 30}], "unspent": 999, "total_costs": 1}
    )
    assert (fs.total_costs, fs.unspent) == (30, 70)
    assert "unspent" not in fs.to_dict() and "total_costs" not in fs.to_dict()


def test_normalised_formats_a_valid_org_number_only():
    assert FinancialStatement(org_number="2321000230").normalised().org_number == "232100-0230"
    assert FinancialStatement(org_number="2321000231").normalised().org_number == "2321000231"


# ------------------------------------------------------------------ certification


def test_fingerprint_follows_the_figures_not_the_phone_number():
    fs = complete_finance()
    base = finance_fingerprint(fs)
    assert finance_fingerprint(replace(fs, phone="010-111 11 11")) == base
    assert finance_fingerprint(replace(fs, org_number="2321000230")) == base  # same number
    assert finance_fingerprint(replace(fs, received=fs.received + 1)) != base
    changed = replace(fs, costs=[CostItem("Kontaktsjuksköterskor", 2_400_001), fs.costs[1]])
    assert finance_fingerprint(changed) != base
    relabelled = replace(fs, costs=[CostItem("Annat", 2_400_000), fs.costs[1]])
    assert finance_fingerprint(relabelled) != base


def test_certification_round_trip_and_match():
    fs = complete_finance()
    cert = Certification(
        ALT_CORRECT,
        "Åsa",
        "Ekonomichef",
        "010-1",
        "a@b.se",
        date(2024, 9, 20),
        finance_fingerprint(fs),
    )
    assert Certification.from_dict(cert.to_dict()) == cert
    assert cert.matches(fs)
    assert not cert.matches(replace(fs, received=1))
    assert cert.alternative_text.startswith("Alt 1: Åsa (ekonomichefen eller motsvarande) intygar")


def test_alt_2_requires_the_deviation_and_not_the_actions():
    """Bilaga 2, point 4: "Avvikelse och eventuella åtgärder ska också redovisas"."""
    ok = ("Åsa Ek", "Ekonomidirektör", "0920-28 40 00", "asa@example.se")
    assert certification_problems(ALT_CORRECT, *ok) == []
    problems = certification_problems(ALT_NOT_CORRECT, *ok)
    assert problems == ["Alt 2: redovisa avvikelsen (vad som inte är korrekt)."]
    assert certification_problems(ALT_NOT_CORRECT, *ok, "Fel i posten X") == []
    assert certification_problems(None, "", "", "x", "y")  # nothing chosen, bad formats
