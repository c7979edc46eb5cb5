"""Shared by the command modules: output and exit codes."""

from __future__ import annotations

import datetime as dt
import re
import sys
import traceback
import uuid

from statistik import config

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3
EXIT_REMOTE = 4   # Statistikbanken could not be reached, timed out or answered with an error
EXIT_INTERRUPTED = 130   # Ctrl-C, as shells report it


# Control characters and direction marks in a name (a file's, say) would be run by the terminal:
# ESC sequences clear it, recolour it or make links, a carriage return hides what came before.
_TERMINAL_SPECIAL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` for a terminal: control characters and direction marks written as escapes (`\\x1b`)."""
    return _TERMINAL_SPECIAL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


def say(text: str = "") -> None:
    """A line on standard output."""
    print(printable(text), flush=True)


def warn(text: str) -> None:
    """A line on standard error."""
    print(printable(text), file=sys.stderr, flush=True)


def log_failure(what: str) -> str:
    """Append the current exception's traceback to the store's error log; returns its id (saying so when the
    log itself could not be written: a full disk, a read-only folder)."""
    error_id = uuid.uuid4().hex[:8]
    log = config.db_path().with_name(config.db_path().name + ".fejl.log")
    try:
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"--- {dt.datetime.now():%Y-%m-%d %H:%M:%S} fejl-id {error_id}: {what}\n")
            f.write(traceback.format_exc())
    except OSError:
        return f"{error_id}; fejlloggen {log} kunne ikke skrives"
    return error_id


def interrupted(e: BaseException) -> bool:
    """Whether `e` is Ctrl-C: KeyboardInterrupt, or DuckDB's 'Query interrupted' when it came during a query."""
    return isinstance(e, KeyboardInterrupt) or (isinstance(e, RuntimeError) and str(e) == "Query interrupted")


def waiting(holder: str, limit: float) -> None:
    """Told by the store when a write must wait for another writer."""
    warn(f"Venter på, at {holder} bliver færdig med at skrive i databasen (venter højst {limit:.0f} s) …")
