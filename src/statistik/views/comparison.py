"""The period comparison page: any two periods, every category, with significance."""

from __future__ import annotations

import duckdb
import pandas as pd

from statistik import reference
from statistik.metrics import change as mc, frame as mf, poisson
from statistik.periods import Period, months_in
from statistik.views.common import DISTRICT, series_with_district

COLUMNS = ["category_code", "category", "source", "previous", "current", "change", "change_pct",
           "change_note", "p_value", "significant", "verdict", "small"]


def compare(
    con: duckdb.DuckDBPyConnection, current: Period, previous: Period, area: str = DISTRICT,
    sources: list[str] | None = None,
) -> pd.DataFrame:
    """Every category's count in two periods of one kind, the change and the exact test; per source."""
    if current.kind != previous.kind:
        raise ValueError("De to perioder skal være lige lange (to måneder, to kvartaler eller to år).")
    frame = series_with_district(con, [area], None, sources)
    parts = []
    for source, rows in frame.groupby(mf.SOURCE, sort=True):
        try:
            parts.append(mc.compare_periods(rows, current, previous))
        except mf.SeriesError:
            continue  # this source has no figures of that length
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    out = poisson.add_tests(pd.concat(parts, ignore_index=True))
    out = out[out[mf.COUNT].notna() | out[mc.PREVIOUS_COUNT].notna()]
    names = reference.category_names(con)
    result = pd.DataFrame({
        "category_code": out[mf.CATEGORY],
        "category": out[mf.CATEGORY].map(names),
        "source": out[mf.SOURCE],
        "previous": out[mc.PREVIOUS_COUNT],
        "current": out[mf.COUNT],
        "change": out[mc.CHANGE],
        "change_pct": out[mc.CHANGE_PCT],
        "change_note": out[mc.CHANGE_NOTE],
        "p_value": out[poisson.P_VALUE],
        "significant": out[poisson.IS_SIGNIFICANT],
        "verdict": out[poisson.VERDICT],
        "small": out[poisson.SMALL],
    })
    return result.sort_values(["source", "category"]).reset_index(drop=True)


def periods_available(con: duckdb.DuckDBPyConnection, kind: str) -> list[Period]:
    """Periods of `kind` that some stored figure covers, newest first."""
    rows = con.execute(
        """SELECT DISTINCT period_kind, period_start FROM figure"""
    ).fetchall()
    size = months_in(kind)
    starts = set()
    for k, start in rows:
        if months_in(k) <= size:
            month = (start.month - 1) // size * size + 1
            starts.add(start.replace(month=month, day=1))
    return sorted((Period(kind, s) for s in starts), key=lambda p: p.start, reverse=True)


def year_before(available: list[Period], current: Period) -> Period:
    """What to compare `current` with: the same period a year earlier if it has figures, else the next older one.

    `available` is newest first, as periods_available gives it.
    """
    earlier = Period(current.kind, current.start.replace(year=current.start.year - 1))
    if earlier in available:
        return earlier
    index = available.index(current)
    return available[min(index + 1, len(available) - 1)]
