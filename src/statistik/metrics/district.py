"""The police district as a derived total: the sum of its municipalities, never a partial sum.

A district period is missing when any member municipality is missing for it. Sources are
kept apart, as everywhere. Its population is the members' population summed, for years in
which every member has one.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from statistik import config
from statistik.metrics.frame import (
    AREA, CATEGORY, COLUMNS, COUNT, KIND, SOURCE, START, WINDOW_START, check, empty,
)
from statistik.metrics.rates import POPULATION, YEAR

MEMBERS_PRESENT = "members_present"


def _require_members(members: Sequence[str]) -> list[str]:
    members = sorted(set(members))
    if not members:
        raise ValueError("Politikredsen har ingen kommuner.")
    return members


def district_total(
    frame: pd.DataFrame, members: Sequence[str], code: str = config.DISTRICT_CODE
) -> pd.DataFrame:
    """Rows for the district `code`: the members' sum per period, category and source; <NA> if one is missing."""
    members = _require_members(members)
    f = check(frame)
    f = f[f[AREA].isin(members)]
    extra = [WINDOW_START] if WINDOW_START in f.columns else []
    if f.empty:
        return empty([*extra, MEMBERS_PRESENT])
    keys = [KIND, START, CATEGORY, SOURCE, *extra]
    out = (
        f.groupby(keys, sort=False)
        .agg(_total=(COUNT, "sum"), **{MEMBERS_PRESENT: (COUNT, "count")})
        .reset_index()
    )
    out[AREA] = code
    out[COUNT] = out["_total"].astype("Int64").where(out[MEMBERS_PRESENT] == len(members), pd.NA)
    return out[[*COLUMNS, *extra, MEMBERS_PRESENT]].sort_values(
        [CATEGORY, SOURCE, KIND, START]).reset_index(drop=True)


def with_district(
    frame: pd.DataFrame, members: Sequence[str], code: str = config.DISTRICT_CODE
) -> pd.DataFrame:
    """The frame with the district's derived rows added."""
    total = district_total(frame, members, code).drop(columns=[MEMBERS_PRESENT])
    return pd.concat([check(frame), total], ignore_index=True)


def district_population(
    population: pd.DataFrame, members: Sequence[str], code: str = config.DISTRICT_CODE
) -> pd.DataFrame:
    """Population rows (area_code, year, population) for the district, in years every member has one."""
    members = _require_members(members)
    p = population[population[AREA].isin(members)]
    out = p.groupby(YEAR).agg(_total=(POPULATION, "sum"), _present=(AREA, "nunique")).reset_index()
    out = out[out["_present"] == len(members)]
    return pd.DataFrame({
        AREA: code,
        YEAR: out[YEAR].astype("int64").to_numpy(),
        POPULATION: out["_total"].astype("int64").to_numpy(),
    })


def with_district_population(
    population: pd.DataFrame, members: Sequence[str], code: str = config.DISTRICT_CODE
) -> pd.DataFrame:
    """The population frame with the district's summed rows added."""
    return pd.concat([population, district_population(population, members, code)], ignore_index=True)
