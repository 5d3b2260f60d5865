"""Reading and writing the PDF files that pass between the region, the finance chief, the
representative and the RCC, and the report document embedded in them: the small helpers that
certification, signature, verification and import share."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from desktop_app.domain.errors import UserError
from desktop_app.services.exports import REPORT_ATTACHMENT


class NotReadyError(UserError):
    """The file is not in the state this step needs (e.g. signing before certification)."""

    exit_code = 1


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data`` as hex, as the certification and the import record it."""
    return hashlib.sha256(data).hexdigest()


def read_pdf(path: Path) -> bytes:
    """The bytes of ``path``; UnreadablePdfError (exit 2) when it is missing or unreadable."""
    from desktop_app.signing import UnreadablePdfError

    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise UnreadablePdfError(f"Filen {path} finns inte.") from None
    except OSError as exc:
        raise UnreadablePdfError(f"Filen {path} kan inte läsas: {exc.strerror}.") from None


def write_pdf(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``; a UserError naming the file when that fails."""
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise UserError(f"Filen {path} kan inte skrivas: {exc.strerror}.") from None


def embedded_report(data: bytes) -> bytes:
    """The report document (svf-report.json) embedded in a PDF; NotReadyError without one."""
    from desktop_app.signing import read_attachments

    files = read_attachments(data)
    if REPORT_ATTACHMENT not in files:
        raise NotReadyError(
            "Filen innehåller ingen redovisning från SVF-redovisning (den bifogade filen "
            f"{REPORT_ATTACHMENT} saknas). Exportera redovisningen på nytt."
        )
    if files[REPORT_ATTACHMENT].copies > 1:
        raise UserError(
            f"Filen har {files[REPORT_ATTACHMENT].copies} bifogade {REPORT_ATTACHMENT}. En "
            "redovisning har bara en; filen kan läsas på två sätt och kan inte intygas eller "
            "signeras. Exportera redovisningen på nytt."
        )
    return files[REPORT_ATTACHMENT].data


def local_now() -> datetime:
    """Now, in local time with its offset, to the second: the time drawn in a signature."""
    return datetime.now().astimezone().replace(microsecond=0)


def fmt_time(t: datetime) -> str:
    """A signing time as the signature's appearance shows it."""
    return t.strftime("%Y-%m-%d %H:%M")
