"""The RCC officer's logged acts on the inbox (issue 11): a decision on a file that waits
(accept or refuse, with a reason), the real arrival date of a file (with a reason), and the
RCC's last day of arrival per year. Each is logged with the OS user and the time, and the
region's statuses are settled again (services.inbox_import.settle_region)."""

from __future__ import annotations

from datetime import date, datetime

from desktop_app.domain.errors import UserError
from desktop_app.domain.rules import fmt_date
from desktop_app.domain.vocabulary import Decision, InboxEvent, InboxStatus
from desktop_app.services.bootstrap import AppContext
from desktop_app.services.inbox_entries import InboxEntry, entry_from_record
from desktop_app.services.inbox_import import judge, settle_region
from desktop_app.services.signers import os_user

# What a decision may be taken on: a refused file stays refused (it is not a report, or it
# was tampered with); a counted or superseded file may be refused or accepted again too.
DECIDABLE = frozenset(
    {
        InboxStatus.PENDING,
        InboxStatus.CONFLICT,
        InboxStatus.ACCEPTED,
        InboxStatus.ACCEPTED_WITH_REMARKS,
        InboxStatus.SUPERSEDED,
    }
)


def _reason(reason: str) -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise UserError("Ange ett skäl för beslutet (--reason).")
    if len(text) > 500:
        raise UserError("Skälet är för långt (högst 500 tecken).")
    return text


def decide(ctx: AppContext, entry_id: int, decision: Decision, reason: str) -> InboxEntry:
    """Accept or refuse a received file, with ``reason``; logged. UserError for a file that
    was refused on its own (unreadable, tampered, not a report, wrong year)."""
    why = _reason(reason)
    with ctx.uow() as uow:
        rec = uow.inbox.get(entry_id)
        if rec is None:
            raise UserError(f"Det finns ingen inkommen fil med id {entry_id}.")
        if rec.refusal is not None or rec.region_code is None:
            raise UserError(
                f"{rec.file_name} är avvisad och kan inte godkännas: {rec.reason or 'oläslig'}"
            )
        rec.decision, rec.decision_reason = str(decision), why
        uow.inbox.update(rec)
        now = datetime.now().replace(microsecond=0)
        uow.inbox.log(entry_id, str(InboxEvent.DECISION), str(decision), why, os_user(), now)
        settle_region(uow, rec.year, rec.region_code)
        uow.commit()
        fresh = uow.inbox.get(entry_id)
    assert fresh is not None
    return entry_from_record(fresh)


def set_received_on(ctx: AppContext, entry_id: int, day: date, reason: str) -> InboxEntry:
    """Set the date a file arrived at the RCC (e.g. the e-mail's), with ``reason``; logged;
    the deadline judged again."""
    why = _reason(reason)
    if day > ctx.today():
        raise UserError(f"Mottagningsdagen {fmt_date(day)} ligger i framtiden.")
    with ctx.uow() as uow:
        rec = uow.inbox.get(entry_id)
        if rec is None:
            raise UserError(f"Det finns ingen inkommen fil med id {entry_id}.")
        old = rec.received_on
        rec.received_on = day
        judge(uow, rec, ctx.today())
        uow.inbox.update(rec)
        now = datetime.now().replace(microsecond=0)
        value = f"{old.isoformat() if old else '–'} → {day.isoformat()}"
        uow.inbox.log(entry_id, str(InboxEvent.RECEIVED_ON), value, why, os_user(), now)
        uow.commit()
        fresh = uow.inbox.get(entry_id)
    assert fresh is not None
    return entry_from_record(fresh)


def set_last_day(ctx: AppContext, rcc: str, year: int, day: date, reason: str = "") -> None:
    """The RCC's last day of arrival for ``year``; every file of its regions judged again."""
    from desktop_app.domain.reference import load_reference

    ref = load_reference()
    match = next((c for c in ref.rccs if c.id == rcc), None)
    if match is None:
        raise UserError(f"Okänt RCC '{rcc}'.")
    with ctx.uow() as uow:
        uow.inbox.set_last_day(rcc, year, day)
        now = datetime.now().replace(microsecond=0)
        uow.inbox.log(None, str(InboxEvent.LAST_DAY), f"{rcc}:{year}:{day}", reason, os_user(), now)
        for rec in uow.inbox.entries(None, year):
            if rec.region_code in match.regions:
                judge(uow, rec, ctx.today())
                uow.inbox.update(rec)
        uow.commit()


def last_day(ctx: AppContext, rcc: str, year: int) -> date | None:
    """The RCC's own last day for ``year`` (None: the template's date applies)."""
    with ctx.uow() as uow:
        return uow.inbox.last_day(rcc, year)
