"""The municipalities page: every municipality's rate against its size in a funnel, and the district's table;
the 12 police districts in a funnel of their own.

A ranking of rates invites reading noise as differences: a small municipality's rate swings far
more than a large one's. The funnel plot draws each municipality's rate per 100.000 against its
population, with the national rate and the limits within which chance and normal variation keep
a municipality of that size (`metrics.funnel`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from statistik import config, districts
from statistik.metrics import dispersion as md, exposure, frame as mf, funnel, rates, series
from statistik.periods import Period
from statistik.views import memo
from statistik.views.common import area_names, population_with_district, series_with_district

COUNTRY = config.COUNTRY_CODE
FUNNEL_POINTS = 120
DISTRICT_FUNNEL_POINTS = 30    # the districts span one decade of sizes: a smooth funnel needs far fewer points


@dataclass
class Comparison:
    """Rates of every municipality, the funnel's limits, and the district's rows for the table."""

    period: Period | None
    data: pd.DataFrame        # label, area_code, count, population, population_year, rate, low, high, kind
    reference: pd.DataFrame   # area_code, label, count, population, rate, member, position_95, position_99.8
    source: str
    national: float | None = None                                  # the country's rate: the funnel's centre
    limits: pd.DataFrame = field(default_factory=pd.DataFrame)     # population, low_95, high_95, low_99.8, high_99.8
    districts: pd.DataFrame = field(default_factory=pd.DataFrame)  # the 12 police districts, as `reference`
    district_limits: pd.DataFrame = field(default_factory=pd.DataFrame)   # the funnel at the districts' sizes

    @property
    def population_year(self) -> int | None:
        """The year of the population figures the rates use (1 January), or None without any."""
        year = self.data["population_year"].max() if "population_year" in self.data else None
        return None if pd.isna(year) else int(year)


def _kinds(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    own = districts.current().code
    return (dict(con.execute("SELECT code, kind FROM area").fetchall())
            | {code: "kreds" if code == own else "politikreds" for code in districts.codes()})


def _curve(frame: pd.DataFrame, municipalities: list[str], population: pd.DataFrame, period: Period) -> md.Curve:
    """The normal variation of the category: the dispersion curve pooled over the municipalities' history."""
    history = exposure.add_exposure(frame[frame[mf.AREA].isin(municipalities)], population)
    default = md.Curve(*md.DEFAULT_CURVES[period.kind])
    return md.prior_curve(md.pairs(history, before=period.start), default, "kategori")


def _limits(population: pd.Series, rate: float, curve: md.Curve, points: int = FUNNEL_POINTS) -> pd.DataFrame:
    grid = np.geomspace(max(population.min() * 0.8, 100), population.max() * 1.25, points)
    out = pd.DataFrame({"population": grid})
    for level, (low, high) in funnel.limits(grid, rate, curve).items():
        out[f"low_{level * 100:g}"], out[f"high_{level * 100:g}"] = low, high
    return out


@memo.keeps()
def compare(
    con: duckdb.DuckDBPyConnection, category: str, kind: str, source: str = config.DST_SOURCE
) -> Comparison:
    """Counts and rates per 100.000 for one category in the latest complete period of `kind` that has a
    national figure, for every area that has the figure, and the funnel around the national rate."""
    own = districts.current()
    kinds = _kinds(con)
    areas = [a for a, k in kinds.items() if k in ("kommune", "region", "land", "kreds", "politikreds")]
    frame = series_with_district(con, areas, [category], [source])
    empty = Comparison(None, pd.DataFrame(columns=["label", "area_code", "count", "rate", "low", "high", "kind"]),
                       pd.DataFrame(columns=["area_code", "label", "count", "population", "rate", "member"]), source)
    try:
        agg = series.aggregate(frame, kind) if not frame.empty else frame
    except mf.SeriesError:
        return empty
    national = agg[(agg[mf.AREA] == COUNTRY) & agg[mf.COUNT].notna()]
    if national.empty:
        return empty
    period = Period(kind, national[mf.START].max().date())
    population = population_with_district(con)
    latest = rates.add_rates(series.at(agg, period.start).pipe(lambda f: f[f[mf.COUNT].notna()]), population)
    names = area_names(con)
    latest["label"] = latest[mf.AREA].map(names)
    latest["kind"] = latest[mf.AREA].map(kinds)
    members = list(own.municipalities)
    shown = [*members, own.code, *own.regions, COUNTRY]
    data = latest[latest[mf.AREA].isin(shown)].copy()
    data["_order"] = data[mf.AREA].map({c: i for i, c in enumerate(shown)})
    data = data.sort_values("_order").drop(columns="_order")
    data = data.rename(columns={rates.RATE: "rate", rates.RATE_LOW: "low", rates.RATE_HIGH: "high"})
    columns = ["label", mf.AREA, mf.COUNT, rates.POPULATION, rates.POPULATION_YEAR, "rate", "low", "high", "kind"]

    municipalities = [a for a in areas if kinds.get(a) == "kommune"]
    everyone = latest[latest[mf.AREA].isin(municipalities) & latest[rates.POPULATION].notna()].copy()
    country = latest[latest[mf.AREA] == COUNTRY].iloc[0]
    centre = float(country[rates.RATE]) if pd.notna(country[rates.RATE]) else None
    if centre is None or everyone.empty:
        result = everyone[[mf.AREA, "label", mf.COUNT, rates.POPULATION, rates.RATE]].rename(columns={rates.RATE: "rate"})
        return Comparison(period, data[columns].reset_index(drop=True), result.assign(member=False), source)
    curve = _curve(agg, municipalities, population, period)
    everyone["member"] = everyone[mf.AREA].isin(members)
    result = _positioned(everyone, centre, curve)
    order = {code: i for i, code in enumerate(districts.codes())}
    police = latest[latest[mf.AREA].isin(order) & latest[rates.POPULATION].notna()].copy()
    police = police.assign(member=police[mf.AREA] == own.code).sort_values(mf.AREA, key=lambda c: c.map(order))
    return Comparison(period, data[columns].reset_index(drop=True), result.reset_index(drop=True), source,
                      centre, _limits(everyone[rates.POPULATION].astype("float64"), centre, curve),
                      _positioned(police, centre, curve).reset_index(drop=True),
                      _limits(police[rates.POPULATION].astype("float64"), centre, curve, DISTRICT_FUNNEL_POINTS))


def _positioned(rows: pd.DataFrame, centre: float, curve: md.Curve) -> pd.DataFrame:
    """Areas with where they lie against the funnel at each level ('over', 'under' or inside)."""
    rows = rows.copy()
    counts, inhabitants = rows[mf.COUNT].astype("float64"), rows[rates.POPULATION].astype("float64")
    for level in funnel.LEVELS:
        rows[f"position_{level * 100:g}"] = funnel.position(counts, inhabitants, centre, curve, level)
    return rows[[mf.AREA, "label", mf.COUNT, rates.POPULATION, rates.RATE, "member",
                 *(f"position_{level * 100:g}" for level in funnel.LEVELS)]].rename(columns={rates.RATE: "rate"})


def _funnel_words(p95, p998) -> str:
    """'over landsniveau' (outside the 99,8 % limits), 'måske over landsniveau' (outside 95 %), 'som landet'."""
    if not isinstance(p95, str):
        return "–"
    if p998 in ("over", "under"):
        return f"{p998} landsniveau"
    if p95 in ("over", "under"):
        return f"måske {p95} landsniveau"
    return "som landsniveau"


def table(comparison: Comparison) -> pd.DataFrame:
    """The district's municipalities, the district, region and country: counts, rates and the funnel's verdict."""
    d = comparison.data.merge(comparison.reference[[mf.AREA, *(c for c in comparison.reference.columns
                                                               if c.startswith("position_"))]],
                              on=mf.AREA, how="left")
    words = [_funnel_words(a, b) if kind == "kommune" else "–"
             for a, b, kind in zip(d.get("position_95", [None] * len(d)), d.get("position_99.8", [None] * len(d)),
                                   d["kind"])]
    return pd.DataFrame({"Område": d["label"], "Antal": d[mf.COUNT], "Folketal": d[rates.POPULATION],
                         "Pr. 100.000": d["rate"], "I forhold til landet": words})


def district_table(comparison: Comparison) -> pd.DataFrame:
    """The 12 police districts by number: counts, rates and where they lie against the funnel."""
    d = comparison.districts
    if d.empty:
        return pd.DataFrame(columns=["Politikreds", "Antal", "Folketal", "Pr. 100.000", "I forhold til landet"])
    words = [_funnel_words(a, b) for a, b in zip(d["position_95"], d["position_99.8"])]
    return pd.DataFrame({"Politikreds": d["label"], "Antal": d[mf.COUNT], "Folketal": d[rates.POPULATION],
                         "Pr. 100.000": d["rate"], "I forhold til landet": words})


TABLE_FORMATS = {"Antal": "int", "Folketal": "int", "Pr. 100.000": "dec1"}
