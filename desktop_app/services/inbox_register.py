"""Reports that came to the RCC in another form (issue 11, point 5): a region that does not use
this application sends a PDF or Word file in the RCC's template. The RCC officer registers it:
the file is kept in the inbox (in the database, at most domain.limits.REGISTERED_FILE_MAX_BYTES),
with its arrival date, the evidence of the criteria (domain.registered) and, optionally, the
figures from a workbook in the import format. Who registered it, when and why is logged.

A registered report is counted and marked "registrerad av RCC" wherever it shows. It never
silently replaces the region's own report: registering is refused while a file from the region
is counted (refuse that file by a decision first), and a file from the region that is counted
later supersedes the registered report (services.inbox_import.settle_region)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import UserError
from desktop_app.domain.limits import REGISTERED_FILE_MAX_BYTES
from desktop_app.domain.registered import (
    REGISTRATION_KEY,
    UROLOGY_QUESTION,
    RegistrationEvidence,
)
from desktop_app.domain.rules import fmt_date
from desktop_app.domain.vocabulary import InboxEvent, InboxStatus
from desktop_app.services.bootstrap import AppContext
from desktop_app.services.inbox_entries import COUNTED, InboxEntry, entry_from_record
from desktop_app.storage.inbox_repository import InboxRecord

# The kinds of file a region's own report may come as, by their first bytes.
FILE_KINDS: dict[str, tuple[bytes, str, str]] = {
    ".pdf": (b"%PDF-", "PDF-fil", "application/pdf"),
    ".docx": (
        b"PK\x03\x04",
        "Word-fil",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ".doc": (b"\xd0\xcf\x11\xe0", "Word-fil", "application/msword"),
}
# The fields of a registration, for messages per field (the dialog shows them beside each).
FIELDS = (
    "region",
    "file",
    "received_on",
    "included",
    "expected",
    "prem_used",
    "urology_answered",
    "figures",
    "reason",
)


class RegistrationError(UserError):
    """What is wrong with a registration, per field (``fields``: field -> Swedish message)."""

    def __init__(self, fields: dict[str, str]) -> None:
        self.fields = dict(fields)
        super().__init__("\n".join(fields[f] for f in FIELDS if f in fields))


@dataclass(frozen=True)
class Registration:
    """What the RCC officer enters (the values as typed; ``check_registration`` judges them)."""

    region: str
    year: int
    file: Path | None
    received_on: date | None
    included: int | str | None
    expected: int | str | None
    prem_used: bool | None
    urology_answered: bool | None
    reason: str
    figures: Path | None = None


def is_registered(rec: InboxRecord) -> bool:
    """Whether a stored record is a report registered by the RCC."""
    return bool(rec.verification.get(REGISTRATION_KEY))


def _count(value: int | str | None, what: str) -> tuple[int | None, str | None]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, f"Ange {what}."
    text = str(value).strip().replace(" ", "").replace("\u00a0", "")
    if isinstance(value, bool) or not text.isdigit():
        return (
            None,
            f"{what[:1].upper()}{what[1:]} ska vara ett heltal, 0 eller större (inte '{value}').",
        )
    return int(text), None


def _read_file(path: Path | None, problems: dict[str, str]) -> tuple[bytes, str] | None:
    """The file's bytes and its kind's suffix, or None with the problem under ``file``."""
    if path is None or not str(path).strip():
        problems["file"] = "Välj regionens redovisning (PDF- eller Word-fil)."
        return None
    suffix = path.suffix.lower()
    if suffix not in FILE_KINDS:
        problems["file"] = f"{path.name} är varken en PDF- eller en Word-fil (.pdf, .docx, .doc)."
        return None
    try:
        size = path.stat().st_size
        if size > REGISTERED_FILE_MAX_BYTES:
            mb = REGISTERED_FILE_MAX_BYTES // (1024 * 1024)
            problems["file"] = (
                f"{path.name} är för stor ({size // (1024 * 1024)} MB, högst {mb} MB)."
            )
            return None
        data = path.read_bytes()
    except OSError as exc:
        problems["file"] = f"Filen {path} kan inte läsas: {exc.strerror or 'okänt fel'}."
        return None
    magic, kind, _mime = FILE_KINDS[suffix]
    if not data.startswith(magic):
        problems["file"] = f"{path.name} är inte en giltig {kind} (innehållet stämmer inte)."
        return None
    return data, suffix


def _read_figures(reg: Registration, tpl: Any, code: str, problems: dict[str, str]) -> Any:
    from desktop_app.exchange.excel import read_import_file

    if reg.figures is None:
        return None
    try:
        return read_import_file(Path(reg.figures), tpl, code)
    except UserError as exc:
        problems["figures"] = f"Siffrorna kan inte läsas: {exc}"
        return None


def check_registration(
    ctx: AppContext, reg: Registration
) -> tuple[str, Any, bytes, str, RegistrationEvidence, Any, str]:
    """Judge what was entered: (region code, template, file bytes, file suffix, evidence,
    figures read or None, reason). RegistrationError with a Swedish message per field."""
    from desktop_app.domain.reference import load_reference, normalize_region_code
    from desktop_app.domain.template import template_for_year

    problems: dict[str, str] = {}
    code = ""
    try:
        code = normalize_region_code(reg.region)
        load_reference().region(code)
    except UserError as exc:
        code = ""

        problems["region"] = str(exc)
    try:
        tpl = template_for_year(reg.year)
    except UserError as exc:
        raise RegistrationError({"region": str(exc)}) from None
    got = _read_file(reg.file, problems)
    if reg.received_on is None:
        problems["received_on"] = "Ange dagen redovisningen kom in till RCC (ÅÅÅÅ-MM-DD)."
    elif reg.received_on > ctx.today():
        problems["received_on"] = (
            f"Mottagningsdagen {fmt_date(reg.received_on)} ligger i framtiden."
        )
    elif reg.received_on.year < reg.year:
        problems["received_on"] = (
            f"Mottagningsdagen {fmt_date(reg.received_on)} ligger före redovisningsåret {reg.year}."
        )
    included, why = _count(reg.included, "antalet inkluderade i SVF (täljaren)")
    if why:
        problems["included"] = why
    expected, why = _count(reg.expected, "beräkningsunderlaget (nämnaren)")
    if why:
        problems["expected"] = why
    elif expected == 0:
        problems["expected"] = "Beräkningsunderlaget (nämnaren) måste vara större än 0."
    if reg.prem_used is None:
        problems["prem_used"] = "Ange om regionen använder PREM (ja eller nej)."
    if reg.urology_answered is None:
        problems["urology_answered"] = "Ange om frågan om urologin är besvarad (ja eller nej)."
    why_text = " ".join((reg.reason or "").split())
    if not why_text:
        problems["reason"] = "Ange ett skäl till registreringen (loggas)."
    elif len(why_text) > 500:
        problems["reason"] = "Skälet är för långt (högst 500 tecken)."
    figures = _read_figures(reg, tpl, code, problems) if code else None
    if problems:
        raise RegistrationError(problems)
    assert got is not None and included is not None and expected is not None
    evidence = RegistrationEvidence(
        included, expected, bool(reg.prem_used), bool(reg.urology_answered)
    )
    return code, tpl, got[0], got[1], evidence, figures, why_text


def _document(code: str, tpl: Any, ev: RegistrationEvidence, figures: Any, file_name: str) -> str:
    """The report document kept with the registration: the figures (if given), PREM and the
    urology answer as registered; the compilation reads it like any received report."""
    import json

    from desktop_app.domain.document import to_document
    from desktop_app.domain.figures import Figures
    from desktop_app.domain.report import Prem, Report

    fig = Figures()
    prem = Prem(used=ev.prem_used)
    if figures is not None:
        for (s, m, x), v in figures.figures.items():
            fig.set(s, m, x, v)
        prem = Prem(used=ev.prem_used, sent=figures.prem_sent, answers=figures.prem_answers)
    answers = {}
    if ev.urology_answered and tpl.question(UROLOGY_QUESTION) is not None:
        answers[UROLOGY_QUESTION] = f"Besvarad i regionens egen redovisning ({file_name})."
    report = Report(region_code=code, template_id=tpl.id, figures=fig, prem=prem, answers=answers)
    return json.dumps(to_document(report, tpl), ensure_ascii=False, indent=2) + "\n"


def _counted_own_file(uow: Any, year: int, code: str) -> InboxRecord | None:
    from desktop_app.services.inbox_import import STORE_SCOPE

    return next(
        (
            r
            for r in uow.inbox.entries(None, year, code)
            if r.scope == STORE_SCOPE and r.status in COUNTED and not is_registered(r)
        ),
        None,
    )


def _remark(who: str, when: datetime, kind: str, reason: str) -> str:
    return f"Registrerad av RCC ({who} {when:%Y-%m-%d %H:%M}, kom in som {kind}): {reason}"


def register_report(ctx: AppContext, reg: Registration) -> InboxEntry:
    """Register a report that came in another form (see the module docstring); logged with
    the OS user, the time and the reason. RegistrationError per field; UserError when the
    region's own file is counted or the same file is already in the inbox."""
    from desktop_app.domain.reference import load_reference
    from desktop_app.services.inbox_import import STORE_SCOPE, judge, settle_region
    from desktop_app.services.signers import os_user

    code, tpl, data, suffix, ev, figures, why = check_registration(ctx, reg)
    assert reg.file is not None and reg.received_on is not None
    sha = hashlib.sha256(data).hexdigest()
    region = load_reference().region(code)
    who, now = os_user(), datetime.now().replace(microsecond=0)
    kind = FILE_KINDS[suffix][1]
    with ctx.uow() as uow:
        own = _counted_own_file(uow, reg.year, code)
        if own is not None:
            raise RegistrationError(
                {
                    "region": (
                        f"{region.name} har redan en räknad redovisning från regionen själv (id "
                        f"{own.id}, {own.file_name}). En registrerad redovisning ersätter den "
                        f"inte: avvisa den först med ett beslut (Beslut… eller svf-report inbox "
                        f"decide {own.id} --refuse --reason …) om den registrerade ska gälla."
                    )
                }
            )
        same = uow.inbox.find(STORE_SCOPE, reg.year, sha)
        if same is not None:
            raise RegistrationError(
                {"file": f"Samma fil finns redan i inkorgen (id {same.id}, {same.file_name})."}
            )
        document = _document(code, tpl, ev, figures, reg.file.name)
        registration = {
            **ev.to_dict(),
            "by": who,
            "at": now.isoformat(),
            "reason": why,
            "kind": suffix.lstrip("."),
            "figures": bool(figures is not None and len(figures.figures)),
        }
        rec = InboxRecord(
            scope=STORE_SCOPE,
            year=reg.year,
            sha256=sha,
            file_name=reg.file.name,
            source_path=str(reg.file),
            received_at=now,
            received_on=reg.received_on,
            status=InboxStatus.ACCEPTED_WITH_REMARKS,
            region_code=code,
            report_year=reg.year,
            template_id=tpl.id,
            document_sha256=hashlib.sha256(document.encode("utf-8")).hexdigest(),
            document_json=document,
            verification={REGISTRATION_KEY: registration, "pending": []},
            remarks=[_remark(who, now, kind, why)],
        )
        judge(uow, rec, ctx.today())
        uow.inbox.add_file(sha, data)
        entry_id = uow.inbox.add(rec)
        value = f"{code}:{reg.year}:{reg.file.name}:{sha[:16]}"
        uow.inbox.log(entry_id, str(InboxEvent.REGISTERED), value, why, who, now)
        settle_region(uow, reg.year, code)
        uow.commit()
        fresh = uow.inbox.get(entry_id)
    assert fresh is not None
    return entry_from_record(fresh)


def registered_file(ctx: AppContext, entry_id: int) -> tuple[str, bytes]:
    """(file name, bytes) of a registered report's file, exactly as it was attached."""
    from desktop_app.services.inbox_queries import entry_file, get_entry

    entry = get_entry(ctx, entry_id)
    return entry.file_name, entry_file(ctx, entry_id)


def copy_out(ctx: AppContext, entry_id: int, folder: Path) -> Path:
    """Write a received or registered file, exactly as it came, into ``folder`` (e.g. to open
    it); returns its path. UserError when there is no such file or it cannot be written."""
    name, data = registered_file(ctx, entry_id)
    out = Path(folder) / Path(name).name
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise UserError(f"Filen {out} kan inte skrivas: {exc.strerror or 'okänt fel'}.") from None
    return out


def mime_type(file_name: str) -> str:
    """The MIME type of a registered file, by its suffix."""
    kind = FILE_KINDS.get(Path(file_name).suffix.lower())
    return kind[2] if kind else "application/octet-stream"


def parse_yes_no(text: str | None) -> bool | None:
    """ "ja"/"nej" (also "j"/"n", "yes"/"no") as a bool; None for anything else."""
    t = (text or "").strip().casefold()
    if t in ("ja", "j", "yes", "y"):
        return True
    if t in ("nej", "n", "no"):
        return False
    return None


__all__ = [
    "FIELDS",
    "FILE_KINDS",
    "Registration",
    "RegistrationError",
    "check_registration",
    "copy_out",
    "is_registered",
    "mime_type",
    "parse_yes_no",
    "register_report",
    "registered_file",
]
