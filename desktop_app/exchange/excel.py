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

from desktop_app.exchange.excel_layout import (
    CSV_SUFFIXES,
    EXCEL_SUFFIXES,
    HEADER_SEARCH_ROWS,
    MAX_FILE_BYTES,
    MAX_PROBLEMS,
    MAX_VALUE,
    PREM_KEYS,
    SHEET_HELP,
    SHEET_INFO,
    SHEET_PREM,
    SHEET_SVF,
    SHOWN_PROBLEMS,
    CellRef,
    ImportData,
    ImportFileError,
    ImportProblem,
    column_letter,
)
from desktop_app.exchange.excel_read import read_import_file
from desktop_app.exchange.excel_write import write_import_workbook

__all__ = [
    "CSV_SUFFIXES",
    "EXCEL_SUFFIXES",
    "HEADER_SEARCH_ROWS",
    "MAX_FILE_BYTES",
    "MAX_PROBLEMS",
    "MAX_VALUE",
    "PREM_KEYS",
    "SHEET_HELP",
    "SHEET_INFO",
    "SHEET_PREM",
    "SHEET_SVF",
    "SHOWN_PROBLEMS",
    "CellRef",
    "ImportData",
    "ImportFileError",
    "ImportProblem",
    "column_letter",
    "read_import_file",
    "write_import_workbook",
]
