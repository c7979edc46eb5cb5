"""Building blocks the pages share: cards, charts, tables, empty states."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from statistik import formatting, tables
from statistik.charts import export, style
from statistik.charts.describe import alt_text
from statistik.charts.sparkline import sparkline_figure
from statistik.markup import md
from statistik.metrics import poisson
from statistik.views.overview import Card, TargetCard

_LOCALE = json.loads((Path(__file__).with_name("plotly_locale_da.json")).read_text(encoding="utf-8"))
# Danish toolbar and number formats from our own locale file (Plotly's own 'da' has no toolbar texts;
# no CDN: the locale travels in the config).
PLOTLY_CONFIG = {"displaylogo": False, "locale": "da", "locales": {"da": _LOCALE},
                 "modeBarButtonsToRemove": ["select2d", "lasso2d"]}
NARROW_CHART = 360      # px a phone's chart is laid out for (390 px screen less the page's padding)
_CHART_FORMATS = (("png", "PNG (tryk)", "image/png"), ("svg", "SVG", "image/svg+xml"),
                  ("pdf", "PDF", "application/pdf"))


def clicked(key: str) -> list[dict]:
    """The points just clicked on the selectable chart `key` (wide or phone layout), read before the page
    draws anything, so a page can move on at once. The click is used up: coming back shows no selection."""
    for size in ("wide", "narrow"):
        state = st.session_state.get(f"{key}_{size}")
        points = (state or {}).get("selection", {}).get("points", []) if isinstance(state, dict) else \
            list(getattr(getattr(state, "selection", None), "points", []) or [])
        if points:
            del st.session_state[f"{key}_{size}"]
            return list(points)
    return []


def figure(builder: Callable[..., go.Figure], *args, **kwargs) -> go.Figure:
    """`builder(*args, **kwargs)`, the same figure while the arguments are the same.

    Drawing a Plotly figure costs tens of ms (Sammenlign draws four: two sources, each wide and for a
    phone), and a page run draws the ones of its last run again. Shared, never changed: `chart` and the
    exports work on copies.
    """
    return _figure(f"{builder.__module__}.{builder.__qualname__}", builder, args, tuple(sorted(kwargs.items())))


@st.cache_resource(max_entries=256, show_spinner=False)
def _figure(name: str, _builder: Callable[..., go.Figure], args: tuple, kwargs: tuple) -> go.Figure:
    return _builder(*args, **dict(kwargs))


def chart(fig: go.Figure, key: str, *, filters: str = "", narrow: go.Figure | None = None,
          selectable: bool = False) -> None:
    """A chart across the page's width with its text alternative, and downloads that carry title, source,
    filters and date.

    `narrow` is the same chart laid out for a phone (wrapped title, legend below, fewer ticks); the page
    shows one or the other by the screen's width (see `theme`); without it the chart is restyled for
    NARROW_CHART px. With `selectable`, a click on a point reruns the page; `clicked(key)` says where.
    """
    if narrow is None:
        narrow = style.restyle(go.Figure(fig), NARROW_CHART)
    alt = alt_text(fig)
    for size, shown in (("wide", fig), ("narrow", narrow)):
        with st.container(key=f"{size}_{key}"):
            # theme=None keeps the print styling (fonts, grey-scale-safe colours) the exports use.
            st.plotly_chart(shown, width="stretch", config=PLOTLY_CONFIG, key=f"{key}_{size}", theme=None,
                            alt=alt, on_select="rerun" if selectable else "ignore", selection_mode="points")
    title = style.figure_meta(fig).get("title") or key
    # A row sized to its buttons, so a label is never cut ("PNG (t…"); it wraps on a phone.
    with st.container(horizontal=True, gap="small"):
        for fmt, label, mime in _CHART_FORMATS:
            st.download_button(
                label, data=lambda fmt=fmt: export.figure_bytes(fig, fmt, filters=filters, created=dt.date.today()),
                file_name=tables.file_name(title, fmt), mime=mime, key=f"{key}_{fmt}", on_click="ignore",
                icon=":material/download:", width="content",
            )


def _downloads(frame: pd.DataFrame, name: str, *, title: str | None = None, source: str | None = None) -> None:
    """CSV (for Danish Excel) and XLSX downloads of a table, named after its title."""
    stem = title or name
    with st.container(horizontal=True, gap="small"):
        st.download_button("CSV", data=lambda: tables.to_csv_bytes(frame, source=source),
                           file_name=tables.file_name(stem, "csv"), mime="text/csv", key=f"{name}_csv",
                           on_click="ignore", icon=":material/download:", width="content")
        st.download_button(
            "XLSX", data=lambda: tables.to_xlsx_bytes(frame, title=title, source=source),
            file_name=tables.file_name(stem, "xlsx"),
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{name}_xlsx",
            on_click="ignore", icon=":material/download:", width="content")


def table(frame: pd.DataFrame, formats: dict[str, str] | None = None, *, download: str | None = None,
          title: str | None = None, source: str | None = None, **kw) -> None:
    """A table in Danish: formats maps column → 'int', 'signed', 'dec1', 'pct' or 'p'; dates as '1. maj 2025';
    anything missing as '–'.

    With `download` (a key), CSV and XLSX downloads follow, rounded as shown and carrying title and source.
    """
    formats = formats or {}
    styler = frame.style.format(
        {col: (lambda v, k=formats.get(col): formatting.cell(v, k)) for col in frame.columns}, na_rep="–")
    st.dataframe(styler, hide_index=True, width="stretch", **kw)
    if download:
        _downloads(tables.rounded(frame, formats), download, title=title, source=source)


def _delta_style(change, verdict) -> dict:
    """Arrow by the sign of the change (Streamlit reads only an ASCII '-' as a fall, and we write '−');
    red or green only for a change the verdict calls larger than normal variation, else grey."""
    if change is None or not change.absolute:
        return {"delta_arrow": "off", "delta_color": "gray"}
    rise = change.absolute > 0
    colour = ("red" if rise else "green") if verdict is not None and verdict.significant else "gray"
    return {"delta_arrow": "up" if rise else "down", "delta_color": colour}


def _delta(change) -> str | None:
    if change is None or change.absolute is None:
        return None
    pct = f" ({formatting.percent(change.pct / 100)})" if change.pct is not None else ""
    return f"{formatting.signed(change.absolute)}{pct}"


def trend_card(card: Card) -> None:
    """One focus trend, figures first: the latest period against a year before, the rate, the verdict in
    words, 12 months and a sparkline that says its span; why the trend matters comes last."""
    with st.container(border=True):
        st.markdown(f"**{md(card.trend.title)}**")
        if card.empty:
            empty_state(card)
            st.caption(card.trend.why)
            return
        c = card.change
        st.metric(card.period.label, formatting.number(c.current), _delta(c), **_delta_style(c, card.verdict))
        if card.rate is not None:
            st.caption(f"{formatting.number(card.rate, 1)} pr. 100.000 indbyggere "
                       f"(folketal 1. januar {card.population_year})")
        st.caption(f"Samme periode året før: {formatting.number(c.previous)}" if c.previous is not None
                   else "Intet tal for samme periode året før.")
        if card.verdict:
            for words in card.verdict.words(with_small=False):
                st.markdown(words)
        if card.small:
            st.caption(f":material/warning: {poisson.SMALL_COUNT_NOTE}")
        if card.rolling:
            st.caption(f"Seneste 12 måneder ({card.rolling_label}): {formatting.number(card.rolling.current)}"
                       + (f", {_delta(card.rolling)} mod året før" if _delta(card.rolling) else ""))
        if card.spark is not None and card.spark.notna().sum() > 1:
            spark = sparkline_figure(card.spark.astype("float64"))
            st.plotly_chart(spark, width="stretch", config={"displayModeBar": False, "staticPlot": True},
                            key=f"spark_{card.trend.category}",
                            alt=f"{card.trend.title}, {card.spark_label}: " + ", ".join(
                                formatting.cell(v, "int") for v in card.spark))
            st.caption(f"Grafen: {card.spark_label}")
        st.caption(f"{md(card.trend.why)} Kilde: {md(card.source)}.")


def empty_state(card: Card) -> None:
    """A focus trend without figures: how to add them, and the broader DST category as context."""
    st.markdown("**Ingen tal endnu.**")
    st.caption("Tallene kommer fra politiets egne opgørelser. En analytiker uploader dem som CSV "
               "på siden Upload (eller med `statistik import FIL`).")
    ctx = card.context
    if ctx is not None and not ctx.empty:
        st.caption(
            f"Til sammenligning (bredere kategori, {md(ctx.source)}): {md(ctx.trend.title)} "
            f"{ctx.period.label}: {formatting.number(ctx.change.current)}"
            + (f" ({_delta(ctx.change)} mod året før)" if _delta(ctx.change) else "")
            + f". {md(card.trend.title)} er en del af denne kategori."
        )


def target_card(tc: TargetCard) -> None:
    """A target: the latest 12 months and each year met or missed."""
    with st.container(border=True):
        st.markdown(f"**{md(tc.label)}**")
        if tc.status is None:
            st.info("Ingen tal at måle målet på endnu.")
            return
        verdict = "nået" if tc.status.met else "ikke nået"
        st.metric(f"Seneste 12 måneder ({tc.status.label})", formatting.number(tc.status.count))
        st.markdown(f"Målet er **{verdict}** for de seneste 12 måneder (mål: {md(tc.target.description)}).")
        years = tc.years.dropna(subset=["count"]).tail(5)
        st.caption(" · ".join(
            f"{int(r.year)}: {formatting.number(r.count)} {'✓ nået' if r.met else '✗ ikke nået'}"
            for r in years.itertuples()
        ))
        st.caption(f"Kilde: {md(tc.status.source)}")
