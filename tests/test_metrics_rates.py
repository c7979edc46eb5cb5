"""Rates per 100.000 inhabitants, with the population year stated."""

import pandas as pd
import pytest

from statistik import figures
from statistik.metrics.rates import add_rates, population_for, rate
from statistik.metrics.series import aggregate, at


@pytest.fixture
def population(con):
    return figures.population(con)


def test_dragor_burglary_rate_2024_uses_population_on_1_january_2024(con, population):
    years = aggregate(figures.series(con, areas=["155"], categories=["1320"]), "Y")
    row = at(add_rates(years, population), pd.Timestamp("2024-01-01")).iloc[0]
    assert (row["population"], row["population_year"]) == (14569, 2024)
    assert round(row["rate"], 1) == 185.3  # 27 / 14.569 · 100.000
    assert row["rate_low"] < row["rate"] < row["rate_high"]


def test_quarter_rate_uses_its_year_and_is_not_annualised(con, population):
    quarters = figures.series(con, areas=["155"], categories=["1320"])
    row = at(add_rates(quarters, population), pd.Timestamp("2023-07-01")).iloc[0]
    assert row["population_year"] == 2023
    assert row["rate"] == pytest.approx(11 / 14609 * 100_000)


def test_a_year_without_population_uses_the_latest_earlier_year_and_says_so(population):
    future = pd.DataFrame({"period_kind": ["Q"], "period_start": [pd.Timestamp("2026-04-01")],
                           "area_code": ["155"], "category_code": ["1320"],
                           "source": ["Københavns Politi"], "count": [7]})
    row = add_rates(future, population).iloc[0]
    assert (row["population"], row["population_year"]) == (14450, 2025)
    assert population_for(population, "155", 2026) == (14450, 2025)


def test_no_rate_before_the_first_population_year(population):
    early = pd.DataFrame({"period_kind": ["Y"], "period_start": [pd.Timestamp("2015-01-01")],
                          "area_code": ["155"], "category_code": ["1320"],
                          "source": ["Københavns Politi"], "count": [30]})
    row = add_rates(early, population).iloc[0]
    assert pd.isna(row["rate"]) and pd.isna(row["population_year"])
    assert population_for(population, "155", 2015) is None


def test_missing_count_has_no_rate(population):
    gap = pd.DataFrame({"period_kind": ["Y"], "period_start": [pd.Timestamp("2024-01-01")],
                        "area_code": ["155"], "category_code": ["1320"],
                        "source": ["Københavns Politi"], "count": pd.array([pd.NA], dtype="Int64")})
    row = add_rates(gap, population).iloc[0]
    assert pd.isna(row["rate"]) and row["population_year"] == 2024


def test_rows_keep_their_order(con, population):
    frame = figures.series(con, areas=["185", "101"], categories=["1320"])
    out = add_rates(frame, population)
    assert out["area_code"].tolist() == frame["area_code"].tolist()
    assert out["period_start"].tolist() == frame["period_start"].tolist()


def test_rate_of_two_numbers():
    assert rate(27, 14569) == pytest.approx(185.325, abs=1e-3)
    assert rate(5, 0) is None and rate(None, 100) is None


def test_area_codes_of_another_string_dtype_still_get_their_rate(population):
    # A frame built in pandas has object area codes; the store's population has pandas strings.
    frame = pd.DataFrame({"period_kind": ["Y"], "period_start": [pd.Timestamp("2024-01-01")],
                          "area_code": pd.Series(["155"], dtype=object), "category_code": ["1320"],
                          "source": ["Danmarks Statistik"], "count": [27]})
    row = add_rates(frame, population).iloc[0]
    assert round(row["rate"], 1) == 185.3
