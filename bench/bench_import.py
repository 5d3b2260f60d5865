"""Benchmark of the Excel import and of the command line's start-up.

Run from the repository root:

    uv run python bench/bench_import.py [--repeat N]

Every figure is printed next to a baseline measured in the same run on the same machine, and
the ratio between them is what to compare over time (absolute times depend on the machine).
Nothing here asserts on time; see bench/README.md."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from desktop_app.domain.reference import load_reference  # noqa: E402
from desktop_app.domain.template import Template, load_template  # noqa: E402
from desktop_app.exchange.excel import read_import_file, write_import_workbook  # noqa: E402

YEAR = 2024


def plausible_values(tpl: Template, rnd: random.Random) -> dict[tuple[str, str, str], int | float]:
    """Random counts with within <= included <= investigated and over_175 <= included - within."""
    values: dict[tuple[str, str, str], int | float] = {}
    for svf in tpl.svfs:
        for sex in svf.sexes:
            investigated = rnd.randint(0, 1500)
            included = rnd.randint(0, investigated)
            within = rnd.randint(0, included)
            over = rnd.randint(0, included - within)
            values[(svf.id, "expected", sex)] = rnd.randint(included, included * 2 + 10)
            values[(svf.id, "investigated", sex)] = investigated
            values[(svf.id, "included", sex)] = included
            values[(svf.id, "within_lead_time", sex)] = within
            values[(svf.id, "over_175", sex)] = over
            values[(svf.id, "median_days", sex)] = round(rnd.uniform(5, 120), 1)
    return values


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def line(label: str, seconds: float, baseline: float | None = None) -> None:
    """One aligned result line, with the ratio to the baseline if given."""
    tail = f"   {ratio(seconds, baseline)}" if baseline is not None else ""
    print(f"    {label:<48}{ms(seconds)}{tail}")


def ratio(a: float, b: float) -> str:
    return f"{a / b:6.2f}x" if b > 0 else "     –"


def make_files(folder: Path, tpl: Template) -> list[tuple[str, Path]]:
    rnd = random.Random(2024)
    files = []
    for region in load_reference().regions:
        path = folder / f"region{region.code}.xlsx"
        prem = (True, rnd.randint(100, 5000), None)
        prem = (prem[0], prem[1], rnd.randint(0, prem[1]))
        write_import_workbook(path, tpl, region, plausible_values(tpl, rnd), prem)
        files.append((region.code, path))
    return files


def bench_read(files: list[tuple[str, Path]], tpl: Template, repeat: int) -> float:
    from python_calamine import CalamineWorkbook

    def raw() -> None:
        for _code, path in files:
            wb = CalamineWorkbook.from_path(str(path))
            for name in wb.sheet_names:
                wb.get_sheet_by_name(name).to_python()
            wb.close()

    def ours() -> None:
        for code, path in files:
            read_import_file(path, tpl, code)

    ours()  # warm-up: imports, template and reference caches
    raw()
    t_raw = timed(raw, repeat)
    t_ours = timed(ours, repeat)
    n = len(files)
    print(f"(a) läsa och kontrollera {n} ifyllda arbetsböcker (median av {repeat} körningar)")
    line("rå läsning med python-calamine (alla blad)", t_raw)
    line("read_import_file (läsa + kontrollera)", t_ours, t_raw)
    return t_raw


def bench_junk(folder: Path, tpl: Template, repeat: int) -> None:
    """A hostile CSV of 100 000 junk rows: refused with a bounded problem list, against a plain
    csv read of the same file (the suite checks the bound; the time is measured here)."""
    import csv

    from desktop_app.exchange.excel import ImportFileError

    path = folder / "skrap.csv"
    junk = "\n".join(f"x{i};abc;-1;{i}.5" for i in range(100_000))
    path.write_text("svf_id;expected_kvinnor;expected_man;included_man\n" + junk, encoding="utf-8")

    def raw() -> None:
        with path.open(encoding="utf-8", newline="") as f:
            for _row in csv.reader(f, delimiter=";"):
                pass

    def ours() -> None:
        with contextlib.suppress(ImportFileError):
            read_import_file(path, tpl, "25")

    t_raw = timed(raw, repeat)
    t_ours = timed(ours, repeat)
    print(f"(a2) en CSV med 100 000 skräprader (median av {repeat} körningar)")
    line("csv.reader genom hela filen", t_raw)
    line("read_import_file (avvisar, högst 500 fel)", t_ours, t_raw)


def bench_service(files: list[tuple[str, Path]], t_raw: float, folder: Path) -> None:
    try:
        imports = importlib.import_module("desktop_app.services.imports")
        reports = importlib.import_module("desktop_app.services.reports")
        bootstrap = importlib.import_module("desktop_app.services.bootstrap").bootstrap
    except ImportError as exc:
        print(f"(b) hoppas över: importtjänsten finns inte ännu ({exc})")
        return
    if not hasattr(imports, "import_file"):
        print("(b) hoppas över: desktop_app.services.imports saknar import_file")
        return
    try:
        db = folder / "bench.sqlite3"
        ctx = bootstrap(db)
        ids = [(reports.create_report(ctx, code, YEAR), path) for code, path in files]
        t = time.perf_counter()
        for rid, path in ids:
            imports.import_file(ctx, rid, path)
        t_full = time.perf_counter() - t
        close = getattr(ctx, "close", None)
        if close is not None:
            close()
    except Exception as exc:  # the service is work in progress; report, don't crash
        print(f"(b) fullständig import misslyckades: {type(exc).__name__}: {exc}")
        return
    print(f"(b) fullständig import av {len(files)} filer till en ny SQLite-databas (en körning)")
    line("rå läsning med python-calamine (från a)", t_raw)
    line("imports.import_file (läsa, kontrollera, spara)", t_full, t_raw)
    line("per fil", t_full / len(files))


def run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=120)


def bench_cli(repeat: int) -> None:
    baseline_cmd = [sys.executable, "-c", ""]  # an empty program
    help_cmd = [sys.executable, "-m", "desktop_app", "--help"]
    probe = run(help_cmd)
    if probe.returncode != 0:
        first = (probe.stderr.strip().splitlines() or ["(ingen utskrift)"])[-1]
        print(
            f"(c) hoppas över: '{' '.join(help_cmd[1:])}' avslutades med kod "
            f"{probe.returncode}: {first}"
        )
        return

    def median_run(cmd: list[str]) -> float:
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            run(cmd)
            times.append(time.perf_counter() - t)
        return statistics.median(times)

    t_base = median_run(baseline_cmd)
    t_help = median_run(help_cmd)
    print(f"(c) start av kommandoraden (median av {repeat} körningar)")
    line("python -c '' (tomt program)", t_base)
    line("python -m desktop_app --help", t_help, t_base)

    prof = run([sys.executable, "-X", "importtime", "-m", "desktop_app", "--help"])
    rows = []
    for text in prof.stderr.splitlines():
        # "import time:      self [us] |    cumulative | imported package"
        parts = text.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        rows.append((int(parts[1].strip()), parts[2].rstrip()))
    names = {name.strip().split(".")[0] for _us, name in rows}
    heavy = [
        m
        for m in (
            "PySide6",
            "openpyxl",
            "python_calamine",
            "sqlalchemy",
            "alembic",
            "sqlmodel",
            "jsonschema",
        )
        if m in names
    ]
    print(f"    PySide6 importeras av --help: {'JA' if 'PySide6' in names else 'nej'}")
    print(f"    tunga paket som importeras av --help: {', '.join(heavy) or 'inga'}")
    top = sorted((r for r in rows if not r[1].startswith("  ")), reverse=True)[:5]
    if top:
        print("    största toppnivåimporterna (kumulativt):")
        for us, name in top:
            print(f"      {us / 1000:7.1f} ms  {name.strip()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="körningar per mätning (5)")
    args = parser.parse_args()
    tpl = load_template(f"svf-{YEAR}")
    print(f"Python {sys.version.split()[0]} på {sys.platform}")
    with tempfile.TemporaryDirectory(prefix="svf-bench-") as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        files = make_files(folder, tpl)
        print(f"Skapade {len(files)} arbetsböcker på {ms(time.perf_counter() - t).strip()}")
        t_raw = bench_read(files, tpl, args.repeat)
        bench_junk(folder, tpl, args.repeat)
        bench_service(files, t_raw, folder)
    bench_cli(args.repeat)


if __name__ == "__main__":
    main()
