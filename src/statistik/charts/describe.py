"""A chart in words: the text alternative that screen readers get (WCAG 1.1.1), made from the figure.

The sentence names what the chart is (its title), each series with where it ends and its range,
or for bars and maps the highest and lowest, and points to the table with every number.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from statistik import formatting
from statistik.charts.style import META_KEY, figure_meta
from statistik.markup import plain

_KINDS = {"scatter": "Linjediagram", "bar": "Søjlediagram", "choropleth": "Kort"}
MAX_SERIES = 6


def _numbers(values) -> list[float]:
    out = []
    for v in values if values is not None else ():
        try:
            f = float(v)
        except (TypeError, ValueError):
            continue
        if math.isfinite(f):
            out.append(f)
    return out


def _fmt(value: float) -> str:
    return formatting.number(value, 0 if float(value).is_integer() else 1)


def _line(trace) -> str | None:
    ys = list(trace.y) if trace.y is not None else []
    known = [(i, y) for i, y in enumerate(ys) if _numbers([y])]
    if not known:
        return None
    last_i, last = known[-1]
    labels = list(trace.customdata) if trace.customdata is not None else []
    when = f" ({labels[last_i]})" if last_i < len(labels) and isinstance(labels[last_i], str) else ""
    values = [float(y) for _, y in known]
    return (f"{plain(trace.name)}: seneste {_fmt(float(last))}{when}, mellem {_fmt(min(values))} og "
            f"{_fmt(max(values))}")


def ranked(labels, values) -> str | None:
    pairs = [(plain(label), float(v)) for label, v in zip(labels, values) if _numbers([v])]
    if not pairs:
        return None
    high = max(pairs, key=lambda p: p[1])
    low = min(pairs, key=lambda p: p[1])
    if len(pairs) <= MAX_SERIES:
        return "; ".join(f"{label}: {_fmt(v)}" for label, v in pairs)
    return f"{len(pairs)} områder, højest {high[0]} ({_fmt(high[1])}), lavest {low[0]} ({_fmt(low[1])})"


def summarise(fig: go.Figure, kind: str, summary: str) -> None:
    """Let a builder give its own summary ('98 kommuner, højest …') for alt_text."""
    fig.update_layout(meta={META_KEY: {**figure_meta(fig), "summary_kind": kind, "summary": summary}})


def alt_text(fig: go.Figure) -> str:
    """A Danish sentence or two that says what `fig` shows, for screen readers."""
    meta = figure_meta(fig)
    title = meta.get("title") or (fig.layout.title.text or "Diagram")
    if meta.get("summary"):                 # a builder that knows its chart better said it itself
        return f"{meta['summary_kind']}: {title}. {meta['summary']} Alle tal står i tabellen ved grafen."
    parts = []
    kind = "Diagram"
    for trace in fig.data:
        if trace.showlegend is False and trace.type == "scatter" and trace.mode != "lines+markers":
            continue                               # value labels, bands and legend keys
        if trace.type == "choropleth":
            kind = _KINDS["choropleth"]
            names = trace.customdata[:, 0] if trace.customdata is not None else trace.locations
            text = ranked(names, trace.z)
        elif trace.type == "bar":
            kind = _KINDS["bar"]
            horizontal = trace.orientation == "h"
            text = ranked(trace.y if horizontal else trace.x, trace.x if horizontal else trace.y)
        elif trace.type == "scatter" and trace.mode == "lines+markers" and trace.name:
            kind = _KINDS["scatter"]
            text = _line(trace)
        else:
            continue
        if text:
            parts.append(text)
    shown = parts[:MAX_SERIES]
    more = f" og {len(parts) - MAX_SERIES} serier mere" if len(parts) > MAX_SERIES else ""
    body = (". ".join(shown) + more + ".") if shown else "Ingen tal at vise."
    return f"{kind}: {title}. {body} Alle tal står i tabellen ved grafen."
