"""A horizontal bar chart of percentages against a goal line (QtCharts), for the RCC views."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QWidget

from desktop_app.domain.fmt import fmt_num

GOAL_COLOUR = QColor("#d9480f")
PALETTE = ("#c8500a", "#1f6fb2", "#5c940d", "#7048e8")


class PercentBarChart(QChartView):
    """Categories top-down, one bar set per series, a dashed goal line. ``show_data`` replaces
    the data; values are percents 0..100 (None draws nothing)."""

    def __init__(self, title: str, goal: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.goal = goal
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setAccessibleName(title)
        chart = QChart()
        chart.setTitle(title)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setMargins(QMargins(0, 0, 8, 0))
        chart.setBackgroundRoundness(0)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.setChart(chart)
        self.bar_sets: dict[str, QBarSet] = {}

    def set_goal(self, title: str, goal: float) -> None:
        """A new title and goal line (the goals come from the year's template); drawn with the
        next ``show_data``."""
        self.goal = goal
        self.chart().setTitle(title)
        self.setAccessibleName(title)

    def show_data(
        self, categories: Sequence[str], series: dict[str, Sequence[float | None]]
    ) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        bars = QHorizontalBarSeries()
        bars.setBarWidth(0.8)
        self.bar_sets = {}
        # The first set is drawn lowest in a horizontal series: add in reverse so it is on top.
        for i, (name, values) in reversed(list(enumerate(series.items()))):
            bar_set = QBarSet(name)
            bar_set.setColor(QColor(PALETTE[i % len(PALETTE)]))
            bar_set.append([0.0 if v is None else float(v) for v in reversed(list(values))])
            bars.append(bar_set)
            self.bar_sets[name] = bar_set
        chart.addSeries(bars)
        small = QFont()
        small.setPointSizeF(8.5)
        cats = QBarCategoryAxis()
        cats.append(list(reversed(list(categories))))
        cats.setLabelsFont(small)
        cats.setGridLineVisible(False)
        values = QValueAxis()
        top = max([100.0] + [float(v) for vs in series.values() for v in vs if v is not None])
        values.setRange(0, 20 * ((int(top) + 19) // 20))
        values.setTickCount(int(values.max() // 20) + 1)
        values.setLabelFormat("%d %%")
        values.setLabelsFont(small)
        chart.addAxis(cats, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(values, Qt.AlignmentFlag.AlignTop)
        bars.attachAxis(cats)
        bars.attachAxis(values)
        line = QLineSeries()
        line.setName(f"Mål {fmt_num(self.goal, 0)} %")
        pen = QPen(GOAL_COLOUR)
        pen.setWidthF(2)
        pen.setStyle(Qt.PenStyle.DashLine)
        line.setPen(pen)
        n = max(len(categories), 1)
        line.append([QPointF(self.goal, -0.5), QPointF(self.goal, n - 0.5)])
        chart.addSeries(line)
        line.attachAxis(values)
        line.attachAxis(cats)
        self.setMinimumHeight(min(120 + 22 * n * max(1, len(series)) // 2, 900))
