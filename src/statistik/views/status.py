"""The data status page: what is in the store, what is missing, what was revised and imported."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from statistik import figures
from statistik.figures import PERIOD_CODE_SQL
from statistik.metrics import frame as mf
from statistik.periods import Period
from statistik.uploads import STATUS_NAMES, list_uploads


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


def gaps(con: duckdb.DuckDBPyConnection, limit: int = 200) -> pd.DataFrame:
    """Periods missing inside a series (between its first and latest figure): missing is not zero."""
    filled = mf.fill_gaps(figures.series(con))
    missing = filled[filled[mf.COUNT].isna()]
    if missing.empty:
        return pd.DataFrame(columns=["source", "area_code", "category_code", "period"])
    out = pd.DataFrame({
        "source": missing[mf.SOURCE],
        "area_code": missing[mf.AREA],
        "category_code": missing[mf.CATEGORY],
        "period": [Period(k, s.date()).label for k, s in zip(missing[mf.KIND], missing[mf.START])],
    })
    return out.head(limit).reset_index(drop=True)


def revisions(con: duckdb.DuckDBPyConnection, since: dt.datetime | None = None) -> pd.DataFrame:
    """Figures changed by imports (still in force) since a moment, old → new."""
    return con.execute(
        f"""SELECT u.created_at AS time, u.id AS upload_id, u.file_name, r.source,
                   {PERIOD_CODE_SQL.replace('f.', 'r.')} AS period, a.name AS area, c.name AS category,
                   r.old_value, r.new_value, r.new_value - r.old_value AS change
            FROM figure_revision r JOIN upload u ON u.id = r.upload_id
            JOIN area a ON a.code = r.area_code JOIN category c ON c.code = r.category_code
            WHERE u.status = 'imported' AND ($since IS NULL OR u.created_at >= $since)
            ORDER BY u.created_at DESC, r.period_start, a.name, c.name""",
        {"since": since},
    ).df()


def uploads(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The upload log, newest first, with Danish column names."""
    frame = list_uploads(con)
    return pd.DataFrame({
        "Upload": frame["id"], "Tidspunkt": frame["created_at"], "Fil": frame["file_name"],
        "Bruger": frame["user_name"], "Kilde": frame["source"], "Rækker": frame["rows_read"],
        "Nye": frame["cells_new"], "Ændrede": frame["cells_changed"], "Uændrede": frame["cells_unchanged"],
        "Status": frame["status"].map(STATUS_NAMES),
    })
