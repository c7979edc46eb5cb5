"""A police district as a derived total: the sum of its members, never a partial sum.

A district period is missing when any member municipality is missing for it; a member that is
no municipality (Christiansø in Bornholms Politi) is added when it has a figure and never
required. Sources are kept apart, as everywhere. The population is summed the same way, for the
years in which every member municipality has one.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from statistik.districts import District
from statistik.metrics.frame import (
    AREA, CATEGORY, COLUMNS, COUNT, KIND, SOURCE, START, WINDOW_START, check, empty,
)
from statistik.metrics.rates import POPULATION, YEAR

MEMBERS_PRESENT = "members_present"   # how many member municipalities have the figure


def _membership(districts: Iterable[District]) -> tuple[dict[str, str], dict[str, bool], dict[str, int]]:
    """area → its district's code, area → whether every figure needs it, district code → how many are needed."""
    area_to, needed, required = {}, {}, {}
    for d in districts:
        if not d.municipalities:
            raise ValueError(f"{d.name} har ingen kommuner.")
        required[d.code] = len(d.municipalities)
        for m in d.members:
            area_to[m], needed[m] = d.code, m in d.municipalities
    return area_to, needed, required


def district_totals(frame: pd.DataFrame, districts: Iterable[District]) -> pd.DataFrame:
    """Rows for each district: its members' sum per period, category and source; <NA> if a municipality is
    missing. One pass over the frame however many districts are asked for."""
    area_to, needed, required = _membership(districts)
    f = check(frame)
    f = f[f[AREA].isin(area_to)]
    extra = [WINDOW_START] if WINDOW_START in f.columns else []
    if f.empty:
        return empty([*extra, MEMBERS_PRESENT])
    keys = [KIND, START, CATEGORY, SOURCE, *extra]
    counted = f.assign(_district=f[AREA].map(area_to), _needed=f[AREA].map(needed) & f[COUNT].notna())
    out = (
        counted.groupby(["_district", *keys], sort=False)
        .agg(_total=(COUNT, "sum"), **{MEMBERS_PRESENT: ("_needed", "sum")})
        .reset_index()
    )
    out[AREA] = out["_district"]
    complete = out[MEMBERS_PRESENT] == out["_district"].map(required)
    out[COUNT] = out["_total"].astype("Int64").where(complete, pd.NA)
    return out[[*COLUMNS, *extra, MEMBERS_PRESENT]].sort_values(
        [AREA, CATEGORY, SOURCE, KIND, START]).reset_index(drop=True)


def district_total(frame: pd.DataFrame, district: District) -> pd.DataFrame:
    """Rows for the district: its members' sum per period, category and source; <NA> if a municipality is missing."""
    return district_totals(frame, [district])


def with_district(frame: pd.DataFrame, district: District) -> pd.DataFrame:
    """The frame with the district's derived rows added."""
    total = district_total(frame, district).drop(columns=[MEMBERS_PRESENT])
    return pd.concat([check(frame), total], ignore_index=True)


def districts_population(population: pd.DataFrame, districts: Iterable[District]) -> pd.DataFrame:
    """Population rows (area_code, year, population) for each district, in years every member municipality has one."""
    area_to, needed, required = _membership(districts)
    p = population[population[AREA].isin(area_to)]
    p = p.assign(_district=p[AREA].map(area_to), _needed=p[AREA].map(needed))
    out = p.groupby(["_district", YEAR]).agg(_total=(POPULATION, "sum"), _present=("_needed", "sum")).reset_index()
    out = out[out["_present"] == out["_district"].map(required)]
    return pd.DataFrame({
        AREA: out["_district"].to_numpy(),
        YEAR: out[YEAR].astype("int64").to_numpy(),
        POPULATION: out["_total"].astype("int64").to_numpy(),
    })


def district_population(population: pd.DataFrame, district: District) -> pd.DataFrame:
    """Population rows (area_code, year, population) for the district, in years every member municipality has one."""
    return districts_population(population, [district])


def with_district_population(population: pd.DataFrame, districts: Iterable[District]) -> pd.DataFrame:
    """The population frame with each district's summed rows added."""
    return pd.concat([population, districts_population(population, districts)], ignore_index=True)
