"""Final briefings: the log that "siden forrige bilag" uses, and what each public one published, cell by cell.

Only an analyst's final briefing is written here (a draft writes nothing). A final briefing
with small counts hidden is a publication: every cell it printed or hid is recorded with
its true value and role, with the stored figures under those cells as they were then. Later
briefings read this to keep every hidden cell hidden, and the public dashboard shows only
cells some publication printed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import duckdb

from statistik import districts, store

SHOWN, PRIMARY, COMPLEMENT = "shown", "primary", "complement"
ROLE_NAMES = {SHOWN: "vist", PRIMARY: "lille tal", COMPLEMENT: "skjult for at beskytte et lille tal"}


@dataclass(frozen=True)
class Final:
    """One final briefing: for which meeting, when, by whom, covering what, with which threshold."""

    id: int
    meeting_date: dt.date
    created_at: dt.datetime
    created_by: str
    periods: str
    suppress_below: int | None
    file_format: str
    organisation: str | None = None

    @property
    def public(self) -> bool:
        """Whether small counts were hidden, i.e. it may be published."""
        return self.suppress_below is not None


@dataclass(frozen=True)
class PublishedCell:
    """A cell a publication printed or hid: a municipality's or the district's count over some months."""

    source: str
    category: str
    area: str
    start: dt.date
    months: int
    value: int
    role: str


@dataclass(frozen=True)
class PublishedFigure:
    """A stored figure under a published cell, as it was when published."""

    source: str
    category: str
    area: str
    kind: str
    start: dt.date
    count: int


@dataclass
class Publication:
    """A public final briefing with everything it published."""

    final: Final
    members: tuple[str, ...]
    cells: list[PublishedCell] = field(default_factory=list)
    figures: list[PublishedFigure] = field(default_factory=list)


class Raced(Exception):
    """Another final briefing was recorded after this one was decided; it must be made again."""


_FINAL_COLUMNS = "id, meeting_date, created_at, created_by, periods, suppress_below, file_format, organisation"


def finals(con: duckdb.DuckDBPyConnection) -> list[Final]:
    """Every final briefing, newest first."""
    rows = con.execute(f"SELECT {_FINAL_COLUMNS} FROM briefing WHERE final ORDER BY created_at DESC, id DESC")
    return [Final(*r) for r in rows.fetchall()]


def previous(con: duckdb.DuckDBPyConnection, meeting: dt.date) -> Final | None:
    """The newest final briefing for an earlier meeting, or None.

    Briefings for the same meeting (the PDF and the Word file) do not count: both files of a
    meeting report the same changes since the meeting before.
    """
    row = con.execute(f"SELECT {_FINAL_COLUMNS} FROM briefing WHERE final AND meeting_date < ? "
                      "ORDER BY created_at DESC, id DESC LIMIT 1", [meeting]).fetchone()
    return Final(*row) if row else None


def record(
    con: duckdb.DuckDBPyConnection, *, meeting: dt.date, created_by: str, periods: str, suppress_below: int | None,
    file_format: str, organisation: str, members: Iterable[str], cells: Iterable[PublishedCell] = (),
    figures: Iterable[PublishedFigure] = (), content: bytes | None = None, created_at: dt.datetime | None = None,
    expect_latest: int | None | str = "any",
) -> int:
    """Record a final briefing and (when public) what it published, in one transaction; returns its id.

    `expect_latest`: the newest final briefing the cells were decided against; if another
    was recorded since, Raced (the new one might undo what that one hid).
    """
    created_at = created_at or dt.datetime.now()
    with store.transaction(con):
        if expect_latest != "any" and latest_id(con) != expect_latest:
            raise Raced("Et andet bilag er gjort endeligt, mens dette blev lavet. Lav bilaget igen, så det tager "
                        "højde for det.")
        briefing_id = con.execute(
            """INSERT INTO briefing (meeting_date, created_at, created_by, periods, suppress_below, file_format,
                                     final, organisation, members, content)
               VALUES (?, ?, ?, ?, ?, ?, TRUE, ?, ?, ?) RETURNING id""",
            [meeting, created_at, created_by, periods, suppress_below, file_format, organisation, list(members),
             content],
        ).fetchone()[0]
        cell_rows = [(briefing_id, c.source, c.category, c.area, c.start, c.months, c.value, c.role) for c in cells]
        if cell_rows:
            con.executemany("INSERT INTO publication_cell VALUES (?, ?, ?, ?, ?, ?, ?, ?)", cell_rows)
        figure_rows = [(briefing_id, f.source, f.category, f.area, f.kind, f.start, f.count) for f in figures]
        if figure_rows:
            con.executemany("INSERT INTO publication_figure VALUES (?, ?, ?, ?, ?, ?, ?)", figure_rows)
    return briefing_id


def latest_id(con: duckdb.DuckDBPyConnection) -> int | None:
    """The id of the newest final briefing, or None."""
    return con.execute("SELECT max(id) FROM briefing WHERE final").fetchone()[0]


def publications(con: duckdb.DuckDBPyConnection) -> list[Publication]:
    """Every public final briefing with its cells and figures, oldest first."""
    out: dict[int, Publication] = {}
    for row in con.execute(f"SELECT {_FINAL_COLUMNS}, members FROM briefing WHERE final AND suppress_below IS NOT NULL "
                           "ORDER BY created_at, id").fetchall():
        out[row[0]] = Publication(Final(*row[:-1]), tuple(row[-1] or ()))
    if not out:
        return []
    ids = list(out)
    for row in con.execute("""SELECT briefing_id, source, category_code, area_code, period_start, months, value, role
                              FROM publication_cell WHERE briefing_id IN (SELECT unnest(?))
                              ORDER BY briefing_id, source, category_code, period_start, months, area_code""",
                           [ids]).fetchall():
        out[row[0]].cells.append(PublishedCell(*row[1:]))
    for row in con.execute("""SELECT briefing_id, source, category_code, area_code, period_kind, period_start, count
                              FROM publication_figure WHERE briefing_id IN (SELECT unnest(?))
                              ORDER BY briefing_id, source, category_code, period_start, area_code""",
                           [ids]).fetchall():
        out[row[0]].figures.append(PublishedFigure(*row[1:]))
    return list(out.values())


def shown_figures(con: duckdb.DuckDBPyConnection) -> dict[tuple, set[int]]:
    """Figures printed as they are by some publication: (source, category, area, kind, start) → values.

    A figure is printed when a publication showed the cell of exactly one stored period (of a
    municipality, or the district's sum of them). The public dashboard shows a figure only if
    its value is among these.
    """
    rows = con.execute(
        """SELECT DISTINCT c.source, c.category_code, c.area_code, k.period_kind, c.period_start, c.value
           FROM publication_cell c
           JOIN (SELECT DISTINCT briefing_id, source, category_code, period_kind FROM publication_figure) k
                USING (briefing_id, source, category_code)
           JOIN briefing b ON b.id = c.briefing_id
           WHERE b.final AND c.role = 'shown'
             AND c.months = CASE k.period_kind WHEN 'M' THEN 1 WHEN 'Q' THEN 3 ELSE 12 END"""
    ).fetchall()
    out: dict[tuple, set[int]] = {}
    for source, category, area, kind, start, value in rows:
        district = districts.by_code(area)     # 'kbh' of briefings from before the district was a setting
        area = district.code if district else area
        out.setdefault((source, category, area, kind, start), set()).add(int(value))
    return out


def content(con: duckdb.DuckDBPyConnection, briefing_id: int) -> bytes | None:
    """The file of a final briefing as it was published, if stored."""
    row = con.execute("SELECT content FROM briefing WHERE id = ? AND final", [briefing_id]).fetchone()
    return bytes(row[0]) if row and row[0] is not None else None
