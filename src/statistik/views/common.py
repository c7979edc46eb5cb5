"""Shared pieces of the page and briefing models: focus trends, area choices, series with the district."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from statistik import config, figures, reference
from statistik.metrics import district, frame as mf
from statistik.periods import Period
from statistik.views import published

DISTRICT = config.DISTRICT_CODE


@dataclass(frozen=True)
class FocusTrend:
    """A trend the district follows, as named in its cooperation plan."""

    category: str            # category code
    title: str
    why: str                 # one line for the card
    context: str | None = None   # the broader DST category that contains it


FOCUS_TRENDS = (
    FocusTrend("kontaktbedrageri", "Kontaktbedrageri",
               "Telefon- og sms-svindel mod private, især ældre."),
    FocusTrend("opioider", "Opioider",
               "Sager om medicinske opioider; skærpede regler fra 1. juli 2025.", context="3210"),
    FocusTrend("lomme-og-tricktyveri", "Lomme- og tricktyveri",
               "Især i indre by, nattelivet og ved store begivenheder.", context="1336"),
    FocusTrend("1320", "Indbrud i beboelser",
               "Dragør-partnerskabet: under 30 indbrud om året."),
    FocusTrend("12", "Voldsforbrydelser",
               "Al anmeldt vold, herunder nattelivsvold og alvorlig vold."),
)


def area_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Area code → name, with the district as a derived area."""
    return {DISTRICT: config.DISTRICT_NAME, **reference.area_names(con)}


def series_with_district(
    con: duckdb.DuckDBPyConnection, areas: list[str], categories: list[str] | None = None,
    sources: list[str] | None = None,
) -> pd.DataFrame:
    """Stored figures for `areas`; the district ('kbh') is derived from its members, never stored.

    On the public dashboard (`published.mask`) each figure, the district's too, is shown only
    where a publication printed it.
    """
    members = reference.district_members(con)
    stored = [a for a in areas if a != DISTRICT]
    wanted = sorted(set(stored) | (set(members) if DISTRICT in areas else set()))
    raw = mf.check(figures.series(con, areas=wanted, categories=categories, sources=sources))
    parts = [published.mask(raw[raw[mf.AREA].isin(stored)])]
    if DISTRICT in areas and not raw.empty:
        total = district.district_total(raw, members).drop(columns=[district.MEMBERS_PRESENT])
        parts.append(published.mask(total))
    out = pd.concat(parts, ignore_index=True)
    return out if not out.empty else mf.empty()


def population_with_district(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Population per area and year, with the district's sum."""
    return district.with_district_population(figures.population(con), reference.district_members(con))


def newest_series(con: duckdb.DuckDBPyConnection, area: str, category: str) -> tuple[str | None, pd.DataFrame]:
    """One area's figures for a category from the source with the newest figures (and that source)."""
    frame = series_with_district(con, [area], [category])
    source = mf.newest_source(frame)
    return source, frame[frame[mf.SOURCE] == source]


def period_of(row: pd.Series) -> Period:
    """The Period of a frame row."""
    return Period(row[mf.KIND], pd.Timestamp(row[mf.START]).date())
