"""Periodesammenligning: any two periods, every category, with significance."""

import streamlit as st

from statistik.charts.comparison import comparison_figure
from statistik.charts.style import source_line
from statistik.metrics.poisson import SMALL_COUNT_NOTE
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
    chart_rows = rows.dropna(subset=["current", "previous"])
    if not chart_rows.empty:
        fig = comparison_figure(chart_rows, title=title, source=source_text,
                                current_label=current.label, previous_label=previous.label)
        components.chart(fig, key=f"sammenligning_{source}",
                         filters=f"Område: {area_names[area]} · {current.label} mod {previous.label} · Kilde: {source}")
    shown = rows.assign(
        Vurdering=rows["verdict"].fillna("") + rows["small"].map({True: f" · {SMALL_COUNT_NOTE}"}).fillna(""),
        Bemærkning=rows["change_note"].fillna(""),
    ).rename(columns={"category": "Kategori", "previous": previous.label, "current": current.label,
                      "change": "Ændring", "change_pct": "Ændring %", "p_value": "p-værdi"})
    columns = ["Kategori", previous.label, current.label, "Ændring", "Ændring %", "p-værdi", "Vurdering",
               "Bemærkning"]
    components.table(
        shown[columns],
        {previous.label: "int", current.label: "int", "Ændring": "signed", "Ændring %": "pct", "p-værdi": "p"},
        download=f"sammenligning_{source}", title=title, source=source_text,
    )
st.caption("Eksakt test for to Poisson-tal (betinget binomialtest), 5 % signifikansniveau. "
           "Under 10 tilfælde: få tilfælde — fortolk varsomt. Ingen procent, når grundlaget er 0.")
