"""The population key of a compilation (services.compilation.population_key)."""

from __future__ import annotations

from dataclasses import replace

from desktop_app.domain.reference import load_reference
from desktop_app.domain.template import template_for_year
from desktop_app.services.compilation import PopulationEntry, population_key


def test_the_key_of_a_compilation_follows_its_populations():

    tpl = template_for_year(2024)
    ref = [
        PopulationEntry(r.code, r.name, r.population, r.population_date, "SCB", False, 1)
        for r in load_reference().regions
    ]
    assert population_key(tpl, ref) is tpl.population_key
    one = [replace(ref[0], edited=True, date="2019-11-01")]
    mixed = population_key(tpl, one + ref[1:])
    assert mixed.date == "2019-11-01, 2023-12-31" and mixed.preliminary
    assert "1 av 21 regioner" in mixed.note
