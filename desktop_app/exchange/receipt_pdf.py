"""The kvittens as a one-page PDF (issue 11.6): what the RCC received or returned, in words a
coordinator reads; the same values travel as svf-kvittens.json inside the signed file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from desktop_app import __version__
from desktop_app.exchange.pdf_kit import PageFrame, build_a4, para, plain, table


@dataclass(frozen=True)
class ReceiptContent:
    """The plain values the page draws."""

    title: str  # "Kvittens" or "Återsänd för komplettering"
    rcc_name: str
    region_name: str
    year: int
    version: int
    rows: Sequence[tuple[str, str]]  # (label, value) of the table
    text: str  # the sentence that says what happened
    document_sha256: str


def render_receipt_pdf(c: ReceiptContent) -> bytes:
    """One A4 page: heading, the sentence, the table of values."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    story: list[object] = [
        para(plain(f"{c.rcc_name} – SVF-redovisning {c.year}"), "kicker"),
        para(plain(f"{c.title}: {c.region_name}, version {c.version}"), "title"),
        Spacer(1, 4 * mm),
        para(plain(c.text)),
        Spacer(1, 4 * mm),
        table(
            [[para(plain(k), "cellb"), para(plain(v), "cell")] for k, v in c.rows],
            [55 * mm, 115 * mm],
            header_rows=0,
        ),
        Spacer(1, 4 * mm),
        para(
            plain(
                "Kvittensen är elektroniskt underskriven av RCC. Läs in den i SVF-redovisning "
                "(Arkiv → Importera kvittens…, eller dra filen till fönstret)."
            ),
            "muted",
        ),
    ]
    data, _pages = build_a4(
        story,
        PageFrame(
            title=f"{c.title} – {c.region_name} {c.year}",
            author=c.rcc_name,
            subject=f"{c.title} för SVF-redovisningen {c.year}, {c.region_name}",
            keywords=f"SVF, kvittens, {c.year}, {c.region_name}, {c.rcc_name}",
            header_left=f"{c.rcc_name} – {c.title.lower()}",
            header_right=f"{c.region_name} {c.year}",
            footer_left=(
                f"Redovisningens kontrollsumma {c.document_sha256[:16]} · SVF-redovisning "
                f"{__version__}"
            ),
        ),
    )
    return data


__all__ = ["ReceiptContent", "render_receipt_pdf"]
