"""The report as a PDF (reportlab; A4, Swedish, DejaVu Sans embedded from resources/fonts).

This module is the stable entry point; the work is split in three:

- ``exchange.pdf_kit``: the toolkit (fonts, styles, colours, page frame, tables, form boxes,
  goal lines, signature appearances), shared with the RCC's compilation;
- ``exchange.pdf_indicators``: the SVF statistics and the lead-time chart, drawn from an
  ``IndicatorTable``;
- ``exchange.report_pdf``: the regional report's sections and ``render_report_pdf``.

Only drawing happens here. Attaching the JSON document, placing signature fields and signing
are done by desktop_app.signing on the bytes returned (``RenderedPdf.fields`` tells where on
which page the signature fields go)."""

from __future__ import annotations

from desktop_app.exchange.pdf_kit import (
    FONT,
    FONT_BOLD,
    GOAL,
    GRID,
    INK,
    LABEL_HEIGHT,
    MEN,
    SHADE,
    WOMEN,
    FieldPlacement,
    PageFrame,
    RenderedPdf,
    add_goal_line,
    build_a4,
    cumulative_shares,
    register_fonts,
    render_appearance,
)
from desktop_app.exchange.report_pdf import (
    CERT_SIGNATURE_COLUMNS,
    PLACE_CERTIFICATION,
    PLACE_REPRESENTATIVE,
    REPRESENTATIVE_COLUMNS,
    PdfContent,
    render_report_pdf,
)

__all__ = [
    "CERT_SIGNATURE_COLUMNS",
    "FONT",
    "FONT_BOLD",
    "GOAL",
    "GRID",
    "INK",
    "LABEL_HEIGHT",
    "MEN",
    "PLACE_CERTIFICATION",
    "PLACE_REPRESENTATIVE",
    "REPRESENTATIVE_COLUMNS",
    "SHADE",
    "WOMEN",
    "FieldPlacement",
    "PageFrame",
    "PdfContent",
    "RenderedPdf",
    "add_goal_line",
    "build_a4",
    "cumulative_shares",
    "register_fonts",
    "render_appearance",
    "render_report_pdf",
]
