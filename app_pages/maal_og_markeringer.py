"""Mål og markeringer (analysts only): events and law changes and the charts they belong on; targets."""

import datetime as dt

import streamlit as st

from statistik.ui import auth, components, editing
from statistik.ui.store import load
from statistik.views import annotations, choices, targets_admin

user = auth.current_user()
st.title("Mål og markeringer")
categories, category_names = load(choices.categories)
areas, area_names = load(choices.areas)
editing.show_done()

st.subheader("Markeringer på graferne")
st.caption("En markering vises kun på grafer over de kategorier og områder, den handler om. "
           "Uden valgte kategorier vises den på alle grafer; 'Vis ikke på nogen graf' gemmer den kun i listen.")
marks = load(annotations.listing)
components.table(marks)
with st.form("new_annotation", clear_on_submit=True):
    st.markdown("**Ny markering**")
    left, right = st.columns(2)
    start = left.date_input("Fra", value=dt.date.today(), format="DD-MM-YYYY")
    end = right.date_input("Til (samme dag for én dag)", value=None, format="DD-MM-YYYY")
    text = st.text_input("Tekst", placeholder="fx Distortion")
    kind = st.radio("Type", list(annotations.KINDS), format_func=annotations.KINDS.get, horizontal=True)
    chosen_categories, chosen_areas = editing.relevance_inputs("new", categories, category_names, areas, area_names)
    if st.form_submit_button("Tilføj markering"):
        editing.attempt(lambda con: annotations.add_annotation(
            con, start, text, user.id, end=end, kind=kind, categories=chosen_categories(),
            areas=chosen_areas()), "Markeringen er tilføjet.")

if not marks.empty:
    texts = dict(zip(marks["Nr."], marks["Tekst"]))
    chosen = st.selectbox("Ret eller slet en markering", list(texts), format_func=lambda i: f"{i}: {texts[i]}")
    current = load(annotations.annotations).set_index("id").loc[chosen]
    with st.form(f"edit_annotation_{chosen}"):
        st.markdown("**Hvilke grafer markeringen vises på**")
        new_categories, new_areas = editing.relevance_inputs(
            f"edit_{chosen}", categories, category_names, areas, area_names,
            current=(current["category_codes"], current["area_codes"]))
        if st.form_submit_button("Gem"):
            editing.attempt(lambda con: annotations.set_relevance(con, int(chosen), new_categories(), new_areas()),
                            "Markeringen er rettet.")
    editing.confirmed_delete(f"annotation_{chosen}", "Slet markeringen", f"markering nr. {chosen}", texts[chosen],
                             lambda con: annotations.delete_annotation(con, int(chosen)))

st.subheader("Mål")
targets = load(targets_admin.targets)
components.table(targets)
target_areas, target_area_names = load(choices.target_areas)
with st.form("new_target", clear_on_submit=True):
    st.markdown("**Nyt mål**")
    left, right = st.columns(2)
    area = left.selectbox("Område", target_areas, format_func=target_area_names.get)
    category = right.selectbox("Kategori", categories, format_func=category_names.get)
    direction = left.radio("Målet er", list(targets_admin.DIRECTIONS), format_func=targets_admin.DIRECTIONS.get,
                           horizontal=True)
    limit = right.number_input("Grænse pr. kalenderår", min_value=0, step=1, value=30)
    label = st.text_input("Navn", placeholder="fx Partnerskabsmål: under 30 indbrud om året i Dragør")
    if st.form_submit_button("Tilføj mål"):
        editing.attempt(lambda con: targets_admin.add_target(con, area, category, int(limit), direction, label,
                                                         user.id), "Målet er tilføjet og vises på Oversigt.")

if not targets.empty:
    names = dict(zip(targets["Nr."], targets["Navn"]))
    chosen_target = st.selectbox("Ret eller slet et mål", list(names), format_func=lambda i: f"{i}: {names[i]}")
    fields = load(targets_admin.target, int(chosen_target))
    with st.form(f"edit_target_{chosen_target}"):
        left, right = st.columns(2)
        direction = left.radio("Målet er", list(targets_admin.DIRECTIONS), horizontal=True,
                               index=list(targets_admin.DIRECTIONS).index(fields["direction"]),
                               format_func=targets_admin.DIRECTIONS.get)
        limit = right.number_input("Grænse pr. kalenderår", min_value=0, step=1, value=fields["limit"])
        label = st.text_input("Navn", value=fields["label"])
        if st.form_submit_button("Gem ændringer"):
            editing.attempt(lambda con: targets_admin.update_target(con, int(chosen_target), int(limit),
                                                                direction, label), "Målet er rettet.")
    editing.confirmed_delete(f"target_{chosen_target}", "Slet målet", f"mål nr. {chosen_target}",
                             names[chosen_target], lambda con: targets_admin.delete_target(con, int(chosen_target)))
