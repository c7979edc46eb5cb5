"""A funnel plot: every municipality's rate per 100.000 against its population, inside chance limits.

`points` has one row per municipality: label, population, rate and member (the district's own
municipalities, drawn dark and named). `limits` has population and the rate limits low_95,
high_95, low_99.8, high_99.8 (`metrics.funnel`); `national` is the rate they centre on.

No ranking: a municipality is judged by whether it lies outside the funnel for its size, not by
its place in a list. Small municipalities stray far by chance, so the funnel is wide on the left;
the population axis is logarithmic (Danish municipalities run from 2.000 to 650.000 inhabitants).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from statistik import formatting
from statistik.charts import style
from statistik.markup import html

LABEL, POPULATION, RATE, MEMBER = "label", "population", "rate", "member"
Y_TITLE = "Anmeldelser pr. 100.000 indbyggere"
X_TITLE = "Indbyggere (logaritmisk skala)"
LIMIT_NAMES = {95: "95 %-grænser: normal variation", 99.8: "99,8 %-grænser"}
_LIMIT_LINES = {95: dict(color="#4d4d4d", width=2.5, dash="dash"), 99.8: dict(color="#1a1a1a", width=2.5, dash="dot")}
OTHERS_NAME = "De andre kommuner"
MEMBERS_NAME = "Kredsens kommuner"


def _ticks(low: float, high: float, narrow: bool = False) -> dict:
    steps = (1_000, 10_000, 100_000, 1_000_000) if narrow else \
        (1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000)
    values = [v for v in steps if low <= v <= high]
    return dict(tickvals=values, ticktext=[formatting.number(v) for v in values])


# Where a name may go, as (horizontal, vertical) steps of its centre from the point: -1 left/below,
# 0 centred, 1 right/above, 2 a line further; tried in this order.
_OFFSETS = [(0, 1), (0, -1), (1, 1), (-1, 1), (1, 0), (-1, 0), (1, -1), (-1, -1),
            (0, 2), (0, -2), (1, 2), (-1, 2), (1, -2), (-1, -2)]
_MARKER_PX = 9          # half the diamond
_LINE_PX = style.BODY_SIZE * 1.25


_PLOT_HEIGHT = 460
NARROW_X_TITLE = "Indbyggere (log. skala)"


def _margins(fig_width: float) -> tuple[int, int]:
    """Left and right margins: a phone has no room for a y-axis title (the chart's title says the unit)."""
    return (56, 16) if fig_width < style.NARROW_WIDTH else (90, 40)


def _plot_size(fig_width: float) -> tuple[float, float]:
    left, right = _margins(fig_width)
    return fig_width - left - right, _PLOT_HEIGHT


def _plot_px(points: pd.DataFrame, low: float, high: float, top: float, fig_width: float):
    """The points' positions in plot px (log population across, rate up)."""
    width, height = _plot_size(fig_width)
    xs = (np.log10(points[POPULATION]) - np.log10(low)) / (np.log10(high) - np.log10(low)) * width
    ys = points[RATE] / top * height
    return list(xs), list(ys)


def label_boxes(xs: list[float], ys: list[float], labels: list[str], plot: tuple[float, float]) -> list[tuple]:
    """A place per label (points in plot px, y up) so that no two labels overlap and none leaves the plot,
    where the offsets allow it; else the one that overlaps least. Greedy from the top down, then each
    label moved again to its best place given all the others until nothing improves.
    Returns ((dx, dy) offset of the label's centre in px, (x0, y0, x1, y1)) per label, in the labels' order."""
    width, height = plot
    n = len(labels)
    widths = [style.text_width(label, style.BODY_SIZE) for label in labels]
    dots = [(x - _MARKER_PX, y - _MARKER_PX, x + _MARKER_PX, y + _MARKER_PX) for x, y in zip(xs, ys)]

    def shift(i: int, step: tuple[int, int]) -> tuple[float, float]:
        dx, dy = step
        up = 0.0 if dy == 0 else math.copysign(_LINE_PX / 2 + _MARKER_PX + 2 + (abs(dy) - 1) * _LINE_PX, dy)
        return dx * (widths[i] / 2 + _MARKER_PX + 2), up

    def box(i: int, step: tuple[int, int]) -> tuple[float, float, float, float]:
        sx, sy = shift(i, step)
        cx, cy = xs[i] + sx, ys[i] + sy
        return cx - widths[i] / 2, cy - _LINE_PX / 2, cx + widths[i] / 2, cy + _LINE_PX / 2

    def overlap(a, b) -> float:
        return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))

    def cost(i: int, step: tuple[int, int], chosen: dict[int, tuple[int, int]]) -> float:
        b = box(i, step)
        outside = max(0.0, -b[0]) + max(0.0, b[2] - width) + max(0.0, -b[1]) + max(0.0, b[3] - height)
        labels_hit = sum(overlap(b, box(j, other)) for j, other in chosen.items() if j != i)
        return 1_000 * outside + 100 * labels_hit + sum(overlap(b, d) for d in dots)

    chosen: dict[int, tuple[int, int]] = {}
    for i in sorted(range(n), key=lambda i: -ys[i]):
        chosen[i] = min(_OFFSETS, key=lambda step: cost(i, step, chosen))
    for _ in range(10):
        moved = False
        for i in range(n):
            best = min(_OFFSETS, key=lambda step: (cost(i, step, chosen), step != chosen[i]))
            if best != chosen[i]:
                chosen[i], moved = best, True
        if not moved:
            break
    return [(shift(i, chosen[i]), box(i, chosen[i])) for i in range(n)]


def funnel_figure(points: pd.DataFrame, limits: pd.DataFrame, national: float, *, title: str, source: str,
                  subtitle: str | None = None, members_name: str = MEMBERS_NAME,
                  others_name: str = OTHERS_NAME, width: int | None = None) -> go.Figure:
    """Municipalities (or police districts) as points in a funnel around the national rate; the district's own
    named, the names placed for a figure `width` px wide (default: a screen) so that they do not overlap."""
    d = points.copy()
    d[POPULATION] = pd.to_numeric(d[POPULATION], errors="coerce").astype("float64")
    d[RATE] = pd.to_numeric(d[RATE], errors="coerce").astype("float64")
    d = d[d[POPULATION].notna() & d[RATE].notna()]
    members = d[d[MEMBER].astype(bool)]
    others = d[~d[MEMBER].astype(bool)]
    low, high = float(limits["population"].min()), float(limits["population"].max())
    tops = np.concatenate([d[RATE].to_numpy(), limits["high_99.8"].to_numpy()])
    top = float(np.nanmax(tops)) * 1.08 if tops.size else 1.0
    fig_width = width or style.ASSUMED_WIDTH
    fig = go.Figure(layout=dict(width=width) if width else None)
    for level, line in _LIMIT_LINES.items():
        for side in ("low", "high"):
            fig.add_trace(go.Scatter(
                x=limits["population"], y=limits[f"{side}_{level:g}"], mode="lines", line=line, hoverinfo="skip",
                name=LIMIT_NAMES[level], legendgroup=str(level), showlegend=side == "high", legendrank=3,
            ))
    fig.add_trace(go.Scatter(
        x=[limits["population"].min(), limits["population"].max()], y=[national, national], mode="lines",
        line=dict(color="#1a1a1a", width=2), hoverinfo="skip", legendrank=2,
        name=f"Hele landet: {formatting.number(national, 1)} pr. 100.000",
    ))
    hover = "<b>%{text}</b><br>%{y:,.1f} pr. 100.000<br>%{x:,.0f} indbyggere<extra></extra>"
    fig.add_trace(go.Scatter(
        x=others[POPULATION], y=others[RATE], mode="markers", name=others_name, text=[html(t) for t in others[LABEL]],
        marker=dict(symbol="circle", size=10, color="rgba(120,120,120,0.55)", line=dict(width=1, color="white")),
        hovertemplate=hover, legendrank=4,
    ))
    fig.add_trace(go.Scatter(
        x=members[POPULATION], y=members[RATE], mode="markers", name=members_name,
        text=[html(t) for t in members[LABEL]],
        marker=dict(symbol="diamond", size=17, color="#0b2a5b", line=dict(width=1.5, color="white")),
        hovertemplate=hover, legendrank=1, cliponaxis=False,
    ))
    narrow = fig_width < style.NARROW_WIDTH
    fig.update_xaxes(type="log", range=[np.log10(low), np.log10(high)], title_text=NARROW_X_TITLE if narrow else X_TITLE,
                     showgrid=True, gridcolor="#efefef", ticks="outside", showline=True, tickangle=0,
                     **_ticks(low, high, narrow))
    fig.update_yaxes(title_text=None if narrow else Y_TITLE, rangemode="tozero", range=[0, top], showgrid=True,
                     gridcolor="#efefef", zeroline=True)
    places = label_boxes(*_plot_px(members, low, high, top, fig_width), list(members[LABEL]), _plot_size(fig_width))
    for (population, rate, label), ((sx, sy), _) in zip(members[[POPULATION, RATE, LABEL]].itertuples(index=False),
                                                        places):
        fig.add_annotation(x=np.log10(population), y=rate, text=html(label), showarrow=False, xshift=sx, yshift=sy,
                           xanchor="center", yanchor="middle", font=dict(size=style.BODY_SIZE, color=style.TEXT_COLOR),
                           name="kommune")
    left, right = _margins(fig_width)
    fig.update_layout(margin=dict(l=left, r=right), showlegend=True)
    style.set_plot_height(fig, _PLOT_HEIGHT)
    return style.apply_style(fig, title=title, source=source, subtitle=subtitle)
