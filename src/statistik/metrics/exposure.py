"""Exposure: how many inhabitant-days a period of an area covers, so unequal periods compare fairly.

Two counts are compared as rates: cases per inhabitant per day. February has 28 days and March
31, so equal daily rates give counts in the ratio 28 : 31; København grows about 1,2 % a year,
so the same rate gives more cases the next year. The exposure of a period is its number of days
times the population on 1 January of its year (FOLK1A; the latest earlier year when that one is
not published yet, as for rates, and the first published year for periods before it). A series
of an area without population figures (one FOLK1A does not cover) is measured in days only,
consistently over all its periods, so that its ratios stay right.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from statistik.metrics.frame import AREA, COUNT, KIND, SERIES_KEYS, START, check, from_month_number, month_number
from statistik.metrics.rates import POPULATION, POPULATION_YEAR, YEAR
from statistik.periods import MONTHS_IN

DAYS = "days"
EXPOSURE = "exposure"


def days(kind: pd.Series, start: pd.Series) -> pd.Series:
    """Number of days in each period (28–31 for a month, 90–92 for a quarter, 365–366 for a year)."""
    first = month_number(start)
    after = from_month_number((first + kind.map(MONTHS_IN).astype("int64")).to_numpy())
    return pd.Series((after.to_numpy() - start.to_numpy()) // np.timedelta64(1, "D"),
                     index=start.index, dtype="int64")


def add_exposure(frame: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Add days, population, population_year and exposure (inhabitant-days, or days) to every row."""
    f = check(frame)
    f[DAYS] = days(f[KIND], f[START]) if not f.empty else pd.Series(dtype="int64")
    f["_order"] = np.arange(len(f))
    f["_year"] = f[START].dt.year.astype("int64")
    pop = population[[AREA, YEAR, POPULATION]].rename(columns={YEAR: POPULATION_YEAR}).copy()
    pop[AREA] = pop[AREA].astype(f[AREA].dtype)
    pop[POPULATION_YEAR] = pop[POPULATION_YEAR].astype("int64")
    pop["_year"] = pop[POPULATION_YEAR]
    if f.empty:
        f[POPULATION] = pd.Series(dtype="Int64")
        f[POPULATION_YEAR] = pd.Series(dtype="Int64")
        f[EXPOSURE] = pd.Series(dtype="float64")
        return f.drop(columns=["_order", "_year"])
    ordered, pop = f.sort_values("_year"), pop.sort_values("_year")
    merged = pd.merge_asof(ordered, pop, on="_year", by=AREA, direction="backward")
    # Before an area's first population year, that year's population: so a series' exposure never
    # depends on how far back it is read (a long police series and FOLK1A from 2016).
    first = pd.merge_asof(ordered, pop, on="_year", by=AREA, direction="forward")
    early = merged[POPULATION].isna().to_numpy()
    merged.loc[early, [POPULATION, POPULATION_YEAR]] = first.loc[early, [POPULATION, POPULATION_YEAR]].to_numpy()
    merged = merged.sort_values("_order").reset_index(drop=True)
    merged[POPULATION] = merged[POPULATION].astype("Int64")
    merged[POPULATION_YEAR] = merged[POPULATION_YEAR].astype("Int64")
    inhabitants = merged[POPULATION].astype("float64")
    # A series with a period lacking population is measured in days for all its periods.
    complete = inhabitants.notna().groupby([merged[k] for k in (*SERIES_KEYS, KIND)]).transform("all")
    merged[EXPOSURE] = merged[DAYS].astype("float64") * np.where(complete, inhabitants.fillna(1.0), 1.0)
    return merged.drop(columns=["_order", "_year"])
