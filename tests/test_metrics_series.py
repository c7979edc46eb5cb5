"""Aggregation to months, quarters, years and rolling 12 months: missing is never zero."""

import datetime as dt

import pandas as pd
import pytest

from statistik import figures
from statistik.metrics.frame import GranularityError, SeriesError, fill_gaps
from statistik.metrics.series import aggregate, at, rolling

POLICE = "Københavns Politi"
DST = "Danmarks Statistik"


@pytest.fixture
def dragor_burglary(con):
    return figures.series(con, areas=["155"], categories=["1320"])


def frame(kind, values, area="101", category="kontaktbedrageri", source=POLICE):
    """A hand-made series frame: values maps '2025-01' (first month of the period) to a count."""
    return pd.DataFrame(
        [(kind, pd.Timestamp(f"{start}-01"), area, category, source, count) for start, count in values.items()],
        columns=["period_kind", "period_start", "area_code", "category_code", "source", "count"],
    )


def count_at(result, start, source=None):
    rows = at(result, pd.Timestamp(start))
    if source is not None:
        rows = rows[rows["source"] == source]
    assert len(rows) == 1
    return rows["count"].iloc[0]


def test_dragor_burglary_years_are_sums_of_their_quarters(dragor_burglary):
    years = aggregate(dragor_burglary, "Y")
    assert count_at(years, "2023-01-01") == 35  # 8 + 7 + 11 + 9
    assert count_at(years, "2024-01-01") == 27  # 11 + 5 + 5 + 6
    assert years["complete"].all()
    assert set(years["period_kind"]) == {"Y"}


def test_quarter_with_a_missing_month_is_missing_not_a_partial_sum():
    months = frame("M", {"2025-01": 10, "2025-02": 20, "2025-03": 30, "2025-04": 5, "2025-06": 7})
    quarters = aggregate(months, "Q")
    assert count_at(quarters, "2025-01-01") == 60
    q2 = at(quarters, pd.Timestamp("2025-04-01")).iloc[0]
    assert pd.isna(q2["count"])
    assert not q2["complete"]
    assert (q2["periods_present"], q2["periods_expected"]) == (2, 3)


def test_year_with_a_missing_quarter_is_incomplete():
    quarters = frame("Q", {"2024-01": 10, "2024-04": 11, "2024-10": 12, "2025-01": 1, "2025-04": 2,
                           "2025-07": 3, "2025-10": 4})
    years = aggregate(quarters, "Y")
    assert pd.isna(count_at(years, "2024-01-01"))
    assert count_at(years, "2025-01-01") == 10


def test_a_year_still_running_is_incomplete():
    months = frame("M", {f"2025-{m:02d}": 1 for m in range(1, 10)})
    assert pd.isna(count_at(aggregate(months, "Y"), "2025-01-01"))


def test_gap_months_become_explicit_missing_rows_not_zero():
    months = frame("M", {"2025-01": 4, "2025-04": 6})
    filled = fill_gaps(months)
    assert list(filled["period_start"].dt.month) == [1, 2, 3, 4]
    assert filled["count"].isna().tolist() == [False, True, True, False]


def test_quarterly_figures_cannot_become_months():
    with pytest.raises(GranularityError, match="kan ikke deles op i måneder"):
        aggregate(frame("Q", {"2025-01": 10}), "M")


def test_one_source_quarterly_and_one_monthly_are_kept_apart():
    quarterly = frame("Q", {"2025-01": 100}, source=DST)
    monthly = frame("M", {"2025-01": 30, "2025-02": 31, "2025-03": 32}, source=POLICE)
    both = pd.concat([quarterly, monthly])
    quarters = aggregate(both, "Q")
    assert len(quarters) == 2
    assert count_at(quarters, "2025-01-01", DST) == 100
    assert count_at(quarters, "2025-01-01", POLICE) == 93
    with pytest.raises(GranularityError, match=DST):
        aggregate(both, "M")


def test_one_source_with_months_and_quarters_for_the_same_series_is_refused():
    mixed = pd.concat([frame("Q", {"2024-01": 90}), frame("M", {"2025-01": 30})])
    with pytest.raises(SeriesError, match="både måneder og kvartaler"):
        aggregate(mixed, "Y")


def test_rolling_four_quarters_for_dragor_burglary(dragor_burglary):
    windows = rolling(dragor_burglary)
    assert count_at(windows, "2024-10-01") == 27  # 2024K1–K4
    assert count_at(windows, "2025-01-01") == 25  # 5 + 5 + 6 + 9
    last = at(windows, pd.Timestamp("2025-10-01")).iloc[0]
    assert last["window_start"] == pd.Timestamp("2025-01-01") and last["count"] == 24
    first_three = windows.sort_values("period_start").head(3)
    assert first_three["count"].isna().all()  # no full window before 2016K4


def test_rolling_twelve_months_over_a_gap_is_missing():
    values = {f"{y}-{m:02d}": 1 for y in (2024, 2025) for m in range(1, 13)}
    del values["2024-06"]
    windows = rolling(frame("M", values))
    assert pd.isna(count_at(windows, "2024-12-01"))
    assert pd.isna(count_at(windows, "2025-05-01"))  # window Jun 2024 – May 2025 holds the gap
    assert count_at(windows, "2025-06-01") == 12
    assert count_at(windows, "2025-12-01") == 12


def test_rolling_a_rolling_frame_is_refused(dragor_burglary):
    with pytest.raises(SeriesError):
        rolling(rolling(dragor_burglary))


def test_the_same_period_twice_is_refused():
    twice = pd.concat([frame("M", {"2025-01": 1}), frame("M", {"2025-01": 2})])
    with pytest.raises(SeriesError, match="to gange"):
        aggregate(twice, "Q")


def test_a_quarter_must_start_on_a_quarter():
    with pytest.raises(SeriesError, match="første dag"):
        aggregate(frame("Q", {"2025-02": 1}), "Y")


def test_dates_are_accepted_as_period_start():
    months = frame("M", {"2025-01": 1, "2025-02": 2, "2025-03": 3})
    months["period_start"] = [dt.date(2025, m, 1) for m in (1, 2, 3)]
    assert count_at(aggregate(months, "Q"), "2025-01-01") == 6


def test_empty_frame_gives_empty_result():
    empty = frame("M", {}).astype({"count": "int64"})
    assert aggregate(empty, "Y").empty
    assert rolling(empty).empty
