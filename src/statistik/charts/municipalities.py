"""Rates per 100.000 side by side: the four municipalities, the district, the region and the country.

`data` has one row per bar, top to bottom: label, rate, low, high (95 % interval) and kind
('kommune', 'kreds', 'region', 'land'). `reference` has the rates of all municipalities in the
country (column rate); they are drawn behind the bars as a light band from the 10th to the
90th percentile with a dashed line at the median, so a reader sees what is usual in Denmark.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from statistik import formatting
from statistik.charts import style

LABEL, RATE, LOW, HIGH, KIND = "label", "rate", "low", "high", "kind"
KOMMUNE, KREDS, REGION, LAND = "kommune", "kreds", "region", "land"
X_TITLE = "Anmeldelser pr. 100.000 indbyggere"
ROW_PX = 58
BAND_COLOR = "rgba(0,0,0,0.10)"

# Bars light enough for the black error bars to show on them; region and country hatched.
_BARS = {
    KOMMUNE: dict(color="#9cc8ec", pattern=""),
    KREDS: dict(color="#2f6fbf", pattern=""),
    REGION: dict(color="#d4d4d4", pattern="/"),
    LAND: dict(color="#d4d4d4", pattern="/"),
}


def percentile_band(reference: pd.DataFrame) -> tuple[float, float, float, int]:
    """(10th percentile, median, 90th percentile, number of municipalities) of the reference rates."""
    rates = pd.to_numeric(reference[RATE], errors="coerce").dropna().to_numpy("float64")
    if rates.size == 0:
        return np.nan, np.nan, np.nan, 0
    p10, p50, p90 = np.percentile(rates, [10, 50, 90])
    return float(p10), float(p50), float(p90), int(rates.size)


def _reference(fig: go.Figure, reference: pd.DataFrame | None) -> float:
    """Draw the band and median line; returns the band's right edge (for the x range)."""
    if reference is None or reference.empty:
        return 0.0
    p10, p50, p90, n = percentile_band(reference)
    if n == 0:
        return 0.0
    fig.add_shape(type="rect", x0=p10, x1=p90, y0=0, y1=1, xref="x", yref="paper", fillcolor=BAND_COLOR,
                  line_width=0, layer="below", name="reference-band")
    fig.add_shape(type="line", x0=p50, x1=p50, y0=0, y1=1, xref="x", yref="paper", layer="above",
                  line=dict(color="#1a1a1a", width=2.5, dash="dash"), name="reference-median")
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", hoverinfo="skip",
                             name=f"Alle {n} kommuner: 10.–90. percentil",
                             marker=dict(symbol="square", size=20, color=BAND_COLOR)))
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", hoverinfo="skip",
                             name=f"Alle {n} kommuner: median",
                             line=dict(color="#1a1a1a", width=2.5, dash="dash")))
    return p90


def rate_figure(data: pd.DataFrame, reference: pd.DataFrame, *, title: str, source: str) -> go.Figure:
    """Horizontal bars with 95 % error bars per area, against the band of all municipalities."""
    d = data.reset_index(drop=True).copy()
    for column in (RATE, LOW, HIGH):
        d[column] = pd.to_numeric(d[column], errors="coerce").astype("float64")
    labels = d[LABEL].astype(str).tolist()
    fig = go.Figure()
    band_right = _reference(fig, reference)
    for kind, rows in d.groupby(KIND, sort=False):
        look = _BARS.get(kind, _BARS[KOMMUNE])
        fig.add_trace(go.Bar(
            y=rows[LABEL], x=rows[RATE], orientation="h", showlegend=False, name=str(kind),
            marker=dict(color=look["color"], line=dict(color="#1a1a1a", width=1),
                        pattern=dict(shape=look["pattern"], fgcolor="#5a5a5a", size=9, solidity=0.25)),
            error_x=dict(type="data", symmetric=False, array=(rows[HIGH] - rows[RATE]).tolist(),
                         arrayminus=(rows[RATE] - rows[LOW]).tolist(), color="#1a1a1a", thickness=2.5, width=9),
            customdata=np.stack([rows[LOW], rows[HIGH]], axis=-1),
            hovertemplate="<b>%{y}</b><br>%{x:,.1f} pr. 100.000<br>95 %: %{customdata[0]:,.1f}–"
                          "%{customdata[1]:,.1f}<extra></extra>",
        ))
    ends = d[[RATE, HIGH]].max(axis=1).fillna(0)
    # Two no-break spaces keep the number clear of the error bar's cap.
    texts = ["\u00a0\u00a0" + (formatting.number(r, 1) if pd.notna(r) else "ingen tal") for r in d[RATE]]
    fig.add_trace(go.Scatter(
        x=ends, y=labels, mode="text", text=texts, textposition="middle right", showlegend=False,
        textfont=dict(size=style.BODY_SIZE), hoverinfo="skip", cliponaxis=False, name="values",
    ))
    # A thin rule between the municipalities and the totals they are compared with.
    kinds = d[KIND].tolist()
    for i in range(1, len(kinds)):
        if kinds[i - 1] == KOMMUNE and kinds[i] != KOMMUNE:
            fig.add_shape(type="line", x0=0, x1=1, xref="paper", y0=i - 0.5, y1=i - 0.5, yref="y",
                          line=dict(color="#8c8c8c", width=1.5), name="separator")
    right = max(float(ends.max()) if len(ends) else 0.0, band_right)
    widest = max((style.text_width(label, style.BODY_SIZE) for label in labels), default=60)
    fig.update_layout(bargap=0.35, margin=dict(l=int(widest + 34), r=40), showlegend=True)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=labels, autorange="reversed",
                     tickfont=dict(size=style.BODY_SIZE), ticks="", showgrid=False, ticklabelstandoff=8)
    fig.update_xaxes(title_text=X_TITLE, range=[0, right * 1.18 if right > 0 else 1], rangemode="tozero",
                     showgrid=True, ticks="outside", zeroline=True)
    style.set_plot_height(fig, ROW_PX * max(len(labels), 1))
    return style.apply_style(fig, title=title, source=source)
