"""Two periods per category as a dumbbell: where each category was, where it is now.

`data` has one row per category, top to bottom: category (label), current, previous,
significant (the exact test says the change is larger than chance) and small (fewer than 10
cases). A significant change gets a heavy dark bar and a bold label; a small count gets hollow
markers and the legend says 'få tilfælde — fortolk varsomt'. The percent change is written
next to the current value, never on a base of zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from statistik import formatting
from statistik.charts import style
from statistik.metrics.poisson import SMALL_COUNT_NOTE

CATEGORY, CURRENT, PREVIOUS, SIGNIFICANT, SMALL = "category", "current", "previous", "significant", "small"
SIGNIFICANT_NAME = "Tyk streg: ændring større end tilfældig variation"
SIGNIFICANT_LINE = "Ændring større end tilfældig variation"
SMALL_NAME = f"Åben markør: {SMALL_COUNT_NOTE}"
ROW_PX = 54
LABEL_PX = 300           # category names wrap to this width
LOG_SPREAD = 30          # a log axis when the largest count is this many times the smallest
_PAD = "\u00a0" * 3     # keeps a value label clear of its marker
_PREVIOUS = dict(color="#8c8c8c", symbol="circle", size=15)
_CURRENT = dict(color="#0b2a5b", symbol="diamond", size=17)


def _flag(series: pd.Series) -> list[bool]:
    return [bool(v) if not pd.isna(v) else False for v in series]


def _value_text(current: float, previous: float) -> str:
    if np.isnan(current):
        return ""
    text = formatting.number(current)
    if not np.isnan(previous) and previous > 0:
        text += f" ({formatting.percent((current - previous) / previous, decimals=0)})"
    return text


def _markers(fig, d, column, look, name, small, legend, rank):
    rows = d[(d["_small"] == small) & d[column].notna()]
    fig.add_trace(go.Scatter(
        x=rows[column], y=rows[CATEGORY], mode="markers", name=name, showlegend=legend, legendgroup=name,
        legendrank=rank,
        marker=dict(symbol=look["symbol"] + ("-open" if small else ""), size=look["size"], color=look["color"],
                    line=dict(width=3 if small else 1.5, color=look["color"] if small else "white")),
        hovertemplate=f"<b>%{{y}}</b><br>{name}: %{{x:,.0f}}<extra></extra>",
    ))


def _room_for_labels(scale, low: float, ends: pd.Series, texts: list[str], plot_px: float) -> float:
    """The axis maximum (in axis units) that leaves room right of every row for its value label."""
    high = low + 1.0
    for end, text in zip(ends, texts):
        if pd.isna(end):
            continue
        share = 1 - (style.text_width(text, style.TICK_SIZE) + 24) / plot_px   # of the plot left for data
        high = max(high, low + (scale(float(end)) - low) / max(share, 0.3))
    return high


def _log_ticks(low: float, high: float) -> dict:
    """Round ticks (1, 2, 5 × 10ⁿ, or only 10ⁿ when that gives too many) with Danish numbers."""
    for steps in ((1, 2, 5), (1,)):
        ticks = [m * 10 ** e for e in range(int(np.floor(low)), int(np.ceil(high)) + 1)
                 for m in steps if low <= np.log10(m * 10 ** e) <= high]
        if len(ticks) <= 7:
            break
    return dict(tickvals=ticks, ticktext=[formatting.number(t) for t in ticks])


def comparison_figure(
    data: pd.DataFrame, *, title: str, source: str, current_label: str, previous_label: str,
) -> go.Figure:
    """A dumbbell per category from the previous to the current period; significance and small counts marked."""
    d = data.reset_index(drop=True).copy()
    d[CATEGORY] = d[CATEGORY].astype(str)
    for column in (CURRENT, PREVIOUS):
        d[column] = pd.to_numeric(d[column], errors="coerce").astype("float64")
    d["_significant"], d["_small"] = _flag(d[SIGNIFICANT]), _flag(d[SMALL])
    fig = go.Figure()
    for significant in (False, True):
        rows = d[(d["_significant"] == significant) & d[CURRENT].notna() & d[PREVIOUS].notna()]
        xs, ys = [], []
        for r in rows.itertuples():
            xs += [getattr(r, PREVIOUS), getattr(r, CURRENT), None]
            ys += [getattr(r, CATEGORY)] * 2 + [None]
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
            name=SIGNIFICANT_LINE if significant else "Ændring",
            line=dict(color="#1a1a1a" if significant else "#b3b3b3", width=7 if significant else 3),
        ))
        if significant and xs:        # a slimmer legend line: the real one would run into its text
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=SIGNIFICANT_NAME, legendrank=3,
                                     hoverinfo="skip", line=dict(color="#1a1a1a", width=5)))
    any_small = any(d["_small"])
    for small in (False, True):
        _markers(fig, d, PREVIOUS, _PREVIOUS, previous_label, small, legend=not small, rank=1)
        _markers(fig, d, CURRENT, _CURRENT, current_label, small, legend=not small, rank=2)
    if any_small:
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=SMALL_NAME, hoverinfo="skip", legendrank=4,
                                 marker=dict(symbol="circle-open", size=15, color="#1a1a1a", line=dict(width=3))))

    # Each row's value goes right of its dumbbell, so it never runs into the category names.
    texts = [_PAD + _value_text(c, p) for c, p in zip(d[CURRENT], d[PREVIOUS])]
    ends = d[[CURRENT, PREVIOUS]].max(axis=1)
    fig.add_trace(go.Scatter(
        x=ends, y=d[CATEGORY], mode="text", showlegend=False, text=texts, textposition="middle right",
        textfont=dict(size=style.TICK_SIZE), hoverinfo="skip", cliponaxis=False, name="values",
    ))

    values = d[[CURRENT, PREVIOUS]].to_numpy("float64").ravel()
    values = values[~np.isnan(values)]
    positive = values[values > 0]
    use_log = values.size > 0 and positive.size == values.size and positive.max() / positive.min() >= LOG_SPREAD
    wrapped = [style.wrap(c, LABEL_PX, style.BODY_SIZE) for c in d[CATEGORY]]
    labels = ["<br>".join(f"<b>{line}</b>" if s else line for line in lines)
              for lines, s in zip(wrapped, d["_significant"])]
    widest = max((style.text_width(line, style.BODY_SIZE) for lines in wrapped for line in lines), default=60)
    left, right = int(widest + 40), 30
    fig.update_layout(margin=dict(l=left, r=right), showlegend=True)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=list(d[CATEGORY]),
                     tickvals=list(d[CATEGORY]), ticktext=labels, autorange="reversed", showgrid=True,
                     gridcolor="#efefef", ticks="", tickfont=dict(size=style.BODY_SIZE), ticklabelstandoff=8)
    scale = np.log10 if use_log else (lambda v: v)
    if use_log:
        low = np.log10(positive.min()) - 0.12
    else:
        low = 0.0
    high = _room_for_labels(scale, low, ends, texts, style.ASSUMED_WIDTH - left - right)
    if use_log:
        fig.update_xaxes(type="log", range=[low, high], title_text="Antal anmeldelser (logaritmisk skala)",
                         **_log_ticks(low, high))
    else:
        fig.update_xaxes(range=[low, high], title_text="Antal anmeldelser")
    fig.update_xaxes(ticks="outside", showline=True, zeroline=False, tickangle=0)
    style.set_plot_height(fig, ROW_PX * max(len(d), 1) + 20)
    return style.apply_style(fig, title=title, source=source)
