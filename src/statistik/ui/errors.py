"""No tracebacks for users: an error on a page is logged on the server with an id, and the page says so in Danish.

Streamlit's own error display is off (`client.showErrorDetails = "none"` in .streamlit/config.toml);
`reported()` around the page run catches what a page raises, logs it with its traceback and a short
id, and shows a Danish message with the id, so a user can quote it and IT can find it in the log.
Streamlit's stop and rerun are not errors and pass through. The test suite sets
STATISTIK_TEST_RAISE=1, so that an error there still fails the test that caused it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
from collections.abc import Iterator

import streamlit as st

LOG = logging.getLogger("statistik")


def log_error(where: str) -> str:
    """Log the exception being handled, with its traceback; returns the id to show."""
    error_id = secrets.token_hex(4)
    LOG.error("fejl %s i %s", error_id, where, exc_info=True)
    return error_id


@contextlib.contextmanager
def reported(where: str = "dashboardet") -> Iterator[None]:
    """Show an error raised in the block as a Danish message with its log id, never as a traceback."""
    try:
        yield
    except Exception:
        if os.environ.get("STATISTIK_TEST_RAISE") == "1":
            raise
        error_id = log_error(where)
        st.error(f"Der skete en fejl, og siden kunne ikke vises helt. Fejlen er skrevet i serverens log som "
                 f"nr. {error_id}. Prøv at genindlæse siden; sker det igen, så giv nummeret til den, der "
                 f"driver dashboardet.", icon=":material/error:")
