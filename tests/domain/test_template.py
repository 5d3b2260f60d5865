import json
import shutil

import pytest

from desktop_app.domain.errors import TemplateError
from desktop_app.domain.template import (
    available_years,
    load_template,
    load_template_file,
    parse_template,
    template_for_year,
    templates_dir,
)
from desktop_app.resources import resources_dir


def raw(template_id="svf-2024"):
    return json.loads((templates_dir() / f"{template_id}.json").read_text(encoding="utf-8"))


def test_2024_template_follows_the_agreement():
    t = load_template("svf-2024")
    assert t.year == 2024
    assert len(t.svfs) == 32  # Bilaga 3: SVF introduced 2015-2023
    assert len(t.inclusion_svfs()) == 32  # 5.3: all SVF introduced before 2024
    assert (t.inclusion_percent, t.lead_time_percent, t.long_wait_percent) == (70, 80, 175)
    assert t.deadline.isoformat() == "2024-09-30"
    assert (t.period_start.isoformat(), t.period_end.isoformat()) == ("2024-01-01", "2024-06-30")
    assert (t.payment_1, t.payment_2, t.payment_total) == (182_500_000, 182_500_000, 365_000_000)
    assert [c.id for c in t.criteria] == ["inclusion", "prem", "deadline"]
    assert t.agreement["reference"] == "SKR2023/02165"
    assert {q.id for q in t.questions} >= {
        "waiting_times",
        "long_waits",
        "prem_use",
        "urology",
        "gender_equality",
    }
    assert t.svf("prostata").sexes == ("man",)
    assert t.svf("brost").sexes == ("kvinnor", "man")
    assert t.svf("aml").lead_times[0].days == 9
    assert t.svf("lunga").lead_times == ()  # unconfirmed: no values guessed


def test_2023_template_has_mpn_and_older_inclusion_scope():
    t = template_for_year(2023)
    assert [c.id for c in t.criteria] == ["inclusion", "prem", "urology", "mpn", "deadline"]
    assert t.deadline.isoformat() == "2023-09-30"
    scope = {s.id for s in t.inclusion_svfs()}
    assert "mpn" not in scope and "lunga" in scope
    assert t.question("mpn_introduced").type == "yes_no"


def test_every_template_file_is_valid():
    assert set(available_years()) >= {2023, 2024}
    for year in available_years():
        assert template_for_year(year).year == year


def test_unknown_year_and_id_are_refused_in_swedish():
    with pytest.raises(TemplateError, match="ingen redovisningsmall för år 1999"):
        template_for_year(1999)
    with pytest.raises(TemplateError, match="ingen redovisningsmall som heter 'svf-9999'"):
        load_template("svf-9999")


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda d: d.pop("deadline"), "'deadline' is a required property"),
        (lambda d: d["thresholds"].update(inclusion_percent="70"), "thresholds/inclusion_percent"),
        (lambda d: d["svfs"].append(dict(d["svfs"][0])), "SVF-id förekommer flera gånger: aml"),
        (lambda d: d["questions"][0].update(step="finns-inte"), "steg som inte finns"),
        (
            lambda d: d["criteria"].append(
                {
                    "id": "x",
                    "kind": "answer_given",
                    "label": "X",
                    "description": "",
                    "question": "nope",
                }
            ),
            "fråga som inte finns",
        ),
        (lambda d: d["payments"].update(payment_2=1), "summerar inte"),
        (lambda d: d["criteria"][0].update(kind="lottery"), "criteria/0/kind"),
        (lambda d: d["svfs"][0].update(sexes=["alien"]), "okänt kön"),
    ],
)
def test_broken_template_is_refused_with_place(mutate, expected):
    d = raw()
    mutate(d)
    with pytest.raises(TemplateError) as err:
        parse_template(d, origin="svf-2024.json")
    assert "svf-2024.json" in str(err.value)
    assert expected in str(err.value)


def test_broken_json_file_names_line(tmp_path):
    p = tmp_path / "svf-2030.json"
    p.write_text('{"id": "svf-2030",\n "year": }', encoding="utf-8")
    with pytest.raises(TemplateError, match=r"inte giltig JSON \(rad 2"):
        load_template_file(p)
    with pytest.raises(TemplateError, match="finns inte"):
        load_template_file(tmp_path / "missing.json")


def test_a_new_year_is_a_new_file_only(tmp_path, monkeypatch):
    res = tmp_path / "resources"
    shutil.copytree(resources_dir(), res)
    d = raw()
    d.update(id="svf-2031", year=2031, deadline="2031-09-30")
    d["inclusion_scope"]["introduced_before"] = 2031
    (res / "templates" / "svf-2031.json").write_text(json.dumps(d), encoding="utf-8")
    monkeypatch.setenv("SVF_RESOURCES", str(res))
    t = template_for_year(2031)
    assert t.deadline.isoformat() == "2031-09-30"
    assert 2031 in available_years()
