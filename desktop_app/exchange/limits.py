"""Limits on every file the program reads, and the checks that apply them *before* the heavy
parse, so that no file can make the process allocate without bound, recurse without bound or
hang.

All limits are named constants in desktop_app.domain.limits. Each check raises ``InputLimitError`` whose text is a
complete Swedish message naming the limit and where it was passed (file, part, sheet, cell).

* Workbooks (.xlsx/.xlsm): the zip is inspected entry by entry, every part decompressed with a
  cap (so the sizes in the zip headers are not trusted), the cells' positions and the sheets'
  dimensions checked against a row and column limit, shared strings measured, and the text that
  the cells would expand to summed. Only then is calamine allowed to open the file.
* CSV: rows, columns and field length.
* JSON documents: size, nesting depth and number length (checked on the text before parsing).
* PDF name trees: walked with a visited set, a depth cap and a node cap (see
  ``desktop_app.signing.pdf_guard``; the caps are here)."""

from __future__ import annotations

import json
import re
import zipfile
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import UserError
from desktop_app.domain.fmt import fmt_int
from desktop_app.domain.limits import (
    CSV_MAX_COLUMNS,
    CSV_MAX_FIELD_CHARS,
    CSV_MAX_FIELDS,
    CSV_MAX_ROWS,
    JSON_MAX_BYTES,
    JSON_MAX_DEPTH,
    JSON_MAX_NUMBER_CHARS,
    SHARED_STRING_MAX_BYTES,
    SHEET_MAX_COLUMNS,
    SHEET_MAX_ROWS,
    WORKBOOK_MAX_TEXT_BYTES,
    XLSX_MAX_ENTRIES,
    XLSX_MAX_PART_BYTES,
    XLSX_MAX_TOTAL_BYTES,
)

_MB = 1024 * 1024


class InputLimitError(UserError):
    """A file passes one of the limits above; ``str(err)`` names the limit and where."""


def _mb(n: int) -> str:
    return f"{fmt_int(max(1, round(n / _MB)))} MB"


def column_number(letters: str) -> int:
    """1 for A, 27 for AA, 16384 for XFD."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


# -- workbooks ---------------------------------------------------------------------------------

_REF_RE = re.compile(rb"^\$?([A-Za-z]{1,4})\$?(\d{1,8})$")
# The start tag of a cell, a row or the sheet's dimension, with its position attribute; a
# namespace prefix (x:c) is allowed, as Excel and other writers may use one.
_POS_RE = re.compile(
    rb"<(?:[\w.-]+:)?(c|row|dimension)\b([^>]*?)\s(r|ref)\s*=\s*[\"']([^\"']*)[\"']"
)
_CELL_RE = re.compile(
    rb"<(?:[\w.-]+:)?c\b([^>]*)>\s*<(?:[\w.-]+:)?v>\s*(\d{1,12})\s*</(?:[\w.-]+:)?v>"
)
_SHARED_T_RE = re.compile(rb"\st\s*=\s*[\"']s[\"']")
_SI_RE = re.compile(rb"<(/?)(?:[\w.-]+:)?si\b[^>]*?(/?)>")
_SHEET_PART_RE = re.compile(r"(^|/)(worksheets|chartsheets|dialogsheets|macrosheets)/", re.I)


@dataclass
class _Zip:
    label: str
    total: int = 0


def _read_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, z: _Zip) -> bytes:
    """The decompressed part, read with a cap on its real size (headers are not trusted)."""
    chunks: list[bytes] = []
    size = 0
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(1024 * 1024)
            if not chunk:
                break
            size += len(chunk)
            z.total += len(chunk)
            if size > XLSX_MAX_PART_BYTES:
                raise InputLimitError(
                    f"{z.label}: delen {info.filename} i arbetsboken är större än gränsen "
                    f"{_mb(XLSX_MAX_PART_BYTES)} när den packas upp. En ifylld SVF-mall är "
                    "några tiotals kB – kontrollera att det är rätt fil."
                )
            if z.total > XLSX_MAX_TOTAL_BYTES:
                raise InputLimitError(
                    f"{z.label}: arbetsboken blir större än gränsen "
                    f"{_mb(XLSX_MAX_TOTAL_BYTES)} när den packas upp (vid delen "
                    f"{info.filename}). Filen kan vara en så kallad zip-bomb – kontrollera att "
                    "det är rätt fil."
                )
            chunks.append(chunk)
    return b"".join(chunks)


def _check_position(kind: bytes, value: bytes, where: str, label: str) -> None:
    refs = value.split(b":") if kind == b"dimension" else [value]
    for ref in refs:
        if kind == b"row":
            if not ref.strip().isdigit():
                continue
            row, col = int(ref), 1
        else:
            m = _REF_RE.match(ref.strip())
            if m is None:
                continue
            col, row = column_number(m.group(1).decode("ascii")), int(m.group(2))
        if row > SHEET_MAX_ROWS or col > SHEET_MAX_COLUMNS:
            shown = value.decode("ascii", "replace")
            what = {b"dimension": "anger området", b"row": "har rad"}.get(kind, "har en cell i")
            raise InputLimitError(
                f"{label}: {where} {what} {shown}, utanför gränsen {fmt_int(SHEET_MAX_ROWS)} "
                f"rader och {fmt_int(SHEET_MAX_COLUMNS)} kolumner. Ta bort innehåll och "
                "formatering långt ut i bladet (markera de tomma raderna och kolumnerna och "
                "välj Ta bort) och spara igen."
            )


_SHEET_TAG_RE = re.compile(rb"<(?:[\w.-]+:)?sheet\b[^>]*>")
_ATTR_RE = re.compile(rb"([\w:.-]+)\s*=\s*[\"']([^\"']*)[\"']")


def _sheet_names(zf: zipfile.ZipFile, z: _Zip) -> dict[str, str]:
    """Sheet part (e.g. xl/worksheets/sheet1.xml) → the sheet's name, for the messages."""
    try:
        wb = _read_part(zf, zf.getinfo("xl/workbook.xml"), z)
        rels = _read_part(zf, zf.getinfo("xl/_rels/workbook.xml.rels"), z)
    except KeyError:
        return {}
    targets = {}
    for tag in re.findall(rb"<(?:[\w.-]+:)?Relationship\b[^>]*>", rels):
        attrs = dict(_ATTR_RE.findall(tag))
        target = attrs.get(b"Target", b"").decode("utf-8", "replace").lstrip("/")
        targets[attrs.get(b"Id", b"")] = target if target.startswith("xl/") else f"xl/{target}"
    out = {}
    for tag in _SHEET_TAG_RE.findall(wb):
        attrs = {k.split(b":")[-1]: v for k, v in _ATTR_RE.findall(tag)}
        part = targets.get(attrs.get(b"id", b""))
        if part:
            out[part] = attrs.get(b"name", b"").decode("utf-8", "replace")
    return out


def _shared_string_sizes(data: bytes, part: str, label: str) -> array[int]:
    sizes: array[int] = array("L")
    start = -1
    for m in _SI_RE.finditer(data):
        if m.group(1):  # </si>
            if start >= 0:
                sizes.append(m.start() - start)
                start = -1
        elif m.group(2):  # <si/>
            sizes.append(0)
        else:
            start = m.end()
        if sizes and sizes[-1] > SHARED_STRING_MAX_BYTES:
            raise InputLimitError(
                f"{label}: text nummer {fmt_int(len(sizes))} i arbetsbokens gemensamma texter "
                f"({part}) är {_mb(sizes[-1])} lång, över gränsen "
                f"{fmt_int(SHARED_STRING_MAX_BYTES // 1024)} kB för en cell."
            )
    return sizes


def _sheet_text_bytes(data: bytes, strings: array[int]) -> int:
    """The bytes of shared text the sheet's cells expand to."""
    total = 0
    for m in _CELL_RE.finditer(data):
        if _SHARED_T_RE.search(m.group(1)):
            i = int(m.group(2))
            if i < len(strings):
                total += strings[i]
    return total


def check_xlsx(path: Path) -> None:
    """Check a workbook's zip against the limits; raises InputLimitError (Swedish, naming the
    limit and where) or zipfile.BadZipFile for a file that is not a zip."""
    label = f"Filen {path.name}"
    z = _Zip(label)
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        if len(infos) > XLSX_MAX_ENTRIES:
            raise InputLimitError(
                f"{label} innehåller {fmt_int(len(infos))} delar, fler än gränsen "
                f"{fmt_int(XLSX_MAX_ENTRIES)} för en arbetsbok."
            )
        strings: array[int] = array("L")
        sheets: list[tuple[str, bytes]] = []
        names = _sheet_names(zf, z)
        for info in infos:
            if info.is_dir():
                continue
            data = _read_part(zf, info, z)
            if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]:
                raise InputLimitError(
                    f"{label}: delen {info.filename} innehåller en DTD, som en arbetsbok från "
                    "Excel aldrig har. Filen läses inte."
                )
            name = info.filename
            if name.lower().endswith("sharedstrings.xml"):
                strings = _shared_string_sizes(data, name, label)
            elif _SHEET_PART_RE.search(name) and name.lower().endswith(".xml"):
                where = f"bladet {names[name]}" if name in names else f"delen {name}"
                positions = [(m.group(1), m.group(4)) for m in _POS_RE.finditer(data)]
                # cells and the dimension first: their message names the cell (XFD1048576)
                for kind, value in sorted(positions, key=lambda p: p[0] == b"row"):
                    _check_position(kind, value, where, label)
                sheets.append((name, data))
        text = sum(_sheet_text_bytes(data, strings) for _, data in sheets)
        if text > WORKBOOK_MAX_TEXT_BYTES:
            raise InputLimitError(
                f"{label}: cellerna i arbetsboken innehåller tillsammans {_mb(text)} text, mer "
                f"än gränsen {_mb(WORKBOOK_MAX_TEXT_BYTES)}. En ifylld SVF-mall innehåller "
                "några kB text – kontrollera att det är rätt fil."
            )


# -- CSV ---------------------------------------------------------------------------------------


def csv_limit_message(file: str, what: str, line: int) -> str:
    limits = {
        "rows": f"fler än {fmt_int(CSV_MAX_ROWS)} rader",
        "columns": f"fler än {fmt_int(CSV_MAX_COLUMNS)} kolumner",
        "field": f"ett fält längre än {fmt_int(CSV_MAX_FIELD_CHARS)} tecken",
        "fields": f"fler än {fmt_int(CSV_MAX_FIELDS)} fält",
    }
    return (
        f"Filen {file} har {limits[what]} (rad {fmt_int(line)}), över gränsen för en "
        "SVF-fil. Kontrollera att det är rätt fil."
    )


# -- JSON documents ----------------------------------------------------------------------------

_JSON_NUMBER_RE = re.compile(rb"[-+0-9.eE]{%d,}" % (JSON_MAX_NUMBER_CHARS + 1))


def _json_depth_exceeded(data: bytes) -> bool:
    """Whether brackets outside strings nest deeper than JSON_MAX_DEPTH (a linear scan)."""
    depth = 0
    in_string = escaped = False
    for b in data:
        if in_string:
            if escaped:
                escaped = False
            elif b == 0x5C:  # backslash
                escaped = True
            elif b == 0x22:
                in_string = False
        elif b == 0x22:
            in_string = True
        elif b in (0x5B, 0x7B):
            depth += 1
            if depth > JSON_MAX_DEPTH:
                return True
        elif b in (0x5D, 0x7D):
            depth -= 1
    return False


def _outside_strings(data: bytes) -> bytes:
    return re.sub(rb'"(?:[^"\\]|\\.)*"', b'""', data)


def load_json_bounded(data: bytes, what: str) -> Any:
    """``json.loads`` under the size, depth and number-length limits. ``what`` names the
    document in the message ("rapportdokumentet i filen x.pdf"). Raises InputLimitError for a
    passed limit and ValueError (json.JSONDecodeError) for text that is not JSON."""
    if len(data) > JSON_MAX_BYTES:
        raise InputLimitError(
            f"{what} är {_mb(len(data))}, större än gränsen {_mb(JSON_MAX_BYTES)}."
        )
    if _json_depth_exceeded(data):
        raise InputLimitError(
            f"{what} är nästlat djupare än gränsen {fmt_int(JSON_MAX_DEPTH)} nivåer."
        )
    m = _JSON_NUMBER_RE.search(_outside_strings(data))
    if m is not None:
        raise InputLimitError(
            f"{what} innehåller ett tal med {fmt_int(len(m.group()))} tecken, fler än gränsen "
            f"{fmt_int(JSON_MAX_NUMBER_CHARS)}."
        )
    return json.loads(data.decode("utf-8"))
