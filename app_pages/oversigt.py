"""Oversigt: the focus trends and targets at a glance."""

import streamlit as st

from statistik.ui import components
from statistik.ui.store import load
from statistik.views import overview

st.title("Lokal kriminalitetsstatistik")
st.caption("Københavns Politikreds: København, Frederiksberg, Dragør og Tårnby. "
           "Seneste periode for hver tendens mod samme periode året før.")

cards = load(overview.cards)
columns = st.columns(3)
for i, card in enumerate(cards):
    with columns[i % 3]:
        components.trend_card(card)

st.subheader("Mål")
for target in load(overview.target_cards):
    components.target_card(target)

st.caption("Kilde: Danmarks Statistik (STRAF11) og Københavns Politi, egne beregninger. "
           "Ændringer testes med en eksakt Poisson-test; se 'Om data'.")
