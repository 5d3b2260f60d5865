"""Benchmark of the desktop application's start: time to an interactive main window on the
demo database, against a bare PySide6 window with a 21-row table measured in the same run.

Run from the repository root:

    uv run python bench/bench_startup.py [--repeat N]

Each start is a fresh subprocess (bytecode cached by a warm-up start that is not counted);
bare and application starts alternate, and the medians are compared. "Interactive" is the
first turn of the event loop after the main window's first paint. For the application the
moment the report list is complete (criteria columns filled) is printed as well. Peak memory
is the child's ru_maxrss at that moment. Nothing here asserts on time; see bench/README.md."""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------------- child side


def _cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def _rss_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024


def _say(what: str) -> None:
    sys.stdout.write(f"{what} {_cpu():.4f} {_rss_mb():.1f}\n")
    sys.stdout.flush()


def _arm(app, window, filled) -> None:  # type: ignore[no-untyped-def]
    """Report READY on the first event-loop turn after the window's first paint, FILLED once
    ``filled()`` holds, then quit."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    def wait_filled() -> None:
        if filled():
            _say("FILLED")
            app.exit(0)
        else:
            QTimer.singleShot(2, wait_filled)

    def ready() -> None:
        _say("READY")
        wait_filled()

    class FirstPaint(QObject):
        seen = False

        def eventFilter(self, obj, event):  # type: ignore[no-untyped-def]  # noqa: N802
            if not self.seen and event.type() == QEvent.Type.Paint:
                self.seen = True
                QTimer.singleShot(0, ready)
            return False

    window._bench_filter = FirstPaint(window)
    window.installEventFilter(window._bench_filter)


def child_bare() -> int:
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget, QTableWidgetItem

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    table = QTableWidget(21, 8)
    for r in range(21):
        for c in range(8):
            table.setItem(r, c, QTableWidgetItem(f"Region {r} kolumn {c}"))
    window.setCentralWidget(table)
    window.resize(1280, 760)
    _arm(app, window, lambda: True)
    window.show()
    return app.exec()


def child_app(db: str) -> int:
    """The real entry point (`python -m desktop_app --db X`), with the bench's hook in place
    of the smoke-test hook (which run_gui calls once the window is shown)."""
    sys.path.insert(0, str(ROOT))
    import desktop_app.app as gui

    def arm(app, window) -> None:  # type: ignore[no-untyped-def]
        model = window.model
        _arm(app, window, lambda: not getattr(model, "loading", False) and model.rowCount() > 0)

    gui._arm_smoke_quit = arm  # type: ignore[assignment]
    from desktop_app.__main__ import main

    sys.argv = [sys.argv[0], "--db", db]
    main()
    return 0


# ---------------------------------------------------------------------- parent side


def start(kind: str, db: Path, env: dict[str, str]) -> dict[str, float]:
    """One fresh child; wall times (from spawning it) and its CPU and peak memory."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", kind, "--db", str(db)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env
    )
    out: dict[str, float] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        parts = line.split()
        if len(parts) == 3 and parts[0] in ("READY", "FILLED"):
            key = parts[0].lower()
            out[f"{key}_wall"] = time.perf_counter() - t0
            out[f"{key}_cpu"] = float(parts[1])
            out[f"{key}_rss"] = float(parts[2])
    assert proc.stderr is not None
    errors = proc.stderr.read()
    if proc.wait(timeout=120) != 0 or "ready_wall" not in out:
        raise SystemExit(f"{kind}: the child failed (exit {proc.returncode}):\n{errors}")
    return out


def med(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="starts of each kind (7)")
    parser.add_argument("--child", choices=("bare", "app"), help=argparse.SUPPRESS)
    parser.add_argument("--db", help="an existing database (default: a new demo database)")
    args = parser.parse_args()
    if args.child == "bare":
        sys.exit(child_bare())
    if args.child == "app":
        sys.exit(child_app(args.db))

    with tempfile.TemporaryDirectory(prefix="svf-bench-start-") as tmp:
        env = dict(os.environ)
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        env["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")  # QSettings of the runs: thrown away
        env.pop("SVF_REPORT_DB", None)
        env.pop("SVF_SMOKE_QUIT_MS", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # the warm-up start writes the bytecode
        db = Path(args.db) if args.db else Path(tmp) / "svf-exempel.sqlite3"
        if not args.db:
            subprocess.run(
                [sys.executable, "-m", "desktop_app", "demo", "--db", str(db)],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
            )
        print(f"Python {sys.version.split()[0]} på {sys.platform}, {os.cpu_count()} kärnor")
        start("bare", db, env)  # warm-up: bytecode written, files in the page cache
        start("app", db, env)
        bare, app = [], []
        for _ in range(args.repeat):
            bare.append(start("bare", db, env))
            app.append(start("app", db, env))
    report(bare, app, args.repeat)


def report(bare: list[dict[str, float]], app: list[dict[str, float]], repeat: int) -> None:
    bw, bc = med(bare, "ready_wall"), med(bare, "ready_cpu")
    aw, ac = med(app, "ready_wall"), med(app, "ready_cpu")
    fw, fc = med(app, "filled_wall"), med(app, "filled_cpu")
    print(f"Start till interaktivt fönster (median av {repeat} starter, nya processer)")
    print(f"  {'':<44}{'väggtid':>10}{'CPU':>10}{'minne':>10}")
    print(
        f"  {'PySide6-fönster med tabell, 21 rader':<44}{bw * 1000:8.0f} ms{bc * 1000:7.0f} ms"
        f"{med(bare, 'ready_rss'):7.0f} MB"
    )
    print(
        f"  {'SVF-redovisning, exempeldatabasen':<44}{aw * 1000:8.0f} ms{ac * 1000:7.0f} ms"
        f"{med(app, 'ready_rss'):7.0f} MB"
    )
    print(
        f"  {'  … listan med villkor ifylld':<44}{fw * 1000:8.0f} ms{fc * 1000:7.0f} ms"
        f"{med(app, 'filled_rss'):7.0f} MB"
    )
    print(f"  kvot (interaktivt fönster): {aw / bw:.2f}x väggtid, {ac / bc:.2f}x CPU")
    print(f"  kvot (listan ifylld):       {fw / bw:.2f}x väggtid, {fc / bc:.2f}x CPU")
    print(f"  toppminne (ru_maxrss): {max(r['filled_rss'] for r in app):.0f} MB")


if __name__ == "__main__":
    main()
