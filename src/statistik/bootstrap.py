"""A ready store: opened, migrated, and on first use filled with the shipped DST figures."""

from __future__ import annotations

from pathlib import Path

import duckdb

from statistik import config, reference
from statistik.ingest import import_file
from statistik.store import Store, Waiting

SHIPPED_FILES = config.SHIPPED_FILES
SYSTEM_USER = config.SYSTEM_USER


def is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store has no reference data yet (a new file)."""
    return con.execute("SELECT count(*) FROM area").fetchone()[0] == 0


def seed(con: duckdb.DuckDBPyConnection, data_dir: Path = config.DATA_DIR) -> None:
    """Load areas and categories, then import the shipped DST files with our own importer."""
    reference.load_reference(con, data_dir)
    for name in SHIPPED_FILES:
        import_file(con, data_dir / name, user=SYSTEM_USER)


def ready_store(path: Path | str | None = None, *, on_wait: Waiting | None = None) -> Store:
    """The store at `path` (default STATISTIK_DB), created and seeded if it is new."""
    store = Store(path)
    if store.exists() and not is_empty(store.read()):
        return store
    with store.write(purpose="første opstart: indlæser Danmarks Statistiks tal", on_wait=on_wait) as con:
        if is_empty(con):  # another process may have seeded it while this one waited
            seed(con)
    return store


def open_store(path: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """A plain read-write connection on a ready store, for tests and one-off scripts.

    It writes in place, so use it only while no dashboard or command runs on the same file;
    the dashboard and the command line go through `Store`.
    """
    store = ready_store(path)
    return duckdb.connect(str(store.path), config={"memory_limit": config.memory_limit()})
