import copy

import pytest

from desktop_app.domain.document import check_document, from_document, to_document
from desktop_app.domain.errors import DocumentError
from tests.helpers.factories import complete_report


def test_round_trip(tpl):
    report = complete_report(tpl)
    report.figures.set("lunga", "median_days", "man", 31.5)
    report.finance.received = 1000
    report.finance.costs = []
    doc = to_document(report, tpl)
    back = from_document(copy.deepcopy(doc), tpl)
    assert back.figures == report.figures
    assert back.prem == report.prem
    assert back.answers == report.answers
    assert back.finance.unspent == 1000
    assert to_document(back, tpl) == doc
    assert doc["figures"]["lunga"]["included_man"] == 8
    assert "included_kvinnor" not in doc["figures"]["prostata"]


@pytest.mark.parametrize(
    "mutate, text",
    [
        (lambda d: d["figures"]["lunga"].update(included_man=-1), "figures/lunga/included_man"),
        (lambda d: d["figures"]["lunga"].update(included_man=2.5), "figures/lunga/included_man"),
        (lambda d: d.pop("prem"), "'prem' is a required property"),
        (lambda d: d.update(schema_version=99), "schemaversion 99"),
        (lambda d: d.update(region="Norrbotten"), "region"),
    ],
)
def test_schema_violations_are_listed(tpl, mutate, text):
    doc = to_document(complete_report(tpl), tpl)
    mutate(doc)
    with pytest.raises(DocumentError) as err:
        check_document(doc, "rapport.json")
    assert text in str(err.value)
    assert "rapport.json" in str(err.value)


def test_unknown_svf_and_question(tpl):
    doc = to_document(complete_report(tpl), tpl)
    doc["figures"]["okand-svf"] = {"included_man": 1}
    doc["answers"]["okand_fraga"] = "x"
    with pytest.raises(DocumentError) as err:
        from_document(doc, tpl)
    assert "figures/okand-svf: okänt SVF-id" in str(err.value)
    assert "answers/okand_fraga" in str(err.value)
