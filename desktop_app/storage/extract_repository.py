"""The RCC's own copies of the national extracts it split (schema 0011_rcc_extracts)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import insert
from sqlmodel import Session, select

from desktop_app.domain.figures import Cell, Number
from desktop_app.domain.provenance import Extract
from desktop_app.storage.tables import RccExtractRow, RccExtractValueRow


@dataclass(frozen=True)
class StoredExtract:
    id: int
    extract: Extract
    year: int
    file: str


class ExtractRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        extract: Extract,
        year: int,
        file: str,
        values: Mapping[str, Mapping[Cell, Number]],
    ) -> StoredExtract:
        """Keep ``values`` (region → cell → value) as the extract; the same extract (RCC,
        year and hash) split again is kept once."""
        found = self.by_sha(extract.rcc, year, extract.sha256)
        if found is not None:
            return found
        row = RccExtractRow(
            rcc=extract.rcc,
            year=year,
            on=extract.on,
            sha256=extract.sha256,
            file=file,
            stored_at=datetime.now().replace(microsecond=0),
        )
        self.session.add(row)
        self.session.flush()
        assert row.id is not None
        rows = [
            {"extract_id": row.id, "region": code, "svf_id": s, "measure": m, "sex": x, "value": v}
            for code, cells in values.items()
            for (s, m, x), v in cells.items()
        ]
        if rows:
            self.session.execute(insert(RccExtractValueRow.__table__), rows)  # type: ignore[attr-defined]
        return _stored(row)

    def by_sha(self, rcc: str | None, year: int, sha256: str) -> StoredExtract | None:
        """The stored extract with this hash (of ``rcc`` when given)."""
        stmt = select(RccExtractRow).where(
            RccExtractRow.year == year, RccExtractRow.sha256 == sha256
        )
        if rcc is not None:
            stmt = stmt.where(RccExtractRow.rcc == rcc)
        row = self.session.exec(stmt).first()
        return _stored(row) if row is not None else None

    def latest_for(self, region: str, year: int) -> StoredExtract | None:
        """The newest stored extract of ``year`` (by its date, then when it was stored) that
        has values for ``region``."""
        has_values = select(RccExtractValueRow.extract_id).where(
            RccExtractValueRow.region == region
        )
        row = self.session.exec(
            select(RccExtractRow)
            .where(RccExtractRow.year == year, RccExtractRow.id.in_(has_values))  # type: ignore[union-attr]
            .order_by(RccExtractRow.on.desc(), RccExtractRow.stored_at.desc())  # type: ignore[attr-defined]
        ).first()
        return _stored(row) if row is not None else None

    def any_for_year(self, year: int) -> bool:
        return (
            self.session.exec(select(RccExtractRow.id).where(RccExtractRow.year == year)).first()
            is not None
        )

    def values(self, extract_id: int, region: str) -> dict[Cell, Number]:
        from desktop_app.storage.views import stored_value

        rows = self.session.exec(
            select(
                RccExtractValueRow.svf_id,
                RccExtractValueRow.measure,
                RccExtractValueRow.sex,
                RccExtractValueRow.value,
            ).where(
                RccExtractValueRow.extract_id == extract_id, RccExtractValueRow.region == region
            )
        )
        return {(s, m, x): stored_value(m, v) for s, m, x, v in rows}


def _stored(r: RccExtractRow) -> StoredExtract:
    assert r.id is not None
    on: date = r.on
    return StoredExtract(r.id, Extract(on, r.sha256, r.rcc), r.year, r.file)
