"""Kommuner: the four municipalities side by side, against region, country and all 98."""

import streamlit as st

from statistik import formatting
from statistik.charts.municipalities import rate_figure
from statistik.charts.style import source_line
from statistik.ui import components, state
from statistik.ui.store import load
from statistik.views import choices, municipalities

st.title("Kommunerne side om side")
st.caption("Anmeldelser pr. 100.000 indbyggere, så kommuner af forskellig størrelse kan sammenlignes. "
           "Danmarks Statistiks tal findes for alle 98 kommuner.")

categories_all, category_names = load(choices.categories)
left, right = st.columns(2)
with left:
    category = state.selectbox("category", "Kategori", categories_all, category_names)
with right:
    kind = state.radio("kind", "Periode", {"Y": "Seneste år", "Q": "Seneste kvartal"})
state.share(["category", "kind"])

comparison = load(municipalities.compare, category, kind)
period = comparison.period
if comparison.data.empty:
    st.info(f"Danmarks Statistik har ingen tal for {category_names.get(category, category).lower()}. "
            "Politiets egne kategorier findes kun for kredsens kommuner; se siden Udvikling.")
    st.stop()

title = f"{category_names[category]} pr. 100.000 indbyggere, {period.label}"
population_year = int(comparison.data["population_year"].max())
source = source_line([comparison.source], computed=True)
fig = rate_figure(comparison.data, comparison.reference, title=title, source=source)
components.chart(fig, key="kommuner",
                 filters=f"Kategori: {category_names[category]} · Periode: {period.label} · "
                         f"Folketal 1. januar {population_year}")
st.caption(f"Folketal 1. januar {population_year} (FOLK1A). Vandrette streger: 95 %-usikkerhed. "
           "Det grå bånd viser spændet for landets 98 kommuner.")
shown = comparison.data.rename(columns={
    "label": "Område", "count": "Antal", "population": "Folketal", "rate": "Pr. 100.000",
    "low": "Nedre 95 %", "high": "Øvre 95 %"})
components.table(shown[["Område", "Antal", "Folketal", "Pr. 100.000", "Nedre 95 %", "Øvre 95 %"]],
                 {"Antal": "int", "Folketal": "int", "Pr. 100.000": "dec1", "Nedre 95 %": "dec1",
                  "Øvre 95 %": "dec1"},
                 download="kommuner", title=title, source=source)
median = comparison.reference["rate"].median()
st.caption(f"Medianen for de 98 kommuner: {formatting.number(median, 1)} pr. 100.000.")
