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

    def to_dict(self) -> dict[str, Any]:
        return {
            "svf": self.svf,
            "measure": self.measure,
            "sex": self.sex,
            "extract": self.extract,
            "reported": self.reported,
            "reason": self.reason,
        }


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
