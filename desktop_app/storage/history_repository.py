"""The hash-chained history of each report (schema 0008_history_chain; see domain.history).

The report repository records a row for every value its write methods change; a use case says
what kind of change it is and where the values came from with ``set_context`` (an import, a
load, an unlock …), else a write is an edit typed by the user. Appending takes the database's
write lock before it reads the chain's head, so two programs writing the same report never
chain two rows to the same predecessor."""

from __future__ import annotations

import getpass
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, text
from sqlmodel import Session, select

from desktop_app.domain.history import DOCUMENT_NEUTRAL, GENESIS_PREV, Change, HistoryEntry, chain
from desktop_app.domain.identity import mask as mask_identity
from desktop_app.domain.vocabulary import HistoryKind, ValueSource
from desktop_app.storage.tables import HistoryHeadRow, HistoryRow


def os_user() -> str:
    """The operating system user, who is named on each row."""
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment: still record the change
        return "okänd användare"


@dataclass
class HistoryContext:
    """What the current unit of work's writes are: their kind, the values' source, a note (a
    file's name) and the user's reason."""

    kind: HistoryKind | None = None
    source: ValueSource | None = None
    note: str = ""
    reason: str | None = None


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class HistoryRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.context = HistoryContext()

    def set_context(
        self,
        kind: HistoryKind | None = None,
        source: ValueSource | None = None,
        note: str = "",
        reason: str | None = None,
    ) -> None:
        """Name the kind and source of the writes that follow in this unit of work."""
        self.context = HistoryContext(kind, source, note, reason)

    def lock(self, report_id: int) -> None:
        """Take the write lock (a no-op UPDATE) and forget rows read before it, so the old
        values and the head read next are the committed ones."""
        self.session.flush()
        self.session.execute(
            text("UPDATE history_head SET seq = seq WHERE report_id = :id"), {"id": report_id}
        )
        self.session.expire_all()

    def changed(
        self, report_id: int, kind: HistoryKind, changes: Sequence[Change], value: bool = True
    ) -> None:
        """Rows for values a write method changed: of the context's kind (else ``kind``) and
        source (else typed, for a value; none for the report's state)."""
        ctx = self.context
        kind = ctx.kind or kind
        typed = value and kind != HistoryKind.CREATED  # a new report's defaults were not typed
        source = ctx.source or (ValueSource.TYPED if typed else None)
        self.append(report_id, kind, changes, source, ctx.reason, ctx.note)

    def append(
        self,
        report_id: int,
        kind: HistoryKind,
        changes: Sequence[Change],
        source: ValueSource | None = None,
        reason: str | None = None,
        note: str = "",
    ) -> list[HistoryEntry]:
        """Chain rows for ``changes`` after the report's head; nothing for no changes."""
        if not changes:
            return []
        self.lock(report_id)
        head = self.session.get(HistoryHeadRow, report_id)
        prev_seq, prev_hash = (head.seq, head.hash) if head else (0, GENESIS_PREV)
        entries = chain(
            report_id, prev_seq, prev_hash, datetime.now(), os_user(), kind, changes,
            str(source) if source else None, reason, mask_identity(note),
        )  # fmt: skip
        self.session.execute(
            insert(HistoryRow.__table__),  # type: ignore[attr-defined]
            [
                {
                    "report_id": e.report_id, "seq": e.seq, "at": e.at, "who": e.who,
                    "kind": e.kind, "path": e.path, "old_json": _json(e.old),
                    "new_json": _json(e.new), "source": e.source, "reason": e.reason,
                    "note": e.note, "prev_hash": e.prev_hash, "hash": e.hash,
                }
                for e in entries
            ],
        )  # fmt: skip
        last = entries[-1]
        if head is None:
            self.session.add(HistoryHeadRow(report_id=report_id, seq=last.seq, hash=last.hash))
        else:
            head.seq, head.hash = last.seq, last.hash
        self.session.flush()
        return entries

    # ------------------------------------------------------------ reading
    def entries(self, report_id: int) -> list[HistoryEntry]:
        """The report's rows in chain order (by number)."""
        rows = self.session.exec(
            select(HistoryRow).where(HistoryRow.report_id == report_id).order_by(HistoryRow.seq)  # type: ignore[arg-type]
        )
        return [_entry(r) for r in rows]

    def head(self, report_id: int) -> tuple[int, str] | None:
        row = self.session.get(HistoryHeadRow, report_id)
        return (row.seq, row.hash) if row else None

    def document_head(self, report_id: int) -> tuple[int, str] | None:
        """The newest row that changed the report (not an export or a receipt): the head the
        report's document carries."""
        row = self.session.exec(
            select(HistoryRow.seq, HistoryRow.hash)
            .where(
                HistoryRow.report_id == report_id,
                HistoryRow.kind.not_in([str(k) for k in DOCUMENT_NEUTRAL]),  # type: ignore[attr-defined]
            )
            .order_by(HistoryRow.seq.desc())  # type: ignore[attr-defined]
        ).first()
        return (row[0], row[1]) if row else None

    def report_ids(self) -> list[int]:
        """Every report with a chain or a head, and every report (one without either is a
        chain that was removed)."""
        ids = set(self.session.exec(select(HistoryRow.report_id).distinct()).all())
        ids |= set(self.session.exec(select(HistoryHeadRow.report_id)).all())
        ids |= set(self.session.exec(text("SELECT id FROM report")).scalars().all())  # type: ignore[call-overload]
        return sorted(ids)


def _entry(r: HistoryRow) -> HistoryEntry:
    def load(s: str) -> Any:
        try:
            return json.loads(s)
        except ValueError:  # edited by hand into something that is not JSON: hash will differ
            return s

    return HistoryEntry(
        report_id=r.report_id,
        seq=r.seq,
        at=r.at,
        who=r.who,
        kind=r.kind,
        path=r.path,
        old=load(r.old_json),
        new=load(r.new_json),
        source=r.source,
        reason=r.reason,
        note=r.note,
        prev_hash=r.prev_hash,
        hash=r.hash,
    )
