"""The change per category between two periods, against the range normal variation gives.

`data` has one row per category: category (label), change (current − previous, in number),
normal_low and normal_high (the changes the test does not call larger than chance:
`metrics.significance.judge`), significant, small (fewer than 10 cases) and change_text
('+159 (+66,5 %)', no percent under 10 cases). Optional `total` marks overall totals, which get
a panel of their own below the categories, with their own scale (a total of thousands would
squeeze every category to a dot).

Each row reads on its own: a grey bar where normal variation alone would put the change, a
marker at the change, and the change written beside it. Outside the grey bar (a filled black
diamond and a bold name) is exactly what the verdict calls larger than chance. Rows are sorted
by the change, the largest rise at the top; a dashed line marks no change.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from statistik.charts import style
from statistik.markup import html
from statistik.metrics.poisson import SMALL_COUNT_NOTE

CATEGORY, CHANGE, LOW, HIGH = "category", "change", "normal_low", "normal_high"
SIGNIFICANT, SMALL, TEXT, TOTAL = "significant", "small", "change_text", "total"
BAND_NAME = "Gråt felt: ændringer, normal variation kan give (95 %)"
SIGNIFICANT_NAME = "Sort rude: større end tilfældig variation"
CHANCE_NAME = "Grå prik: kan skyldes tilfældig variation"
SMALL_NAME = f"Åben markør: {SMALL_COUNT_NOTE}"
ROW_PX = 50
LABEL_PX = 300           # category names wrap to this width
NARROW_X_TITLE = "Ændring i antal"
BAND_COLOR = "rgba(0,0,0,0.13)"
_SIGNIFICANT = dict(color="#1a1a1a", symbol="diamond", size=18)
_CHANCE = dict(color="#6e6e6e", symbol="circle", size=15)
_PAD = "\u00a0" * 2


def _flag(series: pd.Series) -> np.ndarray:
    return np.array([bool(v) if not pd.isna(v) else False for v in series], dtype=bool)


def _prepare(data: pd.DataFrame) -> pd.DataFrame:
    d = data.reset_index(drop=True).copy()
    d["_name"] = d[CATEGORY].astype(str)
    d[CATEGORY] = d["_name"].map(html)    # the axis's keys and what hover shows: text, not markup
    for column in (CHANGE, LOW, HIGH):
        d[column] = pd.to_numeric(d[column], errors="coerce").astype("float64")
    d["_significant"], d["_small"] = _flag(d[SIGNIFICANT]), _flag(d[SMALL])
    d["_total"] = _flag(d[TOTAL]) if TOTAL in d.columns else False
    d = d[d[CHANGE].notna()]
    return d.sort_values([CHANGE, CATEGORY], ascending=[False, True]).reset_index(drop=True)


def _lines(d: pd.DataFrame, label_px: float, narrow: bool) -> list[list[str]]:
    """Each row's label lines: the name wrapped to `label_px`, and on a phone the change written under it."""
    return [[*style.wrap(name, label_px, style.BODY_SIZE), *([str(text)] if narrow else [])]
            for name, text in zip(d["_name"], d[TEXT])]


def _labels(d: pd.DataFrame, label_px: float, narrow: bool) -> list[str]:
    return ["<br>".join(f"<b>{html(line)}</b>" if bold else html(line) for line in lines)
            for lines, bold in zip(_lines(d, label_px, narrow), d["_significant"])]


def _panel(fig: go.Figure, d: pd.DataFrame, row: int, legend: set[str], texts: bool) -> tuple[float, float]:
    """Bands, markers and (with `texts`) the changes written beside them; returns the x range the data need."""
    def once(name: str) -> bool:
        first = name not in legend
        legend.add(name)
        return first

    y = list(d[CATEGORY])
    banded = d[d[LOW].notna() & d[HIGH].notna()]
    fig.add_trace(go.Bar(
        y=banded[CATEGORY], x=banded[HIGH] - banded[LOW], base=banded[LOW], orientation="h", name=BAND_NAME,
        marker=dict(color=BAND_COLOR, line=dict(width=0)), width=0.55, hoverinfo="skip",
        showlegend=once(BAND_NAME), legendgroup="band", legendrank=1,
    ), row=row, col=1)
    for significant, look, name, rank in ((True, _SIGNIFICANT, SIGNIFICANT_NAME, 2), (False, _CHANCE, CHANCE_NAME, 3)):
        for small in (False, True):
            rows = d[(d["_significant"] == significant) & (d["_small"] == small)]
            if rows.empty:
                continue
            fig.add_trace(go.Scatter(
                x=rows[CHANGE], y=rows[CATEGORY], mode="markers", name=name, legendgroup=name, legendrank=rank,
                showlegend=not small and once(name),
                marker=dict(symbol=look["symbol"] + ("-open" if small else ""), size=look["size"], color=look["color"],
                            line=dict(width=3 if small else 1.5, color=look["color"] if small else "white")),
                customdata=rows[TEXT], hovertemplate="<b>%{y}</b><br>Ændring: %{customdata}<extra></extra>",
            ), row=row, col=1)
    if d["_small"].any() and once(SMALL_NAME):
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=SMALL_NAME, hoverinfo="skip", legendrank=4,
                                 showlegend=True,
                                 marker=dict(symbol="circle-open", size=15, color="#1a1a1a", line=dict(width=3))),
                      row=row, col=1)
    ends = np.fmax(d[CHANGE].to_numpy(), d[HIGH].fillna(d[CHANGE]).to_numpy())
    fig.add_trace(go.Scatter(visible=texts,
        x=ends, y=y, mode="text", text=[_PAD + str(t) for t in d[TEXT]], textposition="middle right",
        textfont=dict(size=style.TICK_SIZE), showlegend=False, hoverinfo="skip", cliponaxis=False, name="values",
    ), row=row, col=1)
    low = float(np.nanmin([0.0, *d[CHANGE], *d[LOW].dropna()]))
    high = float(np.nanmax([0.0, *d[CHANGE], *d[HIGH].dropna()]))
    return low, high


def _range(low: float, high: float, texts: list[str], plot_px: float) -> list[float]:
    """An x range with room right of every row for its text (at most half the plot for text)."""
    widest = max((style.text_width(t, style.TICK_SIZE) for t in texts), default=0) + 30
    span = max(high - low, 1.0)
    share = min(widest / plot_px, 0.5)
    pad = span * 0.04
    return [low - pad, high + span * share / (1 - share) + pad]


def change_figure(data: pd.DataFrame, *, title: str, source: str, x_title: str, subtitle: str | None = None,
                  width: int | None = None) -> go.Figure:
    """A row per category: the change in number against the grey range of normal variation; totals apart.

    `width` lays it out for that many px. On a phone (under 600 px) each name wraps to half the width
    with its change written under it instead of beside the marker, the axis has few ticks and a short
    title, and the legend is left to the page's caption: the plot keeps room for the bands."""
    d = _prepare(data)
    narrow = width is not None and width < style.NARROW_WIDTH
    figure_px = width or style.ASSUMED_WIDTH
    label_px = figure_px * 0.45 if narrow else LABEL_PX
    parts = [p for p in (d[~d["_total"]], d[d["_total"]]) if not p.empty]
    rows = [len(p) for p in parts] or [1]
    fig = make_subplots(rows=len(rows), cols=1, row_heights=[max(n, 1) for n in rows],
                        vertical_spacing=0.12 if len(rows) > 1 else 0.0)
    lines = [label for p in parts for label in _lines(p, label_px, narrow)]
    left = int(max((style.text_width(line, style.BODY_SIZE) for label in lines for line in label), default=60)
               + (16 if narrow else 40))
    right = 14 if narrow else 30
    plot_px = figure_px - left - right
    row_px = ROW_PX + (22 * (max(map(len, lines), default=1) - 1) if narrow else 0)
    legend: set[str] = set()
    for row, part in enumerate(parts, start=1):
        low, high = _panel(fig, part, row, legend, texts=not narrow)
        fig.update_yaxes(type="category", categoryorder="array", categoryarray=list(part[CATEGORY]),
                         tickvals=list(part[CATEGORY]), ticktext=_labels(part, label_px, narrow), autorange="reversed",
                         tickfont=dict(size=style.BODY_SIZE), ticks="", showgrid=False, ticklabelstandoff=8,
                         row=row, col=1)
        fig.update_xaxes(range=_range(low, high, [] if narrow else list(part[TEXT]), plot_px), zeroline=False,
                         showgrid=True, gridcolor="#efefef", ticks="outside", showline=True, tickangle=0,
                         nticks=4 if narrow else None,
                         title_text=(NARROW_X_TITLE if narrow else x_title) if row == len(parts) else None,
                         row=row, col=1)
        fig.add_vline(x=0, line=dict(color="#1a1a1a", width=1.5, dash="dash"), row=row, col=1)
    fig.update_layout(margin=dict(l=left, r=right), showlegend=not narrow, bargap=0.4, barmode="overlay",
                      width=width)
    style.set_plot_height(fig, row_px * sum(rows) + (70 if len(rows) > 1 else 0) + 20)
    return style.apply_style(fig, title=title, source=source, subtitle=subtitle)
