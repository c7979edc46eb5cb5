"""Dated notes (events, law changes) drawn on the charts they concern; analysts add, edit and delete them.

An annotation names the categories and the areas it concerns: `category_codes` None means every
category and an empty list no chart at all (listed on Om data, never drawn); `area_codes` None means
every area. A chart of a police district concerns each of its municipalities, and the annotations
listed are the district's: those for every area and those naming one of its areas (København's
events do not show for Østjyllands Politi).
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from statistik import districts, reference
from statistik.vocabulary import hidden_characters

KINDS = {"begivenhed": "Begivenhed", "lovændring": "Lovændring", "andet": "Andet"}
ALL, NONE = "Alle", "Ingen grafer"


def annotations(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The district's annotations: id, start_date, end_date, text, kind, category_codes, area_codes, created_by."""
    own = districts.current()
    return con.execute(
        """SELECT id, start_date, end_date, text, kind, category_codes, area_codes, created_by
           FROM annotation WHERE area_codes IS NULL OR list_has_any(area_codes, $areas)
           ORDER BY start_date, id""",
        {"areas": [*own.members, own.code]},
    ).df()


def codes_of(values) -> list[str] | None:
    """A stored list of codes (a list or array from DuckDB) as a list; None stays None (every one)."""
    if values is None or values is pd.NA or isinstance(values, float):     # NULL: None, NA or NaN
        return None
    return [str(v) for v in values]


def _concerns(codes, wanted: set[str]) -> bool:
    codes = codes_of(codes)
    return codes is None or bool(wanted & set(codes))


def relevant(frame: pd.DataFrame, categories: list[str], areas: list[str]) -> pd.DataFrame:
    """The annotations that concern a chart of `categories` × `areas`; a police district stands for its members."""
    if frame.empty:
        return frame
    places = set(areas).union(*(d.members for d in map(districts.by_code, areas) if d is not None))
    keep = [_concerns(c, set(categories)) and _concerns(a, places)
            for c, a in zip(frame["category_codes"], frame["area_codes"])]
    return frame[keep]


def for_chart(con: duckdb.DuckDBPyConnection, categories: list[str], areas: list[str]) -> pd.DataFrame:
    """The annotations a chart of `categories` × `areas` draws."""
    return relevant(annotations(con), categories, areas)


def _check(con, text: str, start: dt.date, end: dt.date, kind: str,
           categories: list[str] | None, areas: list[str] | None) -> str:
    text = text.strip()
    if not text:
        raise ValueError("En markering skal have en tekst.")
    if why := hidden_characters(text):
        raise ValueError(f"Markeringen kan ikke gemmes: {why}.")
    if end < start:
        raise ValueError("Slutdatoen ligger før startdatoen.")
    if kind not in KINDS:
        raise ValueError(f"Ukendt type {kind!r}; brug {', '.join(KINDS)}.")
    known_categories, known_areas = reference.category_names(con), reference.area_names(con)
    unknown = [c for c in categories or [] if c not in known_categories] + \
              [a for a in areas or [] if a not in known_areas and districts.by_code(a) is None]
    if unknown:
        raise ValueError(f"Ukendt kategori eller område: {', '.join(unknown)}.")
    return text


def add_annotation(
    con: duckdb.DuckDBPyConnection, start: dt.date, text: str, user: str, end: dt.date | None = None,
    kind: str = "begivenhed", categories: list[str] | None = None, areas: list[str] | None = None,
) -> int:
    """Store a new annotation; returns its id. categories/areas None: every one (see the module)."""
    end = end or start
    text = _check(con, text, start, end, kind, categories, areas)
    return con.execute(
        """INSERT INTO annotation (start_date, end_date, text, kind, category_codes, area_codes, created_by)
           VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id""",
        [start, end, text, kind, categories, areas, user],
    ).fetchone()[0]


def set_relevance(con: duckdb.DuckDBPyConnection, annotation_id: int, categories: list[str] | None,
                  areas: list[str] | None) -> None:
    """Which categories and areas an annotation concerns (None: every one; [] categories: no chart)."""
    row = con.execute("SELECT text, start_date, end_date, kind FROM annotation WHERE id = ?",
                      [annotation_id]).fetchone()
    if row is None:
        raise ValueError(f"Markering nr. {annotation_id} findes ikke.")
    _check(con, row[0], row[1], row[2], row[3], categories, areas)
    con.execute("UPDATE annotation SET category_codes = ?, area_codes = ? WHERE id = ?",
                [categories, areas, annotation_id])


def delete_annotation(con: duckdb.DuckDBPyConnection, annotation_id: int) -> None:
    """Remove an annotation (the page asks for a confirmation first)."""
    con.execute("DELETE FROM annotation WHERE id = ?", [annotation_id])


def listing(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The annotations as a table to show: dates, text, type, and which charts they are drawn on, by name."""
    frame = annotations(con)
    categories, areas = reference.category_names(con), {**districts.area_names(), **reference.area_names(con)}

    def named(codes, names, empty: str) -> str:
        codes = codes_of(codes)
        if codes is None:
            return ALL
        return ", ".join(names.get(c, c) for c in codes) if codes else empty

    return pd.DataFrame({
        "Nr.": frame["id"], "Fra": frame["start_date"], "Til": frame["end_date"], "Tekst": frame["text"],
        "Type": frame["kind"].map(KINDS).fillna(frame["kind"]),
        "Kategorier": [named(c, categories, NONE) for c in frame["category_codes"]],
        "Områder": [named(a, areas, ALL) for a in frame["area_codes"]],
        "Oprettet af": frame["created_by"],
    })


def within(frame: pd.DataFrame, first: dt.date, last: dt.date) -> pd.DataFrame:
    """The annotations that overlap [first, last]."""
    if frame.empty:
        return frame
    start, end = pd.to_datetime(frame["start_date"]), pd.to_datetime(frame["end_date"])
    return frame[(end >= pd.Timestamp(first)) & (start <= pd.Timestamp(last))]
