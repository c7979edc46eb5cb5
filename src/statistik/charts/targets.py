"""Counts per year against a limit, such as Dragør's 'under 30 residential burglaries a year'.

`data` has one row per year: year (int), count and met (True, False, or <NA> for a year that
is not complete). Met and missed years differ in fill and hatching, not only in colour, so
they stay apart in grey-scale print; an incomplete year is an outline with dots.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from statistik import formatting
from statistik.charts import style
from statistik.metrics.targets import ABOVE, BELOW

YEAR, COUNT, MET = "year", "count", "met"
MET_NAME = "Mål nået"
MISSED_NAME = "Mål ikke nået"
OPEN_NAME = "Året er ikke afsluttet"
Y_TITLE = "Anmeldelser pr. år"

_LOOKS = {
    True: dict(name=MET_NAME, color="#2f6fbf", pattern="", line="#0b2a5b"),
    False: dict(name=MISSED_NAME, color="#f3c27a", pattern="x", line="#7a4a00"),
    None: dict(name=OPEN_NAME, color="white", pattern=".", line="#4d4d4d"),
}


def limit_label(limit: int | float, direction: str = BELOW) -> str:
    """'Mål: under 30' or 'Mål: over 30'."""
    if direction not in (BELOW, ABOVE):
        raise ValueError(f"Retningen skal være {BELOW!r} eller {ABOVE!r}, ikke {direction!r}.")
    word = "under" if direction == BELOW else "over"
    return f"Mål: {word} {formatting.number(limit)}"


def _status(value) -> bool | None:
    return None if value is None or pd.isna(value) else bool(value)


def target_figure(
    data: pd.DataFrame, *, title: str, source: str, limit: int | float, direction: str = BELOW,
) -> go.Figure:
    """Bars per year, met and missed told apart by fill and hatching, with a dashed limit line."""
    label = limit_label(limit, direction)
    d = data.sort_values(YEAR).reset_index(drop=True).copy()
    d["_x"] = d[YEAR].astype(int)
    d["_count"] = pd.to_numeric(d[COUNT], errors="coerce").astype("float64")
    d["_status"] = [_status(v) for v in d[MET]]
    fig = go.Figure()
    for status in (True, False, None):
        rows = d[np.array([s is status for s in d["_status"]], dtype=bool) & d["_count"].notna().to_numpy()]
        if rows.empty:
            continue
        look = _LOOKS[status]
        fig.add_trace(go.Bar(
            x=rows["_x"], y=rows["_count"], name=look["name"], width=0.7,
            marker=dict(color=look["color"], line=dict(color=look["line"], width=2),
                        pattern=dict(shape=look["pattern"], fgcolor=look["line"], size=10, solidity=0.3)),
            hovertemplate="<b>%{x}</b>: %{y:,.0f}<extra>" + look["name"] + "</extra>",
        ))
    # Values as annotations with a white box, so the limit line never runs through a number.
    for x, count in zip(d["_x"], d["_count"]):
        missing = pd.isna(count)
        fig.add_annotation(
            x=x, y=0 if missing else count, yanchor="bottom", yshift=2 if missing else 4, showarrow=False,
            text="ingen tal" if missing else formatting.number(count), bgcolor="rgba(255,255,255,0.9)",
            font=dict(size=style.TICK_SIZE if missing else style.BODY_SIZE,
                      color=style.MUTED_COLOR if missing else style.TEXT_COLOR),
            borderpad=1, name="missing" if missing else "value",
        )
    fig.add_shape(type="line", x0=0, x1=1, xref="paper", y0=limit, y1=limit, yref="y", layer="above",
                  line=dict(color="#1a1a1a", width=3.5, dash="dash"), name="limit")
    # The label sits in the right margin at the line's height, clear of every bar.
    fig.add_annotation(x=1, xref="paper", xanchor="left", xshift=8, y=limit, yanchor="middle",
                       text=f"<b>{label}</b>", showarrow=False, font=dict(size=style.BODY_SIZE),
                       name="limit-label")
    top = max(float(d["_count"].max()) if d["_count"].notna().any() else 0.0, float(limit))
    right = int(style.text_width(label, style.BODY_SIZE) * 1.1 + 24)
    fig.update_layout(barmode="overlay", margin=dict(l=80, r=right), showlegend=True)
    # A numeric axis with one tick per year: Plotly turns year strings into numbers anyway.
    years = [int(x) for x in d["_x"]]
    fig.update_xaxes(type="linear", tickvals=years, ticktext=[str(y) for y in years], ticks="",
                     range=[min(years, default=0) - 0.6, max(years, default=0) + 0.6], showgrid=False,
                     showline=True, separatethousands=False)
    fig.update_yaxes(title_text=Y_TITLE, range=[0, top * 1.18 if top > 0 else 1], showgrid=True, ticks="")
    return style.apply_style(fig, title=title, source=source)
