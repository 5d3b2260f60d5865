"""The reporting round for the tests of issue 11 (points 6-8): a region's database with its
demo reports, one report exported, certified and signed as the region does it, and an RCC's
database that received the signed file.

The inbox's trust policy (what is accepted, pending …) is tested with the inbox; these tests
are about what happens to a counted file, so ``count`` makes an entry counted at the storage
level whatever the policy decides for demo certificates."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.helpers.factories import make_ctx
from tests.helpers.signed_demo import PASSWORD, REPRESENTATIVE, SIGNED_ON, certification_request


@dataclass
class Round:
    region_ctx: Any
    rcc_ctx: Any
    report_id: int
    signed_pdf: Path
    entry_id: int
    rcc_p12: Path
    dir: Path

    def close(self) -> None:
        self.region_ctx.close()
        self.rcc_ctx.close()


def make_keys(folder: Path) -> dict[str, Path]:
    from desktop_app.signing import make_demo_certificate

    folder.mkdir(parents=True, exist_ok=True)
    return {
        "chef": make_demo_certificate("Åsa Ekonomsson", PASSWORD, folder / "chef.p12").path,
        "rep": make_demo_certificate(REPRESENTATIVE, PASSWORD, folder / "rep.p12").path,
        "rcc": make_demo_certificate("Rut RCC-handläggare", PASSWORD, folder / "rcc.p12").path,
    }


def signed_report(ctx: Any, report_id: int, keys: dict[str, Path], out: Path) -> Path:
    """Export the report from ``ctx`` and certify and sign the export."""
    from desktop_app.services.certification import certify_pdf
    from desktop_app.services.exports import export_pdf
    from desktop_app.services.representative import sign_report_pdf
    from desktop_app.signing import open_signer

    export = out.with_name(out.stem + "-export.pdf")
    export_pdf(ctx, report_id, export)
    chef = open_signer(keys["chef"], PASSWORD)
    rep = open_signer(keys["rep"], PASSWORD)
    data = certify_pdf(export.read_bytes(), chef, certification_request(), SIGNED_ON)
    out.write_bytes(sign_report_pdf(data, rep, REPRESENTATIVE, SIGNED_ON))
    return out


def count(ctx: Any, entry_id: int) -> None:
    """Make the inbox entry counted (accepted), see the module's docstring."""
    from desktop_app.domain.vocabulary import InboxStatus

    with ctx.uow() as uow:
        uow.inbox.set_status(entry_id, InboxStatus.ACCEPTED, None)
        uow.commit()


def receive(ctx: Any, scope: str, paths: list[Path]) -> list[Any]:
    from desktop_app.services.inbox import import_reports

    return import_reports(ctx, scope, paths, None, 2024)


def make_round(tmp: Path, region: str = "25", keys: dict[str, Path] | None = None) -> Round:
    """Region ``region``'s report exported, signed and received by RCC Norr, counted."""
    from desktop_app.services.demo import create_demo

    keys = keys or make_keys(tmp / "keys")
    region_ctx = make_ctx(tmp / "region.sqlite3")
    ids = create_demo(region_ctx)
    report_id = next(i for i in ids if _region_of(region_ctx, i) == region)
    signed = signed_report(region_ctx, report_id, keys, tmp / f"signerad-{region}.pdf")
    from desktop_app.services.signing import import_signed_pdf

    import_signed_pdf(region_ctx, signed)  # the coordinator reads the signed file back: locked
    rcc_ctx = make_ctx(tmp / "rcc.sqlite3")
    entries = receive(rcc_ctx, "norr", [signed])
    entry_id = entries[0].id
    count(rcc_ctx, entry_id)
    return Round(region_ctx, rcc_ctx, report_id, signed, entry_id, keys["rcc"], tmp)


def _region_of(ctx: Any, report_id: int) -> str:
    from desktop_app.services.reports import get_report

    return get_report(ctx, report_id).region_code
