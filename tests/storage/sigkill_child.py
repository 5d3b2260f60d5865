"""The child of ``test_sigkill``: edits and imports into one report without end, writing to a
journal file what it is about to do and, after each commit, what it has done. The parent kills
it with SIGKILL at a random moment and checks the database against the journal.

    python -m tests.storage.sigkill_child DB REPORT_ID RUN JOURNAL A.xlsx B.xlsx

Journal lines: ``ready``, ``begin edit N`` / ``done edit N`` (finance recipient set to
``K<run>-<N>``), ``begin import N A`` / ``done import N A`` (the whole of workbook A or B)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

EDITS_PER_IMPORT = 3


def recipient(run: int, n: int) -> str:
    return f"K{run}-{n}"


def _line(journal: int, text: str) -> None:
    os.write(journal, (text + "\n").encode())  # unbuffered: what is written survives SIGKILL


def main(argv: list[str]) -> None:
    from desktop_app.domain.finance import FinancialStatement
    from desktop_app.services import imports, reports
    from desktop_app.services.bootstrap import bootstrap

    db, report_id, run, journal_path, *workbooks = argv
    rid, run_no = int(report_id), int(run)
    journal = os.open(journal_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    ctx = bootstrap(Path(db))
    base = reports.get_report(ctx, rid).finance
    _line(journal, "ready")
    n = 0
    while True:
        if n % (EDITS_PER_IMPORT + 1) == EDITS_PER_IMPORT:
            which = "AB"[(n // (EDITS_PER_IMPORT + 1)) % 2]
            preview = imports.preview_import(ctx, rid, Path(workbooks["AB".index(which)]))
            _line(journal, f"begin import {n} {which}")
            imports.apply_import(ctx, preview)
            _line(journal, f"done import {n} {which}")
        else:
            new = FinancialStatement.from_dict(base.to_dict() | {"recipient": recipient(run_no, n)})
            _line(journal, f"begin edit {n}")
            reports.set_finance(ctx, rid, new, base=base)
            _line(journal, f"done edit {n}")
            base = new
        n += 1


if __name__ == "__main__":
    main(sys.argv[1:])
