"""Limits on every file the program reads, in one place. The checks that apply them live with
the readers (desktop_app.exchange.limits for workbooks, CSV and JSON documents;
desktop_app.signing.pdf_guard for PDF structures)."""

# -- workbooks ---------------------------------------------------------------------------------
XLSX_MAX_ENTRIES = 1_000  # a workbook from the template has about 15 parts
XLSX_MAX_PART_BYTES = 16 * 1024 * 1024  # one decompressed part (sheet XML, shared strings)
XLSX_MAX_TOTAL_BYTES = 48 * 1024 * 1024  # all parts together, decompressed
SHEET_MAX_ROWS = 20_000  # the SVF sheet has about 35 rows
SHEET_MAX_COLUMNS = 250  # ... and about 40 columns (250 is column IP); the limits keep the
# rectangle a reader holds (rows x columns, 5 million cells) at about 220 MB
SHARED_STRING_MAX_BYTES = 128 * 1024  # Excel itself allows 32 767 characters in a cell
WORKBOOK_MAX_TEXT_BYTES = 16 * 1024 * 1024  # text all cells expand to (shared strings reused)

# -- CSV ---------------------------------------------------------------------------------------
CSV_MAX_ROWS = 200_000
CSV_MAX_FIELDS = 2_000_000  # all rows together (about 100 MB as Python strings)
CSV_MAX_COLUMNS = SHEET_MAX_COLUMNS
CSV_MAX_FIELD_CHARS = 32_767

# -- JSON documents ----------------------------------------------------------------------------
JSON_MAX_BYTES = 8 * 1024 * 1024  # a report document is a few tens of kB
JSON_MAX_DEPTH = 32  # the report document nests 4 levels
JSON_MAX_NUMBER_CHARS = 40  # no figure or amount has more digits

# -- PDF ---------------------------------------------------------------------------------------
PDF_NAME_TREE_MAX_DEPTH = 32
PDF_NAME_TREE_MAX_NODES = 10_000
PDF_MAX_EMBEDDED_FILES = 100

# -- a report registered by the RCC (a PDF or Word file kept in the database) ------------------
REGISTERED_FILE_MAX_BYTES = 20 * 1024 * 1024
