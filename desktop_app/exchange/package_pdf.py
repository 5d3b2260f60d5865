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
                "filer; varje bilaga kan verifieras för sig. En redovisning som kom in på annat "
                "sätt (PDF- eller Word-fil) och registrerats av RCC är bifogad som den kom och "
                "märkt registrerad av RCC; den har ingen underskrift att verifiera."
            )
        ),
        table(rows, [40 * mm, 16 * mm, 30 * mm, 52 * mm, 32 * mm])
        if files
        else para(plain("Inga räknade redovisningar.")),
    ]


@dataclass(frozen=True)
class LeftOut:
    """A region of the scope whose report is not in the package, and why."""

    region_name: str
    status_label: str
    reason: str


def left_out_section(regions: Sequence[LeftOut]) -> list[object]:
    """The regions of the scope that are not in the package (pending, refused, missing)."""
    from reportlab.lib.units import mm

    if not regions:
        return [para(plain("Alla regioner i urvalet ingår i paketet."), "muted")]
    rows: list[list[object]] = [["Region", "Status", "Varför den inte ingår"]]
    for r in regions:
        rows.append(
            [
                para(plain(r.region_name), "cell"),
                para(plain(r.status_label), "cell"),
                para(plain(r.reason), "cell"),
            ]
        )
    return [
        para("Regioner som inte ingår", "h2"),
        table(rows, [40 * mm, 30 * mm, 100 * mm]),
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
