"""The municipalities page: the four side by side as rates, against region, country and all 98."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from statistik import config, reference
from statistik.metrics import frame as mf, rates, series
from statistik.periods import Period
from statistik.views.common import DISTRICT, area_names, population_with_district, series_with_district

REGION, COUNTRY = config.REGION_CODE, config.COUNTRY_CODE


@dataclass
class Comparison:
    """Rates for the district's municipalities and the levels to compare them with."""

    period: Period | None
    data: pd.DataFrame        # label, area_code, count, population, population_year, rate, low, high, kind
    reference: pd.DataFrame   # area_code, label, rate: every municipality with a figure
    source: str


def _kinds(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute("SELECT code, kind FROM area").fetchall()) | {DISTRICT: "kreds"}


def compare(
    con: duckdb.DuckDBPyConnection, category: str, kind: str, source: str = config.DST_SOURCE
) -> Comparison:
    """Counts and rates per 100.000 for one category in the latest complete period of `kind` that has a
    national figure, for every area that has the figure."""
    kinds = _kinds(con)
    areas = [a for a, k in kinds.items() if k in ("kommune", "region", "land")] + [DISTRICT]
    frame = series_with_district(con, areas, [category], [source])
    empty = Comparison(None, pd.DataFrame(columns=["label", "area_code", "count", "rate", "low", "high", "kind"]),
                       pd.DataFrame(columns=["area_code", "label", "rate"]), source)
    try:
        agg = series.aggregate(frame, kind) if not frame.empty else frame
    except mf.SeriesError:
        return empty
    national = agg[(agg[mf.AREA] == COUNTRY) & agg[mf.COUNT].notna()]
    if national.empty:
        return empty
    period = Period(kind, national[mf.START].max().date())
    agg = series.at(agg, period.start)
    agg = rates.add_rates(agg[agg[mf.COUNT].notna()], population_with_district(con))
    names = area_names(con)
    agg["label"] = agg[mf.AREA].map(names)
    agg["kind"] = agg[mf.AREA].map(kinds)
    members = [a for a in areas if kinds.get(a) == "kommune"]
    shown = [*reference.district_members(con), DISTRICT, REGION, COUNTRY]
    data = agg[agg[mf.AREA].isin(shown)].copy()
    data["_order"] = data[mf.AREA].map({c: i for i, c in enumerate(shown)})
    data = data.sort_values("_order").drop(columns="_order")
    data = data.rename(columns={rates.RATE: "rate", rates.RATE_LOW: "low", rates.RATE_HIGH: "high"})
    everyone = agg[agg[mf.AREA].isin(members)][[mf.AREA, "label", rates.RATE]].rename(columns={rates.RATE: "rate"})
    columns = ["label", mf.AREA, mf.COUNT, rates.POPULATION, rates.POPULATION_YEAR, "rate", "low", "high", "kind"]
    return Comparison(period, data[columns].reset_index(drop=True), everyone.reset_index(drop=True), source)
