"""Targets in the briefing (Dragør: under 30 burglaries a year): the 12 months to the period, and each year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb

from statistik import config
from statistik.briefing.cells import Books, CellBook, Span, window_ending
from statistik.briefing.sections import TABLE_WEIGHT, choose
from statistik.metrics.targets import BELOW, Target, current_status
from statistik.periods import Period, month_offset, months_in
from statistik.views.overview import stored_targets


@dataclass
class TargetCells:
    """A stored target with the cells that show it: the latest window and the calendar years."""

    target: Target
    label: str
    area_name: str
    category_name: str
    book: CellBook | None
    end: Period | None                     # the window ends with this period
    window: Span | None = None
    years: list[tuple[int, Span]] = field(default_factory=list)

    @property
    def count(self) -> int | None:
        """Cases in the window (None when there is no window)."""
        return self.book.count(self.window) if self.window and self.book else None

    @property
    def hidden(self) -> bool:
        """Whether the window's count is hidden (then whether the target is met is not said either)."""
        return bool(self.window and self.book and self.book.suppression.hides(self.window))

    @property
    def met(self) -> bool | None:
        """Whether the window meets the target; None when it cannot be told or the count is hidden.

        "Met" says count < limit: said of a hidden count, it would narrow it down.
        """
        return None if self.count is None or self.hidden else self.target.is_met(self.count)

    @property
    def window_label(self) -> str:
        """'1. kvt. 2025 – 4. kvt. 2025'."""
        if not self.window or not self.book:
            return ""
        first = Period(self.book.kind, self.window[1])
        return self.end.label if first == self.end else f"{first.label} – {self.end.label}"

    @property
    def limit_text(self) -> str:
        """'under 30'."""
        return f"{'under' if self.target.direction == BELOW else 'over'} {self.target.limit}"

    def year_met(self, span: Span) -> bool | None:
        """Whether a calendar year met the target; None when its count is hidden or missing."""
        count = self.book.visible(span) if self.book else None
        return None if count is None else self.target.is_met(count)


def _years(book: CellBook, area: str, last: dt.date, months: int) -> list[tuple[int, Span]]:
    """Every complete calendar period of the target's length up to `last`, with a figure."""
    first = book.first_day()
    if first is None or months != 12:
        return []
    spans = [(area, dt.date(y, 1, 1), 12) for y in range(first.year, last.year + 1)]
    return [(s[1].year, s) for s in spans if month_offset(s[1], 11) <= last and book.count(s) is not None]


def _complete(books: Books, target: Target, period: Period | None) -> tuple[CellBook, Period] | None:
    """The source and period of the newest complete window, as the dashboard's target card
    (`metrics.targets.current_status`): police figures for part of a year do not hide DST's
    complete year. With a chosen period, a source whose window ending with it is complete."""
    if period is None:
        status = current_status(target, books.frame(target.category))
        return None if status is None else (books.get(target.category, status.source), status.last_period)
    window = window_ending(target.area, period, months_in(target.period_kind))
    sources = sorted(books.sources(target.category), key=lambda s: s != config.DST_SOURCE)   # DST first
    complete = [s for s in sources if books.get(target.category, s).count(window) is not None]
    return (books.get(target.category, complete[0]), period) if complete else None


def target_cells(con: duckdb.DuckDBPyConnection, books: Books, period: Period | None) -> list[TargetCells]:
    """Every stored target, its window ending with the period (default: the latest) and its years; cells published."""
    names, categories = books.area_names, books.category_names
    out = []
    for target, label in stored_targets(con):
        picked = _complete(books, target, period) or choose(books, target.category, period)
        area_name = names.get(target.area, target.area)
        category_name = categories.get(target.category, target.category)
        if picked is None:
            out.append(TargetCells(target, label, area_name, category_name, None, None))
            continue
        book, end = picked
        cells = TargetCells(target, label, area_name, category_name, book, end)
        window = window_ending(target.area, end, months_in(target.period_kind))
        if book.count(window) is not None:
            cells.window = book.publish(window, weight=TABLE_WEIGHT)
        last = month_offset(end.start, months_in(end.kind) - 1)
        cells.years = _years(book, target.area, last, months_in(target.period_kind))
        book.publish_all((span for _, span in cells.years), weight=TABLE_WEIGHT)
        out.append(cells)
    return out

