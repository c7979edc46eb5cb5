"""Counts and rates per 100.000 for any areas in one period, the 12 police districts included.

For the map (Kort) and any page that compares areas. A police district is a derived area (never
stored): its count is its members' sum and its population theirs, and from there it is treated
exactly like a municipality.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from statistik import config, districts
from statistik.metrics import frame as mf, rates, series
from statistik.periods import Period
from statistik.views.common import area_names, population_with_district, series_with_district

COLUMNS = ["area_code", "label", "count", "population", "population_year", "rate", "low", "high"]
DISTRICT_COLUMNS = ["number", *COLUMNS, "own"]


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=columns)


def area_rates(
    con: duckdb.DuckDBPyConnection, areas: Sequence[str], category: str, period: Period, *,
    months: int | None = None, source: str = config.DST_SOURCE,
) -> pd.DataFrame:
    """Each area's count in `period` (with `months`: the `months` months ending with that period) and its rate
    per 100.000 with the exact 95 % interval, in the order asked; areas without a figure are left out.

    Columns: area_code, label, count, population, population_year (FOLK1A, 1 January), rate, low, high.
    Codes may be municipalities, regions, the country or police districts ('pk2').
    """
    areas = list(dict.fromkeys(areas))           # each once, in the order first asked
    frame = series_with_district(con, areas, [category], [source])
    if frame.empty:
        return _empty(COLUMNS)
    try:
        summed = series.rolling(frame, months) if months else series.aggregate(frame, period.kind)
    except mf.SeriesError:
        return _empty(COLUMNS)
    found = series.at(summed, period.start)
    found = found[found[mf.COUNT].notna()]
    if found.empty:
        return _empty(COLUMNS)
    rated = rates.add_rates(found, population_with_district(con))
    order = {code: i for i, code in enumerate(areas)}
    rated = rated.assign(_order=rated[mf.AREA].map(order)).sort_values("_order")
    names = area_names(con)
    return pd.DataFrame({
        "area_code": rated[mf.AREA].to_numpy(),
        "label": rated[mf.AREA].map(names).to_numpy(),
        "count": rated[mf.COUNT].astype("Int64").to_numpy(),
        "population": rated[rates.POPULATION].to_numpy(),
        "population_year": rated[rates.POPULATION_YEAR].to_numpy(),
        "rate": rated[rates.RATE].astype("Float64").to_numpy(),
        "low": rated[rates.RATE_LOW].astype("Float64").to_numpy(),
        "high": rated[rates.RATE_HIGH].astype("Float64").to_numpy(),
    })


def district_rates(
    con: duckdb.DuckDBPyConnection, category: str, period: Period, *, months: int | None = None,
    source: str = config.DST_SOURCE,
) -> pd.DataFrame:
    """The 12 police districts side by side, by number, as area_rates gives them, with `number` and `own`
    (the installation's district)."""
    out = area_rates(con, districts.codes(), category, period, months=months, source=source)
    if out.empty:
        return _empty(DISTRICT_COLUMNS)
    numbers = {d.code: d.number for d in districts.all_districts()}
    out.insert(0, "number", out["area_code"].map(numbers).astype("int64"))
    out["own"] = out["area_code"] == districts.current().code
    return out[DISTRICT_COLUMNS].reset_index(drop=True)
