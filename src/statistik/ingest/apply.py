"""Writing a plan to the store in one transaction, keeping what it replaces."""

from __future__ import annotations

import datetime as dt

import duckdb

from statistik.ingest.plan import Plan
from statistik.store import transaction


def apply(con: duckdb.DuckDBPyConnection, plan: Plan, user: str) -> int:
    """Record the upload and write its new and changed cells; returns the upload id."""
    m = plan.measure
    keys = ", ".join(m.keys)
    with transaction(con):
        upload_id = con.execute(
            """INSERT INTO upload VALUES (nextval('upload_id_seq'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                                          ?, ?, ?, 'imported', NULL, NULL)
               RETURNING id""",
            [plan.file_name, plan.sha256, dt.datetime.now().replace(microsecond=0), user,
             plan.source, m.table, plan.layout,
             plan.encoding, plan.rows_read, plan.rows_skipped, plan.new, plan.changed,
             plan.unchanged],
        ).fetchone()[0]
        for code, name in plan.new_categories.items():
            con.execute(
                "INSERT INTO category VALUES (?, ?, ?, 'dst', ?) ON CONFLICT DO NOTHING",
                [code, name, plan.category_parents.get(code), upload_id],
            )
        con.execute(
            f"""INSERT INTO {m.revisions}
                SELECT {upload_id}, {keys}, old_value, old_upload_id, value
                FROM plan_cells WHERE status = 'changed'"""
        )
        con.execute(
            f"""UPDATE {m.table} t SET {m.value} = p.value, upload_id = {upload_id}
                FROM plan_cells p WHERE p.status = 'changed' AND {m.match('t', 'p')}"""
        )
        con.execute(
            f"""INSERT INTO {m.table} ({keys}, {m.value}, upload_id)
                SELECT {keys}, value, {upload_id} FROM plan_cells WHERE status = 'new'"""
        )
        con.execute(
            f"""INSERT INTO {m.claims} SELECT {upload_id}, {keys} FROM plan_cells WHERE status = 'unchanged'"""
        )
    return upload_id
