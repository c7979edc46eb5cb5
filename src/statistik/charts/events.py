"""Events and law changes on a time axis: a line for a day, a shaded span for several days.

Only annotations that overlap the chart's period are drawn, clipped to it. Labels sit at the
top of the plot on up to four staggered heights. When they would still collide (a summer with
a dozen events on a two-year chart, or a phone), the events of each plotted period are drawn as
one numbered span, neighbours merged further until the numbers fit, and a key under the plot
names them. No text is ever cut. Law changes ('lovændring') keep their own darker, heavier line
and, where there is room, their text.

Which annotations a chart gets is decided before (`views.annotations.relevant`): an annotation
names the categories and areas it concerns.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from statistik.charts.axes import base_kind
from statistik.charts.style import TEXT_COLOR, add_note
from statistik.markup import html
from statistik.periods import months_in

LAW = "lovændring"
EVENT = "begivenhed"
START_DATE, END_DATE, TEXT, KIND = "start_date", "end_date", "text", "kind"

LABEL_SIZE = 15
LEVELS = (0.99, 0.915, 0.84, 0.765)       # label tops, in plot-height fractions
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


def label_width(label: str) -> float:
    """Generous px width of a label as drawn (bold, with its box): real text fits inside it."""
    return len(label) * LABEL_SIZE * 0.62 + 10


def label_box(left: float, width: float, plot_px: float) -> tuple[float, float]:
    """Where a label whose mark is at `left` px is drawn: right of its line, or hanging left near the edge."""
    if left + width > plot_px:
        return left - width, left
    return left, left + width


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
    """A level per label so that labels on one level do not overlap and every label stays inside the plot;
    None if four levels are not enough."""
    ends = [-1e9] * len(LEVELS)
    levels = []
    for left, width in zip(lefts, widths):
        begin, end = label_box(left, width, plot_px)
        if begin < 0:
            return None
        level = next((i for i, last in enumerate(ends) if begin > last + _GAP_PX), None)
        if level is None:
            return None
        ends[level] = end
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


def _merge_closest(marks: list[_Mark]) -> list[_Mark]:
    """The two neighbouring marks that start closest together made one (a law change keeps its look)."""
    _, i = min((b.start - a.start, i) for i, (a, b) in enumerate(zip(marks, marks[1:])))
    a, b = marks[i], marks[i + 1]
    merged = _Mark(a.start, max(a.end, b.end), LAW if LAW in (a.kind, b.kind) else EVENT, [*a.texts, *b.texts])
    return [*marks[:i], merged, *marks[i + 2:]]


def _numbered(marks: list[_Mark], keep_laws: bool) -> list[_Mark]:
    """Number the marks' labels in order; with `keep_laws` a single law change keeps its text."""
    number = 0
    for m in marks:
        if keep_laws and m.kind == LAW and len(m.texts) == 1:
            m.label = m.texts[0]
        else:
            number += 1
            m.label = str(number)
    return marks


def _key(marks: list[_Mark]) -> str:
    """'Markeringer: 1: Distortion, Royal Run · 2: …', every text in full."""
    # A no-break space keeps each number with its first word when the key wraps.
    return "Markeringer: " + " · ".join(
        (f"{m.label}:\u00a0" if m.label.isdigit() else "") + ", ".join(m.texts) for m in marks)


def _layout(marks: list[_Mark], x0: pd.Timestamp, x1: pd.Timestamp, plot_px: float, kind: str):
    """Labels and levels for the marks: every text in full if they fit; else numbers, grouped per plotted
    period and then with their nearest neighbours until they fit, and a key under the plot with every
    text in full. A label is never cut and never overlaps another."""
    span = (x1 - x0).total_seconds()

    def placed(ms):
        lefts = [(m.start - x0).total_seconds() / span * plot_px for m in ms]
        return _place(lefts, [label_width(m.label) for m in ms], plot_px)

    for m in marks:
        m.label = m.texts[0]
    levels = placed(marks)
    if levels is None:
        marks = _numbered(_grouped(marks, kind), keep_laws=True)
        levels = placed(marks)
    if levels is None:
        marks = _numbered(marks, keep_laws=False)
        levels = placed(marks)
    while levels is None and len(marks) > 1:
        marks = _numbered(_merge_closest(marks), keep_laws=False)
        levels = placed(marks)
    if levels is None:                   # too narrow even for one number: lines only, the key says it all
        return marks, None, _key(marks)
    keyed = [m for m in marks if m.label.isdigit()]
    return marks, levels, _key(keyed) if keyed else None


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
    for i, m in enumerate(marks):
        style = _STYLE[m.kind]
        x = m.start + pd.Timedelta(hours=12) if m.start == m.end else m.start
        if m.start == m.end:
            fig.add_shape(type="line", x0=x, x1=x, y0=0, y1=1, xref="x", yref="paper",
                          line=style["line"], layer="below", name=f"event-{m.kind}")
        else:
            fig.add_shape(type="rect", x0=m.start, x1=m.end + _DAY, y0=0, y1=1, xref="x", yref="paper",
                          fillcolor=style["fill"], line_width=0, layer="below", name=f"event-{m.kind}")
        if levels is None:
            continue
        left = (m.start - x0).total_seconds() / span * plot_px
        hangs = label_box(left, label_width(m.label), plot_px)[0] < left
        label = html(m.label)
        fig.add_annotation(
            x=x, xref="x", y=LEVELS[levels[i]], yref="paper", yanchor="top",
            xanchor="right" if hangs else "left", xshift=-4 if hangs else 4,
            text=f"<b>{label}</b>" if m.kind == LAW or m.label.isdigit() else label,
            showarrow=False, font=dict(size=LABEL_SIZE, color=TEXT_COLOR),
            bgcolor="rgba(255,255,255,0.85)", borderpad=1, hovertext=html("; ".join(m.texts)),
            name=f"event-{m.kind}",
        )
    return max(levels) + 1 if levels else 0
