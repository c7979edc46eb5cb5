"""The dashboard's side of the store: one `Store` per process, one version per page run, results cached per version.

    rows = load(view_function, *args)     # view_function(cursor, *args), cached until the store changes
                                          # (and made again in the background after a change: views.warming)
    con = cursor()                        # a read-only cursor, for what is not worth caching
    with write("ny markering") as con:    # the one way to write; waits politely for other writers
        annotations.add_annotation(con, ...)

`page_run()` (in dashboard.py) pins the newest version for the whole run, so a page never mixes
two versions; a write in the run moves the pin to the version it published.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from statistik import bootstrap, config
from statistik.markup import md
from statistik.store import Snapshot, Store, StoreBusy, StoreUnusable, StoreUnwritable
from statistik.views import published
from statistik.views.warming import Call, Warmer, warmable

_run = threading.local()  # Streamlit runs each session's script in a thread of its own


@st.cache_resource(show_spinner="Åbner databasen …")
def _store(path: str) -> Store:
    return bootstrap.ready_store(Path(path))


@st.cache_resource(show_spinner=False)
def _warmer(path: str) -> Warmer | None:
    return Warmer(_store(path)).start() if config.warm() else None


def store() -> Store:
    """The process's store (created and seeded on first use)."""
    return _store(str(config.db_path()))


def _busy(e: StoreBusy) -> None:
    st.error(f"Databasen er optaget af {md(e.holder)}, fx en import fra kommandolinjen. Prøv igen om lidt.")
    st.stop()


def snapshot() -> Snapshot:
    """The version this page run reads: the pinned one, else the newest."""
    pinned = getattr(_run, "snapshot", None)
    if pinned is not None:
        return pinned
    try:
        return store().snapshot()
    except StoreBusy as e:
        _busy(e)
    except StoreUnusable as e:            # STATISTIK_DB names another kind of file, or a newer program's store
        st.error(md(str(e)))
        st.stop()


@contextlib.contextmanager
def page_run(public: bool = False) -> Iterator[None]:
    """Read one version for the whole page run; `public`: show published figures only (a visitor, public mode)."""
    _run.snapshot, _run.public = None, public
    _run.snapshot = snapshot()
    _warmer(str(config.db_path()))  # from the first page run on, whatever page it is
    try:
        with published.only_published(_run.snapshot.cursor()) if public else contextlib.nullcontext():
            yield
    finally:
        _run.snapshot, _run.public = None, False


def cursor() -> duckdb.DuckDBPyConnection:
    """A read-only cursor on the page run's version."""
    return snapshot().cursor()


def version() -> tuple:
    """Changes whenever anything in the store changes (every write bumps it)."""
    return snapshot().key


@contextlib.contextmanager
def write(purpose: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to write through, published when the block ends; says so while it waits for another writer.

    Also works outside a page run (a download made when its button is clicked): then a busy store
    raises StoreBusy instead of stopping the page.
    """
    in_page = get_script_run_ctx(suppress_warning=True) is not None
    notice = st.empty() if in_page else None

    def waiting(holder: str, limit: float) -> None:
        if notice is not None:
            notice.info(f"Venter på, at {md(holder)} bliver færdig med at skrive i databasen (højst {limit:.0f} s) …",
                        icon=":material/hourglass_top:")

    try:
        with store().write(purpose=purpose, on_wait=waiting) as con:
            yield con
    except StoreBusy as e:
        if notice is None:
            raise
        notice.empty()
        _busy(e)
    except StoreUnwritable as e:          # a full disk or a read-only folder: nothing was written
        if notice is None:
            raise
        notice.empty()
        st.error(md(str(e)))
        st.stop()
    if notice is not None:
        notice.empty()
    if getattr(_run, "snapshot", None) is not None:
        _run.snapshot = store().snapshot()  # the rest of the run shows what was just written


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(_function: Callable, _snapshot: Snapshot, name: str, store_: str, district: int, version_: tuple,
            public: bool, args: tuple, kwargs: tuple):
    # Underscored arguments are not hashed: the function's qualified name and the version stand in.
    return _function(_snapshot.cursor(), *args, **dict(kwargs))


def load(function: Callable, *args, **kwargs):
    """`function(cursor, *args, **kwargs)` on the page run's version, cached until the store changes (and per
    police district, which decides much of what a page shows, and separately for the public view, which
    shows published figures only)."""
    snap, public = snapshot(), getattr(_run, "public", False)
    if warmable(function) and (warmer := _warmer(str(config.db_path()))) is not None:
        warmer.asked(Call.of(function, args, kwargs, public))
    name = f"{function.__module__}.{function.__qualname__}"
    return _cached(function, snap, name, str(config.db_path()), config.politikreds(), snap.key,
                   public, args, tuple(sorted(kwargs.items())))
