"""Danish number and date formats (CLDR data through Babel, not hand-written)."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import math
from collections.abc import Iterator
from contextvars import ContextVar

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import NumberPattern, parse_pattern

# Parsed once: Babel reads a locale's data under one global lock each time a locale is named by its
# string, which made every number on a page wait for every other session's (20 at once: seconds).
LOCALE = Locale.parse("da_DK")
_MISSING: ContextVar[str] = ContextVar("missing_cell", default="–")


@contextlib.contextmanager
def missing_as(mark: str) -> Iterator[None]:
    """Within the block, `cell` shows a missing value as `mark` (the public dashboard: 'skjult')."""
    token = _MISSING.set(mark)
    try:
        yield
    finally:
        _MISSING.reset(token)


def number(value: float | int | None, decimals: int = 0) -> str:
    """1234.5 → '1.234,5'; None → '–'."""
    if value is None:
        return "–"
    return _pattern(decimals).apply(value, LOCALE)


@functools.cache
def _pattern(decimals: int) -> NumberPattern:
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals else ""))


def signed(value: float | int | None, decimals: int = 0) -> str:
    """A change with its sign: '+12', '−3,5', '0'; a value that rounds to 0 has no sign (never '−0,0')."""
    if value is None:
        return "–"
    value = round(value, decimals)
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


def short_date(value: dt.date) -> str:
    """'1. maj 2025' (months abbreviated where CLDR abbreviates them: '4. sep. 2025')."""
    return format_date(value, "d. MMM y", locale=LOCALE)


def p_value(value: float | None, alpha: float = 0.05) -> str:
    """'p = 0,374', or 'p < 0,001' for the very small ones.

    A p-value just under `alpha` that would round to it is written 'p < 0,05', so a change called
    significant never stands beside 'p = 0,050'.
    """
    if value is None:
        return "p = –"
    if value < 0.001:
        return "p < 0,001"
    if value < alpha <= round(value, 3):
        return f"p < {number(alpha, 2)}"
    return f"p = {number(value, 3)}"


# Decimals of each kind of table column, on screen and in downloads ('pct' is a percent of 100).
CELL_DECIMALS = {"int": 0, "signed": 0, "dec1": 1, "pct": 1, "p": 3}


def _missing(value) -> bool:
    """None, NaN, NaT or pandas' NA (without importing pandas: the CLI starts without it)."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except TypeError:              # pd.NA: its comparisons are NA, which has no truth value
        return True


def cell(value, kind: str | None = None) -> str:
    """A table cell as shown: numbers by `kind` ('int', 'signed', 'dec1', 'pct' of 100, 'p'), dates in
    Danish, and '–' for anything missing (never 'None', 'nan' or 'NaT')."""
    if _missing(value):
        return _MISSING.get()
    if isinstance(value, str):              # text in a number column: 'skjult'
        return value
    if kind == "int":
        return number(value)
    if kind == "signed":
        return signed(value)
    if kind == "dec1":
        return number(value, 1)
    if kind == "pct":
        return percent(value / 100)
    if kind == "p":
        return p_value(value).removeprefix("p = ").removeprefix("p ")
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, dt.datetime):      # pandas' Timestamp is one too
        return short_date(value.date()) if value.time() == dt.time() else timestamp(value)
    if isinstance(value, dt.date):
        return short_date(value)
    if isinstance(value, float) and math.isfinite(value):
        return number(value, 0 if value.is_integer() else 1)
    return str(value)


def count_word(n: int) -> str:
    """A small count as Danish write it in a sentence: 4 → 'fire', 13 → '13'."""
    words = ("nul", "en", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti", "elleve", "tolv")
    return words[n] if 0 <= n < len(words) else number(n)


def and_list(items) -> str:
    """Danish enumeration: 'a', 'a og b', 'a, b og c' ('' for none)."""
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " og " + items[-1] if items else ""
