"""Reading the RCC's inbox: the entries of a scope and year, a region's history, one entry,
and what a received file holds (its report document, its bytes, the differences between two
versions)."""

from __future__ import annotations

import json
from typing import Any

from desktop_app.domain.diff import Difference, diff_documents
from desktop_app.domain.errors import UserError
from desktop_app.domain.report import Report
from desktop_app.domain.template import Template, load_template
from desktop_app.services.bootstrap import AppContext
from desktop_app.services.inbox_entries import InboxEntry, entry_from_record
from desktop_app.services.inbox_scopes import scope_of


def _sort_key(e: InboxEntry) -> tuple[Any, ...]:
    return (e.region_code or "~", -(e.report_version or 0), e.received_at, e.id or 0)


def _stored_once(records: list[Any]) -> list[Any]:
    """One record per file: files received before the inbox kept each file once (schema
    0004 kept a copy per scope) count by their first record."""
    seen: set[str] = set()
    out = []
    for r in records:
        if r.sha256 not in seen:
            seen.add(r.sha256)
            out.append(r)
    return out


def list_inbox(ctx: AppContext, scope: str, year: int) -> list[InboxEntry]:
    """Every file received for ``year`` from a region of ``scope`` (and every unreadable
    one): the inbox keeps each file once, the scope is a filter. By region (unreadable files
    last), the newest version first."""
    sc = scope_of(scope)
    with ctx.uow() as uow:
        records = _stored_once(uow.inbox.entries(None, year))
    shown = [r for r in records if r.region_code is None or r.region_code in sc.regions]
    return sorted((entry_from_record(r, scope=sc) for r in shown), key=_sort_key)


def list_all(ctx: AppContext, year: int | None = None) -> list[InboxEntry]:
    """Every file received (of ``year``, or every year), whatever RCC it belongs to."""
    with ctx.uow() as uow:
        records = _stored_once(uow.inbox.entries(None, year))
    return sorted((entry_from_record(r) for r in records), key=_sort_key)


def counted_entries(ctx: AppContext, year: int, rcc: str | None = None) -> list[InboxEntry]:
    """The counted files (accepted, with or without remarks) of ``year``: of the regions of
    ``rcc`` (an RCC id, or ``national``), or of every region when None. One per region."""
    entries = list_inbox(ctx, rcc, year) if rcc else list_all(ctx, year)
    return [e for e in entries if e.counted]


def inbox_history(
    ctx: AppContext, region: str, year: int, scope: str | None = None
) -> list[InboxEntry]:
    """Every file received from ``region`` for ``year`` (in ``scope``, or in every scope), in
    the order received."""
    from desktop_app.domain.reference import normalize_region_code

    code = normalize_region_code(region)
    del scope  # every file is kept once, whatever scope received it
    with ctx.uow() as uow:
        records = _stored_once(uow.inbox.entries(None, year, code))
    return [entry_from_record(r) for r in records]


def get_entry(ctx: AppContext, entry_id: int) -> InboxEntry:
    """The entry with this id; UserError when there is none."""
    with ctx.uow() as uow:
        rec = uow.inbox.get(entry_id)
    if rec is None:
        raise UserError(f"Det finns ingen inkommen fil med id {entry_id}.")
    return entry_from_record(rec)


def entry_document(ctx: AppContext, entry: int | InboxEntry) -> dict[str, Any]:
    """The report document (svf-report.json) embedded in a received file."""
    entry_id = entry.id if isinstance(entry, InboxEntry) else entry
    with ctx.uow() as uow:
        rec = uow.inbox.get(entry_id) if entry_id is not None else None
    if rec is None:
        raise UserError(f"Det finns ingen inkommen fil med id {entry_id}.")
    if not rec.document_json:
        raise UserError(f"{rec.file_name} innehåller ingen läsbar redovisning.")
    return json.loads(rec.document_json)


def entry_report(ctx: AppContext, entry: int | InboxEntry) -> tuple[Report, Template]:
    """The received report as a domain Report (from its embedded document)."""
    from desktop_app.domain.document import from_document

    doc = entry_document(ctx, entry)
    tpl = load_template(doc["template"])
    return from_document(doc, tpl), tpl


def entry_file(ctx: AppContext, entry: int | InboxEntry) -> bytes:
    """The received PDF exactly as it came (e.g. to open it or to pass it on)."""
    entry_id = entry.id if isinstance(entry, InboxEntry) else entry
    with ctx.uow() as uow:
        rec = uow.inbox.get(entry_id) if entry_id is not None else None
        data = uow.inbox.file_data(rec.sha256) if rec is not None else None
    if data is None:
        raise UserError(f"Det finns ingen inkommen fil med id {entry_id}.")
    return data


def diff_versions(
    ctx: AppContext, entry_a: int | InboxEntry, entry_b: int | InboxEntry
) -> list[Difference]:
    """What changed from the report in ``entry_a`` (old) to the one in ``entry_b`` (new): each
    figure cell, answer text, PREM, contact and financial field, old → new."""
    old = entry_document(ctx, entry_a)
    new = entry_document(ctx, entry_b)
    tpl = load_template(new.get("template") or old["template"])
    return diff_documents(old, new, tpl)
