"""The upload log: what each import did, and undoing one."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import duckdb

from statistik.schema import MEASURES
from statistik.store import transaction

if TYPE_CHECKING:
    import pandas as pd

STATUS_NAMES = {"imported": "importeret", "undone": "fortrudt"}


class UndoRefused(Exception):
    """An upload that cannot be undone (yet)."""


def list_uploads(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every upload, newest first."""
    return con.execute("SELECT * FROM upload ORDER BY id DESC").df()


def get_upload(con: duckdb.DuckDBPyConnection, upload_id: int) -> dict | None:
    """One upload as a dict, or None."""
    cur = con.execute("SELECT * FROM upload WHERE id = ?", [upload_id])
    row = cur.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cur.description], row))


def find_by_sha(con: duckdb.DuckDBPyConnection, sha256: str) -> dict | None:
    """The newest active upload of a file with this checksum, or None."""
    row = con.execute(
        "SELECT id FROM upload WHERE sha256 = ? AND status = 'imported' ORDER BY id DESC LIMIT 1",
        [sha256],
    ).fetchone()
    return get_upload(con, row[0]) if row else None


def _later_writers(con: duckdb.DuckDBPyConnection, upload_id: int) -> list[tuple[int, str, int]]:
    """Active uploads that since changed cells this upload wrote: (id, file, cells)."""
    parts = " UNION ALL ".join(
        f"SELECT upload_id FROM {m.revisions} WHERE old_upload_id = $id" for m in MEASURES
    )
    return con.execute(
        f"""SELECT u.id, u.file_name, count(*) FROM ({parts}) r JOIN upload u ON u.id = r.upload_id
            WHERE u.status = 'imported' GROUP BY u.id, u.file_name ORDER BY u.id""",
        {"id": upload_id},
    ).fetchall()


def undo(con: duckdb.DuckDBPyConnection, upload_id: int, user: str) -> dict:
    """Restore the figures an upload replaced and remove those it added."""
    upload = get_upload(con, upload_id)
    if upload is None:
        raise UndoRefused(f"Der findes ingen upload med id {upload_id}.")
    if upload["status"] == "undone":
        raise UndoRefused(f"Upload {upload_id} er allerede fortrudt ({upload['undone_at']:%d-%m-%Y %H:%M}).")
    later = _later_writers(con, upload_id)
    if later:
        names = ", ".join(f"{i} ({name}, {n} tal)" for i, name, n in later)
        raise UndoRefused(
            f"Upload {upload_id} kan ikke fortrydes endnu: senere uploads har ændret de samme tal: "
            f"{names}. Fortryd dem først."
        )
    m = next(x for x in MEASURES if x.table == upload["measure"])
    with transaction(con):
        con.execute(
            f"""UPDATE {m.table} t SET {m.value} = r.old_value, upload_id = r.old_upload_id
                FROM {m.revisions} r WHERE r.upload_id = $id AND {m.match('t', 'r')}""",
            {"id": upload_id},
        )
        con.execute(f"DELETE FROM {m.table} WHERE upload_id = $id", {"id": upload_id})
        con.execute(
            """DELETE FROM category c WHERE c.upload_id = $id
               AND NOT EXISTS (SELECT 1 FROM figure f WHERE f.category_code = c.code)""",
            {"id": upload_id},
        )
        con.execute(
            "UPDATE upload SET status = 'undone', undone_at = ?, undone_by = ? WHERE id = ?",
            [dt.datetime.now().replace(microsecond=0), user, upload_id],
        )
    return get_upload(con, upload_id)
