"""What the pages offer to choose from: areas and categories, in a sensible order."""

from __future__ import annotations

import duckdb

from statistik import config, reference
from statistik.views.common import DISTRICT, FOCUS_TRENDS, area_names


def areas(con: duckdb.DuckDBPyConnection) -> tuple[list[str], dict[str, str]]:
    """The district and its municipalities first, then region, country, and the other areas by name."""
    names = area_names(con)
    first = [DISTRICT, *reference.district_members(con), config.REGION_CODE, config.COUNTRY_CODE]
    rest = sorted((c for c in names if c not in first), key=lambda c: names[c])
    return first + rest, names


def categories(con: duckdb.DuckDBPyConnection) -> tuple[list[str], dict[str, str]]:
    """Categories: the focus trends first, then the rest by name."""
    names = reference.category_names(con)
    first = [t.category for t in FOCUS_TRENDS if t.category in names]
    rest = sorted((c for c in names if c not in first), key=lambda c: names[c])
    return first + rest, names
