"""Where each figure of a report came from (issue 15, point 2), and the region's changes from
the RCC's national extract (point 3).

A cell's provenance names its source (``ValueSource``) with the file it came from. A cell that
came from the RCC's extract keeps the extract's date, hash and value for good: a later change
of the cell (typed, or from another file) is a deviation from the extract, kept with the
region's reason, and the RCC sees it in its inbox and compilation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from desktop_app.domain.figures import Cell, Number
from desktop_app.domain.vocabulary import ValueSource, label

# Longest reason kept (a short sentence or two; the PDF lists it under the SVF table).
MAX_REASON_CHARS = 500


@dataclass(frozen=True)
class Extract:
    """The RCC's national extract a value came from: its date and the file's SHA-256."""

    on: date
    sha256: str
    rcc: str = ""


@dataclass(frozen=True)
class Provenance:
    """The source of one cell's value. ``file``/``sha256``: the file it was imported from;
    ``extract``/``extract_value``: the RCC's extract and its value for the cell, if the cell
    ever came from one; ``reason``: why the region changed the extract's value."""

    source: ValueSource
    file: str = ""
    sha256: str = ""
    extract: Extract | None = None
    extract_value: Number | None = None
    reason: str | None = None

    def deviates(self, value: Number | None) -> bool:
        """Whether ``value`` differs from the extract's value for the cell."""
        return self.extract is not None and value != self.extract_value

    def after(
        self,
        value: Number | None,
        source: ValueSource,
        file: str = "",
        sha256: str = "",
        reason: str | None = None,
    ) -> Provenance:
        """This cell's provenance once ``value`` is written from ``source``: a cell of the
        extract keeps the extract; back at the extract's value it is the extract's again."""
        if self.extract is None:
            return Provenance(source, file, sha256)
        if value == self.extract_value:
            return replace(self, source=ValueSource.RCC_EXTRACT, file="", sha256="", reason=None)
        return replace(self, source=source, file=file, sha256=sha256, reason=reason or self.reason)

    def describe(self) -> str:
        """One Swedish line: the source, its file or extract, and the reason if any."""
        text = label(self.source)
        if self.source == ValueSource.RCC_EXTRACT and self.extract is not None:
            text += f" {self.extract.on.isoformat()} (SHA-256 {self.extract.sha256[:12]}…)"
        elif self.file:
            text += f": {self.file}"
        if self.extract is not None and self.source != ValueSource.RCC_EXTRACT:
            text += f"; ändrat från RCC:s värde {_fmt(self.extract_value)}"
            text += f" – {self.reason}" if self.reason else " (utan motivering)"
        return text

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"source": str(self.source)}
        if self.file:
            d["file"] = self.file
        if self.sha256:
            d["sha256"] = self.sha256
        if self.extract is not None:
            d["extract_date"] = self.extract.on.isoformat()
            d["extract_sha256"] = self.extract.sha256
            if self.extract.rcc:
                d["extract_rcc"] = self.extract.rcc
            d["extract_value"] = self.extract_value
        if self.reason:
            d["reason"] = self.reason
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Provenance:
        extract = None
        if d.get("extract_date") and d.get("extract_sha256"):
            extract = Extract(
                date.fromisoformat(d["extract_date"]), d["extract_sha256"], d.get("extract_rcc", "")
            )
        return cls(
            source=ValueSource(d["source"]),
            file=d.get("file", ""),
            sha256=d.get("sha256", ""),
            extract=extract,
            extract_value=d.get("extract_value"),
            reason=d.get("reason") or None,
        )


def _fmt(v: Number | None) -> str:
    if v is None:
        return "(tomt)"
    return str(int(v)) if float(v).is_integer() else str(v).replace(".", ",")


@dataclass(frozen=True)
class Deviation:
    """A value the region reports that differs from the RCC's extract, with its reason."""

    svf: str
    measure: str
    sex: str
    extract: Number | None
    reported: Number | None
    reason: str | None
    # Checked against the RCC's own copy of its extract: what does not match what the region
    # says the extract held ("regionen anger uttagets värde 30"), else None.
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "svf": self.svf,
            "measure": self.measure,
            "sex": self.sex,
            "extract": self.extract,
            "reported": self.reported,
            "reason": self.reason,
        }
        if self.note is not None:
            d["note"] = self.note
        return d


def deviations(
    values: Mapping[Cell, Number | None], sources: Mapping[Cell, Provenance]
) -> list[Deviation]:
    """The cells whose value differs from the RCC's extract, in a stable order."""
    out = [
        Deviation(s, m, x, p.extract_value, values.get((s, m, x)), p.reason)
        for (s, m, x), p in sorted(sources.items())
        if p.deviates(values.get((s, m, x)))
    ]
    return out


def deviations_from_own(
    values: Mapping[Cell, Number | None],
    sources: Mapping[Cell, Provenance],
    own: Mapping[Cell, Number],
    own_extract: Extract,
) -> list[Deviation]:
    """The cells whose value differs from the RCC's own copy of its extract (``own``), each
    with the region's reason, and a note where the region's document says something else of
    the extract (no source from it, another extract, another value). A cell the region says
    came from the extract that the RCC's copy has no value for is listed too, whatever its
    value: the claim itself is wrong."""
    out = []
    for cell in sorted(set(own) | {c for c, p in sources.items() if p.extract is not None}):
        reported, p = values.get(cell), sources.get(cell)
        claimed = p.extract if p is not None else None
        s, m, x = cell
        note: str | None = None
        if cell not in own:
            assert p is not None and claimed is not None
            if claimed.sha256 == own_extract.sha256:
                note = (
                    f"RCC:s uttag har inget värde här, men regionen anger {_fmt(p.extract_value)}"
                )
            else:
                note = _other_extract(claimed, own_extract)
            out.append(Deviation(s, m, x, None, reported, p.reason, note))
            continue
        rcc_value = own[cell]
        if reported == rcc_value:
            continue  # what the region says of the extract changes nothing here
        if p is None or claimed is None:
            note = "regionens dokument anger inte RCC:s uttag som källa"
        elif claimed.sha256 != own_extract.sha256:
            note = _other_extract(claimed, own_extract)
        elif p.extract_value != rcc_value:
            note = f"regionen anger uttagets värde som {_fmt(p.extract_value)}"
        out.append(Deviation(s, m, x, rcc_value, reported, p.reason if p else None, note))
    return out


def _other_extract(claimed: Extract, own: Extract) -> str:
    return (
        f"regionen anger ett datauttag som RCC inte har ({claimed.on.isoformat()}, SHA-256 "
        f"{claimed.sha256[:12]}…); jämfört med RCC:s uttag {own.on.isoformat()}"
    )


def check_reason(reason: str | None) -> str | None:
    """The reason stripped; None when empty. Raises ValueError (Swedish) when too long."""
    text = " ".join((reason or "").split())
    if len(text) > MAX_REASON_CHARS:
        raise ValueError(
            f"Motiveringen är för lång ({len(text)} tecken, högst {MAX_REASON_CHARS})."
        )
    return text or None


@dataclass
class SourceContext:
    """The source of the figures written next in a unit of work: a file's name and hash, the
    RCC's extract (for a start file), and the user's reason for changing an extract value."""

    source: ValueSource | None = None  # None: the history context's, else typed
    file: str = ""
    sha256: str = ""
    extract: Extract | None = None
    reason: str | None = None
