"""The front page's data status: latest period per source, imports and revisions since the previous briefing.

Uploads are timed to the second, so "since" includes the second the previous briefing was
made in: an import in that second is listed (at worst twice over two briefings), never lost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from statistik.periods import KIND_NAMES, Period
from statistik.views import status


@dataclass(frozen=True)
class SourceStatus:
    """A source's figures for the district: period kind, first and latest complete period, last import."""

    source: str
    kind: str
    first: Period
    latest: Period
    last_import: dt.datetime | None
    imports_since: int

    @property
    def kind_name(self) -> str:
        """'kvartalstal', 'månedstal' or 'årstal'."""
        return {"M": "månedstal", "Q": "kvartalstal", "Y": "årstal"}.get(self.kind, KIND_NAMES[self.kind])


def sources(con: duckdb.DuckDBPyConnection, members: list[str], since: dt.datetime | None) -> list[SourceStatus]:
    """Per source and period kind, the latest period in which every one of `members` (the district's municipalities)
    has a figure."""
    rows = con.execute(
        """WITH complete AS (
               SELECT source, period_kind, period_start
               FROM figure WHERE area_code IN (SELECT unnest($members))
               GROUP BY source, period_kind, period_start, category_code
               HAVING count(DISTINCT area_code) = len($members))
           SELECT c.source, c.period_kind, min(c.period_start), max(c.period_start),
                  (SELECT max(u.created_at) FROM upload u WHERE u.source = c.source AND u.status = 'imported'
                     AND u.measure = 'figure'),
                  (SELECT count(*) FROM upload u WHERE u.source = c.source AND u.status = 'imported'
                     AND ($since IS NULL OR u.created_at >= date_trunc('second', $since::TIMESTAMP)))
           FROM complete c GROUP BY c.source, c.period_kind ORDER BY c.source = 'Danmarks Statistik' DESC, c.source""",
        {"members": members, "since": since},
    ).fetchall()
    return [SourceStatus(source, kind, Period(kind, first), Period(kind, latest), last, int(n))
            for source, kind, first, latest, last, n in rows]


def imports_since(con: duckdb.DuckDBPyConnection, since: dt.datetime | None) -> pd.DataFrame:
    """Imports (still in force) after a moment, oldest first: time, file, user, source, new and changed cells."""
    return con.execute(
        """SELECT created_at AS time, file_name, user_name, source, measure, cells_new, cells_changed
           FROM upload WHERE status = 'imported' AND ($since IS NULL OR created_at >= date_trunc('second', $since::TIMESTAMP))
           ORDER BY created_at, id""",
        {"since": since},
    ).df()


def revisions_since(con: duckdb.DuckDBPyConnection, members: list[str], since: dt.datetime | None) -> pd.DataFrame:
    """Figures of the district's municipalities changed (not added) by imports after a moment, newest first."""
    return status.revisions(con, since, areas=members)
