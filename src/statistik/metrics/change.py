"""Comparing periods: same period last year, year to date, any two periods; absolute and percent change.

Percent changes are in percent (-22.9 means −22,9 %); divide by 100 for
`statistik.formatting.percent`. There is never a percent on a base of 0, on a missing figure,
or when either count is under 10 (6 → 10 is "+4", not "+66,7 %"): the percent is <NA> and
`change_note` says why. The change in number is always given when both counts are there.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from statistik.metrics.frame import (
    COUNT, KIND, SERIES_KEYS, START, WINDOW_START, GranularityError, SeriesError, check,
    from_month_number, kind_plural, month_number, require_plain,
)
from statistik.metrics.series import aggregate, at
from statistik.periods import Period, months_in

PREVIOUS_START = "previous_start"
PREVIOUS_COUNT = "previous_count"
CHANGE = "change"
CHANGE_PCT = "change_pct"
CHANGE_NOTE = "change_note"
PERIOD_FROM = "period_from"
PERIOD_TO = "period_to"

NO_CURRENT = "ingen tal for perioden"
NO_PREVIOUS = "ingen tal for sammenligningsperioden"
ZERO_BASE = "ingen procent: sammenligningsperioden har 0 tilfælde"
FEW_CASES = "ingen procent: under 10 tilfælde"
FEW = 10   # no percent when either count is below this


@dataclass(frozen=True)
class Change:
    """A change from `previous` to `current`; `reason` says why a part of it is None."""

    current: int | None
    previous: int | None
    absolute: int | None
    pct: float | None
    reason: str | None = None


def _missing(value) -> bool:
    return value is None or bool(pd.isna(value))


def change(current: int | None, previous: int | None) -> Change:
    """Absolute and percent change from previous to current; no percent on a base of 0."""
    if _missing(current) or _missing(previous):
        reason = NO_CURRENT if _missing(current) else NO_PREVIOUS
        return Change(None if _missing(current) else int(current),
                      None if _missing(previous) else int(previous), None, None, reason)
    current, previous = int(current), int(previous)
    absolute = current - previous
    if previous == 0:
        return Change(current, previous, absolute, None, ZERO_BASE)
    if min(current, previous) < FEW:
        return Change(current, previous, absolute, None, FEW_CASES)
    return Change(current, previous, absolute, absolute / previous * 100, None)


def add_change(frame: pd.DataFrame) -> pd.DataFrame:
    """Add change, change_pct and change_note to a frame with count and previous_count."""
    f = frame.copy()
    current, previous = f[COUNT].astype("Int64"), f[PREVIOUS_COUNT].astype("Int64")
    f[CHANGE] = current - previous
    few = ((current < FEW) | (previous < FEW)).fillna(False)
    base = previous.astype("Float64").where((previous != 0) & ~few, pd.NA)
    f[CHANGE_PCT] = f[CHANGE].astype("Float64") / base * 100
    note = pd.Series(None, index=f.index, dtype="object")
    note[few] = FEW_CASES
    note[(previous == 0).fillna(False)] = ZERO_BASE
    note[previous.isna()] = NO_PREVIOUS
    note[current.isna()] = NO_CURRENT
    f[CHANGE_NOTE] = note
    return f


def with_last_year(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the same period a year earlier (previous_start, previous_count) and the change to every row."""
    f = check(frame)
    keys = [KIND, *SERIES_KEYS, START] + ([WINDOW_START] if WINDOW_START in f.columns else [])
    f[PREVIOUS_START] = from_month_number(month_number(f[START]).to_numpy() - 12).to_numpy()
    previous = f[keys + [COUNT]].rename(columns={COUNT: PREVIOUS_COUNT})
    previous[START] = from_month_number(month_number(previous[START]).to_numpy() + 12).to_numpy()
    if WINDOW_START in keys:
        previous[WINDOW_START] = from_month_number(
            month_number(previous[WINDOW_START]).to_numpy() + 12).to_numpy()
    return add_change(f.merge(previous, on=keys, how="left"))


def compare_periods(frame: pd.DataFrame, current: Period, previous: Period) -> pd.DataFrame:
    """Every series' count in `current` against `previous` (periods of one kind), with the change."""
    if current.kind != previous.kind:
        raise SeriesError("To perioder kan kun sammenlignes, når de er lige lange.")
    f = aggregate(frame, current.kind)
    now = at(f, current.start)[[*SERIES_KEYS, COUNT]]
    before = at(f, previous.start)[[*SERIES_KEYS, COUNT]].rename(columns={COUNT: PREVIOUS_COUNT})
    out = now.merge(before, on=list(SERIES_KEYS), how="outer")
    out[KIND] = current.kind
    out[START] = pd.Timestamp(current.start)
    out[PREVIOUS_START] = pd.Timestamp(previous.start)
    return add_change(out).sort_values(list(SERIES_KEYS)).reset_index(drop=True)


def year_to_date(frame: pd.DataFrame, through: Period) -> pd.DataFrame:
    """Each series from 1 January to the end of `through`, against the same months a year earlier."""
    f = check(frame)
    require_plain(f, "År til dato")
    first = through.start.year * 12
    last = first + (through.start.month - 1) + months_in(through.kind) - 1
    f["_m"] = month_number(f[START])
    rows = []
    for (kind, *key), sub in f.groupby([KIND, *SERIES_KEYS], sort=True):
        size = months_in(kind)
        if (last + 1 - first) % size:
            raise GranularityError(
                f"År til dato til og med {through.label} kan ikke opgøres af {kind_plural(kind)}.")
        expected = (last + 1 - first) // size
        sums = []
        for shift in (0, 12):
            part = sub[(sub["_m"] >= first - shift) & (sub["_m"] <= last - shift)][COUNT]
            sums.append(part.sum() if part.count() == expected else pd.NA)
        rows.append([kind, *key, *sums])
    out = pd.DataFrame(rows, columns=[KIND, *SERIES_KEYS, COUNT, PREVIOUS_COUNT])
    for column in (COUNT, PREVIOUS_COUNT):
        out[column] = out[column].astype("Int64")
    out[PERIOD_FROM] = pd.Timestamp(first // 12, 1, 1)
    out[PERIOD_TO] = pd.Timestamp(through.end)
    return add_change(out)
