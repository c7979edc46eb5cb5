"""Reading stored figures: the export, and the series the dashboard works from."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import duckdb

if TYPE_CHECKING:
    import pandas as pd


def period_code_sql(alias: str) -> str:
    """SQL for the period code of a row of `alias`, as periods.period_code: '2025-09', '2025K3', '2025'."""
    return f"""CASE {alias}.period_kind
        WHEN 'M' THEN strftime({alias}.period_start, '%Y-%m')
        WHEN 'Q' THEN year({alias}.period_start)::VARCHAR || 'K' || quarter({alias}.period_start)::VARCHAR
        ELSE year({alias}.period_start)::VARCHAR END"""


def export_sql() -> str:
    """Every stored figure with codes and names, in the export's column order."""
    return f"""
        SELECT {period_code_sql('f')} AS periode, f.area_code AS omraade_kode, a.name AS omraade,
               f.category_code AS kategori_kode, c.name AS kategori, f.count AS antal,
               f.source AS kilde
        FROM figure f JOIN area a ON a.code = f.area_code
        JOIN category c ON c.code = f.category_code
        ORDER BY f.source, f.period_kind, f.period_start, f.area_code, f.category_code"""


def export_csv(con: duckdb.DuckDBPyConnection, out: Path | BinaryIO) -> None:
    """Write every stored figure as `;`-separated UTF-8 CSV to a path or a binary stream."""
    with tempfile.TemporaryDirectory(prefix="statistik-") as tmp:
        target = Path(out) if isinstance(out, (str, Path)) else Path(tmp) / "export.csv"
        con.execute(f"COPY ({export_sql()}) TO '{target}' (HEADER, DELIMITER ';')")
        if not isinstance(out, (str, Path)):
            with open(target, "rb") as f:
                shutil.copyfileobj(f, out)


def series(
    con: duckdb.DuckDBPyConnection,
    areas: list[str] | None = None,
    categories: list[str] | None = None,
    sources: list[str] | None = None,
    starts: tuple | None = None,
) -> pd.DataFrame:
    """Stored figures as a frame (period_kind, period_start as Timestamp, area_code, category_code, source, count).

    `starts` = (first, before): only periods starting on or after `first` and before `before`.
    """
    where, params = [], {}
    for column, values in (("area_code", areas), ("category_code", categories), ("source", sources)):
        if values is not None:
            where.append(f"{column} IN (SELECT unnest(${column}))")
            params[column] = list(values)
    if starts is not None:
        where.append("period_start >= $first AND period_start < $before")
        params["first"], params["before"] = starts
    sql = "SELECT period_kind, period_start, area_code, category_code, source, count FROM figure"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return con.execute(
        sql + " ORDER BY source, period_kind, period_start, area_code, category_code", params
    ).df()


def population(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Population on 1 January per area and year."""
    return con.execute("SELECT area_code, year, population FROM population ORDER BY area_code, year").df()
