"""How old the newest official quarter is: Statistikbanken publishes STRAF11 a quarter at a time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from statistik import config
from statistik.periods import Period

# DST publishes a quarter about six weeks after it ends; five months after the end of the newest
# quarter held, the next one is almost certainly out.
STALE_MONTHS = 5


@dataclass(frozen=True)
class DstAge:
    """The newest STRAF11 quarter in the store and the whole months since it ended."""

    latest: Period
    months: int

    @property
    def stale(self) -> bool:
        """More than five months old: newer figures are probably published."""
        return self.months > STALE_MONTHS

    @property
    def text(self) -> str:
        """What Datastatus says, in Danish."""
        age = "under en måned" if self.months < 1 else f"{self.months} {'måned' if self.months == 1 else 'måneder'}"
        out = (f"Det nyeste kvartal fra Danmarks Statistik (STRAF11) er {self.latest.label}, "
               f"som sluttede for {age} siden.")
        if self.stale:
            out += (" Det er mere end fem måneder, så Danmarks Statistik har sandsynligvis offentliggjort nyere tal. "
                    "En analytiker kan hente dem med knappen 'Hent nye tal fra Danmarks Statistik' på siden Upload "
                    "eller med `statistik fetch-dst`.")
        return out


def months_between(end: dt.date, today: dt.date) -> int:
    """Whole months from the day after `end` up to `today`."""
    start = end + dt.timedelta(days=1)
    months = (today.year - start.year) * 12 + today.month - start.month
    return months - (today.day < start.day)


def dst_age(con: duckdb.DuckDBPyConnection, today: dt.date | None = None) -> DstAge | None:
    """The age of the newest quarter from Danmarks Statistik, or None when the store has none."""
    newest = con.execute(
        "SELECT max(period_start) FROM figure WHERE source = ? AND period_kind = 'Q'", [config.DST_SOURCE]
    ).fetchone()[0]
    if newest is None:
        return None
    latest = Period("Q", newest)
    return DstAge(latest, max(months_between(latest.end, today or dt.date.today()), 0))
