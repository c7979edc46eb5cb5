"""Danish number and date formats (CLDR data through Babel, not hand-written)."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

LOCALE = "da_DK"


def number(value: float | int | None, decimals: int = 0) -> str:
    """1234.5 → '1.234,5'; None → '–'."""
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def signed(value: float | int | None, decimals: int = 0) -> str:
    """A change with its sign: '+12', '−3,5', '0'."""
    if value is None:
        return "–"
    text = number(abs(value), decimals)
    return ("+" if value > 0 else "−" if value < 0 else "") + text


def percent(value: float | None, decimals: int = 1) -> str:
    """0.123 → '+12,3 %'; None → '–'."""
    if value is None:
        return "–"
    return signed(value * 100, decimals) + " %"


def date(value: dt.date) -> str:
    """'25. november 2026'."""
    return format_date(value, "d. MMMM y", locale=LOCALE)


def timestamp(value: dt.datetime) -> str:
    """'25-11-2026 14:05'."""
    return format_datetime(value, "dd-MM-y HH:mm", locale=LOCALE)


def p_value(value: float | None) -> str:
    """'p = 0,374', or 'p < 0,001' for the very small ones."""
    if value is None:
        return "p = –"
    return "p < 0,001" if value < 0.001 else f"p = {number(value, 3)}"
