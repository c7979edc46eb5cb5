"""The verdicts a briefing prints: the dashboard's engine (`metrics.verdicts`), fed only what the document may use.

Without small counts hidden, a row's verdict is exactly the one the Sammenlign page and
`statistik compare` give for the same area, category, source and periods
(`views.comparison.verdicts`): normal variation is learnt from the series' own earlier years
and the same category in every stored area.

With small counts hidden, that history is mostly not printed, and some of it is hidden: a
verdict learnt from it would say something about hidden cells (a reader who knows the rule could
narrow them). So a public briefing feeds the same engine only the cells it prints itself and
shows (its tables' periods and its charts' points, for the district and its municipalities); a
hidden or unprinted cell is a gap, as on the public dashboard (`views.published`). What normal
variation is for counts of that size comes from the curves measured on STRAF11 that ship with the
code, with each series' own printed years shrunk towards them. Each verdict is then a function of
printed numbers, the published population and constants alone, and anyone holding the document
could compute it. A row whose own counts are hidden gets no verdict at all (`Figures.verdict`).
"""

from __future__ import annotations

import pandas as pd

from statistik.briefing.cells import Books, CellBook
from statistik.metrics import frame as mf, rates, verdicts as mv
from statistik.periods import Period, months_in
from statistik.views import comparison


def printed_only(book: CellBook) -> pd.DataFrame:
    """The book's native figures where the document prints them and shows them; <NA> everywhere else."""
    frame = book.frame.copy()
    if frame.empty:
        return frame
    spans = zip(frame[mf.AREA], frame[mf.START].dt.date, [book.size] * len(frame))
    shown = [span in book.published and not book.suppression.hides(span) for span in spans]
    frame[mf.COUNT] = frame[mf.COUNT].astype("Int64").where(pd.Series(shown, index=frame.index), pd.NA)
    return frame


def from_book(book: CellBook, population: pd.DataFrame, current: Period, previous: Period,
              areas: list[str]) -> pd.DataFrame:
    """`metrics.verdicts.compare` on the book's own figures (only the printed ones when suppression is active),
    with STRAF11's normal variation as the prior (`metrics.verdicts.standard`): five series of a district
    with three printed years are too few to learn it from."""
    if months_in(current.kind) % book.size:
        return pd.DataFrame(columns=mv.COLUMNS)
    frame = printed_only(book) if book.suppression.active else book.frame
    fitted = mv.standard([(current.kind, book.source, book.category)], current)
    return mv.compare(frame, population, current, previous, areas=areas, categories=[book.category], fitted=fitted)


def by_area(rows: pd.DataFrame) -> dict[str, mv.Verdict]:
    """Area code → its Verdict, for rows of one category and source."""
    return {row[mf.AREA]: mv.Verdict.of(row) for _, row in rows.iterrows()}


def judge(books: Books | None, book: CellBook, current: Period, previous: Period,
          areas: list[str]) -> dict[str, mv.Verdict]:
    """The verdict of each of `areas` for the book's category and source: area code → Verdict.

    From the whole store as on the dashboard, unless small counts are hidden (then from the
    printed cells, see the module) or there is no store (a book on its own: its figures only).
    """
    if books is not None and not book.suppression.active:
        rows = comparison.verdicts(books.con, current, previous, areas, [book.category], [book.source])
    else:
        population = books.population if books is not None else \
            pd.DataFrame({mf.AREA: pd.Series(dtype="object"), rates.YEAR: pd.Series(dtype="int64"),
                          rates.POPULATION: pd.Series(dtype="int64")})
        rows = from_book(book, population, current, previous, areas)
    return by_area(rows)
