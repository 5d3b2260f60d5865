"""A guard for "workers get values, not widgets": while the UI tests run, the usual ways of
reading or changing a widget (text(), currentData(), isChecked(), setText() …) raise
``OffGuiThreadError`` when called from any thread but the GUI thread, and a test during which
that happened fails even if the job's error was swallowed on the way."""

from __future__ import annotations

import functools
import threading

import pytest
from PySide6 import QtWidgets

from desktop_app.ui.workers import OffGuiThreadError, on_gui_thread

# Non-virtual accessors only: wrapping a C++ virtual on the class would make Qt call back into
# Python for every use of it.
GUARDED = (
    "text",
    "setText",
    "toPlainText",
    "setPlainText",
    "currentData",
    "currentIndex",
    "currentText",
    "setCurrentIndex",
    "isChecked",
    "setChecked",
    "value",
    "setValue",
    "item",
    "rowCount",
    "columnCount",
    "isEnabled",
    "setEnabled",
    "isVisible",
    "isHidden",
    "selectedItems",
    "selectionModel",
    "clear",
    "insertRow",
    "setItem",
    "addItem",
    "addTopLevelItem",
    "setStyleSheet",
)

# The few of those names that are virtual in one class.
SKIP = {
    (QtWidgets.QProgressBar, "text"),
    (QtWidgets.QAbstractSpinBox, "clear"),
    (QtWidgets.QDateTimeEdit, "clear"),
}

violations: list[str] = []
_lock = threading.Lock()


def _guard(cls: type, name: str) -> None:
    original = cls.__dict__[name]

    @functools.wraps(original)
    def guarded(*args, **kwargs):
        if not on_gui_thread():
            where = f"{cls.__name__}.{name} on thread {threading.current_thread().name}"
            with _lock:
                violations.append(where)
            raise OffGuiThreadError(f"a widget was touched off the GUI thread: {where}")
        return original(*args, **kwargs)

    setattr(cls, name, guarded)


def install_widget_guard() -> None:
    """Wrap the accessors of every QtWidgets class (widgets and their table/list/tree items)."""
    for attr in dir(QtWidgets):  # PySide loads its classes lazily: dir() then getattr()
        obj = getattr(QtWidgets, attr)
        if not isinstance(obj, type):
            continue
        if not (
            issubclass(obj, QtWidgets.QWidget)
            or obj in (QtWidgets.QTableWidgetItem, QtWidgets.QListWidgetItem)
            or obj is QtWidgets.QTreeWidgetItem
        ):
            continue
        for name in GUARDED:
            if name in obj.__dict__ and (obj, name) not in SKIP:
                _guard(obj, name)


install_widget_guard()


@pytest.fixture
def widget_violations() -> list[str]:
    """The widget calls made off the GUI thread during this test (for the guard's own test)."""
    return violations


@pytest.fixture(autouse=True)
def no_widget_off_gui_thread():
    """Fail the test if a widget was touched off the GUI thread while it ran."""
    with _lock:
        violations.clear()
    yield
    with _lock:
        seen = list(violations)
        violations.clear()
    if seen:
        pytest.fail("widgets touched off the GUI thread: " + "; ".join(seen), pytrace=False)


@pytest.fixture(autouse=True, scope="session")
def _swedish_qt(qapp):
    """Qt's Swedish catalogues, as the application loads them: the screens are tested as the
    user sees them."""
    from desktop_app.ui.translations import install_swedish

    install_swedish(qapp)


@pytest.fixture(autouse=True)
def _fresh_settings():
    """Every UI test starts as a first-time user: no remembered folders, names or geometry
    (QSettings of the whole run live in a throwaway folder, see tests/conftest.py)."""
    from PySide6.QtCore import QSettings

    QSettings().clear()
    yield
