"""Kort: rates per 100.000 for every municipality, the district outlined; a click opens its trend."""

import streamlit as st

from statistik.markup import md
from statistik.ui import components, disclosure, state
from statistik.ui.store import load
from statistik.views import choices, maps

st.title("Kort over kommunerne")
st.caption("Anmeldelser pr. 100.000 indbyggere i alle 98 kommuner. Klik på en kommune (eller vælg den under "
           "kortet) for at se dens udvikling.")

categories_all, category_names = load(choices.categories)
chosen = components.clicked("kort")
if chosen and chosen[0].get("customdata"):          # a click on the map opens that municipality's trend
    state.open_trend(chosen[0]["customdata"][0], state.get("category"))
top = st.columns([2, 2, 1])
with top[0]:
    category = state.selectbox("category", "Kategori", categories_all, category_names)
periods = {maps.LATEST: "Seneste 12 måneder", **{str(y): str(y) for y in load(maps.years, category)}}
with top[1]:
    period = state.selectbox("map_period", "Periode", list(periods), periods)
with top[2]:
    districts = state.radio("police_districts", "De 12 politikredse", {"nej": "Skjul", "ja": "Vis"}) == "ja"
state.share(["category", "map_period", "police_districts"])

view = load(maps.map_rates, category, period, disclosure.hide_below())
if view.empty:
    st.info(f"Der er ingen tal for {md(category_names.get(category, category).lower())} for alle kommuner. "
            "Politiets egne kategorier findes kun for kredsens kommuner; se siden Udvikling.")
    st.stop()

page = load(maps.page, view, category_names[category], districts)
left, right = st.columns([3, 2])
with left:
    components.chart(page.figure, key="kort", filters=page.filters, narrow=page.narrow, selectable=True)
    st.caption(page.note)
with right:
    st.markdown(f"**{page.table_title}**")
    components.table(page.table, {"Antal": "int", "Folketal": "int", "Pr. 100.000": "dec1"}, download="kort",
                     title=page.title, source=page.source, height=520)

if page.districts is not None:
    st.markdown(f"**De 12 politikredse, {view.label}**")
    components.table(page.districts, {"Antal": "int", "Folketal": "int", "Pr. 100.000": "dec1"},
                     download="politikredse", title=f"{page.title}, politikredse", source=page.source)

codes = list(view.data["area_code"])
names = dict(zip(view.data["area_code"], view.data["name"]))
with st.form("open_trend", border=False):
    chosen = st.selectbox("Se udviklingen for en kommune", codes, format_func=names.get)
    if st.form_submit_button("Vis udvikling", icon=":material/show_chart:"):
        state.open_trend(chosen, category)
