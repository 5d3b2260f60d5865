"""Finding Swedish personal identity numbers (personnummer and samordningsnummer) in free text.

A report holds aggregates only; a personal identity number typed into a narrative, a contact or
finance field or a signer's name would leave the machine in the PDF, the embedded document and
the workbooks. ``find_identity_numbers`` finds them (with or without century, with or without
the hyphen or plus sign, Luhn-valid, a real date; for a samordningsnummer the day plus 60);
``mask`` removes them from text that is logged (e.g. an import file name).

``normalise_identity_number`` is the one check of a number, used here and by the patient-list
reader (issue 16) on every row: written out rather than with python-stdnum (24 µs a number there
is seconds on a 100 000-row list); the tests check it against python-stdnum.

A number that only looks like one (a case number, an article number) is kept by writing
``(inte ett personnummer: <skäl>)`` right after it; the reason must not be empty."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

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


def normalise_identity_number(text: str, on: date) -> str | None:
    """The 12-digit form (ÅÅÅÅMMDDNNNN) of a personnummer or samordningsnummer, or None if it
    is not one (wrong form, impossible date, wrong check digit).

    Accepted: 12 or 10 digits, with or without '-' or '+' before the last four. A 10-digit
    number gets the century that makes the person at most 99 years old on ``on`` (100 or more
    with '+'), as the Swedish rule (and python-stdnum) does. A samordningsnummer has the day
    plus 60."""
    t = text.strip()
    n = len(t)
    plus = False
    if n == 13 or n == 11:
        sep = t[-5]
        if sep == "+":
            plus = True
        elif sep != "-":
            return None
        t = t[:-5] + t[-4:]
        n -= 1
    if not (n == 12 or n == 10) or not (t.isdigit() and t.isascii()):
        return None
    ten = t[-10:]
    if (_QUADS[ten[:4]] + _QUADS[ten[4:8]] + _PAIRS[ten[8:]]) % 10:
        return None
    if n == 12:
        twelve = t
    else:
        yy = int(ten[:2])
        year = (on.year // 100) * 100 + yy
        if year > on.year:
            year -= 100
        if plus:
            year -= 100
        twelve = f"{year:04d}{ten[2:]}"
    return twelve if _BIRTH_OK[twelve[:8]] else None


# Luhn over groups of digits: the first of each pair doubled (digits summed), the second as is;
# three lookups a number instead of ten digit operations.
_PAIRS = {f"{a}{b}": (2 * a if a < 5 else 2 * a - 9) + b for a in range(10) for b in range(10)}
_QUADS = {a + b: _PAIRS[a] + _PAIRS[b] for a in _PAIRS for b in _PAIRS}


class _BirthDates(dict[str, bool]):
    """ÅÅÅÅMMDD -> whether it is a real date (day + 60 for a samordningsnummer); remembered,
    since birth dates repeat across a list."""

    def __missing__(self, key: str) -> bool:
        year, month, day = int(key[:4]), int(key[4:6]), int(key[6:8])
        if day > 60:
            day -= 60
        try:
            date(year, month, day)
        except ValueError:
            ok = False
        else:
            ok = True
        if len(self) < 200_000:
            self[key] = ok
        return ok


_BIRTH_OK = _BirthDates()


def _is_identity_number(birth: str, serial: str) -> tuple[bool, bool]:
    """(is one, is a samordningsnummer) for the date part (6 or 8 digits) and the 4 digits.
    Without the century, either century will do (a number in free text is one if it can be)."""
    today = date.today()
    twelve = normalise_identity_number(f"{birth}-{serial}", today)
    if twelve is None and len(birth) == 6:
        twelve = normalise_identity_number(f"{birth}+{serial}", today)
    if twelve is None:
        return False, False
    return True, int(twelve[6:8]) > 60


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
