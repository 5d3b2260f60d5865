"""One package to Socialstyrelsen (issue 11.7; agreement 2024, 4.2 and 5.3: the RCC sends all
its regions' reports together by 30 September): the RCC's signed compilation PDF carrying
every counted region's signed PDF byte for byte as attached files, the compilation's JSON,
a manifest naming each attached report with its checksum, and per narrative question every
region's answer side by side."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import UserError
from desktop_app.services.bootstrap import AppContext
from desktop_app.services.pdf_files import sha256_hex
from desktop_app.services.receipts import COUNTED

PACKAGE_MANIFEST = "svf-paket.json"
PACKAGE_KIND = "svf-redovisning/package"
REGION_FILE_PREFIX = "region-"


@dataclass(frozen=True)
class PackageExport:
    path: Path
    pages: int
    size: int
    reports: tuple[str, ...]  # the attached region PDFs' names
    signed: bool


def region_file_name(code: str, year: int, version: int | None) -> str:
    """The attachment's name of a region's signed report inside the package."""
    return f"{REGION_FILE_PREFIX}{code}-{year}-v{version or 0}.pdf"


def registered_file_name(code: str, year: int, file_name: str) -> str:
    """The attachment's name of a report the RCC registered (issue 11.5), with its suffix."""
    suffix = Path(file_name).suffix.lower() or ".bin"
    return f"{REGION_FILE_PREFIX}{code}-{year}-registrerad-av-rcc{suffix}"


def _counted(result: Any) -> list[Any]:
    return [r for r in result.regions if r.entry is not None and r.entry.status in COUNTED]


def _left_out(result: Any) -> list[Any]:
    from desktop_app.exchange.package_pdf import LeftOut

    counted = {r.code for r in _counted(result)}
    return [
        LeftOut(f"{r.name} ({r.code})", r.status_label, r.reason or "–")
        for r in result.regions
        if r.code not in counted
    ]


def _narrative(result: Any) -> list[Any]:
    from desktop_app.exchange.package_pdf import NarrativeQuestion

    out = []
    counted = _counted(result)
    for q in result.tpl.questions:
        if q.type != "text":
            continue
        answers = []
        for r in counted:
            report = result.reports.get(r.code)
            text = (report.answers.get(q.id, "") if report else "").strip()
            if r.entry.registered_by_rcc:
                text = (
                    f"{text} " if text else ""
                ) + f"(Registrerad av RCC: se regionens egen redovisning {r.entry.file_name}.)"
            answers.append((r.name, text))
        out.append(NarrativeQuestion(q.title, q.question, answers))
    return out


def package_parts(
    ctx: AppContext, result: Any, preview: bool = False
) -> tuple[list[object], list[Any], list[str]]:
    """The extra pages, the attachments (region PDFs and the manifest) and the names of the
    attached region files, for ``result`` (a compilation of ``compile_scope``)."""
    from desktop_app.exchange.package_pdf import (
        AttachedReport,
        attached_reports_section,
        left_out_section,
        narrative_section,
    )
    from desktop_app.services.inbox import entry_file
    from desktop_app.services.inbox_register import mime_type
    from desktop_app.signing import Attachment

    attachments: list[Any] = []
    listed: list[AttachedReport] = []
    manifest: list[dict[str, Any]] = []
    for r in _counted(result):
        e = r.entry
        data = entry_file(ctx, e)
        if e.registered_by_rcc:
            name = registered_file_name(r.code, result.year, e.file_name)
            what = f"{r.name}: redovisning {result.year} registrerad av RCC ({e.file_name})"
            mime = mime_type(e.file_name)
        else:
            name = region_file_name(r.code, result.year, e.report_version)
            what = f"{r.name}: underskriven redovisning {result.year}, version {e.report_version}"
            mime = "application/pdf"
        attachments.append(Attachment(name, data, what, mime_type=mime))
        listed.append(
            AttachedReport(name, r.name, e.report_version, e.status_label, sha256_hex(data))
        )
        manifest.append(
            {
                "file": name,
                "region": r.code,
                "region_name": r.name,
                "version": e.report_version,
                "status": str(e.status),
                "received_file": e.file_name,
                "sha256": sha256_hex(data),
                "registered_by_rcc": e.registered_by_rcc,
            }
        )
    doc = {
        "document": PACKAGE_KIND,
        "schema_version": 1,
        "rcc": result.scope.id,
        "rcc_name": result.scope.name,
        "year": result.year,
        "reports": manifest,
        **({"preview": True} if preview else {}),
    }
    raw = (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    attachments.append(Attachment(PACKAGE_MANIFEST, raw, f"Paketets innehåll ({PACKAGE_KIND})"))
    pages = (
        attached_reports_section(listed)
        + left_out_section(_left_out(result))
        + narrative_section(_narrative(result))
    )
    return pages, attachments, [m["file"] for m in manifest]


def export_package(
    ctx: AppContext,
    scope: str,
    year: int,
    out: Path | str,
    sign_with: Any,
    name: str | None = None,
) -> PackageExport:
    """Write the package for ``scope`` (an RCC id) and ``year``, signed by the RCC with
    ``sign_with`` (a desktop_app.signing.Signer). UserError when no report is counted."""
    from desktop_app.services.compilation import compile_scope
    from desktop_app.services.compilation_exports import export_compilation_pdf

    if sign_with is None:
        raise UserError("Paketet till Socialstyrelsen måste skrivas under av RCC.")
    result = compile_scope(ctx, scope, year)
    pages, attachments, files = package_parts(ctx, result)
    if not files:
        raise UserError(
            f"{result.scope.name} har ingen räknad redovisning för {year}; det finns inget att "
            "skicka till Socialstyrelsen."
        )
    export = export_compilation_pdf(
        ctx,
        scope,
        year,
        out,
        sign_with,
        name,
        extra_pages=pages,
        extra_attachments=attachments,
    )
    return PackageExport(export.path, export.pages, export.size, tuple(files), export.signed)


@dataclass(frozen=True)
class PackagePreview:
    """An unsigned preview of the package: what would be sent, and who is left out."""

    path: Path
    pages: int
    size: int
    reports: tuple[str, ...]  # the attached reports' names
    left_out: tuple[str, ...]  # "Region X (KOD): status – reason"
    included: tuple[str, ...] = ()  # "Region X (KOD): status (attachment)"


def preview_package(ctx: AppContext, scope: str, year: int, out: Path | str) -> PackagePreview:
    """Write an unsigned preview of the package for ``scope`` and ``year``: the same pages and
    attachments as ``export_package``, marked "Förhandsgranskning – inte underskriven" on every
    page, without the signature field. Unlike the package it may hold no report at all."""
    from desktop_app.services.compilation import compile_scope
    from desktop_app.services.compilation_exports import export_compilation_pdf

    result = compile_scope(ctx, scope, year)
    pages, attachments, files = package_parts(ctx, result, preview=True)
    export = export_compilation_pdf(
        ctx, scope, year, out, None, extra_pages=pages, extra_attachments=attachments, preview=True
    )
    left = tuple(f"{r.region_name}: {r.status_label} – {r.reason}" for r in _left_out(result))
    included = tuple(
        f"{r.name} ({r.code}): {r.entry.status_label} ({name})"
        for r, name in zip(_counted(result), files, strict=True)
    )
    return PackagePreview(export.path, export.pages, export.size, tuple(files), left, included)


__all__ = [
    "PackagePreview",
    "preview_package",
    "PACKAGE_KIND",
    "PACKAGE_MANIFEST",
    "PackageExport",
    "export_package",
    "package_parts",
    "region_file_name",
]
