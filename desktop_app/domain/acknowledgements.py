"""Warnings justified by the region (issue 15, point 5).

A warning (an implausible value, a change from the RCC's figure, a jump from last year) can be
justified: the justification is kept under the warning's key with the fingerprint of the
warning's text, which names the values. While the text is the same the warning is shown as
justified (next to the value in the signed PDF and to the RCC); when the values change the
justification lapses and the warning is open again. An error cannot be justified away."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from desktop_app.domain.findings import Acknowledgement, Finding
from desktop_app.domain.template import Template
from desktop_app.domain.vocabulary import Severity, WarningState


class JustificationError(ValueError):
    """A justification that cannot be kept (Swedish message)."""


def check_justification(tpl: Template, text: str) -> str:
    """The justification with its white space tidied; raises JustificationError (Swedish)
    when the template allows none, or it is too short or too long."""
    limits = tpl.warnings
    if limits is None:
        raise JustificationError(f"Mallen {tpl.id} har inga regler för motiverade varningar.")
    clean = " ".join(text.split())
    if len(clean) < limits.justification_min_chars:
        raise JustificationError(
            f"Motiveringen är för kort ({len(clean)} tecken). Skriv minst "
            f"{limits.justification_min_chars} tecken om varför värdet stämmer."
        )
    if len(clean) > limits.justification_max_chars:
        raise JustificationError(
            f"Motiveringen är för lång ({len(clean)} tecken, högst "
            f"{limits.justification_max_chars})."
        )
    return clean


def acknowledge(tpl: Template, finding: Finding, justification: str, on: date) -> Acknowledgement:
    """The justification of ``finding``; only a warning can be justified."""
    if finding.severity != Severity.WARNING:
        raise JustificationError(
            "Bara en varning kan motiveras; ett fel måste rättas: " + finding.message
        )
    return Acknowledgement(
        finding.key,
        finding.fingerprint,
        check_justification(tpl, justification),
        finding.message,
        on,
    )


def apply_acknowledgements(
    findings: Iterable[Finding], acks: Mapping[str, Acknowledgement]
) -> list[Finding]:
    """``findings`` with each warning's justification attached where one holds for its
    current text."""
    out = []
    for f in findings:
        ack = acks.get(f.key)
        if ack is not None and f.severity == Severity.WARNING and ack.fingerprint == f.fingerprint:
            f = f.acknowledged(ack)
        out.append(f)
    return out


def warning_state(finding: Finding, acks: Mapping[str, Acknowledgement]) -> WarningState:
    """Whether a warning is open, justified, or justified for values it no longer has."""
    if finding.acknowledgement is not None:
        return WarningState.JUSTIFIED
    return WarningState.LAPSED if finding.key in acks else WarningState.OPEN


def lapsed(
    findings: Iterable[Finding], acks: Mapping[str, Acknowledgement]
) -> list[Acknowledgement]:
    """The justifications that no longer hold: their warning's text changed or it is gone."""
    held = {f.key for f in findings if f.acknowledgement is not None}
    return [a for k, a in sorted(acks.items()) if k not in held]
