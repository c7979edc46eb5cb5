"""Time axes with Danish tick labels, and number axes that leave room for their labels.

A period is drawn at its middle (mid-June for June 2025, mid-August for 3. kvt. 2025), so an
event on 4 June sits inside the June point's period rather than after it. Plotly names months
in English, so ticks are set explicitly from `statistik.periods.period_label`.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from statistik import formatting
from statistik.periods import MONTH, QUARTER, YEAR, Period, months_in, period_label

ROLLING = "R"           # rolling 12 months, labelled by the window's last month
MAX_TICKS = 8
_STEPS = {MONTH: (1, 2, 3, 6, 12, 24, 36), QUARTER: (1, 2, 4, 8, 12), YEAR: (1, 2, 5, 10)}


def base_kind(kind: str) -> str:
    """The calendar kind a point of this kind covers ('R' points are months)."""
    if kind == ROLLING:
        return MONTH
    if kind not in (MONTH, QUARTER, YEAR):
        raise ValueError(f"Ukendt periodetype {kind!r} (kendte: M, Q, Y, R).")
    return kind


def period_end(kind: str, start) -> pd.Timestamp:
    """The first day after the period (exclusive end) as a timestamp."""
    period = Period(base_kind(kind), pd.Timestamp(start).date())
    return pd.Timestamp(period.end) + pd.Timedelta(days=1)


def period_middle(kind: str, start) -> pd.Timestamp:
    """The middle of a period, where its point is drawn."""
    begin = pd.Timestamp(start).normalize()
    return begin + (period_end(kind, begin) - begin) / 2


def point_label(kind: str, start) -> str:
    """Danish label of a point: 'jan. 2025', '3. kvt. 2025', '2025'."""
    return period_label(base_kind(kind), pd.Timestamp(start).date())


def max_ticks(plot_px: float) -> int:
    """How many period ticks fit a plot `plot_px` wide ('3. kvt. 2025' is about 110 px wide, ticks sit 100 px apart or more): 8 on a screen,
    fewer on a phone."""
    return max(2, min(MAX_TICKS, int(plot_px // 100)))


def time_ticks(kind: str, starts, most: int = MAX_TICKS) -> tuple[list[pd.Timestamp], list[str]]:
    """At most `most` tick positions (period middles) and their Danish labels, on round periods."""
    unique = sorted({pd.Timestamp(s).normalize() for s in starts if pd.notna(s)})
    if not unique:
        return [], []
    kind = base_kind(kind)
    size = months_in(kind)
    first = unique[0].year * 12 + unique[0].month - 1
    last = unique[-1].year * 12 + unique[-1].month - 1
    count = (last - first) // size + 1
    step = next((s for s in _STEPS[kind] if math.ceil(count / s) <= most), _STEPS[kind][-1])
    stride = step * size
    months = [m for m in range(first, last + 1, size) if m % stride == 0 or (stride == size)]
    if len(months) < 2:       # a short span off the round periods: label its ends
        months = sorted({first, last})
    starts_at = [pd.Timestamp(dt.date(m // 12, m % 12 + 1, 1)) for m in months]
    return [period_middle(kind, s) for s in starts_at], [period_label(kind, s.date()) for s in starts_at]


def time_range(kind: str, starts) -> tuple[pd.Timestamp, pd.Timestamp]:
    """From the first period's start to the last period's (exclusive) end."""
    valid = [pd.Timestamp(s).normalize() for s in starts if pd.notna(s)]
    return min(valid), period_end(kind, max(valid))


def number_format(values) -> str:
    """d3 format for hover values: whole numbers without decimals, others with one."""
    numbers = [float(v) for v in values if v is not None and not pd.isna(v)]
    whole = all(abs(v - round(v)) < 1e-9 for v in numbers)
    return ",.0f" if whole else ",.1f"


def tick_label_width(max_value: float, size: float) -> float:
    """Estimated px width of the widest number tick ('12.500') on an axis up to `max_value`."""
    value = max_value if max_value and not math.isnan(max_value) else 0
    text = formatting.number(value, 1 if value < 10 else 0)     # small axes get ticks like '2,5'
    return len(text) * size * 0.6 + 6
