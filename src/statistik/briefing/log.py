"""The briefing log (table `briefing`): every briefing made, so the next one knows what changed since."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class LogEntry:
    """One briefing made: for which meeting, when, by whom, covering what."""

    id: int
    meeting_date: dt.date
    created_at: dt.datetime
    created_by: str
    periods: str
    suppress_below: int | None
    file_format: str


_COLUMNS = "id, meeting_date, created_at, created_by, periods, suppress_below, file_format"


def previous(con: duckdb.DuckDBPyConnection, meeting: dt.date) -> LogEntry | None:
    """The newest briefing made for an earlier meeting, or None.

    Briefings for the same meeting (the PDF and the Word file, or a second try) do not count:
    both files of a meeting report the same changes since the meeting before.
    """
    row = con.execute(
        f"SELECT {_COLUMNS} FROM briefing WHERE meeting_date < ? ORDER BY created_at DESC, id DESC LIMIT 1",
        [meeting],
    ).fetchone()
    return LogEntry(*row) if row else None


def record(
    con: duckdb.DuckDBPyConnection, meeting: dt.date, user: str, periods: str, suppress_below: int | None,
    file_format: str, created_at: dt.datetime | None = None,
) -> int:
    """Log a briefing made; returns its id."""
    created_at = created_at or dt.datetime.now()
    return con.execute(
        """INSERT INTO briefing (meeting_date, created_at, created_by, periods, suppress_below, file_format)
           VALUES (?, ?, ?, ?, ?, ?) RETURNING id""",
        [meeting, created_at, user, periods, suppress_below, file_format],
    ).fetchone()[0]

