"""Every dialog on screen, buttons included, on a 1366×768 laptop (issue 13, point 3).

A dialog asks for the size its content likes (``resize(980, 720)``, a long list); on a laptop
whose taskbar takes 40 px that can put the window's bottom edge, and its buttons, under the
taskbar or below the screen. ``FittedDialog`` is the base of the application's dialogs: when it
is shown it is made no larger than the screen's available area, less the window manager's
title bar and borders, and moved inside it. Content taller than that must scroll (the dialogs
with long content put it in a QScrollArea, so their minimum height stays small)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import QDialog, QWidget

# The window manager's frame when Qt does not know it yet (before the first show, or on a
# platform without one): a title bar and thin borders, as on Windows 10/11 and GNOME.
TITLE_BAR = 32
BORDER = 8


def available_area(widget: QWidget) -> QRect:
    """The available geometry (without taskbar and panels) of the screen the widget is on,
    or its parent's, or the primary screen's."""
    parent = widget.parentWidget()
    screen = widget.screen() or (parent.screen() if parent is not None else None)
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 728)


def frame_margins(widget: QWidget) -> QSize:
    """Width and height the window manager adds around the widget: the real frame once it is
    known, else at least a title bar and borders."""
    frame, inner = widget.frameGeometry(), widget.geometry()
    extra_w, extra_h = frame.width() - inner.width(), frame.height() - inner.height()
    return QSize(max(extra_w, 2 * BORDER), max(extra_h, TITLE_BAR + BORDER))


def fit_dialog(dialog: QWidget, area: QRect | None = None) -> None:
    """Shrink ``dialog`` to the available ``area`` (the screen's by default), frame included,
    and move it inside: centred over its parent where it fits, else against the area's edge.
    Never below the dialog's minimum size (content that needs more must scroll)."""
    area = area if area is not None else available_area(dialog)
    margins = frame_margins(dialog)
    max_w = max(area.width() - margins.width(), 1)
    max_h = max(area.height() - margins.height(), 1)
    if dialog.width() > max_w or dialog.height() > max_h:
        dialog.resize(min(dialog.width(), max_w), min(dialog.height(), max_h))
    # The content's place, leaving room for the title bar above it and the borders around it
    # (at least the assumed ones: the real frame may not be known yet).
    content = dialog.geometry()
    top = margins.height() - BORDER
    side = margins.width() // 2
    lo_x, lo_y = area.x() + side, area.y() + top
    hi_x = area.x() + area.width() - side - content.width()
    hi_y = area.y() + area.height() - BORDER - content.height()
    x = min(max(content.x(), lo_x), max(hi_x, lo_x))
    y = min(max(content.y(), lo_y), max(hi_y, lo_y))
    if (x, y) != (content.x(), content.y()):
        # move() places the frame's corner, which lies above and left of the content.
        frame = dialog.frameGeometry()
        dialog.move(x - (content.x() - frame.x()), y - (content.y() - frame.y()))


class FittedDialog(QDialog):
    """A QDialog that fits the screen's available area each time it is shown."""

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        fit_dialog(self)


__all__ = ["FittedDialog", "available_area", "fit_dialog", "frame_margins"]
