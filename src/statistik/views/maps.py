"""The map page: rates per 100.000 for every municipality, for one category and a 12-month period.

The period is the latest 12 months with a national figure ('R') or a calendar year. Rates use the
population on 1 January of the period's (last) year. With `hide_below` (public mode) a count of 1 to
hide_below − 1 is hidden: its municipality is drawn and listed as 'skjult', never as 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from statistik import config, districts, geo, reference
from statistik.charts.maps import SCREEN_WIDTH, map_figure
from statistik.charts.style import source_line
from statistik.metrics import frame as mf, rates, series
from statistik.metrics.frame import SeriesError
from statistik.periods import Period
from statistik.views.area_rates import district_rates
from statistik.views.common import population_with_district, series_with_district

LATEST = "R"
HIDDEN = "skjult"
COLUMNS = ["area_code", "name", "count", "population", "population_year", "rate", "hidden", "district"]


@dataclass
class MapRates:
    """Every municipality's rate for one category and period, and what the map says about it."""

    label: str                     # '1. kvt. 2025 – 4. kvt. 2025' or '2024'
    data: pd.DataFrame             # COLUMNS; rate <NA> where there is no figure or it is hidden
    source: str
    population_year: int | None
    hide_below: int | None = None
    category: str | None = None
    period: Period | None = None   # the year, or the last native period of the 12 months
    months: int | None = None      # 12 for the latest 12 months, None for a calendar year

    @property
    def empty(self) -> bool:
        """Whether no municipality has a figure."""
        return self.data.empty or self.data["count"].isna().all()


def municipalities(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The codes of the 98 municipalities (and Christiansø) that the map draws."""
    return [r[0] for r in con.execute("SELECT code FROM area WHERE kind = 'kommune' ORDER BY code").fetchall()
            if r[0] in geo.codes()]


def years(con: duckdb.DuckDBPyConnection, category: str, source: str = config.DST_SOURCE) -> list[int]:
    """Calendar years with a national figure for the category, newest first."""
    frame = series_with_district(con, [config.COUNTRY_CODE], [category], [source])
    try:
        yearly = series.aggregate(frame, "Y") if not frame.empty else frame
    except SeriesError:
        return []
    known = yearly[yearly[mf.COUNT].notna()]
    return sorted((int(y) for y in known[mf.START].dt.year.unique()), reverse=True)


def map_rates(con: duckdb.DuckDBPyConnection, category: str, period: str = LATEST,
              hide_below: int | None = None, source: str = config.DST_SOURCE) -> MapRates:
    """Counts and rates per 100.000 for every municipality in the latest 12 months (`period` 'R') or a year
    ('2024'); a municipality without a figure keeps its row with <NA>."""
    codes = municipalities(con)
    names = reference.area_names(con)
    frame = series_with_district(con, [*codes, config.COUNTRY_CODE], [category], [source])
    base = pd.DataFrame({"area_code": codes, "name": [names[c] for c in codes]})
    none = MapRates("", base.assign(**{c: pd.NA for c in COLUMNS[2:]})[COLUMNS], source, None)
    if frame.empty:
        return none
    try:
        summed = series.rolling(frame) if period == LATEST else series.aggregate(frame, "Y")
    except SeriesError:
        return none
    national = summed[(summed[mf.AREA] == config.COUNTRY_CODE) & summed[mf.COUNT].notna()]
    if period != LATEST:
        national = national[national[mf.START].dt.year == int(period)]
    if national.empty:
        return none
    start = national[mf.START].max()
    row = national[national[mf.START] == start].iloc[0]
    if period == LATEST:
        first = Period(row[mf.KIND], pd.Timestamp(row[mf.WINDOW_START]).date())
        label = f"{first.label} – {Period(row[mf.KIND], start.date()).label}"
    else:
        label = str(start.year)
    at = series.at(summed, start)
    at = rates.add_rates(at[at[mf.AREA].isin(codes)], population_with_district(con))
    merged = base.merge(at[[mf.AREA, mf.COUNT, rates.POPULATION, rates.POPULATION_YEAR, rates.RATE]],
                        on=mf.AREA, how="left")
    counts = merged[mf.COUNT].astype("Int64")
    hidden = (counts > 0) & (counts < hide_below) if hide_below else pd.Series(False, index=merged.index)
    hidden = hidden.fillna(False).astype(bool)
    district = set(districts.current().members)
    data = pd.DataFrame({
        "area_code": merged[mf.AREA], "name": merged["name"],
        "count": counts.mask(hidden), "population": merged[rates.POPULATION].astype("Int64"),
        "population_year": merged[rates.POPULATION_YEAR].astype("Int64"),
        "rate": merged[rates.RATE].astype("Float64").mask(hidden), "hidden": hidden,
        "district": merged[mf.AREA].isin(district),
    })
    used = data["population_year"].dropna()
    last = Period(row[mf.KIND], start.date()) if period == LATEST else Period("Y", start.date())
    return MapRates(label, data, source, int(used.max()) if not used.empty else None, hide_below, category, last,
                    12 if period == LATEST else None)


def table(view: MapRates) -> pd.DataFrame:
    """The map's numbers as a table, highest rate first; hidden counts say 'skjult'."""
    d = view.data.sort_values(["rate", "name"], ascending=[False, True], na_position="last")
    shown = lambda column: d[column].astype(object).where(~d["hidden"], HIDDEN)  # noqa: E731
    return pd.DataFrame({"Kommune": d["name"], "Antal": shown("count"), "Folketal": d["population"],
                         "Pr. 100.000": shown("rate")}).reset_index(drop=True)


@dataclass
class MapPage:
    """What the map page shows: the figure (wide and phone), its table and the texts around them."""

    title: str
    source: str
    filters: str
    note: str
    table_title: str
    table: pd.DataFrame
    figure: object          # plotly Figure
    narrow: object
    districts: pd.DataFrame | None = None   # the 12 police districts' rates, when they are drawn


def page(con: duckdb.DuckDBPyConnection, view: MapRates, category_name: str, police_districts: bool,
         narrow_width: int = 360) -> MapPage:
    """The map page for a computed view: titles, source line, the table and the figures."""
    title = f"{category_name} pr. 100.000 indbyggere, {view.label}"
    source = source_line([view.source], computed=True, rates=True)
    own = districts.current()
    district, district_name = list(own.members), own.name
    groups = geo.police_districts() if police_districts else None

    def draw(width=None):
        return map_figure(view.data, title=title, source=source, district_name=district_name, district=district,
                          police_districts=groups, width=width)

    hidden = int(view.data["hidden"].sum())
    note = (f"Folketal 1. januar {view.population_year} (FOLK1A). Sort streg: {district_name}. "
            + (f"{hidden} kommuner med 1–{view.hide_below - 1} anmeldelser vises som 'skjult' (ikke som 0)."
               if hidden else ""))
    return MapPage(title, source, f"Kategori: {category_name} · Periode: {view.label}"
                   + (" · De 12 politikredse vist" if police_districts else ""),
                   note, f"Alle kommuner, {view.label}", table(view), draw(SCREEN_WIDTH), draw(narrow_width),
                   district_table(con, view) if police_districts else None)


def district_table(con: duckdb.DuckDBPyConnection, view: MapRates) -> pd.DataFrame:
    """The 12 police districts' counts and rates in the map's period, by number; a small count 'skjult' as on the map."""
    rows = district_rates(con, view.category, view.period, months=view.months, source=view.source)
    hidden = ((rows["count"] > 0) & (rows["count"] < view.hide_below) if view.hide_below
              else pd.Series(False, index=rows.index))
    shown = lambda column: rows[column].astype(object).where(~hidden, HIDDEN)  # noqa: E731
    return pd.DataFrame({"Politikreds": rows["label"], "Antal": shown("count"), "Folketal": rows["population"],
                         "Pr. 100.000": shown("rate")})
