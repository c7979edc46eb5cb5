"""Editing on Mål og markeringer: which charts a marker belongs on, saving with a Danish message, and
deleting only after a confirmation."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import duckdb
import streamlit as st

from statistik.markup import md
from statistik.ui.store import write
from statistik.views.annotations import codes_of

_DONE = "editing_done"


def show_done() -> None:
    """The message of the last change, shown once after the page reran with the new data."""
    message = st.session_state.pop(_DONE, None)
    if message:
        st.success(message)


def attempt(change: Callable[[duckdb.DuckDBPyConnection], object], message: str) -> None:
    """Make a change (`change(con)` inside a store write); on success rerun (so every table shows it) and
    say so, else show the Danish error and write nothing."""
    try:
        with write("ændring på Mål og markeringer") as con:
            change(con)
    except ValueError as e:
        st.error(md(e))
        return
    st.session_state[_DONE] = message
    st.rerun()


def relevance_inputs(key: str, categories: Sequence[str], category_names: dict[str, str], areas: Sequence[str],
                     area_names: dict[str, str], current: tuple | None = None):
    """Widgets for the categories and areas a marker concerns; returns two functions giving the choice
    (None = every one; [] categories = no chart)."""
    stored_categories, stored_areas = (codes_of(c) for c in (current or (None, None)))
    left, right = st.columns(2)
    chosen_categories = left.multiselect(
        "Kategorier", list(categories), default=[c for c in stored_categories or [] if c in categories],
        format_func=lambda c: category_names.get(c, c), placeholder="Alle kategorier", key=f"{key}_categories",
        select_all=False)
    chosen_areas = right.multiselect(
        "Områder", list(areas), default=[a for a in stored_areas or [] if a in areas],
        format_func=lambda a: area_names.get(a, a), placeholder="Alle områder", key=f"{key}_areas",
        select_all=False)
    nowhere = st.checkbox("Vis ikke på nogen graf", value=stored_categories == [], key=f"{key}_nowhere")
    return (lambda: [] if nowhere else (list(chosen_categories) or None),
            lambda: list(chosen_areas) or None)


def confirmed_delete(key: str, label: str, what: str, text: str,
                     delete: Callable[[duckdb.DuckDBPyConnection], None]) -> None:
    """A delete button that first asks 'Vil du slette …?' and deletes only on 'Ja, slet'."""
    pending = f"confirm_delete_{key}"
    if not st.session_state.get(pending):
        if st.button(label, key=f"ask_{key}", icon=":material/delete:"):
            st.session_state[pending] = True
            st.rerun()
        return
    st.warning(f"Vil du slette {what}? Det kan ikke fortrydes.")
    st.text(text)                      # the analyst's own text, shown as plain text
    with st.container(horizontal=True):
        if st.button("Ja, slet", key=f"yes_{key}", type="primary"):
            st.session_state.pop(pending, None)
            attempt(delete, f"{what[0].upper()}{what[1:]} er slettet.")
        if st.button("Annullér", key=f"no_{key}"):
            st.session_state.pop(pending, None)
            st.rerun()
