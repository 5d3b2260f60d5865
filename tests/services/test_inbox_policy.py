"""The inbox decides a refusal by problem codes, never by the wording of a problem: reworded
texts give the same decisions, and a text that happens to hold an old keyword decides
nothing."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

from desktop_app.domain.problems import Problem, ProblemCode
from desktop_app.domain.vocabulary import InboxStatus, RefusalReason, Role
from desktop_app.services.inbox import classify
from desktop_app.services.inbox_entries import entry_from_record
from desktop_app.services.inbox_policy import pending_reasons
from desktop_app.services.inbox_scopes import scope_of
from desktop_app.services.verification import FileVerification
from desktop_app.storage.inbox_repository import InboxRecord

NORR = scope_of("norr")


def sig(role: Role, ok: bool = True) -> SimpleNamespace:
    return SimpleNamespace(role=role, ok=ok)


def verified(*issues: Problem, signatures=None, **fields) -> FileVerification:
    values = dict(
        path="x.pdf",
        readable=True,
        issues=list(issues),
        signatures=(
            [sig(Role.CERTIFICATION), sig(Role.REPRESENTATIVE)]
            if signatures is None
            else signatures
        ),
        report_document=b"{}",
        region_code="25",
        year=2024,
        data_signed=True,
    )
    values.update(fields)
    return FileVerification(**values)


def test_tampering_is_quoted_by_its_code_whatever_the_wording():
    v = verified(
        Problem(ProblemCode.SIGNED_OUT_OF_ORDER, "Texten är bruten och har ändrats, intygade."),
        Problem(ProblemCode.SIGNATURE_BROKEN, "Omformulerat: signaturen stämmer inte längre."),
        signatures=[sig(Role.CERTIFICATION, ok=False), sig(Role.REPRESENTATIVE)],
    )
    assert classify(v, NORR, 2024) == (
        RefusalReason.TAMPERED,
        "Manipulerad fil: Omformulerat: signaturen stämmer inte längre.",
    )


def test_a_missing_role_is_not_a_refusal_but_waits_for_a_decision():
    """Issue 11: the agreement asks no signature of a region, so a file missing a role is
    not refused; it waits for an RCC officer's decision, and the reasons say why."""
    v = verified(
        Problem(ProblemCode.DUPLICATE_ROLE, "Något saknas här, men det är inget som fattas."),
        Problem(ProblemCode.REPRESENTATIVE_MISSING, "Företrädaren har inte skrivit under."),
        signatures=[sig(Role.CERTIFICATION)],
    )
    assert classify(v, NORR, 2024) == (None, None)
    reasons = pending_reasons(v)
    assert "Underskrift av behörig företrädare saknas." in reasons
    assert "Något saknas här, men det är inget som fattas." in reasons


def test_a_file_without_report_data_names_the_document_problem_by_code():
    v = verified(
        Problem(ProblemCode.CERTIFICATION_MISSING, "Inget JSON-dokument från ekonomichefen."),
        Problem(ProblemCode.REPORT_UNREADABLE, "Redovisningen går inte att tolka."),
        signatures=[],
        report_document=None,
        region_code=None,
        data_signed=False,
    )
    assert classify(v, NORR, 2024) == (
        RefusalReason.UNREADABLE,
        "Oläslig fil: den innehåller ingen läsbar redovisning från SVF-redovisning "
        "(Redovisningen går inte att tolka.)",
    )


def test_a_clean_file_of_the_scope_and_year_is_not_refused():
    assert classify(verified(), NORR, 2024) == (None, None)
    assert classify(verified(), NORR, 2023)[0] == RefusalReason.WRONG_YEAR


def test_a_stored_entry_without_problem_codes_still_loads():
    """Files received before the codes were stored have a verification without them."""
    rec = InboxRecord(
        scope="norr",
        year=2024,
        sha256="0" * 64,
        file_name="gammal.pdf",
        received_at=datetime(2024, 10, 1, 12, 0),
        status="refused",
        id=1,
        refusal="incomplete",
        reason="Ofullständigt undertecknad: Underskrift av behörig företrädare saknas.",
        signers=[{"role": "certification", "signer": "Åsa", "ok": True}],
        verification={"problems": ["Underskrift av behörig företrädare saknas."]},
        problems=["Underskrift av behörig företrädare saknas."],
    )
    e = entry_from_record(rec)
    assert e.problem_codes == () and e.status == InboxStatus.REFUSED
    assert e.refusal == RefusalReason.INCOMPLETE and e.status_label == "Avvisad"
    assert e.signer(Role.CERTIFICATION).signer_name == "Åsa"
    assert e.to_dict()["status"] == "refused"
