"""A finding's key names its rule and place, the same every time a report is checked, so a
justification kept under it finds its warning again."""

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.findings import Finding, Location
from desktop_app.domain.vocabulary import Severity

_part = st.one_of(st.none(), st.from_regex(r"[a-z_.0-9]{1,12}", fullmatch=True))


def test_the_key_keeps_empty_places_and_drops_trailing_ones() -> None:
    f = Finding(
        "inclusion_implausible",
        Severity.WARNING,
        "x",
        Location("siffror", "lunga", None, "included"),
    )
    assert f.key == "inclusion_implausible:lunga::included"
    assert Finding(
        "contact_missing", Severity.WARNING, "x", Location(field="contact.name")
    ).key == ("contact_missing::::contact.name")


@given(_part, _part, _part, _part, _part, _part)
def test_different_places_give_different_keys(svf, sex, measure, fld, svf2, sex2) -> None:
    a = Finding("r", Severity.WARNING, "m", Location("s", svf, sex, measure, fld))
    b = Finding("r", Severity.WARNING, "other text", Location("s", svf2, sex2, measure, fld))
    assert (a.key == b.key) == ((svf or "", sex or "") == (svf2 or "", sex2 or ""))
