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


def test_counts_per_cause_and_svf_go_into_version_2_and_back(tpl):
    # Issue 16, point 4: the counts per SVF and cause of the tagged long waits (never the
    # patients) are part of the document, in template order, each with the cause's name.
    from desktop_app.domain.report import LongWaitCause

    report = complete_report(tpl)
    plain = to_document(report, tpl)
    assert plain["schema_version"] == 1 and "long_wait_causes" not in plain  # as before
    report.long_wait_causes = (
        LongWaitCause("lunga", "user_k_till_dt", 2, "Kö till DT"),
        LongWaitCause("lunga", "patient_choice", 1),
        LongWaitCause("brost", "capacity_radiology", 4),
    )
    doc = to_document(report, tpl)
    assert doc["schema_version"] == 2
    assert doc["long_wait_causes"] == [
        {"svf": "brost", "cause": "capacity_radiology", "label": "Kapacitet inom radiologi",
         "count": 4},
        {"svf": "lunga", "cause": "patient_choice", "label": "Patientens val", "count": 1},
        {"svf": "lunga", "cause": "user_k_till_dt", "label": "Kö till DT", "count": 2},
    ]  # fmt: skip
    back = from_document(copy.deepcopy(doc), tpl)
    assert to_document(back, tpl) == doc
    # Without the counts, a version-1 document of before reads as it did.
    assert from_document(copy.deepcopy(plain), tpl).long_wait_causes == ()
    # The counts belong to version 2, and name SVFs of the template.
    with pytest.raises(DocumentError, match="schema_version"):
        check_document({**copy.deepcopy(doc), "schema_version": 1})
    bad = copy.deepcopy(doc)
    bad["long_wait_causes"][0]["svf"] = "okand"
    with pytest.raises(DocumentError, match="long_wait_causes/0: okänt SVF-id"):
        from_document(bad, tpl)
    with pytest.raises(DocumentError, match="schemaversion 3"):
        check_document({**copy.deepcopy(doc), "schema_version": 3})
