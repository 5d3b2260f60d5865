"""Start the application on a fresh example database and save a screenshot of the report list
and of every step of one report. Run it through docs/make_screenshots.sh (under Xvfb), or with
QT_QPA_PLATFORM=offscreen.

    uv run python docs/make_screenshots.py OUT_DIR [REGION_CODE]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    region = sys.argv[2] if len(sys.argv) > 2 else "25"
    out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtWidgets import QApplication

    from desktop_app.services import reports
    from desktop_app.services.bootstrap import bootstrap
    from desktop_app.services.demo import create_demo
    from desktop_app.ui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName("SVF-redovisning-screenshots")
    QSettings().clear()
    db = Path(tempfile.mkdtemp()) / "svf-exempel.sqlite3"
    ctx = bootstrap(db)
    create_demo(ctx)
    window = MainWindow(ctx, first_start=True)
    window.resize(1366, 768)
    window.show()

    def settle() -> None:
        for _ in range(5):
            app.processEvents()

    def shot(name: str) -> None:
        settle()
        path = out / f"{name}.png"
        window.grab().save(str(path))
        print(path)

    # The list's criteria are checked in the database worker; photograph the list once they came.
    deadline = time.monotonic() + 30
    while window.model.loading and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    shot("00-redovisningar")
    report_id = next(r.id for r in reports.list_reports(ctx) if r.region.code == region)
    window.open_report(report_id)
    view = window.report_view
    for i, step in enumerate(view.session.template.steps, start=1):
        view.go_to_step(step.id)
        shot(f"{i:02d}-{step.id}")
    window.close()
    ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
