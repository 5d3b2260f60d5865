"""Smart cards for signing (issue 13, point 8): which PKCS#11 modules, cards and keys are on
this computer, and "Testa kortet" — what was found, or why nothing was, in Swedish.

The modules the user added are remembered by the screen (per user, QSettings), never in the
report database; they are passed in here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from desktop_app.signing.cards import CardKey, CardModule, CardScan, CardToken, ModuleScan

__all__ = [
    "CardKey",
    "CardModule",
    "CardScan",
    "CardToken",
    "ModuleScan",
    "ReportLine",
    "key_text",
    "scan",
    "test_report",
]

MODULE_SUFFIXES = (".dll", ".so", ".dylib")


def scan(extra_modules: Iterable[str | Path] = ()) -> CardScan:
    """The modules found (the user's first), the cards in them and their certificates. Loads
    each module; run it off the UI thread (a card reader can take seconds)."""
    from desktop_app.signing.cards import scan_cards

    return scan_cards(extra_modules)


def key_text(key: CardKey) -> str:
    """One key as the list shows it: the certificate's name, what it is for and its validity."""
    return f"{key.subject} ({key.usage}, giltigt {key.validity()})"


@dataclass(frozen=True)
class ReportLine:
    """One line of the "Testa kortet" report: depth 0 module, 1 card, 2 key."""

    depth: int
    text: str
    problem: bool = False


def _token_lines(token: CardToken, today: dt.date) -> list[ReportLine]:
    what = " ".join(x for x in (token.manufacturer, token.model) if x)
    out = [ReportLine(1, f"Kort: {token.label}" + (f" ({what})" if what else ""))]
    if token.pin_locked:
        out.append(ReportLine(2, "PIN-koden är låst (för många felaktiga försök).", True))
    elif token.pin_final_try:
        out.append(ReportLine(2, "Sista försöket: ett fel till låser PIN-koden.", True))
    elif token.pin_count_low:
        out.append(ReportLine(2, "Ett felaktigt PIN-försök har gjorts nyligen.", True))
    if token.problem:
        out.append(ReportLine(2, token.problem, True))
    elif not token.keys:
        out.append(ReportLine(2, "Inga certifikat att signera med på kortet.", True))
    for key in token.keys:
        late = "" if key.valid_on(today) else " – gäller inte i dag"
        out.append(ReportLine(2, f"Nyckel: {key_text(key)}{late}", bool(late)))
    return out


def _module_lines(m: ModuleScan, today: dt.date) -> list[ReportLine]:
    out = [ReportLine(0, f"Modul: {m.module.title}")]
    if m.problem:
        return [*out, ReportLine(1, m.problem, True)]
    if not m.slots:
        return [*out, ReportLine(1, "Ingen kortläsare ansluten.", True)]
    readers = "1 kortläsare" if m.slots == 1 else f"{m.slots} kortläsare"
    out.append(ReportLine(1, f"{readers} (eller platser för kort)"))
    if not m.tokens:
        out.append(ReportLine(1, "Inget kort i läsaren.", True))
    for token in m.tokens:
        out += _token_lines(token, today)
    return out


def test_report(found: CardScan, today: dt.date) -> list[ReportLine]:
    """What "Testa kortet" shows: each module, its cards and keys, and a conclusion (the keys
    to sign with, or why there is none)."""
    out: list[ReportLine] = []
    for m in found.modules:
        out += _module_lines(m, today)
    why = found.explanation(today)
    if why:
        out.append(ReportLine(0, why, True))
        if not found.modules and found.places:
            out.append(ReportLine(0, "Platser som söktes:"))
            out += [ReportLine(1, p) for p in found.places]
    else:
        n = len(found.usable(today))
        out.append(ReportLine(0, f"Klart att signera: {n} {'nyckel' if n == 1 else 'nycklar'}."))
    return out


test_report.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def module_file_problem(path: str | Path) -> str:
    """Why a file chosen with "Lägg till modul…" cannot be a PKCS#11 module ("" if it can)."""
    p = Path(path)
    if not p.is_file():
        return f"Filen {p} finns inte."
    if not any(s.lower() in MODULE_SUFFIXES for s in p.suffixes):
        return f"{p.name} är ingen PKCS#11-modul (en .dll-, .so- eller .dylib-fil)."
    return ""
