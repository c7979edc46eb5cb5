"""What the pages offer to choose from: areas and categories, in a sensible order."""

from __future__ import annotations

import duckdb

from statistik import config, districts, reference
from statistik.views.common import area_names, focus_trends


def areas(con: duckdb.DuckDBPyConnection) -> tuple[list[str], dict[str, str]]:
    """The district and its members first, then its region(s), the country, the other police districts,
    and the other areas by name."""
    names = area_names(con)
    own = districts.current()
    first = [own.code, *own.members, *own.regions, config.COUNTRY_CODE]
    first += [code for code in districts.codes() if code not in first]
    rest = sorted((c for c in names if c not in first), key=lambda c: names[c])
    return first + rest, names


def target_areas(con: duckdb.DuckDBPyConnection) -> tuple[list[str], dict[str, str]]:
    """The areas a target can be set for: the district's members (a target belongs to its district)."""
    return list(districts.current().members), reference.area_names(con)


def categories(con: duckdb.DuckDBPyConnection) -> tuple[list[str], dict[str, str]]:
    """Categories: the focus trends first, then the rest by name."""
    names = reference.category_names(con)
    first = [t.category for t in focus_trends(con) if t.category in names]
    rest = sorted((c for c in names if c not in first), key=lambda c: names[c])
    return first + rest, names
