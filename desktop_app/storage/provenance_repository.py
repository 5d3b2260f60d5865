"""Where each figure cell's value came from (schema 0009_provenance, see domain.provenance).

The report repository's ``set_figures`` records the source of every cell it writes, from the
unit of work's provenance context (``set_source``): typed unless a use case names an import, a
patient list or the RCC's extract."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import and_, delete, or_
from sqlmodel import Session, select

from desktop_app.domain.figures import Cell, Number
from desktop_app.domain.provenance import Extract, Provenance, SourceContext
from desktop_app.domain.vocabulary import ValueSource
from desktop_app.storage.tables import FigureSourceRow

FEW_CELLS = 50  # up to this many cells are read by name, more by reading the report's rows


class ProvenanceRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.context = SourceContext()

    def set_source(self, context: SourceContext) -> None:
        """Name the source of the figure writes that follow in this unit of work."""
        self.context = context

    def of(self, report_id: int, cells: Iterable[Cell] | None = None) -> dict[Cell, Provenance]:
        """Every cell of the report with a known source (or those of ``cells``)."""
        return {c: _provenance(r) for c, r in self._rows(report_id, cells).items()}

    def _rows(self, report_id: int, cells: Iterable[Cell] | None = None) -> dict[Cell, Any]:
        """The stored rows, of ``cells`` only when they are few (one edit reads one row)."""
        stmt = select(FigureSourceRow).where(FigureSourceRow.report_id == report_id)
        wanted = set(cells) if cells is not None else None
        if wanted is not None and len(wanted) <= FEW_CELLS:
            t = FigureSourceRow
            stmt = stmt.where(
                or_(*(and_(t.svf_id == s, t.measure == m, t.sex == x) for s, m, x in wanted))  # type: ignore[arg-type]
            )
        rows = {(r.svf_id, r.measure, r.sex): r for r in self.session.exec(stmt)}
        return rows if wanted is None else {c: r for c, r in rows.items() if c in wanted}

    def written(
        self,
        report_id: int,
        values: Mapping[Cell, Number | None],
        fallback: ValueSource | None = None,
    ) -> None:
        """Record the source of cells just written (None: cleared) from the context; without
        one named, ``fallback`` (the history context's) or typed."""
        ctx = self.context
        source = ctx.source or fallback or ValueSource.TYPED
        if not values:
            return
        rows = self._rows(report_id, values)
        before = {c: _provenance(r) for c, r in rows.items()}
        after: dict[Cell, Provenance | None] = {}
        for cell, v in values.items():
            old = before.get(cell)
            if source == ValueSource.RCC_EXTRACT and ctx.extract is not None:
                after[cell] = (
                    Provenance(ValueSource.RCC_EXTRACT, extract=ctx.extract, extract_value=v)
                    if v is not None
                    else None
                )
            elif old is not None and old.extract is not None:
                after[cell] = old.after(v, source, ctx.file, ctx.sha256, ctx.reason)
            else:
                after[cell] = Provenance(source, ctx.file, ctx.sha256) if v is not None else None
        self._store(report_id, after, rows)

    def replace(self, report_id: int, sources: Mapping[Cell, Provenance]) -> None:
        """Every cell's source as ``sources`` says (a loaded document's), the others unknown."""
        self.session.exec(delete(FigureSourceRow).where(FigureSourceRow.report_id == report_id))  # type: ignore[arg-type]
        self._store(report_id, dict(sources), {})

    def _store(
        self, report_id: int, after: Mapping[Cell, Provenance | None], existing: dict[Cell, Any]
    ) -> None:
        """Write ``after`` (None: no known source) over the ``existing`` rows of those cells."""
        if not after:
            return
        for (s, m, x), p in after.items():
            row = existing.get((s, m, x))
            if p is None:
                if row is not None:
                    self.session.delete(row)
                continue
            if row is None:
                row = FigureSourceRow(
                    report_id=report_id, svf_id=s, measure=m, sex=x, source=str(p.source)
                )
                self.session.add(row)
            row.source = str(p.source)
            row.file, row.sha256, row.reason = p.file, p.sha256, p.reason
            row.extract_date = p.extract.on if p.extract else None
            row.extract_sha256 = p.extract.sha256 if p.extract else None
            row.extract_rcc = p.extract.rcc if p.extract else ""
            row.extract_value = p.extract_value
        self.session.flush()


def _provenance(r: FigureSourceRow) -> Provenance:
    from desktop_app.storage.views import stored_value

    extract = (
        Extract(r.extract_date, r.extract_sha256, r.extract_rcc)
        if r.extract_date is not None and r.extract_sha256
        else None
    )
    value = stored_value(r.measure, r.extract_value) if r.extract_value is not None else None
    return Provenance(ValueSource(r.source), r.file, r.sha256, extract, value, r.reason)
