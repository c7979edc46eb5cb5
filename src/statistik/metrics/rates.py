"""Rates per 100.000 inhabitants, always with the population year they use.

The rate of a period uses the population on 1 January of the period's year (for a rolling
window: the year of its last period). When that year is not available yet, the latest
earlier year is used and `population_year` says so. A rate is per period, not annualised:
a quarter's rate is a quarter's cases per 100.000 inhabitants.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from statistik.metrics.frame import AREA, COUNT, START
from statistik.metrics.poisson import intervals

PER_100K = 100_000
YEAR = "year"
POPULATION = "population"
POPULATION_YEAR = "population_year"
RATE = "rate"
RATE_LOW = "rate_low"
RATE_HIGH = "rate_high"


def rate(count: int | None, population: int | None, per: int = PER_100K) -> float | None:
    """count per `per` inhabitants; None when either is missing or the population is 0."""
    if count is None or population is None or pd.isna(count) or pd.isna(population) or population == 0:
        return None
    return float(count) / float(population) * per


def population_for(population: pd.DataFrame, area: str, year: int) -> tuple[int, int] | None:
    """(population, year used) for an area: 1 January of `year`, else the latest earlier year."""
    rows = population[(population[AREA] == area) & (population[YEAR] <= year)]
    if rows.empty:
        return None
    row = rows.sort_values(YEAR).iloc[-1]
    return int(row[POPULATION]), int(row[YEAR])


def add_rates(frame: pd.DataFrame, population: pd.DataFrame, per: int = PER_100K) -> pd.DataFrame:
    """Add population, population_year, rate and its exact interval (rate_low, rate_high) to each row."""
    f = frame.copy()
    f["_order"] = range(len(f))
    f["_year"] = pd.to_datetime(f[START]).dt.year.astype("int64")
    # merge_asof needs one dtype for the `by` key: frames built in SQL and in pandas differ.
    area_dtype = f[AREA].astype(str).dtype
    f[AREA] = f[AREA].astype(area_dtype)
    pop = population[[AREA, YEAR, POPULATION]].rename(columns={YEAR: POPULATION_YEAR}).copy()
    pop[AREA] = pop[AREA].astype(f[AREA].dtype)
    pop[POPULATION_YEAR] = pop[POPULATION_YEAR].astype("int64")
    pop["_year"] = pop[POPULATION_YEAR]
    pop[AREA] = pop[AREA].astype(area_dtype)
    merged = pd.merge_asof(
        f.sort_values("_year"), pop.sort_values("_year"), on="_year", by=AREA, direction="backward",
    ).sort_values("_order")
    merged[POPULATION] = merged[POPULATION].astype("Int64")
    merged[POPULATION_YEAR] = merged[POPULATION_YEAR].astype("Int64")
    inhabitants = merged[POPULATION].astype("Float64")
    per_inhabitant = per / inhabitants.where(inhabitants != 0, pd.NA)
    merged[RATE] = merged[COUNT].astype("Float64") * per_inhabitant
    low, high = intervals(merged[COUNT].to_numpy("float64", na_value=np.nan))
    merged[RATE_LOW] = pd.array(low, dtype="Float64") * per_inhabitant.array
    merged[RATE_HIGH] = pd.array(high, dtype="Float64") * per_inhabitant.array
    return merged.drop(columns=["_order", "_year"]).reset_index(drop=True)
