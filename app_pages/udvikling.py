"""Udvikling: any categories × areas over time, as counts, rates or an index."""

import streamlit as st

from statistik.charts.style import source_line
from statistik.charts.trend import trend_figure
from statistik.markup import md
from statistik.ui import components, state
from statistik.ui.store import load
from statistik.views import annotations, choices, trends

st.title("Udvikling over tid")
areas_all, area_names = load(choices.areas)
categories_all, category_names = load(choices.categories)

with st.container(border=True):
    left, right = st.columns(2)
    with left:
        areas = state.multiselect("areas", "Områder", areas_all, area_names, max_selections=6)
        categories = state.multiselect("categories", "Kategorier", categories_all, category_names,
                                       max_selections=6)
    with right:
        granularity = state.radio("granularity", "Periode", trends.GRANULARITIES)
        measure = state.radio("measure", "Vis som", trends.DISPLAYS)
        base_year = None
        if measure == "indeks":
            base_year = int(state.selectbox("base_year", "Basisår (= 100)", [str(y) for y in range(2016, 2026)]))
        bands = state.radio("bands", "Usikkerhedsbånd (95 %)", {"ja": "Vis", "nej": "Skjul"}) == "ja"
state.share(["areas", "categories", "granularity", "measure", "bands"] + (["base_year"] if base_year else []))

if not areas or not categories:
    st.info("Vælg mindst ét område og én kategori.")
    st.stop()

trend = load(trends.trend, list(areas), list(categories), granularity, measure, base_year)
for note in trend.notes:
    st.caption(md(note))
if trend.empty:
    st.warning("Der er ingen tal for det valgte. Politiets egne kategorier kommer, når en analytiker "
               "uploader dem; Danmarks Statistiks tal findes kun pr. kvartal.")
    st.stop()

source = source_line(trend.sources, trend.computed)
marks = load(annotations.for_chart, list(categories), list(areas))


def draw(width=None):
    """The trend chart, laid out for `width` px (None: a screen)."""
    return components.figure(trend_figure, trend.data, title=trend.title, y_title=trend.y_title, source=source,
                             annotations=marks, show_bands=bands, width=width)


components.chart(draw(), key="udvikling", filters=trend.filters, narrow=draw(components.NARROW_CHART))
with st.expander("Tallene bag grafen"):
    numbers = trends.table(trend)
    components.table(numbers, {c: "dec1" if measure != "antal" else "int" for c in numbers.columns[1:]},
                     download="udvikling", title=trend.title, source=source)
