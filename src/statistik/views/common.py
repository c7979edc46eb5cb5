"""Shared pieces of the page and briefing models: focus trends, area names, series with the districts."""

from __future__ import annotations

import duckdb
import pandas as pd

from statistik import districts, figures, focus, formatting, hierarchy, reference
from statistik.focus import FocusTrend
from statistik.metrics import district, frame as mf
from statistik.periods import Period
from statistik.views import published

__all__ = ["FocusTrend", "area_names", "district_description", "focus_trends", "member_names",
           "period_of", "population_with_district", "series_with_district"]


def focus_trends(con: duckdb.DuckDBPyConnection) -> list[FocusTrend]:
    """The installation's district's focus trends, each with the broader DST category it lies in."""
    return [t.with_context(hierarchy.broader(con, t.category))
            for t in focus.for_district(districts.current().number)]


def area_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Area code → name, with the 12 police districts as derived areas."""
    return {**districts.area_names(), **reference.area_names(con)}


def member_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The names of the installation's district's members: ['København', 'Frederiksberg', 'Dragør', 'Tårnby']."""
    names = reference.area_names(con)
    return [names.get(m, m) for m in districts.current().members]


def district_description(con: duckdb.DuckDBPyConnection) -> str:
    """'Københavns Politikreds: København, Frederiksberg, Dragør og Tårnby'."""
    return f"{districts.current().name}: {formatting.and_list(member_names(con))}"


def series_with_district(
    con: duckdb.DuckDBPyConnection, areas: list[str], categories: list[str] | None = None,
    sources: list[str] | None = None, starts: tuple | None = None,
) -> pd.DataFrame:
    """Stored figures for `areas` (periods in `starts`, see `figures.series`); a police district among them
    ('pk2') is derived from its members, never stored.

    On the public dashboard (`published.mask`) each figure, a district's too, is shown only where a
    publication printed it.
    """
    wanted_districts = [d for d in map(districts.by_code, areas) if d is not None]
    stored = [a for a in areas if districts.by_code(a) is None]
    wanted = sorted(set(stored).union(*(d.members for d in wanted_districts)))
    raw = mf.check(figures.series(con, areas=wanted, categories=categories, sources=sources, starts=starts))
    parts = [published.mask(raw[raw[mf.AREA].isin(stored)])]
    if not raw.empty and wanted_districts:
        parts.append(published.mask(
            district.district_totals(raw, wanted_districts).drop(columns=[district.MEMBERS_PRESENT])))
    out = pd.concat(parts, ignore_index=True)
    return out if not out.empty else mf.empty()


def population_with_district(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Population per area and year, with each police district's sum."""
    return district.with_district_population(figures.population(con), districts.all_districts())


def period_of(row: pd.Series) -> Period:
    """The Period of a frame row."""
    return Period(row[mf.KIND], pd.Timestamp(row[mf.START]).date())
