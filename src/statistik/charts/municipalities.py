"""A funnel plot: every municipality's rate per 100.000 against its population, inside chance limits.

`points` has one row per municipality: label, population, rate and member (the district's own
municipalities, drawn dark and named). `limits` has population and the rate limits low_95,
high_95, low_99.8, high_99.8 (`metrics.funnel`); `national` is the rate they centre on.

No ranking: a municipality is judged by whether it lies outside the funnel for its size, not by
its place in a list. Small municipalities stray far by chance, so the funnel is wide on the left;
the population axis is logarithmic (Danish municipalities run from 2.000 to 650.000 inhabitants).
"""

from __future__ import annotations

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


def _ticks(low: float, high: float) -> dict:
    values = [v for v in (1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000)
              if low <= v <= high]
    return dict(tickvals=values, ticktext=[formatting.number(v) for v in values])


def funnel_figure(points: pd.DataFrame, limits: pd.DataFrame, national: float, *, title: str, source: str,
                  subtitle: str | None = None, members_name: str = MEMBERS_NAME,
                  others_name: str = OTHERS_NAME) -> go.Figure:
    """Municipalities (or police districts) as points in a funnel around the national rate; the district's own
    named."""
    d = points.copy()
    d[POPULATION] = pd.to_numeric(d[POPULATION], errors="coerce").astype("float64")
    d[RATE] = pd.to_numeric(d[RATE], errors="coerce").astype("float64")
    d = d[d[POPULATION].notna() & d[RATE].notna()]
    members = d[d[MEMBER].astype(bool)]
    others = d[~d[MEMBER].astype(bool)]
    fig = go.Figure()
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
        x=members[POPULATION], y=members[RATE], mode="markers+text", name=members_name,
        text=[html(t) for t in members[LABEL]],
        textposition=["top left" if p == members[POPULATION].max() and p > 2e5 else "top center"
                      for p in members[POPULATION]], textfont=dict(size=style.BODY_SIZE),
        marker=dict(symbol="diamond", size=17, color="#0b2a5b", line=dict(width=1.5, color="white")),
        hovertemplate=hover, legendrank=1, cliponaxis=False,
    ))
    low, high = float(limits["population"].min()), float(limits["population"].max())
    tops = np.concatenate([d[RATE].to_numpy(), limits["high_99.8"].to_numpy()])
    top = float(np.nanmax(tops)) if tops.size else 1.0
    fig.update_xaxes(type="log", range=[np.log10(low), np.log10(high)], title_text=X_TITLE, showgrid=True,
                     gridcolor="#efefef", ticks="outside", showline=True, **_ticks(low, high))
    fig.update_yaxes(title_text=Y_TITLE, rangemode="tozero", range=[0, top * 1.08], showgrid=True,
                     gridcolor="#efefef", zeroline=True)
    fig.update_layout(margin=dict(l=90, r=40), showlegend=True)
    style.set_plot_height(fig, 460)
    return style.apply_style(fig, title=title, source=source, subtitle=subtitle)
