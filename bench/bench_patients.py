"""Benchmark of reading and computing a patient-level SVF list (issue 16, point 6).

Run from the repository root:

    uv run python bench/bench_patients.py [--rows N] [--repeat N]

A generated list of N rows (default 100 000) is written as .csv and .xlsx; for each, the raw read
(the csv module / python-calamine iterating every row) and our full read + pseudonymise +
compute are timed in the same run, and the ratio printed (goal: at most 1.5). Peak memory of
each (tracemalloc, Python allocations) is printed too. Nothing here asserts on time."""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from desktop_app.domain.patients import RowReader, compute, mapping_from_dict  # noqa: E402
from desktop_app.domain.template import load_template  # noqa: E402
from desktop_app.exchange.patient_read import read_patient_list  # noqa: E402
from desktop_app.services.patients import pseudonymiser  # noqa: E402
from tests.helpers.patient_lists import MAPPING, TODAY, generate, write_csv, write_xlsx  # noqa: E402


def raw_csv(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return sum(1 for _ in csv.reader(fh, delimiter=";"))


def raw_xlsx(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    n = sum(1 for _ in wb.get_sheet_by_index(0).iter_rows())
    wb.close()
    return n


def ours(path: Path) -> int:
    tpl = load_template("svf-2024")
    mapping = mapping_from_dict(MAPPING, tpl)
    reader = RowReader(mapping, tpl, pseudonymiser(b"k" * 32), TODAY)
    rows = read_patient_list(path, mapping, reader, 10**7, 10**4)
    result = compute(rows.pathways, tpl, ["25", "Region Norrbotten"], rows.rejected)
    return len(result.figures)


def best(fn: Callable[[Path], int], path: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(path)
        times.append(time.perf_counter() - t0)
    return min(times) if repeat < 3 else statistics.median(times)


def peak(fn: Callable[[Path], int], path: Path) -> float:
    tracemalloc.start()
    fn(path)
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top / 1e6


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rows, _ = generate(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        files = {"csv": Path(tmp) / "lista.csv", "xlsx": Path(tmp) / "lista.xlsx"}
        write_csv(files["csv"], rows)
        write_xlsx(files["xlsx"], rows)
        for kind, raw in (("csv", raw_csv), ("xlsx", raw_xlsx)):
            path = files[kind]
            ours(path)  # warm: imports, template
            t_raw = best(raw, path, args.repeat)
            t_ours = best(ours, path, args.repeat)
            m_raw, m_ours = peak(raw, path), peak(ours, path)
            print(
                f"{kind:4} {args.rows} rader: rå läsning {t_raw:.3f} s, läsa+beräkna "
                f"{t_ours:.3f} s, kvot {t_ours / t_raw:.2f} (mål ≤ 1,5); toppminne "
                f"rå {m_raw:.1f} MB, vår {m_ours:.1f} MB"
            )


if __name__ == "__main__":
    main()
