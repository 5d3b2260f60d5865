"""Exchange of report data with other programs: the Excel import workbook and CSV files.

Nothing here imports Qt; openpyxl and python-calamine are imported only when used, so that
commands which never touch a file do not pay for them."""
