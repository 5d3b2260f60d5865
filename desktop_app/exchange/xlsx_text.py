"""No live formulas from user text in an exported workbook.

openpyxl turns any string that starts with ``=`` into a formula and any string equal to an
error code (``#REF!``) into an error cell. Every exported workbook passes through
``neutralize_formulas`` before it is saved: each such cell becomes plain text again, except the
application's own formulas, which live in columns that the writer names (and where no user text
is ever written). A leading ``+``, ``-`` or ``@`` is already stored as text by openpyxl (cell
type ``s``), and Excel does not re-evaluate a stored text cell."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def neutralize_formulas(wb: Any, own: Mapping[str, frozenset[str]] | None = None) -> int:
    """Make every formula or error cell plain text, except in ``own`` (sheet title → column
    letters that hold the application's formulas). Returns how many cells were changed."""
    keep = own or {}
    changed = 0
    for ws in wb.worksheets:
        columns = keep.get(ws.title, frozenset())
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type in ("f", "e") and cell.column_letter not in columns:
                    cell.data_type = "s"
                    changed += 1
    return changed
