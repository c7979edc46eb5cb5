"""Sammenlign: any two periods, every category, the change against normal variation."""

import streamlit as st

from statistik.charts.comparison import change_figure
from statistik.charts.style import source_line
from statistik.metrics.verdicts import false_alarms_text
from statistik.ui import components, state
from statistik.ui.store import load
from statistik.views import choices, comparison

st.title("Sammenlign to perioder")
areas_all, area_names = load(choices.areas)
kinds = {"Y": "År", "Q": "Kvartal", "M": "Måned"}
top = st.columns(3)
with top[0]:
    area = state.selectbox("area", "Område", areas_all, area_names)
with top[1]:
    kind = state.radio("kind", "Periodelængde", kinds)
available = load(comparison.periods_available, kind)
if len(available) < 2:
    st.info("Der er ikke tal for to perioder af den længde endnu.")
    st.stop()
codes = [p.code for p in available]
labels = {p.code: p.label for p in available}
with top[2]:
    current_code = state.selectbox("period", "Periode", codes, labels)
current = available[codes.index(current_code)]
previous_code = state.selectbox("previous", "Sammenlignet med", codes, labels,
                                default=comparison.year_before(available, current).code)
previous = available[codes.index(previous_code)]
state.share(["area", "kind", "period", "previous"])

table = load(comparison.compare, current, previous, area)
if table.empty:
    st.info("Ingen tal for de valgte perioder.")
    st.stop()
for source, rows in table.groupby("source", sort=True):
    title = f"{area_names[area]}: {current.label} mod {previous.label} ({source})"
    source_text = source_line([source], computed=True)
    chart = comparison.chart_data(rows)
    if not chart.empty:
        def draw(width=None):
            return components.figure(change_figure, chart, title=title, source=source_text, width=width,
                                     x_title=f"Ændring i antal anmeldelser fra {previous.label} til {current.label}")
        components.chart(draw(), key=f"sammenligning_{source}", narrow=draw(components.NARROW_CHART),
                         filters=f"Område: {area_names[area]} · {current.label} mod {previous.label} · Kilde: {source}")
    components.table(comparison.shown_table(rows, current, previous),
                     {previous.label: "int", current.label: "int", **comparison.TABLE_FORMATS},
                     download=f"sammenligning_{source}", title=title, source=source_text)
    tested = int(rows["significant"].notna().sum())
    if tested:
        st.caption(false_alarms_text(tested))
st.caption("Det grå felt viser de ændringer, som den normale variation fra år til år kan give; en ændring uden "
           "for feltet er større end tilfældig variation. Forventet niveau: hvor perioden ville ligge, hvis den "
           "fulgte de tre foregående år. Under 10 tilfælde vises ingen procent. Se 'Om data'.")
