"""Oversigt: the latest quarter's figures for the district's municipalities."""

import streamlit as st

from statistik import figures, periods, reference
from statistik.ui.store import cursor

con = cursor()
members = reference.district_members(con)
names = reference.area_names(con)
categories = reference.category_names(con)
frame = figures.series(con, areas=members, sources=["Danmarks Statistik"])
latest = frame["period_start"].max()
st.title("Lokal kriminalitetsstatistik")
st.caption(f"Københavns Politikreds · {periods.period_label('Q', latest)} · Kilde: Danmarks Statistik (STRAF11)")
table = (
    frame[frame["period_start"] == latest]
    .assign(Område=lambda f: f["area_code"].map(names), Kategori=lambda f: f["category_code"].map(categories))
    .pivot_table(index="Kategori", columns="Område", values="count", aggfunc="sum")
)
st.dataframe(table)
