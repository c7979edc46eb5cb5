"""The tiny line on an overview card: the shape of a trend, no axes, no title, about 60 px high.

`values` is indexed by period_start; a missing period (<NA> or NaN) breaks the line, and a
point standing alone between gaps is drawn as a dot so it does not disappear. The latest
value has a marker, so the eye finds where the trend ends.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from statistik.charts import axes, style
from statistik.periods import MONTH, QUARTER, YEAR

HEIGHT = 60
COLOR = style.SERIES_STYLES[0].color


def _kind(index: pd.DatetimeIndex) -> str:
    """The period kind the points are spaced by (months, quarters or years)."""
    months = sorted({t.year * 12 + t.month - 1 for t in index})
    step = min((b - a for a, b in zip(months, months[1:])), default=1)
    return YEAR if step >= 12 else QUARTER if step >= 3 and all(m % 3 == 0 for m in months) else MONTH


def sparkline_figure(values: pd.Series) -> go.Figure:
    """A tiny line of `values` (index = period_start) with gaps kept, for an overview card."""
    s = pd.Series(pd.to_numeric(pd.Series(values), errors="coerce").astype("float64").to_numpy(),
                  index=pd.to_datetime(pd.Series(values).index)).sort_index()
    y = s.to_numpy()
    present = ~np.isnan(y)
    before = np.concatenate([[False], present[:-1]])
    after = np.concatenate([present[1:], [False]])
    lonely = present & ~before & ~after
    last = int(np.flatnonzero(present)[-1]) if present.any() else -1
    sizes = [7 if i == last else 5 if lonely[i] else 0 for i in range(len(y))]
    kind = _kind(s.index) if len(s) else MONTH
    fig = go.Figure(go.Scatter(
        x=s.index, y=[None if np.isnan(v) else float(v) for v in y], mode="lines+markers",
        connectgaps=False, line=dict(color=COLOR, width=2.5),
        marker=dict(size=sizes, color=COLOR, opacity=1, line=dict(width=0)),
        customdata=[axes.point_label(kind, t) for t in s.index],
        hovertemplate=f"%{{customdata}}: %{{y:{axes.number_format(y)}}}<extra></extra>", showlegend=False,
    ))
    low, high = (float(np.nanmin(y)), float(np.nanmax(y))) if present.any() else (0.0, 1.0)
    pad = (high - low) * 0.12 or max(abs(high) * 0.1, 1.0)
    fig.update_layout(
        height=HEIGHT, margin=dict(l=4, r=8, t=6, b=6), showlegend=False, separators=style.SEPARATORS,
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)", hovermode="closest",
        font=dict(family=style.FONT_FAMILY, size=14),
    )
    fig.update_xaxes(visible=False, showgrid=False, zeroline=False)
    fig.update_yaxes(visible=False, showgrid=False, zeroline=False, range=[low - pad, high + pad])
    return fig
