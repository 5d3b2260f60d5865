"""Issue 15, point 3 checked against the RCC's own copy of its extract: a region's value that
differs from the RCC's is a deviation whatever the region's document says of its source, and
what the document claims of the extract that does not match is named."""

from __future__ import annotations

from datetime import date

from desktop_app.domain.provenance import Extract, Provenance, deviations_from_own
from desktop_app.domain.vocabulary import ValueSource

OWN = Extract(date(2024, 8, 21), "a" * 64, "norr")
OTHER = Extract(date(2024, 8, 1), "b" * 64, "norr")
CELL = ("lunga", "included", "kvinnor")
OTHER_CELL = ("aml", "expected", "man")


def _from(extract: Extract, value, reason=None, source=ValueSource.TYPED) -> Provenance:
    return Provenance(source, extract=extract, extract_value=value, reason=reason)


def test_an_unchanged_value_is_no_deviation_whatever_the_document_says() -> None:
    assert deviations_from_own({CELL: 30}, {}, {CELL: 30}, OWN) == []
    assert deviations_from_own({CELL: 30}, {CELL: _from(OTHER, 12)}, {CELL: 30}, OWN) == []


def test_a_change_the_region_owns_up_to_carries_its_reason_and_no_note() -> None:
    found = deviations_from_own({CELL: 28}, {CELL: _from(OWN, 30, "Dubbelräknad")}, {CELL: 30}, OWN)
    assert [(d.extract, d.reported, d.reason, d.note) for d in found] == [
        (30, 28, "Dubbelräknad", None)
    ]


def test_a_value_typed_without_the_start_file_is_still_a_deviation() -> None:
    found = deviations_from_own({CELL: 28}, {}, {CELL: 30}, OWN)
    assert [(d.extract, d.reported, d.reason) for d in found] == [(30, 28, None)]
    assert found[0].note == "regionens dokument anger inte RCC:s uttag som källa"


def test_a_claimed_extract_value_that_is_not_the_rccs_is_named() -> None:
    # The document says the extract held 28, so the region's 28 looks unchanged; it is not.
    found = deviations_from_own(
        {CELL: 28}, {CELL: _from(OWN, 28, source=ValueSource.RCC_EXTRACT)}, {CELL: 30}, OWN
    )
    assert [(d.extract, d.reported) for d in found] == [(30, 28)]
    assert found[0].note == "regionen anger uttagets värde som 28"


def test_an_extract_the_rcc_does_not_have_is_named() -> None:
    found = deviations_from_own({CELL: 28}, {CELL: _from(OTHER, 28)}, {CELL: 30}, OWN)
    assert "regionen anger ett datauttag som RCC inte har (2024-08-01" in found[0].note


def test_a_value_claimed_from_the_extract_that_the_rcc_never_had_is_listed() -> None:
    found = deviations_from_own(
        {CELL: 30, OTHER_CELL: 7},
        {OTHER_CELL: _from(OWN, 7, source=ValueSource.RCC_EXTRACT)},
        {CELL: 30},
        OWN,
    )
    assert [(d.svf, d.extract, d.reported) for d in found] == [("aml", None, 7)]
    assert found[0].note == "RCC:s uttag har inget värde här, men regionen anger 7"
