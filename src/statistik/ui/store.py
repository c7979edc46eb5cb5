"""One store connection per dashboard process; a cursor per query; results cached per store version."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from statistik import bootstrap, config, store


@st.cache_resource(show_spinner="Åbner databasen …")
def _connection(path: str):
    return bootstrap.open_store(Path(path))


def cursor():
    """A cursor on the process-wide store connection; stops the page with a message if busy."""
    try:
        return _connection(str(config.db_path())).cursor()
    except store.StoreBusy as e:
        st.error(f"Databasen er optaget af {e.holder}, fx en import fra kommandolinjen. "
                 "Genindlæs siden om lidt.")
        st.stop()


def version() -> tuple:
    """Changes whenever anything a page shows changes: uploads, undos, annotations, targets (also edited)."""
    return cursor().execute(
        """SELECT (SELECT max(id) FROM upload), (SELECT count(*) FROM upload WHERE status = 'undone'),
                  (SELECT max(id) FROM annotation), (SELECT count(*) FROM annotation),
                  (SELECT sum(hash(id, category_codes, area_codes)) FROM annotation),
                  (SELECT max(id) FROM target), (SELECT count(*) FROM target),
                  (SELECT sum(hash(id, limit_value, direction, label)) FROM target),
                  (SELECT count(*) FROM category)"""
    ).fetchone()


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(_function: Callable, name: str, store_: str, version_: tuple, args: tuple, kwargs: tuple):
    # `_function` is not hashed (leading underscore); its qualified name stands in for it.
    return _function(cursor(), *args, **dict(kwargs))


def load(function: Callable, *args, **kwargs):
    """`function(cursor, *args, **kwargs)`, cached until the store changes."""
    name = f"{function.__module__}.{function.__qualname__}"
    return _cached(function, name, str(config.db_path()), version(), args, tuple(sorted(kwargs.items())))
