"""Rates per 100.000 on a map of the municipalities, drawn from the shipped boundaries alone.

No tiles, no basemap and no Plotly geo subplot (which fetches a world map from a CDN): each
municipality is a filled shape on an ordinary pair of axes, longitudes scaled by cos(56°) and the
axes locked 1:1, so Denmark keeps its shape. An invisible point inside each municipality, away from
its borders (`geo.inner_points`), carries its hover text and makes it clickable.

`data` has one row per municipality: area_code, name, count, rate (<NA>: no figure or hidden) and
hidden. Rates are coloured on a light-to-dark blue scale that stays ordered in grey-scale print; a
municipality without a figure is white with a grey border, a hidden one ('skjult', public mode)
light grey, and the legend says which is which, so neither reads as 0. The district has a heavy
outline; optionally the 12 police districts thin ones.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from statistik import formatting, geo
from statistik.charts import describe, style

SCALE = [[0.0, "#deebf7"], [0.5, "#6baed6"], [1.0, "#08306b"]]
HIDDEN_COLOR = "#bdbdbd"
MISSING_COLOR = "#ffffff"
BORDER = "#737373"
HIDDEN_NAME = "Skjult (få tilfælde)"
MISSING_NAME = "Ingen tal"
POINTS = "kommuner"              # the trace whose points are the municipalities (clicks select them)
PLOT_PX = 560
SCREEN_WIDTH = 560       # the map's column on a wide screen
_X_SCALE = math.cos(math.radians(56))


def _x(lon: float | None) -> float | None:
    """Longitude as an x that keeps distances true at Danish latitudes (4 decimals: a small figure)."""
    return None if lon is None else round(lon * _X_SCALE, 4)


def _xy(rings) -> tuple[list, list]:
    xs, ys = [], []
    for ring in rings:
        xs += [_x(p[0]) for p in ring] + [None]
        ys += [p[1] for p in ring] + [None]
    return xs, ys


def _outline(fig: go.Figure, groups: list[list[str]], name: str, line: dict) -> None:
    """One line trace with the outer borders of each group of municipalities."""
    lons, lats = [], []
    for members in groups:
        lon, lat = geo.outline(members)
        lons, lats = lons + lon, lats + lat
    fig.add_trace(go.Scatter(x=[_x(x) for x in lons], y=lats, mode="lines", name=name, line=line,
                             hoverinfo="skip"))


def _key(fig: go.Figure, name: str, color: str) -> None:
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=name, hoverinfo="skip",
                             marker=dict(symbol="square", size=16, color=color, line=dict(color=BORDER, width=1))))


def map_figure(data: pd.DataFrame, *, title: str, source: str, district_name: str, district: list[str],
               police_districts: dict[int, list[str]] | None = None, width: int | None = None) -> go.Figure:
    """The municipalities coloured by rate per 100.000, the district outlined; hidden and missing told apart."""
    shapes = {f["id"]: [polygon[0] for polygon in geo.polygons(f["geometry"])]   # an enclave draws its own
              for f in geo.municipalities()["features"]}
    d = data[data["area_code"].isin(shapes)].reset_index(drop=True).copy()
    d["rate"] = pd.to_numeric(d["rate"], errors="coerce").astype("float64")
    d["hidden"] = d["hidden"].astype(bool)
    top = float(d["rate"].max()) if d["rate"].notna().any() else 1.0
    colors = [HIDDEN_COLOR if h else MISSING_COLOR if np.isnan(r) else
              sample_colorscale(SCALE, [min(r / top, 1.0) if top > 0 else 0.0])[0]
              for r, h in zip(d["rate"], d["hidden"])]
    fig = go.Figure(layout=dict(width=width) if width else None)
    for code, color in zip(d["area_code"], colors):
        xs, ys = _xy(shapes[code])
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=color, hoverinfo="skip",
                                 line=dict(color=BORDER if color in (MISSING_COLOR, HIDDEN_COLOR) else "white",
                                           width=0.7), showlegend=False, name=code))
    inside = geo.inner_points()
    centres = [(_x(inside[c][0]), round(inside[c][1], 4)) for c in d["area_code"]]
    shown = ["skjult" if h else "ingen tal" if np.isnan(r) else f"{formatting.number(r, 1)} pr. 100.000"
             for r, h in zip(d["rate"], d["hidden"])]
    counts = ["" if h or pd.isna(c) else f"<br>{formatting.number(c)} anmeldelser"
              for c, h in zip(d["count"], d["hidden"])]
    fig.add_trace(go.Scatter(
        x=[c[0] for c in centres], y=[c[1] for c in centres], mode="markers", name=POINTS, showlegend=False,
        # Small: where the capital's municipalities lie a few pixels apart, the point nearest the pointer is
        # the one hovered and clicked (inside a marker every point counts as equally near); the layout's
        # hoverdistance keeps the reach of a click in a large municipality.
        marker=dict(size=4, color="rgba(0,0,0,0)", cmin=0, cmax=top, colorscale=SCALE,
                    showscale=bool(d["rate"].notna().any()),
                    # In the empty sea north-east of Zealand, where it covers no municipality.
                    colorbar=dict(title=dict(text="Pr. 100.000", side="top"), x=0.99, xanchor="right", y=0.99,
                                  yanchor="top", len=0.45, thickness=14, tickfont=dict(size=style.TICK_SIZE),
                                  separatethousands=True, outlinewidth=0)),
        customdata=np.stack([d["area_code"], d["name"]], axis=-1),
        text=[f"{s}{c}" for s, c in zip(shown, counts)],
        hovertemplate="<b>%{customdata[1]}</b><br>%{text}<extra></extra>",
    ))
    if d["hidden"].any():
        _key(fig, HIDDEN_NAME, HIDDEN_COLOR)
    if (d["rate"].isna() & ~d["hidden"]).any():
        _key(fig, MISSING_NAME, MISSING_COLOR)
    if police_districts:
        _outline(fig, list(police_districts.values()), "De 12 politikredse",
                 dict(color="#252525", width=1.6))
    _outline(fig, [district], district_name, dict(color="#000000", width=3.5))
    fig.update_xaxes(visible=False, showgrid=False, zeroline=False)
    fig.update_yaxes(visible=False, showgrid=False, zeroline=False, scaleanchor="x", scaleratio=1)
    fig.update_layout(margin=dict(l=20, r=20), showlegend=True, hovermode="closest", hoverdistance=30)
    # Denmark with Bornholm is about 0.8 times as high as it is wide: no empty band under the map.
    style.set_plot_height(fig, min(PLOT_PX, ((width or style.ASSUMED_WIDTH) - 40) * 0.8))
    style.add_note(fig, geo.ATTRIBUTION)
    hidden, missing = int(d["hidden"].sum()), int((d["rate"].isna() & ~d["hidden"]).sum())
    describe.summarise(fig, "Kort", " ".join(filter(None, [
        f"{describe.ranked(d['name'], d['rate'])} pr. 100.000." if d["rate"].notna().any() else "",
        f"{hidden} kommuner er skjult (få tilfælde)." if hidden else "",
        f"{missing} kommuner har ingen tal." if missing else "",
        f"{district_name} er tegnet med sort streg."])))
    return style.apply_style(fig, title=title, source=source)
