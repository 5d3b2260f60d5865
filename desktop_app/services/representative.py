"""The authorised representative's signature (Bilaga 2, point 5), added incrementally after
the finance chief's certification so that the certification stays valid."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from desktop_app.domain.finance import ALT_CORRECT, alternative_label
from desktop_app.domain.rules import fmt_date
from desktop_app.domain.vocabulary import Role
from desktop_app.services.pdf_files import NotReadyError, fmt_time, local_now, read_pdf, write_pdf


@dataclass(frozen=True)
class ChiefChoice:
    """What the finance chief certified, as the representative must know it before signing:
    the alternative, who and when, the deviation and actions of Alt 2, and whether the
    certification still matches the file's financial figures."""

    alternative: int | None  # None: the file holds no readable certification
    heading: str  # "Alt 2 – inte korrekt"
    wording: str  # the form's wording with the finance chief's name
    who: str  # "Eva Ekonom, Ekonomidirektör, intygade 2024-09-01"
    deviations: str = ""
    actions: str = ""
    matches: bool | None = None

    @property
    def correct(self) -> bool:
        return self.alternative == ALT_CORRECT


def chief_choice(summary: Any) -> ChiefChoice:
    """The finance chief's choice in ``summary`` (a services.verification.PdfSummary)."""
    cert = summary.verification.certification
    if cert is None:
        return ChiefChoice(
            None,
            "Inget intygande",
            "Filen har inget intygande av ekonomichefen att läsa.",
            "",
        )
    who = ", ".join(p for p in (cert.name, cert.title) if p)
    return ChiefChoice(
        alternative=cert.alternative,
        heading=alternative_label(cert.alternative),
        wording=cert.alternative_text,
        who=f"{who}, intygade {fmt_date(cert.certified_on)}",
        deviations=cert.deviations,
        actions=cert.actions,
        matches=summary.verification.certification_matches,
    )


def _check_ready(data: bytes) -> tuple[float, float]:
    """The size of the representative's empty field; NotReadyError when the file is not a
    valid certified file waiting for this signature."""
    from desktop_app.signing import inspect_pdf
    from desktop_app.signing.sign import signature_field_sizes
    from desktop_app.signing.verify import REPRESENTATIVE_FIELD

    inspection = inspect_pdf(data)
    certs = [s for s in inspection.signatures if s.role == Role.CERTIFICATION]
    if not certs:
        raise NotReadyError(
            "Filen är inte intygad av ekonomichefen. Den behöriga företrädaren skriver under "
            "efter ekonomichefens intygande."
        )
    if not all(c.ok for c in certs) or inspection.changed_after_last_signature:
        raise NotReadyError(
            "Ekonomichefens intygande i filen är inte giltigt (filen har ändrats efter "
            "intygandet). Skriv inte under; be om en ny intygad fil."
        )
    if any(s.role == Role.REPRESENTATIVE for s in inspection.signatures):
        raise NotReadyError("Filen är redan underskriven av en behörig företrädare.")
    sizes = signature_field_sizes(data)
    if REPRESENTATIVE_FIELD not in sizes:
        raise NotReadyError("Filen saknar fältet för den behöriga företrädarens underskrift.")
    return sizes[REPRESENTATIVE_FIELD]


def _appearance(
    size: tuple[float, float], signer: Any, name: str, today: date, now: datetime
) -> bytes:
    """The three columns of point 5: the date, the electronic signature, the printed name."""
    from desktop_app.exchange.pdf import (
        REPRESENTATIVE_COLUMNS,
        cumulative_shares,
        render_appearance,
    )

    shares = cumulative_shares(REPRESENTATIVE_COLUMNS)
    return render_appearance(
        size[0],
        size[1],
        [
            (shares[0], [(today.isoformat(), True)]),
            (
                shares[1],
                [
                    (f"Elektroniskt undertecknad {fmt_time(now)} av", False),
                    (signer.subject_name, True),
                ],
            ),
            (shares[2], [(name, True)]),
        ],
    )


def sign_report_pdf(
    data: bytes, signer: Any, name: str, today: date, now: datetime | None = None
) -> bytes:
    """The authorised representative's signature, added incrementally after the
    certification: the pre-placed field of point 5 gets the date, the signer and the name in
    clear text (its appearance) and the signature. The certification stays valid."""
    from desktop_app.signing import SignatureMeta, sign_pdf
    from desktop_app.signing.verify import REPRESENTATIVE_FIELD

    name = name.strip()
    if not name:
        raise NotReadyError("Ange den behöriga företrädarens namn (namnförtydligande).")
    size = _check_ready(data)
    meta = SignatureMeta(
        field_name=REPRESENTATIVE_FIELD,
        reason=f"Behörig företrädare: {name} intygar att lämnade uppgifter är riktiga",
        name=name,
        appearance=_appearance(size, signer, name, today, now or local_now()),
    )
    return sign_pdf(data, signer, meta)


def sign_file(in_path: Path, out_path: Path, signer: Any, name: str, today: date) -> Path:
    """``sign_report_pdf`` from file to file."""
    write_pdf(out_path, sign_report_pdf(read_pdf(in_path), signer, name, today))
    return out_path
