"""Issue 12, point 5: the year's template names its population key, and the RCC can load
another population table in SCB's CSV layout (desktop_app.domain.reference)."""

from __future__ import annotations

import pytest

from desktop_app.domain.errors import UserError
from desktop_app.domain.reference import load_reference, parse_population_csv
from desktop_app.domain.template import template_for_year
from desktop_app.domain.vocabulary import KeyStatus


def test_the_2024_key_is_the_shipped_scb_figures_marked_preliminary():
    key = template_for_year(2024).population_key
    assert key is not None
    assert key.status is KeyStatus.PRELIMINARY and key.preliminary
    assert "SCB" in key.source and "1 november" in key.note
    assert {r.population_date for r in load_reference().regions} == {key.date}


def _scb_csv(sep: str = ";", **override: str) -> str:
    lines = ['"Folkmängd efter region, 2019M11"', "", f'"region"{sep}"2019M11"']
    lines.append(f'"00 Riket"{sep}"10327589"')
    for r in load_reference().regions:
        lines.append(f'"{r.code} {r.lan}"{sep}"{override.get(r.code, str(r.population))}"')
    return "\n".join([*lines, "", '"Källa: SCB"'])


@pytest.mark.parametrize("sep", [";", ",", "\t"])
def test_an_scb_table_loads_with_its_date(sep):
    table = parse_population_csv(_scb_csv(sep, **{"09": "59 636"}), "folk.csv", "2019-11-01")
    assert len(table.populations) == 21
    assert table.populations["09"] == 59_636
    assert table.date == "2019-11-01" and table.source == "folk.csv"


def test_names_instead_of_codes():
    text = "\n".join(f"{r.name};{r.population}" for r in load_reference().regions)
    assert parse_population_csv(text, "n.csv", "2023-11-01").populations["14"] == 1_767_016


@pytest.mark.parametrize(
    ("text", "date", "message"),
    [
        (_scb_csv(**{"04": "tre"}), "2019-11-01", "folk.csv, rad 7, kolumn 2"),
        (_scb_csv(**{"04": "-5"}), "2019-11-01", "folk.csv, rad 7, kolumn 2"),
        (_scb_csv().replace("03 Uppsala län", "Upsala"), "2019-11-01", "rad 6, kolumn 1"),
        (_scb_csv().replace("03 Uppsala län", "01"), "2019-11-01", "finns redan"),
        ("\n".join(_scb_csv().splitlines()[:8]), "2019-11-01", "saknar 17 av 21"),
        (_scb_csv(), "1 nov 2019", "ÅÅÅÅ-MM-DD"),
    ],
)
def test_a_bad_table_names_file_row_and_column(text, date, message):
    with pytest.raises(UserError, match=message):
        parse_population_csv(text, "folk.csv", date)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"status": "guessed"}, "payments/population_key/status"),
        ({"date": "1 nov 2019"}, "payments/population_key/date"),
        ({"date": "2023-02-31"}, "felaktig"),
    ],
)
def test_a_bad_key_in_the_template_is_refused(change, expected):
    import json

    from desktop_app.domain.errors import TemplateError
    from desktop_app.domain.template import parse_template, templates_dir

    d = json.loads((templates_dir() / "svf-2024.json").read_text(encoding="utf-8"))
    d["payments"]["population_key"].update(change)
    with pytest.raises(TemplateError, match=expected):
        parse_template(d, origin="svf-2024.json")
