"""The pages the package to Socialstyrelsen adds to the RCC's compilation (issue 11.7): the
list of the regions' signed reports attached byte for byte, and per narrative question every
region's answer side by side."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from desktop_app.exchange.pdf_kit import para, plain, table

NO_ANSWER = "(inget svar)"


@dataclass(frozen=True)
class AttachedReport:
    """One region's signed PDF as attached to the package."""

    file_name: str  # the attachment's name in the package
    region_name: str
    version: int | None
    status_label: str
    sha256: str  # of the PDF as attached


@dataclass(frozen=True)
class NarrativeQuestion:
    """One narrative question of the template with each counted region's answer."""

    title: str
    question: str
    answers: Sequence[tuple[str, str]]  # (region name, answer text)


def attached_reports_section(files: Sequence[AttachedReport]) -> list[object]:
    """A table of the attached region reports (name, version, status, checksum)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak

    rows: list[list[object]] = [["Region", "Version", "Status", "Bifogad fil", "SHA-256"]]
    for f in files:
        rows.append(
            [
                para(plain(f.region_name), "cell"),
                str(f.version or "–"),
                para(plain(f.status_label), "cell"),
                para(plain(f.file_name), "cell"),
                para(plain(f.sha256[:16] + "…"), "cell"),
            ]
        )
    return [
        PageBreak(),
        para("Bifogade redovisningar", "h1"),
        para(
            plain(
                "Varje regions underskrivna redovisning är bifogad i denna fil exakt som den kom "
                "till RCC (byte för byte). Öppna bilagorna i PDF-läsarens panel för bifogade "
                "filer; varje bilaga kan verifieras för sig."
            )
        ),
        table(rows, [40 * mm, 16 * mm, 30 * mm, 52 * mm, 32 * mm])
        if files
        else para(plain("Inga räknade redovisningar.")),
    ]


def narrative_section(questions: Sequence[NarrativeQuestion]) -> list[object]:
    """Per question: its text, then one row per region with the region's answer."""
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak

    out: list[object] = [PageBreak(), para("Regionernas svar per fråga", "h1")]
    for q in questions:
        out.append(para(plain(q.title), "h2"))
        out.append(para(plain(q.question), "muted"))
        rows: list[list[object]] = [["Region", "Svar"]]
        for region, answer in q.answers:
            rows.append([para(plain(region), "cellb"), para(plain(answer or NO_ANSWER), "cell")])
        out.append(table(rows, [38 * mm, 132 * mm]))
    return out


__all__ = [
    "AttachedReport",
    "NarrativeQuestion",
    "attached_reports_section",
    "narrative_section",
]
