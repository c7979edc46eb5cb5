"""Writing a plan to the store in one transaction, keeping what it replaces."""

from __future__ import annotations

import datetime as dt

import duckdb

from statistik.ingest import direct
from statistik.ingest.accounting import AccountingError, check_written
from statistik.ingest.plan import Plan
from statistik.store import transaction


def apply(con: duckdb.DuckDBPyConnection, plan: Plan, user: str) -> int:
    """Record the upload and write its new and changed cells; returns the upload id.

    The cells of a file written straight from it (ingest/direct.py) go in before the upload is
    numbered: when the file gives a cell twice (direct.RepeatedCell), the transaction is undone
    without having taken an upload id, so the full classification's try gets the same one.
    """
    with transaction(con):
        if plan.direct_total is None:
            upload_id = _record(con, plan, user)
            _write_cells(con, plan, upload_id)
        else:
            upload_id = _next_upload_id(con)
            _write_cells(con, plan, upload_id)
            direct.check_once(con, upload_id)
            if _record(con, plan, user) != upload_id:
                raise AccountingError(f"cells written for upload {upload_id}, but the upload got another id")
        check_written(con, plan, upload_id)
    return upload_id


def _record(con: duckdb.DuckDBPyConnection, plan: Plan, user: str) -> int:
    """The upload's row (and the categories it creates); its id."""
    upload_id = con.execute(
        """INSERT INTO upload VALUES (nextval('upload_id_seq'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                                      ?, ?, ?, 'imported', NULL, NULL)
           RETURNING id""",
        [plan.file_name, plan.sha256, dt.datetime.now().replace(microsecond=0), user,
         plan.source, plan.measure.table, plan.layout,
         plan.encoding, plan.rows_read, plan.rows_skipped, plan.new, plan.changed,
         plan.unchanged],
    ).fetchone()[0]
    for code, name in plan.new_categories.items():
        con.execute(
            "INSERT INTO category VALUES (?, ?, ?, 'dst', ?) ON CONFLICT DO NOTHING",
            [code, name, plan.category_parents.get(code), upload_id],
        )
    return upload_id


def _next_upload_id(con: duckdb.DuckDBPyConnection) -> int:
    """The id the next upload gets (writers take turns, so nobody takes it meanwhile)."""
    return con.execute(
        """SELECT coalesce(last_value + increment_by, start_value) FROM duckdb_sequences()
           WHERE database_name = current_database() AND schema_name = 'main' AND sequence_name = 'upload_id_seq'"""
    ).fetchone()[0]


def _write_cells(con: duckdb.DuckDBPyConnection, plan: Plan, upload_id: int) -> None:
    """The plan's cells under `upload_id`: revisions of the changed ones kept, claims of the unchanged ones."""
    m = plan.measure
    keys = ", ".join(m.keys)
    if plan.changed:
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
    if plan.unchanged:
        con.execute(
            f"""INSERT INTO {m.claims} SELECT {upload_id}, {keys} FROM plan_cells WHERE status = 'unchanged'"""
        )
