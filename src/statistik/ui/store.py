"""One store connection per dashboard process; a cursor per query."""

from __future__ import annotations

import streamlit as st

from statistik import bootstrap, store


@st.cache_resource(show_spinner="Åbner databasen …")
def _connection():
    return bootstrap.open_store()


def cursor():
    """A cursor on the process-wide store connection; stops the page with a message if busy."""
    try:
        return _connection().cursor()
    except store.StoreBusy as e:
        st.error(str(e).replace("importér filen på siden 'Upload' i dashboardet, eller ", ""))
        st.stop()
