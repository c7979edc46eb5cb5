"""Mål og markeringer (analysts only): add events, law changes and targets."""

import datetime as dt

import streamlit as st

from statistik.ui import auth, components
from statistik.ui.store import cursor, load
from statistik.views import annotations, choices, targets_admin

user = auth.current_user()
st.title("Mål og markeringer")

st.subheader("Markeringer på graferne")
marks = load(annotations.annotations)
components.table(marks.rename(columns={"id": "Nr.", "start_date": "Fra", "end_date": "Til", "text": "Tekst",
                                       "kind": "Type", "created_by": "Oprettet af"})
                 [["Nr.", "Fra", "Til", "Tekst", "Type", "Oprettet af"]])
with st.form("new_annotation", clear_on_submit=True):
    st.markdown("**Ny markering**")
    left, right = st.columns(2)
    start = left.date_input("Fra", value=dt.date.today(), format="DD-MM-YYYY")
    end = right.date_input("Til (samme dag for én dag)", value=None, format="DD-MM-YYYY")
    text = st.text_input("Tekst", placeholder="fx Distortion")
    kind = st.radio("Type", list(annotations.KINDS), format_func=annotations.KINDS.get, horizontal=True)
    if st.form_submit_button("Tilføj markering"):
        try:
            annotations.add_annotation(cursor(), start, text, user.id, end=end, kind=kind)
            st.success("Markeringen er tilføjet.")
        except ValueError as e:
            st.error(str(e))
with st.form("delete_annotation"):
    chosen = st.selectbox("Slet en markering", marks["id"].tolist(),
                          format_func=lambda i: f"{i}: {marks.set_index('id').loc[i, 'text']}")
    if st.form_submit_button("Slet"):
        annotations.delete_annotation(cursor(), int(chosen))
        st.success("Markeringen er slettet.")

st.subheader("Mål")
components.table(load(targets_admin.targets))
areas, area_names = load(choices.areas)
categories, category_names = load(choices.categories)
with st.form("new_target", clear_on_submit=True):
    st.markdown("**Nyt mål**")
    left, right = st.columns(2)
    area = left.selectbox("Område", [a for a in areas if a != "kbh"], format_func=area_names.get)
    category = right.selectbox("Kategori", categories, format_func=category_names.get)
    direction = left.radio("Målet er", list(targets_admin.DIRECTIONS), format_func=targets_admin.DIRECTIONS.get,
                           horizontal=True)
    limit = right.number_input("Grænse pr. kalenderår", min_value=0, step=1, value=30)
    label = st.text_input("Navn", placeholder="fx Partnerskabsmål: under 30 indbrud om året i Dragør")
    if st.form_submit_button("Tilføj mål"):
        try:
            targets_admin.add_target(cursor(), area, category, int(limit), direction, label, user.id)
            st.success("Målet er tilføjet og vises på Oversigt.")
        except ValueError as e:
            st.error(str(e))
