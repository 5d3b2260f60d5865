"""Whether a report is locked and whether the finance chief's certification still holds for
its current financial figures, for the screens and for ``certification_status``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import UserError
from desktop_app.domain.finance import ALT_CORRECT, Certification
from desktop_app.domain.report import Report, Status
from desktop_app.domain.vocabulary import VOID_REASON_KEY, CertificationState
from desktop_app.services.bootstrap import AppContext
from desktop_app.services.pdf_files import read_pdf
from desktop_app.services.reports import _load
from desktop_app.services.verification import verify_bytes

# Old names of the certification states, kept as aliases of the vocabulary's members.
CERT_NONE = CertificationState.NONE
CERT_VALID = CertificationState.VALID
CERT_VOID = CertificationState.VOID


@dataclass(frozen=True)
class CertificationStatus:
    """The state of the certification, a Swedish sentence about it, and the certification."""

    state: CertificationState
    message: str
    certification: Certification | None = None


def judge_certification(
    cert: Certification | None, report: Report, void_reason: str | None
) -> CertificationStatus:
    """Whether ``cert`` holds for ``report``: none without one; void when the report was
    unlocked (``void_reason``) or its financial figures are not those certified."""
    if cert is None:
        return CertificationStatus(
            CertificationState.NONE, "Den ekonomiska redovisningen är inte intygad."
        )
    who = f"{cert.name} ({cert.title}), {cert.certified_on.isoformat()}"
    if void_reason:
        return CertificationStatus(
            CertificationState.VOID,
            f"Intygandet av {who} är ogiltigt: {void_reason} Ett nytt intygande behövs.",
            cert,
        )
    if not cert.matches(report.finance):
        return CertificationStatus(
            CertificationState.VOID,
            f"Intygandet av {who} är ogiltigt: de ekonomiska uppgifterna har ändrats efter "
            "intygandet. Ett nytt intygande behövs.",
            cert,
        )
    alt = "Alt 1 – korrekt" if cert.alternative == ALT_CORRECT else "Alt 2 – inte korrekt"
    return CertificationStatus(CertificationState.VALID, f"Intygad av {who}: {alt}.", cert)


def _judge_stored(stored: dict[str, Any] | None, report: Report) -> CertificationStatus:
    """The certification recorded at import (with its void reason once unlocked)."""
    if not stored:
        return judge_certification(None, report, None)
    return judge_certification(Certification.from_dict(stored), report, stored.get(VOID_REASON_KEY))


def certification_status(
    ctx: AppContext, report_id: int, pdf: Path | str | None = None
) -> CertificationStatus:
    """Whether the finance chief's certification holds for the report's current financial
    figures: the one recorded at import, or with ``pdf`` the one in that file. 'void' when
    the figures changed after the certification or the report was unlocked."""
    with ctx.uow() as uow:
        report = _load(uow, report_id)
        record = uow.reports.signing(report_id)
    if pdf is None:
        return _judge_stored(record.certification, report)
    v = verify_bytes(read_pdf(Path(pdf)), str(pdf), today=ctx.today())
    if v.region_code is not None and (
        v.region_code != report.region_code or v.template_id != report.template_id
    ):
        raise UserError(
            f"{Path(pdf).name} gäller {v.region_name} {v.year}, inte den här redovisningen."
        )
    return judge_certification(v.certification, report, None)


@dataclass(frozen=True)
class SigningState:
    """For the screens: lock, status, certification and the recorded signatures."""

    locked: bool
    status: Status
    version: int
    certification: CertificationStatus
    signatures: list[dict[str, Any]]
    source_file: str | None


def signing_state(ctx: AppContext, report_id: int) -> SigningState:
    """The report's lock, status and version, whether its certification holds, and the
    signatures recorded when the signed file was imported."""
    with ctx.uow() as uow:
        report = _load(uow, report_id)
        record = uow.reports.signing(report_id)
    sigs = record.signatures or {}
    return SigningState(
        locked=record.locked,
        status=report.status,
        version=report.version,
        certification=_judge_stored(record.certification, report),
        signatures=list(sigs.get("signatures", [])),
        source_file=sigs.get("file"),
    )
