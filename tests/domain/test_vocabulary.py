"""The one vocabulary: every value has its Swedish words, and the stored values never change."""

from __future__ import annotations

import json

import pytest

from desktop_app.domain import vocabulary as v
from desktop_app.domain.findings import CriterionResult, Finding, Location


@pytest.mark.parametrize("enum", v.VOCABULARY, ids=lambda e: e.__name__)
def test_every_member_has_a_label(enum: type) -> None:
    missing = [m for m in enum if not v.has_words(m)]
    assert not missing, f"{enum.__name__} lacks Swedish words for {missing}"
    for m in enum:
        assert v.label(m).strip(), m
        assert v.mark(m)
        fg, bg = v.colours(m)
        assert fg.startswith("#") and bg.startswith("#")


def test_labels_are_unique_within_an_enum() -> None:
    for enum in v.VOCABULARY:
        texts = [v.label(m) for m in enum]
        assert len(texts) == len(set(texts)), enum.__name__


def test_every_vocabulary_enum_is_listed() -> None:
    from enum import StrEnum

    defined = {
        obj
        for obj in vars(v).values()
        if isinstance(obj, type) and issubclass(obj, StrEnum) and obj is not StrEnum
    }
    assert defined == set(v.VOCABULARY)


def test_stored_values_are_unchanged() -> None:
    # These strings are in JSON documents and databases already handed out.
    assert [str(m) for m in v.Verdict] == ["pass", "fail", "unknown"]
    assert [str(m) for m in v.Severity] == ["fel", "varning"]
    assert [str(m) for m in v.Role] == ["certification", "representative", "rcc"]
    assert {"accepted", "refused", "superseded"} <= {str(m) for m in v.InboxStatus}
    assert [str(m) for m in v.InboxStatus] == [
        "accepted",
        "accepted_with_remarks",
        "pending",
        "conflict",
        "refused",
        "superseded",
    ]
    assert [str(m) for m in v.ReportStatus] == ["draft", "certified", "signed", "submitted"]
    assert [str(m) for m in v.CertificationState] == ["none", "valid", "void"]
    assert str(v.RefusalReason.OUTSIDE_SCOPE) == "outside_scope"


def test_label_of_a_stored_string_and_of_an_unknown_one() -> None:
    assert v.label("pass", v.Verdict) == "Uppfyllt"
    assert v.label("refused", v.InboxStatus) == "Avvisad"
    assert v.label("något-annat", v.InboxStatus) == "något-annat"
    assert v.label(None) == "–"


def test_findings_serialise_plain_strings() -> None:
    f = Finding("x", v.Severity.ERROR, "Fel här", Location(step="s"))
    assert json.loads(json.dumps(f.to_dict()))["severity"] == "fel"
    c = CriterionResult("inclusion", "Inklusion", "pass", "ok")  # type: ignore[arg-type]
    assert c.status is v.Verdict.PASS
    assert c.to_dict()["status"] == "pass"
    with pytest.raises(ValueError):
        CriterionResult("inclusion", "Inklusion", "kanske", "?")  # type: ignore[arg-type]


def test_each_member_has_exactly_one_entry_and_enums_do_not_share_keys() -> None:
    # InboxStatus.ACCEPTED == RegionState.ACCEPTED == "accepted": they must not merge.
    members = [m for m, _ in v._ENTRIES]
    keys = [(type(m), m.value) for m in members]
    assert len(keys) == len(set(keys))
    assert len(v.LABELS) == sum(len(e) for e in v.VOCABULARY)
    assert v.mark(v.RegionState.MISSING) == "–"
    assert v.label(v.RegionState.ACCEPTED) == v.label(v.InboxStatus.ACCEPTED) == "Godkänd"


def test_plural() -> None:
    assert v.plural(v.Severity.WARNING, 1) == "1 varning"
    assert v.plural(v.Severity.WARNING, 3) == "3 varningar"
    assert v.plural(v.Severity.ERROR, 2) == "2 fel"
    assert v.plural(v.InboxStatus.REFUSED, 17) == "17 avvisade"
