"""Use cases on a report's hash-chained history (issue 15, point 4): read it (the whole
report, one cell, one question; filtered), verify every chain, and record what happens to a
report outside its values (an export, an RCC's kvittens).

Edits record themselves: the report repository chains a row for every value it changes (see
storage.history_repository); a use case only names the kind and source of its writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from desktop_app.domain.errors import UserError
from desktop_app.domain.figures import Cell, cell_key
from desktop_app.domain.history import (
    ChainBreak,
    Change,
    HistoryEntry,
    path_label,
    value_texts,
    verify_chain,
)
from desktop_app.domain.template import load_template
from desktop_app.domain.vocabulary import HistoryKind, ReceiptKind, ValueSource, label
from desktop_app.services.bootstrap import AppContext
from desktop_app.services.reports import _load


@dataclass(frozen=True)
class HistoryLine:
    """One row of the history as it is shown: the stored values and their Swedish words."""

    seq: int
    at: datetime
    who: str
    kind: str
    kind_label: str
    path: str
    what: str
    old: Any
    new: Any
    old_text: str
    new_text: str
    source: str | None
    source_label: str
    reason: str | None
    note: str
    hash: str
    prev_hash: str

    def to_dict(self) -> dict[str, Any]:
        """The row for ``history --json``: every hashed field, so the chain can be checked
        from this output alone (see domain.history.canonical), plus the Swedish words."""
        return {
            "seq": self.seq,
            "at": self.at.isoformat(timespec="seconds"),
            "who": self.who,
            "kind": self.kind,
            "kind_label": self.kind_label,
            "path": self.path,
            "what": self.what,
            "old": self.old,
            "new": self.new,
            "old_text": self.old_text,
            "new_text": self.new_text,
            "source": self.source,
            "source_label": self.source_label if self.source else None,
            "reason": self.reason,
            "note": self.note,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }

    def matches(self, text: str) -> bool:
        """Whether ``text`` (any case) occurs in what is shown of the row."""
        needle = text.strip().lower()
        hay = " ".join(
            (self.who, self.kind_label, self.what, self.old_text, self.new_text,
             self.source_label, self.reason or "", self.note)
        )  # fmt: skip
        return needle in hay.lower()


def _line(e: HistoryEntry, tpl: Any) -> HistoryLine:
    old_text, new_text = value_texts(e.path, e.old, e.new)
    return HistoryLine(
        seq=e.seq,
        at=e.at,
        who=e.who,
        kind=e.kind,
        kind_label=label(e.kind, HistoryKind),
        path=e.path,
        what=path_label(e.path, tpl),
        old=e.old,
        new=e.new,
        old_text=old_text,
        new_text=new_text,
        source=e.source,
        source_label=label(e.source, ValueSource) if e.source else "–",
        reason=e.reason,
        note=e.note,
        hash=e.hash,
        prev_hash=e.prev_hash,
    )


def cell_path(cell: Cell) -> str:
    """The history path of a figure cell (svf, measure, sex)."""
    svf, measure, sex = cell
    return f"figures/{svf}/{cell_key(measure, sex)}"


def question_path(question_id: str) -> str:
    return f"answers/{question_id}"


def report_history(
    ctx: AppContext,
    report_id: int,
    kind: HistoryKind | None = None,
    path: str | None = None,
    text: str = "",
) -> list[HistoryLine]:
    """The report's history, oldest first; only rows of ``kind``, at ``path`` (a path and
    the paths under it) and containing ``text`` when given."""
    with ctx.uow() as uow:
        report = _load(uow, report_id)
        entries = uow.history.entries(report_id)
    tpl = load_template(report.template_id)
    lines = [_line(e, tpl) for e in entries]
    if kind is not None:
        lines = [x for x in lines if x.kind == kind]
    if path:
        lines = [x for x in lines if x.path == path or x.path.startswith(path + "/")]
    if text.strip():
        lines = [x for x in lines if x.matches(text)]
    return lines


def cell_history(ctx: AppContext, report_id: int, cell: Cell) -> list[HistoryLine]:
    """Every change of one figure cell, oldest first."""
    return report_history(ctx, report_id, path=cell_path(cell))


def question_history(ctx: AppContext, report_id: int, question_id: str) -> list[HistoryLine]:
    """Every change of the answer to one question, oldest first."""
    return report_history(ctx, report_id, path=question_path(question_id))


def document_head(uow: Any, report_id: int) -> tuple[int, str] | None:
    """The (row number, hash) the report's document carries (see domain.history)."""
    head: tuple[int, str] | None = uow.history.document_head(report_id)
    return head


@dataclass(frozen=True)
class HistoryCheck:
    """What ``check_history`` found: how much it checked and each report's first break."""

    reports: int
    entries: int
    breaks: list[ChainBreak]

    @property
    def ok(self) -> bool:
        return not self.breaks


def check_history(ctx: AppContext, report_id: int | None = None) -> HistoryCheck:
    """Verify the chain of every report (or of one): each row against its hash, each link,
    and the stored head; names the first broken row of each report."""
    breaks: list[ChainBreak] = []
    count = 0
    with ctx.uow() as uow:
        ids = [report_id] if report_id is not None else uow.history.report_ids()
        for rid in ids:
            entries = uow.history.entries(rid)
            count += len(entries)
            found = verify_chain(rid, entries, uow.history.head(rid))
            if found is None and not entries:
                found = ChainBreak(rid, None, None, "historiken saknas helt")
            if found is not None:
                breaks.append(found)
    return HistoryCheck(len(ids), count, breaks)


# ------------------------------------------------------------ what happens to a report


def record_export(uow: Any, report_id: int, document_sha256: str, file_name: str) -> None:
    """An export of the report's document (its SHA-256 and the file's name), in ``uow``."""
    uow.history.append(
        report_id, HistoryKind.EXPORT, [Change("document", None, document_sha256)], note=file_name
    )


def record_receipt(
    uow: Any,
    report_id: int,
    kind: ReceiptKind,
    line: str,
    reason: str | None = None,
    previous: ReceiptKind | None = None,
) -> None:
    """An RCC's kvittens imported for the report, in ``uow`` (the caller commits): its kind
    (received, or returned for completion with the RCC's ``reason``) after the previous one,
    and the line the report shows of it."""
    uow.history.append(
        report_id,
        HistoryKind.RECEIPT,
        [Change("receipt", str(previous) if previous else None, str(kind))],
        reason=reason,
        note=line,
    )


def path_title(tpl: Any, path: str) -> str:
    """Where a history path is, in Swedish (``Lungcancer, kvinnor: Inkluderade``)."""
    return path_label(path, tpl)


def kinds() -> list[tuple[HistoryKind, str]]:
    """Every kind of history row with its label, for a filter."""
    return [(k, label(k)) for k in HistoryKind]


@dataclass(frozen=True)
class DocumentHeadCheck:
    """Whether the history head a report document carries is a row of this database's chain."""

    report_id: int | None
    head: tuple[int, str] | None
    problem: str | None  # Swedish; None: the row is there with that hash

    @property
    def ok(self) -> bool:
        return self.problem is None


def check_document_head(ctx: AppContext, doc: dict[str, Any]) -> DocumentHeadCheck:
    """Find the report a document belongs to (region and template) and check that its chain
    holds the document's head: the row numbered ``history.entries`` with hash ``history.head``.
    A chain rewritten after the document was exported (rows replaced, the head table edited to
    match) is found this way even when it is consistent in itself."""
    from desktop_app.domain.document import history_head

    head = history_head(doc)
    if head is None:
        return DocumentHeadCheck(None, None, "dokumentet bär inget huvud för historiken")
    with ctx.uow() as uow:
        report_id = uow.reports.find(str(doc.get("region")), str(doc.get("template")))
        if report_id is None:
            return DocumentHeadCheck(None, head, "redovisningen finns inte i databasen")
        rows = {e.seq: e for e in uow.history.entries(report_id)}
    row = rows.get(head[0])
    if row is None:
        return DocumentHeadCheck(report_id, head, f"rad {head[0]} finns inte i historiken")
    if row.hash != head[1]:
        return DocumentHeadCheck(
            report_id, head,
            f"rad {head[0]} har en annan kontrollsumma än den dokumentet bär (historiken har "
            "skrivits om efter exporten)",
        )  # fmt: skip
    return DocumentHeadCheck(report_id, head, None)


def check_file_head(ctx: AppContext, path: Any) -> DocumentHeadCheck:
    """``check_document_head`` for an exported or signed PDF, or a dumped JSON document."""
    import json
    from pathlib import Path

    from desktop_app.domain.errors import DocumentError
    from desktop_app.services.pdf_files import embedded_report, read_pdf

    path = Path(path)
    try:
        if path.suffix.lower() == ".pdf":
            data = embedded_report(read_pdf(path))
        else:
            data = path.read_bytes()
        doc = json.loads(data.decode("utf-8"))
    except OSError as exc:
        raise UserError(f"Filen {path} kan inte läsas: {exc.strerror}.") from None
    except (UnicodeDecodeError, ValueError):
        raise DocumentError(f"{path.name} är inget rapportdokument (inte giltig JSON).") from None
    if not isinstance(doc, dict):
        raise DocumentError(f"{path.name} är inget rapportdokument från SVF-redovisning.")
    return check_document_head(ctx, doc)
