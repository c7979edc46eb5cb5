"""The data status page: what is in the store, what is missing, what was revised and imported."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from statistik import formatting, publications
from statistik.figures import period_code_sql
from statistik.markup import md
from statistik.periods import Period
from statistik.uploads import STATUS_NAMES, is_shipped, list_uploads
from statistik.views import published


def sources(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per source and period kind: first and latest period, figures, areas, categories, last import."""
    frame = con.execute(
        """SELECT f.source, f.period_kind, min(f.period_start) AS first, max(f.period_start) AS latest,
                  count(*) AS figures, count(DISTINCT f.area_code) AS areas,
                  count(DISTINCT f.category_code) AS categories, max(u.created_at) AS last_import
           FROM figure f JOIN upload u ON u.id = f.upload_id
           GROUP BY ALL ORDER BY f.source, f.period_kind"""
    ).df()
    for column in ("first", "latest"):
        frame[column] = [Period(k, pd.Timestamp(s).date()).label for k, s in zip(frame["period_kind"], frame[column])]
    return frame


def gaps(con: duckdb.DuckDBPyConnection, limit: int = 200) -> tuple[pd.DataFrame, int]:
    """Periods missing inside a series (between its first and latest figure), and how many in all; areas and
    categories by name.

    Missing is not zero. Found in SQL: only series with fewer figures than their span are
    expanded, so a store of millions of figures is checked in milliseconds.
    """
    rows = con.execute(
        """WITH spans AS (
               SELECT source, area_code, category_code, period_kind, min(period_start) AS first,
                      max(period_start) AS last, count(*) AS present,
                      CASE period_kind WHEN 'M' THEN 1 WHEN 'Q' THEN 3 ELSE 12 END AS step
               FROM figure GROUP BY ALL),
           holes AS (
               SELECT source, area_code, category_code, period_kind,
                      unnest(generate_series(first, last, to_months(step)))::DATE AS period_start
               FROM spans WHERE present < datediff('month', first, last) // step + 1),
           missing AS (
               SELECT * FROM holes h
               ANTI JOIN figure f USING (source, area_code, category_code, period_kind, period_start))
           SELECT m.source, coalesce(a.name, m.area_code), coalesce(c.name, m.category_code), m.period_kind,
                  m.period_start, count(*) OVER () AS total
           FROM missing m LEFT JOIN area a ON a.code = m.area_code LEFT JOIN category c ON c.code = m.category_code
           ORDER BY m.source, m.area_code, m.category_code, m.period_start LIMIT $limit""",
        {"limit": limit},
    ).fetchall()
    frame = pd.DataFrame({
        "source": [r[0] for r in rows],
        "area": [r[1] for r in rows],
        "category": [r[2] for r in rows],
        "period": [Period(r[3], r[4]).label for r in rows],
    })
    return frame, (rows[0][5] if rows else 0)


def revisions(
    con: duckdb.DuckDBPyConnection, since: dt.datetime | None = None, areas: list[str] | None = None
) -> pd.DataFrame:
    """Figures changed by imports still in force since a moment (to the second), old → new, newest first.

    On the public dashboard a value is shown only if a publication printed it (else <NA>: hidden).
    """
    frame = con.execute(
        f"""SELECT u.created_at AS time, u.id AS upload_id, u.file_name, r.source, r.period_kind, r.period_start,
                   {period_code_sql('r')} AS period, r.area_code, a.name AS area,
                   r.category_code, c.name AS category,
                   r.old_value, r.new_value, r.new_value - r.old_value AS change
            FROM figure_revision r JOIN upload u ON u.id = r.upload_id
            JOIN area a ON a.code = r.area_code JOIN category c ON c.code = r.category_code
            WHERE u.status = 'imported'
              AND ($since IS NULL OR u.created_at >= date_trunc('second', $since::TIMESTAMP))
              AND ($areas IS NULL OR r.area_code IN (SELECT unnest($areas)))
            ORDER BY u.created_at DESC, r.period_start DESC, c.name, r.area_code""",
        {"since": since, "areas": areas},
    ).df()
    if published.active() and not frame.empty:
        for column in ("old_value", "new_value"):
            frame[column] = frame[column].astype("Int64").where(published.is_published(frame, column), pd.NA)
        frame["change"] = frame["new_value"] - frame["old_value"]
    return frame


def last_briefing(con: duckdb.DuckDBPyConnection) -> publications.Final | None:
    """The newest final briefing, or None (drafts are never recorded)."""
    found = publications.finals(con)
    return found[0] if found else None


def final_text(final: publications.Final | None) -> str:
    """'Seneste endelige bilag: mødet …' in one sentence, as Markdown (the name of who made it final escaped)."""
    if final is None:
        return "Der er endnu ikke gjort et bilag endeligt. Revisioner vises siden første import."
    hidden = f"små tal under {final.suppress_below} skjult" if final.public else "alle tal vist (internt)"
    return (f"Seneste endelige bilag: mødet {formatting.date(final.meeting_date)}, gjort endeligt "
            f"{formatting.timestamp(final.created_at)} af {md(final.created_by)} ({hidden}).")


def finals(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every final briefing, newest first, with Danish column names."""
    rows = publications.finals(con)
    return pd.DataFrame({
        "Møde": [formatting.date(f.meeting_date) for f in rows],
        "Gjort endeligt": [formatting.timestamp(f.created_at) for f in rows],
        "Af": [f.created_by for f in rows],
        "Format": [f.file_format.upper() for f in rows],
        "Små tal": [f"under {f.suppress_below} skjult" if f.public else "vist (internt)" for f in rows],
    })


def uploads(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The upload log, newest first, with Danish column names."""
    frame = list_uploads(con)
    return pd.DataFrame({
        "Upload": frame["id"], "Tidspunkt": frame["created_at"], "Fil": frame["file_name"],
        "Bruger": frame["user_name"], "Kilde": frame["source"], "Rækker": frame["rows_read"],
        "Nye": frame["cells_new"], "Ændrede": frame["cells_changed"], "Uændrede": frame["cells_unchanged"],
        "Status": frame["status"].map(STATUS_NAMES),
    })


def undoable(con: duckdb.DuckDBPyConnection) -> dict[int, str]:
    """Uploads the upload page offers to undo, newest first: id → label.

    Not the DST figures that come with the program: there is no file to upload them again from
    the page (the command line can, with `statistik undo ID --shipped`).
    """
    rows = con.execute(
        "SELECT id, file_name, user_name, created_at FROM upload WHERE status = 'imported' ORDER BY id DESC"
    ).fetchall()
    return {i: f"{i}: {name} ({user}, {created:%d-%m-%Y %H:%M})" for i, name, user, created in rows
            if not is_shipped({"user_name": user, "file_name": name})}
