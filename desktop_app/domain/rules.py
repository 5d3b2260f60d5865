"""Validation rules (findings) and the criteria for the second payment.

Every finding has a rule id, a severity (fel / varning), a Swedish message and the exact place
(step, SVF, sex, measure or field) so that a screen can jump there and a file import can name
the cell."""

from __future__ import annotations

import dataclasses
from datetime import date
from fractions import Fraction

from desktop_app.domain.figures import (
    COUNT_MEASURES,
    Figures,
    Ratio,
    inclusion,
    missing_cells,
    svf_value,
)
from desktop_app.domain.finance import FIELD_LABELS, finance_findings
from desktop_app.domain.findings import CriterionResult, Finding, Location
from desktop_app.domain.fmt import fmt_int, fmt_num, fmt_pct
from desktop_app.domain.identity import find_identity_numbers
from desktop_app.domain.report import Report
from desktop_app.domain.template import Svf, Template
from desktop_app.domain.vocabulary import ReportStatus, Severity, Verdict

# Rules about the consistency of the numbers themselves; an import that would leave any of these
# broken is refused. The other rules are about completeness (something not filled in yet).
# ``included_gt_investigated`` is not one of them: it is a warning (see COHORT_RULE).
CONSISTENCY_RULES = frozenset(
    {
        "value_not_whole",
        "value_negative",
        "not_applicable",
        "within_gt_included",
        "over175_gt_remaining",
        "total_mismatch",
        "prem_answers_gt_sent",
    }
)

# Included > investigated: legitimate, the two counts are different cohorts (SVFs ended with
# start of treatment in the period vs SVFs started in the period), so only a warning that an
# import shows with the cell and that never blocks an import or an export.
COHORT_RULE = "included_gt_investigated"

MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


def fmt_date(d: date) -> str:
    """30 september 2024."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


# Kept as names of this module for the callers that read them from here.
ERROR = Severity.ERROR
WARNING = Severity.WARNING
PASS = Verdict.PASS
FAIL = Verdict.FAIL
UNKNOWN = Verdict.UNKNOWN


def _step_of_kind(tpl: Template, kind: str) -> str | None:
    return next((s.id for s in tpl.steps if s.kind == kind), None)


def _label(tpl: Template, measure: str) -> str:
    m = tpl.measure(measure)
    return m.label if m else measure


def _where(tpl: Template, svf_id: str, sex: str | None) -> str:
    svf = tpl.svf(svf_id)
    name = svf.name if svf else svf_id
    if sex is None:
        return name
    s = tpl.sex(sex)
    return f"{name}, {(s.label if s else sex).lower()}"


def _whole(fig: Figures, tpl: Template, svf: Svf, measure: str) -> int | float:
    """The SVF's value of ``measure`` over both sexes (its total, else what was entered per
    sex; 0 for nothing)."""
    value = svf_value(fig, tpl, svf.id, measure)
    if value is not None:
        return value
    return sum(fig.get(svf.id, measure, x) or 0 for x in svf.sexes)


class _FigureFindings:
    """Collects the findings of the figures step; one method per kind of check."""

    def __init__(self, fig: Figures, tpl: Template) -> None:
        self.fig = fig
        self.tpl = tpl
        self.step = _step_of_kind(tpl, "figures")
        self.out: list[Finding] = []

    def add(
        self, rule: str, sev: Severity, msg: str, svf: str, sex: str | None, measure: str | None
    ) -> None:
        loc = Location(step=self.step, svf=svf, sex=sex, measure=measure)
        self.out.append(Finding(rule, sev, msg, loc))

    def cells(self) -> None:
        fig, tpl, add = self.fig, self.tpl, self.add
        # Per cell: whole numbers >= 0; nothing for a sex the SVF does not apply to.
        for (svf_id, measure, sex), value in fig.items():
            svf = tpl.svf(svf_id)
            m = tpl.measure(measure)
            sex_obj = tpl.sex(sex)
            if svf is None or m is None or sex_obj is None:
                continue  # unknown cells are refused by the importer; nothing to locate here
            where = f"{_where(tpl, svf_id, sex)}, {m.label}"
            if value < 0:
                add(
                    "value_negative",
                    ERROR,
                    f"{where}: värdet får inte vara negativt ({fmt_num(value, 0) if float(value).is_integer() else value}).",
                    svf_id,
                    sex,
                    measure,
                )
            elif m.kind == "count" and not float(value).is_integer():
                add(
                    "value_not_whole",
                    ERROR,
                    f"{where}: antal måste vara ett heltal (inte {fmt_num(value, 2)}).",
                    svf_id,
                    sex,
                    measure,
                )
            if not tpl.cell_applies(svf, measure, sex) and value:
                if sex == tpl.total_id:
                    why = (
                        f"{m.label} kan inte anges totalt för SVF {svf.name}"
                        if m.total
                        else f"{m.label} anges per kön, inte totalt"
                    )
                else:
                    why = f"SVF {svf.name} gäller inte {sex_obj.label.lower()}"
                add(
                    "not_applicable",
                    ERROR,
                    f"{where}: {why}; cellen ska vara tom.",
                    svf_id,
                    sex,
                    measure,
                )

    def relations(self, svf: Svf) -> None:
        """Relations between the counts of one SVF and sex."""
        fig, tpl, add = self.fig, self.tpl, self.add
        for sex in svf.sexes:
            g = {m: fig.get(svf.id, m, sex) for m in COUNT_MEASURES}
            where = _where(tpl, svf.id, sex)
            inc, within, over, inv = (
                g["included"],
                g["within_lead_time"],
                g["over_175"],
                g["investigated"],
            )
            if inc is not None and within is not None and within > inc:
                add(
                    "within_gt_included",
                    ERROR,
                    f"{where}: {_label(tpl, 'within_lead_time')} ({fmt_int(within)}) är fler än {_label(tpl, 'included')} ({fmt_int(inc)}).",
                    svf.id,
                    sex,
                    "within_lead_time",
                )
            if inc is not None and over is not None:
                rest = inc - (within or 0)
                if over > rest:
                    add(
                        "over175_gt_remaining",
                        ERROR,
                        f"{where}: {_label(tpl, 'over_175')} ({fmt_int(over)}) är fler än de inkluderade som inte startade inom ledtid ({fmt_int(inc)} − {fmt_int(within or 0)} = {fmt_int(rest)}).",
                        svf.id,
                        sex,
                        "over_175",
                    )
            if inc is not None and inv is not None and inc > inv:
                # investigated = SVFs started in the period, included = SVFs ended with start of
                # treatment in the period: patients who started in the previous period can be
                # treated in this one, so more included than investigated is possible (issue 12).
                add(
                    COHORT_RULE,
                    WARNING,
                    f"{where}: {_label(tpl, 'included')} ({fmt_int(inc)}) är fler än "
                    f"{_label(tpl, 'investigated')} ({fmt_int(inv)}). Det kan stämma: utredda är "
                    "de SVF som startade under perioden, inkluderade de som avslutades med start "
                    "av första behandling under perioden – olika grupper, så patienter som "
                    "startade SVF före perioden kan ingå bland de inkluderade. Kontrollera att "
                    "siffrorna är rätt.",
                    svf.id,
                    sex,
                    "included",
                )

    def totals(self, svf: Svf) -> None:
        """A measure reported both as a total and per sex: the two must agree; and where a
        total is used, the relations between the counts hold for the whole SVF."""
        fig, tpl, add = self.fig, self.tpl, self.add
        total_id = tpl.total_id
        if total_id is None:
            return
        used = False
        for m in tpl.total_measures():
            total = fig.get(svf.id, m.id, total_id)
            if total is None:
                continue
            used = True
            split = [fig.get(svf.id, m.id, x) for x in svf.sexes]
            if all(v is not None for v in split) and sum(v or 0 for v in split) != total:
                add(
                    "total_mismatch",
                    ERROR,
                    f"{svf.name}: {m.label} totalt ({fmt_int(total)}) stämmer inte med summan "
                    f"per kön ({fmt_int(sum(v or 0 for v in split))}). Ange antingen per kön "
                    "eller totalt, eller rätta så att de stämmer.",
                    svf.id,
                    total_id,
                    m.id,
                )
        if not used:
            return
        inc = svf_value(fig, tpl, svf.id, "included")
        within = svf_value(fig, tpl, svf.id, "within_lead_time")
        if inc is not None and within is not None and within > inc:
            add(
                "within_gt_included",
                ERROR,
                f"{svf.name}: {_label(tpl, 'within_lead_time')} ({fmt_int(within)}) är fler än "
                f"{_label(tpl, 'included')} totalt ({fmt_int(inc)}).",
                svf.id,
                None,
                "within_lead_time",
            )

    def plausibility(self, svf: Svf) -> None:
        """Plausibility, per SVF over both sexes."""
        fig, tpl, add = self.fig, self.tpl, self.add
        expected = _whole(fig, tpl, svf, "expected")
        included = _whole(fig, tpl, svf, "included")
        entered = any(
            fig.get(svf.id, "included", x) is not None for x in (*svf.sexes, tpl.total_id) if x
        )
        if expected > 0 and entered and included == 0:
            add(
                "nothing_included",
                WARNING,
                f"{svf.name}: beräkningsunderlaget är {fmt_int(expected)} men ingen patient är inkluderad. Stämmer det?",
                svf.id,
                None,
                "included",
            )
        limit = Fraction(str(tpl.implausible_inclusion_percent)) / 100
        if expected > 0 and Fraction(included) / Fraction(expected) > limit:
            add(
                "inclusion_implausible",
                WARNING,
                f"{svf.name}: inklusionen är {fmt_pct(included / expected)} ({fmt_int(included)} av {fmt_int(expected)}), över {fmt_num(tpl.implausible_inclusion_percent, 0)} %. Kontrollera beräkningsunderlaget.",
                svf.id,
                None,
                "included",
            )

    def required(self) -> None:
        """Measures the template marks as required that are not filled in: an error each.

        The template decides which measures are required (``measures[].required``); a missing
        optional measure gives no finding (Agreement 2024, 5.3: the payment asks only the
        inclusion goal, so only its numerator and denominator are required)."""
        fig, tpl, add = self.fig, self.tpl, self.add
        required = [m.id for m in tpl.measures if m.required]
        for svf_id, measure, sex in missing_cells(fig, tpl, required, [s.id for s in tpl.svfs]):
            svf = tpl.svf(svf_id)
            either = svf is not None and tpl.total_applies(svf, measure)
            hint = " (ange per kön eller totalt för SVF:et)" if either else ""
            add(
                "missing_value",
                ERROR,
                f"{_where(tpl, svf_id, sex)}: {_label(tpl, measure)} saknas{hint}.",
                svf_id,
                sex,
                measure,
            )


def _figure_findings(fig: Figures, tpl: Template) -> list[Finding]:
    """Per cell (whole numbers >= 0, nothing for a sex the SVF does not apply to), between the
    counts of one SVF and sex, plausibility per SVF, and required measures not filled in."""
    checks = _FigureFindings(fig, tpl)
    checks.cells()
    for svf in tpl.svfs:
        checks.relations(svf)
        checks.totals(svf)
        checks.plausibility(svf)
    checks.required()
    return checks.out


def _prem_findings(report: Report, tpl: Template) -> list[Finding]:
    step = _step_of_kind(tpl, "prem")
    p = report.prem
    out: list[Finding] = []

    def add(rule: str, sev: Severity, msg: str, fld: str) -> None:
        out.append(Finding(rule, sev, msg, Location(step=step, field=fld)))

    for fld, value, label in (
        ("prem_sent", p.sent, "Antal utskickade enkäter"),
        ("prem_answers", p.answers, "Antal svar"),
    ):
        if value is not None and value < 0:
            add("value_negative", ERROR, f"PREM: {label} får inte vara negativt.", fld)
    if p.used is None:
        add(
            "prem_used_missing",
            ERROR,
            "PREM: ange om regionen använder PREM-enkäten för uppföljning av SVF.",
            "prem_used",
        )
    # Agreement 2024, 5.3 asks that the region uses PREM; the counts of questionnaires sent and
    # answered are information, so none missing is a finding. How the results were used (4.2)
    # is a question of the template, checked with the other questions.
    if p.sent is not None and p.answers is not None and p.answers > p.sent:
        add(
            "prem_answers_gt_sent",
            ERROR,
            f"PREM: antal svar ({fmt_int(p.answers)}) är fler än antal utskickade enkäter ({fmt_int(p.sent)}).",
            "prem_answers",
        )
    return out


def _question_findings(report: Report, tpl: Template) -> list[Finding]:
    out = []
    for q in tpl.questions:
        if q.required and not report.answers.get(q.id, "").strip():
            what = "besvaras" if q.type == "yes_no" else "fyllas i"
            out.append(
                Finding(
                    "missing_answer",
                    ERROR,
                    f"{q.title}: frågan måste {what}.",
                    Location(step=q.step, field=q.id),
                )
            )
    return out


def _contact_findings(report: Report, tpl: Template) -> list[Finding]:
    step = _step_of_kind(tpl, "details")
    c = report.contact
    out = []
    for fld, value, label in (
        ("contact.name", c.name, "namn"),
        ("contact.email", c.email, "e-postadress"),
    ):
        if not value.strip():
            out.append(
                Finding(
                    "contact_missing",
                    WARNING,
                    f"Uppgifter: kontaktpersonens {label} saknas.",
                    Location(step=step, field=fld),
                )
            )
    return out


_CONTACT_LABELS = (("name", "namn"), ("title", "titel"), ("email", "e-post"), ("phone", "telefon"))


def _free_texts(report: Report, tpl: Template) -> list[tuple[str | None, str, str, str]]:
    """(step, field, Swedish field name, text) for every free text of the report."""
    details = _step_of_kind(tpl, "details")
    finance = _step_of_kind(tpl, "finance")
    out: list[tuple[str | None, str, str, str]] = [
        (details, f"contact.{k}", f"kontaktpersonens {lbl}", getattr(report.contact, k))
        for k, lbl in _CONTACT_LABELS
    ]
    for q in tpl.questions:
        out.append((q.step, q.id, f"frågan {q.title}", report.answers.get(q.id, "")))
    fs = report.finance
    for f in dataclasses.fields(fs):
        value = getattr(fs, f.name)
        if isinstance(value, str):
            label = FIELD_LABELS.get(f.name, f.name)
            out.append((finance, f"finance.{f.name}", f"fältet {label}", value))
    for i, item in enumerate(fs.costs):
        out.append((finance, f"finance.costs.{i}", f"kostnadsposten på rad {i + 1}", item.label))
    return out


def identity_findings(report: Report, tpl: Template) -> list[Finding]:
    """An error for each free text that holds a personal identity number (domain.identity):
    it blocks export until removed or marked "(inte ett personnummer: skäl)"."""
    titles = {s.id: s.title for s in tpl.steps}
    out = []
    for step, fld, name, text in _free_texts(report, tpl):
        found = find_identity_numbers(text)
        if not found:
            continue
        shown = found[0].text[:-4] + "XXXX"
        kind = "ett samordningsnummer" if found[0].coordination else "ett personnummer"
        out.append(
            Finding(
                "identity_number",
                ERROR,
                f"{titles.get(step or '', 'Redovisningen')}, {name}: texten innehåller "
                f"{kind} ({shown}). Redovisningen får bara innehålla sammanräknade uppgifter – "
                "ta bort numret, eller skriv (inte ett personnummer: skäl) direkt efter det om "
                "det är något annat, t.ex. ett diarienummer.",
                Location(step=step, field=fld),
            )
        )
    return out


_CERTIFICATION_FIELDS = (
    ("name", "namn"),
    ("title", "titel"),
    ("phone", "telefon"),
    ("email", "e-post"),
    ("deviations", "avvikelser"),
    ("actions", "åtgärder"),
)


def certification_identity_findings(cert: object, tpl: Template) -> list[Finding]:
    """The same check on the finance chief's certification (a Certification): its typed name
    and texts go into the signed PDF."""
    step = _step_of_kind(tpl, "finance")
    out = []
    for k, lbl in _CERTIFICATION_FIELDS:
        found = find_identity_numbers(str(getattr(cert, k, "") or ""))
        if found:
            out.append(
                Finding(
                    "identity_number",
                    ERROR,
                    f"Intygandet, {lbl}: texten innehåller ett personnummer "
                    f"({found[0].text[:-4]}XXXX). Ta bort numret.",
                    Location(step=step, field=f"certification.{k}"),
                )
            )
    return out


def validate(report: Report, tpl: Template) -> list[Finding]:
    """All findings for a report: errors first, then warnings, each in template order; a
    warning the region justified (for its current values) carries the justification."""
    from desktop_app.domain.acknowledgements import apply_acknowledgements
    from desktop_app.domain.year_over_year import year_over_year_findings

    findings = (
        _contact_findings(report, tpl)
        + _figure_findings(report.figures, tpl)
        + year_over_year_findings(report.figures, tpl, report.baseline)
        + _prem_findings(report, tpl)
        + _question_findings(report, tpl)
        + finance_findings(report, tpl)
        + identity_findings(report, tpl)
    )
    findings = apply_acknowledgements(findings, report.acknowledgements)
    return sorted(findings, key=lambda f: 0 if f.severity == ERROR else 1)


def figure_findings(fig: Figures, tpl: Template) -> list[Finding]:
    """The findings of the figures alone, errors and warnings (what an import reports)."""
    return _figure_findings(fig, tpl)


def figure_errors(fig: Figures, tpl: Template) -> list[Finding]:
    """Consistency errors of the figures alone (what makes an import refused)."""
    return [
        f for f in _figure_findings(fig, tpl) if f.severity == ERROR and f.rule in CONSISTENCY_RULES
    ]


# ---------------------------------------------------------------- criteria


def _meets(r: Ratio, percent: float) -> bool:
    # Exact arithmetic: 70 % of 1 000 is met by 700, whatever floating point thinks.
    return Fraction(r.numerator) * 100 >= Fraction(str(percent)) * Fraction(r.denominator)


def _inclusion_criterion(report: Report, tpl: Template, c_id: str, label: str) -> CriterionResult:
    goal = fmt_num(tpl.inclusion_percent, 0)
    scope = [s.id for s in tpl.inclusion_svfs()]
    r = inclusion(report.figures, tpl)
    missing = missing_cells(report.figures, tpl, ("expected", "included"), scope)
    value = round(r.rate * 100, 2) if r.rate is not None else None
    if missing or not r.denominator:
        if r.denominator:
            so_far = (
                f" Hittills {fmt_pct(r.rate)} ({fmt_int(r.numerator)} av {fmt_int(r.denominator)})."
            )
        else:
            so_far = ""
        return CriterionResult(
            c_id,
            label,
            UNKNOWN,
            f"Inklusionen kan inte bedömas ännu: {len(missing)} värden för beräkningsunderlag eller inkluderade saknas.{so_far}",
            value,
            r.numerator,
            r.denominator,
        )
    ok = _meets(r, tpl.inclusion_percent)
    verdict = f"målet {goal} % nås" if ok else f"målet {goal} % nås inte"
    return CriterionResult(
        c_id,
        label,
        PASS if ok else FAIL,
        f"Inklusion {fmt_pct(r.rate)} ({fmt_int(r.numerator)} av {fmt_int(r.denominator)}) – {verdict}",
        value,
        r.numerator,
        r.denominator,
    )


def _prem_criterion(report: Report, c_id: str, label: str) -> CriterionResult:
    """Agreement 2024, 5.3: "Att regionerna använder PREM-enkäter för uppföljning av SVF".

    Passes when the region states that it uses PREM. The counts of questionnaires sent and
    answered are shown as information, never evidence: without them the criterion still
    passes. The account of how the results were used (4.2) is a required question, not part
    of this criterion."""
    p = report.prem
    if p.used is None:
        return CriterionResult(c_id, label, UNKNOWN, "PREM: inte angivet om enkäten används.")
    if not p.used:
        return CriterionResult(
            c_id,
            label,
            FAIL,
            "PREM-enkäten används inte för uppföljning av SVF – villkoret uppfylls inte",
        )
    if p.answers is None:
        sent = f" ({fmt_int(p.sent)} utskickade enkäter)" if p.sent is not None else ""
        return CriterionResult(
            c_id,
            label,
            PASS,
            f"PREM används för uppföljning av SVF{sent}",
            None,
            None,
            p.sent,
        )
    rate = p.answers / p.sent if p.sent else None
    sent = f" av {fmt_int(p.sent)} utskickade ({fmt_pct(rate)})" if p.sent else ""
    return CriterionResult(
        c_id,
        label,
        PASS,
        f"PREM används: {fmt_int(p.answers)} svar{sent}",
        round(rate * 100, 2) if rate is not None else None,
        p.answers,
        p.sent,
    )


def deadline_status(report: Report, tpl: Template, today: date) -> tuple[Verdict, str, int | None]:
    """(verdict, Swedish message, days left) for handing in by the template's deadline, as the
    region's application shows it.

    Agreement 2024, 5.3: the report must have come in to the RCC by 30 September. Whether it
    did is judged by the RCC on arrival (services.inbox_policy), never here against today:
    the region sees "Skickad till RCC <datum>" once marked as sent, else that the RCC judges
    it on receipt, with the days left."""
    deadline = fmt_date(tpl.deadline)
    if report.submitted_on is not None and report.status == ReportStatus.SUBMITTED:
        return (
            UNKNOWN,
            f"Skickad till RCC {fmt_date(report.submitted_on)} – bedöms av RCC vid mottagandet "
            f"(sista dag {deadline})",
            None,
        )
    days = (tpl.deadline - today).days
    if days < 0:
        return UNKNOWN, f"Bedöms av RCC vid mottagandet – sista dag var {deadline}", days
    left = "sista dagen i dag" if days == 0 else f"{days} dagar kvar" if days != 1 else "1 dag kvar"
    return UNKNOWN, f"Bedöms av RCC vid mottagandet – {left} till {deadline}", days


def _deadline_criterion(
    report: Report, tpl: Template, today: date, c_id: str, label: str
) -> CriterionResult:
    status, message, days = deadline_status(report, tpl, today)
    return CriterionResult(c_id, label, status, message, None if days is None else float(days))


def _answer_criterion(
    report: Report, tpl: Template, question_id: str, c_id: str, label: str
) -> CriterionResult:
    q = tpl.question(question_id)
    answer = report.answers.get(question_id, "").strip()
    title = q.title if q else question_id
    if not answer:
        return CriterionResult(c_id, label, UNKNOWN, f"{title}: inte besvarad ännu.")
    if q is not None and q.type == "yes_no":
        if answer.lower() in ("ja", "yes", "true"):
            return CriterionResult(c_id, label, PASS, f"{title}: ja")
        return CriterionResult(c_id, label, FAIL, f"{title}: nej – villkoret uppfylls inte")
    return CriterionResult(c_id, label, PASS, f"{title}: beskrivet")


def evaluate_criteria(report: Report, tpl: Template, today: date) -> list[CriterionResult]:
    """The template's criteria for the second payment, each pass / fail / unknown with its numbers."""
    out: list[CriterionResult] = []
    for c in tpl.criteria:
        if c.kind == "inclusion_goal":
            out.append(_inclusion_criterion(report, tpl, c.id, c.label))
        elif c.kind == "prem_used":
            out.append(_prem_criterion(report, c.id, c.label))
        elif c.kind == "submitted_by_deadline":
            out.append(_deadline_criterion(report, tpl, today, c.id, c.label))
        elif c.kind == "answer_given" and c.question:
            out.append(_answer_criterion(report, tpl, c.question, c.id, c.label))
    return out


def all_met(results: list[CriterionResult]) -> bool | None:
    """True when every criterion passes, False when one fails, None while any is unknown."""
    if any(r.status == FAIL for r in results):
        return False
    if any(r.status == UNKNOWN for r in results):
        return None
    return True
