"""Lead times with their validity: versions by ``valid_from``, the period's lead times, the
UNCONFIRMED status and the long-wait limits in days, all from the template."""

from __future__ import annotations

import copy
from datetime import date
from fractions import Fraction

import pytest

from desktop_app.domain.errors import TemplateError
from desktop_app.domain.figures import Figures
from desktop_app.domain.indicators import IndicatorTable
from desktop_app.domain.template import load_template, parse_template, templates_dir
from desktop_app.domain.vocabulary import LeadTimeStatus

BLADDER = "urinblasa-urinvagar"


def raw() -> dict:
    import json

    return json.loads((templates_dir() / "svf-2024.json").read_text(encoding="utf-8"))


def test_bladder_cancer_has_two_versions_split_on_2024_05_14():
    """svf-facts.md §2.3: all start-of-treatment times extended by five days on 2024-05-14;
    the new values are derived, so unconfirmed."""
    tpl = load_template("svf-2024")
    versions = tpl.svf(BLADDER).lead_times_in(tpl.period_start, tpl.period_end)
    got = {(v.treatment, v.days, v.valid_from, v.valid_to) for v in versions}
    cut, before = date(2024, 5, 14), date(2024, 5, 13)
    assert got == {
        ("ingen ytterligare åtgärd", 22, None, before),
        ("ingen ytterligare åtgärd", None, cut, None),  # effect not in the sources
        ("kirurgi", 37, None, before),
        ("kirurgi", 42, cut, None),
        ("läkemedel", 39, None, before),
        ("läkemedel", 44, cut, None),
        ("strålbehandling", 43, None, before),
        ("strålbehandling", 48, cut, None),
    }
    assert all(v.status == LeadTimeStatus.UNCONFIRMED for v in versions if v.valid_from == cut)
    assert not any(v.confirmed for v in versions)


def test_a_period_before_or_after_the_change_sees_one_version():
    svf = load_template("svf-2024").svf(BLADDER)
    early = svf.lead_times_in(date(2024, 1, 1), date(2024, 3, 31))
    late = svf.lead_times_in(date(2024, 7, 1), date(2024, 12, 31))
    assert [v.days for v in early if v.treatment == "kirurgi"] == [37]
    assert [v.days for v in late if v.treatment == "kirurgi"] == [42]


def test_long_wait_limit_is_exact_and_the_first_whole_day_over_it():
    tpl = load_template("svf-2024")
    t = IndicatorTable.build(Figures(), tpl)
    kirurgi = [ln for ln in t.row(BLADDER).lead_time_lines if ln.treatment == "kirurgi"]
    assert [ln.long_wait_limit for ln in kirurgi] == [Fraction(6475, 100), Fraction(735, 10)]
    assert [ln.long_wait_from for ln in kirurgi] == [65, 74]
    brost = t.row("brost").lead_time_lines[0]
    assert (brost.long_wait_limit, brost.long_wait_from) == (49, 50)  # 49 itself is not over
    assert brost.confirmed and t.row("brost").lead_times_confirmed
    assert "över 49 dagar (från 50 dagar)" in brost.text


def test_texts_show_validity_unconfirmed_and_not_established():
    tpl = load_template("svf-2024")
    t = IndicatorTable.build(Figures(), tpl)
    text = t.row(BLADDER).lead_time_text(tpl.period_label)
    assert "kirurgi: 37 dagar, t.o.m. 2024-05-13" in text
    assert "kirurgi: 42 dagar, fr.o.m. 2024-05-14" in text
    assert "ingen ytterligare åtgärd: ej fastställd, fr.o.m. 2024-05-14" in text
    assert "EJ BEKRÄFTAD" in text
    lung = t.row("lunga").lead_time_text(tpl.period_label)
    assert "ej fastställd i mallen" in lung and "EJ BEKRÄFTAD" in lung
    assert "EJ BEKRÄFTAD" not in t.row("brost").lead_time_text(tpl.period_label)


def test_limits_follow_the_templates_long_wait_percent():
    d = raw()
    d["thresholds"]["long_wait_percent"] = 200
    tpl = parse_template(d)
    line = IndicatorTable.build(Figures(), tpl).row("brost").lead_time_lines[0]
    assert (line.long_wait_limit, line.long_wait_from) == (56, 57)
    assert "gräns 200 %: över 56 dagar" in line.text and "175" not in line.text


def test_two_versions_from_the_same_day_are_refused():
    d = raw()
    svf = next(s for s in d["svfs"] if s["id"] == "brost")
    svf["lead_times"].append(copy.deepcopy(svf["lead_times"][0]))
    with pytest.raises(TemplateError, match="två ledtider"):
        parse_template(d)


def test_schema_refuses_an_unknown_status_or_key_in_a_lead_time():
    d = raw()
    d["svfs"][0]["lead_times"][0]["status"] = "maybe"
    with pytest.raises(TemplateError, match="lead_times/0/status"):
        parse_template(d)
    d = raw()
    d["svfs"][0]["lead_times"][0]["valid_form"] = "2024-01-01"
    with pytest.raises(TemplateError, match="valid_form"):
        parse_template(d)
