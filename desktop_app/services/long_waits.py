"""The longest waits of a report's applied patient list (issue 16, point 4): the pathways over
the long-wait threshold, pseudonymised, tagged with a cause and a note; the counts per SVF and
cause (never the patients) feed the long-waits answer and the PDF."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from desktop_app.domain.errors import UserError
from desktop_app.domain.patients import LongWait
from desktop_app.domain.template import Choice, Template, load_template
from desktop_app.services.bootstrap import AppContext
from desktop_app.services.reports import Changes, _load, _load_editable


@dataclass(frozen=True)
class StoredLongWait:
    key: str
    svf_id: str
    sex: str
    unit: str
    treatment: str
    days: int
    lead_time: int
    cause: str | None
    note: str

    @property
    def percent(self) -> float:
        return 100.0 * self.days / self.lead_time


@dataclass(frozen=True)
class CauseCount:
    svf_id: str
    svf_name: str
    cause_id: str
    cause_label: str
    count: int


@dataclass(frozen=True)
class WaitDistribution:
    """How far past their lead time an SVF's long waits went, in percent of each pathway's own
    lead time (the lead time differs by treatment): the five numbers of a box plot, and the
    range of the lead times in days."""

    svf_id: str
    svf_name: str
    count: int
    low: float
    q1: float
    median: float
    q3: float
    high: float
    lead_times: tuple[int, int]


def wait_distribution(waits: Sequence[StoredLongWait], tpl: Template) -> list[WaitDistribution]:
    """Per SVF of ``waits`` (in template order), the distribution of waiting days against the
    lead time, for the chart of the long-waits view."""
    import statistics

    by_svf: dict[str, list[StoredLongWait]] = {}
    for w in waits:
        by_svf.setdefault(w.svf_id, []).append(w)
    order = {s.id: i for i, s in enumerate(tpl.svfs)}
    out = []
    for svf_id in sorted(by_svf, key=lambda s: (order.get(s, len(order)), s)):
        items = by_svf[svf_id]
        shares = sorted(w.percent for w in items)
        if len(shares) > 1:
            q1, median, q3 = statistics.quantiles(shares, n=4, method="inclusive")
        else:
            q1 = median = q3 = shares[0]
        svf = tpl.svf(svf_id)
        leads = [w.lead_time for w in items]
        out.append(
            WaitDistribution(
                svf_id,
                svf.name if svf else svf_id,
                len(items),
                shares[0],
                q1,
                median,
                q3,
                shares[-1],
                (min(leads), max(leads)),
            )  # fmt: skip
        )
    return out


def store_long_waits(uow: object, report_id: int, waits: Sequence[LongWait]) -> None:
    """Replace the report's long waits by ``waits`` (inside the caller's transaction); the tags
    of pathways that are there again are kept."""
    from sqlmodel import select

    from desktop_app.storage.tables import PatientLongWaitRow as Row

    session = uow.session  # type: ignore[attr-defined]
    old = {
        r.key: (r.cause, r.note)
        for r in session.exec(select(Row).where(Row.report_id == report_id)).all()
    }
    for r in session.exec(select(Row).where(Row.report_id == report_id)).all():
        session.delete(r)
    session.flush()
    for w in waits:
        cause, note = old.get(w.key, (None, ""))
        session.add(
            Row(
                report_id=report_id,
                key=w.key,
                svf_id=w.svf,
                sex=w.sex,
                unit=w.unit,
                treatment=w.treatment,
                days=w.days,
                lead_time=w.lead_time,
                cause=cause,
                note=note,
            )  # fmt: skip
        )


def long_waits(ctx: AppContext, report_id: int) -> list[StoredLongWait]:
    """The report's long waits, longest (relative to the lead time) first."""
    from sqlmodel import select

    from desktop_app.storage.tables import PatientLongWaitRow as Row

    with ctx.uow() as uow:
        _load(uow, report_id)
        rows = uow.session.exec(select(Row).where(Row.report_id == report_id)).all()
        out = [
            StoredLongWait(
                r.key, r.svf_id, r.sex, r.unit, r.treatment, r.days, r.lead_time, r.cause, r.note
            )
            for r in rows
        ]
    return sorted(out, key=lambda w: (-w.percent, w.svf_id, w.key))


def causes(ctx: AppContext, tpl: Template) -> list[Choice]:
    """The template's causes and those the user added."""
    from sqlmodel import select

    from desktop_app.storage.tables import LongWaitCauseRow

    base = list(tpl.patient_list.causes) if tpl.patient_list else []
    with ctx.uow() as uow:
        added = uow.session.exec(select(LongWaitCauseRow)).all()
        base += [Choice(r.id, r.label) for r in added]
    return base


def add_cause(ctx: AppContext, tpl: Template, label: str) -> Choice:
    """Add a cause to the list (the same label twice is one cause)."""
    from desktop_app.storage.tables import LongWaitCauseRow

    label = " ".join(label.split())
    check_no_identity(label, "Orsaken")
    if not label:
        raise UserError("Skriv vad orsaken heter.")
    if len(label) > 80:
        raise UserError("Orsakens namn får vara högst 80 tecken.")
    for c in causes(ctx, tpl):
        if c.label.casefold() == label.casefold():
            return c
    cause_id = "user_" + re.sub(r"[^a-z0-9]+", "_", label.casefold()).strip("_")[:40]
    with ctx.uow() as uow:
        uow.session.merge(LongWaitCauseRow(id=cause_id, label=label))
        uow.commit()
    return Choice(cause_id, label)


_NUMBER_LIKE = re.compile(r"(?<!\d)(\d{6}|\d{8})[-+ ]?\d{4}(?!\d)")


def check_no_identity(text: str, what: str) -> None:
    """Refuse free text that holds something written like a valid personnummer: notes and
    cause names are stored, and an identity number must never be."""
    from desktop_app.domain.patients import normalise_personnummer

    today = date.today()
    for m in _NUMBER_LIKE.finditer(text):
        if normalise_personnummer(m.group(0).replace(" ", ""), today) is not None:
            raise UserError(
                f"{what} verkar innehålla ett personnummer. Skriv inga personuppgifter här."
            )


def tag_long_wait(
    ctx: AppContext, report_id: int, key: str, cause: str | None, note: str = ""
) -> Changes:
    """Tag one long wait with a cause (None clears) and a note."""
    from sqlmodel import select

    from desktop_app.storage.tables import PatientLongWaitRow as Row

    check_no_identity(note, "Noten")
    with ctx.uow() as uow:
        report = _load_editable(uow, report_id)
        if cause is not None and cause not in {
            c.id for c in causes(ctx, load_template(report.template_id))
        }:
            raise UserError(f"Okänd orsak '{cause}'.")
        row = uow.session.exec(
            select(Row).where(Row.report_id == report_id, Row.key == key)
        ).first()
        if row is None:
            raise UserError("Förloppet finns inte längre i listan över de längsta väntetiderna.")
        row.cause, row.note = cause, note.strip()[:1000]
        uow.session.add(row)
        uow.reports.log(report_id, "long_waits", "Orsak till lång väntetid angiven")
        uow.commit()
    return Changes(answers=True)


def cause_counts(ctx: AppContext, report_id: int) -> list[CauseCount]:
    """Per SVF and cause, the number of long waits tagged with it (never the patients)."""
    with ctx.uow() as uow:
        report = _load(uow, report_id)
    tpl = load_template(report.template_id)
    labels = {c.id: c.label for c in causes(ctx, tpl)}
    counts: dict[tuple[str, str], int] = {}
    for w in long_waits(ctx, report_id):
        if w.cause:
            counts[(w.svf_id, w.cause)] = counts.get((w.svf_id, w.cause), 0) + 1
    order = {s.id: i for i, s in enumerate(tpl.svfs)}
    out = []
    for (svf_id, cause), n in sorted(
        counts.items(), key=lambda kv: (order.get(kv[0][0], 99), -kv[1])
    ):
        svf = tpl.svf(svf_id)
        out.append(
            CauseCount(svf_id, svf.name if svf else svf_id, cause, labels.get(cause, cause), n)
        )
    return out


def cause_summary(counts: Sequence[CauseCount]) -> str:
    """A Swedish sentence per SVF for the long-waits answer: counts only."""
    by_svf: dict[str, list[CauseCount]] = {}
    for c in counts:
        by_svf.setdefault(c.svf_name, []).append(c)
    lines = []
    for name, items in by_svf.items():
        parts = ", ".join(f"{c.cause_label.lower()} {c.count}" for c in items)
        lines.append(f"{name}: förlopp över 175 % av ledtiden per orsak – {parts}.")
    return "\n".join(lines)
