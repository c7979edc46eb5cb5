"""A ready store: opened, migrated, and on first use filled with the shipped DST figures."""

from __future__ import annotations

from pathlib import Path

import duckdb

from statistik import config, reference, store
from statistik.ingest import import_file

SHIPPED_FILES = ("straf11_2016K1-2025K4_koder.csv", "folk1a_2016-2025_koder.csv")
SYSTEM_USER = "statistik"


def is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store has no reference data yet (a new file)."""
    return con.execute("SELECT count(*) FROM area").fetchone()[0] == 0


def seed(con: duckdb.DuckDBPyConnection, data_dir: Path = config.DATA_DIR) -> None:
    """Load areas and categories, then import the shipped DST files with our own importer."""
    reference.load_reference(con, data_dir)
    for name in SHIPPED_FILES:
        import_file(con, data_dir / name, user=SYSTEM_USER)


def open_store(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """Open the store; a new one is filled with the shipped figures."""
    con = store.connect(path)
    if is_empty(con):
        seed(con)
    return con
