"""The RCC's compilation as a PDF for Socialstyrelsen (reportlab; A4, Swedish, DejaVu Sans
embedded), in the style of the regional report: drawn with the toolkit of exchange.pdf_kit,
and the SVF statistics and the lead-time chart with exchange.pdf_indicators from the indicator
table of the summed figures (the same sections as a region's report, no rate computed here).

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
from desktop_app.domain.indicators import EXPECTED, INCLUDED, INCLUSION, LEAD_TIME, IndicatorTable
from desktop_app.domain.rules import fmt_date
from desktop_app.domain.template import UNKNOWN_DNR_COMPILED, agreement_references
from desktop_app.domain.vocabulary import InboxStatus, RegionState, short
from desktop_app.exchange.compilation_model import QUALIFIES, CompilationDocument, RegionLine
from desktop_app.exchange.pdf_indicators import (
    lead_time_heading,
    lead_time_section,
    lead_time_table_section,
    narrow_label,
    percent_axis,
    svf_section,
)
from desktop_app.exchange.pdf_kit import (
    FONT,
    FONT_BOLD,
    INK,
    SHADE,
    WOMEN,
    FieldPlacement,
    PageFrame,
    RenderedPdf,
    add_goal_line,
    boxes,
    build_a4,
    cumulative_shares,
    para,
    plain,
    register_fonts,
    render_appearance,
    table,
    tone,
    word_width,
)

PLACE_APPROVAL = "approval"
PREVIEW_MARK = "FÖRHANDSGRANSKNING – INTE UNDERSKRIVEN"
APPROVAL_COLUMNS = (("Datum", 0.2), ("Underskrift", 0.45), ("Namnförtydligande", 0.35))


def _status_tone(status: str | None) -> tuple[float, float, float]:
    """The colour of an inbox status cell: accepted as met, refused as not met, else unknown."""
    if status == InboxStatus.ACCEPTED:
        return tone(True)
    return tone(False if status == InboxStatus.REFUSED else None)


def _pct(r: Ratio | None) -> str:
    return fmt_pct(r.rate) if r is not None else "–"


def _kr(n: int) -> str:
    return fmt_int(n)


# ------------------------------------------------------------------ page frame


def _build(d: CompilationDocument, document_id: str, story: list[object]) -> RenderedPdf:
    status = "Preliminär fördelning" if d.payments.preliminary else "Slutlig fördelning"
    if d.preview:
        status = f"{PREVIEW_MARK} · {status}"
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
    counted = [r for r in d.regions if r.status == RegionState.ACCEPTED]
    registered = sum(1 for r in counted if r.registered)
    of_which = f" (varav {registered} registrerade av RCC)" if registered else ""
    missing = [f"{r.name} ({r.code})" for r in d.regions if r.status != RegionState.ACCEPTED]
    inc = comp.inclusion
    goal = d.indicators.inclusion_goal.text
    verdict = {True: f"målet {goal} nås", False: f"målet {goal} nås inte", None: "–"}
    rows = [
        ("Urval", d.scope_name),
        ("Redovisningsår", str(tpl.year)),
        (
            "Period",
            f"{tpl.period_label} ({tpl.period_start.isoformat()} – {tpl.period_end.isoformat()})",
        ),
        ("Sista dag för regionernas redovisning", fmt_date(tpl.deadline)),
        ("Regioner med godkänd redovisning", f"{len(counted)} av {len(d.regions)}{of_which}"),
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
        ("Fördelningsnyckel", d.key_text.removeprefix("Fördelningsnyckel: ")),
        # SKR's ärendenummer and Regeringskansliet's diarienummer, each under its own name.
        *(
            (label, value)
            for label, value, _known in agreement_references(ag).rows(unknown=UNKNOWN_DNR_COMPILED)
        ),
        ("Mall", tpl.id),
        ("Dokument-id", document_id),
    ]
    table_rows = [[para(k, "cellb"), para(plain(v), "cell")] for k, v in rows]
    return [
        Spacer(1, 18 * mm),
        para(
            "Sammanställning enligt överenskommelsen mellan staten och Sveriges Kommuner och "
            "Regioner",
            "kicker",
        ),
        para(plain(ag.get("name", "")), "kicker"),
        Spacer(1, 6 * mm),
        para(f"Sammanställning av SVF-redovisningarna {tpl.year}", "title"),
        para(plain(d.scope_name), "region"),
        Spacer(1, 8 * mm),
        table(
            table_rows,
            [62 * mm, 108 * mm],
            header_rows=0,
            extra=[("BACKGROUND", (0, 0), (0, -1), colors.Color(*SHADE))],
        ),
        Spacer(1, 8 * mm),
        para("Innehåll", "h2"),
        para(
            "Regionerna och villkoren · SVF-statistik summerad per SVF och kön · Inklusion per "
            "region · Ledtider mot målet · Fördelning av statsbidraget · Inkomna filer · "
            "Godkännande",
            "small",
        ),
        Spacer(1, 5 * mm),
        para(
            "Sammanställningen bygger på regionernas intygade och underskrivna redovisningar "
            "(PDF med bifogade data), kontrollerade av programmet. Alla andelar är summa täljare "
            "/ summa nämnare över regionerna, aldrig medelvärden av regionernas andelar. "
            "Sammanställningens uppgifter finns bifogade i filen som "
            "<b>svf-compilation.json</b>.",
            "muted",
        ),
    ]


def _registered_inclusion(r: RegionLine) -> str:
    """A region counted on evidence the RCC registered (no figures): that inclusion."""
    got = next((c for c in r.criteria if c.numerator is not None and c.denominator), None)
    return f"{fmt_num(got.value, 1)} %" if got is not None and got.value is not None else "–"


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
        para("Inty&shy;gande", "head"),
        para("Inklu&shy;sion", "head"),
        para("Inom ledtid", "head"),
    ]
    head += [para(plain(c.label), "head") for c in crit]
    rows: list[list[object]] = [head]
    extra: list[tuple[object, ...]] = [("ALIGN", (2, 1), (-1, -1), "CENTER")]
    for i, r in enumerate(d.regions, start=1):
        rf = comp.by_region.get(r.code)
        by_id = {c.id: c for c in r.criteria}
        row: list[object] = [
            para(f"{plain(r.name)} ({r.code})", "cell"),
            r.status_label,
            str(r.version) if r.version else "–",
            para(plain(r.certification.split(" –")[0]), "cell") if r.certification != "–" else "–",
            _pct(rf.inclusion) if rf else _registered_inclusion(r),
            _pct(rf.lead_time) if rf else "–",
        ]
        for j, c in enumerate(crit):
            res = by_id.get(c.id)
            row.append(short(res.status).capitalize() if res else "–")
            if res is not None:
                extra.append(
                    ("BACKGROUND", (6 + j, i), (6 + j, i), colors.Color(*tone(res.status)))
                )
        rows.append(row)
        extra.append(("BACKGROUND", (1, i), (1, i), colors.Color(*_status_tone(r.status))))
    # Each criterion column as wide as the longest word of its label (labels are template
    # data); the region's name takes what is left.
    crit_w = [max(14 * mm, word_width(c.label) + 8) for c in crit]
    fixed = [15 * mm, 7 * mm, 13 * mm, 14 * mm, 13 * mm]
    widths = [max(34 * mm, 170 * mm - sum(fixed) - sum(crit_w)), *fixed, *crit_w]
    scale = min(1.0, 170 * mm / sum(widths))
    widths = [w * scale for w in widths]
    story: list[object] = [
        PageBreak(),
        para("Regionerna och villkoren", "h1"),
        para(
            "Status: Godkänd = intakt, intygad och underskriven redovisning som ingår i "
            "sammanställningen (den senaste versionen från regionen); Avvisad = filer har kommit "
            "in men ingen kunde godkännas; Saknas = ingen fil har kommit in. Villkoren är "
            "beräknade ur de bifogade siffrorna i varje fil. Inlämnad i tid bedöms på "
            "inlämningsdagen i den undertecknade redovisningen (saknas den: den behöriga "
            "företrädarens underskrift).",
            "muted",
        ),
        Spacer(1, 3 * mm),
        table(rows, widths, extra=extra),
        Spacer(1, 5 * mm),
        para("Skäl", "h2"),
    ]
    any_reason = False
    for r in d.regions:
        if r.reason:
            any_reason = True
            story.append(para(f"<b>{plain(r.name)}:</b> {plain(r.reason)}", "small"))
    if not any_reason:
        story.append(para("Alla regioner uppfyller alla villkor.", "small"))
    story.append(Spacer(1, 2 * mm))
    for c in crit:
        story.append(
            para(f"<b>{plain(c.label)}:</b> {plain(c.description)} {plain(c.source)}", "tiny")
        )
    return story


def _svf_section(d: CompilationDocument) -> list[object]:
    """The SVF table of the summed figures, as the regional report draws a region's."""
    comp = d.compilation
    missing = ", ".join(d.region_names[c] for c in comp.missing)
    summed = (
        f"Summerat över {len(comp.compiled)} regioner med godkänd redovisning"
        + (f" (saknas: {missing})" if missing else "")
        + "."
    )
    return svf_section(
        d.indicators,
        f"SVF-statistik {plain(d.tpl.period_label)} – summa för {plain(d.scope_name)}",
        [para(plain(summed), "small")],
    ) + lead_time_table_section(d.indicators)


def _inclusion_chart(d: CompilationDocument, width: float, height: float) -> object:
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    comp = d.compilation
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
    percent_axis(chart)
    chart.categoryAxis.categoryNames = list(reversed(labels))
    d_.add(chart)
    goal = d.indicators.inclusion_goal
    add_goal_line(d_, chart, goal.percent, chart.valueAxis.valueMax, goal.caption)
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
        para(f"Inklusion per region – målet {d.indicators.inclusion_goal.text}", "h1"),
        para(
            f"Inkluderade / beräkningsunderlag, {tpl.period_label}, summerat över alla SVF "
            f"införda före {tpl.inclusion_introduced_before}. Streckad linje: målet.",
            "muted",
        ),
        Spacer(1, 3 * mm),
    ]
    if comp.compiled:
        bar_h = max(60 * mm, (len(comp.compiled) + 1) * 7 * mm + 30)
        story.append(_inclusion_chart(d, 170 * mm, min(bar_h, 150 * mm)))
    t = d.indicators
    inc = t.column(INCLUSION)
    rows: list[list[object]] = [
        [
            "Region",
            para(narrow_label(t.measure(EXPECTED).label), "head"),
            para(narrow_label(t.measure(INCLUDED).label), "head"),
            para(inc.label, "head"),
            *[para(f"{inc.label}, {s.label.lower()}", "head") for s in t.sexes],
            para(t.column(LEAD_TIME).label, "head"),
        ]
    ]
    extra: list[tuple[object, ...]] = [("ALIGN", (1, 1), (-1, -1), "RIGHT")]
    for code in comp.compiled:
        own = comp.by_region[code].indicators
        assert own is not None
        rows.append(_inclusion_cells(para(plain(d.region_names[code]), "cell"), own))
        extra.append(
            (
                "BACKGROUND",
                (3, len(rows) - 1),
                (3, len(rows) - 1),
                colors.Color(*tone(own.inclusion_goal_met)),
            )
        )
    rows.append(_inclusion_cells(para(f"Totalt, {plain(d.scope_name)}", "cellb"), t))
    n = len(rows) - 1
    extra += [
        ("FONT", (1, n), (-1, n), FONT_BOLD, 7.5),
        ("BACKGROUND", (0, n), (-1, n), colors.Color(*SHADE)),
        ("LINEABOVE", (0, n), (-1, n), 1, colors.Color(*INK)),
    ]
    widths = [50 * mm, 22 * mm, 20 * mm, 18 * mm] + [20 * mm] * len(tpl.sexes) + [20 * mm]
    scale = 170 * mm / sum(widths)
    story += [Spacer(1, 4 * mm), table(rows, [w * scale for w in widths], extra=extra)]
    return story


def _inclusion_cells(name: object, t: IndicatorTable) -> list[object]:
    """A line of the inclusion table: underlag, included, inclusion (total, per sex), lead time."""
    r = t.inclusion
    return [
        name,
        fmt_int(r.denominator),
        fmt_int(r.numerator),
        _pct(r),
        *[_pct(t.rate(INCLUSION, s.id)) for s in t.sexes],
        _pct(t.lead_time),
    ]


def _lead_time_section(d: CompilationDocument) -> list[object]:
    t = d.indicators
    return lead_time_section(t, f"{lead_time_heading(t)} – {plain(d.scope_name)}")


def _payment_rows(d: CompilationDocument) -> tuple[list[list[object]], list[tuple[object, ...]]]:
    from reportlab.lib import colors

    p = d.payments
    pre = p.preliminary
    head: list[object] = ["Region", "Folkmängd", para("Utbetalning 1", "head"), "Villkor"]
    if pre:
        head += [
            para("Utbetalning 2 om alla okända uppfyller", "head"),
            para("Utbetalning 2 om inga okända uppfyller", "head"),
        ]
    else:
        head += [para("Utbetalning 2", "head"), para("Summa", "head")]
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
                para(
                    (
                        f"<b>{plain(name)}</b>"
                        if rp.code in in_scope and d.scope_id != "national"
                        else plain(name)
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
                colors.Color(*tone(rp.qualifies)),
            )
        )
    total_1 = sum(r.payment_1 for r in p.regions)
    all_ = sum(r.payment_2_if_all_unknown_qualify for r in p.regions)
    none_ = sum(r.payment_2_if_none_qualify for r in p.regions)
    last = [_kr(all_), _kr(none_)] if pre else [_kr(none_), _kr(total_1 + none_)]
    rows.append([para("Summa", "cellb"), fmt_int(p.population_total), _kr(total_1), "", *last])
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
        para("Fördelning av statsbidraget", "h1"),
        para(
            f"Utbetalning 1 ({fmt_kr(p.payment_1_total)}) fördelas till alla regioner efter "
            f"folkmängd. Utbetalning 2 ({fmt_kr(p.payment_2_total)}) fördelas efter folkmängd "
            "till de regioner som uppfyller alla villkor (överenskommelsen "
            f"{tpl.year}, avsnitt 5.3). Belopp i hela kronor.",
            "small",
        ),
        para(f"<b>{plain(d.key_text)}.</b>", "small"),
    ]
    if p.preliminary:
        story.append(
            para(
                "<b>Preliminär fördelning.</b> För regioner markerade "
                f"<i>{QUALIFIES[None]}</i> finns ingen "
                "godkänd redovisning i den här sammanställningen, eller kan något villkor inte "
                "bedömas ännu. Utbetalning 2 visas därför både om alla okända regioner uppfyller "
                "villkoren och om ingen av dem gör det.",
                "small",
            )
        )
    story += [Spacer(1, 3 * mm), table(rows, widths, extra=extra), Spacer(1, 3 * mm)]
    story.append(
        para(
            "Avrundning till hela kronor med största rest: varje region får heltalsdelen av sin "
            "exakta andel (belopp × folkmängd / summa folkmängd); de kronor som blir över går "
            "en och en till regionerna med störst decimalrest (lika rest: större folkmängd, "
            "sedan länskod). Summan blir exakt beloppet och ingen region avviker mer än en "
            "krona från sin exakta andel.",
            "muted",
        )
    )
    story.append(
        para(
            f"Folkmängd per {', '.join(dates)}. Källa: {'; '.join(sources) or '–'}."
            + (
                " Ändrad för denna sammanställning: "
                + "; ".join(
                    f"{plain(d.region_names.get(pl.code, pl.code))} {fmt_int(pl.population)} "
                    f"({plain(pl.source)})"
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
        story += [Spacer(1, 3 * mm), para("Utesluten eller okänd – skäl", "h2")]
        for rp in excluded:
            story.append(
                para(
                    f"<b>{plain(d.region_names.get(rp.code, rp.code))}:</b> {plain(rp.reason or '')}",
                    "small",
                )
            )
    if d.scope_id != "national":
        story.append(
            para(
                f"Regioner utanför {plain(d.scope_name)} är <i>{QUALIFIES[None]}</i> i denna "
                "sammanställning; regionerna i urvalet är markerade med fetstil.",
                "muted",
            )
        )
    return story


def _remarks_section(d: CompilationDocument) -> list[object]:
    """Per region, its values changed from the RCC's extract and its warnings, each with the
    region's reason or justification (issue 15, points 3 and 5)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, Spacer

    from desktop_app.domain.vocabulary import label

    story: list[object] = [
        CondPageBreak(60 * mm),
        Spacer(1, 6 * mm),
        para("Ändrade värden och varningar per region", "h1"),
        para(
            "Värden som regionen ändrat från RCC:s nationella datauttag och programmets "
            "varningar i de godkända redovisningarna, med regionens motivering.",
            "muted",
        ),
        Spacer(1, 3 * mm),
    ]
    if not d.remarks:
        return story + [para("Inga ändrade värden eller varningar.", "small")]
    for r in d.regions:
        mine = [x for x in d.remarks if x.code == r.code]
        if not mine:
            continue
        story.append(para(plain(f"{r.name}: {d.remark_summary(r.code)}"), "h2"))
        rows: list[list[object]] = [["Typ", "Värde", "Vad", "Regionens motivering"]]
        for x in mine:
            rows.append(
                [
                    para(plain(label(x.kind)), "cell"),
                    para(plain(x.place), "cell"),
                    para(plain(x.detail), "cell"),
                    para(plain(x.reason or "(ingen motivering)"), "cell"),
                ]
            )
        story.append(table(rows, [26 * mm, 38 * mm, 62 * mm, 44 * mm], header_rows=1))
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
                para(plain(f.file), "cell"),
                para(plain(f.region), "cell"),
                str(f.version) if f.version else "–",
                para(plain(f.status_label), "cell"),
                para(plain(f.received), "cell"),
                para(plain(f.reason or ""), "cell"),
            ]
        )
        status_tone = _status_tone(f.status)
        extra.append(
            ("BACKGROUND", (3, len(rows) - 1), (3, len(rows) - 1), colors.Color(*status_tone))
        )
    story: list[object] = [
        CondPageBreak(60 * mm),
        Spacer(1, 6 * mm),
        para("Inkomna filer", "h1"),
        para(
            "Varje fil kontrollerad av SVF-redovisning när den togs emot: underskrifternas "
            "integritet och ordning, att de bifogade uppgifterna ligger inom de undertecknade "
            "delarna, region, år och mall.",
            "muted",
        ),
        Spacer(1, 3 * mm),
    ]
    if len(rows) > 1:
        story.append(
            table(rows, [34 * mm, 38 * mm, 8 * mm, 16 * mm, 19 * mm, 55 * mm], extra=extra)
        )
    else:
        story.append(para("Inga filer har kommit in.", "small"))
    return story


def _approval_section(
    d: CompilationDocument, sink: dict[str, FieldPlacement], with_field: bool
) -> list[object]:
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, KeepTogether, Spacer

    block = [
        para("Godkännande", "h2"),
        para(
            (
                f"Sammanställningen av regionernas SVF-redovisningar för {d.year}, hela landet, "
                "är granskad och godkänd."
            )
            if d.scope_id == "national"
            else (
                f"{plain(d.scope_name)} lämnar denna sammanställning av regionernas "
                f"SVF-redovisningar för {d.year}."
            ),
            "base",
        ),
        Spacer(1, 3 * mm),
        boxes(
            [(label, "", share) for label, share in APPROVAL_COLUMNS],
            52,
            sink,
            PLACE_APPROVAL if with_field else None,
        ),
        Spacer(1, 2 * mm),
        para(
            "Underskriften görs elektroniskt (PAdES) i denna PDF-fil och kan kontrolleras i "
            "Adobe Reader. Sammanställningens uppgifter finns bifogade som "
            "<b>svf-compilation.json</b>.",
            "muted",
        ),
    ]
    return [CondPageBreak(60 * mm), Spacer(1, 6 * mm), KeepTogether(block)]


def _preview_banner(d: CompilationDocument) -> list[object]:
    """On an unsigned preview: a boxed notice that this is not the package to send."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    if not d.preview:
        return []
    notice = para(
        f"<b>{PREVIEW_MARK}</b><br/>Detta är en förhandsgranskning av paketet till "
        "Socialstyrelsen. Den är inte underskriven av RCC och ska inte skickas; skicka paketet "
        "med Skicka till Socialstyrelsen när det är granskat.",
        "base",
    )
    box = table(
        [[notice]],
        [170 * mm],
        header_rows=0,
        extra=[
            ("BACKGROUND", (0, 0), (-1, -1), colors.Color(1.0, 0.96, 0.84)),
            ("BOX", (0, 0), (-1, -1), 1.2, colors.Color(0.54, 0.35, 0.0)),
        ],
    )
    return [box, Spacer(1, 4 * mm)]


def render_compilation_pdf(
    d: CompilationDocument,
    document_id: str,
    signature_field: bool = False,
    extra: Sequence[object] = (),
) -> RenderedPdf:
    """Draw the whole compilation. With ``signature_field`` the place of the RCC's approval
    signature is returned in ``fields[PLACE_APPROVAL]``; ``extra`` flowables (the package's
    sections, exchange.package_pdf) go before the approval block."""
    register_fonts()
    sink: dict[str, FieldPlacement] = {}
    story = (
        _preview_banner(d)
        + _cover(d, document_id)
        + _regions_section(d)
        + _inclusion_section(d)
        + _svf_section(d)
        + _lead_time_section(d)
        + _payment_section(d)
        + _remarks_section(d)
        + _files_section(d)
        + list(extra)
        + _approval_section(d, sink, signature_field)
    )
    rendered = _build(d, document_id, story)
    return RenderedPdf(rendered.data, rendered.pages, dict(sink))


def approval_appearance(width: float, height: float, day: date, who: str, name: str) -> bytes:
    """The approval signature's appearance in the three boxes: date, signer, name."""
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
