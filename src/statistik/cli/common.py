"""Shared by the command modules: output and exit codes."""

from __future__ import annotations

import sys

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3
EXIT_REMOTE = 4   # Statistikbanken could not be reached, timed out or answered with an error


def say(text: str = "") -> None:
    """A line on standard output."""
    print(text, flush=True)


def warn(text: str) -> None:
    """A line on standard error."""
    print(text, file=sys.stderr, flush=True)


def waiting(holder: str, limit: float) -> None:
    """Told by the store when a write must wait for another writer."""
    warn(f"Venter på, at {holder} bliver færdig med at skrive i databasen (venter højst {limit:.0f} s) …")
