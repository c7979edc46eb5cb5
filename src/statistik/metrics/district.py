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


def _required(district: District) -> list[str]:
    if not district.municipalities:
        raise ValueError(f"{district.name} har ingen kommuner.")
    return list(district.municipalities)


def district_total(frame: pd.DataFrame, district: District) -> pd.DataFrame:
    """Rows for the district: its members' sum per period, category and source; <NA> if a municipality is missing."""
    required = _required(district)
    f = check(frame)
    f = f[f[AREA].isin(district.members)]
    extra = [WINDOW_START] if WINDOW_START in f.columns else []
    if f.empty:
        return empty([*extra, MEMBERS_PRESENT])
    keys = [KIND, START, CATEGORY, SOURCE, *extra]
    counted = f.assign(_needed=f[AREA].isin(required) & f[COUNT].notna())
    out = (
        counted.groupby(keys, sort=False)
        .agg(_total=(COUNT, "sum"), **{MEMBERS_PRESENT: ("_needed", "sum")})
        .reset_index()
    )
    out[AREA] = district.code
    out[COUNT] = out["_total"].astype("Int64").where(out[MEMBERS_PRESENT] == len(required), pd.NA)
    return out[[*COLUMNS, *extra, MEMBERS_PRESENT]].sort_values(
        [CATEGORY, SOURCE, KIND, START]).reset_index(drop=True)


def with_district(frame: pd.DataFrame, district: District) -> pd.DataFrame:
    """The frame with the district's derived rows added."""
    total = district_total(frame, district).drop(columns=[MEMBERS_PRESENT])
    return pd.concat([check(frame), total], ignore_index=True)


def district_population(population: pd.DataFrame, district: District) -> pd.DataFrame:
    """Population rows (area_code, year, population) for the district, in years every member municipality has one."""
    required = _required(district)
    p = population[population[AREA].isin(district.members)]
    p = p.assign(_needed=p[AREA].isin(required))
    out = p.groupby(YEAR).agg(_total=(POPULATION, "sum"), _present=("_needed", "sum")).reset_index()
    out = out[out["_present"] == len(required)]
    return pd.DataFrame({
        AREA: district.code,
        YEAR: out[YEAR].astype("int64").to_numpy(),
        POPULATION: out["_total"].astype("int64").to_numpy(),
    })


def with_district_population(population: pd.DataFrame, districts: Iterable[District]) -> pd.DataFrame:
    """The population frame with each district's summed rows added."""
    return pd.concat([population, *(district_population(population, d) for d in districts)], ignore_index=True)
