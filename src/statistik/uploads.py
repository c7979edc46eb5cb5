"""The upload log: what each import did, and undoing one."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import duckdb

from statistik import config
from statistik.schema import FIGURES, MEASURES
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


def is_shipped(upload: dict) -> bool:
    """Whether an upload is the DST figures a new store is filled with (no file to upload again)."""
    return upload["user_name"] == config.SYSTEM_USER and upload["file_name"] in config.SHIPPED_FILES


def undo(con: duckdb.DuckDBPyConnection, upload_id: int, user: str, allow_shipped: bool = False) -> dict:
    """Restore the figures an upload replaced and remove those it added.

    Cells that a later, still active upload also gave (with the same values, so it wrote
    nothing) stay: they pass to that upload, whose own undo then restores what this one
    replaced. The shipped DST figures are undone only with `allow_shipped`.
    """
    upload = get_upload(con, upload_id)
    if upload is None:
        raise UndoRefused(f"Der findes ingen upload med id {upload_id}.")
    if upload["status"] == "undone":
        raise UndoRefused(f"Upload {upload_id} er allerede fortrudt ({upload['undone_at']:%d-%m-%Y %H:%M}).")
    if is_shipped(upload) and not allow_shipped:
        raise UndoRefused(
            f"Upload {upload_id} er Danmarks Statistiks tal, der følger med programmet ({upload['file_name']}); "
            "fortryder du den, forsvinder de fra alle sider. Vil du det alligevel, så brug "
            f"'statistik undo {upload_id} --shipped'; tallene kan hentes tilbage med "
            f"'statistik import {config.DATA_DIR / upload['file_name']}'."
        )
    later = _later_writers(con, upload_id)
    if later:
        names = ", ".join(f"{i} ({name}, {n} tal)" for i, name, n in later)
        raise UndoRefused(
            f"Upload {upload_id} kan ikke fortrydes endnu: senere uploads har ændret de samme tal: "
            f"{names}. Fortryd dem først."
        )
    m = next(x for x in MEASURES if x.table == upload["measure"])
    params = {"id": upload_id}
    with transaction(con):
        # The earliest later active upload that holds a cell of this one inherits it.
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE heirs AS
                SELECT {', '.join(f'c.{k}' for k in m.keys)}, min(c.upload_id) AS heir
                FROM {m.claims} c JOIN upload u ON u.id = c.upload_id
                JOIN {m.table} t ON {m.match('t', 'c')} AND t.upload_id = $id
                WHERE u.status = 'imported' AND c.upload_id > $id
                GROUP BY ALL""",
            params,
        )
        con.execute(
            f"""INSERT INTO {m.revisions}
                SELECT h.heir, {', '.join(f'h.{k}' for k in m.keys)}, r.old_value, r.old_upload_id, t.{m.value}
                FROM heirs h JOIN {m.table} t ON {m.match('t', 'h')}
                JOIN {m.revisions} r ON r.upload_id = $id AND {m.match('r', 'h')}""",
            params,
        )
        con.execute(f"UPDATE {m.table} t SET upload_id = h.heir FROM heirs h "
                    f"WHERE t.upload_id = $id AND {m.match('t', 'h')}", params)
        con.execute(f"DELETE FROM {m.claims} c USING heirs h WHERE c.upload_id = h.heir AND {m.match('c', 'h')}")
        if m is FIGURES:
            con.execute("""UPDATE category c SET upload_id = h.heir
                           FROM (SELECT category_code, min(heir) AS heir FROM heirs GROUP BY ALL) h
                           WHERE c.upload_id = $id AND c.code = h.category_code""", params)
        con.execute(
            f"""UPDATE {m.table} t SET {m.value} = r.old_value, upload_id = r.old_upload_id
                FROM {m.revisions} r WHERE r.upload_id = $id AND t.upload_id = $id AND {m.match('t', 'r')}""",
            params,
        )
        con.execute(f"DELETE FROM {m.table} WHERE upload_id = $id", params)
        con.execute(f"DELETE FROM {m.claims} WHERE upload_id = $id", params)
        con.execute(
            """DELETE FROM category c WHERE c.upload_id = $id
               AND NOT EXISTS (SELECT 1 FROM figure f WHERE f.category_code = c.code)""",
            params,
        )
        con.execute(
            "UPDATE upload SET status = 'undone', undone_at = ?, undone_by = ? WHERE id = ?",
            [dt.datetime.now().replace(microsecond=0), user, upload_id],
        )
        con.execute("DROP TABLE heirs")
    return get_upload(con, upload_id)
