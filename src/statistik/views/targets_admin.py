"""Targets in the store: listing and adding them (the evaluation is in metrics.targets)."""

from __future__ import annotations

import duckdb
import pandas as pd

from statistik import districts
from statistik.vocabulary import hidden_characters

DIRECTIONS = {"below": "under grænsen", "above": "over grænsen"}


def targets(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The district's targets (those whose area lies in it) with area and category names."""
    return con.execute(
        """SELECT t.id AS "Nr.", t.label AS "Navn", a.name AS "Område", c.name AS "Kategori",
                  CASE t.direction WHEN 'below' THEN 'under ' ELSE 'over ' END || t.limit_value || ' om året'
                      AS "Mål", t.created_by AS "Oprettet af"
           FROM target t JOIN area a ON a.code = t.area_code JOIN category c ON c.code = t.category_code
           WHERE t.area_code IN (SELECT unnest($areas)) ORDER BY t.id""",
        {"areas": list(districts.current().members)},
    ).df()


def _checked_label(limit: int, direction: str, label: str) -> str:
    """The target's name (a default one if empty), after checking limit and direction."""
    if direction not in DIRECTIONS:
        raise ValueError(f"Retningen skal være {' eller '.join(DIRECTIONS)}.")
    if limit < 0:
        raise ValueError("Grænsen kan ikke være negativ.")
    if why := hidden_characters(label):
        raise ValueError(f"Navnet kan ikke gemmes: {why}.")
    return label.strip() or f"{'Under' if direction == 'below' else 'Over'} {limit} om året"


def add_target(
    con: duckdb.DuckDBPyConnection, area: str, category: str, limit: int, direction: str, label: str, user: str
) -> int:
    """Store a yearly target; returns its id."""
    label = _checked_label(limit, direction, label)
    own = districts.current()
    if area not in own.members:
        raise ValueError(f"Et mål hører til politikredsen: vælg en kommune i {own.name}, ikke {area!r}.")
    if not con.execute("SELECT 1 FROM category WHERE code = ?", [category]).fetchone():
        raise ValueError(f"Ukendt kategori {category!r}.")
    return con.execute(
        """INSERT INTO target (area_code, category_code, period, limit_value, direction, label, created_by)
           VALUES (?, ?, 'year', ?, ?, ?, ?) RETURNING id""",
        [area, category, limit, direction, label, user],
    ).fetchone()[0]


def update_target(con: duckdb.DuckDBPyConnection, target_id: int, limit: int, direction: str, label: str) -> None:
    """Change a target's limit, direction and name."""
    label = _checked_label(limit, direction, label)
    if not con.execute("SELECT 1 FROM target WHERE id = ?", [target_id]).fetchone():
        raise ValueError(f"Mål nr. {target_id} findes ikke.")
    con.execute("UPDATE target SET limit_value = ?, direction = ?, label = ? WHERE id = ?",
                [limit, direction, label, target_id])


def delete_target(con: duckdb.DuckDBPyConnection, target_id: int) -> None:
    """Remove a target (the page asks for a confirmation first)."""
    con.execute("DELETE FROM target WHERE id = ?", [target_id])


def target(con: duckdb.DuckDBPyConnection, target_id: int) -> dict | None:
    """One target's editable fields: limit, direction, label."""
    row = con.execute("SELECT limit_value, direction, label FROM target WHERE id = ?", [target_id]).fetchone()
    return None if row is None else {"limit": int(row[0]), "direction": row[1], "label": row[2]}
