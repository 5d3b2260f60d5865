"""The report's versioned JSON document: the one form of a report's whole content.

`dump`/`load` and (later) the signed PDF carry exactly this document. Its schema is
resources/schemas/report-document.schema.json, described in docs/report-document.md."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import Any

from desktop_app.domain.errors import DocumentError
from desktop_app.domain.figures import Cell, Figures, cell_key, split_cell_key
from desktop_app.domain.finance import FinancialStatement
from desktop_app.domain.findings import Acknowledgement
from desktop_app.domain.provenance import Provenance
from desktop_app.domain.report import Contact, LongWaitCause, Prem, Report, Status
from desktop_app.domain.template import Template
from desktop_app.domain.year_over_year import Baseline
from desktop_app.resources import resources_dir

DOCUMENT_KIND = "svf-redovisning/report"
# The highest version this program reads and writes. A document is written as version 1 unless
# it holds what version 2 added (long_wait_causes), so the documents of reports without it are
# byte for byte what they were (and signed ones compare equal); both versions are read.
SCHEMA_VERSION = 2
LONG_WAIT_CAUSES_VERSION = 2


@lru_cache(maxsize=1)
def document_schema() -> dict[str, Any]:
    path = resources_dir() / "schemas" / "report-document.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def to_document(
    report: Report,
    tpl: Template,
    history: tuple[int, str] | None = None,
    sources: Mapping[Cell, Provenance] | None = None,
) -> dict[str, Any]:
    """The report as a JSON-ready dict. Figures are keyed ``svf -> <measure>_<sex> -> value``
    in template order; cells never entered are left out. ``history``: the (row number, hash)
    of the head of the report's history chain, carried as ``history`` when given;
    ``sources``: each cell's provenance, carried as ``sources`` (issue 15, point 2)."""
    figures: dict[str, dict[str, int | float]] = {}
    for svf in tpl.svfs:
        row = {}
        for m in tpl.measures:
            for x in tpl.column_ids:
                v = report.figures.get(svf.id, m.id, x)
                if v is not None:
                    row[cell_key(m.id, x)] = v
        if row:
            figures[svf.id] = row
    causes = long_wait_cause_rows(report, tpl)
    doc: dict[str, Any] = {
        "document": DOCUMENT_KIND,
        "schema_version": LONG_WAIT_CAUSES_VERSION if causes else 1,
        "template": tpl.id,
        "year": tpl.year,
        "region": report.region_code,
        "status": str(report.status),
        "version": report.version,
        "submitted_on": report.submitted_on.isoformat() if report.submitted_on else None,
        "contact": {
            "name": report.contact.name,
            "title": report.contact.title,
            "email": report.contact.email,
            "phone": report.contact.phone,
        },
        "figures": figures,
        "prem": {
            "used": report.prem.used,
            "sent": report.prem.sent,
            "answers": report.prem.answers,
        },
        "answers": {q.id: report.answers[q.id] for q in tpl.questions if report.answers.get(q.id)},
        "finance": report.finance.to_dict(),
    }
    if history is not None:  # additive (issue 15): documents without it stay valid
        doc["history"] = {"entries": history[0], "head": history[1]}
    if causes:
        doc["long_wait_causes"] = causes
    if report.acknowledgements:  # additive (issue 15, point 5)
        doc["acknowledgements"] = [a.to_dict() for _, a in sorted(report.acknowledgements.items())]
    if report.baseline is not None:  # additive (issue 15, point 6)
        doc["baseline"] = report.baseline.to_dict()
    if sources:  # additive: documents without it stay valid
        part: dict[str, dict[str, Any]] = {}
        for svf in tpl.svfs:
            for m in tpl.measures:
                for x in tpl.column_ids:
                    p = sources.get((svf.id, m.id, x))
                    if p is not None:
                        part.setdefault(svf.id, {})[cell_key(m.id, x)] = p.to_dict()
        if part:
            doc["sources"] = part
    return doc


def document_sources(
    data: Any, tpl: Template, origin: str = "dokumentet"
) -> dict[Cell, Provenance]:
    """The provenance a (checked) document carries per cell; empty for a document without."""
    out: dict[Cell, Provenance] = {}
    part = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(part, dict):
        return out
    for svf_id, row in part.items():
        for key, d in row.items():
            ms = split_cell_key(key, tpl.measure_ids, tpl.column_ids)
            if tpl.svf(svf_id) is None or ms is None:
                raise DocumentError(f"{origin}: sources/{svf_id}/{key} är ingen cell i mallen.")
            out[(svf_id, ms[0], ms[1])] = Provenance.from_dict(d)
    return out


def history_head(data: dict[str, Any]) -> tuple[int, str] | None:
    """The (row number, hash) of the history head a document carries, None if it has none."""
    h = data.get("history")
    if isinstance(h, dict) and isinstance(h.get("entries"), int) and isinstance(h.get("head"), str):
        return h["entries"], h["head"]
    return None


def long_wait_cause_rows(report: Report, tpl: Template) -> list[dict[str, Any]]:
    """The counts per SVF and cause, in template order of the SVFs and of the causes (a cause
    the user added after the template's, by name), each with the cause's name."""
    template_causes = list(tpl.patient_list.causes) if tpl.patient_list else []
    names = {c.id: c.label for c in template_causes}
    svf_order = {s.id: i for i, s in enumerate(tpl.svfs)}
    cause_order = {c.id: i for i, c in enumerate(template_causes)}
    items = [c for c in report.long_wait_causes if c.count > 0]
    items.sort(
        key=lambda c: (
            svf_order.get(c.svf_id, len(svf_order)),
            cause_order.get(c.cause_id, len(cause_order)),
            c.label or names.get(c.cause_id, c.cause_id),
        )
    )
    return [
        {
            "svf": c.svf_id,
            "cause": c.cause_id,
            "label": c.label or names.get(c.cause_id, c.cause_id),
            "count": c.count,
        }
        for c in items
    ]


def _path(p: Any) -> str:
    parts = [str(x) for x in p]
    return "/".join(parts) if parts else "(dokumentet)"


def check_document(data: Any, origin: str = "dokumentet") -> None:
    """Raise DocumentError listing every schema violation with its place."""
    import jsonschema

    if isinstance(data, dict) and data.get("document") == DOCUMENT_KIND:
        v = data.get("schema_version")
        if isinstance(v, int) and v > SCHEMA_VERSION:
            raise DocumentError(
                f"{origin} har schemaversion {v}, men programmet kan bara läsa version "
                f"{SCHEMA_VERSION}. Uppdatera programmet."
            )
    validator = jsonschema.Draft202012Validator(document_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"  – vid {_path(e.absolute_path)}: {e.message}" for e in errors[:15]]
        more = f"\n  … och {len(errors) - 15} fel till" if len(errors) > 15 else ""
        raise DocumentError(f"{origin} följer inte dokumentformatet:\n" + "\n".join(lines) + more)


def from_document(data: Any, tpl: Template, origin: str = "dokumentet") -> Report:
    """Build a Report from a document; checks the schema and that every SVF and column
    belongs to the template. Raises DocumentError listing every problem."""
    check_document(data, origin)
    problems: list[str] = []
    if data["template"] != tpl.id or data["year"] != tpl.year:
        problems.append(f"mallen är {data['template']} ({data['year']}), väntade {tpl.id}")
    fig = Figures()
    for svf_id, row in data["figures"].items():
        svf = tpl.svf(svf_id)
        if svf is None:
            problems.append(f"figures/{svf_id}: okänt SVF-id")
            continue
        for key, value in row.items():
            ms = split_cell_key(key, tpl.measure_ids, tpl.column_ids)
            if ms is None:
                problems.append(f"figures/{svf_id}/{key}: okänd kolumn")
                continue
            fig.set(svf_id, ms[0], ms[1], value)
    for q_id in data["answers"]:
        if tpl.question(q_id) is None:
            problems.append(f"answers/{q_id}: frågan finns inte i mallen {tpl.id}")
    causes = []
    for i, item in enumerate(data.get("long_wait_causes", [])):
        if tpl.svf(item["svf"]) is None:
            problems.append(f"long_wait_causes/{i}: okänt SVF-id '{item['svf']}'")
            continue
        causes.append(LongWaitCause(item["svf"], item["cause"], item["count"], item["label"]))
    acks, baseline = _warning_parts(data, tpl, problems)
    if problems:
        raise DocumentError(
            f"{origin} passar inte mallen {tpl.id}:\n" + "\n".join(f"  – {p}" for p in problems)
        )
    c = data["contact"]
    p = data["prem"]
    return Report(
        region_code=data["region"],
        template_id=data["template"],
        status=Status(data["status"]),
        version=data["version"],
        figures=fig,
        prem=Prem(used=p["used"], sent=p["sent"], answers=p["answers"]),
        answers=dict(data["answers"]),
        contact=Contact(name=c["name"], title=c["title"], email=c["email"], phone=c["phone"]),
        finance=FinancialStatement.from_dict(data["finance"]),
        submitted_on=date.fromisoformat(data["submitted_on"]) if data["submitted_on"] else None,
        long_wait_causes=tuple(causes),
        acknowledgements=acks,
        baseline=baseline,
    )


def _warning_parts(
    data: dict[str, Any], tpl: Template, problems: list[str]
) -> tuple[dict[str, Acknowledgement], Baseline | None]:
    """The justified warnings and the baseline a (checked) document carries."""
    acks = {}
    for item in data.get("acknowledgements", []):
        a = Acknowledgement.from_dict(item)
        acks[a.key] = a
    baseline = None
    if "baseline" in data:
        b = data["baseline"]
        if b["region"] != data["region"] or b["year"] != tpl.year - 1:
            problems.append(
                f"baseline: fjolårets siffror gäller region {b['region']} {b['year']}, "
                f"inte {data['region']} {tpl.year - 1}"
            )
        try:
            baseline = Baseline.from_dict(b, tpl.measure_ids, tpl.column_ids)
        except ValueError as exc:
            problems.append(str(exc))
    return acks, baseline
