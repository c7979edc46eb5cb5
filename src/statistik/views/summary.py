"""One area, category and period in a few numbers (the `statistik summary` command).

The figures of one source are used: Danmarks Statistik when it has the period, otherwise
the first source by name that has it. Sources are never added together. The test and the
expected range are those of `statistik compare` (`views.comparison.verdicts`).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from statistik import districts, figures, reference
from statistik.metrics import expected as me, verdicts as mv
from statistik.metrics.change import CHANGE, CHANGE_PCT, PREVIOUS_COUNT
from statistik.metrics.district import district_population, district_total
from statistik.metrics.frame import COUNT, SOURCE, GranularityError, preferred_source
from statistik.metrics.rates import population_for, rate
from statistik.metrics.series import aggregate, at
from statistik.periods import Period, parse_period, year_earlier
from statistik.views.comparison import plain, verdicts

KEYS = ("count", "previous_count", "change", "change_pct", "rate_per_100k", "population_year",
        "p_value", "significant", "verdict", "small_count", "expected_low", "expected_high", "expected_position")


class NoFigures(LookupError):
    """No source has figures for the area, category and period asked for."""


def resolve_area(con: duckdb.DuckDBPyConnection, text: str) -> tuple[str, str, list[str]]:
    """(code, name, member codes) of an area code or name, or of a police district: 'kreds' is the
    installation's own, 'pk2' or a district's name any of the 12."""
    wanted = str(text).strip().casefold()
    found = districts.resolve(wanted)
    if found is not None:
        return found.code, found.name, list(found.members)
    names = reference.area_names(con)
    for code, name in names.items():
        same_code = wanted.isdigit() and wanted.lstrip("0") == code.lstrip("0")  # '0101' is 101
        if same_code or wanted in (code.casefold(), name.casefold()):
            return code, name, [code]
    raise ValueError(f"Ukendt område {text!r}; brug en kommunekode, et kommunenavn, 'kreds' (politikredsen) "
                     "eller en anden politikreds som pk1–pk12.")


def resolve_category(con: duckdb.DuckDBPyConnection, text: str) -> str:
    """The category code of a code or name."""
    wanted = str(text).strip().casefold()
    for code, name in reference.category_names(con).items():
        if wanted in (code.casefold(), name.casefold()):
            return code
    raise ValueError(f"Ukendt kategori {text!r}.")


def parse(period_code: str) -> Period:
    period = parse_period(period_code)
    if period is None:
        raise ValueError(f"Ukendt periode {period_code!r}; skriv fx '2024', '2024K3' eller '2024-09'.")
    return period


def _by_source(frame: pd.DataFrame, period: Period) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Each source's series aggregated to the period's kind if it has the period; and the too coarse ones."""
    found, coarse = {}, []
    for source, rows in frame.groupby(SOURCE, sort=True):
        try:
            aggregated = aggregate(rows, period.kind)
        except GranularityError as e:
            coarse.append(str(e))  # this source reports in coarser periods than asked for
            continue
        row = at(aggregated, period.start)
        if not row.empty and not pd.isna(row[COUNT].iloc[0]):
            found[source] = aggregated
    return found, coarse


def summary(
    con: duckdb.DuckDBPyConnection, area: str, category: str, period_code: str, source: str | None = None
) -> dict:
    """One area, category and period: count, change on last year, rate, the verdicts, small-count flag.

    Keys: count, previous_count, change, change_pct (in percent; None under 10 cases or on a
    base of 0), rate_per_100k, population_year, p_value, significant, verdict, small_count,
    expected_low, expected_high, expected_position ('over', 'inden for', 'under').

    previous_count is the same period a year earlier. p_value, significant and verdict are None
    when there is no previous figure. small_count: either count below 10 (only the count when
    there is no previous one). Raises NoFigures when no source has the period.
    """
    period = parse(period_code)
    code, name, members = resolve_area(con, area)
    category = resolve_category(con, category)
    raw = figures.series(con, areas=members, categories=[category],
                         sources=[source] if source else None)
    district = districts.by_code(code)
    frame = district_total(raw, district) if district else raw
    found, coarse = _by_source(frame, period)
    if not found:
        raise NoFigures(" ".join([f"Ingen tal for {name}, kategori {category}, {period.label}"
                                  + (f" fra {source}." if source else "."), *coarse]))
    chosen = preferred_source(found)
    row = verdicts(con, period, year_earlier(period), [code], [category], [chosen]).iloc[0]
    population = figures.population(con)
    if district:
        population = district_population(population, district)
    inhabitants = population_for(population, code, period.start.year)
    count = int(row[COUNT])
    result = {
        "count": count,
        "previous_count": row[PREVIOUS_COUNT],
        "change": row[CHANGE],
        "change_pct": row[CHANGE_PCT],
        "rate_per_100k": rate(count, inhabitants[0]) if inhabitants else None,
        "population_year": inhabitants[1] if inhabitants else None,
        "p_value": row[mv.P_VALUE],
        "significant": row[mv.IS_SIGNIFICANT],
        "verdict": row[mv.VERDICT],
        "small_count": row[mv.SMALL],
        "expected_low": row[me.EXPECTED_LOW],
        "expected_high": row[me.EXPECTED_HIGH],
        "expected_position": row[me.POSITION],
    }
    return {key: plain(result[key]) for key in KEYS}
