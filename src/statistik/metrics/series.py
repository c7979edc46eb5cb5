"""Aggregating a series: to months, quarters or years, and rolling 12 months (4 quarters).

A coarser period is summed only when every one of its parts is there; otherwise its count is
<NA> and `complete` is False. Figures are never split into finer periods, and sources are
never added together: every step works per area, category and source.
"""

from __future__ import annotations

import pandas as pd

from statistik.metrics.frame import (
    AREA, CATEGORY, COLUMNS, COUNT, KIND, KINDS, SERIES_KEYS, SOURCE, START, WINDOW_START,
    GranularityError, SeriesError, empty, fill_gaps, from_month_number, kind_name, kind_plural,
    month_number, require_one_kind_per_series, require_plain,
)
from statistik.periods import MONTHS_IN, months_in

PRESENT = "periods_present"
EXPECTED = "periods_expected"
COMPLETE = "complete"
AGGREGATE_COLUMNS = (*COLUMNS, PRESENT, EXPECTED, COMPLETE)
ROLLING_MONTHS = 12


def _refuse_finer(frame: pd.DataFrame, kind: str) -> None:
    coarser = frame[frame[KIND].map(MONTHS_IN) > months_in(kind)]
    if not coarser.empty:
        row = coarser.iloc[0]
        raise GranularityError(
            f"Kilden {row[SOURCE]} har kun tal pr. {kind_name(row[KIND])} for område {row[AREA]}, "
            f"kategori {row[CATEGORY]}; de kan ikke deles op i {kind_plural(kind)}."
        )


def aggregate(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Sum each series to periods of `kind`; a period with a missing part gets count <NA>."""
    if kind not in KINDS:
        raise SeriesError(f"Ukendt periodetype {kind!r} (kendte: M, Q, Y).")
    require_plain(frame, "Sammentælling til måneder, kvartaler og år")
    f = fill_gaps(frame)
    if f.empty:
        return empty([PRESENT, EXPECTED, COMPLETE])
    require_one_kind_per_series(f)
    _refuse_finer(f, kind)
    size = months_in(kind)
    number = month_number(f[START])
    f["_target"] = number - number % size
    f["_expected"] = size // f[KIND].map(MONTHS_IN).astype("int64")
    out = (
        f.groupby([*SERIES_KEYS, "_target"], sort=False)
        .agg(_total=(COUNT, "sum"), _present=(COUNT, "count"), _expected=("_expected", "first"))
        .reset_index()
    )
    out[KIND] = kind
    out[START] = from_month_number(out["_target"].to_numpy())
    out[PRESENT] = out["_present"].astype("int64")
    out[EXPECTED] = out["_expected"].astype("int64")
    out[COMPLETE] = out[PRESENT] == out[EXPECTED]
    out[COUNT] = out["_total"].astype("Int64").where(out[COMPLETE], pd.NA)
    return out[list(AGGREGATE_COLUMNS)].sort_values([*SERIES_KEYS, START]).reset_index(drop=True)


def rolling(frame: pd.DataFrame, months: int = ROLLING_MONTHS) -> pd.DataFrame:
    """Sum over the `months` months ending with each period (12 months = 4 quarters); <NA> over a gap.

    A row is labelled by the last period of its window (`period_start`) and keeps the data's
    period kind; `window_start` is the first period of the window.
    """
    require_plain(frame, "Løbende summer")
    f = fill_gaps(frame)
    if f.empty:
        return empty([WINDOW_START])
    require_one_kind_per_series(f)
    parts = []
    for kind, sub in f.groupby(KIND, sort=False):
        size = months_in(kind)
        if months % size:
            raise GranularityError(
                f"Løbende {months} måneder kan ikke opgøres af tal pr. {kind_name(kind)}."
            )
        window = months // size
        sub = sub.sort_values([*SERIES_KEYS, START]).copy()
        # Gaps are explicit rows now, so each series is contiguous: roll over the whole column
        # and drop the windows that reach back into the previous series.
        summed = sub[COUNT].astype("float64").rolling(window, min_periods=window).sum()
        position = sub.groupby(list(SERIES_KEYS), sort=False).cumcount()
        sub[COUNT] = summed.where(position >= window - 1).round().astype("Int64")
        sub[WINDOW_START] = from_month_number(month_number(sub[START]).to_numpy() - (window - 1) * size).to_numpy()
        parts.append(sub[[*COLUMNS, WINDOW_START]])
    return pd.concat(parts).sort_values([*SERIES_KEYS, KIND, START]).reset_index(drop=True)


def at(frame: pd.DataFrame, start) -> pd.DataFrame:
    """The rows of a frame whose period starts on `start` (a date or timestamp)."""
    return frame[frame[START] == pd.Timestamp(start)]
