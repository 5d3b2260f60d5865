"""Benchmark of reading and computing a patient-level SVF list (issue 16, point 6).

Run from the repository root:

    uv run python bench/bench_patients.py [--rows N] [--repeat N]

A generated list of N rows (default 100 000) is written as .csv and .xlsx; for each, the raw read
(the csv module / python-calamine iterating every row) and our full read + pseudonymise +
compute are timed in the same run, and the ratio printed (goal: at most 1.5). Times are CPU
seconds of this process (time.process_time: a shared machine's other load does not count); the
wall-clock ratio is printed too. The floor is the raw read plus what every row must cost at the
least: the identity number's check and its HMAC-SHA256 (issue 16, point 2). Peak memory of each
(tracemalloc, Python allocations) is printed too. Nothing here asserts on time."""

from __future__ import annotations

import argparse
import csv
import gc
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from desktop_app.domain.identity import normalise_identity_number  # noqa: E402
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


def floor_csv(path: Path) -> int:
    """The raw read plus the check and keyed hash of each row's identity number."""
    return _floor(path, raw_rows_csv(path))


def floor_xlsx(path: Path) -> int:
    return _floor(path, raw_rows_xlsx(path))


def raw_rows_csv(path: Path) -> Iterator[list[Any]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        yield from csv.reader(fh, delimiter=";")


def raw_rows_xlsx(path: Path) -> Iterator[list[Any]]:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    yield from wb.get_sheet_by_index(0).iter_rows()
    wb.close()


def _floor(path: Path, rows: Iterator[list[Any]]) -> int:
    hmac_of = pseudonymiser(b"k" * 32)
    n = 0
    for values in rows:
        pnr = normalise_identity_number(values[0], TODAY)
        if pnr is not None:
            hmac_of(pnr)
        n += 1
    return n


def ours(path: Path) -> int:
    tpl = load_template("svf-2024")
    mapping = mapping_from_dict(MAPPING, tpl)
    reader = RowReader(mapping, tpl, pseudonymiser(b"k" * 32), TODAY)
    rows = read_patient_list(path, mapping, reader, 10**7, 10**4)
    result = compute(rows.pathways, tpl, ["25", "Region Norrbotten"], rows.rejected)
    return len(result.figures)


def best(fn: Callable[[Path], int], path: Path, repeat: int) -> tuple[float, float]:
    """(CPU seconds, wall seconds): the median of ``repeat`` runs (the least below 3)."""
    cpu, wall = [], []
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        fn(path)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    pick = min if repeat < 3 else statistics.median
    return pick(cpu), pick(wall)


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
        del rows  # not held while timing: 100 000 lists would slow every garbage collection
        gc.collect()
        for kind, raw, floor in (("csv", raw_csv, floor_csv), ("xlsx", raw_xlsx, floor_xlsx)):
            path = files[kind]
            ours(path)  # warm: imports, template
            (t_raw, w_raw), (t_ours, w_ours) = (
                best(raw, path, args.repeat),
                best(ours, path, args.repeat),
            )
            t_floor, _ = best(floor, path, args.repeat)
            m_raw, m_ours = peak(raw, path), peak(ours, path)
            print(
                f"{kind:4} {args.rows} rader: rå läsning {t_raw:.3f} s, läsa+beräkna "
                f"{t_ours:.3f} s (CPU), kvot {t_ours / t_raw:.2f} (mål ≤ 1,5; väggklocka "
                f"{w_ours / w_raw:.2f}); golv rå läsning + kontroll och HMAC per rad "
                f"{t_floor:.3f} s, kvot {t_floor / t_raw:.2f}; toppminne rå {m_raw:.1f} MB, "
                f"vår {m_ours:.1f} MB"
            )


if __name__ == "__main__":
    main()
