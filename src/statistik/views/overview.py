"""The overview: one card per focus trend for the district, and the targets."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from statistik import districts, formatting, reference
from statistik.metrics import change as mc, frame as mf, rates, series, targets, verdicts as mv
from statistik.periods import Period, months_in, year_earlier
from statistik.views import memo
from statistik.views.common import (
    FocusTrend, area_names, focus_trends, period_of, population_with_district,
    series_with_district,
)
from statistik.views.comparison import verdicts

SPARK_MONTHS = 36


@dataclass
class Card:
    """A focus trend's latest figures for one area."""

    trend: FocusTrend
    area: str
    source: str | None = None
    period: Period | None = None
    change: mc.Change | None = None
    verdict: mv.Verdict | None = None         # the change on a year before and the expected range, in words
    rolling: mc.Change | None = None          # 12 months to the latest period, against a year before
    rolling_label: str | None = None
    spark: pd.Series | None = None            # counts by period_start, gaps as <NA>
    spark_label: str | None = None            # the span the sparkline covers, in words
    rate: float | None = None                 # the latest period per 100.000 inhabitants
    population_year: int | None = None        # the FOLK1A year the rate uses (1 January)
    context: Card | None = None               # the broader DST category, when this one has no figures

    @property
    def empty(self) -> bool:
        """Whether the trend has no figures yet."""
        return self.period is None

    @property
    def small(self) -> bool:
        """Fewer than 10 cases in the latest or the comparison period."""
        c = self.change
        return bool(c and any(v < mv.SMALL_COUNT for v in (c.current, c.previous) if v is not None))


def card(con: duckdb.DuckDBPyConnection, trend: FocusTrend, area: str | None = None) -> Card:
    """The latest figures of a trend in an area (default: the district), from the source with the newest figures."""
    return _judge(con, _figures(con, [trend], area or districts.current().code))[0]


def _figures(con: duckdb.DuckDBPyConnection, trends: list[FocusTrend], area: str) -> list[Card]:
    """The trends' cards without their verdicts (`_judge` adds them): the figures of all of them are read
    and worked out together, each from the source with the newest figures for its category."""
    made = [Card(trend, area) for trend in trends]
    frame = series_with_district(con, [area], sorted({t.category for t in trends}))
    chosen = []
    for _, rows in frame.groupby(mf.CATEGORY, sort=False):
        if (source := mf.newest_source(rows)) is not None:
            chosen.append(rows[rows[mf.SOURCE] == source])
    if chosen:
        own = pd.concat(chosen, ignore_index=True)
        known = own[own[mf.COUNT].notna()]
        latest = known.loc[known.groupby(mf.CATEGORY)[mf.START].idxmax()].set_index(mf.CATEGORY)
        with_last = mc.with_last_year(own)
        rolled = mc.with_last_year(series.rolling(own))
        filled = mf.fill_gaps(own)
        at_latest = own.merge(latest[[mf.START]].reset_index(), on=[mf.CATEGORY, mf.START])
        with_rate = rates.add_rates(at_latest, population_with_district(con)).drop_duplicates(mf.CATEGORY)\
            .set_index(mf.CATEGORY)
        for result in made:
            if result.trend.category in latest.index:
                _fill(result, latest.loc[result.trend.category], with_last, rolled, filled,
                      with_rate.loc[result.trend.category])
    without = [(c, c.trend.context) for c in made if c.empty and c.trend.context]
    if without:
        names = reference.category_names(con)
        broader = _figures(con, [FocusTrend(context, names.get(context, context), "") for _, context in without], area)
        for (result, _), context in zip(without, broader):
            result.context = context
    return made


def _fill(result: Card, latest: pd.Series, with_last: pd.DataFrame, rolled: pd.DataFrame, filled: pd.DataFrame,
          with_rate: pd.Series) -> None:
    """Fill a card from its category's latest row and the worked-out frames of all the cards."""
    category, start = result.trend.category, latest[mf.START]

    def mine(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame[mf.CATEGORY] == category]

    row = series.at(mine(with_last), start).iloc[0]
    result.source = latest[mf.SOURCE]
    result.period = Period(latest[mf.KIND], pd.Timestamp(start).date())
    result.change = mc.change(row[mf.COUNT], row[mc.PREVIOUS_COUNT])
    last = series.at(mine(rolled), start)
    if not last.empty and pd.notna(last[mf.COUNT].iloc[0]):
        r = last.iloc[0]
        result.rolling = mc.change(r[mf.COUNT], r[mc.PREVIOUS_COUNT])
        first = Period(r[mf.KIND], pd.Timestamp(r[mf.WINDOW_START]).date())
        result.rolling_label = f"{first.label} – {result.period.label}"
    if pd.notna(with_rate[rates.RATE]):
        result.rate = float(with_rate[rates.RATE])
        result.population_year = int(with_rate[rates.POPULATION_YEAR])
    spark = mine(filled).tail(SPARK_MONTHS // months_in(result.period.kind))
    result.spark = spark.set_index(mf.START)[mf.COUNT]
    result.spark_label = f"{period_of(spark.iloc[0]).label} – {result.period.label}"


def _judge(con: duckdb.DuckDBPyConnection, made: list[Card]) -> list[Card]:
    """Give each card (and its broader category's) the verdict on a year before: one engine call for all the
    cards of one area, source and period, as a verdict does not depend on what is judged with it."""
    shown = [c for card_ in made for c in (card_, card_.context) if c is not None and not c.empty]
    together: dict[tuple, list[Card]] = {}
    for c in shown:
        together.setdefault((c.area, c.source, c.period), []).append(c)
    for (area, source, period), group in together.items():
        judged = verdicts(con, period, year_earlier(period), [area], sorted({c.trend.category for c in group}),
                          [source])
        by_category = {row[mv.CATEGORY]: row for _, row in judged.iterrows()}
        for c in group:
            if c.trend.category in by_category:
                c.verdict = mv.Verdict.of(by_category[c.trend.category])
    return made


@memo.keeps()
def cards(con: duckdb.DuckDBPyConnection, area: str | None = None) -> list[Card]:
    """A card for every focus trend of the district; those with figures first, in the cooperation plan's order."""
    area = area or districts.current().code
    made = _judge(con, _figures(con, focus_trends(con), area))
    return [c for c in made if not c.empty] + [c for c in made if c.empty]


def area_caption(con: duckdb.DuckDBPyConnection, area: str) -> str:
    """What the page shows for `area`, in one line."""
    names, own = area_names(con), districts.current()
    if area == own.code:
        where = f"{own.name}: {formatting.and_list([names.get(m, m) for m in own.members])}"
    else:
        where = f"{names.get(area, area)}, en af kommunerne i {own.name}"
    return f"{where}. Seneste periode for hver tendens mod samme periode året før."


def areas(con: duckdb.DuckDBPyConnection) -> tuple[list[str], dict[str, str]]:
    """What Oversigt can show: the district, then each of its municipalities."""
    own = districts.current()
    return [own.code, *own.municipalities], area_names(con)


@dataclass
class TargetCard:
    """A target: met or missed per calendar year, and the latest rolling status."""

    target: targets.Target
    label: str
    years: pd.DataFrame                      # year, count, met (<NA> when incomplete)
    status: targets.TargetStatus | None


def stored_targets(con: duckdb.DuckDBPyConnection) -> list[tuple[targets.Target, str]]:
    """The district's targets in the store, with their labels.

    A target belongs to the district its area lies in (Dragør's only to Københavns Politi): a store
    opened for another district shows none of them."""
    kinds = {"year": "Y", "quarter": "Q", "month": "M"}
    own = districts.current()
    return [
        (targets.Target(area, category, kinds[period], int(limit), direction), label)
        for area, category, period, limit, direction, label in con.execute(
            """SELECT area_code, category_code, period, limit_value, direction, label FROM target
               WHERE area_code IN (SELECT unnest($areas)) ORDER BY id""",
            {"areas": [*own.members, own.code]},
        ).fetchall()
    ]


@memo.keeps(also=stored_targets)
def target_cards(con: duckdb.DuckDBPyConnection, area: str | None = None) -> list[TargetCard]:
    """The targets of `area` (default and for the district: of it and all its municipalities), evaluated on the
    source whose latest complete window is newest: a newer source without 12 complete months (police figures
    for part of a year) does not hide another source's complete year."""
    own = districts.current()
    area = area or own.code
    wanted = {area} | (set(own.members) if area == own.code else set())
    out = []
    for target, label in stored_targets(con):
        if target.area not in wanted:
            continue
        frame = series_with_district(con, [target.area], [target.category])
        status = targets.current_status(target, frame)
        source = status.source if status else mf.newest_source(frame)
        if source is None:
            out.append(TargetCard(target, label, pd.DataFrame(columns=["year", "count", "met"]), None))
            continue
        evaluated = targets.evaluate(target, frame[frame[mf.SOURCE] == source])
        years = pd.DataFrame({
            "year": evaluated[mf.START].dt.year.to_numpy(),
            "count": evaluated[mf.COUNT].to_numpy(),
            "met": evaluated[targets.MET].to_numpy(),
        })
        out.append(TargetCard(target, label, years, status))
    return out
