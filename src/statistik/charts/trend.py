"""Lines over time: one per series, missing periods as gaps, 95 % bands, events and law changes.

`data` has one row per series and period: series (label), period_start, period_kind ('M',
'Q', 'Y', or 'R' for rolling 12 months), value (NaN = missing) and optionally low and high
(the 95 % interval), and expected_low and expected_high (the expected range from earlier years,
`metrics.expected`, drawn as a wide translucent bar at the periods that have one). An 'R' row's period_start is the first day of the window's last month;
quarterly windows given by their last quarter's start, as `metrics.series.rolling` gives
them, are moved there. A period missing from `data` is a gap too: the line is never drawn
through it, nor to 0.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from statistik.charts import axes, events, style
from statistik.markup import html
from statistik.periods import MONTH, QUARTER, YEAR, months_in

SERIES, START, KIND, VALUE, LOW, HIGH = "series", "period_start", "period_kind", "value", "low", "high"
EXPECTED_LOW, EXPECTED_HIGH = "expected_low", "expected_high"
BAND_NAME = "Skygge: 95 %-usikkerhed"
EXPECTED_NAME = "Lodret felt: forventet niveau ud fra de tre foregående år"
_FINENESS = {axes.ROLLING: 0, MONTH: 0, QUARTER: 1, YEAR: 2}


def _point_text(kind: str, start) -> str:
    label = axes.point_label(kind, start)
    return f"12 mdr. til og med {label}" if kind == axes.ROLLING else label


def _step(kind: str, months: list[int]) -> int:
    """Months between a series' points: the period length, or for rolling windows the data's own step.

    Rolling 12 months of quarterly figures come once a quarter, of monthly figures once a month.
    """
    if kind != axes.ROLLING:
        return months_in(kind)
    diffs = [b - a for a, b in zip(months, months[1:]) if b > a]
    return math.gcd(*diffs) if diffs else 1


def with_gaps(data: pd.DataFrame) -> pd.DataFrame:
    """Each series with a row for every period between its first and last; missing ones get NaN."""
    parts = []
    for (name, kind), s in data.groupby([SERIES, KIND], sort=False):
        s = s.sort_values(START)
        first, last = s[START].iloc[0], s[START].iloc[-1]
        offsets = [(t.year - first.year) * 12 + t.month - first.month for t in s[START]]
        size = _step(kind, offsets)
        months = offsets[-1]
        grid = pd.DataFrame({START: [first + pd.DateOffset(months=m) for m in range(0, months + 1, size)]})
        grid[START] = grid[START].astype(s[START].dtype)
        full = grid.merge(s, on=START, how="left")
        full[SERIES], full[KIND] = name, kind
        parts.append(full)
    return pd.concat(parts, ignore_index=True)


def _prepare(data: pd.DataFrame) -> pd.DataFrame:
    d = data.copy().reset_index(drop=True)
    d[START] = pd.to_datetime(d[START]).dt.normalize()
    d[SERIES] = d[SERIES].astype(str)
    for column in (VALUE, LOW, HIGH, EXPECTED_LOW, EXPECTED_HIGH):
        if column in d.columns:
            d[column] = pd.to_numeric(d[column], errors="coerce").astype("float64")
    for kind in d[KIND].unique():
        axes.base_kind(kind)                     # refuses unknown kinds
    return with_gaps(d) if not d.empty else d


def _band(s: pd.DataFrame, x: list, color: str, name: str) -> go.Scatter | None:
    """One closed shape per run of periods that have an interval (a gap breaks the band too)."""
    ok = (s[LOW].notna() & s[HIGH].notna()).to_numpy()
    xs, ys = [], []
    i = 0
    while i < len(ok):
        if not ok[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(ok) and ok[j + 1]:
            j += 1
        seg = range(i, j + 1)
        xs += [x[k] for k in seg] + [x[k] for k in reversed(seg)] + [None]
        ys += [s[HIGH].iloc[k] for k in seg] + [s[LOW].iloc[k] for k in reversed(seg)] + [None]
        i = j + 1
    if not xs:
        return None
    return go.Scatter(x=xs, y=ys, fill="toself", fillcolor=color, line=dict(width=0), mode="lines",
                      hoverinfo="skip", showlegend=False, name=html(f"{name} (95 %)"), legendgroup=name)


def _expected(s: pd.DataFrame, x: list, color: str, name: str) -> go.Scatter | None:
    """A wide translucent vertical bar from expected_low to expected_high at each period that has one."""
    if EXPECTED_LOW not in s.columns:
        return None
    ok = (s[EXPECTED_LOW].notna() & s[EXPECTED_HIGH].notna()).to_numpy()
    if not ok.any():
        return None
    xs, ys = [], []
    for i in np.flatnonzero(ok):
        low, high = float(s[EXPECTED_LOW].iloc[i]), float(s[EXPECTED_HIGH].iloc[i])
        xs += [x[i], x[i], None]
        ys += [low, high, None]
    return go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=color, width=16), hoverinfo="skip",
                      showlegend=False, name=html(f"{name} (forventet)"), legendgroup=name)


def trend_figure(
    data: pd.DataFrame, *, title: str, y_title: str, source: str,
    annotations: pd.DataFrame | None = None, show_bands: bool = True, subtitle: str | None = None,
    width: int | None = None,
) -> go.Figure:
    """Lines over time per series with gaps, optional 95 % bands and event/law-change markers.

    `width` lays the chart out for that many px (a phone: fewer ticks, event labels numbered sooner).
    """
    d = _prepare(data)
    fig = go.Figure(layout=dict(width=width) if width else None)
    has_bands = show_bands and LOW in d.columns and HIGH in d.columns
    names = list(dict.fromkeys(d[SERIES])) if not d.empty else []
    longest = int(d.groupby(SERIES).size().max()) if names else 0
    size = 10 if longest <= 24 else 8 if longest <= 60 else 6
    drew_band = drew_expected = False
    for i, name in enumerate(names):
        s = d[d[SERIES] == name].sort_values(START)
        look = style.series_style(i)
        x = [axes.period_middle(k, t) for k, t in zip(s[KIND], s[START])]
        if has_bands:
            band = _band(s, x, look.band(), name)
            if band is not None:
                fig.add_trace(band)
                drew_band = True
        expected = _expected(s, x, look.band(0.28), name)
        if expected is not None:
            fig.add_trace(expected)
            drew_expected = True
        values = s[VALUE].to_numpy("float64")
        fig.add_trace(go.Scatter(
            x=x, y=[None if np.isnan(v) else float(v) for v in values], name=html(name), legendgroup=name,
            mode="lines+markers", connectgaps=False,
            line=dict(color=look.color, width=style.LINE_WIDTH, dash=look.dash),
            marker=dict(symbol=look.symbol, size=size, color=look.color, line=dict(width=1, color="white")),
            customdata=[_point_text(k, t) for k, t in zip(s[KIND], s[START])],
            hovertemplate=f"<b>{html(name)}</b><br>%{{customdata}}: %{{y:{axes.number_format(values)}}}<extra></extra>",
        ))
    if drew_band:
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=BAND_NAME, hoverinfo="skip",
                                 marker=dict(symbol="square", size=18, color="rgba(0,0,0,0.18)")))
    if drew_expected:
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=EXPECTED_NAME, hoverinfo="skip",
                                 line=dict(color="rgba(0,0,0,0.28)", width=16)))

    columns = [VALUE] + ([HIGH] if drew_band else []) + ([EXPECTED_HIGH] if drew_expected else [])
    shown = d[columns].to_numpy("float64") if not d.empty else np.array([])
    top = float(np.nanmax(shown)) if np.isfinite(shown).any() else np.nan
    left = int(axes.tick_label_width(top, style.TICK_SIZE) + 58)
    right = 40
    fig.update_layout(margin=dict(l=left, r=right), showlegend=len(names) > 1 or drew_band or drew_expected)
    levels = 0
    if not d.empty:
        kind = min(d[KIND].unique(), key=_FINENESS.get)
        x0, x1 = axes.time_range(kind, d[START])
        plot_px = (fig.layout.width or style.ASSUMED_WIDTH) - left - right
        levels = events.add_events(fig, annotations, x0, x1, plot_px, kind)
        tickvals, ticktext = axes.time_ticks(kind, d[START], axes.max_ticks(plot_px))
        pad = (x1 - x0) * 0.015
        fig.update_xaxes(type="date", range=[x0 - pad, x1 + pad], tickvals=tickvals, ticktext=ticktext,
                         showgrid=False, ticks="outside", tickangle=0, showline=True)
    headroom = 1.08 + (0.085 * levels + 0.04 if levels else 0)
    fig.update_yaxes(title_text=y_title, showline=False, ticks="", rangemode="tozero",
                     range=[0, top * headroom] if np.isfinite(top) and top > 0 else None)
    return style.apply_style(fig, title=title, source=source, subtitle=subtitle)
