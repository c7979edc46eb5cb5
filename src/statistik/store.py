"""Opening the DuckDB store, and the rules for who may write to it.

DuckDB lets one process at a time open a file for writing. The dashboard is such a process
while it runs; command-line imports queue behind each other with a lock file, and an import
that finds the dashboard holding the store says so instead of waiting forever.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from statistik import config, schema


class StoreBusy(Exception):
    """The store is open for writing in another process (`holder` describes it)."""

    def __init__(self, message: str, holder: str = "en anden proces"):
        super().__init__(message)
        self.holder = holder


def _holder(message: str) -> str:
    """Describe the process named in DuckDB's lock error ('... (PID 1234) ...')."""
    m = re.search(r"PID (\d+)", message)
    if not m:
        return "en anden proces"
    pid = m.group(1)
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\x00", b" ").decode().strip()
    except OSError:
        cmdline = ""
    return f"proces {pid}" + (f" ({cmdline[:80]})" if cmdline else "")


def connect(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """Open (and if needed create and migrate) the store for reading and writing."""
    path = Path(path or config.db_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), config={"memory_limit": config.memory_limit()})
    except duckdb.IOException as e:
        if "lock" not in str(e).lower():
            raise
        holder = _holder(str(e))
        raise StoreBusy(
            f"Databasen {path} er åben i {holder}. "
            "Kører dashboardet, så importér filen på siden 'Upload' i dashboardet, "
            "eller stop dashboardet og prøv igen.",
            holder,
        ) from e
    schema.migrate(con)
    return con


@contextlib.contextmanager
def writer_lock(
    path: Path | None = None, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold the store's lock file, so command-line writers take turns instead of failing."""
    path = Path(path or config.db_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + config.lock_wait_seconds()
    with open(f"{path}.lock", "a+") as handle:
        waited = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waited and on_wait:
                    on_wait()
                waited = True
                if time.monotonic() > deadline:
                    raise StoreBusy(
                        f"En anden import har holdt databasen i over "
                        f"{config.lock_wait_seconds():.0f} sekunder. Prøv igen senere."
                    ) from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# Writers in one process (dashboard sessions) take turns: a plan is checked and written
# under this lock, so two sessions can never write the same cell twice.
write_lock = threading.RLock()


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run a block in one transaction, holding the write lock: all of it is written, or none."""
    with write_lock:
        con.execute("BEGIN TRANSACTION")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
