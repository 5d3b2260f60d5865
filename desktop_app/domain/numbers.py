"""Swedish numbers as users type them: one parser for the amounts (kronor) and the counts of
every field.

The rule is that digits are never reinterpreted: "150000,50" is 150 000,50 kr (rounded to
150 001 kr with a note), never 15 000 050 kr. Spaces of any kind group thousands, a comma (or a
point followed by other than exactly three digits) marks decimals, "kr", "kronor", "SEK" and
":-" may follow. Anything that could be read two ways ("150.000", "1.234,50") is refused with a
message saying how to write it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from desktop_app.domain.fmt import fmt_int

# Larger than any SVF grant of a region (the whole 2024 grant is 365 000 000 kr) by far; an
# amount over it is a typing mistake.
MAX_AMOUNT = 100_000_000_000
MAX_COUNT = 100_000_000

_SPACES = dict.fromkeys(map(ord, " \u00a0\u202f\u2009\u2007\t"), None)
_UNIT = re.compile(r"(?:kr\.?|kronor|sek|:-)$", re.IGNORECASE)
_PLAIN = re.compile(r"[0-9]+(?:[.,][0-9]+)?")
_EXAMPLE = "Skriv till exempel 150 000 eller 150000,50."


class NumberError(ValueError):
    """Text that is not a number of the kind asked for; ``str()`` is a Swedish message."""


@dataclass(frozen=True)
class Amount:
    """A parsed amount in whole kronor. ``note``: set when the typed amount had öre and was
    rounded (to be shown to the user), else None."""

    value: int | None
    note: str | None = None


def _compact(text: str) -> str:
    return text.strip().translate(_SPACES).replace("\u2212", "-").replace("\u2013", "-")


def _decimal(text: str, what: str) -> Decimal:
    """The typed number as an exact Decimal; NumberError for anything ambiguous or not a
    number."""
    s = _compact(text)
    if s.startswith("-"):
        raise NumberError(f"{what} får inte vara negativt ({text.strip()}).")
    if s.startswith("+"):
        s = s[1:]
    if "," in s and "." in s:
        raise NumberError(
            f"”{text.strip()}” har både punkt och komma. Skriv {what.lower()} utan "
            "tusentalstecken, med komma före decimalerna. " + _EXAMPLE
        )
    if not _PLAIN.fullmatch(s):
        raise NumberError(f"”{text.strip()}” är inte ett tal. " + _EXAMPLE)
    whole, sep, decimals = s.partition(".")
    if sep and len(decimals) == 3:
        raise NumberError(
            f"”{text.strip()}” kan läsas på två sätt (punkt som tusentalstecken eller som "
            "decimaltecken). Skriv med mellanslag för tusental (150 000) och komma före "
            "decimalerna (150000,50)."
        )
    try:
        return Decimal(s.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise NumberError(f"”{text.strip()}” är inte ett tal. " + _EXAMPLE) from None


def parse_amount(text: str) -> Amount:
    """An amount in kronor as typed: "150 000", "150000 kr", "150 000,50", "1 234:-".

    '' -> Amount(None). Öre are rounded half up to whole kronor, with a note saying so.
    Raises NumberError (Swedish message) for anything else: negative, ambiguous, not a number,
    unreasonably large."""
    s = _compact(text)
    s = _UNIT.sub("", s)
    if not s:
        return Amount(None)
    d = _decimal(s, "Beloppet")
    if d > MAX_AMOUNT:
        raise NumberError(
            f"Beloppet är orimligt stort (över {fmt_int(MAX_AMOUNT)} kr). Kontrollera det."
        )
    kronor = d.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    value = int(kronor)
    if kronor == d:
        return Amount(value)
    return Amount(value, f"{text.strip()} avrundat till hela kronor: {fmt_int(value)} kr.")


def parse_count(text: str, what: str = "Antalet") -> int | None:
    """A count as typed: "1 234", "12"; '' -> None. Raises NumberError for decimals,
    negative numbers and anything that is not a whole number."""
    s = _compact(text)
    if not s:
        return None
    d = _decimal(s, what)
    if d > MAX_COUNT:
        raise NumberError(f"{what} är orimligt stort (över {fmt_int(MAX_COUNT)}). Kontrollera det.")
    if d != d.to_integral_value():
        raise NumberError(f"{what} måste vara ett heltal (inte {text.strip()}).")
    return int(d)


def format_amount(value: int | None) -> str:
    """``150 000 kr`` (with a no-break space), '' for None: an amount when not being edited."""
    return "" if value is None else f"{fmt_int(value)} kr"


__all__ = [
    "MAX_AMOUNT",
    "MAX_COUNT",
    "Amount",
    "NumberError",
    "format_amount",
    "parse_amount",
    "parse_count",
]
