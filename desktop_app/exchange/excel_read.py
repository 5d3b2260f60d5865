"""Read a filled-in import workbook (.xlsx via python-calamine) or CSV file back for a region's
report, checking every cell.

``read_import_file`` never lets a raw exception escape: anything wrong with the file becomes one
``ImportFileError`` that lists every problem found, with sheet, row and column."""

from __future__ import annotations

import contextlib
import csv
import io
import math
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import UserError
from desktop_app.domain.figures import Cell, Number, cell_key
from desktop_app.domain.fmt import fmt_int
from desktop_app.domain.provenance import Extract
from desktop_app.domain.reference import load_reference, normalize_region_code
from desktop_app.domain.template import Svf, Template
from desktop_app.exchange.excel_layout import (
    CSV_SUFFIXES,
    EXCEL_SUFFIXES,
    HEADER_SEARCH_ROWS,
    MAX_FILE_BYTES,
    MAX_PROBLEMS,
    MAX_VALUE,
    OPTIONAL_KEYS,
    PREM_KEYS,
    PREM_LABELS,
    SHEET_EXTRACT,
    SHEET_INFO,
    SHEET_PREM,
    SHEET_SVF,
    CellRef,
    ImportData,
    ImportFileError,
    ImportProblem,
    column_letter,
    fmt_number,
    is_blank,
    key_of,
    quote_value,
)
from desktop_app.exchange.limits import (
    CSV_MAX_COLUMNS,
    CSV_MAX_FIELD_CHARS,
    CSV_MAX_FIELDS,
    CSV_MAX_ROWS,
    InputLimitError,
    check_xlsx,
    csv_limit_message,
)

__all__ = ["read_import_file"]


class _TooMany(Exception):
    pass


class _Problems:
    """Collects problems; stops the reading (via _TooMany) when there are too many."""

    def __init__(self) -> None:
        self.items: list[ImportProblem] = []
        self.truncated = False

    def add(self, ref: CellRef | None, message: str) -> None:
        if len(self.items) >= MAX_PROBLEMS:
            self.truncated = True
            raise _TooMany
        self.items.append(ImportProblem(ref, message))

    def __bool__(self) -> bool:
        return bool(self.items)


_SPACES = str.maketrans({" ": None, "\u00a0": None, "\u202f": None, "\u2009": None, "\t": None})
_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")


class _Bad(Exception):
    """A cell value that is not acceptable; the text is the Swedish message."""


def _number(raw: object, kind: str) -> Number | None:
    """The value of a number cell: None when blank; raises _Bad with a Swedish message.

    ``kind`` is "count" (whole number >= 0) or "days" (number >= 0, decimals allowed)."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise _Bad("Cellen innehåller ett sanningsvärde (SANT/FALSKT), inte ett tal.")
    if isinstance(raw, (datetime, date, time, timedelta)):
        raise _Bad(
            f"Cellen innehåller ett datum eller en tid ({raw}), inte ett tal. "
            "Ändra cellens format till Tal eller Allmänt och skriv in talet igen."
        )
    if isinstance(raw, int):
        value: Number = raw
        text = None
    elif isinstance(raw, float):
        if not math.isfinite(raw):
            raise _Bad("Cellen innehåller inget giltigt tal.")
        value = raw
        text = None
    else:
        text = str(raw).strip()
        if not text:
            return None
        compact = text.translate(_SPACES).replace("\u2212", "-")
        if not _NUMBER_RE.fullmatch(compact):
            hint = "ett heltal, t.ex. 12" if kind == "count" else "ett tal, t.ex. 12 eller 12,5"
            raise _Bad(
                f"Texten {quote_value(text)} är inte ett tal. Skriv {hint}, eller lämna cellen tom."
            )
        value = float(compact.replace(",", "."))
    if value < 0:
        shown = quote_value(text) if text is not None else fmt_number(value)
        raise _Bad(f"Talet {shown} är negativt. Värdet måste vara 0 eller större.")
    if value > MAX_VALUE:
        shown = quote_value(text) if text is not None else fmt_number(value)
        raise _Bad(f"Talet {shown} är orimligt stort (över {fmt_int(MAX_VALUE)}).")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if kind == "count" and isinstance(value, float):
        shown = quote_value(text) if text is not None else fmt_number(value)
        extra = (
            " Använd inte komma eller punkt som tusentalsavgränsare (skriv 1234 eller 1 234)."
            if text is not None and re.fullmatch(r"\d{1,3}[.,]\d{3}", text.translate(_SPACES))
            else ""
        )
        raise _Bad(
            f"Talet {shown} har decimaler. Här ska det stå ett antal, alltså ett heltal.{extra}"
        )
    return value


def _number_or_none(raw: object, kind: str) -> Number | None:
    try:
        return _number(raw, kind)
    except _Bad:
        return None


def looks_numeric(raw: object) -> bool:
    if isinstance(raw, bool):
        return False
    if isinstance(raw, (int, float)):
        return True
    if isinstance(raw, str):
        return bool(_NUMBER_RE.fullmatch(raw.translate(_SPACES).replace("\u2212", "-")))
    return False


def _region_text(code: str) -> str:
    try:
        r = load_reference().region(code)
    except UserError:
        return f"en okänd region (kod {quote_value(code)})"
    return f"{r.name} ({r.code})"


def _year_of(raw: object) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)) and float(raw).is_integer():
        return int(raw)
    s = str(raw).strip()
    if s.endswith(".0"):
        s = s[:-2]
    return int(s) if s.isdigit() else None


@dataclass(frozen=True)
class _Column:
    index: int
    letter: str
    key: str
    measure: str
    sex: str
    kind: str


@dataclass
class _Table:
    """The SVF sheet (or CSV file) being read: its columns, and what its rows showed so far."""

    sheet: str | None
    columns: list[_Column]
    svf_col: int
    region_col: int | None
    year_col: int | None
    first_row: int  # index of the row under the keys (may hold the Swedish labels)
    seen: dict[str, int] = field(default_factory=dict)
    wrong_region: list[tuple[int, str]] = field(default_factory=list)
    wrong_year: list[tuple[int, object]] = field(default_factory=list)

    @property
    def width(self) -> int:
        cols = [self.svf_col, self.region_col or 0, self.year_col or 0]
        return max(cols + [c.index for c in self.columns]) + 1


class _Reader:
    def __init__(self, path: Path, tpl: Template, region_code: str) -> None:
        self.path = path
        self.file = path.name
        self.tpl = tpl
        self.region_code = normalize_region_code(region_code)
        self.problems = _Problems()
        self.csv_fields = 0
        self.check: Callable[[ImportData], list[ImportProblem]] | None = None
        self.figures: dict[Cell, Number] = {}
        self.locations: dict[Cell | str, CellRef] = {}
        self.prem: dict[str, Any] = {}
        self.extract: Extract | None = None
        self.extract_values: dict[Cell, Number] = {}
        self.svfs: dict[str, Svf] = {s.id: s for s in tpl.svfs}
        self.sex_labels = {s.id: s.label.lower() for s in tpl.sexes}
        self.cell_keys: dict[str, tuple[str, str, str]] = {
            cell_key(m.id, x): (m.id, x, m.kind) for m in tpl.measures for x in tpl.column_ids
        }

    def ref(
        self,
        sheet: str | None,
        row: int | None = None,
        col: int | None = None,
        key: str | None = None,
    ) -> CellRef:
        return CellRef(self.file, sheet, row, column_letter(col) if col is not None else None, key)

    def fail(self, message: str) -> ImportFileError:
        return ImportFileError(self.file, [ImportProblem(None, message)])

    # -- the file as a whole ------------------------------------------------------------------

    def read(self) -> ImportData:
        path = self.path
        try:
            if not path.exists():
                raise self.fail(f"Filen finns inte: {path}")
            if path.is_dir():
                raise self.fail(f"{path} är en mapp, inte en fil.")
            size = path.stat().st_size
        except OSError as exc:
            raise self.fail(f"Filen kan inte läsas ({exc.strerror or exc}).") from exc
        suffix = path.suffix.lower()
        if suffix not in EXCEL_SUFFIXES + CSV_SUFFIXES:
            raise self.fail(
                f"Filen är varken en Excelfil (.xlsx) eller en CSV-fil (.csv) – filändelsen är "
                f"{quote_value(suffix or '(ingen)')}. Använd mallen som programmet skapar."
            )
        if size == 0:
            raise self.fail("Filen är tom.")
        if size > MAX_FILE_BYTES:
            raise self.fail(
                f"Filen är för stor ({fmt_int(size // (1024 * 1024))} MB) för att vara en "
                "ifylld SVF-mall. Kontrollera att det är rätt fil."
            )
        try:
            if suffix in CSV_SUFFIXES:
                self._read_csv()
            else:
                self._read_excel()
        except _TooMany:
            self.problems.items.append(
                ImportProblem(
                    None,
                    f"Läsningen avbröts efter {fmt_int(MAX_PROBLEMS)} fel. Kontrollera att det är "
                    "rätt fil och att den följer mallen.",
                )
            )
        data = ImportData(
            figures=self.figures,
            prem_used=self.prem.get("prem_used"),
            prem_sent=self.prem.get("prem_sent"),
            prem_answers=self.prem.get("prem_answers"),
            locations=self.locations,
            source=self.file,
            extract=self.extract,
            extract_values=self.extract_values,
        )
        if self.check is not None and not self.problems.truncated:
            # Rules between values (e.g. within lead time <= included) on what could be read,
            # so that one message lists every problem of the file.
            self.problems.items.extend(self.check(data))
        if self.problems:
            raise ImportFileError(self.file, self.problems.items, truncated=self.problems.truncated)
        return data

    def _read_excel(self) -> None:
        from python_calamine import CalamineWorkbook

        try:
            with open(self.path, "rb") as fh:
                head = fh.read(8)
        except OSError as exc:
            raise self._unreadable(exc) from exc
        if head.startswith(b"\xd0\xcf\x11\xe0") and self.path.suffix.lower() != ".xls":
            raise self.fail(
                "Filen är lösenordsskyddad eller i ett äldre format och kan inte läsas. "
                "Ta bort lösenordet och spara som Excel-arbetsbok (.xlsx)."
            )
        self._check_limits()
        try:
            wb = CalamineWorkbook.from_path(str(self.path))
            sheets = [(m.name, str(m.visible).endswith(".Visible")) for m in wb.sheets_metadata]
        except BaseException as exc:  # calamine raises its own errors and pyo3 panics
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            if isinstance(exc, OSError):
                raise self._unreadable(exc) from exc
            raise self._invalid() from exc
        try:
            svf_name = self._pick_sheet(sheets, SHEET_SVF, required=True)
            info_name = self._pick_sheet(sheets, SHEET_INFO)
            if info_name is not None:
                self._read_info(info_name, self._sheet_rows(wb, info_name))
            if svf_name is not None:
                self._read_table(svf_name, self._sheet_rows(wb, svf_name))
            if self.extract is not None:
                self._read_extract_values(wb, sheets)
            prem_name = self._pick_sheet(sheets, SHEET_PREM)
            if prem_name is not None:
                self._read_prem(prem_name, self._sheet_rows(wb, prem_name))
        finally:
            with contextlib.suppress(Exception):  # already closed: nothing to do
                wb.close()

    def _invalid(self) -> ImportFileError:
        return self.fail(
            "Filen är inte en giltig Excelfil – den kan vara skadad, lösenordsskyddad eller ha "
            "fel filändelse. Öppna den i Excel och spara den igen som Excel-arbetsbok (.xlsx)."
        )

    def _check_limits(self) -> None:
        """The workbook's zip against the limits (exchange.limits) before calamine sees it: a
        far cell, a huge shared string or a zip bomb is refused here, in bounded memory."""
        if self.path.suffix.lower() not in (".xlsx", ".xlsm"):
            raise self.fail(
                f"Filformatet {self.path.suffix.lower()} kan inte läsas. Öppna filen i Excel och "
                "spara den som Excel-arbetsbok (.xlsx)."
            )
        try:
            check_xlsx(self.path)
        except InputLimitError as exc:
            raise self.fail(str(exc)) from exc
        except OSError as exc:
            raise self._unreadable(exc) from exc
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
            raise self._invalid() from exc
        except (RuntimeError, ValueError) as exc:  # encrypted entries, bad compression data
            raise self._invalid() from exc

    def _pick_sheet(
        self, sheets: list[tuple[str, bool]], wanted: str, required: bool = False
    ) -> str | None:
        """The visible sheet named exactly ``wanted``. A hidden sheet is never read; sheets whose
        names differ from it only by case or spaces are an error (which one was meant?)."""
        norm = "".join(wanted.split()).lower()
        near = [(n, v) for n, v in sheets if "".join(n.split()).lower() == norm]
        exact = [n for n, v in near if n == wanted and v]
        others = [n for n, _ in near if n != wanted or not exact]
        if exact and not others:
            return wanted
        listed = ", ".join(quote_value(n) for n in others)
        if exact or len(near) > 1:
            self.problems.add(
                self.ref(wanted),
                f"Arbetsboken har flera blad som heter nästan {wanted} ({quote_value(wanted)} och "
                f"{listed}, även dolda räknas). Ta bort eller byt namn på de andra så att bara "
                f"bladet {wanted} finns kvar.",
            )
        elif near and not near[0][1]:
            self.problems.add(
                self.ref(wanted),
                f"Bladet {quote_value(near[0][0])} är dolt och läses inte. Visa bladet (högerklicka "
                "på en bladflik och välj Ta fram) eller utgå från en ny mall.",
            )
        elif near:
            self.problems.add(
                self.ref(wanted),
                f"Bladet heter {quote_value(near[0][0])} men ska heta exakt {quote_value(wanted)}. "
                "Byt namn på bladet.",
            )
        elif required:
            names = ", ".join(n for n, v in sheets if v) or "(inga)"
            self.problems.add(
                self.ref(wanted),
                f"Bladet {wanted} saknas. Filen har bladen: {names}. Utgå från en mall som "
                "programmet har skapat.",
            )
        return None

    def _sheet_rows(self, wb: Any, name: str) -> list[list[Any]]:
        try:
            return wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except BaseException as exc:
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            raise self.fail(
                f"Bladet {name} kan inte läsas – filen kan vara skadad. Öppna den i Excel och "
                "spara den igen som Excel-arbetsbok (.xlsx)."
            ) from exc

    def _unreadable(self, exc: OSError) -> ImportFileError:
        if isinstance(exc, PermissionError):
            return self.fail(
                "Filen kan inte läsas – den kan vara öppen i ett annat program (t.ex. Excel). "
                "Stäng den och försök igen."
            )
        return self.fail(f"Filen kan inte läsas ({exc.strerror or exc}).")

    def _read_csv(self) -> None:
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            raise self._unreadable(exc) from exc
        if data.startswith(b"PK\x03\x04"):
            raise self.fail(
                "Filen är en Excelfil men har filändelsen .csv. Byt filändelse till .xlsx eller "
                "spara den som CSV i Excel."
            )
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            try:
                text = data.decode("utf-16")
            except UnicodeDecodeError as exc:
                raise self.fail("Filen är inte en läsbar textfil (CSV).") from exc
        elif b"\x00" in data[:65536]:
            raise self.fail(
                "Filen är inte en textfil (CSV) – den innehåller binära data. Spara den som "
                "CSV (UTF-8) eller använd Excelmallen."
            )
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                # Excel on Swedish Windows saves "CSV (semikolonavgränsad)" as Windows-1252;
                # keys and numbers are ASCII, so this reading is safe.
                text = data.decode("cp1252", errors="replace")
        first = next((line for line in text.splitlines() if line.strip()), "")
        counts = {d: first.count(d) for d in (";", ",", "\t")}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
        rows: list[list[Any]] = []
        try:
            csv.field_size_limit(CSV_MAX_FIELD_CHARS)  # the csv module stops there (csv.Error)
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            for rec in reader:
                while len(rows) < reader.line_num - 1:  # keep row numbers = line numbers
                    rows.append([])
                self._check_csv_record(rec, reader.line_num)
                rows.append(rec)
        except csv.Error as exc:
            if "field larger" in str(exc):
                raise self.fail(csv_limit_message(self.file, "field", reader.line_num)) from exc
            raise self.fail(
                f"Filen kan inte läsas som CSV (rad {reader.line_num}): fälten eller "
                "citattecknen är felaktiga. Spara den igen som CSV (UTF-8) från Excel."
            ) from exc
        self._read_table(None, rows)

    def _check_csv_record(self, rec: list[str], line: int) -> None:
        self.csv_fields += len(rec)
        if self.csv_fields > CSV_MAX_FIELDS:
            raise self.fail(csv_limit_message(self.file, "fields", line))
        if line > CSV_MAX_ROWS:
            raise self.fail(csv_limit_message(self.file, "rows", line))
        if len(rec) > CSV_MAX_COLUMNS:
            raise self.fail(csv_limit_message(self.file, "columns", line))

    # -- the sheet Info -----------------------------------------------------------------------

    def _read_info(self, sheet: str, rows: list[list[Any]]) -> None:
        values: dict[str, tuple[Any, int]] = {}
        for i, row in enumerate(rows[:200]):
            if len(row) >= 2 and not is_blank(row[0]):
                values.setdefault(key_of(row[0]), (row[1], i + 1))
        if "region" in values:
            raw, r = values["region"]
            if not is_blank(raw):
                file_code = normalize_region_code(
                    int(raw) if isinstance(raw, float) and raw.is_integer() else raw
                )
                if file_code != self.region_code:
                    self.problems.add(
                        self.ref(sheet, r, 1, "region"),
                        f"Filen gäller {_region_text(file_code)} men redovisningen gäller "
                        f"{_region_text(self.region_code)}. Kontrollera att du valt rätt fil.",
                    )
        if "year" in values:
            raw, r = values["year"]
            if not is_blank(raw):
                year = _year_of(raw)
                if year != self.tpl.year:
                    shown = str(year) if year is not None else quote_value(raw)
                    self.problems.add(
                        self.ref(sheet, r, 1, "year"),
                        f"Filen gäller år {shown} men redovisningen gäller år {self.tpl.year}. "
                        f"Använd mallen för {self.tpl.year}.",
                    )

        self._read_extract_mark(sheet, values)

    def _read_extract_mark(self, sheet: str, values: dict[str, tuple[Any, int]]) -> None:
        """A start file's extract (date and SHA-256 in Info), or a problem naming the row."""
        raw_date, r = values.get("extract_date", (None, 0))
        raw_sha, r_sha = values.get("extract_sha256", (None, 0))
        if is_blank(raw_date) and is_blank(raw_sha):
            return
        on = raw_date.date() if isinstance(raw_date, datetime) else raw_date
        if isinstance(on, str):
            with contextlib.suppress(ValueError):
                on = date.fromisoformat(on.strip())
        sha = str(raw_sha or "").strip().lower()
        if not isinstance(on, date):
            self.problems.add(
                self.ref(sheet, r, 1, "extract_date"),
                f"Datumet för RCC:s datauttag {quote_value(raw_date)} är inget datum (ÅÅÅÅ-MM-DD).",
            )
        elif not re.fullmatch(r"[0-9a-f]{64}", sha):
            self.problems.add(
                self.ref(sheet, r_sha or r, 1, "extract_sha256"),
                "Startfilens kontrollsumma för RCC:s datauttag (SHA-256, 64 tecken) saknas "
                "eller är skadad. Be RCC om en ny startfil.",
            )
        else:
            rcc, _r = values.get("extract_rcc", ("", 0))
            self.extract = Extract(on, sha, "" if is_blank(rcc) else str(rcc))

    def _read_extract_values(self, wb: Any, sheets: list[tuple[str, bool]]) -> None:
        """The extract's values of a start file (its hidden sheet, written by the program)."""
        if SHEET_EXTRACT not in {n for n, _v in sheets}:
            self.problems.add(
                self.ref(SHEET_EXTRACT),
                f"Startfilen saknar bladet {SHEET_EXTRACT} med RCC:s värden. Be RCC om en ny "
                "startfil.",
            )
            return
        for i, row in enumerate(self._sheet_rows(wb, SHEET_EXTRACT)[1:], start=2):
            if len(row) < 3 or is_blank(row[0]):
                continue
            cell = self.cell_keys.get(key_of(row[1]))
            value = _number_or_none(row[2], cell[2] if cell else "count")
            if cell is None or key_of(row[0]) not in self.svfs or value is None:
                self.problems.add(
                    self.ref(SHEET_EXTRACT, i, None),
                    f"Bladet {SHEET_EXTRACT} är ändrat (rad {i}). Be RCC om en ny startfil.",
                )
                continue
            self.extract_values[(key_of(row[0]), cell[0], cell[1])] = value

    # -- the sheet PREM -----------------------------------------------------------------------

    def _read_prem(self, sheet: str, rows: list[list[Any]]) -> None:
        seen: dict[str, int] = {}
        for i, row in enumerate(rows):
            if not row:
                continue
            key = key_of(row[0])
            raw = row[1] if len(row) > 1 else None
            r = i + 1
            if key not in PREM_KEYS:
                if key and key != "nyckel" and not is_blank(raw):
                    self.problems.add(
                        self.ref(sheet, r, 0),
                        f"Okänd nyckel {quote_value(row[0])} i kolumn A. Kolumn A ska bara innehålla "
                        f"{', '.join(PREM_KEYS)}.",
                    )
                continue
            ref = self.ref(sheet, r, 1, key)
            if key in seen:
                self.problems.add(
                    self.ref(sheet, r, 0, key),
                    f"Nyckeln {key} finns redan på rad {seen[key]}. Varje nyckel får bara finnas "
                    "en gång.",
                )
                continue
            seen[key] = r
            if is_blank(raw):
                continue
            if key == "prem_used":
                if isinstance(raw, bool):
                    value: Any = raw
                else:
                    answer = str(raw).strip().lower()
                    if answer not in ("ja", "nej"):
                        self.problems.add(
                            ref,
                            f"Svaret {quote_value(raw)} går inte att tolka. Skriv ja eller nej, eller "
                            "lämna cellen tom.",
                        )
                        continue
                    value = answer == "ja"
            else:
                try:
                    value = _number(raw, "count")
                except _Bad as exc:
                    self.problems.add(ref, f"{PREM_LABELS[key]}: {exc}")
                    continue
            self.prem[key] = value
            self.locations[key] = ref

    # -- the sheet SVF (or a CSV file) --------------------------------------------------------

    def _find_header(self, rows: list[list[Any]]) -> int | None:
        for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            if any(key_of(v) == "svf_id" for v in row):
                return i
        return None

    def _read_table(self, sheet: str | None, rows: list[list[Any]]) -> None:
        h = self._header_index(sheet, rows)
        if h is None:
            return
        columns, special = self._read_header(sheet, rows[h], h + 1)
        if "svf_id" not in special:
            return
        table = _Table(
            sheet,
            columns,
            special["svf_id"],
            special.get("region"),
            special.get("year"),
            first_row=h + 1,
        )
        for i in range(h + 1, len(rows)):
            self._read_row(table, rows[i], i)
        self._report_mismatches(table)

    def _header_index(self, sheet: str | None, rows: list[list[Any]]) -> int | None:
        """The row of column keys; None (with the problem noted) when the table cannot be read."""
        h = self._find_header(rows)
        if h is not None:
            return h
        header = rows[0] if rows else []
        known = [k for k in map(key_of, header) if k in self.cell_keys]
        self.problems.add(
            self.ref(sheet, 1, None, "svf_id"),
            "Rad 1 ska innehålla kolumnnycklarna (svf_id, svf_name, expected_kvinnor …) men "
            + (
                "kolumnen svf_id saknas."
                if known
                else "gör inte det. Ändra inte rad 1 – utgå från en mall som programmet har skapat."
            ),
        )
        return 0 if known else None

    def _read_row(self, t: _Table, row: list[Any], i: int) -> None:
        """One SVF row: its id, region and year columns, and its values."""
        if len(row) < t.width:
            row = list(row) + [None] * (t.width - len(row))
        r = i + 1
        raw_id = row[t.svf_col]
        values = [
            (c, v)
            for c in t.columns
            if (v := row[c.index]) != "" and v is not None and not (type(v) is str and v.isspace())
        ]
        if is_blank(raw_id):
            if values:
                c0 = values[0][0]
                self.problems.add(
                    self.ref(t.sheet, r, t.svf_col, "svf_id"),
                    f"Raden har värden (t.ex. i kolumn {c0.letter}) men saknar SVF-id i "
                    f"kolumn {column_letter(t.svf_col)}.",
                )
            return
        svf_id = key_of(raw_id)
        svf = self.svfs.get(svf_id)
        if svf is None and i == t.first_row and not any(looks_numeric(v) for _c, v in values):
            return  # the row of Swedish labels under the keys
        self._note_region_and_year(t, row, r)
        svf = self._row_svf(t, svf, svf_id, raw_id, r)
        for c, raw in values:
            self._read_value(t, svf, c, raw, r)

    def _note_region_and_year(self, t: _Table, row: list[Any], r: int) -> None:
        if t.region_col is not None and not is_blank(row[t.region_col]):
            raw = row[t.region_col]
            code = normalize_region_code(
                int(raw) if isinstance(raw, float) and raw.is_integer() else raw
            )
            if code != self.region_code:
                t.wrong_region.append((r, code))
        if t.year_col is not None and not is_blank(row[t.year_col]):
            year = _year_of(row[t.year_col])
            if year != self.tpl.year:
                t.wrong_year.append((r, year if year is not None else quote_value(row[t.year_col])))

    def _row_svf(self, t: _Table, svf: Svf | None, svf_id: str, raw_id: Any, r: int) -> Svf | None:
        """The row's SVF, or None (with the problem noted) for an unknown or repeated id."""
        if svf is None:
            self.problems.add(
                self.ref(t.sheet, r, t.svf_col, "svf_id"),
                f"Okänt SVF-id {quote_value(raw_id)}. Kolumn {column_letter(t.svf_col)} får bara "
                f"innehålla SVF-id från mallen för {self.tpl.year} (t.ex. "
                f"{', '.join(s.id for s in self.tpl.svfs[:3])}).",
            )
            return None
        if svf_id in t.seen:
            self.problems.add(
                self.ref(t.sheet, r, t.svf_col, "svf_id"),
                f"{svf.name} ({svf_id}) finns redan på rad {t.seen[svf_id]}. Varje SVF får bara "
                "finnas på en rad.",
            )
            return None
        t.seen[svf_id] = r
        return svf

    def _read_value(self, t: _Table, svf: Svf | None, c: _Column, raw: Any, r: int) -> None:
        ref = self.ref(t.sheet, r, c.index, c.key)
        try:
            value = _number(raw, c.kind)
        except _Bad as exc:
            self.problems.add(ref, str(exc))
            return
        if value is None or svf is None:
            return
        if not self.tpl.cell_applies(svf, c.measure, c.sex):
            if value != 0:
                self.problems.add(ref, self._not_applicable(svf, c.measure, c.sex, value))
            return
        cell = (svf.id, c.measure, c.sex)
        self.figures[cell] = value
        self.locations[cell] = ref

    def _not_applicable(self, svf: Svf, measure: str, column: str, value: Number) -> str:
        """Why a value in a cell that does not apply is wrong (a sex the SVF does not have, or
        a total the measure or SVF does not take)."""
        only = " och ".join(self.sex_labels.get(x, x) for x in svf.sexes)
        if column == self.tpl.total_id:
            m = self.tpl.measure(measure)
            name = m.label if m is not None else measure
            why = (
                f"{svf.name} gäller bara {only}, så {name.lower()} anges per kön"
                if m is not None and m.total
                else f"{name} anges per kön, inte totalt"
            )
            return f"{why}; cellen ska vara tom men innehåller {fmt_number(value)}."
        return (
            f"{svf.name} gäller bara {only}; cellen för "
            f"{self.sex_labels.get(column, column)} ska vara tom men innehåller "
            f"{fmt_number(value)}."
        )

    def _report_mismatches(self, t: _Table) -> None:
        """One problem each for rows of another region or year (the first, and how many)."""
        for wrong, what in ((t.wrong_region, "region"), (t.wrong_year, "year")):
            if not wrong:
                continue
            r, got = wrong[0]
            more = f" (gäller {fmt_int(len(wrong))} rader)" if len(wrong) > 1 else ""
            col = t.region_col if what == "region" else t.year_col
            if what == "region":
                msg = (
                    f"Filen gäller {_region_text(str(got))} men redovisningen gäller "
                    f"{_region_text(self.region_code)}{more}. Kontrollera att du valt rätt fil."
                )
            else:
                msg = (
                    f"Filen gäller år {got} men redovisningen gäller år {self.tpl.year}{more}. "
                    f"Använd mallen för {self.tpl.year}."
                )
            self.problems.add(self.ref(t.sheet, r, col, what), msg)

    def _read_header(
        self, sheet: str | None, header: list[Any], r: int
    ) -> tuple[list[_Column], dict[str, int]]:
        columns: list[_Column] = []
        special: dict[str, int] = {}
        seen: dict[str, int] = {}
        for i, raw in enumerate(header):
            key = key_of(raw)
            if not key:
                continue  # a column without a key (notes to the right) is not read
            if key in seen:
                self.problems.add(
                    self.ref(sheet, r, i, key),
                    f"Kolumnrubriken {key} finns två gånger (kolumn {column_letter(seen[key])} "
                    f"och {column_letter(i)}). Varje kolumn får bara finnas en gång.",
                )
                continue
            seen[key] = i
            if key == "svf_id" or key in OPTIONAL_KEYS:
                special[key] = i
            elif key in self.cell_keys:
                m, x, kind = self.cell_keys[key]
                columns.append(_Column(i, column_letter(i), key, m, x, kind))
            else:
                self.problems.add(
                    self.ref(sheet, r, i),
                    f"Okänd kolumnrubrik {quote_value(raw)} i kolumn {column_letter(i)}. Rad {r} "
                    "innehåller nycklar som programmet läser och får inte ändras.",
                )
        return columns, special


def read_import_file(
    path: Path,
    tpl: Template,
    region_code: str,
    check: Callable[[ImportData], list[ImportProblem]] | None = None,
) -> ImportData:
    """Read and check a filled-in workbook (.xlsx, .xlsm) or CSV file for a region's report.

    ``check`` is given the values that could be read and returns further problems (the caller's
    rules between values); they are listed in the same error.
    Raises ImportFileError listing every problem (sheet, row, column and what is wrong); nothing
    else escapes."""
    reader = _Reader(Path(path), tpl, region_code)
    reader.check = check
    try:
        return reader.read()
    except ImportFileError:
        raise
    except Exception as exc:  # a bug or an unforeseen file; still a message, never a traceback
        raise ImportFileError(
            reader.file,
            [ImportProblem(None, f"Filen kunde inte läsas på grund av ett oväntat fel ({exc!r}).")],
        ) from exc
