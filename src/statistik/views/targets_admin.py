"""Targets in the store: listing and adding them (the evaluation is in metrics.targets)."""

from __future__ import annotations

import duckdb
import pandas as pd

DIRECTIONS = {"below": "under grænsen", "above": "over grænsen"}


def targets(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every target with area and category names."""
    return con.execute(
        """SELECT t.id AS "Nr.", t.label AS "Navn", a.name AS "Område", c.name AS "Kategori",
                  CASE t.direction WHEN 'below' THEN 'under ' ELSE 'over ' END || t.limit_value || ' om året'
                      AS "Mål", t.created_by AS "Oprettet af"
           FROM target t JOIN area a ON a.code = t.area_code JOIN category c ON c.code = t.category_code
           ORDER BY t.id"""
    ).df()


def add_target(
    con: duckdb.DuckDBPyConnection, area: str, category: str, limit: int, direction: str, label: str, user: str
) -> int:
    """Store a yearly target; returns its id."""
    if direction not in DIRECTIONS:
        raise ValueError(f"Retningen skal være {' eller '.join(DIRECTIONS)}.")
    if limit < 0:
        raise ValueError("Grænsen kan ikke være negativ.")
    if not con.execute("SELECT 1 FROM area WHERE code = ?", [area]).fetchone():
        raise ValueError(f"Ukendt område {area!r}.")
    if not con.execute("SELECT 1 FROM category WHERE code = ?", [category]).fetchone():
        raise ValueError(f"Ukendt kategori {category!r}.")
    label = label.strip() or f"{'Under' if direction == 'below' else 'Over'} {limit} om året"
    return con.execute(
        """INSERT INTO target (area_code, category_code, period, limit_value, direction, label, created_by)
           VALUES (?, ?, 'year', ?, ?, ?, ?) RETURNING id""",
        [area, category, limit, direction, label, user],
    ).fetchone()[0]
