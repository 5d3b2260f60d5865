"""A horizontal header on two levels: a group's label spanning its columns above, each column's
own label below ("Inkluderade" over "kvinnor | män | totalt"). Columns without a group show
their whole label over both levels.

The model tells the groups through two methods: ``header_group(section) -> (key, label,
short) | None`` (``short``: the label broken into lines, for a narrow group) and
``header_sub(section) -> str``; consecutive sections with the same key form one group.
``group_lines`` is how many text lines the upper level has room for."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QHeaderView, QStyle, QStyleOptionHeader, QWidget

PADDING = 6  # px above and below the text of each level


class GroupedHeader(QHeaderView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.group_lines = 1
        self.sectionResized.connect(lambda *_: self.viewport().update())

    # ------------------------------------------------------------------ the model's groups
    def group(self, section: int) -> tuple[str, str, str] | None:
        model: Any = self.model()
        finder = getattr(model, "header_group", None)
        return finder(section) if finder is not None else None

    def sub_label(self, section: int) -> str:
        model: Any = self.model()
        finder = getattr(model, "header_sub", None)
        return str(finder(section)) if finder is not None else ""

    def span(self, section: int) -> tuple[int, int]:
        """The first and last section of ``section``'s group (hidden ones included)."""
        key = self.group(section)
        first = last = section
        while first > 0 and self._same(first - 1, key):
            first -= 1
        while last + 1 < self.count() and self._same(last + 1, key):
            last += 1
        return first, last

    def _same(self, section: int, key: tuple[str, str, str] | None) -> bool:
        other = self.group(section)
        return key is not None and other is not None and other[0] == key[0]

    def group_rect(self, section: int) -> QRect:
        """Where the group's label of ``section`` is drawn, in viewport coordinates."""
        first, last = self.span(section)
        shown = [s for s in range(first, last + 1) if not self.isSectionHidden(s)]
        x0 = self.sectionViewportPosition(shown[0])
        x1 = self.sectionViewportPosition(shown[-1]) + self.sectionSize(shown[-1])
        return QRect(x0, 0, x1 - x0, self.group_height())

    # ------------------------------------------------------------------ sizes
    def line_height(self) -> int:
        return self.fontMetrics().height()

    def group_height(self) -> int:
        return self.group_lines * self.line_height() + PADDING

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()
        return QSize(hint.width(), self.group_height() + self.line_height() + PADDING + 2)

    # ------------------------------------------------------------------ painting
    def paintSection(self, painter: QPainter, rect: QRect, logical: int) -> None:  # noqa: N802
        key = self.group(logical)
        if key is None:
            super().paintSection(painter, rect, logical)
            return
        top = self.group_height()
        below = QRect(rect.x(), rect.y() + top, rect.width(), rect.height() - top)
        self._cell(painter, below, self.sub_label(logical), logical)
        span = self.group_rect(logical)
        painter.save()
        painter.setClipRect(span.intersected(self.viewport().rect()))
        self._cell(painter, span, self._fitting(key[1], key[2], span.width()), logical)
        painter.restore()

    def _fitting(self, label: str, short: str, width: int) -> str:
        """The label as it fits: on one line, else its short form on the lines there are,
        else elided."""
        fm = self.fontMetrics()
        room = width - 2 * PADDING
        if fm.horizontalAdvance(label) <= room:
            return label
        lines = short.split("\n")
        if len(lines) <= self.group_lines and all(fm.horizontalAdvance(x) <= room for x in lines):
            return short
        return fm.elidedText(label, Qt.TextElideMode.ElideRight, room)

    def _cell(self, painter: QPainter, rect: QRect, text: str, logical: int) -> None:
        opt = QStyleOptionHeader()
        self.initStyleOption(opt)
        opt.rect = rect
        opt.section = logical
        opt.text = text
        opt.textAlignment = Qt.AlignmentFlag.AlignCenter
        opt.position = QStyleOptionHeader.SectionPosition.Middle
        self.style().drawControl(QStyle.ControlElement.CE_Header, opt, painter, self)


__all__ = ["GroupedHeader"]
