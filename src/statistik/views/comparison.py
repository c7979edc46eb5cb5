"""The period comparison: any two periods, every category, with the verdicts of `metrics.verdicts`.

`verdicts` reads what the engine needs from the store — the areas asked for and, to learn what
normal variation is, every other stored area with the same categories and sources — and is the
one path behind the Sammenlign page, the overview cards, the briefing and `statistik compare`.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from statistik import reference
from statistik.metrics import change as mc, dispersion as md, expected as me, frame as mf, verdicts as mv
from statistik.periods import Period, months_in, year_earlier
from statistik.views.common import DISTRICT, area_names, population_with_district, series_with_district

COLUMNS = ["category_code", "category", "source", "previous", "current", "change", "change_pct",
           "change_note", "p_value", "significant", "verdict", "small", "normal_low", "normal_high",
           "expected", "expected_low", "expected_high", "expected_position"]


def _areas(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every stored area and the district: the areas a verdict learns normal variation from."""
    return [DISTRICT, *(r[0] for r in con.execute("SELECT DISTINCT area_code FROM figure ORDER BY 1").fetchall())]


def verdicts(
    con: duckdb.DuckDBPyConnection, current: Period, previous: Period, areas: list[str] | None = None,
    categories: list[str] | None = None, sources: list[str] | None = None,
) -> pd.DataFrame:
    """`metrics.verdicts.compare` for `areas` (None: every area and the district) on the stored figures."""
    frame = series_with_district(con, _areas(con), categories, sources)
    return mv.compare(frame, population_with_district(con), current, previous, areas=areas)


def compare(
    con: duckdb.DuckDBPyConnection, current: Period, previous: Period, area: str = DISTRICT,
    sources: list[str] | None = None,
) -> pd.DataFrame:
    """Every category of one area in two periods of one kind: counts, change, verdicts; per source."""
    out = verdicts(con, current, previous, [area], sources=sources)
    if out.empty:
        return pd.DataFrame(columns=COLUMNS)
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
        "p_value": out[mv.P_VALUE],
        "significant": out[mv.IS_SIGNIFICANT],
        "verdict": out[mv.VERDICT],
        "small": out[mv.SMALL],
        "normal_low": out[mv.NORMAL_LOW],
        "normal_high": out[mv.NORMAL_HIGH],
        "expected": out[me.EXPECTED],
        "expected_low": out[me.EXPECTED_LOW],
        "expected_high": out[me.EXPECTED_HIGH],
        "expected_position": out[me.POSITION],
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
    earlier = year_earlier(current)
    if earlier in available:
        return earlier
    index = available.index(current)
    return available[min(index + 1, len(available) - 1)]



RECORD_KEYS = ("area", "area_name", "category", "category_name", "source", "period", "against", "count",
               "previous_count", "change", "change_pct", "change_note", "p_value", "significant", "verdict",
               "small_count", "normal_low", "normal_high", "expected", "expected_low", "expected_high",
               "expected_position", "phi", "phi_df")


def plain(value):
    """A JSON value: None for <NA>/NaN, int/float/bool/str instead of numpy and pandas types."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def records(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> list[dict]:
    """The rows of `verdicts` as plain dicts with names and period codes (`statistik compare --json`)."""
    areas, categories = area_names(con), reference.category_names(con)
    out = []
    for row in frame.itertuples(index=False):
        r = row._asdict()
        kind = r[mf.KIND]
        out.append({key: plain(value) for key, value in {
            "area": r[mf.AREA], "area_name": areas.get(r[mf.AREA], r[mf.AREA]),
            "category": r[mf.CATEGORY], "category_name": categories.get(r[mf.CATEGORY], r[mf.CATEGORY]),
            "source": r[mf.SOURCE],
            "period": Period(kind, pd.Timestamp(r[mf.START]).date()).code,
            "against": Period(kind, pd.Timestamp(r[mc.PREVIOUS_START]).date()).code,
            "count": r[mf.COUNT], "previous_count": r[mc.PREVIOUS_COUNT], "change": r[mc.CHANGE],
            "change_pct": r[mc.CHANGE_PCT], "change_note": r[mc.CHANGE_NOTE], "p_value": r[mv.P_VALUE],
            "significant": r[mv.IS_SIGNIFICANT], "verdict": r[mv.VERDICT], "small_count": r[mv.SMALL],
            "normal_low": r[mv.NORMAL_LOW], "normal_high": r[mv.NORMAL_HIGH], "expected": r[me.EXPECTED],
            "expected_low": r[me.EXPECTED_LOW], "expected_high": r[me.EXPECTED_HIGH],
            "expected_position": r[me.POSITION], "phi": r[md.PHI], "phi_df": r[md.PHI_DF],
        }.items()})
    return out
