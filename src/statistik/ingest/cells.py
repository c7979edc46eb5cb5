"""The cells of a file: one row per store key, from the rows classify marked used."""

from __future__ import annotations

from statistik.ingest import layout as lay
from statistik.ingest.staging import drop
from statistik.ingest.validation import value_sql

def build_cells(con, layout: lay.Layout, repeated: bool = True) -> None:
    """The temp table `cells`, one row per store key, from the used rows (`rows`: file rows behind it).

    Without `repeated` keys (and days to add up) the used rows are the cells: no grouping.
    """
    used = "status = 'used'"
    if layout.kind == lay.POPULATION:
        drop(con, "cells")
        con.execute(
            f"""CREATE TEMP TABLE cells AS
                SELECT area_code, year(period_start)::INTEGER AS year, max(value) AS value, sum(n) AS rows,
                       false AS zero_filled
                FROM resolved WHERE {used} GROUP BY ALL"""
        )
        return
    keys = "period_kind, period_start, area_code, category_code"
    if layout.kind == lay.REPORTS:
        value = "sum(n)"
    elif layout.dated:
        value = "sum(value)"   # counts by day add up to the month (rows of one day twice: a problem)
    else:
        value = "max(value)"   # identical repeats are counted once (different ones are a problem)
    drop(con, "cells")
    if repeated or layout.dated or layout.kind == lay.REPORTS:
        select = f"SELECT {keys}, {value} AS value, sum(n) AS rows, false AS zero_filled FROM resolved WHERE {used} GROUP BY ALL"
    else:
        select = f"SELECT {keys}, value, n AS rows, false AS zero_filled FROM resolved WHERE {used}"
    # Without repeats or zeros to add, the used rows are the cells: a view, not one more copy.
    kind = "TABLE" if layout.statbank or repeated or layout.dated or layout.kind == lay.REPORTS else "VIEW"
    con.execute(f"CREATE TEMP {kind} cells AS {select}")
    if layout.statbank and layout.kind == lay.LONG:
        # Statistikbanken's BULK format leaves out combinations whose value is 0: a selection
        # is the full grid of its periods × areas × categories, so every missing cell is 0
        # (a small area can have no row at all for a rare offence). The plan says how many.
        con.execute(
            f"""INSERT INTO cells
                SELECT p.period_kind, p.period_start, a.area_code, c.category_code, 0, 0, true
                FROM (SELECT DISTINCT period_kind, period_start FROM resolved WHERE {used}) p,
                     (SELECT DISTINCT area_code FROM resolved WHERE {used}) a,
                     (SELECT DISTINCT category_code FROM resolved WHERE {used}) c
                ANTI JOIN resolved r
                  ON r.period_kind = p.period_kind AND r.period_start = p.period_start
                 AND r.area_code = a.area_code AND r.category_code = c.category_code"""
        )


def check_wide_totals(con, layout: lay.Layout) -> list[tuple]:
    """Rows whose 'I alt' column disagrees with the sum of their periods: (row, column, written, sum).

    Checked only where every period cell of the row holds a count; the temp table
    `wide_total_problems` keeps the rows for the accounting.
    """
    parts = []
    for i in layout.total_columns:
        status, value = value_sql(f"w.v{i}", "v")
        parts.append(f"""
            SELECT w.row, {_sql(layout.header[i])} AS column_name, w.v{i} AS written, {value} AS total, {status} AS st
            FROM wide_rows w LEFT JOIN value_map v ON v.raw = w.v{i}""")
    con.execute("CREATE OR REPLACE TEMP TABLE wide_total_problems (row BIGINT, column_name VARCHAR, "
                "written VARCHAR, computed BIGINT)")
    if not parts:
        return []
    con.execute(
        f"""INSERT INTO wide_total_problems
            SELECT t.row, t.column_name, t.written, r.s
            FROM ({' UNION ALL '.join(parts)}) t
            JOIN (SELECT row_no AS row, sum(value) AS s, bool_and(status = 'used') AS complete
                  FROM resolved GROUP BY row_no) r USING (row)
            WHERE r.complete AND (t.st = 'problem' OR (t.st = 'ok' AND t.total <> r.s))"""
    )
    return con.execute("SELECT * FROM wide_total_problems ORDER BY row").fetchall()


def _sql(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def has_days(con) -> bool:
    """Whether any period in the file is written as a day (2025-09-15)."""
    return con.execute("SELECT count(*) > 0 FROM period_map WHERE day IS NOT NULL").fetchone()[0]


def covered(con, kind: str, every_spelling: bool = False) -> tuple[list, list, list]:
    """The periods, areas and categories of the used rows, as plan.build lists them, from the
    spellings the rows keep (a few distinct numbers, not two million texts).

    `every_spelling`: every row is used (ingest/direct.py), so every spelling in the maps is.
    """
    def used(column: str, table: str, value: str, present: str) -> list:
        rows = "" if every_spelling else \
            f" AND id IN (SELECT DISTINCT {column} FROM classified WHERE status = 'used')"
        return con.execute(
            f"SELECT list(DISTINCT {value} ORDER BY {value}) FROM {table} WHERE {present} IS NOT NULL{rows}"
        ).fetchone()[0] or []
    shown = "'Y'" if kind == lay.POPULATION else "kind"
    found = used("period_id", "period_map", f"{{'kind': {shown}, 'start': start}}", "kind")
    categories = [] if kind == lay.POPULATION else used("category_id", "category_map", "code", "code")
    return found, used("area_id", "area_map", "code", "code"), categories
