"""What changed between two versions of a region's report: per figure cell, per answer text,
per PREM, contact and financial field (old → new), from the two report documents (the JSON
embedded in the signed PDFs)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop_app.domain.figures import split_cell_key
from desktop_app.domain.fmt import fmt_int, fmt_num
from desktop_app.domain.template import Template
from desktop_app.domain.vocabulary import ReportStatus
from desktop_app.domain.vocabulary import label as vocabulary_label

FIGURE = "figure"
ANSWER = "answer"
PREM = "prem"
CONTACT = "contact"
FINANCE = "finance"
REPORT = "report"


@dataclass(frozen=True)
class Difference:
    """One changed value. ``key`` is a stable machine path (``figures/lunga/included_kvinnor``,
    ``answers/long_waits``, ``finance/costs/1/amount``); ``label`` says where in Swedish."""

    kind: str  # figure | answer | prem | contact | finance | report
    key: str
    label: str
    old: Any
    new: Any
    svf: str | None = None
    measure: str | None = None
    sex: str | None = None
    field: str | None = None

    @property
    def old_text(self) -> str:
        """The old value in Swedish: a status by its label (``Inlämnad``), ja/nej, numbers
        with thousands spaces, ``(tom)`` for nothing."""
        return self._text(self.old)

    @property
    def new_text(self) -> str:
        return self._text(self.new)

    def _text(self, value: Any) -> str:
        if value is None or value == "":
            return "(tom)"
        if self.kind == REPORT and self.field == "status":
            return vocabulary_label(str(value), ReportStatus)
        if isinstance(value, bool):
            return "ja" if value else "nej"
        if isinstance(value, int):
            return fmt_int(value)
        if isinstance(value, float):
            return fmt_num(value, 2).rstrip("0").rstrip(",")
        return str(value)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": self.key,
            "label": self.label,
            "old": self.old,
            "new": self.new,
            "svf": self.svf,
            "measure": self.measure,
            "sex": self.sex,
            "field": self.field,
        }


_REPORT_FIELDS = (
    ("version", "Version"),
    ("status", "Status"),
    ("submitted_on", "Inlämnad"),
)
_PREM_FIELDS = (
    ("used", "PREM: enkäten används"),
    ("sent", "PREM: antal utskickade enkäter"),
    ("answers", "PREM: antal svar"),
)
_CONTACT_FIELDS = (
    ("name", "Kontaktperson: namn"),
    ("title", "Kontaktperson: befattning"),
    ("email", "Kontaktperson: e-postadress"),
    ("phone", "Kontaktperson: telefon"),
)
_FINANCE_LABELS = {
    "recipient": "Bidragsmottagare",
    "org_number": "Organisationsnummer",
    "contact_person": "Kontaktperson (ekonomi)",
    "postal_address": "Postadress",
    "phone": "Telefon (ekonomi)",
    "fax": "Faxnummer",
    "email": "E-postadress (ekonomi)",
    "dnr_agreement": "Diarienummer för överenskommelsen",
    "dnr_decision": "Diarienummer för regeringsbeslutet",
    "agreement_name": "Överenskommelsens benämning",
    "grant_total": "Summa bidrag enligt överenskommelsen",
    "grant_paid": "Summa bidrag som utbetalats",
    "period": "Period för den ekonomiska redovisningen",
    "received": "Bidrag som erhållits",
}


def _section(doc: dict[str, Any], key: str) -> dict[str, Any]:
    value = doc.get(key)
    return value if isinstance(value, dict) else {}


def _report_diffs(old: dict[str, Any], new: dict[str, Any], tpl: Template) -> list[Difference]:
    """The report fields."""
    out: list[Difference] = []
    for key, label in _REPORT_FIELDS:
        if old.get(key) != new.get(key):
            out.append(Difference(REPORT, key, label, old.get(key), new.get(key), field=key))
    return out


def _figure_diffs(old: dict[str, Any], new: dict[str, Any], tpl: Template) -> list[Difference]:
    """Figures per SVF (template order, unknown SVFs last), measure and sex."""
    out: list[Difference] = []
    fig_old, fig_new = _section(old, "figures"), _section(new, "figures")
    known_svfs = [s.id for s in tpl.svfs]
    extra_svfs = sorted((set(fig_old) | set(fig_new)) - set(known_svfs))
    for svf_id in known_svfs + extra_svfs:
        row_old = fig_old.get(svf_id) or {}
        row_new = fig_new.get(svf_id) or {}
        svf = tpl.svf(svf_id)
        ordered = [f"{m.id}_{x}" for m in tpl.measures for x in tpl.column_ids]
        keys = [k for k in ordered if k in row_old or k in row_new]
        keys += sorted((set(row_old) | set(row_new)) - set(ordered))
        for cell in keys:
            a, b = row_old.get(cell), row_new.get(cell)
            if a == b:
                continue
            ms = split_cell_key(cell, tpl.measure_ids, tpl.column_ids)
            measure, sex = ms if ms else (None, None)
            m = tpl.measure(measure) if measure else None
            s = tpl.sex(sex) if sex else None
            label = (
                f"{svf.name if svf else svf_id}, {(s.label.lower() if s else sex) or ''}: "
                f"{m.label if m else cell}"
            )
            out.append(
                Difference(
                    FIGURE,
                    f"figures/{svf_id}/{cell}",
                    label,
                    a,
                    b,
                    svf=svf_id,
                    measure=measure,
                    sex=sex,
                )
            )
    return out


def _prem_diffs(old: dict[str, Any], new: dict[str, Any], tpl: Template) -> list[Difference]:
    """The PREM fields."""
    out: list[Difference] = []
    prem_old, prem_new = _section(old, "prem"), _section(new, "prem")
    for key, label in _PREM_FIELDS:
        if prem_old.get(key) != prem_new.get(key):
            out.append(
                Difference(
                    PREM, f"prem/{key}", label, prem_old.get(key), prem_new.get(key), field=key
                )
            )
    return out


def _answer_diffs(old: dict[str, Any], new: dict[str, Any], tpl: Template) -> list[Difference]:
    """Answers, in the order of the questions (unknown questions last)."""
    out: list[Difference] = []
    ans_old, ans_new = _section(old, "answers"), _section(new, "answers")
    q_ids = [q.id for q in tpl.questions]
    for q_id in q_ids + sorted((set(ans_old) | set(ans_new)) - set(q_ids)):
        a, b = ans_old.get(q_id), ans_new.get(q_id)
        if (a or "") == (b or ""):
            continue
        q = tpl.question(q_id)
        out.append(Difference(ANSWER, f"answers/{q_id}", q.title if q else q_id, a, b, field=q_id))
    return out


def _contact_diffs(old: dict[str, Any], new: dict[str, Any], tpl: Template) -> list[Difference]:
    """The contact details."""
    out: list[Difference] = []
    con_old, con_new = _section(old, "contact"), _section(new, "contact")
    for key, label in _CONTACT_FIELDS:
        if (con_old.get(key) or "") != (con_new.get(key) or ""):
            out.append(
                Difference(
                    CONTACT,
                    f"contact/{key}",
                    label,
                    con_old.get(key),
                    con_new.get(key),
                    field=key,
                )
            )
    return out


def _finance_diffs(old: dict[str, Any], new: dict[str, Any], tpl: Template) -> list[Difference]:
    """The financial statement and its cost items."""
    out: list[Difference] = []
    fin_old, fin_new = _section(old, "finance"), _section(new, "finance")
    for key, label in _FINANCE_LABELS.items():
        if fin_old.get(key) != fin_new.get(key):
            out.append(
                Difference(
                    FINANCE,
                    f"finance/{key}",
                    label,
                    fin_old.get(key),
                    fin_new.get(key),
                    field=key,
                )
            )
    costs_old = fin_old.get("costs") or []
    costs_new = fin_new.get("costs") or []
    for i in range(max(len(costs_old), len(costs_new))):
        a = costs_old[i] if i < len(costs_old) else {}
        b = costs_new[i] if i < len(costs_new) else {}
        for key, what in (("label", "benämning"), ("amount", "belopp")):
            if a.get(key) != b.get(key):
                out.append(
                    Difference(
                        FINANCE,
                        f"finance/costs/{i}/{key}",
                        f"Kostnadspost {i + 1}: {what}",
                        a.get(key),
                        b.get(key),
                        field=f"costs.{i}.{key}",
                    )
                )
    return out


def diff_documents(old: dict[str, Any], new: dict[str, Any], tpl: Template) -> list[Difference]:
    """Every difference from ``old`` to ``new`` (two report documents of the same template), in
    template order: report fields, figures (SVF, measure, sex), PREM, answers, contact,
    finance. A value that is absent on one side is None there."""
    parts = (
        _report_diffs,
        _figure_diffs,
        _prem_diffs,
        _answer_diffs,
        _contact_diffs,
        _finance_diffs,
    )
    return [d for part in parts for d in part(old, new, tpl)]
