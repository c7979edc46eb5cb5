"""Making briefings from the dashboard: drafts for anyone (limited and cached), finals for analysts.

A draft renders charts in Chromium, which costs seconds and memory; so visitors get one
render at a time per browser session and at most `VISITOR_RENDERS` at once in the process,
and identical requests are served from a cache keyed by the store's version (a new upload
or a new final briefing makes a new draft). Nothing a draft does is written to the store.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

import streamlit as st

from statistik import briefing, config, publications
from statistik.ui import auth
from statistik.ui.store import cursor, version, write

VISITOR_RENDERS = 2
WAIT_S = 30
_SLOTS = threading.BoundedSemaphore(VISITOR_RENDERS)
_SESSION_LOCK = "bilag_render_lock"


class Busy(Exception):
    """A render the limits refuse for now; the message says so in Danish."""


@dataclass(frozen=True)
class Request:
    """What a briefing is made from."""

    meeting: dt.date
    period: str | None
    below: int | None


@st.cache_data(show_spinner=False, max_entries=32, ttl=6 * 3600)
def _draft(store: str, version_: tuple, today: dt.date, request: Request) -> dict[str, bytes]:
    made = briefing.make(cursor(), request.meeting, briefing.FORMATS, period=request.period,
                         suppress_below=request.below, today=today)
    return made.files


def _limited():
    """One render per session, VISITOR_RENDERS per process; Busy when the session already renders."""
    lock = st.session_state.setdefault(_SESSION_LOCK, threading.Lock())
    if not lock.acquire(blocking=False):
        raise Busy("Et bilag er allerede ved at blive lavet i dette vindue. Vent, til det er færdigt.")
    try:
        if not _SLOTS.acquire(timeout=WAIT_S):
            raise Busy("Der laves mange bilag lige nu. Prøv igen om lidt.")
        return lock
    except BaseException:
        lock.release()
        raise


def draft(request: Request) -> dict[str, bytes]:
    """A draft as PDF and DOCX bytes; visitors' renders are limited. Raises BriefingError or Busy."""
    user = auth.current_user()
    args = (str(config.db_path()), version(), dt.date.today(), request)
    if user is not None:
        return _draft(*args)
    lock = _limited()
    try:
        return _draft(*args)
    finally:
        _SLOTS.release()
        lock.release()


def final(request: Request) -> dict[str, bytes]:
    """The final briefing (PDF and DOCX), recorded with what it publishes; analysts only."""
    user = auth.current_user()
    if user is None or not user.is_analyst:
        raise briefing.BriefingError("Kun en analytiker kan gøre et bilag endeligt.")
    made = briefing.make(cursor(), request.meeting, briefing.FORMATS, period=request.period,
                         suppress_below=request.below, final=True)
    with write("endeligt bilag til kredsrådet") as con:
        briefing.finalise(con, made, user.id)
    return made.files


def published() -> list[tuple[publications.Final, bytes]]:
    """The public final briefings with their stored files, newest first."""
    con = cursor()
    return [(f, data) for f in publications.finals(con) if f.public
            if (data := publications.content(con, f.id)) is not None]


