"""Where offence categories sit in DST's tree, and the broader category beside a police category.

STRAF11's codes are hierarchical: '1320' (Indbrud i beboelser) lies under '13' when the table
has that code, else under '1', and every top code under 'TOT'. A police category names its DST
parent in data/kategorier.csv (`overkategori`, a code the shipped store has) and, where DST has a
more precise one, that category's DST name (`dst_overkategori`: kontaktbedrageri lies in
"Bedrageri"). Once `fetch-dst --all-categories` has registered DST's full list, the precise one
is used; undoing that upload falls back to the shipped parent, since nothing else is changed.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable
from pathlib import Path

import duckdb

from statistik import config

TOTAL = "TOT"
CATEGORIES_FILE = "kategorier.csv"


def dst_parents(codes: Iterable[str]) -> dict[str, str | None]:
    """Each DST code's parent among `codes`: the longest other code that begins it, else TOT (None for TOT)."""
    known = set(codes)
    out: dict[str, str | None] = {}
    for code in known:
        if code == TOTAL:
            out[code] = None
            continue
        prefixes = [code[:n] for n in range(len(code) - 1, 0, -1) if code[:n] in known]
        out[code] = prefixes[0] if prefixes else TOTAL
    return out


@functools.lru_cache(maxsize=4)
def precise_parent_names(data_dir: Path = config.DATA_DIR) -> dict[str, str]:
    """Police category code → the name of the DST category it belongs in, where the file names one."""
    with open(Path(data_dir) / CATEGORIES_FILE, encoding="utf-8", newline="") as f:
        return {r["kode"]: r["dst_overkategori"].strip() for r in csv.DictReader(f, delimiter=";")
                if (r.get("dst_overkategori") or "").strip()}


def broader(con: duckdb.DuckDBPyConnection, code: str) -> str | None:
    """The DST category shown beside a category that has no figures: the precise one if registered, else its
    parent; None when that would only be the grand total."""
    precise = precise_parent_names().get(code)
    if precise:
        row = con.execute(
            "SELECT code FROM category WHERE origin = 'dst' AND lower(name) = lower(?) ORDER BY code LIMIT 1",
            [precise],
        ).fetchone()
        if row:
            return row[0]
    row = con.execute("SELECT parent_code FROM category WHERE code = ?", [code]).fetchone()
    parent = row[0] if row else None
    return parent if parent and parent != TOTAL else None
