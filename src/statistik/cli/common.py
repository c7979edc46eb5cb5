"""Shared by the command modules: output and exit codes."""

from __future__ import annotations

import sys

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3


def say(text: str = "") -> None:
    """A line on standard output."""
    print(text, flush=True)


def warn(text: str) -> None:
    """A line on standard error."""
    print(text, file=sys.stderr, flush=True)
