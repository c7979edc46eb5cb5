"""Periods (month, quarter, year): parsing what analysts write, and the codes we write back."""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from babel.dates import format_date

MONTH, QUARTER, YEAR = "M", "Q", "Y"
KIND_NAMES = {MONTH: "måned", QUARTER: "kvartal", YEAR: "år"}

# Danish (and the English that Excel sometimes writes) month names and abbreviations.
_MONTHS = {
    "jan": 1, "januar": 1, "january": 1,
    "feb": 2, "februar": 2, "february": 2,
    "mar": 3, "marts": 3, "march": 3,
    "apr": 4, "april": 4,
    "maj": 5, "may": 5,
    "jun": 6, "juni": 6, "june": 6,
    "jul": 7, "juli": 7, "july": 7,
    "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9,
    "okt": 10, "oktober": 10, "oct": 10, "october": 10,
    "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}

_YEAR = r"(?P<y>(?:19|20)\d\d)"
_PERIOD_PATTERNS = [
    (YEAR, re.compile(rf"^{_YEAR}$")),
    (QUARTER, re.compile(rf"^{_YEAR}\s*-?\s*[kq]\s*(?P<q>\d)$")),
    (QUARTER, re.compile(rf"^[kq](?P<q>\d)\s*-?\s*{_YEAR}$")),
    (QUARTER, re.compile(rf"^(?P<q>\d)\.?\s*(?:kvt|kvartal)\.?\s*{_YEAR}$")),
    (MONTH, re.compile(rf"^{_YEAR}\s*(?:-|/|m)\s*(?P<m>\d\d?)$")),
    (MONTH, re.compile(rf"^(?P<m>\d\d?)\s*[-/.]\s*{_YEAR}$")),
    (MONTH, re.compile(r"^(?P<name>[a-zæøå]+)\.?\s*[-/ ]?\s*(?P<y>(?:19|20)?\d\d)$")),
    (MONTH, re.compile(rf"^{_YEAR}\s*[-/ ]?\s*(?P<name>[a-zæøå]+)\.?$")),   # '2025 september'
]
_DATE_PATTERNS = [
    re.compile(rf"^{_YEAR}-(?P<m>\d\d?)-(?P<d>\d\d?)(?:[ t]\d\d?:\d\d(?::\d\d(?:\.\d+)?)?)?$"),
    re.compile(rf"^(?P<d>\d\d?)[-./](?P<m>\d\d?)[-./]{_YEAR}(?:\s+\d\d?[:.]\d\d(?:[:.]\d\d)?)?$"),
    re.compile(r"^(?P<d>\d\d?)\.?\s+(?P<name>[a-zæøå]+)\.?\s+(?P<y>(?:19|20)\d\d)$"),
]


class Period(NamedTuple):
    """A calendar month, quarter or year, identified by its kind and first day."""

    kind: str
    start: dt.date

    @property
    def code(self) -> str:
        """The code used in exports: '2025-09', '2025K3' or '2025'."""
        return period_code(self.kind, self.start)

    @property
    def label(self) -> str:
        """Danish label: 'sep. 2025', '3. kvt. 2025' or '2025'."""
        return period_label(self.kind, self.start)

    @property
    def end(self) -> dt.date:
        """The last day of the period."""
        return shift(self, 1).start - dt.timedelta(days=1)


MONTHS_IN = {MONTH: 1, QUARTER: 3, YEAR: 12}     # for pandas: `kinds.map(MONTHS_IN)` is one lookup, not a call a row


def months_in(kind: str) -> int:
    """Number of months in a period of this kind."""
    return MONTHS_IN[kind]


def month_offset(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` months after `day`'s month."""
    total = day.year * 12 + day.month - 1 + months
    return dt.date(total // 12, total % 12 + 1, 1)


def shift(period: Period, steps: int) -> Period:
    """The period `steps` periods of the same kind later (earlier when negative)."""
    return Period(period.kind, month_offset(period.start, steps * months_in(period.kind)))


def year_earlier(period: Period) -> Period:
    """The same period a year earlier: 3. kvt. 2024 for 3. kvt. 2025."""
    return Period(period.kind, month_offset(period.start, -12))


def period_code(kind: str, start: dt.date) -> str:
    """Export code of a period given by kind and start."""
    if kind == MONTH:
        return f"{start.year}-{start.month:02d}"
    if kind == QUARTER:
        return f"{start.year}K{(start.month - 1) // 3 + 1}"
    return str(start.year)


def period_label(kind: str, start: dt.date) -> str:
    """Danish label of a period given by kind and start."""
    if kind == MONTH:
        return format_date(start, "MMM y", locale="da")
    if kind == QUARTER:
        return f"{(start.month - 1) // 3 + 1}. kvt. {start.year}"
    return str(start.year)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", str(text).strip().lower().replace("\u00a0", " "))


def _month_number(name: str) -> int | None:
    return _MONTHS.get(name.rstrip("."))


def _full_year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def parse_period(text: str) -> Period | None:
    """A period from what an analyst wrote ('2025-09', 'sep 2025', '2025K3', ...), or None.

    A full date counts as its month: '2025-09-01' is September 2025.
    """
    s = _clean(text)
    for kind, pattern in _PERIOD_PATTERNS:
        m = pattern.match(s)
        if not m:
            continue
        year = _full_year(m["y"])
        if kind == YEAR:
            return Period(YEAR, dt.date(year, 1, 1))
        if kind == QUARTER:
            q = int(m["q"])
            return Period(QUARTER, dt.date(year, 3 * q - 2, 1)) if 1 <= q <= 4 else None
        month = _month_number(m["name"]) if "name" in m.groupdict() else int(m["m"])
        return Period(MONTH, dt.date(year, month, 1)) if month and 1 <= month <= 12 else None
    day = parse_date(s)
    return Period(MONTH, day.replace(day=1)) if day else None


def parse_date(text: str) -> dt.date | None:
    """A calendar day, day first ('03-09-2025', '03.09.2025', '2025-09-03'), or None."""
    s = _clean(text)
    for pattern in _DATE_PATTERNS:
        m = pattern.match(s)
        if not m:
            continue
        month = _month_number(m["name"]) if "name" in m.groupdict() else int(m["m"])
        try:
            return dt.date(int(m["y"]), month or 0, int(m["d"]))
        except ValueError:
            return None
    return None


def looks_like_period(text: str) -> bool:
    """Whether a header cell names a period (used to find periods across the top)."""
    return parse_period(text) is not None
