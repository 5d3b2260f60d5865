"""Step "Ledtider": within-lead-time % per SVF for women and men against the goal, the SVFs
with most patients over the template's long-wait threshold (175 % of the lead time in 2024),
and the template's questions for the step. Every rate, goal and heading comes from the report's
``IndicatorTable``."""

from __future__ import annotations

import math
from datetime import date

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
from PySide6.QtGui import QColor, QCursor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.figures import Ratio
from desktop_app.domain.findings import Location
from desktop_app.domain.fmt import fmt_int, fmt_pct
from desktop_app.domain.indicators import (
    LEAD_TIME,
    LONG_WAIT,
    NOT_ESTABLISHED,
    OVER_LONG_WAIT,
    IndicatorTable,
    LeadTimeLine,
)
from desktop_app.domain.template import Step, Svf
from desktop_app.domain.vocabulary import LeadTimeStatus, colours, mark
from desktop_app.services.reports import Changes
from desktop_app.ui.session import ReportSession
from desktop_app.ui.steps.base import StepPage
from desktop_app.ui.widgets.question_editor import QuestionEditor

# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
SEX_COLOURS = {"kvinnor": QColor("#d55e00"), "man": QColor("#0072b2")}
TOTAL_COLOUR = QColor("#6b7280")
FALLBACK_COLOURS = [QColor("#009e73"), QColor("#cc79a7"), QColor("#e69f00")]
GOAL_COLOUR = QColor("#1a1a1a")
TOP_OVER_175 = 10
LEAD_TIME_TABLE_HEIGHT = 230  # px: about ten rows in view, the rest scroll
# Lead times not confirmed: the vocabulary's caution tone.
TEXT_UNCONFIRMED, COLOUR_UNCONFIRMED = (QColor(c) for c in colours(LeadTimeStatus.UNCONFIRMED))
ROW_HEIGHT = 24  # px per SVF in the chart: two bars and a gap; less and Qt elides the names

STYLE = """
QLabel#stepTitle { font-size: 15pt; font-weight: 600; }
QLabel#stepHelp { color: #444; }
QLabel.sectionTitle { font-size: 11pt; font-weight: 600; }
QLabel#chartSummary, QLabel#over175Note { color: #333; }
QFrame#panel { background: palette(base); border: 1px solid #d0d4da; border-radius: 4px; }
"""


class LeadTimesStep(StepPage):
    """Chart of lead-time fulfilment, the long-wait table and the narratives."""

    def __init__(self, session: ReportSession, step: Step, parent: QWidget | None = None) -> None:
        super().__init__(session, step, parent)
        self.setStyleSheet(STYLE)
        tpl = session.template
        self.svfs: tuple[Svf, ...] = tpl.svfs
        self.table = IndicatorTable.build(session.report.figures, tpl)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        self.add_heading(layout)

        body = QHBoxLayout()
        body.setSpacing(12)
        layout.addLayout(body, 1)

        body.addWidget(self._chart_panel(), 1)
        body.addWidget(self._long_wait_panel(step), 1)

        self._show_figures()

    def _chart_panel(self) -> QFrame:
        """The left panel: the chart of lead-time fulfilment per SVF and sex, with its title,
        summary and legend."""
        goal = self.table.lead_time_goal
        left = QFrame()
        left.setObjectName("panel")
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(10, 8, 10, 6)
        chart_title = QLabel(
            f"Andel som startat behandling inom ledtid, per SVF och kön (mål {goal.text})"
        )
        chart_title.setProperty("class", "sectionTitle")
        chart_title.setWordWrap(True)
        left_box.addWidget(chart_title)
        self.chart_summary = QLabel()
        self.chart_summary.setObjectName("chartSummary")
        self.chart_summary.setWordWrap(True)
        left_box.addWidget(self.chart_summary)
        self.legend = QLabel()  # text once the bar sets exist
        self.legend.setWordWrap(True)
        self.legend.setAccessibleName("Förklaring till diagrammet")
        left_box.addWidget(self.legend)

        self._build_chart()

        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setAccessibleName("Diagram: andel inom ledtid per SVF för kvinnor och män")
        self.chart_view.setMinimumHeight(len(self.svfs) * ROW_HEIGHT + 90)
        self.chart_view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.chart_view.setFrameShape(QFrame.Shape.NoFrame)
        chart_scroll = QScrollArea()
        chart_scroll.setWidget(self.chart_view)
        chart_scroll.setWidgetResizable(True)
        chart_scroll.setFrameShape(QFrame.Shape.NoFrame)
        chart_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        chart_scroll.viewport().setStyleSheet("background: white;")
        left_box.addWidget(chart_scroll, 1)
        return left

    def _build_chart(self) -> None:
        """The bar series per sex, the axes and the dashed goal line."""
        tpl = self.session.template
        goal = self.table.lead_time_goal
        self.chart = QChart()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        # Not setLocalizeNumbers: it drops a label format with "%%"; whole percents need no
        # locale anyway, and every number with decimals is formatted by domain.fmt.
        self.chart.setMargins(QMargins(0, 0, 8, 0))
        self.chart.setBackgroundRoundness(0)
        # The legend is a label above the scrolling chart, so it stays in view.
        self.chart.legend().hide()
        self.series = QHorizontalBarSeries()
        self.series.setBarWidth(0.8)
        self.bar_sets: dict[str, QBarSet] = {}
        for i, sex in enumerate(tpl.sexes):
            bar_set = QBarSet(sex.label)
            colour = SEX_COLOURS.get(sex.id, FALLBACK_COLOURS[i % len(FALLBACK_COLOURS)])
            bar_set.setColor(colour)
            bar_set.setBorderColor(colour)
            self.bar_sets[sex.id] = bar_set
        # A horizontal bar series draws its first set lowest in each category; add the sexes in
        # reverse so the first (Kvinnor) is on top, as in the table.
        for bar_set in reversed(self.bar_sets.values()):
            self.series.append(bar_set)
        # SVFs whose included are a total per SVF (no sex split) have no rate per sex: their
        # rate over both sexes is a bar of its own, in the series only while any SVF needs it.
        self.total_set: QBarSet | None = None
        if tpl.total is not None:
            self.total_set = QBarSet(f"{tpl.total.label} (ej per kön)")
            self.total_set.setColor(TOTAL_COLOUR)
            self.total_set.setBorderColor(TOTAL_COLOUR)
        self.series.hovered.connect(self._bar_hovered)
        self.legend.setText(self._legend_html())
        self.chart.addSeries(self.series)

        # Categories run bottom-up; reverse so the template's first SVF is at the top.
        self.category_axis = QBarCategoryAxis()
        self.category_axis.append([s.name for s in reversed(self.svfs)])
        small = QFont()
        small.setPointSizeF(8.5)
        self.category_axis.setLabelsFont(small)
        self.category_axis.setGridLineVisible(False)
        self.value_axis = QValueAxis()
        self.value_axis.setRange(0, 100)
        self.value_axis.setTickCount(6)
        self.value_axis.setLabelFormat("%d %%")
        self.value_axis.setLabelsFont(small)
        self.value_axis.setMinorTickCount(1)
        self.chart.addAxis(self.category_axis, Qt.AlignmentFlag.AlignLeft)
        # On top: the scale is in view when the page opens, without scrolling down 32 SVFs.
        self.chart.addAxis(self.value_axis, Qt.AlignmentFlag.AlignTop)
        self.series.attachAxis(self.category_axis)
        self.series.attachAxis(self.value_axis)

        self.goal_line = QLineSeries()
        self.goal_line.setName(goal.caption)
        pen = QPen(GOAL_COLOUR)
        pen.setWidthF(2)
        pen.setStyle(Qt.PenStyle.DashLine)
        self.goal_line.setPen(pen)
        n = len(self.svfs)
        self.goal_line.append([QPointF(goal.percent, -0.5), QPointF(goal.percent, n - 0.5)])
        self.chart.addSeries(self.goal_line)
        self.goal_line.attachAxis(self.value_axis)
        self.goal_line.attachAxis(self.category_axis)
        self.category_axis.setRange(self.category_axis.at(0), self.category_axis.at(n - 1))

    def _long_wait_panel(self, step: Step) -> QScrollArea:
        """The right panel: the SVFs with most long waits, and the questions of the step."""
        tpl = self.session.template
        long_wait = self.table.long_wait
        right_inner = QWidget()
        right_box = QVBoxLayout(right_inner)
        right_box.setContentsMargins(0, 0, 6, 0)
        right_box.setSpacing(8)
        self._lead_time_panel(right_box)
        table_title = QLabel(f"Flest patienter över {long_wait.text} av ledtiden")
        table_title.setProperty("class", "sectionTitle")
        table_title.setWordWrap(True)
        right_box.addWidget(table_title)
        self.over_175_note = QLabel()
        self.over_175_note.setObjectName("over175Note")
        self.over_175_note.setWordWrap(True)
        right_box.addWidget(self.over_175_note)
        header_tips = [
            "Standardiserat vårdförlopp",
            *[f"{s.label}: antal över {long_wait.text}" for s in tpl.sexes],
            "Kvinnor och män sammantaget",
            "Andel av de inkluderade patienterna i SVF:et",
        ]
        self.over_175_table = QTableWidget(0, len(header_tips))
        self.over_175_table.setHorizontalHeaderLabels(
            ["SVF", *[s.label for s in tpl.sexes], "Totalt", "Andel av inkl."]
        )
        for c, tip in enumerate(header_tips):
            self.over_175_table.horizontalHeaderItem(c).setToolTip(tip)
        self.over_175_table.setAccessibleName(
            f"SVF med flest patienter över {long_wait.text} av ledtiden"
        )
        self.over_175_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.over_175_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.over_175_table.setAlternatingRowColors(True)
        self.over_175_table.verticalHeader().setVisible(False)
        self.over_175_table.verticalHeader().setDefaultSectionSize(22)
        self.over_175_table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        hh = self.over_175_table.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, len(header_tips)):
            hh.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        right_box.addWidget(self.over_175_table)

        self.question_editors: dict[str, QuestionEditor] = {}
        for q in tpl.questions_for_step(step.id):
            editor = QuestionEditor(self.session, q)
            self.question_editors[q.id] = editor
            right_box.addWidget(editor)
        right_box.addStretch(1)
        right = QScrollArea()
        right.setWidget(right_inner)
        right.setWidgetResizable(True)
        right.setFrameShape(QFrame.Shape.NoFrame)
        right.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return right

    def _lead_time_panel(self, box: QVBoxLayout) -> None:
        """The lead times of the period per SVF and treatment, with their validity, the
        long-wait limit in days and the status; rows not confirmed in the caution tone."""
        tpl = self.session.template
        long_wait = self.table.long_wait.text
        title = QLabel(f"SVF:ens ledtider {tpl.period_label}")
        title.setProperty("class", "sectionTitle")
        title.setWordWrap(True)
        title.setToolTip(self.table.lead_time_note)
        box.addWidget(title)
        self.lead_time_note = QLabel(
            f"Kalenderdagar från välgrundad misstanke. Över {long_wait}: gränsen för lång "
            f"väntan ({long_wait} av ledtiden). Gult och ? = ej bekräftad. Håll muspekaren "
            "över en rad för detaljer."
        )
        self.lead_time_note.setObjectName("over175Note")
        self.lead_time_note.setWordWrap(True)
        self.lead_time_note.setToolTip(self.table.lead_time_note)
        box.addWidget(self.lead_time_note)
        headers = ["SVF / behandling", "Dagar", f"Över {long_wait}"]
        self.lead_time_table = QTableWidget(0, len(headers))
        self.lead_time_table.setHorizontalHeaderLabels(headers)
        self.lead_time_table.setAccessibleName(f"SVF:ens ledtider {tpl.period_label}")
        self.lead_time_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.lead_time_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.lead_time_table.verticalHeader().setVisible(False)
        self.lead_time_table.verticalHeader().setDefaultSectionSize(20)
        self.lead_time_table.setWordWrap(False)
        self.lead_time_table.setFixedHeight(LEAD_TIME_TABLE_HEIGHT)
        self.lead_time_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._fill_lead_times()
        hh = self.lead_time_table.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, len(headers)):
            hh.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        box.addWidget(self.lead_time_table)

    def lead_time_rows(self) -> list[tuple[list[str], bool, bool, str]]:
        """The rows of the lead-time table: the cells, whether the lead time is confirmed,
        whether the row is an SVF's heading row, and the tooltip (with the status in words).
        Per SVF a heading row with its name, then one row per lead time of the period
        (treatment with its dates when it changes inside the period, days with ``?`` when not
        confirmed, long-wait limit); without lead times the heading row says
        ``ej fastställd``."""
        period = self.session.template.period_label
        out: list[tuple[list[str], bool, bool, str]] = []
        for row in self.table.rows:
            assert row.svf is not None
            tip = row.lead_time_text(period)
            if not row.lead_time_lines:
                out.append(([row.label, NOT_ESTABLISHED, "–"], False, True, tip))
                continue
            out.append(([row.label, "", ""], row.lead_times_confirmed, True, tip))
            windows: dict[tuple[date | None, date | None], list[LeadTimeLine]] = {}
            for ln in row.lead_time_lines:
                windows.setdefault((ln.version.valid_from, ln.version.valid_to), []).append(ln)
            changes = len(windows) > 1
            for lines in windows.values():
                if changes:  # a change inside the period: each version under its dates
                    confirmed = all(ln.confirmed for ln in lines)
                    out.append(([f"  {lines[0].validity_text}:", "", ""], confirmed, True, tip))
                out += [self._lead_time_row(row.label, ln) for ln in lines]
        return out

    @staticmethod
    def _lead_time_row(svf_name: str, ln: LeadTimeLine) -> tuple[list[str], bool, bool, str]:
        """One lead time: treatment, days (``?``: not confirmed), long-wait limit."""
        days = NOT_ESTABLISHED if ln.days is None else fmt_int(ln.days)
        if not ln.confirmed:
            days += f" {mark(ln.status)}"
        return (
            [f"    {ln.treatment}", days, ln.limit_short],
            ln.confirmed,
            False,
            f"{svf_name}\n{ln.text}",
        )

    def _fill_lead_times(self) -> None:
        table = self.lead_time_table
        rows = self.lead_time_rows()
        table.setRowCount(len(rows))
        bold = QFont()
        bold.setBold(True)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for r, (cells, confirmed, heading, tip) in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                if c in (1, 2):
                    item.setTextAlignment(right)
                if heading:
                    item.setFont(bold)
                if not confirmed:
                    item.setBackground(COLOUR_UNCONFIRMED)
                    item.setForeground(TEXT_UNCONFIRMED)
                table.setItem(r, c, item)
            if heading and not cells[1]:
                table.setSpan(r, 0, 1, len(cells))  # the SVF's name or the dates in full

    def _legend_html(self) -> str:
        tpl = self.session.template
        parts = [
            f"<span style='color:{self.bar_sets[x.id].color().name()}'>&#9632;</span> {x.label}"
            for x in tpl.sexes
        ]
        if self.total_set is not None and self.total_set in self.series.barSets():
            parts.append(
                f"<span style='color:{TOTAL_COLOUR.name()}'>&#9632;</span> {self.total_set.label()}"
            )
        parts.append(
            f"<span style='color:{GOAL_COLOUR.name()}'><b>&#8942;</b></span> "
            f"{self.table.lead_time_goal.caption}"
        )
        return " &nbsp;&nbsp; ".join(parts)

    # ------------------------------------------------------------------ data
    def rate(self, svf_id: str, sex: str | None) -> Ratio:
        """The SVF's lead-time rate for ``sex``; for None, over both sexes."""
        return self.table.row(svf_id).rate(LEAD_TIME, sex)

    def total_only(self, svf: Svf) -> bool:
        """Whether the SVF has a rate over both sexes but none per sex (its included are a
        total per SVF)."""
        return self.table.row(svf.id).only_over_both(LEAD_TIME)

    def bar_values(self, sex: str) -> list[float]:
        """The values of a sex's bars (or, for the total column's id, of the SVFs reported as
        totals), in template order (top to bottom); 0 where unknown."""
        out = []
        total_id = self.session.template.total_id
        for svf in self.svfs:
            if sex == total_id:
                r = self.rate(svf.id, None).rate if self.total_only(svf) else None
            else:
                r = self.rate(svf.id, sex).rate if svf.applies_to(sex) else None
            out.append(round(r * 100, 1) if r is not None else 0.0)
        return out

    def _sync_total_set(self) -> None:
        """The total bars in the series exactly while an SVF is reported as a total."""
        bar_set, tpl = self.total_set, self.session.template
        if bar_set is None or tpl.total_id is None:
            return
        needed = any(self.total_only(s) for s in self.svfs)
        present = bar_set in self.series.barSets()
        if needed and not present:
            self.series.insert(0, bar_set)  # the lowest bar of each category
        elif present and not needed:
            self.series.take(bar_set)
        if needed:
            values = list(reversed(self.bar_values(tpl.total_id)))
            bar_set.remove(0, bar_set.count())
            bar_set.append(values)
        self.legend.setText(self._legend_html())

    def over_175_rows(self) -> list[tuple[Svf, dict[str, int | float | None], int | float, Ratio]]:
        """The SVFs with most patients over the long-wait threshold, most first (ties by
        name), only those with any: (svf, per sex, total, share of the included)."""
        out = []
        for row in self.table.long_wait_rows(TOP_OVER_175):
            assert row.svf is not None
            per_sex = {x.id: row.count(OVER_LONG_WAIT, x.id) for x in self.table.sexes}
            out.append((row.svf, per_sex, row.sum(OVER_LONG_WAIT), row.long_wait))
        return out

    def refresh(self, changes: Changes) -> None:
        if changes.figures:
            self._show_figures()

    def _show_figures(self) -> None:
        self.table = t = IndicatorTable.build(self.session.report.figures, self.session.template)
        long_wait = t.long_wait
        for sex_id, bar_set in self.bar_sets.items():
            values = list(reversed(self.bar_values(sex_id)))  # categories run bottom-up
            if bar_set.count() != len(values):
                bar_set.remove(0, bar_set.count())
                bar_set.append(values)
            else:
                for i, v in enumerate(values):
                    if bar_set.at(i) != v:
                        bar_set.replace(i, v)
        self._sync_total_set()
        top = max([100.0, *(v for b in self.series.barSets() for v in _values(b))])
        upper = math.ceil(top / 20) * 20  # over 100 % only with inconsistent figures
        self.value_axis.setRange(0, upper)
        self.value_axis.setTickCount(upper // 20 + 1)  # labels every 20 %, lines every 10 %
        parts = []
        for x in t.sexes:
            parts.append(f"{x.label.lower()} {fmt_pct(t.rate(LEAD_TIME, x.id).rate)}")
        total = t.lead_time
        self.chart_summary.setText(
            f"Alla SVF: {', '.join(parts)}, totalt <b>{fmt_pct(total.rate)}</b> "
            f"({fmt_int(total.numerator)} av {fmt_int(total.denominator)} inkluderade). "
            "Håll muspekaren över en stapel för antalen."
        )

        rows = self.over_175_rows()
        table = self.over_175_table
        table.setRowCount(len(rows))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for r, (svf, per_sex, total_over, share) in enumerate(rows):
            cells = [svf.name]
            cells += ["–" if v is None else fmt_int(v) for v in per_sex.values()]
            cells += [fmt_int(total_over), fmt_pct(share.rate)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c > 0:
                    item.setTextAlignment(right)
                if c == 0:
                    item.setToolTip(svf.name)
                else:
                    item.setToolTip(
                        f"{svf.name}: {fmt_int(share.numerator)} av {fmt_int(share.denominator)} "
                        f"{t.column(LONG_WAIT).of} ({fmt_pct(share.rate)})"
                    )
                table.setItem(r, c, item)
        height = table.horizontalHeader().height() + 2 * table.frameWidth()
        height += sum(table.rowHeight(r) for r in range(len(rows)))
        table.setFixedHeight(max(height, table.horizontalHeader().height() + 24))
        over = t.all_total.sum(OVER_LONG_WAIT)
        share_all = t.long_wait_share
        if rows:
            self.over_175_note.setText(
                f"Totalt {fmt_int(over)} patienter ({fmt_pct(share_all.rate)} av de inkluderade) "
                f"väntade mer än {long_wait.text} av ledtiden. "
                f"De {len(rows)} SVF med flest:"
            )
        else:
            self.over_175_note.setText(
                f"Inga patienter över {long_wait.text} av ledtiden är "
                "redovisade ännu (fylls i under SVF-statistik)."
            )
        table.setVisible(bool(rows))

    def _bar_hovered(self, status: bool, index: int, bar_set: QBarSet) -> None:
        if not status:
            QToolTip.hideText()
            return
        svf = self.svfs[len(self.svfs) - 1 - index]
        if bar_set is self.total_set:
            r = self.rate(svf.id, None)
            text = (
                f"{svf.name}, båda könen (inkluderade redovisade totalt, inte per kön): "
                f"{fmt_pct(r.rate)} ({fmt_int(r.numerator)} av {fmt_int(r.denominator)} "
                "inom ledtid)"
            )
            period = self.session.template.period_label
            text += "\n" + self.table.row(svf.id).lead_time_text(period)
            QToolTip.showText(QCursor.pos(), text, self.chart_view)
            return
        sex_id = next((k for k, v in self.bar_sets.items() if v is bar_set), None)
        sex = self.session.template.sex(sex_id) if sex_id else None
        if sex is None:
            return
        if not svf.applies_to(sex.id):
            text = f"{svf.name}: gäller inte {sex.label.lower()}"
        else:
            r = self.rate(svf.id, sex.id)
            text = (
                f"{svf.name}, {sex.label.lower()}: {fmt_pct(r.rate)} "
                f"({fmt_int(r.numerator)} av {fmt_int(r.denominator)} inom ledtid)"
                if r.rate is not None
                else f"{svf.name}, {sex.label.lower()}: inga inkluderade redovisade"
            )
        period = self.session.template.period_label
        text += "\n" + self.table.row(svf.id).lead_time_text(period)
        QToolTip.showText(QCursor.pos(), text, self.chart_view)

    # ------------------------------------------------------------------ navigation
    def focus_location(self, location: Location) -> None:
        if location.field in self.question_editors:
            self.question_editors[location.field].focus()
        elif self.question_editors:
            next(iter(self.question_editors.values())).focus()


def _values(bar_set: QBarSet) -> list[float]:
    return [bar_set.at(i) for i in range(bar_set.count())]
