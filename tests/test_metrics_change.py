"""Same period last year, year to date, any two periods: absolute and percent change."""

import pandas as pd
import pytest

from statistik import figures
from statistik.metrics.change import (
    FEW_CASES, NO_CURRENT, NO_PREVIOUS, ZERO_BASE, add_change, change, compare_periods, with_last_year, year_to_date,
)
from statistik.metrics.frame import GranularityError
from statistik.metrics.series import aggregate, at, rolling
from statistik.periods import parse_period

POLICE = "Københavns Politi"


@pytest.fixture
def dragor(con):
    return figures.series(con, areas=["155"])


def burglary(frame):
    return frame[frame["category_code"] == "1320"]


def frame(kind, values, area="101", category="kontaktbedrageri", source=POLICE):
    return pd.DataFrame(
        [(kind, pd.Timestamp(f"{start}-01"), area, category, source, count) for start, count in values.items()],
        columns=["period_kind", "period_start", "area_code", "category_code", "source", "count"],
    )


def test_dragor_burglary_2024_against_2023(dragor):
    row = at(with_last_year(aggregate(burglary(dragor), "Y")), pd.Timestamp("2024-01-01")).iloc[0]
    assert (row["count"], row["previous_count"], row["change"]) == (27, 35, -8)
    assert round(row["change_pct"], 1) == -22.9
    assert row["previous_start"] == pd.Timestamp("2023-01-01")
    assert pd.isna(row["change_note"])


def test_same_quarter_last_year(dragor):
    row = at(with_last_year(burglary(dragor)), pd.Timestamp("2024-01-01")).iloc[0]
    assert (row["count"], row["previous_count"], row["change"]) == (11, 8, 3)
    # 8 cases: the change in number only, never "+37,5 %".
    assert pd.isna(row["change_pct"]) and row["change_note"] == FEW_CASES
    row = at(with_last_year(frame("Q", {"2024-01": 12, "2025-01": 15})), pd.Timestamp("2025-01-01")).iloc[0]
    assert row["change_pct"] == pytest.approx(25.0) and pd.isna(row["change_note"])


def test_first_year_has_no_previous_and_says_so(dragor):
    row = at(with_last_year(burglary(dragor)), pd.Timestamp("2016-01-01")).iloc[0]
    assert pd.isna(row["previous_count"]) and pd.isna(row["change"]) and pd.isna(row["change_pct"])
    assert row["change_note"] == NO_PREVIOUS


def test_no_percent_on_a_base_of_zero(dragor):
    # Dragør, Indbrud i forretning: 2023K3 = 0, 2024K3 = 3.
    shops = dragor[dragor["category_code"] == "1316"]
    row = at(with_last_year(shops), pd.Timestamp("2024-07-01")).iloc[0]
    assert (row["count"], row["previous_count"], row["change"]) == (3, 0, 3)
    assert pd.isna(row["change_pct"])
    assert row["change_note"] == ZERO_BASE


def test_change_of_two_counts():
    assert change(27, 35).pct == pytest.approx(-800 / 35)
    few = change(10, 6)
    assert (few.absolute, few.pct, few.reason) == (4, None, FEW_CASES)
    assert change(2, 1).pct is None and change(10, 10).pct == 0
    zero = change(4, 0)
    assert (zero.absolute, zero.pct, zero.reason) == (4, None, ZERO_BASE)
    assert change(0, 0).pct is None
    assert change(None, 5).reason == NO_CURRENT and change(None, 5).absolute is None
    assert change(5, pd.NA).reason == NO_PREVIOUS


def test_add_change_flags_missing_current():
    f = pd.DataFrame({"count": pd.array([pd.NA, 15, 6, 9], dtype="Int64"), "previous_count": [4, 15, 10, 0]})
    out = add_change(f)
    assert out["change_note"].iloc[0] == NO_CURRENT
    assert out["change"].iloc[1] == 0 and out["change_pct"].iloc[1] == 0
    # 6 → 10 is "−4", not "−40 %"; a base of 0 says so even when the count is small too.
    assert out["change"].iloc[2] == -4 and pd.isna(out["change_pct"].iloc[2])
    assert out["change_note"].tolist()[2:] == [FEW_CASES, ZERO_BASE]


def test_rolling_four_quarters_against_a_year_earlier(dragor):
    row = at(with_last_year(rolling(burglary(dragor))), pd.Timestamp("2025-10-01")).iloc[0]
    assert (row["count"], row["previous_count"]) == (24, 27)  # 2025 against 2024


def test_year_to_date_against_the_same_quarters_last_year(dragor):
    out = year_to_date(burglary(dragor), parse_period("2025K2"))
    row = out.iloc[0]
    assert (row["count"], row["previous_count"], row["change"]) == (11, 16, -5)  # 9+2 vs 11+5
    assert row["period_from"] == pd.Timestamp("2025-01-01")
    assert row["period_to"] == pd.Timestamp("2025-06-30")


def test_year_to_date_through_a_month_cannot_come_from_quarters(dragor):
    with pytest.raises(GranularityError, match="aug. 2025"):
        year_to_date(burglary(dragor), parse_period("2025-08"))


def test_year_to_date_with_a_missing_month_last_year_has_no_previous():
    values = {f"{y}-{m:02d}": 10 for y in (2024, 2025) for m in range(1, 10)}
    del values["2024-02"]
    row = year_to_date(frame("M", values), parse_period("2025-03")).iloc[0]
    assert row["count"] == 30
    assert pd.isna(row["previous_count"])
    assert row["change_note"] == NO_PREVIOUS


def test_compare_any_two_periods_for_every_category(dragor):
    out = compare_periods(dragor, parse_period("2024"), parse_period("2023"))
    assert len(out) == 8  # every STRAF11 category for Dragør
    row = out[out["category_code"] == "1320"].iloc[0]
    assert (row["count"], row["previous_count"], row["change"]) == (27, 35, -8)


def test_compare_refuses_periods_of_different_length(dragor):
    with pytest.raises(ValueError):
        compare_periods(dragor, parse_period("2024"), parse_period("2023K1"))
