"""The distribution of the long waits per SVF against the lead time (issue 16, point 4): a box
per SVF of the waiting days in percent of each pathway's lead time, with the lead time (100 %)
and the long-wait threshold (175 % in 2024) drawn as lines (QtCharts)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBoxPlotSeries,
    QBoxSet,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QWidget

from desktop_app.domain.fmt import fmt_int, fmt_num
from desktop_app.services.long_waits import WaitDistribution

BOX_COLOUR = QColor("#1f6fb2")
LEAD_COLOUR = QColor("#2b8a3e")
LIMIT_COLOUR = QColor("#d9480f")


class WaitDistributionChart(QChartView):
    """``show_data`` draws one box per SVF (lowest, quartiles, median, highest) and the two
    reference lines; ``categories`` and ``boxes`` tell what is drawn (for tests and readers)."""

    def __init__(self, limit_percent: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.limit = limit_percent
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        title = "Väntetid i procent av ledtiden per SVF"
        self.setAccessibleName(title)
        chart = QChart()
        chart.setTitle(title)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setMargins(QMargins(0, 0, 8, 0))
        chart.setBackgroundRoundness(0)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.setChart(chart)
        self.categories: list[str] = []
        self.boxes: list[tuple[float, float, float, float, float]] = []

    def show_data(self, data: Sequence[WaitDistribution]) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        self.categories = [_category(d) for d in data]
        self.boxes = [(d.low, d.q1, d.median, d.q3, d.high) for d in data]
        series = QBoxPlotSeries()
        series.setName("Förlopp över gränsen (lägsta, kvartiler, median, högsta)")
        series.setBrush(QBrush(BOX_COLOUR.lighter(170)))
        series.setPen(QPen(BOX_COLOUR, 1.2))
        for name, box in zip(self.categories, self.boxes, strict=True):
            series.append(QBoxSet(*box, name))
        chart.addSeries(series)
        small = QFont()
        small.setPointSizeF(8.5)
        cats = QBarCategoryAxis()
        cats.append(self.categories or [""])
        cats.setLabelsFont(small)
        cats.setGridLineVisible(False)
        values = QValueAxis()
        top = max([self.limit] + [b[-1] for b in self.boxes])
        step = 50 if top <= 600 else 100
        values.setRange(0, step * (int(top) // step + 1))
        values.setTickCount(int(values.max() // step) + 1)
        values.setLabelFormat("%d %%")
        values.setLabelsFont(small)
        values.setTitleText("% av ledtiden")
        chart.addAxis(cats, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(cats)
        series.attachAxis(values)
        n = max(1, len(self.categories))
        for percent, colour, name in (
            (100.0, LEAD_COLOUR, "Ledtiden (100 %)"),
            (self.limit, LIMIT_COLOUR, f"{fmt_num(self.limit, 0)} % av ledtiden"),
        ):
            line = QLineSeries()
            line.setName(name)
            line.append([QPointF(-0.5, percent), QPointF(n - 0.5, percent)])
            line.setPen(QPen(colour, 1.6, Qt.PenStyle.DashLine))
            chart.addSeries(line)
            line.attachAxis(cats)
            line.attachAxis(values)


def _category(d: WaitDistribution) -> str:
    low, high = d.lead_times
    lead = f"{low}" if low == high else f"{low}–{high}"
    name = "<br>".join(textwrap.wrap(d.svf_name, 22)) or d.svf_id
    return f"{name}<br>n={fmt_int(d.count)}, ledtid {lead} d"
