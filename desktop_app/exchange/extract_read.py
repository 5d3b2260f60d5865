"""Read the RCC's national extract (issue 15, point 1): the import workbook's SVF table (or a
CSV of it) with a ``region`` column, one row per region and SVF, for every region at once.

The reader is the import reader's (excel_read), with the same bounds on the input
(exchange.limits) and the same problems named by sheet, row and column; only a row's region
comes from its ``region`` column instead of the report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop_app.domain.figures import Cell, Number
from desktop_app.domain.reference import load_reference, normalize_region_code
from desktop_app.domain.template import Svf, Template
from desktop_app.exchange.excel_layout import (
    ImportFileError,
    ImportProblem,
    column_letter,
    key_of,
)
from desktop_app.exchange.excel_read import _Column, _Reader, _Table


class _ExtractReader(_Reader):
    def __init__(self, path: Path, tpl: Template) -> None:
        super().__init__(path, tpl, "")
        self.by_region: dict[str, dict[Cell, Number]] = {}
        self.row_region: str | None = None
        self.codes = {r.code for r in load_reference().regions}

    def _read_info(self, sheet: str, rows: list[list[Any]]) -> None:
        """An extract's Info sheet (if any) names no one region: not read."""

    def _read_table(self, sheet: str | None, rows: list[list[Any]]) -> None:
        h = self._find_header(rows)
        if h is not None:
            keys = {key_of(v) for v in rows[h]}
            if "region" not in keys:
                self.problems.add(
                    self.ref(sheet, h + 1, None, "region"),
                    f"Rad {h + 1} saknar kolumnen region. Ett nationellt uttag har en rad per "
                    "region och SVF, med regionens länskod i kolumnen region.",
                )
                return
        super()._read_table(sheet, rows)

    def _note_region_and_year(self, t: _Table, row: list[Any], r: int) -> None:
        self.row_region = None
        raw = row[t.region_col] if t.region_col is not None else None
        code = normalize_region_code(
            int(raw) if isinstance(raw, float) and raw.is_integer() else (raw or "")
        )
        if code not in self.codes:
            col = t.region_col if t.region_col is not None else 0
            self.problems.add(
                self.ref(t.sheet, r, col, "region"),
                f"Kolumn {column_letter(col)} ska innehålla regionens länskod (01–25), inte "
                f"{raw!r}."
                if raw not in (None, "")
                else "Regionens länskod saknas.",
            )
        else:
            self.row_region = code
        region_col, t.region_col = t.region_col, None  # the year is checked as for an import
        try:
            super()._note_region_and_year(t, row, r)
        finally:
            t.region_col = region_col

    def _row_svf(self, t: _Table, svf: Svf | None, svf_id: str, raw_id: Any, r: int) -> Svf | None:
        # An SVF once per region: the rows already read are per region.
        key = f"{self.row_region}/{svf_id}"
        seen, t.seen = t.seen, {k.partition("/")[2]: v for k, v in t.seen.items()
                                if k.startswith(f"{self.row_region}/")}  # fmt: skip
        found = super()._row_svf(t, svf, svf_id, raw_id, r)
        t.seen = seen
        if found is not None:
            t.seen[key] = r
        return found

    def _read_value(self, t: _Table, svf: Svf | None, c: _Column, raw: Any, r: int) -> None:
        super()._read_value(t, svf, c, raw, r)
        cell = (svf.id, c.measure, c.sex) if svf is not None else None
        if cell is not None and cell in self.figures:
            value = self.figures.pop(cell)
            self.locations.pop(cell, None)
            if self.row_region is not None:
                self.by_region.setdefault(self.row_region, {})[cell] = value


def read_extract(path: Path, tpl: Template) -> dict[str, dict[Cell, Number]]:
    """Every region's values of the national extract; raises ImportFileError listing every
    problem (sheet, row, column), so that nothing is made from a file with one."""
    reader = _ExtractReader(Path(path), tpl)
    try:
        reader.read()
    except ImportFileError:
        raise
    except Exception as exc:  # a bug or an unforeseen file; still a message, never a traceback
        raise ImportFileError(
            reader.file,
            [ImportProblem(None, f"Filen kunde inte läsas på grund av ett oväntat fel ({exc!r}).")],
        ) from exc
    if not reader.by_region:
        raise ImportFileError(reader.file, [ImportProblem(None, "Uttaget innehåller inga värden.")])
    return reader.by_region
