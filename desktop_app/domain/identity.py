"""Finding Swedish personal identity numbers (personnummer and samordningsnummer) in free text.

A report holds aggregates only; a personal identity number typed into a narrative, a contact or
finance field or a signer's name would leave the machine in the PDF, the embedded document and
the workbooks. ``find_identity_numbers`` finds them (with or without century, with or without
the hyphen or plus sign, Luhn-valid, a real date; for a samordningsnummer the day plus 60) using
python-stdnum; ``mask`` removes them from text that is logged (e.g. an import file name).

A number that only looks like one (a case number, an article number) is kept by writing
``(inte ett personnummer: <skäl>)`` right after it; the reason must not be empty."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from stdnum import luhn
from stdnum.se import personnummer

EXEMPTION = "inte ett personnummer"
MASK = "[personnummer borttaget]"

_CANDIDATE_RE = re.compile(r"(?<![\d-])((?:\d{2})?\d{6})\s?([-+]?)\s?(\d{4})(?![\d-])")
_EXEMPT_RE = re.compile(r"\s*\(\s*inte ett personnummer\s*:\s*([^)]*\S[^)]*)\)", re.IGNORECASE)


@dataclass(frozen=True)
class IdentityMatch:
    text: str  # as written
    start: int
    end: int
    coordination: bool  # a samordningsnummer


def _valid_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _is_identity_number(birth: str, serial: str) -> tuple[bool, bool]:
    """(is one, is a samordningsnummer) for the date part (6 or 8 digits) and the 4 digits."""
    ten = birth[-6:] + serial
    if not luhn.is_valid(ten):
        return False, False
    if personnummer.is_valid(ten):
        if len(birth) == 8 and not personnummer.is_valid(birth + serial):
            return False, False
        return True, False
    yy, mm, dd = int(birth[-6:-4]), int(birth[-4:-2]), int(birth[-2:])
    years = [int(birth[:4])] if len(birth) == 8 else [1900 + yy, 2000 + yy]
    if dd > 60 and any(_valid_date(y, mm, dd - 60) for y in years):
        return True, True
    return False, False


def find_identity_numbers(text: str) -> list[IdentityMatch]:
    """The personal identity numbers in ``text`` that are not marked as exempt."""
    out = []
    for m in _CANDIDATE_RE.finditer(text or ""):
        ok, coordination = _is_identity_number(m.group(1), m.group(3))
        if not ok:
            continue
        if _EXEMPT_RE.match(text, m.end()):
            continue
        out.append(IdentityMatch(m.group(0), m.start(), m.end(), coordination))
    return out


def contains_identity_number(text: str) -> bool:
    return bool(find_identity_numbers(text))


def mask(text: str) -> str:
    """``text`` with every personal identity number replaced by MASK (exempt ones too: a log
    line has no room for the reason)."""
    out, last = [], 0
    for m in _CANDIDATE_RE.finditer(text or ""):
        if _is_identity_number(m.group(1), m.group(3))[0]:
            out.append(text[last : m.start()])
            out.append(MASK)
            last = m.end()
    out.append((text or "")[last:])
    return "".join(out)
