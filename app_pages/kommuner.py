"""Kommuner: every municipality's rate against its size in a funnel plot, and the district's table."""

import streamlit as st

from statistik import formatting
from statistik.charts.municipalities import funnel_figure
from statistik.charts.style import source_line
from statistik.markup import md
from statistik.ui import components, state
from statistik.ui.store import load
from statistik.views import choices, municipalities

st.title("Kommunerne i forhold til landet")
st.caption("Anmeldelser pr. 100.000 indbyggere for alle 98 kommuner, efter kommunens størrelse. "
           "Kommuner inden for tragten afviger ikke mere fra landsniveauet, end tilfældigheder og den "
           "normale variation fra år til år kan give en kommune af den størrelse.")

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
    st.info(f"Danmarks Statistik har ingen tal for {md(category_names.get(category, category).lower())}. "
            "Politiets egne kategorier findes kun for kredsens kommuner; se siden Udvikling.")
    st.stop()

population_year = comparison.population_year
if population_year is None:
    st.info("Der er intet folketal (FOLK1A) for perioden, så kommunerne kan ikke sammenlignes pr. 100.000 "
            "indbyggere. En analytiker henter folketallet på siden Upload (Nye tal fra Danmarks Statistik).")
    st.stop()
title = f"{category_names[category]} pr. 100.000 indbyggere, {period.label}"
source = source_line([comparison.source], computed=True, rates=True)
if comparison.national is not None:
    def draw(width=None):
        return components.figure(funnel_figure, comparison.reference, comparison.limits, comparison.national,
                                 title=title, source=source, width=width)
    components.chart(draw(), key="kommuner", narrow=draw(components.NARROW_CHART),
                     filters=f"Kategori: {category_names[category]} · Periode: {period.label} · "
                             f"Folketal 1. januar {population_year}")
    st.caption(f"Folketal 1. januar {population_year} (FOLK1A). Den fuldt optrukne linje er landsniveauet. "
               "Stiplede linjer: 95 %-grænser; prikkede: 99,8 %-grænser. Uden for 99,8 %-grænserne skyldes "
               "forskellen næppe tilfældigheder; mellem de to grænser ligger omkring 1 kommune ud af 20 alene "
               "ved tilfældighed.")
components.table(municipalities.table(comparison), municipalities.TABLE_FORMATS,
                 download="kommuner", title=title, source=source)
if comparison.national is not None:
    st.caption(f"Hele landet: {formatting.number(comparison.national, 1)} pr. 100.000 indbyggere.")

st.subheader("Landets 12 politikredse")
st.caption("Hver politikreds er summen af sine kommuner, beregnet som kredsen ovenfor, og vist i samme slags tragt "
           "om landsniveauet (nu for politikredsenes størrelser).")
district_title = f"{category_names[category]} pr. 100.000 indbyggere i politikredsene, {period.label}"
if comparison.national is not None and not comparison.districts.empty:
    def draw_districts(width=None):
        return components.figure(funnel_figure, comparison.districts, comparison.district_limits, comparison.national,
                                 title=district_title, source=source, members_name="Denne politikreds",
                                 others_name="De andre politikredse", width=width)
    components.chart(draw_districts(), key="politikredse", narrow=draw_districts(components.NARROW_CHART), filters=f"Kategori: {category_names[category]} · Periode: {period.label} · "
                                                 f"Folketal 1. januar {population_year}")
components.table(municipalities.district_table(comparison), municipalities.TABLE_FORMATS,
                 download="politikredse", title=district_title, source=source)
