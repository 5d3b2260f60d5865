"""The RCC's compilation as a PDF for Socialstyrelsen (reportlab; A4, Swedish, DejaVu Sans
embedded), in the style of the regional report (desktop_app.exchange.pdf, whose styles,
tables and charts it reuses).

Only drawing happens here. Embedding the compilation's JSON and the RCC's signature are done by
desktop_app.signing on the bytes returned; ``RenderedPdf.fields`` tells where the approval
signature goes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from desktop_app import __version__
from desktop_app.domain.compilation import RegionPayment
from desktop_app.domain.figures import Ratio
from desktop_app.domain.fmt import fmt_int, fmt_kr, fmt_num, fmt_pct
from desktop_app.domain.report import Report
from desktop_app.domain.rules import FAIL, PASS, fmt_date
from desktop_app.exchange import pdf as report_pdf
from desktop_app.exchange.compilation_model import QUALIFIES, CompilationDocument
from desktop_app.exchange.pdf import (
    FONT,
    FONT_BOLD,
    INK,
    SHADE,
    WOMEN,
    FieldPlacement,
    PageFrame,
    PdfContent,
    RenderedPdf,
    build_a4,
    register_fonts,
)

PLACE_APPROVAL = "approval"
APPROVAL_COLUMNS = (("Datum", 0.2), ("Underskrift", 0.45), ("Namnförtydligande", 0.35))

# Shared drawing helpers of the regional report (same look; one place to change it).
_p = report_pdf._p
_table = report_pdf._table
_text = report_pdf._text
_boxes = report_pdf._boxes

OK_TONE = (0.86, 0.94, 0.86)
FAIL_TONE = (0.98, 0.87, 0.85)
UNKNOWN_TONE = (0.97, 0.95, 0.85)


def _tone(status: str | bool | None) -> tuple[float, float, float]:
    if status in (PASS, True):
        return OK_TONE
    if status in (FAIL, False):
        return FAIL_TONE
    return UNKNOWN_TONE


def _word_width(text: str, size: float = 7) -> float:
    """Width in points of the longest word of ``text`` in the bold header font."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register_fonts()
    return max((stringWidth(w, FONT_BOLD, size) for w in text.split()), default=0.0)


def _pct(r: Ratio | None) -> str:
    return fmt_pct(r.rate) if r is not None else "–"


def _kr(n: int) -> str:
    return fmt_int(n)


# ------------------------------------------------------------------ page frame


def _build(d: CompilationDocument, document_id: str, story: list[object]) -> RenderedPdf:
    status = "Preliminär fördelning" if d.payments.preliminary else "Slutlig fördelning"
    data, pages = build_a4(
        story,
        PageFrame(
            title=d.title,
            author=d.scope_name,
            subject=f"Sammanställning av SVF-redovisningarna {d.year}, {d.scope_name}",
            keywords=f"SVF, standardiserade vårdförlopp, {d.year}, {d.scope_name}, sammanställning",
            header_left=f"{d.scope_name} – sammanställning SVF-redovisning {d.year}",
            header_right=status,
            footer_left=(
                f"Dokument-id {document_id[:16]} · skapad {d.created.isoformat()} "
                f"med SVF-redovisning {__version__}"
            ),
        ),
    )
    return RenderedPdf(data, pages, {})


# ------------------------------------------------------------------ sections


def _cover(d: CompilationDocument, document_id: str) -> list[object]:
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    tpl, comp = d.tpl, d.compilation
    ag = tpl.agreement
    missing = [f"{d.region_names[c]} ({c})" for c in comp.missing]
    inc = comp.inclusion
    goal = fmt_num(tpl.inclusion_percent, 0)
    verdict = {True: f"målet {goal} % nås", False: f"målet {goal} % nås inte", None: "–"}
    rows = [
        ("Urval", d.scope_name),
        ("Redovisningsår", str(tpl.year)),
        (
            "Period",
            f"{tpl.period_label} ({tpl.period_start.isoformat()} – {tpl.period_end.isoformat()})",
        ),
        ("Sista dag för regionernas redovisning", fmt_date(tpl.deadline)),
        ("Regioner med godkänd redovisning", f"{len(comp.compiled)} av {len(comp.regions)}"),
        ("Regioner utan godkänd redovisning", ", ".join(missing) or "Inga"),
        (
            "Inklusion (SVF i inklusionsmålet)",
            f"{_pct(inc)} ({fmt_int(inc.numerator)} av {fmt_int(inc.denominator)}) – "
            f"{verdict[comp.inclusion_goal_met]}",
        ),
        (
            "Inom ledtid, alla SVF",
            f"{_pct(comp.lead_time)} ({fmt_int(comp.lead_time.numerator)} av "
            f"{fmt_int(comp.lead_time.denominator)})",
        ),
        (
            "Fördelning av utbetalning 2",
            "Preliminär – utfallet är inte känt för alla regioner"
            if d.payments.preliminary
            else "Slutlig",
        ),
        ("Mall", tpl.id),
        ("Dokument-id", document_id),
    ]
    table_rows = [[_p(k, "cellb"), _p(_text(v), "cell")] for k, v in rows]
    return [
        Spacer(1, 18 * mm),
        _p(
            "Sammanställning enligt överenskommelsen mellan staten och Sveriges Kommuner och "
            "Regioner",
            "kicker",
        ),
        _p(
            _text(ag.get("name", ""))
            + (f" ({_text(ag['reference'])})" if ag.get("reference") else ""),
            "kicker",
        ),
        Spacer(1, 6 * mm),
        _p(f"Sammanställning av SVF-redovisningarna {tpl.year}", "title"),
        _p(_text(d.scope_name), "region"),
        Spacer(1, 8 * mm),
        _table(
            table_rows,
            [62 * mm, 108 * mm],
            header_rows=0,
            extra=[("BACKGROUND", (0, 0), (0, -1), colors.Color(*SHADE))],
        ),
        Spacer(1, 8 * mm),
        _p("Innehåll", "h2"),
        _p(
            "Regionerna och villkoren · SVF-statistik summerad per SVF och kön · Inklusion per "
            "region · Ledtider mot målet · Fördelning av statsbidraget · Inkomna filer · "
            "Godkännande",
            "small",
        ),
        Spacer(1, 5 * mm),
        _p(
            "Sammanställningen bygger på regionernas intygade och underskrivna redovisningar "
            "(PDF med bifogade data), kontrollerade av programmet. Alla andelar är summa täljare "
            "/ summa nämnare över regionerna, aldrig medelvärden av regionernas andelar. "
            "Sammanställningens uppgifter finns bifogade i filen som "
            "<b>svf-compilation.json</b>.",
            "muted",
        ),
    ]


def _regions_section(d: CompilationDocument) -> list[object]:
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Spacer

    tpl, comp = d.tpl, d.compilation
    crit = tpl.criteria
    head: list[object] = [
        "Region",
        "Status",
        "Ver.",
        _p("Inty&shy;gande", "head"),
        _p("Inklu&shy;sion", "head"),
        _p("Inom ledtid", "head"),
    ]
    head += [_p(_text(c.label), "head") for c in crit]
    rows: list[list[object]] = [head]
    extra: list[tuple[object, ...]] = [("ALIGN", (2, 1), (-1, -1), "CENTER")]
    mark = {PASS: "Ja", FAIL: "Nej"}
    for i, r in enumerate(d.regions, start=1):
        rf = comp.by_region.get(r.code)
        by_id = {c.id: c for c in r.criteria}
        row: list[object] = [
            _p(f"{_text(r.name)} ({r.code})", "cell"),
            r.status_label,
            str(r.version) if r.version else "–",
            r.certification.split(" –")[0] if r.certification != "–" else "–",
            _pct(rf.inclusion) if rf else "–",
            _pct(rf.lead_time) if rf else "–",
        ]
        for j, c in enumerate(crit):
            res = by_id.get(c.id)
            row.append(mark.get(res.status, "?") if res else "–")
            if res is not None:
                extra.append(
                    ("BACKGROUND", (6 + j, i), (6 + j, i), colors.Color(*_tone(res.status)))
                )
        rows.append(row)
        status_tone = {"accepted": OK_TONE, "refused": FAIL_TONE}.get(r.status, UNKNOWN_TONE)
        extra.append(("BACKGROUND", (1, i), (1, i), colors.Color(*status_tone)))
    # Each criterion column as wide as the longest word of its label (labels are template
    # data); the region's name takes what is left.
    crit_w = [max(14 * mm, _word_width(c.label) + 8) for c in crit]
    fixed = [15 * mm, 7 * mm, 13 * mm, 14 * mm, 13 * mm]
    widths = [max(34 * mm, 170 * mm - sum(fixed) - sum(crit_w)), *fixed, *crit_w]
    scale = min(1.0, 170 * mm / sum(widths))
    widths = [w * scale for w in widths]
    story: list[object] = [
        PageBreak(),
        _p("Regionerna och villkoren", "h1"),
        _p(
            "Status: Godkänd = intakt, intygad och underskriven redovisning som ingår i "
            "sammanställningen (den senaste versionen från regionen); Avvisad = filer har kommit "
            "in men ingen kunde godkännas; Saknas = ingen fil har kommit in. Villkoren är "
            "beräknade ur de bifogade siffrorna i varje fil. Inlämnad i tid bedöms på "
            "inlämningsdagen i den undertecknade redovisningen (saknas den: den behöriga "
            "företrädarens underskrift).",
            "muted",
        ),
        Spacer(1, 3 * mm),
        _table(rows, widths, extra=extra),
        Spacer(1, 5 * mm),
        _p("Skäl", "h2"),
    ]
    any_reason = False
    for r in d.regions:
        if r.reason:
            any_reason = True
            story.append(_p(f"<b>{_text(r.name)}:</b> {_text(r.reason)}", "small"))
    if not any_reason:
        story.append(_p("Alla regioner uppfyller alla villkor.", "small"))
    story.append(Spacer(1, 2 * mm))
    for c in crit:
        story.append(
            _p(f"<b>{_text(c.label)}:</b> {_text(c.description)} {_text(c.source)}", "tiny")
        )
    return story


def _summed_content(d: CompilationDocument) -> PdfContent:
    """The summed figures wrapped as a report, so that the regional report's SVF table and
    lead-time chart draw them exactly as they draw a region's."""
    report = Report(region_code=d.scope_id, template_id=d.tpl.id, figures=d.compilation.total)
    return PdfContent(
        report=report,
        tpl=d.tpl,
        region_name=d.scope_name,
        document_id="",
        rendered_on=d.created,
        status_label="",
        criteria=(),
    )


def _svf_section(d: CompilationDocument) -> list[object]:
    from reportlab.platypus import Paragraph

    story = report_pdf._svf_section(_summed_content(d))
    # The regional table's heading names the period; say whose sums they are.
    for i, item in enumerate(story):
        if isinstance(item, Paragraph) and item.text.startswith("SVF-statistik"):
            story[i] = _p(
                f"SVF-statistik {d.tpl.period_label} – summa för {_text(d.scope_name)}", "h1"
            )
            story.insert(
                i + 1,
                _p(
                    f"Summerat över {len(d.compilation.compiled)} regioner med godkänd "
                    "redovisning"
                    + (
                        f" (saknas: {', '.join(d.region_names[c] for c in d.compilation.missing)})"
                        if d.compilation.missing
                        else ""
                    )
                    + ".",
                    "small",
                ),
            )
            break
    return story


def _inclusion_chart(d: CompilationDocument, width: float, height: float) -> object:
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    comp, tpl = d.compilation, d.tpl
    codes = list(comp.compiled)
    labels = [d.region_names[c] for c in codes] + [f"Totalt, {d.scope_name}"]
    values = [comp.by_region[c].inclusion.rate for c in codes] + [comp.inclusion.rate]
    data = [[round(v * 100, 1) if v is not None else None for v in reversed(values)]]
    top = max([v or 0 for v in data[0]] + [100])
    d_ = Drawing(width, height)
    d_.initialFontName = FONT
    chart = HorizontalBarChart()
    chart.x, chart.y = 150, 20
    chart.width, chart.height = width - chart.x - 30, height - chart.y - 22
    chart.data = data
    chart.bars.strokeWidth = 0
    chart.bars.strokeColor = None
    chart.bars[0].fillColor = colors.Color(*WOMEN)
    # The scope's total in the ink colour, below the regions.
    chart.bars[(0, 0)].fillColor = colors.Color(*INK)
    chart.barLabelFormat = lambda v: f"{fmt_num(v, 1)} %" if v is not None else ""
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 6.5
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    chart.groupSpacing = 4
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, 10 * -(-top // 10)
    chart.valueAxis.valueStep = 10
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = "%d %%"
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    chart.valueAxis.gridStrokeWidth = 0.4
    chart.categoryAxis.categoryNames = list(reversed(labels))
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.categoryAxis.tickLeft = 0
    d_.add(chart)
    report_pdf.add_goal_line(d_, chart, tpl.inclusion_percent, chart.valueAxis.valueMax)
    return d_


def _inclusion_section(d: CompilationDocument) -> list[object]:
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, Spacer

    comp, tpl = d.compilation, d.tpl
    story: list[object] = [
        # Shares the page with the regions' table when there is room.
        CondPageBreak(110 * mm),
        Spacer(1, 6 * mm),
        _p(f"Inklusion per region – målet {fmt_num(tpl.inclusion_percent, 0)} %", "h1"),
        _p(
            f"Inkluderade / beräkningsunderlag, {tpl.period_label}, summerat över alla SVF "
            f"införda före {tpl.inclusion_introduced_before}. Streckad linje: målet.",
            "muted",
        ),
        Spacer(1, 3 * mm),
    ]
    if comp.compiled:
        bar_h = max(60 * mm, (len(comp.compiled) + 1) * 7 * mm + 30)
        story.append(_inclusion_chart(d, 170 * mm, min(bar_h, 150 * mm)))
    rows: list[list[object]] = [
        [
            "Region",
            _p("Beräk&shy;nings&shy;underlag", "head"),
            _p("Inklu&shy;derade", "head"),
            _p("Inklusion", "head"),
            *[_p(f"Inklusion, {s.label.lower()}", "head") for s in tpl.sexes],
            _p("Inom ledtid", "head"),
        ]
    ]
    from desktop_app.domain.figures import inclusion, ratio

    extra: list[tuple[object, ...]] = [("ALIGN", (1, 1), (-1, -1), "RIGHT")]
    for code in comp.compiled:
        rf = comp.by_region[code]
        rows.append(
            [
                _p(_text(d.region_names[code]), "cell"),
                fmt_int(rf.inclusion.denominator),
                fmt_int(rf.inclusion.numerator),
                _pct(rf.inclusion),
                *[_pct(inclusion(rf.figures, tpl, sex=s.id)) for s in tpl.sexes],
                _pct(rf.lead_time),
            ]
        )
        extra.append(
            (
                "BACKGROUND",
                (3, len(rows) - 1),
                (3, len(rows) - 1),
                colors.Color(*_tone(rf.inclusion_goal_met)),
            )
        )
    all_svfs = [s.id for s in tpl.svfs]
    rows.append(
        [
            _p(f"Totalt, {_text(d.scope_name)}", "cellb"),
            fmt_int(comp.inclusion.denominator),
            fmt_int(comp.inclusion.numerator),
            _pct(comp.inclusion),
            *[_pct(comp.inclusion_by_sex[s.id]) for s in tpl.sexes],
            _pct(ratio(comp.total, tpl, "within_lead_time", "included", all_svfs)),
        ]
    )
    n = len(rows) - 1
    extra += [
        ("FONT", (1, n), (-1, n), FONT_BOLD, 7.5),
        ("BACKGROUND", (0, n), (-1, n), colors.Color(*SHADE)),
        ("LINEABOVE", (0, n), (-1, n), 1, colors.Color(*INK)),
    ]
    widths = [50 * mm, 22 * mm, 20 * mm, 18 * mm] + [20 * mm] * len(tpl.sexes) + [20 * mm]
    scale = 170 * mm / sum(widths)
    story += [Spacer(1, 4 * mm), _table(rows, [w * scale for w in widths], extra=extra)]
    return story


def _lead_time_section(d: CompilationDocument) -> list[object]:
    from reportlab.platypus import Paragraph

    story = report_pdf._lead_time_section(_summed_content(d))
    for i, item in enumerate(story):
        if isinstance(item, Paragraph) and item.text.startswith("Ledtider"):
            story[i] = _p(
                f"Ledtider mot målet {fmt_int(d.tpl.lead_time_percent)} % – {_text(d.scope_name)}",
                "h1",
            )
            break
    return story


def _payment_rows(d: CompilationDocument) -> tuple[list[list[object]], list[tuple[object, ...]]]:
    from reportlab.lib import colors

    p = d.payments
    pre = p.preliminary
    head: list[object] = ["Region", "Folkmängd", _p("Utbetalning 1", "head"), "Villkor"]
    if pre:
        head += [
            _p("Utbetalning 2 om alla okända uppfyller", "head"),
            _p("Utbetalning 2 om inga okända uppfyller", "head"),
        ]
    else:
        head += [_p("Utbetalning 2", "head"), _p("Summa", "head")]
    rows: list[list[object]] = [head]
    extra: list[tuple[object, ...]] = [("ALIGN", (1, 1), (-1, -1), "RIGHT")]
    in_scope = {r.code for r in d.regions}

    def amounts(rp: RegionPayment) -> list[object]:
        if pre:
            return [
                _kr(rp.payment_2_if_all_unknown_qualify),
                _kr(rp.payment_2_if_none_qualify),
            ]
        return [_kr(rp.payment_2_if_none_qualify), _kr(rp.payment_1 + rp.payment_2_if_none_qualify)]

    for rp in p.regions:
        name = d.region_names.get(rp.code, rp.code)
        rows.append(
            [
                _p(
                    (
                        f"<b>{_text(name)}</b>"
                        if rp.code in in_scope and d.scope_id != "national"
                        else _text(name)
                    ),
                    "cell",
                ),
                fmt_int(rp.population),
                _kr(rp.payment_1),
                QUALIFIES[rp.qualifies],
                *amounts(rp),
            ]
        )
        extra.append(
            (
                "BACKGROUND",
                (3, len(rows) - 1),
                (3, len(rows) - 1),
                colors.Color(*_tone(rp.qualifies)),
            )
        )
    total_1 = sum(r.payment_1 for r in p.regions)
    all_ = sum(r.payment_2_if_all_unknown_qualify for r in p.regions)
    none_ = sum(r.payment_2_if_none_qualify for r in p.regions)
    last = [_kr(all_), _kr(none_)] if pre else [_kr(none_), _kr(total_1 + none_)]
    rows.append([_p("Summa", "cellb"), fmt_int(p.population_total), _kr(total_1), "", *last])
    n = len(rows) - 1
    extra += [
        ("FONT", (1, n), (-1, n), FONT_BOLD, 7.5),
        ("BACKGROUND", (0, n), (-1, n), colors.Color(*SHADE)),
        ("LINEABOVE", (0, n), (-1, n), 1, colors.Color(*INK)),
    ]
    return rows, extra


def _payment_section(d: CompilationDocument) -> list[object]:
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Spacer

    p, tpl = d.payments, d.tpl
    rows, extra = _payment_rows(d)
    widths = [52 * mm, 22 * mm, 25 * mm, 17 * mm, 27 * mm, 27 * mm]
    dates = sorted({pl.date for pl in d.populations})
    sources = sorted({pl.source for pl in d.populations if not pl.edited})
    edited = [pl for pl in d.populations if pl.edited]
    story: list[object] = [
        PageBreak(),
        _p("Fördelning av statsbidraget", "h1"),
        _p(
            f"Utbetalning 1 ({fmt_kr(p.payment_1_total)}) fördelas till alla regioner efter "
            f"folkmängd. Utbetalning 2 ({fmt_kr(p.payment_2_total)}) fördelas efter folkmängd "
            "till de regioner som uppfyller alla villkor (överenskommelsen "
            f"{tpl.year}, avsnitt 5.3). Belopp i hela kronor.",
            "small",
        ),
    ]
    if p.preliminary:
        story.append(
            _p(
                "<b>Preliminär fördelning.</b> För regioner markerade <i>Ej känt</i> finns ingen "
                "godkänd redovisning i den här sammanställningen, eller kan något villkor inte "
                "bedömas ännu. Utbetalning 2 visas därför både om alla okända regioner uppfyller "
                "villkoren och om ingen av dem gör det.",
                "small",
            )
        )
    story += [Spacer(1, 3 * mm), _table(rows, widths, extra=extra), Spacer(1, 3 * mm)]
    story.append(
        _p(
            "Avrundning till hela kronor med största rest: varje region får heltalsdelen av sin "
            "exakta andel (belopp × folkmängd / summa folkmängd); de kronor som blir över går "
            "en och en till regionerna med störst decimalrest (lika rest: större folkmängd, "
            "sedan länskod). Summan blir exakt beloppet och ingen region avviker mer än en "
            "krona från sin exakta andel.",
            "muted",
        )
    )
    story.append(
        _p(
            f"Folkmängd per {', '.join(dates)}. Källa: {'; '.join(sources) or '–'}."
            + (
                " Ändrad för denna sammanställning: "
                + "; ".join(
                    f"{_text(d.region_names.get(pl.code, pl.code))} {fmt_int(pl.population)} "
                    f"({_text(pl.source)})"
                    for pl in edited
                )
                + "."
                if edited
                else ""
            ),
            "muted",
        )
    )
    excluded = [rp for rp in p.regions if rp.reason and rp.code in {r.code for r in d.regions}]
    if excluded:
        story += [Spacer(1, 3 * mm), _p("Utesluten eller okänd – skäl", "h2")]
        for rp in excluded:
            story.append(
                _p(
                    f"<b>{_text(d.region_names.get(rp.code, rp.code))}:</b> {_text(rp.reason or '')}",
                    "small",
                )
            )
    if d.scope_id != "national":
        story.append(
            _p(
                f"Regioner utanför {_text(d.scope_name)} är <i>Ej känt</i> i denna "
                "sammanställning; regionerna i urvalet är markerade med fetstil.",
                "muted",
            )
        )
    return story


def _files_section(d: CompilationDocument) -> list[object]:
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, Spacer

    rows: list[list[object]] = [["Fil", "Region", "Ver.", "Status", "Mottagen", "Skäl"]]
    extra: list[tuple[object, ...]] = []
    for f in d.files:
        rows.append(
            [
                _p(_text(f.file), "cell"),
                _p(_text(f.region), "cell"),
                str(f.version) if f.version else "–",
                f.status_label,
                _p(_text(f.received), "cell"),
                _p(_text(f.reason or ""), "cell"),
            ]
        )
        tone = {"Godkänd": OK_TONE, "Avvisad": FAIL_TONE}.get(f.status_label, UNKNOWN_TONE)
        extra.append(("BACKGROUND", (3, len(rows) - 1), (3, len(rows) - 1), colors.Color(*tone)))
    story: list[object] = [
        CondPageBreak(60 * mm),
        Spacer(1, 6 * mm),
        _p("Inkomna filer", "h1"),
        _p(
            "Varje fil kontrollerad som med <i>svf-report verify</i>: underskrifternas "
            "integritet och ordning, att de bifogade uppgifterna ligger inom de undertecknade "
            "delarna, region, år och mall.",
            "muted",
        ),
        Spacer(1, 3 * mm),
    ]
    if len(rows) > 1:
        story.append(
            _table(rows, [34 * mm, 38 * mm, 8 * mm, 16 * mm, 19 * mm, 55 * mm], extra=extra)
        )
    else:
        story.append(_p("Inga filer har kommit in.", "small"))
    return story


def _approval_section(
    d: CompilationDocument, sink: dict[str, FieldPlacement], with_field: bool
) -> list[object]:
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, KeepTogether, Spacer

    block = [
        _p("Godkännande", "h2"),
        _p(
            (
                f"Sammanställningen av regionernas SVF-redovisningar för {d.year}, hela landet, "
                "är granskad och godkänd."
            )
            if d.scope_id == "national"
            else (
                f"{_text(d.scope_name)} lämnar denna sammanställning av regionernas "
                f"SVF-redovisningar för {d.year}."
            ),
            "base",
        ),
        Spacer(1, 3 * mm),
        _boxes(
            [(label, "", share) for label, share in APPROVAL_COLUMNS],
            52,
            sink,
            PLACE_APPROVAL if with_field else None,
        ),
        Spacer(1, 2 * mm),
        _p(
            "Underskriften görs elektroniskt (PAdES) i denna PDF-fil och kan kontrolleras i "
            "Adobe Reader. Sammanställningens uppgifter finns bifogade som "
            "<b>svf-compilation.json</b>.",
            "muted",
        ),
    ]
    return [CondPageBreak(60 * mm), Spacer(1, 6 * mm), KeepTogether(block)]


def render_compilation_pdf(
    d: CompilationDocument, document_id: str, signature_field: bool = False
) -> RenderedPdf:
    """Draw the whole compilation. With ``signature_field`` the place of the RCC's approval
    signature is returned in ``fields[PLACE_APPROVAL]``."""
    register_fonts()
    sink: dict[str, FieldPlacement] = {}
    story = (
        _cover(d, document_id)
        + _regions_section(d)
        + _inclusion_section(d)
        + _svf_section(d)
        + _lead_time_section(d)
        + _payment_section(d)
        + _files_section(d)
        + _approval_section(d, sink, signature_field)
    )
    rendered = _build(d, document_id, story)
    return RenderedPdf(rendered.data, rendered.pages, dict(sink))


def approval_appearance(width: float, height: float, day: date, who: str, name: str) -> bytes:
    """The approval signature's appearance in the three boxes: date, signer, name."""
    from desktop_app.exchange.pdf import cumulative_shares, render_appearance

    shares = cumulative_shares(APPROVAL_COLUMNS)
    return render_appearance(
        width,
        height,
        [
            (shares[0], [(day.isoformat(), True)]),
            (shares[1], [("Elektroniskt undertecknad av", False), (who, True)]),
            (shares[2], [(name, True)]),
        ],
    )


__all__: Sequence[str] = [
    "APPROVAL_COLUMNS",
    "PLACE_APPROVAL",
    "approval_appearance",
    "render_compilation_pdf",
]
