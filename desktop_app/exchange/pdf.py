"""The report as a PDF for review, certification and signature (reportlab; A4, Swedish,
DejaVu Sans embedded from resources/fonts).

Only drawing happens here. Attaching the JSON document, placing signature fields and signing
are done by desktop_app.signing on the bytes this module returns; this module tells where on
which page the signature fields go (``RenderedPdf.fields``)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from desktop_app import __version__
from desktop_app.domain.figures import Ratio, inclusion, ratio
from desktop_app.domain.finance import (
    ALT_CORRECT,
    ALT_NOT_CORRECT,
    AMOUNT_FIELDS,
    CERTIFICATION_ALT_1,
    CERTIFICATION_ALT_2,
    CERTIFICATION_HEADING,
    CONTACT_FIELDS,
    GRANT_FIELDS,
    RECEIVED_LABEL,
    REPRESENTATIVE_HEADING,
    REPRESENTATIVE_TEXT,
    Certification,
    FinancialStatement,
)
from desktop_app.domain.fmt import fmt_int, fmt_kr, fmt_num, fmt_pct
from desktop_app.domain.report import Report
from desktop_app.domain.rules import (
    ERROR,
    FAIL,
    PASS,
    CriterionResult,
    Finding,
    fmt_date,
)
from desktop_app.domain.template import Template
from desktop_app.resources import resources_dir

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"

# Keys of RenderedPdf.fields: the places of the two signatures (the signature fields
# themselves are named by desktop_app.signing).
PLACE_CERTIFICATION = "certification"
PLACE_REPRESENTATIVE = "representative"

# The representative's row of boxes (Bilaga 2, point 5) as shares of the text width; the
# signature appearance draws its values into the same columns.
REPRESENTATIVE_COLUMNS = (("Datum", 0.2), ("Underskrift", 0.45), ("Namnförtydligande", 0.35))
CERT_SIGNATURE_COLUMNS = (("Datum", 0.2), ("Elektronisk underskrift", 0.8))
LABEL_HEIGHT = 10.0  # pt reserved for the small label at the top of each box

INK = (0.07, 0.16, 0.27)  # dark blue for headings
GRID = (0.6, 0.65, 0.7)
SHADE = (0.91, 0.93, 0.96)
WOMEN = (0.13, 0.33, 0.55)
MEN = (0.55, 0.75, 0.9)
GOAL = (0.75, 0.1, 0.1)


@dataclass(frozen=True)
class FieldPlacement:
    """Where a signature field goes: 0-based page index and (x1, y1, x2, y2) in points."""

    page: int
    box: tuple[float, float, float, float]

    @property
    def width(self) -> float:
        return self.box[2] - self.box[0]

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int
    fields: dict[str, FieldPlacement]


@dataclass(frozen=True)
class PdfContent:
    """Everything one rendering shows. ``certification`` None leaves block 4 empty;
    ``signature_fields`` reserves the places of the two signatures (their positions are
    returned in ``RenderedPdf.fields``)."""

    report: Report
    tpl: Template
    region_name: str
    document_id: str
    rendered_on: date
    status_label: str
    criteria: Sequence[CriterionResult]
    findings: Sequence[Finding] = ()
    certification: Certification | None = None
    signature_fields: bool = False


# ------------------------------------------------------------------ fonts


@lru_cache(maxsize=1)
def register_fonts() -> tuple[str, str]:
    """Register DejaVu Sans (regular, bold) with reportlab from resources/fonts."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    fonts = resources_dir() / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(fonts / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(fonts / "DejaVuSans-Bold.ttf")))
    for bold, italic, name in (
        (0, 0, FONT),
        (1, 0, FONT_BOLD),
        (0, 1, FONT),
        (1, 1, FONT_BOLD),
    ):
        addMapping(FONT, bold, italic, name)
    return FONT, FONT_BOLD


def _text(value: str) -> str:
    """Plain text for a Paragraph: escaped, line breaks kept."""
    return escape(value.strip()).replace("\n", "<br/>")


# ------------------------------------------------------------------ styles


@lru_cache(maxsize=1)
def _styles() -> dict[str, object]:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    register_fonts()
    ink = colors.Color(*INK)
    base = ParagraphStyle("base", fontName=FONT, fontSize=9.5, leading=13, alignment=TA_LEFT)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5),
        "tiny": ParagraphStyle("tiny", parent=base, fontSize=7, leading=8.6),
        "muted": ParagraphStyle(
            "muted", parent=base, fontSize=8, leading=10.5, textColor=colors.Color(0.3, 0.3, 0.3)
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9),
        "cellb": ParagraphStyle("cellb", parent=base, fontName=FONT_BOLD, fontSize=7.5, leading=9),
        "head": ParagraphStyle(
            "head", parent=base, fontName=FONT_BOLD, fontSize=7, leading=8.5, alignment=1
        ),
        "kicker": ParagraphStyle(
            "kicker", parent=base, fontSize=9, leading=12, textColor=colors.Color(0.3, 0.3, 0.3)
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontName=FONT_BOLD, fontSize=19, leading=24, textColor=ink
        ),
        "region": ParagraphStyle(
            "region", parent=base, fontName=FONT_BOLD, fontSize=15, leading=20, spaceBefore=6
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=13.5,
            leading=17,
            textColor=ink,
            spaceAfter=6,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=10.5,
            leading=14,
            textColor=ink,
            spaceBefore=9,
            spaceAfter=3,
        ),
        "h3": ParagraphStyle(
            "h3", parent=base, fontName=FONT_BOLD, fontSize=9.5, leading=13, spaceBefore=6
        ),
        "answer": ParagraphStyle("answer", parent=base, leftIndent=8, spaceBefore=2, spaceAfter=4),
        "quote": ParagraphStyle("quote", parent=base, leftIndent=16, firstLineIndent=-16),
    }


def _s(name: str) -> object:
    return _styles()[name]


# ------------------------------------------------------------------ page frame


@dataclass(frozen=True)
class PageFrame:
    """The texts around every page: document metadata, the running header and the footer."""

    title: str
    author: str
    subject: str
    keywords: str
    header_left: str
    header_right: str
    footer_left: str


def build_a4(story: list[object], frame_text: PageFrame) -> tuple[bytes, int]:
    """Build ``story`` into an A4 PDF with a header, a footer and 'Sida X av Y';
    returns (bytes, page count). Shared by the regional report and the RCC compilation."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    buf = io.BytesIO()
    pages: list[int] = []

    class _Canvas(Canvas):
        # "av Y" is a form XObject drawn on every page and defined once the page count is
        # known (reportlab allows forward references to forms): one pass instead of two.
        def save(self) -> None:
            pages.append(self.getPageNumber() - 1)
            self.beginForm("svf_page_count")
            self.setFont(FONT, 7.5)
            self.setFillColorRGB(0.3, 0.3, 0.3)
            self.drawString(0, 0, str(self.getPageNumber() - 1))
            self.endForm()
            super().save()

    width, height = A4
    doc = BaseDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=22 * mm,
        bottomMargin=20 * mm,
        title=frame_text.title,
        author=frame_text.author,
        subject=frame_text.subject,
        creator=f"SVF-redovisning {__version__}",
        keywords=frame_text.keywords,
        lang="sv-SE",
        displayDocTitle=1,
        initialFontName=FONT,
        initialFontSize=9.5,
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )

    def decorate(canv: Canvas, _doc: object) -> None:
        canv.saveState()
        canv.setStrokeColorRGB(*GRID)
        canv.setLineWidth(0.5)
        top = height - 14 * mm
        canv.line(doc.leftMargin, top - 2, width - doc.rightMargin, top - 2)
        canv.setFont(FONT, 7.5)
        canv.setFillColorRGB(0.3, 0.3, 0.3)
        canv.drawString(doc.leftMargin, top + 2, frame_text.header_left)
        canv.drawRightString(width - doc.rightMargin, top + 2, frame_text.header_right)
        bottom = 12 * mm
        canv.line(doc.leftMargin, bottom + 8, width - doc.rightMargin, bottom + 8)
        canv.drawString(doc.leftMargin, bottom, frame_text.footer_left)
        label = f"Sida {canv.getPageNumber()} av "
        right = width - doc.rightMargin
        x = right - canv.stringWidth(label + "00", FONT, 7.5)
        canv.drawString(x, bottom, label)
        canv.translate(x + canv.stringWidth(label, FONT, 7.5), bottom)
        canv.doForm("svf_page_count")
        canv.restoreState()

    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate)])
    doc.build(story, canvasmaker=_Canvas)
    return buf.getvalue(), pages[0] if pages else 0


class _Doc:
    """Builds the regional report's story (and keeps the signature fields placed on the way)."""

    def __init__(self, content: PdfContent) -> None:
        self.c = content
        self.fields: dict[str, FieldPlacement] = {}

    def build(self, story: list[object]) -> RenderedPdf:
        c = self.c
        data, pages = build_a4(
            story,
            PageFrame(
                title=f"{c.tpl.title} – {c.region_name}",
                author=c.region_name,
                subject=f"SVF-redovisning {c.tpl.year}, {c.region_name}, version {c.report.version}",
                keywords=f"SVF, standardiserade vårdförlopp, {c.tpl.year}, {c.region_name}",
                header_left=f"{c.region_name} – SVF-redovisning {c.tpl.year}",
                header_right=f"Version {c.report.version} · {c.status_label}",
                footer_left=(
                    f"Dokument-id {c.document_id[:16]} · skapad {c.rendered_on.isoformat()} "
                    f"med SVF-redovisning {__version__}"
                ),
            ),
        )
        return RenderedPdf(data, pages, dict(self.fields))


# ------------------------------------------------------------------ flowables


def _flowables() -> type:
    from reportlab.platypus import Flowable

    return Flowable


def _boxes(
    cells: Sequence[tuple[str, str, float]],
    height: float,
    placements: dict[str, FieldPlacement] | None = None,
    field_name: str | None = None,
    field_cells: tuple[int, int] | None = None,
) -> object:
    """A row of labelled boxes like a paper form. With ``field_name`` the value area of cells
    ``field_cells`` (first, last) is recorded as the place of that signature field."""
    flowable = _flowables()

    class Boxes(flowable):  # type: ignore[misc, valid-type]
        def wrap(self, available_width: float, _h: float) -> tuple[float, float]:
            self.width = available_width
            self.height = height
            return available_width, height

        def draw(self) -> None:
            canv = self.canv
            canv.saveState()
            canv.setStrokeColorRGB(*GRID)
            canv.setLineWidth(0.6)
            x = 0.0
            starts = []
            for label, value, share in cells:
                w = self.width * share
                starts.append((x, w))
                canv.rect(x, 0, w, height)
                canv.setFillColorRGB(0.35, 0.35, 0.35)
                canv.setFont(FONT, 6.5)
                canv.drawString(x + 3, height - 8, label)
                if value:
                    canv.setFillColorRGB(0, 0, 0)
                    _draw_wrapped(canv, value, x + 4, height - LABEL_HEIGHT - 10, w - 8, 9)
                x += w
            canv.restoreState()
            if field_name and placements is not None:
                first, last = field_cells or (0, len(cells) - 1)
                x1 = starts[first][0]
                x2 = starts[last][0] + starts[last][1]
                ax1, ay1 = canv.absolutePosition(x1, 0)
                ax2, ay2 = canv.absolutePosition(x2, height - LABEL_HEIGHT)
                placements[field_name] = FieldPlacement(
                    page=canv.getPageNumber() - 1,
                    box=(round(ax1, 2), round(ay1, 2), round(ax2, 2), round(ay2, 2)),
                )

    return Boxes()


def _draw_wrapped(
    canv: object, text: str, x: float, y: float, width: float, size: float, font: str = FONT
) -> None:
    """Draw ``text`` from the top line at ``y`` down, wrapped to ``width``."""
    from reportlab.lib.utils import simpleSplit

    lines: list[str] = []
    for part in text.splitlines() or [""]:
        lines.extend(simpleSplit(part, font, size, width) or [""])
    canv.setFont(font, size)  # type: ignore[attr-defined]
    for i, line in enumerate(lines):
        canv.drawString(x, y - i * (size + 2), line)  # type: ignore[attr-defined]


# ------------------------------------------------------------------ sections


def _table(
    rows: list[list[object]],
    widths: Sequence[float],
    header_rows: int = 1,
    extra: Sequence[tuple[object, ...]] = (),
) -> object:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    t = Table(rows, colWidths=list(widths), repeatRows=header_rows)
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, 7.5),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.Color(*GRID)),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        style += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.Color(*SHADE)),
            ("FONT", (0, 0), (-1, header_rows - 1), FONT_BOLD, 7.5),
        ]
    t.setStyle(TableStyle(style + list(extra)))
    return t


def _p(text: str, style: str = "base") -> object:
    from reportlab.platypus import Paragraph

    return Paragraph(text, _s(style))


def _cover(c: PdfContent) -> list[object]:
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    tpl, r = c.tpl, c.report
    ag = tpl.agreement
    story: list[object] = [
        Spacer(1, 18 * mm),
        _p(
            "Redovisning enligt överenskommelsen mellan staten och Sveriges Kommuner och Regioner",
            "kicker",
        ),
        _p(
            _text(ag.get("name", ""))
            + (f" ({_text(ag['reference'])})" if ag.get("reference") else ""),
            "kicker",
        ),
        Spacer(1, 6 * mm),
        _p(_text(tpl.title), "title"),
        _p(_text(c.region_name), "region"),
        Spacer(1, 8 * mm),
    ]
    status = c.status_label
    if r.submitted_on:
        status += f" (inlämnad {fmt_date(r.submitted_on)})"
    contact = ", ".join(
        x for x in (r.contact.name, r.contact.title, r.contact.email, r.contact.phone) if x
    )
    rows = [
        ("Region", f"{c.region_name} (länskod {r.region_code})"),
        ("Redovisningsår", str(tpl.year)),
        (
            "Period",
            f"{tpl.period_label} ({tpl.period_start.isoformat()} – {tpl.period_end.isoformat()})",
        ),
        ("Status", status),
        ("Version", str(r.version)),
        ("Sista dag för redovisningen", fmt_date(tpl.deadline)),
        ("Kontaktperson", contact or "–"),
        ("Mall", tpl.id),
        ("Dokument-id", c.document_id),
    ]
    if c.certification is not None:
        alt = "Alt 1" if c.certification.alternative == ALT_CORRECT else "Alt 2"
        rows.insert(
            4,
            (
                "Ekonomichefens granskning",
                f"{alt}, {c.certification.name} ({c.certification.title}), "
                f"{fmt_date(c.certification.certified_on)}",
            ),
        )
    table_rows = [[_p(k, "cellb"), _p(_text(v), "cell")] for k, v in rows]
    story.append(
        _table(
            table_rows,
            [52 * mm, 118 * mm],
            header_rows=0,
            extra=[("BACKGROUND", (0, 0), (0, -1), colors.Color(*SHADE))],
        )
    )
    story += [Spacer(1, 8 * mm), _p("Villkor för den andra utbetalningen", "h2")]
    story.append(_criteria_table(c.criteria, compact=True))
    story += [
        Spacer(1, 8 * mm),
        _p("Innehåll", "h2"),
        _p(
            "SVF-statistik per SVF och kön · Ledtider mot målet · Redovisning av frågorna · "
            "Villkor och kontroller · Ekonomisk redovisning enligt bilaga 2 (punkt 1–3) med "
            "ekonomichefens granskning (punkt 4) och underskrift av behörig företrädare (punkt 5)",
            "small",
        ),
        Spacer(1, 5 * mm),
        _p(
            "Redovisningens uppgifter finns också bifogade i filen som <b>svf-report.json</b> "
            "(maskinläsbart dokument), så att RCC kan läsa in dem utan att skriva av. "
            "Dokument-id är SHA-256 av den bifogade filen.",
            "muted",
        ),
    ]
    return story


def _svf_section(c: PdfContent) -> list[object]:
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Spacer

    tpl, fig = c.tpl, c.report.figures
    sexes = tpl.sex_ids

    def pct(r: Ratio) -> str:
        return fmt_pct(r.rate)

    head1 = [
        "SVF",
        _p("Beräk&shy;nings&shy;underlag", "head"),
        _p("Inklu&shy;derade", "head"),
        "Inklusion",
        "",
        "",
        "Inom ledtid",
        "",
        "",
        _p("Över<br/>175 %", "cellb"),
    ]
    head2 = ["", "", "", "Totalt"] + [s.label for s in tpl.sexes] + ["Totalt"]
    head2 += [s.label for s in tpl.sexes] + [""]
    rows: list[list[object]] = [head1, head2]

    def row(label: object, svf_ids: Sequence[str]) -> list[object]:
        inc = ratio(fig, tpl, "included", "expected", svf_ids)
        lt = ratio(fig, tpl, "within_lead_time", "included", svf_ids)
        over = ratio(fig, tpl, "over_175", "included", svf_ids)
        cells: list[object] = [label, fmt_int(inc.denominator), fmt_int(inc.numerator), pct(inc)]
        cells += [pct(ratio(fig, tpl, "included", "expected", svf_ids, x)) for x in sexes]
        cells.append(pct(lt))
        cells += [pct(ratio(fig, tpl, "within_lead_time", "included", svf_ids, x)) for x in sexes]
        cells.append(pct(over))
        return cells

    for svf in tpl.svfs:
        rows.append(row(_p(_text(svf.name), "cell"), [svf.id]))
    scope = [s.id for s in tpl.inclusion_svfs()]
    first_total = len(rows)
    rows.append(
        row(
            _p(
                f"Totalt, SVF införda före {tpl.inclusion_introduced_before} (inklusionsmålet)",
                "cellb",
            ),
            scope,
        )
    )
    rows.append(row(_p("Totalt, alla SVF", "cellb"), [s.id for s in tpl.svfs]))
    widths = [52 * mm, 15 * mm, 14 * mm] + [12.5 * mm] * 7
    extra = [
        ("SPAN", (0, 0), (0, 1)),
        ("SPAN", (1, 0), (1, 1)),
        ("SPAN", (2, 0), (2, 1)),
        ("SPAN", (3, 0), (5, 0)),
        ("SPAN", (6, 0), (8, 0)),
        ("SPAN", (9, 0), (9, 1)),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("ALIGN", (1, 0), (-1, 1), "CENTER"),
        ("FONT", (1, first_total), (-1, -1), FONT_BOLD, 7.5),
        ("BACKGROUND", (0, first_total), (-1, -1), colors.Color(*SHADE)),
        ("LINEABOVE", (0, first_total), (-1, first_total), 1, colors.Color(*INK)),
    ]
    story: list[object] = [
        PageBreak(),
        _p(f"SVF-statistik {tpl.period_label}", "h1"),
        _p(
            "Inklusion = inkluderade / beräkningsunderlag. Inom ledtid = andel av de inkluderade "
            "som startade första behandling inom SVF:ets ledtid. Över 175 % = andel av de "
            "inkluderade som väntade mer än 175 % av ledtiden. Totaler är summa täljare / "
            "summa nämnare, aldrig medelvärden av andelar. – = inget underlag.",
            "muted",
        ),
        Spacer(1, 3 * mm),
        _table(rows, widths, header_rows=2, extra=extra),
        Spacer(1, 5 * mm),
        _p("Per kön", "h2"),
    ]
    sex_rows: list[list[object]] = [
        ["Kön", "Inklusion", "Inkluderade / underlag", "Inom ledtid", "Inom ledtid / inkluderade"]
    ]
    for s in tpl.sexes:
        inc = inclusion(fig, tpl, sex=s.id)
        lt = ratio(fig, tpl, "within_lead_time", "included", [x.id for x in tpl.svfs], s.id)
        sex_rows.append(
            [
                s.label,
                pct(inc),
                f"{fmt_int(inc.numerator)} av {fmt_int(inc.denominator)}",
                pct(lt),
                f"{fmt_int(lt.numerator)} av {fmt_int(lt.denominator)}",
            ]
        )
    story.append(
        _table(
            sex_rows,
            [26 * mm, 26 * mm, 46 * mm, 26 * mm, 46 * mm],
            extra=[("ALIGN", (1, 1), (-1, -1), "RIGHT")],
        )
    )
    return story


def _lead_time_chart(c: PdfContent, width: float, height: float) -> object:
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    tpl, fig = c.tpl, c.report.figures
    svfs = list(tpl.svfs)
    goal = c.tpl.lead_time_percent
    data = []
    # reportlab stacks the series of a group from the bottom: the last series is drawn on top.
    for sex in reversed(tpl.sex_ids):
        series = []
        for svf in reversed(svfs):  # the first SVF at the top
            r = ratio(fig, tpl, "within_lead_time", "included", [svf.id], sex)
            series.append(round(r.rate * 100, 1) if r.rate is not None else None)
        data.append(series)
    d = Drawing(width, height)
    d.initialFontName = FONT  # else renderPDF starts the drawing in (unembedded) Helvetica
    chart = HorizontalBarChart()
    chart.x, chart.y = 150, 34
    chart.width, chart.height = width - chart.x - 24, height - chart.y - 30
    chart.data = data
    chart.bars.strokeWidth = 0
    chart.bars.strokeColor = None
    palette = [WOMEN, MEN][: len(tpl.sex_ids)]
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
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = "%d %%"
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    chart.valueAxis.gridStrokeWidth = 0.4
    chart.categoryAxis.categoryNames = [
        (s.name if len(s.name) <= 42 else s.name[:40] + "…") for s in reversed(svfs)
    ]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 6.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.categoryAxis.tickLeft = 0
    d.add(chart)
    add_goal_line(d, chart, goal, 100)
    legend = Legend()
    legend.x, legend.y = chart.x, 12
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.fontName = FONT
    legend.fontSize = 7.5
    legend.dx, legend.dy = 8, 8
    legend.deltax = 70
    legend.colorNamePairs = [
        (colors.Color(*WOMEN), tpl.sexes[0].label),
        (colors.Color(*MEN), tpl.sexes[1].label if len(tpl.sexes) > 1 else ""),
    ]
    d.add(legend)
    return d


def _lead_time_section(c: PdfContent) -> list[object]:
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Spacer

    tpl = c.tpl
    return [
        PageBreak(),
        _p(f"Ledtider mot målet {fmt_int(tpl.lead_time_percent)} %", "h1"),
        _p(
            f"Andel av de inkluderade patienterna som startade första behandling inom SVF:ets "
            f"ledtid, per SVF och kön, {tpl.period_label}. Streckad linje: målet "
            f"{fmt_int(tpl.lead_time_percent)} %. SVF utan inkluderade patienter saknar stapel.",
            "muted",
        ),
        Spacer(1, 3 * mm),
        _lead_time_chart(c, 170 * mm, 222 * mm),
    ]


def _narratives(c: PdfContent) -> list[object]:
    from reportlab.platypus import KeepTogether, PageBreak

    tpl, r = c.tpl, c.report
    story: list[object] = [PageBreak(), _p("Redovisning av frågorna", "h1")]
    for step in tpl.steps:
        questions = tpl.questions_for_step(step.id)
        if not questions:
            continue
        story.append(_p(_text(step.title), "h2"))
        if step.kind == "prem":
            p = r.prem
            used = {True: "ja", False: "nej", None: "inte angivet"}[p.used]
            rate = f" ({fmt_pct(p.answers / p.sent)})" if p.sent and p.answers is not None else ""
            story.append(
                _p(
                    f"PREM-enkäten används för uppföljning av SVF: <b>{used}</b>. Utskickade "
                    f"enkäter: {fmt_int(p.sent or 0)}, svar: {fmt_int(p.answers or 0)}{rate}.",
                    "base",
                )
            )
        for q in questions:
            answer = r.answers.get(q.id, "").strip()
            if q.type == "yes_no" and answer:
                answer = answer.capitalize()
            block = [
                _p(_text(q.title), "h3"),
                _p(_text(q.question), "muted"),
            ]
            body = (
                _p(_text(answer), "answer") if answer else _p("<i>(Inte besvarad.)</i>", "answer")
            )
            story.append(KeepTogether(block + [body]) if len(answer) < 1200 else block[0])
            if len(answer) >= 1200:
                story += [block[1], body]
    return story


def _criteria_table(criteria: Sequence[CriterionResult], compact: bool = False) -> object:
    from reportlab.lib import colors
    from reportlab.lib.units import mm

    verdict = {PASS: "Uppfyllt", FAIL: "Ej uppfyllt"}
    rows: list[list[object]] = [["Villkor", "Bedömning", "Underlag"]]
    extra: list[tuple[object, ...]] = []
    for i, cr in enumerate(criteria, start=1):
        rows.append(
            [
                _p(_text(cr.label), "cellb"),
                verdict.get(cr.status, "Kan ej bedömas"),
                _p(_text(cr.message), "cell"),
            ]
        )
        tone = {PASS: (0.86, 0.94, 0.86), FAIL: (0.98, 0.87, 0.85)}.get(
            cr.status, (0.97, 0.95, 0.85)
        )
        extra.append(("BACKGROUND", (1, i), (1, i), colors.Color(*tone)))
    return _table(rows, [40 * mm, 26 * mm, 104 * mm], extra=extra)


def _criteria_section(c: PdfContent) -> list[object]:
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, Spacer

    story: list[object] = [
        # Shares the page with the narratives when there is room: a half-empty page each looks
        # unfinished.
        CondPageBreak(80 * mm),
        Spacer(1, 6 * mm),
        _p("Villkor för den andra utbetalningen", "h1"),
        _p(
            "Bedömt av programmet utifrån redovisningens siffror och svar "
            f"({c.rendered_on.isoformat()}).",
            "muted",
        ),
        Spacer(1, 3 * mm),
        _criteria_table(c.criteria),
        Spacer(1, 2 * mm),
    ]
    for cr in c.tpl.criteria:
        story.append(
            _p(f"<b>{_text(cr.label)}:</b> {_text(cr.description)} {_text(cr.source)}", "tiny")
        )
    errors = [f for f in c.findings if f.severity == ERROR]
    warnings = [f for f in c.findings if f.severity != ERROR]
    story += [
        Spacer(1, 4 * mm),
        _p("Kontroller", "h2"),
        _p(f"{len(errors)} fel och {len(warnings)} varningar när dokumentet skapades.", "small"),
    ]
    for f in (errors + warnings)[:40]:
        story.append(
            _p(f"– {'Fel' if f.severity == ERROR else 'Varning'}: {_text(f.message)}", "small")
        )
    if len(c.findings) > 40:
        story.append(_p(f"… och {len(c.findings) - 40} till (se Excel-filen).", "small"))
    return story


def _kr(value: int | None) -> str:
    return fmt_kr(value) if isinstance(value, int) else "–"


def _finance_section(c: PdfContent, sink: dict[str, FieldPlacement]) -> list[object]:
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Spacer

    fs: FinancialStatement = c.report.finance
    label_w, value_w = 88 * mm, 82 * mm

    def pairs(items: Sequence[tuple[str, str]], right: bool = False) -> object:
        rows = [[_p(_text(k), "cell"), _p(_text(v) or "–", "cell")] for k, v in items]
        return _table(
            rows,
            [label_w, value_w],
            header_rows=0,
            extra=[("BACKGROUND", (0, 0), (0, -1), colors.Color(*SHADE))],
        )

    story: list[object] = [
        PageBreak(),
        _p("Ekonomisk redovisning", "h1"),
        _p(
            "Enligt bilaga 2 till överenskommelsen: information som ska ingå i ekonomisk "
            "redovisning avseende från Kammarkollegiet rekvirerade medel.",
            "muted",
        ),
        _p("1. Kontaktuppgifter", "h2"),
        pairs([(label, getattr(fs, key)) for key, label in CONTACT_FIELDS]),
        _p("2. Bidrag som ansökan avser", "h2"),
        pairs(
            [
                (label, _kr(getattr(fs, key)) if key in AMOUNT_FIELDS else getattr(fs, key))
                for key, label in GRANT_FIELDS
            ]
        ),
        _p("3. Redovisning av verksamhet eller aktivitet", "h2"),
    ]
    rows: list[list[object]] = [
        [_p(RECEIVED_LABEL, "cellb"), _kr(fs.received)],
        [_p("Kostnader (specificera större kostnadsposter)", "cellb"), ""],
    ]
    for item in fs.costs:
        rows.append(
            [
                _p("&nbsp;&nbsp;&nbsp;" + _text(item.label or "(utan benämning)"), "cell"),
                _kr(item.amount),
            ]
        )
    if not fs.costs:
        rows.append([_p("&nbsp;&nbsp;&nbsp;(inga kostnader redovisade)", "cell"), "–"])
    n = len(rows)
    rows.append([_p("Summa kostnader", "cellb"), fmt_kr(fs.total_costs)])
    rows.append(
        [_p("Medel som inte har förbrukats (Bidrag – kostnader)", "cellb"), _kr(fs.unspent)]
    )
    story.append(
        _table(
            rows,
            [label_w + 30 * mm, value_w - 30 * mm],
            header_rows=0,
            extra=[
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("FONT", (1, n), (1, -1), FONT_BOLD, 7.5),
                ("FONT", (1, 0), (1, 0), FONT_BOLD, 7.5),
                ("LINEABOVE", (0, n), (-1, n), 1, colors.Color(*INK)),
                ("BACKGROUND", (0, n), (-1, -1), colors.Color(*SHADE)),
            ],
        )
    )
    if fs.unspent is not None and fs.unspent < 0:
        story.append(
            _p(f"Kostnaderna överstiger erhållet bidrag med {fmt_kr(-fs.unspent)}.", "small")
        )
    story.append(CondPageBreak(120 * mm))
    story.append(KeepTogether(_certification_block(c, sink)))
    story.append(Spacer(1, 6 * mm))
    story.append(KeepTogether(_representative_block(c, sink)))
    return story


def _checkbox(checked: bool) -> str:
    return "☒" if checked else "☐"


def _certification_block(c: PdfContent, sink: dict[str, FieldPlacement]) -> list[object]:
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    cert = c.certification
    alt = cert.alternative if cert else None
    story: list[object] = [
        _p(
            f"Ekonomisk redovisning enligt bilaga 2 – {escape(c.region_name)}, "
            f"{c.tpl.year}, version {c.report.version}",
            "muted",
        ),
        _p(CERTIFICATION_HEADING, "h2"),
        _p(f"{_checkbox(alt == ALT_CORRECT)}&nbsp; {escape(CERTIFICATION_ALT_1)}", "quote"),
        Spacer(1, 2),
        _p(f"{_checkbox(alt == ALT_NOT_CORRECT)}&nbsp; {escape(CERTIFICATION_ALT_2)}", "quote"),
        Spacer(1, 3 * mm),
    ]
    if cert is not None and cert.alternative == ALT_NOT_CORRECT:
        story += [
            _p("<b>Avvikelse:</b> " + _text(cert.deviations), "small"),
            _p("<b>Åtgärder:</b> " + _text(cert.actions), "small"),
            Spacer(1, 3 * mm),
        ]
    value = (lambda v: v) if cert else (lambda _v: "")
    story.append(
        _boxes(
            [
                ("Namn", value(cert.name if cert else ""), 0.5),
                ("Befattning", value(cert.title if cert else ""), 0.5),
            ],
            26,
        )
    )
    story.append(
        _boxes(
            [
                ("Telefon inkl. riktnummer", value(cert.phone if cert else ""), 0.5),
                ("E-postadress", value(cert.email if cert else ""), 0.5),
            ],
            26,
        )
    )
    story.append(
        _boxes(
            [
                (
                    CERT_SIGNATURE_COLUMNS[0][0],
                    cert.certified_on.isoformat() if cert else "",
                    CERT_SIGNATURE_COLUMNS[0][1],
                ),
                (CERT_SIGNATURE_COLUMNS[1][0], "", CERT_SIGNATURE_COLUMNS[1][1]),
            ],
            52,
            sink,
            PLACE_CERTIFICATION if c.signature_fields else None,
            (1, 1),
        )
    )
    return story


def _representative_block(c: PdfContent, sink: dict[str, FieldPlacement]) -> list[object]:
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    return [
        _p(REPRESENTATIVE_HEADING, "h2"),
        _p(escape(REPRESENTATIVE_TEXT), "base"),
        Spacer(1, 3 * mm),
        _boxes(
            [(label, "", share) for label, share in REPRESENTATIVE_COLUMNS],
            52,
            sink,
            PLACE_REPRESENTATIVE if c.signature_fields else None,
        ),
        Spacer(1, 2 * mm),
        _p(
            "Underskrifterna görs elektroniskt (PAdES) i denna PDF-fil: ekonomichefens intygande "
            "först, därefter den behöriga företrädarens underskrift. Namn och datum visas i "
            "rutorna när dokumentet är undertecknat; underskrifterna kontrolleras med "
            "<i>svf-report verify</i> eller i Adobe Reader.",
            "muted",
        ),
    ]


# ------------------------------------------------------------------ entry points


def render_report_pdf(content: PdfContent) -> RenderedPdf:
    """Draw the whole report. Deterministic apart from reportlab's creation date."""
    register_fonts()
    doc = _Doc(content)
    story = (
        _cover(content)
        + _svf_section(content)
        + _lead_time_section(content)
        + _narratives(content)
        + _criteria_section(content)
        + _finance_section(content, doc.fields)  # the flowables record the fields' places
    )
    return doc.build(story)


def render_appearance(
    width: float, height: float, columns: Sequence[tuple[float, Sequence[tuple[str, bool]]]]
) -> bytes:
    """A one-page PDF of exactly ``width`` × ``height`` points used as a signature field's
    appearance: text lines (text, bold) in columns starting at the given share of the width.
    Transparent, so the boxes drawn on the page show through."""
    from reportlab.pdfgen.canvas import Canvas

    register_fonts()
    buf = io.BytesIO()
    canv = Canvas(buf, pagesize=(width, height), initialFontName=FONT, initialFontSize=7.5)
    starts = [share for share, _ in columns] + [1.0]
    for i, (share, lines) in enumerate(columns):
        x = width * share + 4
        w = width * (starts[i + 1] - share) - 8
        y = height - 11
        for text, bold in lines:
            font = FONT_BOLD if bold else FONT
            size = 9 if bold else 7.5
            from reportlab.lib.utils import simpleSplit

            for line in simpleSplit(text, font, size, w) or [""]:
                if y < 2:
                    break
                canv.setFont(font, size)
                canv.setFillColorRGB(*(INK if bold else (0.15, 0.15, 0.15)))
                canv.drawString(x, y, line)
                y -= size + 2.5
    canv.showPage()
    canv.save()
    return buf.getvalue()


def cumulative_shares(columns: Sequence[tuple[str, float]]) -> list[float]:
    """Start of each column as a share of the width: ((a, .2), (b, .45)) -> [0, .2]."""
    out, acc = [], 0.0
    for _label, share in columns:
        out.append(acc)
        acc += share
    return out


__all__ = [
    "PLACE_CERTIFICATION",
    "CERT_SIGNATURE_COLUMNS",
    "FieldPlacement",
    "PdfContent",
    "REPRESENTATIVE_COLUMNS",
    "PLACE_REPRESENTATIVE",
    "RenderedPdf",
    "cumulative_shares",
    "render_appearance",
    "render_report_pdf",
]


def add_goal_line(drawing: Any, chart: Any, goal: float, value_max: float) -> None:
    """A dashed vertical goal line with its label ("Mål 80 %") over a horizontal bar chart."""
    from reportlab.graphics.shapes import Line, String
    from reportlab.lib import colors

    x = chart.x + chart.width * goal / value_max
    drawing.add(
        Line(
            x,
            chart.y - 2,
            x,
            chart.y + chart.height + 4,
            strokeColor=colors.Color(*GOAL),
            strokeWidth=1.2,
            strokeDashArray=[4, 2],
        )
    )
    drawing.add(
        String(
            x + 2,
            chart.y + chart.height + 6,
            f"Mål {fmt_num(goal, 0)} %",
            fontName=FONT_BOLD,
            fontSize=7.5,
            fillColor=colors.Color(*GOAL),
        )
    )
