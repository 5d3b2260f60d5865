"""A report's history (issue 15, point 4): every change as a row with when, who, what (kind and
path), old → new, the value's source and the reason, each row hash-chained to the one before.

A row's hash is SHA-256 over its canonical serialisation (``canonical``): a JSON object with
sorted keys, no spaces, UTF-8, holding every field of the row and the previous row's hash. The
first row of a report links to ``GENESIS_PREV``. Changing, deleting or reordering a stored row
breaks the chain, and ``verify_chain`` names the first row where it breaks.

Paths are those of the report document and of ``domain.diff``: ``figures/<svf>/<measure>_<sex>``,
``answers/<question>``, ``prem/<field>``, ``contact/<field>``, ``finance/<field>`` (a cost
item: ``finance/costs/<i>/<label|amount>``), ``status``, ``version``, ``submitted_on``, plus
``locked`` (not in the document), ``document`` (an export's document hash) and ``receipt``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from desktop_app.domain.diff import (
    _CONTACT_FIELDS,
    _FINANCE_LABELS,
    _PREM_FIELDS,
    _REPORT_FIELDS,
    ANSWER,
    CONTACT,
    FIGURE,
    FINANCE,
    PREM,
    REPORT,
    Difference,
    diff_documents,
)
from desktop_app.domain.figures import split_cell_key
from desktop_app.domain.template import Template
from desktop_app.domain.vocabulary import HistoryKind, ReceiptKind

GENESIS_PREV = "0" * 64
# Rows that record what happened to the report's document rather than a change of it: the head
# the document carries is the newest row of any other kind, so exporting (which appends a row
# naming the document's hash) leaves ``dump`` and the exported document equal.
DOCUMENT_NEUTRAL = frozenset({HistoryKind.EXPORT, HistoryKind.RECEIPT})


@dataclass(frozen=True)
class Change:
    """One value changed: where (a document path) and from what to what (JSON values)."""

    path: str
    old: Any
    new: Any


@dataclass(frozen=True)
class HistoryEntry:
    """One stored row of a report's history."""

    report_id: int
    seq: int
    at: datetime
    who: str
    kind: str
    path: str
    old: Any
    new: Any
    source: str | None
    reason: str | None
    note: str
    prev_hash: str
    hash: str

    def canonical(self) -> bytes:
        return canonical(self.fields())

    def fields(self) -> dict[str, Any]:
        """Every hashed field (not the row's own hash)."""
        return {
            "report": self.report_id,
            "seq": self.seq,
            "at": self.at.isoformat(timespec="seconds"),
            "who": self.who,
            "kind": self.kind,
            "path": self.path,
            "old": self.old,
            "new": self.new,
            "source": self.source,
            "reason": self.reason,
            "note": self.note,
            "prev": self.prev_hash,
        }

    def computed_hash(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()


def canonical(fields: dict[str, Any]) -> bytes:
    """The canonical serialisation that is hashed: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def chain(
    report_id: int,
    prev_seq: int,
    prev_hash: str,
    at: datetime,
    who: str,
    kind: str,
    changes: Sequence[Change],
    source: str | None,
    reason: str | None,
    note: str,
) -> list[HistoryEntry]:
    """The rows for ``changes``, numbered and linked after (prev_seq, prev_hash)."""
    out: list[HistoryEntry] = []
    for c in changes:
        draft = HistoryEntry(
            report_id, prev_seq + 1, at.replace(microsecond=0), who, str(kind), c.path,
            c.old, c.new, source, reason, note, prev_hash, "",
        )  # fmt: skip
        entry = HistoryEntry(**{**draft.__dict__, "hash": draft.computed_hash()})
        out.append(entry)
        prev_seq, prev_hash = entry.seq, entry.hash
    return out


@dataclass(frozen=True)
class ChainBreak:
    """The first place where a report's chain does not hold."""

    report_id: int
    seq: int | None
    at: datetime | None
    problem: str  # Swedish


def verify_chain(
    report_id: int, entries: Iterable[HistoryEntry], head: tuple[int, str] | None
) -> ChainBreak | None:
    """Check one report's rows (any order; they are taken by ``seq``) against their hashes,
    their links and the stored head (the newest row's number and hash)."""
    rows = sorted(entries, key=lambda e: e.seq)
    prev_hash, expected_seq = GENESIS_PREV, 1
    for e in rows:
        if e.seq != expected_seq:
            what = "saknas" if e.seq > expected_seq else "förekommer två gånger"
            return ChainBreak(
                report_id, expected_seq, e.at, f"rad {expected_seq} {what} (rader har tagits bort "
                "eller flyttats)",
            )  # fmt: skip
        if e.computed_hash() != e.hash:
            return ChainBreak(
                report_id, e.seq, e.at,
                f"rad {e.seq} stämmer inte med sin kontrollsumma (raden har ändrats)",
            )  # fmt: skip
        if e.prev_hash != prev_hash:
            return ChainBreak(
                report_id, e.seq, e.at,
                f"rad {e.seq} pekar inte på rad {e.seq - 1} (en rad före den har ändrats, "
                "tagits bort eller flyttats)",
            )  # fmt: skip
        prev_hash, expected_seq = e.hash, e.seq + 1
    last_seq = expected_seq - 1
    if head is None:
        if rows:
            return ChainBreak(report_id, None, None, "kedjans huvud saknas")
        return None
    if head[0] != last_seq:
        at = rows[-1].at if rows else None
        return ChainBreak(
            report_id, last_seq + 1 if head[0] > last_seq else head[0], at,
            f"historiken har {last_seq} rader men kedjans huvud säger {head[0]} (de sista raderna "
            "har tagits bort eller lagts till)",
        )  # fmt: skip
    if head[1] != prev_hash:
        return ChainBreak(
            report_id, last_seq, rows[-1].at if rows else None,
            f"rad {last_seq} är inte kedjans huvud (raden har bytts ut)",
        )  # fmt: skip
    return None


def document_changes(
    old_doc: dict[str, Any], new_doc: dict[str, Any], tpl: Template
) -> list[Change]:
    """The changes between two report documents, or two parts of one (``{"prem": {...}}``)."""
    return [Change(d.key, d.old, d.new) for d in diff_documents(old_doc, new_doc, tpl)]


_PARTS = {
    "figures": FIGURE,
    "answers": ANSWER,
    "prem": PREM,
    "contact": CONTACT,
    "finance": FINANCE,
}
_OTHER_LABELS = {
    "locked": "Låst för ändringar",
    "document": "Exporterat dokument (kontrollsumma)",
    "receipt": "Kvittens",
    "baseline": "jämförs med",
    "": "Redovisningen",
}


def _figure_label(rest: str, tpl: Template) -> str:
    svf_id, _, key = rest.partition("/")
    svf = tpl.svf(svf_id)
    ms = split_cell_key(key, tpl.measure_ids, tpl.column_ids)
    m = tpl.measure(ms[0]) if ms else None
    x = tpl.sex(ms[1]) if ms else None
    return (
        f"{svf.name if svf else svf_id}, {x.label.lower() if x else key}: {m.label if m else key}"
    )


def path_label(path: str, tpl: Template) -> str:
    """Where a path is, in Swedish (``Lunga, kvinnor: Inkluderade``)."""
    part, _, rest = path.partition("/")
    if part == "figures":
        return _figure_label(rest, tpl)
    if part == "answers":
        q = tpl.question(rest)
        return q.title if q else rest
    if part == "acknowledgements":
        # rest is a finding's key, rule:svf:sex:measure:field
        _, svf_id, sex, measure, field = (rest.split(":", 4) + [""] * 4)[:5]
        return place_label(svf_id, sex, measure, field, tpl) or rest
    if part == "finance" and rest.startswith("costs/"):
        _, i, key = rest.split("/", 2) if rest.count("/") == 2 else (rest, "0", "")
        what = {"label": "benämning", "amount": "belopp"}.get(key, key)
        return f"Kostnadspost {int(i) + 1 if i.isdigit() else i}: {what}".rstrip(": ")
    if part == "finance" and rest == "costs":
        return "Kostnadsposter"
    tables = {"prem": _PREM_FIELDS, "contact": _CONTACT_FIELDS, "finance": _FINANCE_LABELS.items()}
    for key, label in tables.get(part, ()):
        if key == rest:
            return label
    for key, label in _REPORT_FIELDS:
        if key == path:
            return label
    return _OTHER_LABELS.get(path, path)


def place_label(
    svf: str | None, sex: str | None, measure: str | None, field: str | None, tpl: Template
) -> str:
    """Where a finding points, in Swedish: a figure cell (``Lungcancer, kvinnor:
    Inkluderade``) or a named field (``finance.received`` → its label); "" for neither."""
    if svf and measure and sex:
        return _figure_label(f"{svf}/{measure}_{sex}", tpl)
    return path_label(field.replace(".", "/"), tpl) if field else ""


def value_texts(path: str, old: Any, new: Any) -> tuple[str, str]:
    """The old and new value in Swedish, as ``domain.diff`` writes them."""
    part = path.partition("/")[0]
    if path == "receipt":
        from desktop_app.domain.vocabulary import label

        return (
            label(old, ReceiptKind) if old else "(tom)",
            label(new, ReceiptKind) if new else "(tom)",
        )
    d = Difference(_PARTS.get(part, REPORT), path, "", old, new, field=path.rsplit("/", 1)[-1])
    return d.old_text, d.new_text
