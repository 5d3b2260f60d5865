"""The SVF statistics in a PDF: the table per SVF and sex with its total rows, the table per
sex and the lead-time chart against the goal. Shared by the regional report and the RCC's
compilation; both hand in an ``IndicatorTable`` (a region's figures or the summed ones), so the
two PDFs show the same columns, headings, totals and goals and neither computes a rate."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from desktop_app.domain.disclosure import EXACT, Masking
from desktop_app.domain.figures import Ratio
from desktop_app.domain.fmt import fmt_int, fmt_pct
from desktop_app.domain.indicators import (
    EXPECTED,
    INCLUDED,
    INCLUSION,
    LEAD_TIME,
    NOT_ESTABLISHED,
    IndicatorRow,
    IndicatorTable,
)
from desktop_app.domain.vocabulary import LeadTimeStatus, colours, mark
from desktop_app.exchange.pdf_kit import (
    FONT,
    FONT_BOLD,
    INK,
    MEN,
    SHADE,
    TOTAL,
    WOMEN,
    add_goal_line,
    para,
    plain,
    table,
)
from desktop_app.exchange.pdf_kit import (
    rgb as hex_rgb,
)

# Where the long words of the template's labels may break in a narrow column header.
# After an SVF's name: one of its values was changed from the RCC's extract (issue 15).
CHANGED_MARK = "*"
# After the name of an SVF with a warning the region justified (issue 15, point 5).
JUSTIFIED_MARK = "†"

_BREAKS = {"Beräkningsunderlag": "Beräk&shy;nings&shy;underlag", "Inkluderade": "Inklu&shy;derade"}

NOTE = (
    "Totaler är summa täljare / summa nämnare, aldrig medelvärden av andelar. – = inget underlag."
)


def _pct(r: Ratio) -> str:
    return fmt_pct(r.rate)


def narrow_label(label: str) -> str:
    """A label for a narrow column header: escaped, with soft hyphens in its long words."""
    return " ".join(_BREAKS.get(w, plain(w)) for w in label.split())


def _header(t: IndicatorTable) -> list[list[object]]:
    """The two header rows: the counts, then inclusion and lead time (total, per sex), then the
    share over the long-wait threshold."""
    inc, lt, long_wait = t.column(INCLUSION), t.column(LEAD_TIME), t.long_wait
    n = len(t.sexes)
    head1: list[object] = [
        "SVF",
        para(narrow_label(t.measure(EXPECTED).label), "head"),
        para(narrow_label(t.measure(INCLUDED).label), "head"),
        inc.label,
        *[""] * n,
        lt.label,
        *[""] * n,
        para(plain(long_wait.label).replace(" ", "<br/>", 1), "cellb"),
    ]
    per_sex = ["Totalt", *[s.label for s in t.sexes]]
    head2: list[object] = ["", "", "", *per_sex, *per_sex, ""]
    return [head1, head2]


def _cells(
    t: IndicatorTable, row: IndicatorRow, label: object, mask: Masking = EXACT
) -> list[object]:
    inc, lt, key = row.inclusion, row.lead_time, row.key
    cells: list[object] = [
        label,
        mask.count_at(key, EXPECTED, inc.denominator),
        mask.count_at(key, INCLUDED, inc.numerator),
        mask.rate_at(key, INCLUSION, inc),
    ]
    # A complement's rates per sex go too: for an SVF of one sex the rate is the whole one.
    cells += [mask.rate_at(key, INCLUSION, row.rate(INCLUSION, x.id)) for x in t.sexes]
    cells.append(mask.rate_at(key, LEAD_TIME, lt))
    cells += [mask.rate_at(key, LEAD_TIME, row.rate(LEAD_TIME, x.id)) for x in t.sexes]
    cells.append(mask.rate_at(key, "long_wait", row.long_wait))
    return cells


def svf_table(
    t: IndicatorTable,
    mask: Masking = EXACT,
    marked: Collection[str] = (),
    justified: Collection[str] = (),
) -> object:
    """The table per SVF: counts, inclusion and lead time per sex, the long-wait share and the
    two total rows. The SVFs in ``marked`` (a value changed from the RCC's extract) carry
    ``CHANGED_MARK`` after their name, those in ``justified`` (a justified warning)
    ``JUSTIFIED_MARK``."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm

    def name(r: IndicatorRow) -> str:
        svf_id = r.svf.id if r.svf is not None else None
        marks = (CHANGED_MARK if svf_id in marked else "") + (
            JUSTIFIED_MARK if svf_id in justified else ""
        )
        return plain(r.label) + (f" {marks}" if marks else "")

    rows = _header(t)
    rows += [_cells(t, r, para(name(r), "cell"), mask) for r in t.rows]
    first_total = len(rows)
    rows += [_cells(t, r, para(plain(r.label), "cellb"), mask) for r in t.totals]
    n = len(t.sexes)
    lt_col = 4 + n
    widths = [52 * mm, 15 * mm, 14 * mm] + [12.5 * mm] * (3 + 2 * n)
    extra = [
        ("SPAN", (0, 0), (0, 1)),
        ("SPAN", (1, 0), (1, 1)),
        ("SPAN", (2, 0), (2, 1)),
        ("SPAN", (3, 0), (3 + n, 0)),
        ("SPAN", (lt_col, 0), (lt_col + n, 0)),
        ("SPAN", (lt_col + n + 1, 0), (lt_col + n + 1, 1)),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("ALIGN", (1, 0), (-1, 1), "CENTER"),
        ("FONT", (1, first_total), (-1, -1), FONT_BOLD, 7.5),
        ("BACKGROUND", (0, first_total), (-1, -1), colors.Color(*SHADE)),
        ("LINEABOVE", (0, first_total), (-1, first_total), 1, colors.Color(*INK)),
    ]
    return table(rows, widths, header_rows=2, extra=extra)


def sex_table(t: IndicatorTable, mask: Masking = EXACT) -> object:
    """Inclusion (over the inclusion goal's SVFs) and lead time (all SVFs) per sex."""
    from reportlab.lib.units import mm

    inc, lt = t.column(INCLUSION), t.column(LEAD_TIME)
    included = t.measure(INCLUDED).label
    head = [
        "Kön",
        inc.label,
        f"{included} / {t.measure(EXPECTED).label.lower()}",
        lt.label,
        f"{lt.label} / {included.lower()}",
    ]
    rows: list[list[object]] = [[para(plain(h), "cellb") for h in head]]
    for s in t.sexes:
        r_inc, r_lt = t.rate(INCLUSION, s.id), t.rate(LEAD_TIME, s.id)
        rows.append(
            [
                s.label,
                mask.rate(r_inc),
                f"{mask.count(r_inc.numerator)} av {mask.count(r_inc.denominator)}",
                mask.rate(r_lt),
                f"{mask.count(r_lt.numerator)} av {mask.count(r_lt.denominator)}",
            ]
        )
    return table(
        rows,
        [26 * mm, 26 * mm, 46 * mm, 26 * mm, 46 * mm],
        extra=[("ALIGN", (1, 1), (-1, -1), "RIGHT")],
    )


def svf_section(
    t: IndicatorTable,
    heading: str,
    lead: Sequence[object] = (),
    mask: Masking = EXACT,
    marked: Collection[str] = (),
    justified: Collection[str] = (),
) -> list[object]:
    """A new page with ``heading``, the ``lead`` flowables, how the rates are computed, the
    table per SVF and the table per sex."""
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Spacer

    return [
        PageBreak(),
        para(heading, "h1"),
        *lead,
        para(plain(f"{t.definitions} {NOTE} {t.totals_note}".rstrip()), "muted"),
        Spacer(1, 3 * mm),
        svf_table(t, mask, marked, justified),
        Spacer(1, 5 * mm),
        para("Per kön", "h2"),
        sex_table(t, mask),
    ]


def _lead_time_rows(t: IndicatorTable) -> tuple[list[list[object]], list[int]]:
    """The body rows of the lead-time table (the SVF's name on its first row only) and the
    indexes of the rows whose lead time is not confirmed."""
    rows: list[list[object]] = []
    unconfirmed: list[int] = []
    for row in t.rows:
        assert row.svf is not None
        name = para(plain(row.label), "cell")
        if not row.lead_time_lines:
            status = f"{mark(row.svf.lead_time_status)} {row.lead_time_status_text}"
            unconfirmed.append(len(rows))
            rows.append([name, "–", NOT_ESTABLISHED, "–", "–", para(plain(status), "cell")])
            continue
        for i, ln in enumerate(row.lead_time_lines):
            if not ln.confirmed:
                unconfirmed.append(len(rows))
            rows.append(
                [
                    name if i == 0 else "",
                    para(plain(ln.treatment), "cell"),
                    ln.days_text,
                    para(plain(ln.validity_text).replace(". 2", ".&nbsp;2"), "cell"),
                    para(plain(ln.limit_text), "cell"),
                    para(plain(f"{mark(ln.status)} {ln.status_text}"), "cell"),
                ]
            )
    return rows, unconfirmed


def lead_time_table(t: IndicatorTable) -> object:
    """The SVFs' lead times of the reporting period per treatment: days, validity (both
    versions, with dates, when one changes inside the period), the long-wait limit in days
    and the status; rows not confirmed shaded in the caution tone."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm

    head = ["SVF", "Behandling", "Ledtid", "Gäller", f"Över {t.long_wait.text}", "Status"]
    body, unconfirmed = _lead_time_rows(t)
    caution = colors.Color(*hex_rgb(colours(LeadTimeStatus.UNCONFIRMED)[1]))
    extra = [("BACKGROUND", (0, 1 + r), (-1, 1 + r), caution) for r in unconfirmed]
    widths = [33 * mm, 33 * mm, 17 * mm, 31 * mm, 29 * mm, 25 * mm]
    return table([[para(plain(h), "cellb") for h in head], *body], widths, extra=extra)


def lead_time_table_section(t: IndicatorTable) -> list[object]:
    """The heading, the note on lead times and limits, and the lead-time table."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    heading = para(plain(f"Ledtider per SVF och behandling, {t.template.period_label}"), "h2")
    note = para(plain(t.lead_time_note), "muted")
    gap = Spacer(1, 2 * mm)
    for f in (heading, note, gap):
        f.keepWithNext = True  # type: ignore[attr-defined]  # never a heading alone at a page foot
    return [Spacer(1, 5 * mm), heading, note, gap, lead_time_table(t)]


def lead_time_chart(
    t: IndicatorTable, width: float, height: float, mask: Masking = EXACT
) -> object:
    """Horizontal bars of the lead-time fulfilment per SVF and sex, with the goal line; a
    published copy (``mask``) draws no bar for a rate it hides."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    goal = t.lead_time_goal
    sexes = [s.id for s in t.sexes]
    data = []
    # reportlab stacks the series of a group from the bottom: the last series is drawn on top.
    # SVFs whose included are a total per SVF have no rate per sex: a grey bar over both.
    totals = any(row.only_over_both(LEAD_TIME) for row in t.rows)
    if totals:
        rates = [
            row.rate(LEAD_TIME).rate
            if row.only_over_both(LEAD_TIME)
            and not mask.hides_at(row.key, LEAD_TIME, row.rate(LEAD_TIME))
            else None
            for row in reversed(t.rows)
        ]
        data.append([round(r * 100, 1) if r is not None else None for r in rates])
    for sex in reversed(sexes):
        rates = [  # first SVF on top
            None
            if mask.hides_at(row.key, LEAD_TIME, row.rate(LEAD_TIME, sex))
            else row.rate(LEAD_TIME, sex).rate
            for row in reversed(t.rows)
        ]
        data.append([round(r * 100, 1) if r is not None else None for r in rates])
    d = Drawing(width, height)
    d.initialFontName = FONT  # else renderPDF starts the drawing in (unembedded) Helvetica
    chart = HorizontalBarChart()
    chart.x, chart.y = 150, 34
    chart.width, chart.height = width - chart.x - 24, height - chart.y - 30
    chart.data = data
    chart.bars.strokeWidth = 0
    chart.bars.strokeColor = None
    palette = [WOMEN, MEN][: len(sexes)] + ([TOTAL] if totals else [])
    for i, rgb in enumerate(reversed(palette)):
        chart.bars[i].fillColor = colors.Color(*rgb)
    chart.barLabelFormat = lambda v: f"{fmt_int(round(v))} %" if v is not None else ""
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 5.5
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    chart.barLabels.fillColor = colors.Color(0.25, 0.25, 0.25)
    chart.groupSpacing = 3
    chart.barSpacing = 0.5
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 10
    percent_axis(chart)
    chart.categoryAxis.categoryNames = [
        (r.label if len(r.label) <= 42 else r.label[:40] + "…") for r in reversed(t.rows)
    ]
    chart.categoryAxis.labels.fontSize = 6.5
    d.add(chart)
    add_goal_line(d, chart, goal.percent, 100, goal.caption)
    d.add(_legend(t, chart.x, totals))
    return d


def percent_axis(chart: object) -> None:
    """The look of a horizontal bar chart of percentages: a labelled value axis with a light
    grid, category names right-aligned at the left."""
    from reportlab.lib import colors

    va = chart.valueAxis  # type: ignore[attr-defined]
    va.labels.fontName = FONT
    va.labels.fontSize = 7
    va.labelTextFormat = "%d %%"
    va.visibleGrid = True
    va.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    va.gridStrokeWidth = 0.4
    ca = chart.categoryAxis  # type: ignore[attr-defined]
    ca.labels.fontName = FONT
    ca.labels.fontSize = 7
    ca.labels.boxAnchor = "e"
    ca.labels.dx = -3
    ca.tickLeft = 0


def _legend(t: IndicatorTable, x: float, totals: bool = False) -> object:
    from reportlab.graphics.charts.legends import Legend
    from reportlab.lib import colors

    legend = Legend()
    legend.x, legend.y = x, 12
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.fontName = FONT
    legend.fontSize = 7.5
    legend.dx, legend.dy = 8, 8
    legend.deltax = 70
    legend.colorNamePairs = [
        (colors.Color(*WOMEN), t.sexes[0].label),
        (colors.Color(*MEN), t.sexes[1].label if len(t.sexes) > 1 else ""),
    ]
    total = t.template.total
    if totals and total is not None:
        legend.colorNamePairs.append((colors.Color(*TOTAL), f"{total.label} (ej per kön)"))
    return legend


def lead_time_section(t: IndicatorTable, heading: str, mask: Masking = EXACT) -> list[object]:
    """A new page with ``heading``, what the chart shows and the lead-time chart."""
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Spacer

    goal = t.lead_time_goal
    included = t.measure(INCLUDED).label.lower()
    return [
        PageBreak(),
        para(heading, "h1"),
        para(
            f"Andel av de {included} patienterna som startade första behandling inom SVF:ets "
            f"ledtid, per SVF och kön, {t.template.period_label}. Streckad linje: målet "
            f"{goal.text}. SVF utan {included} patienter saknar stapel"
            + (
                f", liksom andelar som bygger på färre än {mask.limits.min_patients} patienter "
                "(publicerad version)."
                if mask.limits is not None
                else "."
            ),
            "muted",
        ),
        Spacer(1, 3 * mm),
        lead_time_chart(t, 170 * mm, 222 * mm, mask),
    ]


def lead_time_heading(t: IndicatorTable) -> str:
    """``Ledtider mot målet 80 %``."""
    return f"Ledtider mot målet {t.lead_time_goal.text}"


__all__ = [
    "narrow_label",
    "lead_time_chart",
    "lead_time_heading",
    "lead_time_section",
    "lead_time_table",
    "lead_time_table_section",
    "percent_axis",
    "sex_table",
    "svf_section",
    "svf_table",
]
