"""Repository of the round's receipts (schema revision 0005_receipts): the hashes of the report
documents a region exported, and the kvittenser it imported from its RCC. Used through the
unit of work's session (``ReceiptRepository(uow.session)``)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from desktop_app.storage.tables import ExportedDocumentRow, ReceiptRow


@dataclass(frozen=True)
class ReceiptRecord:
    """One imported kvittens as stored (without the file's bytes)."""

    id: int | None
    report_id: int
    kind: str
    rcc_name: str
    report_version: int
    document_sha256: str
    inbox_status: str | None
    reason: str | None
    received_on: date | None
    issued_on: date | None
    signer_name: str
    trusted: bool
    file_sha256: str
    imported_at: datetime
    remarks: list[str] = field(default_factory=list)


def _record(row: ReceiptRow) -> ReceiptRecord:
    return ReceiptRecord(
        id=row.id,
        report_id=row.report_id,
        kind=row.kind,
        rcc_name=row.rcc_name,
        report_version=row.report_version,
        document_sha256=row.document_sha256,
        inbox_status=row.inbox_status,
        reason=row.reason,
        received_on=row.received_on,
        issued_on=row.issued_on,
        signer_name=row.signer_name,
        trusted=row.trusted,
        file_sha256=row.file_sha256,
        imported_at=row.imported_at,
        remarks=list(json.loads(row.remarks_json or "[]")),
    )


class ReceiptRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def note_export(self, report_id: int, sha256: str, version: int, at: datetime) -> None:
        """Remember that the document with ``sha256`` left this database (once per hash)."""
        found = self.session.exec(
            select(ExportedDocumentRow).where(
                ExportedDocumentRow.report_id == report_id, ExportedDocumentRow.sha256 == sha256
            )
        ).first()
        if found is None:
            self.session.add(
                ExportedDocumentRow(
                    report_id=report_id, sha256=sha256, version=version, exported_at=at
                )
            )

    def exported(self, sha256: str) -> list[tuple[int, int]]:
        """(report id, version) of every report that exported the document ``sha256``."""
        rows = self.session.exec(
            select(ExportedDocumentRow).where(ExportedDocumentRow.sha256 == sha256)
        ).all()
        return [(r.report_id, r.version) for r in rows]

    def add(self, row: ReceiptRow) -> int:
        self.session.add(row)
        self.session.flush()
        assert row.id is not None
        return row.id

    def find_file(self, report_id: int, file_sha256: str) -> ReceiptRecord | None:
        row = self.session.exec(
            select(ReceiptRow).where(
                ReceiptRow.report_id == report_id, ReceiptRow.file_sha256 == file_sha256
            )
        ).first()
        return _record(row) if row else None

    def of_report(self, report_id: int) -> list[ReceiptRecord]:
        """The report's kvittenser, the newest imported last."""
        rows = self.session.exec(
            select(ReceiptRow)
            .where(ReceiptRow.report_id == report_id)
            .order_by(col(ReceiptRow.imported_at), col(ReceiptRow.id))
        ).all()
        return [_record(r) for r in rows]
