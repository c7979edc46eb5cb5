"""Everything a briefing says, gathered from the store before anything is laid out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from statistik import config, publications
from statistik.briefing import datastatus, disclose
from statistik.briefing.cells import Books, CellBook, Span
from statistik.briefing.targets import TargetCells, target_cells
from statistik.briefing.sections import Section, sections
from statistik.briefing.suppression import HIDDEN_MARK, validate_threshold
from statistik.formatting import number
from statistik.metrics.frame import SeriesError
from statistik.periods import Period, months_in, parse_period
from statistik.views.annotations import annotations
from statistik.vocabulary import hidden_characters


class BriefingError(ValueError):
    """A briefing that cannot be made as asked; the message says why, in Danish."""


@dataclass
class Revision:
    """A figure changed since the previous briefing: old and new value, and the cell it is in."""

    time: dt.datetime
    period: Period
    area_name: str
    category_name: str
    old: int
    new: int
    book: CellBook
    span: Span
    old_public: bool = True           # False: the old value was never printed, so it is not printed now

    @property
    def old_text(self) -> str:
        """The value before, as printed: a number only if it may be shown."""
        return number(self.old) if self.old_public or not self.book.suppression.active else HIDDEN_MARK


@dataclass
class Briefing:
    """The content of one briefing."""

    meeting: dt.date
    today: dt.date
    organisation: str
    final: bool
    period: Period | None
    below: int | None
    district_name: str
    member_names: list[str]
    previous: publications.Final | None
    sources: list[datastatus.SourceStatus]
    imports: pd.DataFrame
    sections: list[Section]
    targets: list[TargetCells]
    revisions: list[Revision]
    annotations: pd.DataFrame
    books: Books
    decision: disclose.Decision

    def periods_text(self) -> str:
        """The periods covered, as on the front page and in the log: '4. kvt. 2025 (Danmarks Statistik) …'."""
        used: dict[str, list[str]] = {}
        for s in self.sections:
            for f in (s.figures, s.context):
                if f is not None and f.period.label not in used.setdefault(f.source, []):
                    used[f.source].append(f.period.label)
        if not used and self.period is not None:
            return f"{self.period.label} (ingen tal)"
        order = sorted(used, key=lambda source: (source != config.DST_SOURCE, source))
        return "; ".join(f"{', '.join(used[source])} ({source})" for source in order)


def parse_briefing_period(text: str | None) -> Period | None:
    """'2025', '2025K4' or '2025-09' as a Period; None for none; BriefingError for anything else."""
    if text is None or not str(text).strip():
        return None
    period = parse_period(str(text))
    if period is None:
        raise BriefingError(f"Ukendt periode {text!r}; skriv et år (2025), et kvartal (2025K4) eller en måned (2025-09).")
    return period


def _revisions(frame: pd.DataFrame, books: Books) -> list[Revision]:
    """One row per cell: the value at the previous briefing (oldest old) and now (newest new); published in its book."""
    out = []
    keys = ["source", "category_code", "area_code", "period_kind", "period_start"]
    for key, rows in frame.groupby(keys, sort=False):
        source, category, area, kind, start = key
        newest, oldest = rows.iloc[0], rows.iloc[-1]       # the frame is newest first
        if int(oldest["old_value"]) == int(newest["new_value"]):
            continue
        period = Period(kind, pd.Timestamp(start).date())
        book = books.get(category, source)
        span = book.publish((area, period.start, months_in(kind)))
        out.append(Revision(newest["time"], period, newest["area"], newest["category"],
                            int(oldest["old_value"]), int(newest["new_value"]), book, span))
    return out


def collect(
    con: duckdb.DuckDBPyConnection, meeting: dt.date, *, period: str | Period | None = None,
    suppress_below: int | None = None, organisation: str | None = None, final: bool = False,
    today: dt.date | None = None, strict: bool = True,
) -> Briefing:
    """Gather the briefing's content; every count it shows is published first, then suppression is decided once.

    With strict=False a briefing whose hidden cells cannot all be kept safe is still gathered
    (for the audit to show which); it must not be written.
    """
    try:
        below = validate_threshold(suppress_below)
    except ValueError as e:
        raise BriefingError(str(e)) from None
    organisation = organisation or config.organisation()
    if why := hidden_characters(organisation):
        raise BriefingError(f"Afsenderen kan ikke bruges: {why}.")
    chosen = period if isinstance(period, Period) or period is None else parse_briefing_period(period)
    books = Books(con)
    previous = publications.previous(con, meeting)
    since = previous.created_at if previous else None
    names = books.area_names
    try:
        the_sections = sections(books, chosen)
        the_targets = target_cells(con, books, chosen)
        revisions = _revisions(datastatus.revisions_since(con, books.members, since), books)
    except SeriesError as e:          # e.g. one source with both months and quarters for a category
        raise BriefingError(str(e)) from None
    recorded = publications.publications(con) if below is not None else []
    meetings = {p.final.id: p.final.meeting_date for p in recorded}
    try:
        decision = disclose.decide(books, below, recorded, disclose.describe_with(books, meetings), strict)
    except disclose.Unprotected as e:
        raise BriefingError(str(e)) from None
    for r in revisions:
        r.old_public = disclose.is_public(decision, r.book, r.span, r.old)
    return Briefing(
        meeting=meeting, today=today or dt.date.today(), organisation=organisation,
        final=final, period=chosen, below=below,
        district_name=books.district.name, member_names=[names.get(m, m) for m in books.members],
        previous=previous, sources=datastatus.sources(con, list(books.district.municipalities), since),
        imports=datastatus.imports_since(con, since), sections=the_sections, targets=the_targets,
        revisions=revisions, annotations=annotations(con), books=books, decision=decision,
    )
