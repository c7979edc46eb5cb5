"""The counts a briefing publishes, per category and source, as spans of months that suppression can reason about.

A cell is a `Span`: (area, first day, months). A quarter of Dragør is ('155', 2025-10-01, 3),
12 months to 4. kvt. 2025 are ('155', 2025-01-01, 12) — the same cell as the year 2025, so a
figure that appears twice in the document is one cell and is hidden or shown consistently.
The district's cells are the sums of its municipalities'. Every part of the document that
shows a count `publish`es its cell first; `protect` then decides once, for the whole
document, which cells are hidden.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable

import duckdb
import pandas as pd

from statistik import figures, reference
from statistik.briefing.suppression import Group, Suppression, suppress
from statistik.metrics import frame as mf
from statistik.periods import Period, month_offset, months_in
from statistik.views.common import DISTRICT, area_names, population_with_district

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


class CellBook:
    """One category and source: counts of any span for the municipalities and the district, and what is shown."""

    def __init__(self, category: str, source: str, native: pd.DataFrame, members: list[str]):
        self.category, self.source, self.members = category, source, list(members)
        kinds = set(native[mf.KIND]) if not native.empty else {"Q"}
        if len(kinds) > 1:
            raise mf.SeriesError(f"Kilden {source} har flere periodetyper for kategorien {category}.")
        self.kind = kinds.pop()
        self.size = months_in(self.kind)
        self._counts = {
            (area, pd.Timestamp(start).date()): (None if pd.isna(count) else int(count))
            for area, start, count in zip(native[mf.AREA], native[mf.START], native[mf.COUNT])
        }
        self.published: set[Span] = set()
        self.suppression = Suppression(None)

    def starts(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """First days of the native periods from `first` up to and including the one starting at `last`."""
        out, day = [], first
        while day <= last:
            out.append(day)
            day = month_offset(day, self.size)
        return out

    def first_day(self) -> dt.date | None:
        """The first day of the earliest native period with a figure."""
        return min((d for (_, d) in self._counts), default=None)

    def latest(self) -> Period | None:
        """The latest native period with a district figure (every municipality has one)."""
        days = sorted({d for (_, d) in self._counts}, reverse=True)
        for day in days:
            if self.count((DISTRICT, day, self.size)) is not None:
                return Period(self.kind, day)
        return None

    def _parts(self, span: Span) -> list[Span] | None:
        area, start, months = span
        if months % self.size or (start.month - 1) % self.size:
            return None
        return [(area, day, self.size) for day in self.starts(start, month_offset(start, months - self.size))]

    def count(self, span: Span) -> int | None:
        """The count of a cell; None when a part is missing or the span cuts a native period."""
        area, start, months = span
        if area == DISTRICT:
            values = [self.count((m, start, months)) for m in self.members]
            return None if any(v is None for v in values) else sum(values)
        parts = self._parts(span)
        if parts is None:
            return None
        values = [self._counts.get((a, d)) for a, d, _ in parts]
        return None if any(v is None for v in values) else sum(values)

    def publish(self, span: Span) -> Span:
        """Record that the document shows this cell; returns it."""
        self.published.add(span)
        return span

    def publish_all(self, spans: Iterable[Span]) -> None:
        """Record several cells."""
        self.published.update(spans)

    def groups(self) -> list[Group]:
        """Every published total: district = municipalities, a longer span = its native periods."""
        out = []
        for span in self.published:
            area, start, months = span
            if area == DISTRICT:
                out.append(Group(span, tuple((m, start, months) for m in self.members)))
            parts = self._parts(span)
            if parts and len(parts) > 1:
                out.append(Group(span, tuple(parts)))
        return sorted(out, key=lambda g: (g.total[1], g.total[2], g.total[0]))

    def protect(self, below: int | None) -> Suppression:
        """Decide which published cells are hidden (primary and secondary); kept as `suppression`."""
        groups = self.groups()
        keys = set(self.published) | {p for g in groups for p in g.parts}
        counts = {k: self.count(k) for k in keys}
        self.suppression = suppress(counts, groups, below, self.published)
        return self.suppression

    def show(self, span: Span) -> str:
        """The published cell as printed: '<5', 'skjult', '1.234' or '–'."""
        return self.suppression.show(span, self.count(span))

    def visible(self, span: Span) -> int | None:
        """The count when it may be shown, else None."""
        return None if self.suppression.hides(span) else self.count(span)


class Books:
    """The CellBooks of one document, one per category and source, read from the store on first use."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self.members = reference.district_members(con)
        self._books: dict[tuple[str, str], CellBook] = {}
        self._sources: dict[str, list[str]] = {}

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

    def sources(self, category: str) -> list[str]:
        """The sources with figures for a category in the district's municipalities, by name."""
        if category not in self._sources:
            self._sources[category] = [r[0] for r in self.con.execute(
                "SELECT DISTINCT source FROM figure WHERE category_code = ? AND area_code IN (SELECT unnest(?)) "
                "ORDER BY source", [category, self.members]).fetchall()]
        return self._sources[category]

    def get(self, category: str, source: str) -> CellBook:
        """The book of a category and source."""
        key = (category, source)
        if key not in self._books:
            native = mf.check(figures.series(self.con, areas=self.members, categories=[category], sources=[source]))
            self._books[key] = CellBook(category, source, native, self.members)
        return self._books[key]

    def protect(self, below: int | None) -> None:
        """Decide the hidden cells of every book."""
        for book in self._books.values():
            book.protect(below)
