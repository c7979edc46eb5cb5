"""The figures of each focus trend: which source and period, the cells by municipality, the chart's periods.

A trend uses one source (sources are never added together): by default the one whose
figures end last (Danmarks Statistik on a tie), at its latest period with a district
figure; with a chosen period, a source that has that period (a year or quarter is summed
from months or quarters when every part is there; a month is never cut from a quarter).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from statistik.briefing import verdicts as bv
from statistik.briefing.cells import Books, CellBook, Span, span_of, window_ending
from statistik.metrics import change as mc, poisson, rates
from statistik.metrics.frame import preferred_source
from statistik.metrics.verdicts import Verdict
from statistik.periods import YEAR, Period, month_offset, months_in
from statistik.views.common import FocusTrend, focus_trends

CHART_MONTHS = 36          # about three years on every chart
MIN_CHART_POINTS = 3       # fewer district points than this: no chart, the table says it all
TABLE_WEIGHT = 2.0         # a number in a table or sentence costs the reader more than a chart point


@dataclass
class AreaRow:
    """One municipality (or the district) in a trend's table: the cells it shows."""

    area: str
    name: str
    current: Span
    previous: Span
    rolling: Span | None                  # None when the period is itself a year
    population: tuple[int, int] | None    # inhabitants and FOLK1A year for the rate


@dataclass
class Figures:
    """A category's figures in the briefing: one source and period, a row per area, the chart's periods."""

    category: str
    name: str
    book: CellBook
    period: Period
    rows: list[AreaRow]
    chart_starts: list[dt.date] = field(default_factory=list)
    books: Books | None = field(default=None, repr=False)     # the store behind the verdicts (None: the book alone)
    _judged: dict = field(default_factory=dict, repr=False)

    @property
    def source(self) -> str:
        """Where the figures come from."""
        return self.book.source

    @property
    def previous_period(self) -> Period:
        """The same period a year earlier."""
        return Period(self.period.kind, month_offset(self.period.start, -12))

    @property
    def district(self) -> AreaRow:
        """The district's row."""
        return self.rows[-1]

    def change(self, row: AreaRow) -> mc.Change | None:
        """The change on last year, or None when a count behind it is hidden."""
        if self.book.suppression.hides(row.current, row.previous):
            return None
        return mc.change(self.book.count(row.current), self.book.count(row.previous))

    def verdict(self, row: AreaRow) -> Verdict | None:
        """The dashboard's verdict on the change (`briefing.verdicts`); None when a count is missing or hidden."""
        c = self.change(row)
        if c is None or c.current is None or c.previous is None:
            return None
        state = (self.book.suppression.below, frozenset(self.book.suppression.hidden))
        if state not in self._judged:      # made once the suppression is decided, again if it changes
            self._judged.clear()
            self._judged[state] = bv.judge(self.books, self.book, self.period, self.previous_period,
                                           [r.area for r in self.rows])
        return self._judged[state].get(row.area)

    def verdicts(self) -> list[Verdict]:
        """The verdicts the document prints for this category: one per row with both counts shown."""
        return [v for v in map(self.verdict, self.rows) if v is not None]

    def rate_span(self, row: AreaRow) -> Span:
        """The cell the rate is computed from: 12 months, or the year itself."""
        return row.rolling or row.current

    def rate(self, row: AreaRow) -> float | None:
        """Cases per 100.000 inhabitants in the rate span; None when hidden or unknown."""
        count = self.book.visible(self.rate_span(row))
        return rates.rate(count, row.population[0]) if row.population and count is not None else None

    def small(self, row: AreaRow) -> bool:
        """Fewer than 10 cases in the period or the year before, judged on the counts shown only."""
        counts = [c for c in (self.book.visible(row.current), self.book.visible(row.previous)) if c is not None]
        return bool(counts) and poisson.is_small(*counts)


@dataclass
class Section:
    """A focus trend: its figures, or none and (maybe) the broader DST category as context."""

    trend: FocusTrend
    figures: Figures | None
    context: Figures | None = None

    @property
    def empty(self) -> bool:
        """Whether the trend itself has no figures for the period."""
        return self.figures is None


def choose(books: Books, category: str, period: Period | None) -> tuple[CellBook, Period] | None:
    """The book and period a category is shown with; None when no source has a district figure for it.

    By default the source whose figures end last (`metrics.frame.newest_source`) at its latest
    period; for a chosen period, a source with a district figure for it (Danmarks Statistik first).
    """
    if period is None:
        source = books.newest_source(category)
        if source is None:
            return None
        book = books.get(category, source)
        return book, book.latest()
    having = [s for s in books.sources(category)
              if books.get(category, s).count((books.district.code, period.start, months_in(period.kind))) is not None]
    source = preferred_source(having)
    return None if source is None else (books.get(category, source), period)


def figures_for(books: Books, category: str, period: Period | None, with_chart: bool = True) -> Figures | None:
    """A category's rows by municipality and district (published in its book), and its chart periods."""
    picked = choose(books, category, period)
    if picked is None:
        return None
    book, period = picked
    names, population = books.area_names, books.population
    rows = []
    district = books.district.code
    for area in [*books.members, district]:
        current = span_of(area, period)
        previous = (area, month_offset(period.start, -12), current[2])
        rolling = None if period.kind == YEAR else window_ending(area, period)
        year = month_offset((rolling or current)[1], 11).year
        inhabitants = rates.population_for(population, area, year)
        book.publish_all([current, previous, *([rolling] if rolling else [])], weight=TABLE_WEIGHT)
        rows.append(AreaRow(area, names.get(area, area), current, previous, rolling, inhabitants))
    result = Figures(category, books.category_names.get(category, category), book, period, rows, books=books)
    if with_chart:
        last = month_offset(period.start, months_in(period.kind) - book.size)
        starts = book.starts(month_offset(last, -(CHART_MONTHS - book.size)), last)
        # A series younger than the window starts where its figures start: no empty years.
        while starts and book.count((district, starts[0], book.size)) is None:
            starts = starts[1:]
        points = sum(book.count((district, day, book.size)) is not None for day in starts)
        if points >= MIN_CHART_POINTS:
            result.chart_starts = starts
            book.publish_all((area, day, book.size) for area in [district, *books.members] for day in starts)
    return result


def section(books: Books, trend: FocusTrend, period: Period | None) -> Section:
    """A focus trend's section; without figures, the broader DST category as context (no chart)."""
    found = figures_for(books, trend.category, period)
    if found is not None or not trend.context:
        return Section(trend, found)
    return Section(trend, None, figures_for(books, trend.context, period, with_chart=False))


def sections(books: Books, period: Period | None) -> list[Section]:
    """A section for every focus trend of the district, in the cooperation plan's order."""
    return [section(books, trend, period) for trend in focus_trends(books.con)]
