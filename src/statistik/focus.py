"""The trends a police district follows, as named in its cooperation plan (shipped in data/fokus.csv).

A district with trends of its own in the file (Københavns Politi) gets those; every other
district gets the national set of DST categories (rows without a district number).
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass, replace
from pathlib import Path

from statistik import config

FOCUS_FILE = "fokus.csv"


@dataclass(frozen=True)
class FocusTrend:
    """A trend a district follows."""

    category: str                # category code
    title: str
    why: str                     # one line for the card
    context: str | None = None   # the broader DST category that contains it, when it has one

    def with_context(self, context: str | None) -> FocusTrend:
        """The same trend with its broader category."""
        return replace(self, context=context)


@functools.lru_cache(maxsize=4)
def _load(data_dir: Path) -> dict[int | None, tuple[FocusTrend, ...]]:
    with open(data_dir / FOCUS_FILE, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    out: dict[int | None, list[FocusTrend]] = {}
    for row in rows:
        number = int(row["politikreds"]) if row["politikreds"].strip() else None
        out.setdefault(number, []).append(FocusTrend(row["kategori"], row["titel"], row["hvorfor"]))
    return {number: tuple(trends) for number, trends in out.items()}


def for_district(number: int, data_dir: Path = config.DATA_DIR) -> tuple[FocusTrend, ...]:
    """The district's own trends, or the national set when it has none of its own."""
    trends = _load(Path(data_dir))
    return trends.get(number) or trends[None]


def has_own(number: int, data_dir: Path = config.DATA_DIR) -> bool:
    """Whether the district has trends of its own in the file."""
    return number in _load(Path(data_dir))
