"""Read a patient-level SVF list (.xlsx with python-calamine, or .csv) through a column
mapping, row by row (issue 16).

Each row's values go to ``domain.patients.RowReader`` at once, which replaces the identity
number by its keyed hash; the clear number is never kept past its row. Rows that cannot be
read are listed with their row number and a reason that never quotes the identity number.
Bounded: the file size and the number of rows are limited by the template's settings."""

from __future__ import annotations

import codecs
import contextlib
import csv
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import UserError
from desktop_app.domain.patients import (
    FIELD_LABELS,
    FIELDS,
    ColumnMapping,
    Pathway,
    RejectedRow,
    RowReader,
)

# progress(done_rows, total_rows_or_0); may raise to cancel.
Progress = Callable[[int, int], None]
PROGRESS_EVERY = 5000


class PatientFileError(UserError):
    """The list cannot be read at all (Swedish message naming the file and what is wrong)."""


@dataclass
class PatientRows:
    """What a file gave: pathways read, rows rejected, the header and the rows seen."""

    pathways: list[Pathway]
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


def read_patient_list(
    path: Path,
    mapping: ColumnMapping,
    reader: RowReader,
    max_rows: int,
    max_mb: int,
    progress: Progress | None = None,
) -> PatientRows:
    """Read every data row of ``path`` with ``mapping`` through ``reader``."""
    rows = _rows(path, max_mb)
    headers: list[str] | None = None
    index: dict[str, int] = {}
    pathways: list[Pathway] = []
    rejected: list[RejectedRow] = []
    count = 0
    total = 0
    read = reader.read
    get: Callable[[Sequence[Any]], Sequence[Any]] = list
    need = 0
    for number, values in rows:
        if headers is None:
            headers = [_cell_text(v) for v in values]
            index = _column_index(path, headers, mapping)
            total = getattr(rows, "total", 0)
            # Unmapped optional fields read the column just after the last (always empty).
            positions = [index.get(f, len(headers)) for f in FIELDS]
            need = max(positions) + 1
            get = itemgetter(*positions)
            continue
        count += 1
        if count > max_rows:
            raise PatientFileError(
                f"Filen {path.name} har fler än {max_rows} rader; dela upp listan."
            )
        if len(values) < need:
            values = list(values) + [None] * (need - len(values))
        result = read(number, get(values))
        if isinstance(result, RejectedRow):
            rejected.append(result)
        else:
            pathways.append(result)
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count, total)
    if headers is None:
        raise PatientFileError(f"Filen {path.name} är tom.")
    if progress is not None:
        progress(count, total)
    return PatientRows(pathways, rejected, headers, count)


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


def _rows(path: Path, max_mb: int) -> Iterator[tuple[int, list[Any]]]:
    """(row number, values) of every non-empty row of the first sheet or the CSV file."""
    _check_size(path, max_mb)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _XlsxRows(path)
    if suffix in (".csv", ".txt"):
        return _csv_rows(path)
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
            if any(v not in (None, "") for v in values):
                return self.number, values

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


def _csv_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    encoding = _encoding(path)
    try:
        with path.open(encoding=encoding, newline="") as fh:
            first = fh.readline()
            counts = {d: first.count(d) for d in ";,\t"}
            delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ";"
            fh.seek(0)
            for number, values in enumerate(csv.reader(fh, delimiter=delimiter), start=1):
                if any(values):
                    yield number, values
    except OSError as exc:
        raise PatientFileError(f"Filen {path.name} kan inte läsas ({exc.strerror}).") from None
    except csv.Error as exc:
        raise PatientFileError(f"Filen {path.name} är ingen läsbar CSV-fil ({exc}).") from None
