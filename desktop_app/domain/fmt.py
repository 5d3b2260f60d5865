"""Swedish number formatting for messages (1 234; 68,4 %)."""

from __future__ import annotations


def fmt_int(n: int | float) -> str:
    """Whole number with a space as thousands separator: 1234 -> '1 234'."""
    return f"{int(n):,}".replace(",", " ")


def fmt_num(x: float, decimals: int = 1) -> str:
    """Decimal number with comma: 12.25 -> '12,3' (one decimal by default)."""
    s = f"{x:,.{decimals}f}"
    return s.replace(",", " ").replace(".", ",")


def fmt_pct(rate: float | None, decimals: int = 1) -> str:
    """A rate 0..1 as Swedish percent: 0.684 -> '68,4 %'; None -> '–'."""
    if rate is None:
        return "–"
    return f"{fmt_num(rate * 100, decimals)} %"


def fmt_kr(n: int) -> str:
    """Whole kronor: 182500000 -> '182 500 000 kr'."""
    return f"{fmt_int(n)} kr"
