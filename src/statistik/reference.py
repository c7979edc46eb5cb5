"""Areas and offence categories: loading them and looking them up (police districts: districts.py)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from statistik import config
from statistik.vocabulary import Lexicon, area_lexicon, category_lexicon, slug, unsafe_text


def load_reference(con: duckdb.DuckDBPyConnection, data_dir: Path = config.DATA_DIR) -> None:
    """Fill the area and category tables from the shipped CSV files."""
    def csv(name: str) -> str:
        return f"read_csv('{data_dir / name}', delim = ';', header = true, all_varchar = true)"

    con.execute(f'INSERT INTO area SELECT "OMRÅDE", navn, type FROM {csv("omraader.csv")}')
    con.execute(
        f"""INSERT INTO category SELECT kode, navn, nullif(overkategori, ''), oprindelse, NULL
            FROM {csv('kategorier.csv')}"""
    )


def area_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Area code → Danish name."""
    return dict(con.execute("SELECT code, name FROM area ORDER BY code").fetchall())


def category_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Category code → Danish name."""
    return dict(con.execute("SELECT code, name FROM category ORDER BY code").fetchall())


def lexicons(con: duckdb.DuckDBPyConnection) -> tuple[Lexicon, Lexicon]:
    """Lexicons for recognising areas and categories in import files."""
    return area_lexicon(area_names(con)), category_lexicon(category_names(con))


def add_category(
    con: duckdb.DuckDBPyConnection, name: str, code: str | None = None, parent: str | None = None
) -> str:
    """Register a police-internal category; returns its code."""
    name = name.strip()
    code = (code or slug(name)).strip()
    if not name or not code:
        raise ValueError("En kategori skal have et navn.")
    for text in (name, code):
        why = unsafe_text(text)
        if why:
            raise ValueError(f"Kategorien kan ikke oprettes: {why}. Navne må ikke begynde med =, +, - "
                             "eller @ eller indeholde HTML eller Markdown.")
    existing = category_lexicon(category_names(con)).resolve(name)
    if existing or con.execute("SELECT 1 FROM category WHERE code = ?", [code]).fetchone():
        raise ValueError(f"Kategorien {name!r} findes allerede (kode {existing or code}).")
    if parent and not con.execute("SELECT 1 FROM category WHERE code = ?", [parent]).fetchone():
        raise ValueError(f"Overkategorien {parent!r} findes ikke.")
    con.execute("INSERT INTO category VALUES (?, ?, ?, 'intern', NULL)", [code, name, parent])
    return code
