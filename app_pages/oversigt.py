"""Oversigt: the focus trends and targets at a glance, for the district or one of its municipalities."""

import streamlit as st

from statistik import districts
from statistik.markup import md
from statistik.ui import components, state
from statistik.ui.store import load
from statistik.views import overview

st.title("Lokal kriminalitetsstatistik")
areas, area_names = load(overview.areas)
area = state.selectbox("area", "Område", areas, area_names)
state.share(["area"])
st.caption(md(load(overview.area_caption, area)))

cards = load(overview.cards, area)
columns = st.columns(3)
for i, card in enumerate(cards):
    with columns[i % 3]:
        components.trend_card(card)

targets = load(overview.target_cards, area)
if targets:
    st.subheader("Mål")
    for target in targets:
        components.target_card(target)

st.caption(f"Kilde: Danmarks Statistik (STRAF11, FOLK1A) og {districts.current().police}, egne beregninger. "
           "Hvordan ændringer vurderes, står under 'Om data'.")
