"""The counts a briefing publishes, per category and source, as spans of months that suppression can reason about.

A cell is a `Span`: (area, first day, months). A quarter of Dragør is ('155', 2025-10-01, 3),
12 months to 4. kvt. 2025 are ('155', 2025-01-01, 12) — the same cell as the year 2025, so a
figure that appears twice in the document is one cell and is hidden or shown consistently.

The numbers come from `metrics`, as on the dashboard: the district total from
`metrics.district`, 12 months and years from `metrics.series.rolling`, quarters of monthly
figures from `metrics.series.aggregate`, the source from `metrics.frame.newest_source`. What
suppression adds is the structure: `parts` names the stored periods of the municipalities a
span sums (for the district every member municipality, and Christiansø where it has a figure,
as `metrics.district` sums them), and the disclosure model checks that the two agree.

Every part of the document that shows a count `publish`es its cell first (with a weight:
how much hiding it would cost the reader); the suppression is then decided once for the
whole document and set on each book.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Iterable

import duckdb
import pandas as pd

from statistik import districts, reference
from statistik.briefing.suppression import Suppression
from statistik.districts import District
from statistik.metrics import frame as mf, series
from statistik.periods import Period, month_offset, months_in
from statistik.views.common import area_names, population_with_district, series_with_district

Span = tuple[str, dt.date, int]


def span_of(area: str, period: Period) -> Span:
    """The cell of a period."""
    return area, period.start, months_in(period.kind)


def window_ending(area: str, period: Period, months: int = 12) -> Span:
    """The cell of the `months` months that end with `period`."""
    last = month_offset(period.start, months_in(period.kind) - 1)
    return area, month_offset(last, 1 - months), months


def span_label(span: Span) -> str:
    """Danish label: '4. kvt. 2025', '2025', 'sep. 2025' or 'okt. 2024 – sep. 2025'."""
    _, start, months = span
    for kind in ("M", "Q", "Y"):
        if months == months_in(kind) and (start.month - 1) % months == 0:
            return Period(kind, start).label
    last = month_offset(start, months - 1)
    return f"{Period('M', start).label} – {Period('M', last).label}"


def _lookup(frame: pd.DataFrame, start_column: str) -> dict[tuple[str, dt.date], int | None]:
    return {(area, pd.Timestamp(start).date()): (None if pd.isna(count) else int(count))
            for area, start, count in zip(frame[mf.AREA], frame[start_column], frame[mf.COUNT])}


class CellBook:
    """One category and source: counts of any span for the municipalities and the district, and what is shown."""

    def __init__(self, category: str, source: str, frame: pd.DataFrame, district: District):
        """`frame`: the source's figures for the members and the district (as `series_with_district` gives)."""
        self.category, self.source, self.district = category, source, district
        self.members = list(district.members)
        kinds = set(frame[mf.KIND]) if not frame.empty else {"Q"}
        if len(kinds) > 1:
            raise mf.SeriesError(f"Kilden {source} har flere periodetyper for kategorien {category}.")
        self.kind = kinds.pop()
        self.size = months_in(self.kind)
        self._frame = frame
        self._native = _lookup(frame, mf.START)
        self.published: dict[Span, float] = {}          # span → weight
        self.suppression = Suppression(None)

    @property
    def frame(self) -> pd.DataFrame:
        """The source's stored figures for the members and the district, as read."""
        return self._frame

    @functools.cached_property
    def _sums(self) -> dict[int, dict]:
        """Counts of longer spans by length in months: 12 (any 12 months, from `rolling`), 3 and 12 (calendar)."""
        out: dict[int, dict] = {}
        if self._frame.empty:
            return out
        rolled = series.rolling(self._frame)
        out[12] = _lookup(rolled, mf.WINDOW_START)
        if self.size == 1:
            out[3] = _lookup(series.aggregate(self._frame, "Q"), mf.START)
        return out

    def starts(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """First days of the native periods from `first` up to and including the one starting at `last`."""
        out, day = [], first
        while day <= last:
            out.append(day)
            day = month_offset(day, self.size)
        return out

    def first_day(self) -> dt.date | None:
        """The first day of the earliest native period with a figure."""
        return min((d for (_, d) in self._native), default=None)

    def latest(self) -> Period | None:
        """The latest native period with a district figure (every municipality has one)."""
        days = sorted((d for (a, d), v in self._native.items() if a == self.district.code and v is not None),
                      reverse=True)
        return Period(self.kind, days[0]) if days else None

    def parts(self, span: Span) -> list[tuple[str, dt.date]] | None:
        """The stored periods (municipality, first day) a span sums; None when it cuts a native period."""
        area, start, months = span
        if months % self.size or (start.month - 1) % self.size:
            return None
        days = self.starts(start, month_offset(start, months - self.size))
        if area != self.district.code:
            return [(area, d) for d in days]
        needed = set(self.district.municipalities)
        return [(a, d) for a in self.members for d in days if a in needed or self._native.get((a, d)) is not None]

    def native(self, area: str, day: dt.date) -> int | None:
        """The stored count of one municipality (or the district's sum) in one native period."""
        return self._native.get((area, day))

    def count(self, span: Span) -> int | None:
        """The count of a cell; None when a part is missing or the span cuts a native period."""
        area, start, months = span
        if self.parts(span) is None:
            return None
        if months == self.size:
            return self._native.get((area, start))
        return self._sums.get(months, {}).get((area, start))

    def publish(self, span: Span, weight: float = 1.0) -> Span:
        """Record that the document shows this cell (weight: how much the reader loses if it is hidden)."""
        self.published[span] = max(weight, self.published.get(span, 0.0))
        return span

    def publish_all(self, spans: Iterable[Span], weight: float = 1.0) -> None:
        """Record several cells."""
        for span in spans:
            self.publish(span, weight)

    def cost(self, span: Span) -> float:
        """What hiding a published cell costs: its weight, three times for the district, a little more when large."""
        weight = self.published.get(span, 1.0) * (3.0 if span[0] == self.district.code else 1.0)
        return weight * (1.0 + math.log1p(self.count(span) or 0))

    def show(self, span: Span) -> str:
        """The published cell as printed: the hidden mark, '1.234' or '–'."""
        return self.suppression.show(span, self.count(span))

    def visible(self, span: Span) -> int | None:
        """The count when it may be shown, else None."""
        return None if self.suppression.hides(span) else self.count(span)


class Books:
    """The CellBooks of one document, one per category and source, read from the store on first use."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self.district = districts.current()
        self.members = list(self.district.members)
        self._books: dict[tuple[str, str], CellBook] = {}
        self._frames: dict[str, pd.DataFrame] = {}

    @functools.cached_property
    def area_names(self) -> dict[str, str]:
        """Area code → name, the district included (read once per document)."""
        return area_names(self.con)

    @functools.cached_property
    def category_names(self) -> dict[str, str]:
        """Category code → name (read once per document)."""
        return reference.category_names(self.con)

    @functools.cached_property
    def population(self) -> pd.DataFrame:
        """Population per area and year, the district's sum included (read once per document)."""
        return population_with_district(self.con)

    def frame(self, category: str) -> pd.DataFrame:
        """Every source's figures for a category, for the members and the district."""
        if category not in self._frames:
            self._frames[category] = series_with_district(self.con, [*self.members, self.district.code], [category])
        return self._frames[category]

    def sources(self, category: str) -> list[str]:
        """The sources with figures for a category in the district's municipalities, by name."""
        return sorted(self.frame(category)[mf.SOURCE].unique())

    def newest_source(self, category: str) -> str | None:
        """The source whose district figures end last (Danmarks Statistik on a tie), as on the dashboard."""
        frame = self.frame(category)
        return mf.newest_source(frame[frame[mf.AREA] == self.district.code])

    def get(self, category: str, source: str) -> CellBook:
        """The book of a category and source."""
        key = (category, source)
        if key not in self._books:
            frame = self.frame(category)
            self._books[key] = CellBook(category, source, frame[frame[mf.SOURCE] == source], self.district)
        return self._books[key]

    def all(self) -> list[CellBook]:
        """Every book the document has opened, in the order opened."""
        return list(self._books.values())
