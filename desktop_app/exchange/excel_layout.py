"""The layout of the import workbook and CSV files, shared by the reader (excel_read) and the
writer (excel_write): sheet names, keys, limits, and the result and error types.

Layout of the workbook (the reader relies on the keys, not on positions):

* ``SVF``: row 1 holds machine keys (``svf_id``, ``svf_name``, ``<measure>_<sex>`` …), row 2
  Swedish labels, then one row per SVF.
* ``PREM``: keys in column A (``prem_used``, ``prem_sent``, ``prem_answers``), values in B.
* ``Info``: key/value rows (``region``, ``region_name``, ``year``, ``template``, ``generated``).
* ``Instruktioner``: plain Swedish instructions.

A CSV file is the ``SVF`` sheet alone (comma or semicolon separated, UTF-8), optionally with the
label row and with ``region`` and ``year`` columns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from desktop_app.domain.errors import UserError
from desktop_app.domain.figures import Cell, Number
from desktop_app.domain.fmt import fmt_int
from desktop_app.domain.provenance import Extract

SHEET_SVF = "SVF"
SHEET_PREM = "PREM"
SHEET_INFO = "Info"
SHEET_HELP = "Instruktioner"
# A start file made from the RCC's national extract (issue 15): the extract's date, hash and
# RCC in the Info sheet, and the extract's values in this hidden sheet (key, value rows), so
# that an import knows which values are still the RCC's and which the region changed.
SHEET_EXTRACT = "RCC-uttag"
EXTRACT_KEYS = ("extract_date", "extract_sha256", "extract_rcc")

PREM_KEYS = ("prem_used", "prem_sent", "prem_answers")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
CSV_SUFFIXES = (".csv", ".txt")

MAX_PROBLEMS = 500  # reading stops after this many; a junk file gives a bounded list
SHOWN_PROBLEMS = 50  # lines of problems in str(ImportFileError)
MAX_FILE_BYTES = 50 * 1024 * 1024  # a filled-in template is a few tens of kB
MAX_VALUE = 100_000_000  # no count or median can be this large; also keeps SQLite integers safe
HEADER_SEARCH_ROWS = 5  # the key row is row 1, but tolerate a few rows inserted above it

PREM_LABELS = {
    "prem_used": "Använder regionen PREM-enkäter för att följa upp SVF? (ja/nej)",
    "prem_sent": "Antal utskickade PREM-enkäter",
    "prem_answers": "Antal besvarade PREM-enkäter",
}
OPTIONAL_KEYS = ("svf_name", "region", "year")


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
    # A start file from the RCC's extract: the extract and its values (issue 15).
    extract: Extract | None = None
    extract_values: dict[Cell, Number] = field(default_factory=dict)


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


def quote_value(value: object, limit: int = 40) -> str:
    s = str(value).replace("\n", " ").strip()
    return f"'{s[:limit]}…'" if len(s) > limit else f"'{s}'"


def fmt_number(v: float | int) -> str:
    if isinstance(v, int) or float(v).is_integer():
        return fmt_int(v)
    text = f"{v:,.6f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",")


def is_blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def key_of(raw: object) -> str:
    """A header or key cell as a normalised key ('' when blank)."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).strip().lower()
