"""Starts the desktop application: the only Qt entry point besides ui/."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def app_icon():  # type: ignore[no-untyped-def]
    """The application icon in every size shipped in resources/icons."""
    from PySide6.QtGui import QIcon

    from desktop_app.resources import resources_dir

    icon = QIcon()
    for png in sorted((resources_dir() / "icons").glob("svf-redovisning-*.png")):
        icon.addFile(str(png))
    return icon


def run_gui(db_path: Path | None = None, argv: list[str] | None = None) -> int:
    # The services and the domain modules the first screen needs are imported, and the database
    # checked, before Qt: once PySide6 is loaded, its import hook reads the source of every
    # module imported after it (shiboken's __feature__ check). SQLAlchemy is not imported at
    # all on a normal start (the list is read with plain sqlite3, see storage.views).
    from desktop_app import __version__
    from desktop_app.domain.errors import UserError
    from desktop_app.services import reports  # noqa: F401  (imported before Qt, see above)
    from desktop_app.services.bootstrap import bootstrap, default_db_path

    # The user's own database, empty on the first start: the welcome page offers the example
    # database (a separate file, never this one) in one click.
    path = Path(db_path) if db_path else default_db_path()
    failure: UserError | None = None
    try:
        ctx = bootstrap(path)
    except UserError as exc:
        failure = exc

    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop_app.ui.errors import install_excepthook
    from desktop_app.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("SVF-redovisning")
    app.setOrganizationName("SVF-redovisning")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    from desktop_app.ui.translations import install_swedish

    install_swedish(app)
    app.setDesktopFileName(
        "svf-redovisning"
    )  # links the window to installer/svf-redovisning.desktop
    install_excepthook()
    from desktop_app.services.bootstrap import DamagedDatabaseError

    if isinstance(failure, DamagedDatabaseError):
        from desktop_app.ui.store_dialogs import recover_damaged

        recovered = recover_damaged(failure)  # restore the backup, or read-only, or quit
        if recovered is None:
            return 2
        ctx, failure = recovered, None
    if failure is not None:
        QMessageBox.critical(None, "SVF-redovisning", str(failure))
        return 2
    window = MainWindow(ctx)
    window.show()
    _arm_smoke_quit(app, window)
    return app.exec()


def _arm_smoke_quit(app, window) -> None:  # type: ignore[no-untyped-def]
    """Test hook for installer/smoke_test.sh: with $SVF_SMOKE_QUIT_MS set, open the report
    $SVF_SMOKE_OPEN_REPORT (if set) and show each of its steps, report on stderr what the
    started program showed, and quit after that many milliseconds (exit 1 if something failed)."""
    delay = os.environ.get("SVF_SMOKE_QUIT_MS", "")
    if not delay.isdigit():
        return
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QImageReader

    def report_and_quit() -> None:
        status, shown = 0, ""
        try:
            report = os.environ.get("SVF_SMOKE_OPEN_REPORT", "")
            if report.isdigit():
                window.open_report(int(report))
                view = window.report_view
                for row in range(view.steps.count()):
                    view.go_to(row)
                    app.processEvents()
                shown = f" report={report} steps={view.steps.count()}"
        except Exception as exc:  # reported on stderr, and the exit code says it
            status, shown = 1, f" error={type(exc).__name__}: {exc}"
        formats = {bytes(f).decode() for f in QImageReader.supportedImageFormats()}
        if sys.stderr is not None:  # None in a windowed Windows executable
            sys.stderr.write(
                f"SVF_SMOKE window={window.windowTitle()!r} visible={window.isVisible()} "
                f"icon={not app.windowIcon().isNull()} svg={'svg' in formats} "
                f"ico={'ico' in formats}{shown}\n"
            )
        window.close()
        app.exit(status)

    QTimer.singleShot(int(delay), report_and_quit)
