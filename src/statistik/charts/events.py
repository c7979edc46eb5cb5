"""Events and law changes on a time axis: a line for a day, a shaded span for several days.

Only annotations that overlap the chart's period are drawn, clipped to it. Labels sit at the
top of the plot on up to four staggered heights. When they would still collide (a summer with
a dozen events on a two-year chart), the events of each plotted period are drawn as one
numbered span and a key under the plot names them. Law changes ('lovændring') keep their own
darker, heavier line and, where there is room, their text.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from statistik.charts.axes import base_kind
from statistik.charts.style import TEXT_COLOR, add_note, text_width
from statistik.periods import months_in

LAW = "lovændring"
EVENT = "begivenhed"
START_DATE, END_DATE, TEXT, KIND = "start_date", "end_date", "text", "kind"

LABEL_SIZE = 15
LEVELS = (0.99, 0.915, 0.84, 0.765)       # label tops, in plot-height fractions
MAX_LABEL_CHARS = 26
MAX_LAW_CHARS = 34           # a law change is rarer and matters more: a little more of its text
_GAP_PX = 8
_DAY = pd.Timedelta(days=1)
_STYLE = {
    LAW: dict(line=dict(color="#1a1a1a", width=3.5, dash="solid"), fill="rgba(0,0,0,0.22)"),
    EVENT: dict(line=dict(color="#6b6b6b", width=2, dash="dot"), fill="rgba(0,0,0,0.09)"),
}


@dataclass
class _Mark:
    start: pd.Timestamp
    end: pd.Timestamp            # last day, inclusive
    kind: str
    texts: list[str]
    label: str = ""


def short_label(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    """The text cut at a word boundary to at most `limit` characters, with '…' when cut."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,.;:–-")
    return cut + "…"


def within(events: pd.DataFrame | None, x0: pd.Timestamp, x1: pd.Timestamp) -> pd.DataFrame:
    """The events overlapping [x0, x1), clipped to it and sorted by start."""
    if events is None or events.empty:
        return pd.DataFrame(columns=[START_DATE, END_DATE, TEXT, KIND])
    e = events.copy()
    e[START_DATE] = pd.to_datetime(e[START_DATE]).dt.normalize()
    e[END_DATE] = pd.to_datetime(e[END_DATE].fillna(e[START_DATE])).dt.normalize()
    e = e[(e[START_DATE] < x1) & (e[END_DATE] >= x0)].copy()
    e[START_DATE] = e[START_DATE].clip(lower=x0)
    e[END_DATE] = e[END_DATE].clip(upper=x1 - _DAY)
    return e.sort_values([START_DATE, END_DATE]).reset_index(drop=True)


def _place(lefts: list[float], widths: list[float], plot_px: float) -> list[int] | None:
    """A level per label so that labels on one level do not overlap; None if four levels are not enough."""
    ends = [-1e9] * len(LEVELS)
    levels = []
    for left, width in zip(lefts, widths):
        if left + width > plot_px:          # near the right edge the label hangs to the left
            left -= width
        level = next((i for i, end in enumerate(ends) if left > end + _GAP_PX), None)
        if level is None:
            return None
        ends[level] = left + width
        levels.append(level)
    return levels


def _grouped(marks: list[_Mark], kind: str) -> list[_Mark]:
    """Events merged per plotted period (one numbered span each); law changes stay on their own."""
    size = months_in(base_kind(kind))
    groups: dict[int, _Mark] = {}
    out = [m for m in marks if m.kind == LAW]
    for m in (m for m in marks if m.kind != LAW):
        period = (m.start.year * 12 + m.start.month - 1) // size
        if period in groups:
            g = groups[period]
            g.end, g.texts = max(g.end, m.end), [*g.texts, *m.texts]
        else:
            groups[period] = _Mark(m.start, m.end, EVENT, list(m.texts))
    return sorted(out + list(groups.values()), key=lambda m: m.start)


def _layout(marks: list[_Mark], x0: pd.Timestamp, x1: pd.Timestamp, plot_px: float, kind: str):
    """Labels and levels for the marks: full text if it fits, else numbered groups with a key."""
    span = (x1 - x0).total_seconds()

    def lefts(ms):
        return [(m.start - x0).total_seconds() / span * plot_px for m in ms]

    for m in marks:
        m.label = short_label(m.texts[0], MAX_LAW_CHARS if m.kind == LAW else MAX_LABEL_CHARS)
    levels = _place(lefts(marks), [text_width(m.label, LABEL_SIZE) + 10 for m in marks], plot_px)
    if levels is not None:
        return marks, levels, None
    marks = _grouped(marks, kind)
    number = 0
    for m in marks:
        if m.kind != LAW:
            number += 1
            m.label = str(number)
    levels = _place(lefts(marks), [text_width(m.label, LABEL_SIZE) + 12 for m in marks], plot_px)
    if levels is None:                      # even law texts collide: number them too
        for m in (m for m in marks if m.kind == LAW):
            number += 1
            m.label = str(number)
        levels = _place(lefts(marks), [26.0] * len(marks), plot_px) or [i % len(LEVELS) for i in range(len(marks))]
    keyed = [m for m in marks if m.label.isdigit()]
    # A no-break space keeps each number with its first word when the key wraps.
    key = " · ".join(f"{m.label}:\u00a0{', '.join(short_label(t, 40) for t in m.texts)}" for m in keyed)
    return marks, levels, f"Markeringer: {key}"


def add_events(fig: go.Figure, events: pd.DataFrame | None, x0: pd.Timestamp, x1: pd.Timestamp,
               plot_px: float, kind: str = "M") -> int:
    """Draw the events inside [x0, x1) on `fig`; returns how many label levels are used (0 if none)."""
    e = within(events, x0, x1)
    if e.empty:
        return 0
    marks = [_Mark(r.start_date, r.end_date, LAW if r.kind == LAW else EVENT, [str(r.text)])
             for r in e[[START_DATE, END_DATE, TEXT, KIND]].itertuples(index=False)]
    marks, levels, key = _layout(marks, x0, x1, plot_px, kind)
    if key:
        add_note(fig, key)
    span = (x1 - x0).total_seconds()
    for m, level in zip(marks, levels):
        style = _STYLE[m.kind]
        x = m.start + pd.Timedelta(hours=12) if m.start == m.end else m.start
        if m.start == m.end:
            fig.add_shape(type="line", x0=x, x1=x, y0=0, y1=1, xref="x", yref="paper",
                          line=style["line"], layer="below", name=f"event-{m.kind}")
        else:
            fig.add_shape(type="rect", x0=m.start, x1=m.end + _DAY, y0=0, y1=1, xref="x", yref="paper",
                          fillcolor=style["fill"], line_width=0, layer="below", name=f"event-{m.kind}")
        left = (m.start - x0).total_seconds() / span * plot_px
        right_edge = left + text_width(m.label, LABEL_SIZE) + 10 > plot_px
        fig.add_annotation(
            x=x, xref="x", y=LEVELS[level], yref="paper", yanchor="top",
            xanchor="right" if right_edge else "left", xshift=-4 if right_edge else 4,
            text=f"<b>{m.label}</b>" if m.kind == LAW or m.label.isdigit() else m.label,
            showarrow=False, font=dict(size=LABEL_SIZE, color=TEXT_COLOR),
            bgcolor="rgba(255,255,255,0.85)", borderpad=1, hovertext="; ".join(m.texts),
            name=f"event-{m.kind}",
        )
    return max(levels) + 1
