"""The PDF toolkit shared by the regional report and the RCC's compilation (reportlab; A4,
Swedish, DejaVu Sans embedded from resources/fonts): fonts, paragraph styles, colours, the page
frame (header, footer, "Sida X av Y"), tables, form boxes that record where a signature field
goes, goal lines for bar charts and signature appearances.

Nothing here knows what a report is; the sections (exchange.report_pdf,
exchange.pdf_indicators, exchange.compilation_pdf) are built from these pieces."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from desktop_app import __version__
from desktop_app.domain.vocabulary import Verdict, colours
from desktop_app.resources import resources_dir

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"

LABEL_HEIGHT = 10.0  # pt reserved for the small label at the top of each box

INK = (0.07, 0.16, 0.27)  # dark blue for headings
GRID = (0.6, 0.65, 0.7)
SHADE = (0.91, 0.93, 0.96)
WOMEN = (0.13, 0.33, 0.55)
MEN = (0.55, 0.75, 0.9)
TOTAL = (0.55, 0.56, 0.58)  # a rate over both sexes where none per sex is known
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


def plain(value: str) -> str:
    """Plain text for a Paragraph: escaped, line breaks kept."""
    return escape(value.strip()).replace("\n", "<br/>")


# ------------------------------------------------------------------ styles


@lru_cache(maxsize=1)
def styles() -> dict[str, object]:
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


def style(name: str) -> object:
    return styles()[name]


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


# ------------------------------------------------------------------ flowables


def _flowable_class() -> type:
    from reportlab.platypus import Flowable

    return Flowable


def boxes(
    cells: Sequence[tuple[str, str, float]],
    height: float,
    placements: dict[str, FieldPlacement] | None = None,
    field_name: str | None = None,
    field_cells: tuple[int, int] | None = None,
) -> object:
    """A row of labelled boxes like a paper form. With ``field_name`` the value area of cells
    ``field_cells`` (first, last) is recorded as the place of that signature field."""
    flowable = _flowable_class()

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
                    draw_wrapped(canv, value, x + 4, height - LABEL_HEIGHT - 10, w - 8, 9)
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


def draw_wrapped(
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


def table(
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


def para(markup: str, name: str = "base") -> object:
    """A Paragraph of ``markup`` (reportlab's mini-HTML) in the style ``name``."""
    from reportlab.platypus import Paragraph

    return Paragraph(markup, style(name))


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


def add_goal_line(drawing: Any, chart: Any, goal: float, value_max: float, caption: str) -> None:
    """A dashed vertical goal line at ``goal`` (percent) with its ``caption`` (the goal's
    ``Goal.caption``) over a horizontal bar chart."""
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
            caption,
            fontName=FONT_BOLD,
            fontSize=7.5,
            fillColor=colors.Color(*GOAL),
        )
    )


def tone(value: Verdict | bool | None) -> tuple[float, float, float]:
    """The background of a judged cell, from the vocabulary's colours: met (PASS/True), not
    met (FAIL/False), not known (anything else)."""
    if value is True:
        value = Verdict.PASS
    elif value is False:
        value = Verdict.FAIL
    elif not isinstance(value, Verdict):
        value = Verdict.UNKNOWN
    return rgb(colours(value)[1])


def rgb(hex_colour: str) -> tuple[float, float, float]:
    """``#rrggbb`` as reportlab's 0..1 components."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return (r, g, b)


def word_width(words: str, size: float = 7) -> float:
    """Width in points of the longest word of ``words`` in the bold header font."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register_fonts()
    return max((stringWidth(w, FONT_BOLD, size) for w in words.split()), default=0.0)


__all__ = [
    "FONT",
    "FONT_BOLD",
    "GOAL",
    "GRID",
    "INK",
    "LABEL_HEIGHT",
    "MEN",
    "SHADE",
    "TOTAL",
    "WOMEN",
    "FieldPlacement",
    "PageFrame",
    "RenderedPdf",
    "add_goal_line",
    "boxes",
    "build_a4",
    "cumulative_shares",
    "draw_wrapped",
    "para",
    "plain",
    "register_fonts",
    "render_appearance",
    "rgb",
    "style",
    "styles",
    "table",
    "tone",
    "word_width",
]
