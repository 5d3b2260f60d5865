"""Every control of every step can be reached by keyboard and has a name a screen reader reads."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QLabel,
    QScrollBar,
    QWidget,
)

from desktop_app.services import reports
from desktop_app.ui.main_window import MainWindow


def named(w: QWidget) -> bool:
    if w.accessibleName():
        return True
    if isinstance(w, QAbstractButton) and w.text().replace("&", "").strip():
        return True
    # a form label pointing at the widget names it
    return any(lbl.buddy() is w and lbl.text() for lbl in w.window().findChildren(QLabel))


def test_every_focusable_control_is_named(qtbot, ctx):
    rid = reports.create_report(ctx, "14", 2024)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.open_report(rid)
    view = window.report_view
    missing = []
    for step in view.session.template.steps:
        page = view.go_to_step(step.id)
        for w in page.findChildren(QWidget):
            if (
                w.focusPolicy() == Qt.FocusPolicy.NoFocus
                or not w.isVisibleTo(page)
                or isinstance(w, QScrollBar)
                or (isinstance(w, QAbstractScrollArea) and type(w).__name__ == "QScrollArea")
                or w.parent() is not None
                and isinstance(w.parent(), QAbstractScrollArea)
                and w is w.parent().viewport()
            ):
                continue
            if not named(w):
                missing.append(f"{step.id}: {type(w).__name__} {w.objectName()}")
    assert not missing, missing


def test_window_fits_1366x768(qtbot, ctx):
    rid = reports.create_report(ctx, "14", 2024)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.open_report(rid)
    assert window.minimumSizeHint().width() <= 1366
    assert window.minimumSizeHint().height() <= 768
