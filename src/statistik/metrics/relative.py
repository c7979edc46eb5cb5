"""Counts relative to a reference: an index (base year = 100) and a share of a total (in percent)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from statistik.metrics.frame import (
    CATEGORY, COUNT, KIND, SERIES_KEYS, SOURCE, START, WINDOW_START, SeriesError, check, month_number,
)
from statistik.periods import MONTHS_IN

INDEX = "index"
INDEX_BASE = "index_base"
INDEX_BASE_YEAR = "index_base_year"
WHOLE_COUNT = "whole_count"
SHARE_PCT = "share_pct"
SHARE_ON = (KIND, START, CATEGORY, SOURCE)


def _window_months(f: pd.DataFrame) -> pd.Series:
    size = f[KIND].map(MONTHS_IN).astype("int64")
    if WINDOW_START not in f.columns:
        return size
    return month_number(f[START]) - month_number(f[WINDOW_START]) + size


def _base_year_totals(f: pd.DataFrame, base_year: int) -> pd.DataFrame:
    """Each series' total for the whole base year, or <NA> when a part of it is missing."""
    keys = [KIND, *SERIES_KEYS]
    if WINDOW_START in f.columns:
        # A 12-month rolling sum ending in the base year's last period is that year's total.
        last = f[START].dt.year.eq(base_year) & (f[START].dt.month + f[KIND].map(MONTHS_IN) - 1).eq(12)
        rows = f[last & _window_months(f).eq(12)]
        return rows[keys + [COUNT]].rename(columns={COUNT: INDEX_BASE})
    rows = f[f[START].dt.year == base_year]
    totals = rows.groupby(keys, sort=False).agg(_sum=(COUNT, "sum"), _n=(COUNT, "count")).reset_index()
    expected = 12 // totals[KIND].map(MONTHS_IN).astype("int64")
    totals[INDEX_BASE] = totals["_sum"].astype("Int64").where(totals["_n"] == expected, pd.NA)
    return totals[keys + [INDEX_BASE]]


def index(frame: pd.DataFrame, base_year: int) -> pd.DataFrame:
    """Add `index`: the count against the base year's average for the same length of period (= 100).

    Monthly figures are compared with the base year's monthly average, quarterly with its
    quarterly average, rolling 12 months with the base year's total. No index when the base
    year is incomplete or its total is 0.
    """
    f = check(frame)
    if WINDOW_START in f.columns and not _window_months(f).eq(12).all():
        raise SeriesError("Indeks af løbende summer kræver et vindue på 12 måneder.")
    totals = _base_year_totals(f, base_year)
    f = f.merge(totals, on=[KIND, *SERIES_KEYS], how="left")
    base = f[INDEX_BASE].astype("Float64") * _window_months(f).astype("float64") / 12
    base = base.where(base != 0, pd.NA)
    f[INDEX_BASE] = base
    f[INDEX] = f[COUNT].astype("Float64") / base * 100
    f[INDEX_BASE_YEAR] = base_year
    return f


def share(part: pd.DataFrame, whole: pd.DataFrame, on: Sequence[str] = SHARE_ON) -> pd.DataFrame:
    """Add whole_count and share_pct: each row's count as a percent of the matching row of `whole`.

    `on` names the columns that match a part to its whole; by default period, category and
    source, so that `whole` is an area total (the district, the region, the country). For a
    category's share of all offences pass on=(period_kind, period_start, area_code, source).
    """
    on = list(on)
    whole = check(whole)
    if whole.duplicated(on).any():
        raise SeriesError(f"Totalen har mere end én række for {', '.join(on)}.")
    f = check(part).merge(whole[on + [COUNT]].rename(columns={COUNT: WHOLE_COUNT}), on=on, how="left")
    total = f[WHOLE_COUNT].astype("Float64")
    f[SHARE_PCT] = f[COUNT].astype("Float64") / total.where(total != 0, pd.NA) * 100
    return f
