"""Dated notes (events, law changes) drawn on charts; analysts add their own."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

KINDS = {"begivenhed": "Begivenhed", "lovændring": "Lovændring", "andet": "Andet"}


def annotations(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every annotation: id, start_date, end_date, text, kind, area_code, created_by."""
    return con.execute(
        """SELECT id, start_date, end_date, text, kind, area_code, created_by
           FROM annotation ORDER BY start_date, id"""
    ).df()


def add_annotation(
    con: duckdb.DuckDBPyConnection, start: dt.date, text: str, user: str, end: dt.date | None = None,
    kind: str = "begivenhed", area: str | None = None,
) -> int:
    """Store a new annotation; returns its id."""
    text = text.strip()
    end = end or start
    if not text:
        raise ValueError("En markering skal have en tekst.")
    if end < start:
        raise ValueError("Slutdatoen ligger før startdatoen.")
    if kind not in KINDS:
        raise ValueError(f"Ukendt type {kind!r}; brug {', '.join(KINDS)}.")
    return con.execute(
        """INSERT INTO annotation (start_date, end_date, text, kind, area_code, created_by)
           VALUES (?, ?, ?, ?, ?, ?) RETURNING id""",
        [start, end, text, kind, area, user],
    ).fetchone()[0]


def delete_annotation(con: duckdb.DuckDBPyConnection, annotation_id: int) -> None:
    """Remove an annotation."""
    con.execute("DELETE FROM annotation WHERE id = ?", [annotation_id])


def within(frame: pd.DataFrame, first: dt.date, last: dt.date) -> pd.DataFrame:
    """The annotations that overlap [first, last]."""
    if frame.empty:
        return frame
    start, end = pd.to_datetime(frame["start_date"]), pd.to_datetime(frame["end_date"])
    return frame[(end >= pd.Timestamp(first)) & (start <= pd.Timestamp(last))]
