"""Index (base year = 100) and share of a total."""

import pandas as pd
import pytest

from statistik import districts, figures
from statistik.metrics.district import district_total
from statistik.metrics.frame import SeriesError
from statistik.metrics.relative import index, share
from statistik.metrics.series import aggregate, at, rolling

MEMBERS = ["101", "147", "155", "185"]


@pytest.fixture
def dragor_burglary(con):
    return figures.series(con, areas=["155"], categories=["1320"])


def value(frame, start, column="index"):
    return at(frame, pd.Timestamp(start))[column].iloc[0]


def test_yearly_index_with_2023_as_base(dragor_burglary):
    years = index(aggregate(dragor_burglary, "Y"), 2023)
    assert value(years, "2023-01-01") == pytest.approx(100)
    assert value(years, "2024-01-01") == pytest.approx(27 / 35 * 100)  # 77,1
    assert (years["index_base_year"] == 2023).all()


def test_quarterly_index_against_the_base_years_average_quarter(dragor_burglary):
    quarters = index(dragor_burglary, 2023)
    assert value(quarters, "2024-01-01") == pytest.approx(11 / (35 / 4) * 100)


def test_rolling_index_against_the_base_years_total(dragor_burglary):
    windows = index(rolling(dragor_burglary), 2023)
    assert value(windows, "2024-10-01") == pytest.approx(27 / 35 * 100)
    assert value(windows, "2023-10-01") == pytest.approx(100)


def test_no_index_on_an_incomplete_or_zero_base_year():
    quarters = pd.DataFrame({
        "period_kind": "Q", "area_code": "155", "category_code": "x", "source": "s",
        "period_start": pd.to_datetime(["2023-01-01", "2023-04-01", "2024-01-01"]),
        "count": [1, 2, 3],
    })
    assert index(quarters, 2023)["index"].isna().all()
    zeros = pd.DataFrame({
        "period_kind": "Y", "area_code": "155", "category_code": "x", "source": "s",
        "period_start": pd.to_datetime(["2023-01-01", "2024-01-01"]), "count": [0, 4],
    })
    assert index(zeros, 2023)["index"].isna().all()


def test_index_of_a_rolling_window_other_than_twelve_months_is_refused(dragor_burglary):
    with pytest.raises(SeriesError):
        index(rolling(dragor_burglary, months=6), 2023)


def test_dragors_share_of_the_district(con):
    burglary = figures.series(con, areas=MEMBERS, categories=["1320"])
    shares = share(burglary, district_total(burglary, districts.by_code("pk11")))
    row = shares[(shares["area_code"] == "155") & (shares["period_start"] == pd.Timestamp("2024-07-01"))].iloc[0]
    assert row["whole_count"] == 184  # 136 + 29 + 5 + 14
    assert row["share_pct"] == pytest.approx(5 / 184 * 100)
    per_quarter = shares.groupby("period_start")["share_pct"].sum()
    assert per_quarter.to_numpy() == pytest.approx(100)


def test_burglary_share_of_all_offences(con):
    dragor = figures.series(con, areas=["155"], categories=["1320", "TOT"])
    total = dragor[dragor["category_code"] == "TOT"]
    out = share(dragor[dragor["category_code"] == "1320"], total,
                on=("period_kind", "period_start", "area_code", "source"))
    row = at(out, pd.Timestamp("2025-10-01")).iloc[0]
    assert (row["count"], row["whole_count"]) == (10, 115)
    assert row["share_pct"] == pytest.approx(1000 / 115)


def test_share_needs_one_total_per_key(con):
    burglary = figures.series(con, areas=MEMBERS, categories=["1320"])
    with pytest.raises(SeriesError):
        share(burglary, burglary)
