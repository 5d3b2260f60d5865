"""The regional report as a PDF for review, certification and signature: its sections (cover,
SVF statistics, lead times, the narratives, the criteria and checks, the financial statement
with the finance chief's certification and the representative's signature), drawn with the
toolkit of exchange.pdf_kit. The SVF statistics and the lead-time chart are drawn from the
report's ``IndicatorTable`` (exchange.pdf_indicators); nothing here computes a rate.

Attaching the JSON document, placing signature fields and signing are done by
desktop_app.signing on the bytes returned; ``RenderedPdf.fields`` tells where on which page the
signature fields go."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from xml.sax.saxutils import escape

from desktop_app import __version__
from desktop_app.domain.disclosure import EXACT, Masking, published_note
from desktop_app.domain.document import long_wait_cause_rows
from desktop_app.domain.figures import Ratio
from desktop_app.domain.finance import (
    ALT_CORRECT,
    ALT_NOT_CORRECT,
    AMOUNT_FIELDS,
    CERTIFICATION_HEADING,
    CONTACT_FIELDS,
    GRANT_FIELDS,
    NOT_A_PAYMENT_CRITERION,
    RECEIVED_LABEL,
    REPRESENTATIVE_HEADING,
    REPRESENTATIVE_TEXT,
    Certification,
    FinancialStatement,
    alternative_text,
)
from desktop_app.domain.findings import CriterionResult, Finding
from desktop_app.domain.fmt import fmt_int, fmt_kr, fmt_pct
from desktop_app.domain.indicators import IndicatorTable
from desktop_app.domain.provenance import Deviation
from desktop_app.domain.report import Report
from desktop_app.domain.rules import fmt_date
from desktop_app.domain.template import Template, agreement_references
from desktop_app.domain.vocabulary import Role, Severity, label
from desktop_app.exchange.pdf_indicators import (
    CHANGED_MARK,
    JUSTIFIED_MARK,
    lead_time_heading,
    lead_time_section,
    lead_time_table_section,
    svf_section,
)
from desktop_app.exchange.pdf_kit import (
    FONT_BOLD,
    INK,
    SHADE,
    FieldPlacement,
    PageFrame,
    RenderedPdf,
    boxes,
    build_a4,
    para,
    plain,
    register_fonts,
    table,
    tone,
)

# Keys of RenderedPdf.fields: the places of the two signatures (the signature fields
# themselves are named by desktop_app.signing).
PLACE_CERTIFICATION = Role.CERTIFICATION
PLACE_REPRESENTATIVE = Role.REPRESENTATIVE

# The representative's row of boxes (Bilaga 2, point 5) as shares of the text width; the
# signature appearance draws its values into the same columns.
REPRESENTATIVE_COLUMNS = (("Datum", 0.2), ("Underskrift", 0.45), ("Namnförtydligande", 0.35))
CERT_SIGNATURE_COLUMNS = (("Datum", 0.2), ("Elektronisk underskrift", 0.8))


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
    indicators: IndicatorTable | None = None  # built from the report's figures when None
    # Issue 15, point 7: the published copy (small counts and few PREM answers hidden).
    masking: Masking | None = None
    # Issue 15, point 2: the values changed from the RCC's extract, with the region's reasons.
    deviations: Sequence[Deviation] = ()

    @cached_property
    def table(self) -> IndicatorTable:
        """The report's indicator table (the one given, or built once from its figures)."""
        return self.indicators or IndicatorTable.build(self.report.figures, self.tpl)


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


def _cover(c: PdfContent) -> list[object]:
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    tpl, r = c.tpl, c.report
    ag = tpl.agreement
    story: list[object] = [
        Spacer(1, 18 * mm),
        para(
            "Redovisning enligt överenskommelsen mellan staten och Sveriges Kommuner och Regioner",
            "kicker",
        ),
        para(plain(ag.get("name", "")), "kicker"),
        Spacer(1, 6 * mm),
        para(plain(tpl.title), "title"),
        para(plain(c.region_name), "region"),
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
        # SKR's ärendenummer and Regeringskansliet's diarienummer, each under its own name.
        *(
            (label, value)
            for label, value, _known in agreement_references(ag).rows(
                r.finance.dnr_agreement, r.finance.dnr_decision
            )
        ),
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
    table_rows = [[para(k, "cellb"), para(plain(v), "cell")] for k, v in rows]
    story.append(
        table(
            table_rows,
            [52 * mm, 118 * mm],
            header_rows=0,
            extra=[("BACKGROUND", (0, 0), (0, -1), colors.Color(*SHADE))],
        )
    )
    story += [Spacer(1, 8 * mm), para("Villkor för den andra utbetalningen", "h2")]
    story.append(_criteria_table(c.criteria, compact=True))
    story += [
        Spacer(1, 8 * mm),
        para("Innehåll", "h2"),
        para(
            "SVF-statistik per SVF och kön · Ledtider mot målet · Redovisning av frågorna · "
            "Villkor och kontroller · Ekonomisk redovisning enligt bilaga 2 (punkt 1–3) med "
            "ekonomichefens granskning (punkt 4) och underskrift av behörig företrädare (punkt 5)",
            "small",
        ),
        Spacer(1, 5 * mm),
        para(
            "Redovisningens uppgifter finns också bifogade i filen som <b>svf-report.json</b> "
            "(maskinläsbart dokument), så att RCC kan läsa in dem utan att skriva av. "
            "Dokument-id är SHA-256 av den bifogade filen.",
            "muted",
        )
        if c.masking is None
        else para(
            "Den publicerade versionen har inga bifogade uppgifter. Dokument-id är det "
            "undertecknade originalets (SHA-256 av dess bifogade svf-report.json).",
            "muted",
        ),
    ]
    return story


def _narratives(c: PdfContent) -> list[object]:
    from reportlab.platypus import KeepTogether, PageBreak

    tpl, r = c.tpl, c.report
    story: list[object] = [PageBreak(), para("Redovisning av frågorna", "h1")]
    for step in tpl.steps:
        questions = tpl.questions_for_step(step.id)
        if not questions:
            continue
        story.append(para(plain(step.title), "h2"))
        if step.kind == "prem":
            p = r.prem
            used = {True: "ja", False: "nej", None: "inte angivet"}[p.used]
            share = Ratio(p.answers or 0, p.sent or 0).rate
            rate = f" ({fmt_pct(share)})" if share is not None and p.answers is not None else ""
            answers = fmt_int(p.answers or 0)
            if c.masking is not None and c.masking.prem_hidden(p):
                answers, rate = plain(c.masking.suppressed), ""
            story.append(
                para(
                    f"PREM-enkäten används för uppföljning av SVF: <b>{used}</b>. Utskickade "
                    f"enkäter: {fmt_int(p.sent or 0)}, svar: {answers}{rate}.",
                    "base",
                )
            )
        for q in questions:
            answer = r.answers.get(q.id, "").strip()
            if q.type == "yes_no" and answer:
                answer = answer.capitalize()
            block = [
                para(plain(q.title), "h3"),
                para(plain(q.question), "muted"),
            ]
            body = (
                para(plain(answer), "answer")
                if answer
                else para("<i>(Inte besvarad.)</i>", "answer")
            )
            story.append(KeepTogether(block + [body]) if len(answer) < 1200 else block[0])
            if len(answer) >= 1200:
                story += [block[1], body]
            if q.id == _long_waits_question(tpl):
                story += long_wait_causes_table(c)
    if _long_waits_question(tpl) not in {q.id for q in tpl.questions}:
        story += long_wait_causes_table(c)
    return story


def _long_waits_question(tpl: Template) -> str | None:
    return tpl.patient_list.long_waits_question if tpl.patient_list else None


def long_wait_causes_table(c: PdfContent) -> list[object]:
    """The counts per SVF and cause of the long waits tagged in the applied patient list (issue
    16, point 4): a table of counts, never patients; nothing when none were tagged."""
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Spacer

    rows = long_wait_cause_rows(c.report, c.tpl)
    if not rows:
        return []
    names = {s.id: s.name for s in c.tpl.svfs}
    percent = fmt_pct(c.tpl.long_wait_percent / 100.0, 0)
    body: list[list[object]] = [["SVF", "Orsak", "Antal förlopp"]]
    for r in rows:
        svf = para(plain(names.get(r["svf"], r["svf"])), "cell")
        body.append([svf, para(plain(r["label"]), "cell"), fmt_int(r["count"])])
    total = sum(r["count"] for r in rows)
    body.append([para("<b>Summa</b>", "cell"), "", fmt_int(total)])
    extra = [("ALIGN", (2, 0), (2, -1), "RIGHT"), ("FONT", (0, -1), (-1, -1), FONT_BOLD, 7.5)]
    return [
        Spacer(1, 2 * mm),
        KeepTogether(
            [
                para(f"Förlopp över {percent} av ledtiden per orsak", "h3"),
                para(
                    "Antal förlopp i den tillämpade patientlistan som märkts med en orsak "
                    "(endast antal, inga patientuppgifter).",
                    "muted",
                ),
                table(body, [62 * mm, 80 * mm, 28 * mm], extra=extra),
            ]
        ),
    ]


def _criteria_table(criteria: Sequence[CriterionResult], compact: bool = False) -> object:
    from reportlab.lib import colors
    from reportlab.lib.units import mm

    rows: list[list[object]] = [["Villkor", "Bedömning", "Underlag"]]
    extra: list[tuple[object, ...]] = []
    for i, cr in enumerate(criteria, start=1):
        rows.append(
            [
                para(plain(cr.label), "cellb"),
                label(cr.status),
                para(plain(cr.message), "cell"),
            ]
        )
        extra.append(("BACKGROUND", (1, i), (1, i), colors.Color(*tone(cr.status))))
    return table(rows, [40 * mm, 26 * mm, 104 * mm], extra=extra)


def _criteria_section(c: PdfContent) -> list[object]:
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, Spacer

    story: list[object] = [
        # Shares the page with the narratives when there is room: a half-empty page each looks
        # unfinished.
        CondPageBreak(80 * mm),
        Spacer(1, 6 * mm),
        para("Villkor för den andra utbetalningen", "h1"),
        para(
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
            para(f"<b>{plain(cr.label)}:</b> {plain(cr.description)} {plain(cr.source)}", "tiny")
        )
    if c.masking is not None:
        return story  # the checks' messages name the exact figures the published copy hides
    errors = [f for f in c.findings if f.severity == Severity.ERROR]
    warnings = [f for f in c.findings if f.severity != Severity.ERROR]
    story += [
        Spacer(1, 4 * mm),
        para("Kontroller", "h2"),
        para(f"{len(errors)} fel och {len(warnings)} varningar när dokumentet skapades.", "small"),
    ]
    if c.report.baseline is not None:
        b = c.report.baseline
        story.append(
            para(
                plain(f"Siffrorna jämfördes med {b.describe()} (SHA-256 {b.sha256[:16]}…)."),
                "small",
            )
        )
    for f in (errors + warnings)[:40]:
        why = f.acknowledgement
        note = f" <b>Motiverad:</b> {plain(why.justification)}" if why is not None else ""
        story.append(para(f"– {label(f.severity)}: {plain(f.message)}{note}", "small"))
    if len(c.findings) > 40:
        story.append(para(f"… och {len(c.findings) - 40} till (se Excel-filen).", "small"))
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
        rows = [[para(plain(k), "cell"), para(plain(v) or "–", "cell")] for k, v in items]
        return table(
            rows,
            [label_w, value_w],
            header_rows=0,
            extra=[("BACKGROUND", (0, 0), (0, -1), colors.Color(*SHADE))],
        )

    story: list[object] = [
        PageBreak(),
        para("Ekonomisk redovisning", "h1"),
        para(
            "Enligt bilaga 2 till överenskommelsen: information som ska ingå i ekonomisk "
            "redovisning avseende från Kammarkollegiet rekvirerade medel.",
            "muted",
        ),
        para(NOT_A_PAYMENT_CRITERION, "muted"),
        para("1. Kontaktuppgifter", "h2"),
        pairs([(label, getattr(fs, key)) for key, label in CONTACT_FIELDS]),
        para("2. Bidrag som ansökan avser", "h2"),
        pairs(
            [
                (label, _kr(getattr(fs, key)) if key in AMOUNT_FIELDS else getattr(fs, key))
                for key, label in GRANT_FIELDS
            ]
        ),
        para("3. Redovisning av verksamhet eller aktivitet", "h2"),
    ]
    rows: list[list[object]] = [
        [para(RECEIVED_LABEL, "cellb"), _kr(fs.received)],
        [para("Kostnader (specificera större kostnadsposter)", "cellb"), ""],
    ]
    for item in fs.costs:
        rows.append(
            [
                para("&nbsp;&nbsp;&nbsp;" + plain(item.label or "(utan benämning)"), "cell"),
                _kr(item.amount),
            ]
        )
    if not fs.costs:
        rows.append([para("&nbsp;&nbsp;&nbsp;(inga kostnader redovisade)", "cell"), "–"])
    n = len(rows)
    rows.append([para("Summa kostnader", "cellb"), fmt_kr(fs.total_costs)])
    rows.append(
        [para("Medel som inte har förbrukats (Bidrag – kostnader)", "cellb"), _kr(fs.unspent)]
    )
    story.append(
        table(
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
            para(f"Kostnaderna överstiger erhållet bidrag med {fmt_kr(-fs.unspent)}.", "small")
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
    name = cert.name if cert else ""  # replaces N.N. once certified; the blank form keeps it
    story: list[object] = [
        para(
            f"Ekonomisk redovisning enligt bilaga 2 – {escape(c.region_name)}, "
            f"{c.tpl.year}, version {c.report.version}",
            "muted",
        ),
        para(CERTIFICATION_HEADING, "h2"),
        para(
            f"{_checkbox(alt == ALT_CORRECT)}&nbsp; {escape(alternative_text(ALT_CORRECT, name))}",
            "quote",
        ),
        Spacer(1, 2),
        para(
            f"{_checkbox(alt == ALT_NOT_CORRECT)}&nbsp; "
            f"{escape(alternative_text(ALT_NOT_CORRECT, name))}",
            "quote",
        ),
        Spacer(1, 3 * mm),
    ]
    if cert is not None and cert.alternative == ALT_NOT_CORRECT:
        story += [
            para("<b>Avvikelse:</b> " + plain(cert.deviations), "small"),
            para(
                "<b>Eventuella åtgärder:</b> " + (plain(cert.actions) or "inga angivna"),
                "small",
            ),
            Spacer(1, 3 * mm),
        ]
    value = (lambda v: v) if cert else (lambda _v: "")
    story.append(
        boxes(
            [
                ("Namn", value(cert.name if cert else ""), 0.5),
                ("Befattning", value(cert.title if cert else ""), 0.5),
            ],
            26,
        )
    )
    story.append(
        boxes(
            [
                ("Telefon inkl. riktnummer", value(cert.phone if cert else ""), 0.5),
                ("E-postadress", value(cert.email if cert else ""), 0.5),
            ],
            26,
        )
    )
    story.append(
        boxes(
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
        para(REPRESENTATIVE_HEADING, "h2"),
        para(escape(REPRESENTATIVE_TEXT), "base"),
        Spacer(1, 3 * mm),
        boxes(
            [(label, "", share) for label, share in REPRESENTATIVE_COLUMNS],
            52,
            sink,
            PLACE_REPRESENTATIVE if c.signature_fields else None,
        ),
        Spacer(1, 2 * mm),
        para(
            "Underskrifterna görs elektroniskt (PAdES) i denna PDF-fil: ekonomichefens intygande "
            "först, därefter den behöriga företrädarens underskrift. Namn och datum visas i "
            "rutorna när dokumentet är undertecknat; underskrifterna kontrolleras med "
            "SVF-redovisning (Underskrifter → Verifiera PDF) eller i Adobe Reader.",
            "muted",
        ),
    ]


def _svf_section(c: PdfContent) -> list[object]:
    """The SVF table, the table per sex and, right after, the lead times with their validity."""
    t = c.table
    heading = f"SVF-statistik {plain(c.tpl.period_label)}"
    marked = {d.svf for d in c.deviations}
    justified = {f.location.svf for f in c.findings if f.acknowledgement and f.location.svf}
    return (
        svf_section(t, heading, mask=c.masking or EXACT, marked=marked, justified=justified)
        + _deviation_section(c)
        + _justified_section(c)
        + lead_time_table_section(t)
    )


def _justified_section(c: PdfContent) -> list[object]:
    """The warnings the region justified, each with its place, the warning and the
    justification (issue 15, point 5). A published copy leaves out the warning's text: it
    names the exact figures the copy hides."""
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Spacer

    from desktop_app.domain.history import place_label

    items = [f for f in c.findings if f.acknowledgement is not None]
    if not items:
        return []
    published = c.masking is not None
    rows: list[list[object]] = [
        ["Värde", "Motivering"] if published else ["Värde", "Varning", "Motivering"]
    ]
    for f in items:
        loc, ack = f.location, f.acknowledgement
        assert ack is not None
        where = place_label(loc.svf, loc.sex, loc.measure, loc.field, c.tpl) or "Redovisningen"
        why = para(plain(f"{ack.justification} ({ack.on.isoformat()})"), "cell")
        row = [para(plain(where), "cell")]
        rows.append(row + [why] if published else row + [para(plain(f.message), "cell"), why])
    widths = [62 * mm, 108 * mm] if published else [44 * mm, 64 * mm, 62 * mm]
    head = [
        para(f"Motiverade varningar ({JUSTIFIED_MARK} i tabellen)", "h2"),
        para(
            plain(
                "Programmet varnade för dessa värden; regionen har kontrollerat dem och "
                "motiverat varför de stämmer. Motiveringen är regionens."
            ),
            "muted",
        ),
    ]
    return [Spacer(1, 5 * mm), KeepTogether([*head, table(rows, widths, header_rows=1)])]


def _deviation_section(c: PdfContent) -> list[object]:
    """The values changed from the RCC's extract (the SVFs marked in the table), each with
    the extract's value, the reported value and the region's reason."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    if not c.deviations:
        return []
    from desktop_app.domain.figures import cell_key
    from desktop_app.domain.history import path_label

    mask = c.masking or EXACT

    def value(v: float | None, measure: str) -> str:
        if v is None:
            return "(tomt)"
        if measure != "median_days":
            return mask.count(int(v))  # a published copy hides a small count here too
        return str(v).replace(".", ",")

    rows: list[list[object]] = [["Värde", "RCC:s uttag", "Redovisat", "Motivering"]]
    for d in c.deviations:
        where = path_label(f"figures/{d.svf}/{cell_key(d.measure, d.sex)}", c.tpl)
        rows.append(
            [
                para(plain(where), "cell"),
                value(d.extract, d.measure),
                value(d.reported, d.measure),
                para(plain(d.reason or "(ingen motivering angiven)"), "cell"),
            ]
        )
    widths = [62 * mm, 20 * mm, 20 * mm, 68 * mm]
    from reportlab.platypus import KeepTogether

    head = [
        para(f"Ändrade värden från RCC:s datauttag ({CHANGED_MARK} i tabellen)", "h2"),
        para(
            plain(
                "Regionen har ändrat dessa värden från RCC:s nationella datauttag; "
                "motiveringen är regionens."
            ),
            "muted",
        ),
    ]
    # The heading stays with the table (at least its first rows) on one page.
    return [Spacer(1, 5 * mm), KeepTogether([*head, table(rows, widths, header_rows=1)])]


def render_report_pdf(content: PdfContent) -> RenderedPdf:
    """Draw the whole report. Deterministic apart from reportlab's creation date."""
    register_fonts()
    doc = _Doc(content)
    masking = content.masking
    published = (
        [para(plain(published_note(masking.limits)), "muted")]
        if masking is not None and masking.limits is not None
        else []
    )
    story = (
        published
        + _cover(content)
        + _svf_section(content)
        + lead_time_section(content.table, lead_time_heading(content.table), masking or EXACT)
        + _narratives(content)
        + _criteria_section(content)
        + _finance_section(content, doc.fields)  # the flowables record the fields' places
    )
    return doc.build(story)


__all__ = [
    "CERT_SIGNATURE_COLUMNS",
    "PLACE_CERTIFICATION",
    "PLACE_REPRESENTATIVE",
    "REPRESENTATIVE_COLUMNS",
    "PdfContent",
    "render_report_pdf",
]
