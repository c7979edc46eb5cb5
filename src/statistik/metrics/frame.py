"""The series frame the metrics work on: its columns, checks, period arithmetic and gaps.

A series frame has one row per stored figure (as `statistik.figures.series` returns it):
period_kind ('M', 'Q', 'Y'), period_start, area_code, category_code, source, count.
Metrics frames keep those columns; `count` is a nullable Int64 where <NA> means missing.
A rolling frame also has `window_start`, the first period of each row's window.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from statistik import config
from statistik.periods import KIND_NAMES, MONTH, MONTHS_IN, QUARTER, YEAR, months_in

KIND = "period_kind"
START = "period_start"
AREA = "area_code"
CATEGORY = "category_code"
SOURCE = "source"
COUNT = "count"
WINDOW_START = "window_start"

SERIES_KEYS = (AREA, CATEGORY, SOURCE)
COLUMNS = (KIND, START, AREA, CATEGORY, SOURCE, COUNT)
KINDS = (MONTH, QUARTER, YEAR)
TIMESTAMP_DTYPE = "datetime64[us]"  # as the store returns period_start

_KIND_PLURAL = {MONTH: "måneder", QUARTER: "kvartaler", YEAR: "år"}


class SeriesError(ValueError):
    """A frame the metrics cannot work on without guessing (mixed kinds, duplicates, ...)."""


class GranularityError(SeriesError):
    """Figures asked for in periods finer than (or not aligned with) those they were reported in."""


def kind_plural(kind: str) -> str:
    """Danish plural of a period kind: 'måneder', 'kvartaler', 'år'."""
    return _KIND_PLURAL[kind]


def check(frame: pd.DataFrame) -> pd.DataFrame:
    """A normalised copy of a series frame (timestamps, Int64 counts); raises SeriesError if unusable."""
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise SeriesError(f"Tabellen mangler kolonnerne {', '.join(missing)}.")
    f = frame.copy().reset_index(drop=True)
    f[START] = pd.to_datetime(f[START]).astype(TIMESTAMP_DTYPE)
    if WINDOW_START in f.columns:
        f[WINDOW_START] = pd.to_datetime(f[WINDOW_START]).astype(TIMESTAMP_DTYPE)
    f[COUNT] = f[COUNT].astype("Int64")
    unknown = sorted(set(f[KIND].unique()) - set(KINDS))
    if unknown:
        raise SeriesError(f"Ukendt periodetype {', '.join(map(str, unknown))} (kendte: M, Q, Y).")
    if f.empty:
        return f
    size = f[KIND].map(MONTHS_IN).astype("int64")
    misaligned = (f[START].dt.day != 1) | ((f[START].dt.month - 1) % size != 0)
    if misaligned.any():
        row = f[misaligned].iloc[0]
        raise SeriesError(f"{row[START]:%Y-%m-%d} er ikke første dag i en periode af typen {row[KIND]}.")
    duplicated = f.duplicated([KIND, START, *SERIES_KEYS])
    if duplicated.any():
        row = f[duplicated].iloc[0]
        raise SeriesError(
            f"Perioden {row[START]:%Y-%m} står to gange for område {row[AREA]}, "
            f"kategori {row[CATEGORY]}, kilde {row[SOURCE]}."
        )
    return f


def require_plain(frame: pd.DataFrame, doing: str) -> None:
    """Refuse a rolling frame where only period figures make sense."""
    if WINDOW_START in frame.columns:
        raise SeriesError(f"{doing} kræver tal pr. periode, ikke løbende summer.")


def require_one_kind_per_series(frame: pd.DataFrame) -> None:
    """Refuse a source that reports one area and category in two period kinds (adding them double-counts)."""
    if frame.empty:
        return
    kinds = frame.groupby(list(SERIES_KEYS), sort=True)[KIND].nunique()
    mixed = kinds[kinds > 1]
    if not mixed.empty:
        area, category, source = mixed.index[0]
        found = sorted(frame.loc[(frame[AREA] == area) & (frame[CATEGORY] == category)
                                 & (frame[SOURCE] == source), KIND].unique())
        raise SeriesError(
            f"Kilden {source} har både {' og '.join(kind_plural(k) for k in found)} for område {area}, "
            f"kategori {category}; vælg én periodetype før tallene lægges sammen."
        )


def month_number(starts: pd.Series) -> pd.Series:
    """Months since year 0 (year * 12 + month - 1), for period arithmetic."""
    return (starts.dt.year * 12 + starts.dt.month - 1).astype("int64")


def from_month_number(numbers: pd.Series | np.ndarray) -> pd.Series:
    """First day of the month with this month number, as timestamps."""
    numbers = pd.Series(numbers, dtype="int64")
    parts = pd.DataFrame({"year": numbers // 12, "month": numbers % 12 + 1, "day": 1})
    return pd.to_datetime(parts).astype(TIMESTAMP_DTYPE)


def fill_gaps(frame: pd.DataFrame) -> pd.DataFrame:
    """Every period between a series' first and last, a missing one as a row with count <NA>."""
    f = check(frame)
    if f.empty:
        return f
    f["_m"] = month_number(f[START])
    keys = [*SERIES_KEYS, KIND]
    grid = f.groupby(keys, sort=False)["_m"].agg(["min", "max"]).reset_index()
    grid["_m"] = [np.arange(lo, hi + 1, months_in(kind))
                  for lo, hi, kind in zip(grid["min"], grid["max"], grid[KIND])]
    grid = grid.drop(columns=["min", "max"]).explode("_m")
    grid["_m"] = grid["_m"].astype("int64")
    out = grid.merge(f.drop(columns=[START]), on=[*keys, "_m"], how="left")
    out[START] = from_month_number(out["_m"].to_numpy())
    out[COUNT] = out[COUNT].astype("Int64")
    ordered = [*COLUMNS, *[c for c in f.columns if c not in COLUMNS and c != "_m"]]
    return out[ordered].sort_values([*SERIES_KEYS, KIND, START]).reset_index(drop=True)


def preferred_source(sources: Iterable[str]) -> str | None:
    """Danmarks Statistik when it is among `sources`, else the first by name; None if there are none."""
    names = sorted(set(sources))
    if config.DST_SOURCE in names:
        return config.DST_SOURCE
    return names[0] if names else None


def newest_source(frame: pd.DataFrame) -> str | None:
    """The source whose latest figure ends last (Danmarks Statistik on a tie); None if it has no counts.

    Ends are compared, not starts: a month and a quarter can end on the same day.
    """
    known = frame[frame[COUNT].notna()]
    if known.empty:
        return None
    ends = month_number(known[START]) + known[KIND].map(MONTHS_IN).astype("int64")
    return preferred_source(known.loc[ends == ends.max(), SOURCE])


def empty(extra: Iterable[str] = ()) -> pd.DataFrame:
    """An empty series frame with the standard columns and `extra` ones."""
    dtypes = {START: TIMESTAMP_DTYPE, COUNT: "Int64"}
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "object")) for c in [*COLUMNS, *extra]})


def kind_name(kind: str) -> str:
    """Danish name of a period kind: 'måned', 'kvartal', 'år'."""
    return KIND_NAMES[kind]
