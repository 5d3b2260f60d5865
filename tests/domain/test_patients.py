"""Patient-level lists to figures (issue 16): the rules, on a generated 100 000-row list with
known answers, and the reading of single values."""

from __future__ import annotations

from datetime import date

import pytest
import stdnum.se.personnummer as stdnum_pnr
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.patients import (
    MappingError,
    Pathway,
    RejectedRow,
    RowReader,
    compute,
    mapping_from_dict,
    normalise_personnummer,
    parse_date,
)
from desktop_app.domain.vocabulary import EndReason
from tests.helpers.patient_lists import MAPPING, TODAY, generate

OWN = ["25", "Region Norrbotten", "Norrbotten"]


def pseudo(pnr: str) -> str:
    return "h" + pnr[::-1]  # not a secret: the domain only needs a function


def read_all(rows, tpl):
    reader = RowReader(mapping_from_dict(MAPPING, tpl), tpl, pseudo, TODAY)
    pathways, rejected = [], []
    for i, values in enumerate(rows):
        r = reader.read(i + 2, values)
        (rejected if isinstance(r, RejectedRow) else pathways).append(r)
    return pathways, rejected


@pytest.fixture(scope="module")
def big():
    from desktop_app.domain.template import load_template

    tpl = load_template("svf-2024")
    rows, exp = generate(100_000)
    pathways, rejected = read_all(rows, tpl)
    return tpl, exp, compute(pathways, tpl, OWN, rejected), rows


def test_a_generated_list_of_100000_rows_gives_exactly_the_expected_figures(big):
    tpl, exp, result, _ = big
    assert result.figures == exp.figures
    # Both sexes, and an SVF of one sex only, are there.
    assert ("brost", "included", "kvinnor") in result.figures
    assert ("brost", "included", "man") in result.figures
    assert ("prostata", "included", "kvinnor") not in result.figures
    assert all(v > 0 for (s, m, x), v in result.figures.items() if m == "included")


def test_bad_rows_duplicates_and_other_regions_are_listed_by_row(big):
    _, exp, result, _ = big
    assert [r.row for r in result.rejected] == exp.rejected_rows
    assert result.duplicate_rows == exp.duplicate_rows
    assert result.other_region_rows == exp.other_region_rows
    assert len(exp.rejected_rows) > 500 and len(exp.duplicate_rows) > 500
    assert len(exp.other_region_rows) > 1000
    reasons = {r.reason.split(" '")[0] for r in result.rejected}
    assert reasons == {
        "personnumret saknas eller är ogiltigt",
        "okänd SVF",
        "okänt kön",
        "datum för välgrundad misstanke saknas eller kan inte läsas",
    }


def test_missing_lead_times_are_listed_per_svf_and_treatment(big):
    _, exp, result, _ = big
    got = {(m.svf_id, m.treatment): m.rows for m in result.missing_lead_time}
    assert got == exp.missing
    # Lung cancer has no lead time in the template at all; urinblåsa's "ingen ytterligare
    # åtgärd" has none from 2024-05-14 only (a version with valid_from inside the period).
    assert {t for s, t in got if s == "lunga"} == {"kirurgi", "stralbehandling", "ingen_atgard"}
    assert ("urinblasa-urinvagar", "ingen_atgard") in got
    assert result.figures[("lunga", "included", "man")] > 0
    assert ("lunga", "within_lead_time", "man") not in result.figures


def test_long_waits_are_the_pathways_over_the_threshold(big):
    _, exp, result, _ = big
    assert len(result.long_waits) == exp.long_waits
    assert sum(v for (s, m, x), v in result.figures.items() if m == "over_175") == exp.long_waits
    assert all(w.days > 1.75 * w.lead_time for w in result.long_waits)
    assert [w.percent for w in result.long_waits] == sorted(
        (w.percent for w in result.long_waits), reverse=True
    )


def test_no_clear_identity_number_reaches_a_pathway_or_a_reason(big):
    _, exp, result, _ = big
    text = repr(result.to_dict()) + repr(result.long_waits)
    for pnr in exp.identities[:2000]:
        assert pnr not in text and pnr[2:] not in text and f"{pnr[2:8]}-{pnr[8:]}" not in text


def _p(row, person, suspicion, start, treatment="kirurgi", svf="urinblasa-urinvagar", region=""):
    return Pathway(
        row, person, svf, "man", suspicion, start, treatment, EndReason.TREATMENT, "U", region
    )


def test_the_lead_time_valid_on_the_suspicion_date_applies(tpl):
    # Kirurgi: 37 days before 2024-05-14, 42 from then. 40 days: late before, in time after.
    before = _p(2, "a", date(2024, 5, 1), date(2024, 6, 10))
    after = _p(3, "b", date(2024, 5, 14), date(2024, 6, 23))
    result = compute([before, after], tpl, OWN)
    assert result.figures[("urinblasa-urinvagar", "within_lead_time", "man")] == 1
    assert result.figures[("urinblasa-urinvagar", "included", "man")] == 2
    assert result.figures[("urinblasa-urinvagar", "median_days", "man")] == 40


def test_over_175_is_strictly_more_than_the_threshold(tpl):
    # Bröst 28 days: 1.75 × 28 = 49; 49 days is not over, 50 is.
    at = _p(2, "a", date(2024, 2, 1), date(2024, 3, 21), svf="brost")
    over = _p(3, "b", date(2024, 2, 1), date(2024, 3, 22), svf="brost")
    result = compute([at, over], tpl, OWN)
    assert result.figures[("brost", "over_175", "man")] == 1
    assert result.figures[("brost", "within_lead_time", "man")] == 0


def test_an_override_gives_a_missing_lead_time_and_is_marked(tpl):
    p = _p(2, "a", date(2024, 2, 1), date(2024, 5, 1), svf="lunga")
    plain = compute([p], tpl, OWN)
    assert [(m.svf_id, m.treatment, m.rows) for m in plain.missing_lead_time] == [
        ("lunga", "kirurgi", 1)
    ]
    with_override = compute([p], tpl, OWN, overrides={("lunga", "kirurgi"): 30})
    assert with_override.missing_lead_time == []
    assert with_override.figures[("lunga", "over_175", "man")] == 1
    assert with_override.long_waits[0].overridden


def test_included_needs_the_treatment_start_in_the_period(tpl):
    late = _p(2, "a", date(2024, 6, 1), date(2024, 7, 2), svf="brost")
    early = _p(3, "b", date(2023, 11, 1), date(2023, 12, 31), svf="brost")
    result = compute([late, early], tpl, OWN)
    assert result.figures[("brost", "investigated", "man")] == 1
    assert result.figures[("brost", "included", "man")] == 0
    assert ("brost", "median_days", "man") not in result.figures


def test_a_mapping_without_a_required_field_is_refused_in_swedish(tpl):
    bad = {"columns": {k: v for k, v in MAPPING["columns"].items() if k != "sex"}}
    with pytest.raises(MappingError, match="saknar kolumn för: Kön"):
        mapping_from_dict(bad, tpl)
    with pytest.raises(MappingError, match="behandlingstyp"):
        mapping_from_dict({**MAPPING, "treatment_type": {"X": "laser"}}, tpl)
    with pytest.raises(MappingError, match="tillåtna värden"):
        mapping_from_dict({**MAPPING, "end_reason": {"1": "done"}}, tpl)


def test_the_template_maps_treatment_types_to_its_own_lead_times(tpl):
    settings = tpl.patient_list
    types = {t.id for t in settings.treatment_types}
    for svf_id, by_type in settings.lead_time_treatments.items():
        svf = tpl.svf(svf_id)
        assert svf is not None, svf_id
        assert set(by_type) <= types
        assert set(by_type.values()) <= {lt.treatment for lt in svf.lead_times}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05", date(2024, 3, 5)),
        ("2024-03-05 00:00:00", date(2024, 3, 5)),
        ("20240305", date(2024, 3, 5)),
        ("05.03.2024", date(2024, 3, 5)),
        ("5/3/2024", date(2024, 3, 5)),
        ("2024/03/05", date(2024, 3, 5)),
        (45356, date(2024, 3, 5)),
        ("45356", date(2024, 3, 5)),
        ("2024-02-30", None),
        ("mars", None),
        ("", None),
        (None, None),
    ],
)
def test_dates_in_swedish_and_excel_forms(value, expected):
    assert parse_date(value) == expected


@given(st.dates(date(1925, 1, 1), date(2024, 8, 31)), st.integers(0, 999), st.booleans())
def test_personnummer_agrees_with_python_stdnum(born, serial, coordination):
    from tests.helpers.patient_lists import luhn_digit

    day = born.day + (60 if coordination else 0)
    nine = f"{born:%y%m}{day:02d}{serial:03d}"
    ten = nine + luhn_digit(nine)
    full = f"{born:%Y}"[:2] + ten
    assert normalise_personnummer(full, TODAY) == full
    # python-stdnum knows no samordningsnummer (day + 60); regions' lists hold them.
    assert stdnum_pnr.is_valid(full) or coordination
    wrong = ten[:-1] + str((int(ten[-1]) + 1) % 10)
    assert normalise_personnummer(wrong, TODAY) is None
    assert not stdnum_pnr.is_valid(f"{born:%Y}"[:2] + wrong)
    # 10 digits: the century that makes the person under 100 (with '+': 100 or more).
    sep = "+" if TODAY.year - born.year >= 100 else "-"
    short = normalise_personnummer(f"{ten[:6]}{sep}{ten[6:]}", TODAY)
    assert short == full


def test_reading_by_blocks_gives_what_reading_row_by_row_gives(tpl):
    # The columnar reader (issue 16, point 6) keeps every rule and reason of the row reader.
    rows, _ = generate(3000, seed=7)
    rows = [list(r) for r in rows]
    rows[5][6] = "1"
    rows[5][4] = "2001-01-01"  # treatment before suspicion
    rows[6][6], rows[6][5] = "1", "LASER"  # unknown treatment type
    rows[7][6], rows[7][4] = "1", ""  # treatment without a start date
    rows[8][1], rows[8][2] = "prostata", "K"  # an SVF that does not apply to the sex
    rows[9][6] = "9"  # unknown end
    rows[10][0] = 197001011234.0  # a number cell (as Excel gives), not a valid number
    reader = RowReader(mapping_from_dict(MAPPING, tpl), tpl, pseudo, TODAY)
    one = [reader.read(i + 2, v) for i, v in enumerate(rows)]
    numbers = list(range(2, len(rows) + 2))
    got, rejected = reader.read_block(numbers, [list(c) for c in zip(*rows, strict=True)])
    assert [(r.row, r.reason) for r in rejected] == [
        (r.row, r.reason) for r in one if isinstance(r, RejectedRow)
    ]
    kept = [r for r in one if not isinstance(r, RejectedRow)]
    assert len(got) == len(kept)
    for a, b in zip(got, kept, strict=True):
        if b.end_reason is not EndReason.TREATMENT:  # start and type mean nothing there
            a.treatment_start, a.treatment = b.treatment_start, b.treatment
        assert a == b
    reasons = {r.reason for r in rejected}
    assert "behandlingen startar före välgrundad misstanke" in reasons
    assert "okänd behandlingstyp 'LASER'" in reasons
    assert "datum för start av behandling saknas eller kan inte läsas" in reasons
    assert "SVF prostata gäller inte kön 'kvinnor'" in reasons
    assert "okänt avslut '9'" in reasons
    assert compute(got, tpl, OWN).figures == compute(kept, tpl, OWN).figures
