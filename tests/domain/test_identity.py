"""Personal identity numbers in free text: found in every form, exempt only with a reason, and
an error finding (step and field) that blocks every export."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from desktop_app.domain.identity import MASK, find_identity_numbers, mask
from desktop_app.domain.rules import identity_findings, validate
from desktop_app.domain.template import load_template
from desktop_app.domain.vocabulary import Severity
from tests.helpers.factories import complete_report

TPL = load_template("svf-2024")


def _number(yymmdd: str, serial3: str) -> str:
    nine = yymmdd + serial3
    return nine + luhn.calc_check_digit(nine)


PNR = _number("121212", "121")  # 121212-1212, the Skatteverket test number
SAMORDNING = _number("701063", "239")  # day 03 + 60


@pytest.mark.parametrize(
    "text",
    [
        f"{PNR[:6]}-{PNR[6:]}",
        PNR,
        f"19{PNR[:6]}-{PNR[6:]}",
        f"19{PNR}",
        f"{PNR[:6]}+{PNR[6:]}",
        f"Patienten ({PNR[:6]}-{PNR[6:]}) väntade länge.",
        f"{SAMORDNING[:6]}-{SAMORDNING[6:]}",
    ],
)
def test_found_in_every_form(text):
    assert len(find_identity_numbers(text)) == 1
    assert MASK in mask(text) and find_identity_numbers(mask(text)) == []


@pytest.mark.parametrize(
    "text",
    [
        "232100-0230",  # Norrbotten's organisationsnummer: not a date
        "0920-28 40 00",
        "S2024/00567",
        f"{PNR[:9]}{(int(PNR[9]) + 1) % 10}",  # wrong check digit
        "121312-1210",  # month 13
        f"{PNR[:6]}-{PNR[6:]} (inte ett personnummer: diarienummer i ärendet)",
        "8 594 000 kr",
    ],
)
def test_not_found(text):
    assert find_identity_numbers(text) == []


def test_exemption_needs_a_reason():
    assert find_identity_numbers(f"{PNR} (inte ett personnummer: )")


@given(st.text(alphabet="0123456789-+ abc", max_size=40))
def test_any_text_is_handled(text):
    for m in find_identity_numbers(text):
        assert text[m.start : m.end] == m.text
    assert len(find_identity_numbers(mask(text))) == 0


def test_narrative_with_personnummer_is_an_error_naming_step_and_field():
    report = complete_report(TPL)
    q = next(q for q in TPL.questions if q.type != "yes_no")
    report.answers[q.id] = f"Ett exempel: patient {PNR[:6]}-{PNR[6:]} fick vänta."
    found = identity_findings(report, TPL)
    assert len(found) == 1
    f = found[0]
    assert f.severity == Severity.ERROR
    assert f.location.step == q.step and f.location.field == q.id
    step_title = next(s.title for s in TPL.steps if s.id == q.step)
    assert step_title in f.message and q.title in f.message
    assert f"{PNR[:6]}-{PNR[6:]}" not in f.message  # the message does not repeat the number
    assert f in validate(report, TPL)


def test_contact_finance_and_costs_are_checked():
    report = complete_report(TPL)
    report.contact.name = f"Eva {PNR}"
    report.finance.contact_person = f"19{PNR}"
    report.finance.costs[0].label = f"Ersättning {PNR[:6]}-{PNR[6:]}"
    fields = {f.location.field for f in identity_findings(report, TPL)}
    assert fields == {"contact.name", "finance.contact_person", "finance.costs.0"}


def test_clean_report_has_no_identity_findings():
    assert identity_findings(complete_report(TPL), TPL) == []


# The one check of a number (issue 16, point 5): the patient-list reader and the free-text
# finder use normalise_identity_number; it agrees with python-stdnum on every number python-stdnum
# knows (it does not know samordningsnummer, day + 60, which both must find).
_DIGITS = st.text("0123456789", min_size=10, max_size=10)


def _valid_ten(born, serial3: int, coordination: bool) -> str:
    day = born.day + (60 if coordination else 0)
    nine = f"{born:%y%m}{day:02d}{serial3:03d}"
    return nine + luhn.calc_check_digit(nine)


@given(
    st.one_of(
        _DIGITS,
        st.builds(_valid_ten, st.dates(), st.integers(0, 999), st.booleans()),
    ),
    st.sampled_from(["", "-", "+"]),
    st.sampled_from([None, "18", "19", "20"]),
)
def test_the_one_check_agrees_with_python_stdnum(ten, sep, century):
    from datetime import date

    from stdnum.se import personnummer as stdnum_pnr

    from desktop_app.domain.identity import normalise_identity_number

    text = (century or "") + ten[:6] + sep + ten[6:]
    ours = normalise_identity_number(text, date.today())
    coordination = int(ten[4:6]) > 60
    if coordination:
        if ours is not None:
            assert not stdnum_pnr.is_valid(text)
            assert find_identity_numbers(text)
        return
    assert (ours is not None) == stdnum_pnr.is_valid(text), text
    if ours is not None:
        assert ours == stdnum_pnr.get_birth_date(text).strftime("%Y%m%d") + ten[6:]
        assert find_identity_numbers(text), text


def test_the_finder_and_the_patient_reader_share_the_check():
    import desktop_app.domain.patients as patients
    from desktop_app.domain.identity import normalise_identity_number

    assert patients.normalise_personnummer is normalise_identity_number
