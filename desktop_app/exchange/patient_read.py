"""Read a patient-level SVF list (.xlsx with python-calamine, or .csv) through a column
mapping, a block of PROGRESS_EVERY rows at a time (issue 16).

Each block's mapped columns go to ``domain.patients.RowReader.read_block`` at once, which
replaces the identity numbers by their keyed hash; a clear number is never kept past its block.
Rows that cannot be read are listed with their row number and a reason that never quotes the
identity number. Bounded: the file size and the number of rows are limited by the template's
settings."""

from __future__ import annotations

import codecs
import contextlib
import csv
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import UserError
from desktop_app.domain.patients import (
    FIELD_LABELS,
    FIELDS,
    ColumnMapping,
    PathwayColumns,
    RejectedRow,
    RowReader,
    cell_text,
    gc_paused,
    looks_like_identity_number,
)

# progress(done_rows, total_rows_or_0); may raise to cancel.
Progress = Callable[[int, int], None]
PROGRESS_EVERY = 1000  # rows a block; progress (and so cancel) after each


class PatientFileError(UserError):
    """The list cannot be read at all (Swedish message naming the file and what is wrong)."""


@dataclass
class PatientRows:
    """What a file gave: pathways read, rows rejected, the header and the rows seen."""

    pathways: PathwayColumns
    rejected: list[RejectedRow]
    headers: list[str]
    rows: int


def read_headers(path: Path, max_mb: int) -> list[str]:
    """The column headers of a list (its first non-empty row), for the mapping dialog."""
    rows = _rows(path, max_mb)
    try:
        for _, values in rows:
            return [_cell_text(v) for v in values]
    finally:
        with contextlib.suppress(Exception):
            rows.close()  # type: ignore[attr-defined]
    raise PatientFileError(f"Filen {path.name} är tom.")


def distinct_values(
    path: Path, header: str, max_mb: int, limit: int
) -> tuple[list[str], int, bool]:
    """The distinct values of the column ``header`` (for picking its codes in the mapping
    dialog): (values as the reader reads them, up to ``limit``, in order of first occurrence;
    how many values were left out because they look like an identity number; whether there were
    more than ``limit``). An identity number is never returned."""
    rows = _rows(path, max_mb)
    seen: dict[str, None] = {}
    hidden: set[str] = set()
    try:
        index: int | None = None
        for _, values in rows:
            if index is None:
                names = [_cell_text(v).casefold() for v in values]
                if header.strip().casefold() not in names:
                    raise PatientFileError(f"Filen {path.name} saknar kolumnen '{header}'.")
                index = names.index(header.strip().casefold())
                continue
            cell = values[index] if index < len(values) else None
            text = cell_text(cell)
            if not text or text in seen or text in hidden:
                continue
            if looks_like_identity_number(text):
                hidden.add(text)
                continue
            if len(seen) >= limit:
                return list(seen), len(hidden), True
            seen[text] = None
    finally:
        with contextlib.suppress(Exception):
            rows.close()
    return list(seen), len(hidden), False


def read_patient_list(
    path: Path,
    mapping: ColumnMapping,
    reader: RowReader,
    max_rows: int,
    max_mb: int,
    progress: Progress | None = None,
) -> PatientRows:
    """Read every data row of ``path`` with ``mapping`` through ``reader``, a block of
    PROGRESS_EVERY rows at a time (progress, and so cancel, after each block)."""
    with gc_paused():
        return _read_patient_list(path, mapping, reader, max_rows, max_mb, progress)


def _read_patient_list(
    path: Path,
    mapping: ColumnMapping,
    reader: RowReader,
    max_rows: int,
    max_mb: int,
    progress: Progress | None,
) -> PatientRows:
    rows = _rows(path, max_mb)
    headers: list[str] | None = None
    pathways = PathwayColumns()
    rejected: list[RejectedRow] = []
    count = 0
    total = 0
    try:
        for number, values in rows:  # the header: the first non-empty row
            headers = [_cell_text(v) for v in values]
            start = number
            break
        if headers is None:
            raise PatientFileError(f"Filen {path.name} är tom.")
        index = _column_index(path, headers, mapping)
        total = rows.total
        # Unmapped optional fields read the column just after the last (always empty).
        positions = [index.get(f, len(headers)) for f in FIELDS]
        getters = [itemgetter(i) for i in positions]
        for numbers, block in _blocks(rows.raw, start, max(positions) + 1):
            count += len(numbers)
            if count > max_rows:
                raise PatientFileError(
                    f"Filen {path.name} har fler än {max_rows} rader; dela upp listan."
                )
            columns = [list(map(get, block)) for get in getters]
            got, bad = reader.read_block(numbers, columns)
            pathways.extend(got.columns())
            rejected.extend(bad)
            if progress is not None:
                progress(count, total)
    finally:
        with contextlib.suppress(Exception):
            rows.close()
    if progress is not None and count == 0:
        progress(count, total)
    return PatientRows(pathways, rejected, headers, count)


def _blocks(
    raw: Iterator[list[Any]], after: int, need: int
) -> Iterator[tuple[list[int], list[list[Any]]]]:
    """(row numbers, rows) of PROGRESS_EVERY rows at a time from the rows after row ``after``:
    empty rows left out, short rows filled up to ``need`` values with None."""
    number = after
    while block := list(islice(raw, PROGRESS_EVERY)):
        numbers = list(range(number + 1, number + 1 + len(block)))
        number += len(block)
        if not all(map(any, block)):  # some row may be empty (any() is a quick first look)
            kept = [(n, v) for n, v in zip(numbers, block, strict=True) if not _empty(v)]
            numbers, block = [n for n, _ in kept], [v for _, v in kept]
        if block and min(map(len, block)) < need:
            block = [v if len(v) >= need else list(v) + [None] * (need - len(v)) for v in block]
        if block:
            yield numbers, block


def _empty(values: Sequence[Any]) -> bool:
    return all(v is None or v == "" for v in values)


def _column_index(path: Path, headers: list[str], mapping: ColumnMapping) -> dict[str, int]:
    by_header = {h.strip().casefold(): i for i, h in enumerate(headers) if h.strip()}
    index: dict[str, int] = {}
    missing: list[str] = []
    for f, header in mapping.columns.items():
        i = by_header.get(header.strip().casefold())
        if i is None:
            missing.append(f"'{header}' ({FIELD_LABELS.get(f, f)})")
        else:
            index[f] = i
    if missing:
        raise PatientFileError(
            f"Filen {path.name} saknar kolumnerna {', '.join(missing)}. Kolumnerna i filen: "
            f"{', '.join(h for h in headers if h) or '(inga)'}."
        )
    return index


def _cell_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _check_size(path: Path, max_mb: int) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise PatientFileError(f"Filen {path} finns inte.") from None
    except OSError as exc:
        raise PatientFileError(f"Filen {path} kan inte läsas ({exc.strerror}).") from None
    if size > max_mb * 1024 * 1024:
        raise PatientFileError(
            f"Filen {path.name} är större än {max_mb} MB och läses inte. Dela upp listan."
        )


def _rows(path: Path, max_mb: int) -> _XlsxRows | _CsvRows:
    """(row number, values) of every non-empty row of the first sheet or the CSV file."""
    _check_size(path, max_mb)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _XlsxRows(path)
    if suffix in (".csv", ".txt"):
        return _CsvRows(path)
    raise PatientFileError(
        f"Filen {path.name} har en filtyp som inte kan läsas; använd .xlsx eller .csv."
    )


class _XlsxRows:
    """The rows of the first sheet, streamed with calamine's iter_rows."""

    def __init__(self, path: Path) -> None:
        from python_calamine import CalamineWorkbook

        self.path = path
        try:
            self.wb = CalamineWorkbook.from_path(str(path))
            sheet = self.wb.get_sheet_by_index(0)
            self.total = max(0, (sheet.height or 1) - 1)
            self.it = iter(sheet.iter_rows())
        except BaseException as exc:  # calamine raises its own errors and pyo3 panics
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            raise PatientFileError(
                f"Filen {path.name} är inte en giltig Excelfil – den kan vara skadad, "
                "lösenordsskyddad eller ha fel filändelse."
            ) from None
        self.number = 0

    def __iter__(self) -> _XlsxRows:
        return self

    def __next__(self) -> tuple[int, list[Any]]:
        while True:
            try:
                values = next(self.it)
            except StopIteration:
                self.close()
                raise
            except BaseException as exc:
                if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                    raise
                raise PatientFileError(
                    f"Filen {self.path.name} kan inte läsas efter rad {self.number} – den kan "
                    "vara skadad."
                ) from None
            self.number += 1
            if not _empty(values):
                return self.number, values

    @property
    def raw(self) -> Iterator[list[Any]]:
        """The rows after the ones read so far, empty ones included (numbered on from
        ``number``)."""
        for values in self._guarded():
            self.number += 1
            yield values

    def _guarded(self) -> Iterator[list[Any]]:
        while True:
            try:
                values = next(self.it)
            except StopIteration:
                return
            except BaseException as exc:
                if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                    raise
                raise PatientFileError(
                    f"Filen {self.path.name} kan inte läsas efter rad {self.number} – den kan "
                    "vara skadad."
                ) from None
            yield values

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.wb.close()


def _encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) if the file decodes as such, else Windows-1252 (what
    Swedish Excel writes as 'CSV')."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


class _CsvRows:
    """The rows of a CSV file (UTF-8 or Windows-1252; ';', ',' or tab, whichever the first
    line has most of)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        encoding = _encoding(path)
        try:
            self.fh = path.open(encoding=encoding, newline="")
            first = self.fh.readline()
            self.fh.seek(0)
        except OSError as exc:
            raise PatientFileError(f"Filen {path.name} kan inte läsas ({exc.strerror}).") from None
        counts = {d: first.count(d) for d in ";,\t"}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ";"
        self.it = csv.reader(self.fh, delimiter=delimiter)
        self.number = 0
        self.total = 0  # not known before reading

    def __iter__(self) -> _CsvRows:
        return self

    def __next__(self) -> tuple[int, list[Any]]:
        for values in self.raw:
            if any(values):
                return self.number, values
        self.close()
        raise StopIteration

    @property
    def raw(self) -> Iterator[list[Any]]:
        """The rows after the ones read so far, empty ones included."""
        try:
            for values in self.it:
                self.number += 1
                yield values
        except OSError as exc:
            raise PatientFileError(
                f"Filen {self.path.name} kan inte läsas ({exc.strerror})."
            ) from None
        except csv.Error as exc:
            raise PatientFileError(
                f"Filen {self.path.name} är ingen läsbar CSV-fil ({exc})."
            ) from None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.fh.close()
