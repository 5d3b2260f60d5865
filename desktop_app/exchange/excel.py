"""The import workbook (.xlsx) and CSV files: write a workbook for a region to fill in, and read
a filled-in workbook or CSV back, checking every cell.

Layout of the workbook (the reader relies on the keys, not on positions):

* ``SVF``: row 1 holds machine keys (``svf_id``, ``svf_name``, ``<measure>_<sex>`` …), row 2
  Swedish labels, then one row per SVF.
* ``PREM``: keys in column A (``prem_used``, ``prem_sent``, ``prem_answers``), values in B.
* ``Info``: key/value rows (``region``, ``region_name``, ``year``, ``template``, ``generated``).
* ``Instruktioner``: plain Swedish instructions.

A CSV file is the ``SVF`` sheet alone (comma or semicolon separated, UTF-8), optionally with the
label row and with ``region`` and ``year`` columns.

``read_import_file`` never lets a raw exception escape: anything wrong with the file becomes one
``ImportFileError`` that lists every problem found, with sheet, row and column."""

from __future__ import annotations

import contextlib
import csv
import io
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import UserError
from desktop_app.domain.figures import Cell, Number, cell_key
from desktop_app.domain.fmt import fmt_int
from desktop_app.domain.reference import Region, load_reference, normalize_region_code
from desktop_app.domain.template import Svf, Template

__all__ = [
    "CellRef",
    "ImportData",
    "ImportFileError",
    "ImportProblem",
    "read_import_file",
    "write_import_workbook",
]

SHEET_SVF = "SVF"
SHEET_PREM = "PREM"
SHEET_INFO = "Info"
SHEET_HELP = "Instruktioner"

PREM_KEYS = ("prem_used", "prem_sent", "prem_answers")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
CSV_SUFFIXES = (".csv", ".txt")

MAX_PROBLEMS = 500  # reading stops after this many; a junk file gives a bounded list
SHOWN_PROBLEMS = 50  # lines of problems in str(ImportFileError)
MAX_FILE_BYTES = 50 * 1024 * 1024  # a filled-in template is a few tens of kB
MAX_VALUE = 100_000_000  # no count or median can be this large; also keeps SQLite integers safe
HEADER_SEARCH_ROWS = 5  # the key row is row 1, but tolerate a few rows inserted above it

_PREM_LABELS = {
    "prem_used": "Använder regionen PREM-enkäter för att följa upp SVF? (ja/nej)",
    "prem_sent": "Antal utskickade PREM-enkäter",
    "prem_answers": "Antal besvarade PREM-enkäter",
}
_OPTIONAL_KEYS = ("svf_name", "region", "year")


# --------------------------------------------------------------------------------------------
# Results and errors


@dataclass(frozen=True)
class CellRef:
    """Where a value came from: ``blad SVF, rad 14, kolumn F (included_kvinnor)``.

    ``sheet`` is None for a CSV file; ``row`` (1-based) and ``column`` (a letter) are None when a
    problem concerns a whole sheet or file."""

    file: str
    sheet: str | None
    row: int | None = None
    column: str | None = None
    key: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.sheet is not None:
            parts.append(f"blad {self.sheet}")
        if self.row is not None:
            parts.append(f"rad {self.row}")
        if self.column is not None:
            col = f"kolumn {self.column}"
            if self.key:
                col += f" ({self.key})"
            parts.append(col)
        return ", ".join(parts) if parts else f"filen {self.file}"


@dataclass(frozen=True)
class ImportProblem:
    ref: CellRef | None
    message: str

    def __str__(self) -> str:
        return f"{self.ref}: {self.message}" if self.ref is not None else self.message


class ImportFileError(UserError):
    """A file that cannot be imported; ``problems`` lists every problem found (up to
    MAX_PROBLEMS), ``str()`` is a summary line followed by one line per problem."""

    exit_code = 1  # read, but refused because of its content

    def __init__(
        self, source: str, problems: Sequence[ImportProblem], *, truncated: bool = False
    ) -> None:
        self.source = source
        self.problems: list[ImportProblem] = list(problems)
        self.truncated = truncated
        super().__init__(self._text())

    def _text(self) -> str:
        n = len(self.problems)
        count = (
            f"fler än {fmt_int(MAX_PROBLEMS)} fel hittades"
            if self.truncated
            else (f"{fmt_int(n)} fel hittades")
        )
        lines = [f"Filen {self.source} kan inte importeras – {count}. Inget har ändrats."]
        lines += [f"  – {p}" for p in self.problems[:SHOWN_PROBLEMS]]
        if n > SHOWN_PROBLEMS:
            lines.append(f"  … och {fmt_int(n - SHOWN_PROBLEMS)} fel till")
        return "\n".join(lines)


@dataclass(frozen=True)
class ImportData:
    """The checked content of a file. Blank cells are absent (they leave the report as it is);
    PREM fields are None when the file does not give them."""

    figures: dict[Cell, Number]
    prem_used: bool | None
    prem_sent: int | None
    prem_answers: int | None
    locations: dict[Cell | str, CellRef]
    source: str


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


# --------------------------------------------------------------------------------------------
# Small helpers


def column_letter(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA' (0-based column index)."""
    n = index + 1
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _quote(value: object, limit: int = 40) -> str:
    s = str(value).replace("\n", " ").strip()
    return f"'{s[:limit]}…'" if len(s) > limit else f"'{s}'"


def _fmt_number(v: float | int) -> str:
    if isinstance(v, int) or float(v).is_integer():
        return fmt_int(v)
    text = f"{v:,.6f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",")


def _is_blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


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
                f"Texten {_quote(text)} är inte ett tal. Skriv {hint}, eller lämna cellen tom."
            )
        value = float(compact.replace(",", "."))
    if value < 0:
        shown = _quote(text) if text is not None else _fmt_number(value)
        raise _Bad(f"Talet {shown} är negativt. Värdet måste vara 0 eller större.")
    if value > MAX_VALUE:
        shown = _quote(text) if text is not None else _fmt_number(value)
        raise _Bad(f"Talet {shown} är orimligt stort (över {fmt_int(MAX_VALUE)}).")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if kind == "count" and isinstance(value, float):
        shown = _quote(text) if text is not None else _fmt_number(value)
        extra = (
            " Använd inte komma eller punkt som tusentalsavgränsare (skriv 1234 eller 1 234)."
            if text is not None and re.fullmatch(r"\d{1,3}[.,]\d{3}", text.translate(_SPACES))
            else ""
        )
        raise _Bad(
            f"Talet {shown} har decimaler. Här ska det stå ett antal, alltså ett heltal.{extra}"
        )
    return value


def _looks_numeric(raw: object) -> bool:
    if isinstance(raw, bool):
        return False
    if isinstance(raw, (int, float)):
        return True
    if isinstance(raw, str):
        return bool(_NUMBER_RE.fullmatch(raw.translate(_SPACES).replace("\u2212", "-")))
    return False


def _key(raw: object) -> str:
    """A header or key cell as a normalised key ('' when blank)."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).strip().lower()


def _region_text(code: str) -> str:
    try:
        r = load_reference().region(code)
    except UserError:
        return f"en okänd region (kod {_quote(code)})"
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


# --------------------------------------------------------------------------------------------
# Reading


@dataclass(frozen=True)
class _Column:
    index: int
    letter: str
    key: str
    measure: str
    sex: str
    kind: str


class _Reader:
    def __init__(self, path: Path, tpl: Template, region_code: str) -> None:
        self.path = path
        self.file = path.name
        self.tpl = tpl
        self.region_code = normalize_region_code(region_code)
        self.problems = _Problems()
        self.check: Callable[[ImportData], list[ImportProblem]] | None = None
        self.figures: dict[Cell, Number] = {}
        self.locations: dict[Cell | str, CellRef] = {}
        self.prem: dict[str, Any] = {}
        self.svfs: dict[str, Svf] = {s.id: s for s in tpl.svfs}
        self.sex_labels = {s.id: s.label.lower() for s in tpl.sexes}
        self.cell_keys: dict[str, tuple[str, str, str]] = {
            cell_key(m.id, x.id): (m.id, x.id, m.kind) for m in tpl.measures for x in tpl.sexes
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
                f"{_quote(suffix or '(ingen)')}. Använd mallen som programmet skapar."
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
        try:
            wb = CalamineWorkbook.from_path(str(self.path))
            names = list(wb.sheet_names)
        except BaseException as exc:  # calamine raises its own errors and pyo3 panics
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            if isinstance(exc, OSError):
                raise self._unreadable(exc) from exc
            raise self.fail(
                "Filen är inte en giltig Excelfil – den kan vara skadad, lösenordsskyddad eller ha "
                "fel filändelse. Öppna den i Excel och spara den igen som Excel-arbetsbok (.xlsx)."
            ) from exc
        try:
            by_name = {n.strip().lower(): n for n in names}
            svf_name = by_name.get(SHEET_SVF.lower())
            if svf_name is None:
                self.problems.add(
                    self.ref(SHEET_SVF),
                    f"Bladet {SHEET_SVF} saknas. Filen har bladen: "
                    f"{', '.join(names) or '(inga)'}. Utgå från en mall som programmet har skapat.",
                )
            info_name = by_name.get(SHEET_INFO.lower())
            if info_name is not None:
                self._read_info(info_name, self._sheet_rows(wb, info_name))
            if svf_name is not None:
                self._read_table(svf_name, self._sheet_rows(wb, svf_name))
            prem_name = by_name.get(SHEET_PREM.lower())
            if prem_name is not None:
                self._read_prem(prem_name, self._sheet_rows(wb, prem_name))
        finally:
            with contextlib.suppress(Exception):  # already closed: nothing to do
                wb.close()

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
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            for rec in reader:
                while len(rows) < reader.line_num - 1:  # keep row numbers = line numbers
                    rows.append([])
                rows.append(rec)
        except csv.Error as exc:
            raise self.fail(
                f"Filen kan inte läsas som CSV (rad {reader.line_num}): {exc}. Spara den "
                "igen som CSV (UTF-8) från Excel."
            ) from exc
        self._read_table(None, rows)

    # -- the sheet Info -----------------------------------------------------------------------

    def _read_info(self, sheet: str, rows: list[list[Any]]) -> None:
        values: dict[str, tuple[Any, int]] = {}
        for i, row in enumerate(rows[:200]):
            if len(row) >= 2 and not _is_blank(row[0]):
                values.setdefault(_key(row[0]), (row[1], i + 1))
        if "region" in values:
            raw, r = values["region"]
            if not _is_blank(raw):
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
            if not _is_blank(raw):
                year = _year_of(raw)
                if year != self.tpl.year:
                    shown = str(year) if year is not None else _quote(raw)
                    self.problems.add(
                        self.ref(sheet, r, 1, "year"),
                        f"Filen gäller år {shown} men redovisningen gäller år {self.tpl.year}. "
                        f"Använd mallen för {self.tpl.year}.",
                    )

    # -- the sheet PREM -----------------------------------------------------------------------

    def _read_prem(self, sheet: str, rows: list[list[Any]]) -> None:
        seen: dict[str, int] = {}
        for i, row in enumerate(rows):
            if not row:
                continue
            key = _key(row[0])
            raw = row[1] if len(row) > 1 else None
            r = i + 1
            if key not in PREM_KEYS:
                if key and key != "nyckel" and not _is_blank(raw):
                    self.problems.add(
                        self.ref(sheet, r, 0),
                        f"Okänd nyckel {_quote(row[0])} i kolumn A. Kolumn A ska bara innehålla "
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
            if _is_blank(raw):
                continue
            if key == "prem_used":
                if isinstance(raw, bool):
                    value: Any = raw
                else:
                    answer = str(raw).strip().lower()
                    if answer not in ("ja", "nej"):
                        self.problems.add(
                            ref,
                            f"Svaret {_quote(raw)} går inte att tolka. Skriv ja eller nej, eller "
                            "lämna cellen tom.",
                        )
                        continue
                    value = answer == "ja"
            else:
                try:
                    value = _number(raw, "count")
                except _Bad as exc:
                    self.problems.add(ref, f"{_PREM_LABELS[key]}: {exc}")
                    continue
            self.prem[key] = value
            self.locations[key] = ref

    # -- the sheet SVF (or a CSV file) --------------------------------------------------------

    def _find_header(self, rows: list[list[Any]]) -> int | None:
        for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            if any(_key(v) == "svf_id" for v in row):
                return i
        return None

    def _read_table(self, sheet: str | None, rows: list[list[Any]]) -> None:
        h = self._find_header(rows)
        if h is None:
            header = rows[0] if rows else []
            known = [k for k in map(_key, header) if k in self.cell_keys]
            self.problems.add(
                self.ref(sheet, 1, None, "svf_id"),
                "Rad 1 ska innehålla kolumnnycklarna (svf_id, svf_name, expected_kvinnor …) men "
                + (
                    "kolumnen svf_id saknas."
                    if known
                    else "gör inte det. Ändra inte rad 1 – utgå från en mall som programmet har "
                    "skapat."
                ),
            )
            if not known:
                return
            h = 0
        columns, special = self._read_header(sheet, rows[h], h + 1)
        if "svf_id" not in special:
            return
        svf_col = special["svf_id"]
        region_col = special.get("region")
        year_col = special.get("year")
        wrong_region: list[tuple[int, str]] = []
        wrong_year: list[tuple[int, object]] = []
        seen: dict[str, int] = {}
        width = max([svf_col, region_col or 0, year_col or 0] + [c.index for c in columns]) + 1
        for i in range(h + 1, len(rows)):
            row = rows[i]
            if len(row) < width:
                row = list(row) + [None] * (width - len(row))
            r = i + 1
            raw_id = row[svf_col]
            values = [
                (c, v)
                for c in columns
                if (v := row[c.index]) != ""
                and v is not None
                and not (type(v) is str and v.isspace())
            ]
            if _is_blank(raw_id):
                if values:
                    c0 = values[0][0]
                    self.problems.add(
                        self.ref(sheet, r, svf_col, "svf_id"),
                        f"Raden har värden (t.ex. i kolumn {c0.letter}) men saknar SVF-id i "
                        f"kolumn {column_letter(svf_col)}.",
                    )
                continue
            svf_id = _key(raw_id)
            svf = self.svfs.get(svf_id)
            if svf is None and i == h + 1 and not any(_looks_numeric(v) for _c, v in values):
                continue  # the row of Swedish labels under the keys
            if region_col is not None and not _is_blank(row[region_col]):
                raw = row[region_col]
                code = normalize_region_code(
                    int(raw) if isinstance(raw, float) and raw.is_integer() else raw
                )
                if code != self.region_code:
                    wrong_region.append((r, code))
            if year_col is not None and not _is_blank(row[year_col]):
                year = _year_of(row[year_col])
                if year != self.tpl.year:
                    wrong_year.append((r, year if year is not None else _quote(row[year_col])))
            if svf is None:
                self.problems.add(
                    self.ref(sheet, r, svf_col, "svf_id"),
                    f"Okänt SVF-id {_quote(raw_id)}. Kolumn {column_letter(svf_col)} får bara "
                    f"innehålla SVF-id från mallen för {self.tpl.year} (t.ex. "
                    f"{', '.join(s.id for s in self.tpl.svfs[:3])}).",
                )
            elif svf_id in seen:
                self.problems.add(
                    self.ref(sheet, r, svf_col, "svf_id"),
                    f"{svf.name} ({svf_id}) finns redan på rad {seen[svf_id]}. Varje SVF får bara "
                    "finnas på en rad.",
                )
                svf = None
            else:
                seen[svf_id] = r
            for c, raw in values:
                ref = self.ref(sheet, r, c.index, c.key)
                try:
                    value = _number(raw, c.kind)
                except _Bad as exc:
                    self.problems.add(ref, str(exc))
                    continue
                if value is None or svf is None:
                    continue
                if not svf.applies_to(c.sex):
                    if value != 0:
                        only = " och ".join(self.sex_labels.get(x, x) for x in svf.sexes)
                        self.problems.add(
                            ref,
                            f"{svf.name} gäller bara {only}; cellen för "
                            f"{self.sex_labels.get(c.sex, c.sex)} ska vara tom men innehåller "
                            f"{_fmt_number(value)}.",
                        )
                    continue
                cell = (svf.id, c.measure, c.sex)
                self.figures[cell] = value
                self.locations[cell] = ref
        for wrong, what in ((wrong_region, "region"), (wrong_year, "year")):
            if not wrong:
                continue
            r, got = wrong[0]
            more = f" (gäller {fmt_int(len(wrong))} rader)" if len(wrong) > 1 else ""
            col = region_col if what == "region" else year_col
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
            self.problems.add(self.ref(sheet, r, col, what), msg)

    def _read_header(
        self, sheet: str | None, header: list[Any], r: int
    ) -> tuple[list[_Column], dict[str, int]]:
        columns: list[_Column] = []
        special: dict[str, int] = {}
        seen: dict[str, int] = {}
        for i, raw in enumerate(header):
            key = _key(raw)
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
            if key == "svf_id" or key in _OPTIONAL_KEYS:
                special[key] = i
            elif key in self.cell_keys:
                m, x, kind = self.cell_keys[key]
                columns.append(_Column(i, column_letter(i), key, m, x, kind))
            else:
                self.problems.add(
                    self.ref(sheet, r, i),
                    f"Okänd kolumnrubrik {_quote(raw)} i kolumn {column_letter(i)}. Rad {r} "
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


# --------------------------------------------------------------------------------------------
# Writing


def _ranges(col: str, rows: Iterable[int]) -> list[str]:
    """['C3:C5', 'C8'] for rows 3, 4, 5, 8."""
    out: list[str] = []
    rows = sorted(rows)
    i = 0
    while i < len(rows):
        j = i
        while j + 1 < len(rows) and rows[j + 1] == rows[j] + 1:
            j += 1
        out.append(f"{col}{rows[i]}" if i == j else f"{col}{rows[i]}:{col}{rows[j]}")
        i = j + 1
    return out


def write_import_workbook(
    path: Path,
    tpl: Template,
    region: Region,
    values: Mapping[Cell, Number] | None = None,
    prem: tuple[bool | None, int | None, int | None] | None = None,
) -> None:
    """Write the import workbook for a region and year, prefilled with ``values`` and ``prem``.

    Raises UserError (Swedish) when the file cannot be saved."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    values = values or {}
    bold = Font(bold=True)
    key_font = Font(size=8, color="808080")
    grey = PatternFill("solid", fgColor="D9D9D9")
    label_fill = PatternFill("solid", fgColor="DDEBF7")
    input_fill = PatternFill("solid", fgColor="FFFFFF")
    wrap_top = Alignment(wrap_text=True, vertical="top")
    unlocked = Protection(locked=False)
    author = "SVF-redovisning"

    wb = Workbook()
    help_ws = wb.active
    help_ws.title = SHEET_HELP
    ws = wb.create_sheet(SHEET_SVF)
    prem_ws = wb.create_sheet(SHEET_PREM)
    info_ws = wb.create_sheet(SHEET_INFO)

    # -- SVF ----------------------------------------------------------------------------------
    sexes = tpl.sexes
    data_cols = [(m, x) for m in tpl.measures for x in sexes]
    ws.append(["svf_id", "svf_name"] + [cell_key(m.id, x.id) for m, x in data_cols])
    ws.append(["SVF-id", "SVF"] + [f"{m.label} – {x.label.lower()}" for m, x in data_cols])
    for svf in tpl.svfs:
        row: list[Any] = [svf.id, svf.name]
        for m, x in data_cols:
            v = values.get((svf.id, m.id, x.id)) if svf.applies_to(x.id) else None
            row.append(v)
        ws.append(row)
    first = 3
    for cell in ws[1]:
        cell.font = key_font
    for i, cell in enumerate(ws[2]):
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.fill = label_fill
        if i >= 2:
            m, _x = data_cols[i - 2]
            if m.help:
                cell.comment = Comment(m.help, author, width=300, height=90)
    ws.row_dimensions[2].height = 45
    ws.freeze_panes = "C3"
    ws.column_dimensions["A"].width = max(12, max(len(s.id) for s in tpl.svfs) + 2)
    ws.column_dimensions["B"].width = min(48, max(len(s.name) for s in tpl.svfs) + 2)

    na_ranges: list[str] = []
    ok_ranges: dict[str, list[str]] = {}
    for j, (m, x) in enumerate(data_cols):
        col = column_letter(j + 2)
        ws.column_dimensions[col].width = max(14, round(len(cell_key(m.id, x.id)) * 0.8) + 2)
        ok_rows, na_rows = [], []
        for k, svf in enumerate(tpl.svfs):
            r = first + k
            cell = ws[f"{col}{r}"]
            cell.protection = unlocked
            if svf.applies_to(x.id):
                ok_rows.append(r)
                cell.fill = input_fill
                cell.number_format = "#,##0" if m.kind == "count" else "General"
            else:
                na_rows.append(r)
                cell.fill = grey
                only = " och ".join(
                    (tpl.sex(s).label.lower() if tpl.sex(s) else s) for s in svf.sexes
                )
                cell.comment = Comment(
                    f"Ej aktuellt: {svf.name} gäller bara {only}. Lämna cellen tom.",
                    author,
                    width=260,
                    height=60,
                )
        ok_ranges.setdefault(m.id, []).extend(_ranges(col, ok_rows))
        na_ranges.extend(_ranges(col, na_rows))

    for m in tpl.measures:
        if m.kind == "count":
            dv = DataValidation(
                type="whole",
                operator="greaterThanOrEqual",
                formula1="0",
                allow_blank=True,
                errorTitle="Fel värde",
                error="Skriv ett heltal som är 0 eller större (inga decimaler, ingen text), "
                "eller lämna cellen tom.",
            )
        else:
            dv = DataValidation(
                type="decimal",
                operator="greaterThanOrEqual",
                formula1="0",
                allow_blank=True,
                errorTitle="Fel värde",
                error="Skriv ett tal som är 0 eller större (decimaler går bra), eller lämna "
                "cellen tom.",
            )
        dv.showErrorMessage = True
        dv.showInputMessage = True
        dv.promptTitle = m.label[:32]
        dv.prompt = (m.help or m.label)[:255]
        for rng in ok_ranges.get(m.id, []):
            dv.add(rng)
        if dv.sqref:
            ws.add_data_validation(dv)
    if na_ranges:
        dv = DataValidation(
            type="whole",
            operator="equal",
            formula1="0",
            allow_blank=True,
            errorTitle="Ej aktuellt",
            error="SVF:et gäller inte detta kön. Lämna cellen tom.",
            promptTitle="Ej aktuellt",
            prompt="SVF:et gäller inte detta kön. Lämna cellen tom.",
        )
        dv.showErrorMessage = True
        dv.showInputMessage = True
        for rng in na_ranges:
            dv.add(rng)
        ws.add_data_validation(dv)
    # Rows 1-2 and columns A-B are locked; every number cell stays unlocked so that a block of
    # figures can be pasted in one go. No password: Granska > Ta bort skydd if really needed.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.formatCells = False

    # -- PREM ---------------------------------------------------------------------------------
    used, sent, answers = prem if prem is not None else (None, None, None)
    prem_ws.append(["nyckel", "värde", "beskrivning"])
    prem_ws.append(
        [
            "prem_used",
            None if used is None else ("ja" if used else "nej"),
            _PREM_LABELS["prem_used"],
        ]
    )
    prem_ws.append(["prem_sent", sent, _PREM_LABELS["prem_sent"]])
    prem_ws.append(["prem_answers", answers, _PREM_LABELS["prem_answers"]])
    for cell in prem_ws[1]:
        cell.font = bold
        cell.fill = label_fill
    for r in range(2, 5):
        prem_ws[f"A{r}"].font = key_font
        prem_ws[f"B{r}"].protection = unlocked
        prem_ws[f"C{r}"].alignment = wrap_top
    dv = DataValidation(
        type="list",
        formula1='"ja,nej"',
        allow_blank=True,
        errorTitle="Fel värde",
        error="Välj ja eller nej, eller lämna cellen tom.",
    )
    dv.showErrorMessage = True
    dv.add("B2")
    prem_ws.add_data_validation(dv)
    dv = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        errorTitle="Fel värde",
        error="Skriv ett heltal som är 0 eller större, eller lämna cellen tom.",
    )
    dv.showErrorMessage = True
    dv.add("B3:B4")
    prem_ws.add_data_validation(dv)
    prem_ws.column_dimensions["A"].width = 16
    prem_ws.column_dimensions["B"].width = 12
    prem_ws.column_dimensions["C"].width = 70
    prem_ws.protection.sheet = True
    prem_ws.protection.formatColumns = False
    prem_ws.protection.formatRows = False

    # -- Info ---------------------------------------------------------------------------------
    info_rows: list[tuple[str, Any, str]] = [
        ("region", region.code, "Regionkod"),
        ("region_name", region.name, "Region"),
        ("year", tpl.year, "Redovisningsår"),
        ("template", tpl.id, "Mall"),
        ("period", tpl.period_label, "Period"),
        ("generated", date.today(), "Skapad"),
    ]
    for key, value, label in info_rows:
        info_ws.append([key, value, label])
    info_ws["B1"].number_format = "@"  # the region code is text: "01", not 1
    info_ws["B6"].number_format = "yyyy-mm-dd"
    info_ws.column_dimensions["A"].width = 14
    info_ws.column_dimensions["B"].width = 28
    info_ws.column_dimensions["C"].width = 16
    info_ws.protection.sheet = True

    # -- Instruktioner ------------------------------------------------------------------------
    _write_instructions(help_ws, tpl, region, bold, wrap_top)
    wb.active = 0

    try:
        wb.save(Path(path))
    except PermissionError as exc:
        raise UserError(
            f"Filen {Path(path).name} kan inte sparas – den kan vara öppen i Excel. Stäng den "
            "och försök igen."
        ) from exc
    except OSError as exc:
        raise UserError(f"Filen {path} kan inte sparas ({exc.strerror or exc}).") from exc


def _write_instructions(ws: Any, tpl: Template, region: Region, bold: Any, wrap: Any) -> None:
    from openpyxl.styles import Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    one_sex = [s for s in tpl.svfs if len(s.sexes) < len(tpl.sexes)]
    lines: list[tuple[str, str, str]] = [  # (style, column A, column B)
        ("title", f"SVF-redovisning {tpl.year} – {region.name} ({region.code})", ""),
        ("", "Period", tpl.period_label),
        ("", "", ""),
        ("head", "Så här fyller du i", ""),
        (
            "",
            "1.",
            "Gå till bladet SVF (klicka här). Fyll i siffrorna på raden för varje SVF, "
            "från kolumn C och åt höger.",
        ),
        (
            "",
            "2.",
            "Lämna en cell tom om du inte har siffran. Tomma celler ändrar ingenting vid "
            "import – det värde som redan finns i programmet ligger kvar.",
        ),
        (
            "",
            "3.",
            "Skriv bara heltal (0, 1, 2 …) i antalskolumnerna – inga decimaler, ingen "
            "text. Medianen (dagar) får ha decimaler.",
        ),
        (
            "",
            "4.",
            "Grå celler är ej aktuella: SVF:et gäller bara det ena könet "
            f"({', '.join(s.name for s in one_sex[:4])}{' …' if len(one_sex) > 4 else ''}). "
            "Lämna dem tomma.",
        ),
        (
            "",
            "5.",
            "Ändra inte rad 1 (nycklar som programmet läser) och inte kolumn A (SVF-id). "
            "Lägg inte till, ta bort eller byt namn på blad.",
        ),
        ("", "6.", "Fyll i bladet PREM: ja eller nej, och antal utskickade och besvarade enkäter."),
        ("", "7.", "Spara som Excel-arbetsbok (.xlsx)."),
        ("", "", ""),
        ("head", "Importera", ""),
        (
            "",
            "I programmet",
            "Öppna redovisningen och välj Importera från Excel. Programmet "
            "kontrollerar hela filen innan något sparas.",
        ),
        ("", "Kommandorad", "svf-report import --report ID FIL.xlsx"),
        (
            "",
            "Om något är fel",
            "Då importeras ingenting. Programmet listar varje fel med blad, "
            "rad och kolumn, så att du kan rätta filen och importera igen.",
        ),
        ("", "", ""),
        ("head", "Kolumnerna på bladet SVF", ""),
        ("", "svf_id / SVF", "SVF-id och namn på standardiserat vårdförlopp. Ändra inte."),
    ]
    for m in tpl.measures:
        keys = ", ".join(cell_key(m.id, x.id) for x in tpl.sexes)
        rule = (
            "Heltal, 0 eller större."
            if m.kind == "count"
            else "Tal, 0 eller större; decimaler går bra."
        )
        need = "" if m.required or "frivillig" in m.help.lower() else " Frivillig."
        lines.append(("", m.label, f"{m.help} {rule}{need} (Nycklar: {keys}.)"))
    for i, (style, a, b) in enumerate(lines, start=1):
        ca, cb = ws.cell(i, 1, a or None), ws.cell(i, 2, b or None)
        ca.alignment = wrap
        cb.alignment = wrap
        if style == "title":
            ca.font = Font(bold=True, size=14)
        elif style == "head":
            ca.font = Font(bold=True, size=12)
        elif a and not a.endswith("."):
            ca.font = bold
        if "(klicka här)" in (b or ""):
            cb.hyperlink = Hyperlink(ref=cb.coordinate, location=f"'{SHEET_SVF}'!C3")
            cb.font = Font(color="0563C1", underline="single")
        # openpyxl cannot measure text, and LibreOffice does not grow wrapped rows by itself:
        # give each row room for its longest text at about one character per width unit.
        lines_needed = max(math.ceil(len(a or "") / 22), math.ceil(len(b or "") / 90), 1)
        if lines_needed > 1:
            ws.row_dimensions[i].height = 15 * lines_needed
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 95
