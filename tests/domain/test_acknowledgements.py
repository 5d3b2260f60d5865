"""Issue 15, point 5: a warning justified for its values carries the justification; when the
values change it lapses and the warning is open again; an error cannot be justified."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain.acknowledgements import (
    JustificationError,
    acknowledge,
    lapsed,
    warning_state,
)
from desktop_app.domain.document import check_document, from_document, to_document
from desktop_app.domain.rules import validate
from desktop_app.domain.template import load_template
from desktop_app.domain.vocabulary import Severity, WarningState
from tests.helpers.factories import complete_report

TPL = load_template("svf-2024")
ON = date(2024, 9, 10)
WHY = "Ny remissväg från primärvården; inklusionen steg verkligen."


def _implausible():
    """A report with one warning: inclusion over the template's plausible limit for lunga."""
    report = complete_report(TPL)  # 10 expected, 8 included per cell
    for sex in ("kvinnor", "man"):
        report.figures.set("lunga", "included", sex, 16)  # 160 %, over the 150 % limit
    warnings = [f for f in validate(report, TPL) if f.severity == Severity.WARNING]
    return report, warnings


def test_a_justified_warning_carries_its_justification_and_stays_a_warning() -> None:
    report, warnings = _implausible()
    w = next(f for f in warnings if f.rule == "inclusion_implausible")
    ack = acknowledge(TPL, w, "  " + WHY.replace(" ", "   ") + " ", ON)
    assert ack.justification == WHY  # white space tidied
    report.acknowledgements = {ack.key: ack}
    again = next(f for f in validate(report, TPL) if f.key == w.key)
    assert again.severity == Severity.WARNING
    assert again.acknowledgement == ack
    assert warning_state(again, report.acknowledgements) == WarningState.JUSTIFIED
    assert again.to_dict()["acknowledged"] == {"justification": WHY, "on": "2024-09-10"}
    others = [f for f in validate(report, TPL) if f.key != w.key]
    assert all(f.acknowledgement is None for f in others)


def test_the_justification_lapses_when_the_values_change() -> None:
    report, warnings = _implausible()
    w = next(f for f in warnings if f.rule == "inclusion_implausible")
    report.acknowledgements = {w.key: acknowledge(TPL, w, WHY, ON)}
    report.figures.set("lunga", "included", "kvinnor", 17)  # still implausible, other values
    now = [f for f in validate(report, TPL) if f.severity == Severity.WARNING]
    again = next(f for f in now if f.key == w.key)
    assert again.acknowledgement is None
    assert warning_state(again, report.acknowledgements) == WarningState.LAPSED
    assert [a.key for a in lapsed(now, report.acknowledgements)] == [w.key]


def test_an_error_cannot_be_justified() -> None:
    report = complete_report(TPL)
    report.figures.set("lunga", "within_lead_time", "kvinnor", 99)
    error = next(f for f in validate(report, TPL) if f.severity == Severity.ERROR)
    with pytest.raises(JustificationError, match="ett fel måste rättas"):
        acknowledge(TPL, error, WHY, ON)


@pytest.mark.parametrize("text", ["", "   ", "för kort", "x" * 1001])
def test_a_justification_outside_the_templates_limits_is_refused(text: str) -> None:
    _, warnings = _implausible()
    with pytest.raises(JustificationError, match="Motiveringen är för"):
        acknowledge(TPL, warnings[0], text, ON)


def test_a_template_without_the_block_allows_no_justification() -> None:
    from desktop_app.domain.findings import Finding, Location

    tpl = load_template("svf-2023")
    assert tpl.warnings is None
    warning = Finding("inclusion_implausible", Severity.WARNING, "x", Location(svf="lunga"))
    with pytest.raises(JustificationError, match="inga regler"):
        acknowledge(tpl, warning, WHY, ON)


def test_the_document_carries_the_justifications() -> None:
    report, warnings = _implausible()
    ack = acknowledge(TPL, warnings[0], WHY, ON)
    report.acknowledgements = {ack.key: ack}
    doc = to_document(report, TPL)
    check_document(doc)
    assert doc["acknowledgements"] == [ack.to_dict()]
    assert from_document(doc, TPL).acknowledgements == {ack.key: ack}
    assert "acknowledgements" not in to_document(complete_report(TPL), TPL)


def test_a_hand_made_justification_does_not_silence_another_value_or_an_error() -> None:
    """A document edited by hand: a justification with the fingerprint of other values, and
    one under an error's key, leave the warning open and the error an error."""
    from desktop_app.domain.findings import Acknowledgement, fingerprint

    report, warnings = _implausible()
    w = next(f for f in warnings if f.rule == "inclusion_implausible")
    report.figures.set("lunga", "within_lead_time", "kvinnor", 99)  # an error too
    error = next(f for f in validate(report, TPL) if f.severity == Severity.ERROR)
    forged = {
        w.key: Acknowledgement(w.key, fingerprint("andra värden"), WHY, "andra värden", ON),
        error.key: Acknowledgement(error.key, error.fingerprint, WHY, error.message, ON),
    }
    doc = to_document(report, TPL)
    doc["acknowledgements"] = [a.to_dict() for a in forged.values()]
    loaded = from_document(doc, TPL)
    found = {f.key: f for f in validate(loaded, TPL)}
    assert found[w.key].acknowledgement is None
    assert found[error.key].severity == Severity.ERROR
    assert found[error.key].acknowledgement is None
