"""Exact Poisson intervals of one count and small-count flags (two counts: test_metrics_significance)."""

import pandas as pd
import pytest
from scipy.stats import poisson

from statistik.metrics.poisson import SMALL_COUNT_NOTE, add_intervals, interval, is_small, rate_interval


def test_small_counts_are_flagged_on_either_side():
    assert is_small(9, 20) and is_small(20, 9) and not is_small(10, 10)
    assert is_small(9) and not is_small(10)
    assert SMALL_COUNT_NOTE == "få tilfælde — fortolk varsomt"


@pytest.mark.parametrize("count, low, high", [(0, 0.0, 3.6889), (1, 0.0253, 5.5716), (10, 4.7954, 18.3904)])
def test_garwood_interval_matches_published_table(count, low, high):
    got = interval(count)
    assert got[0] == pytest.approx(low, abs=1e-4)
    assert got[1] == pytest.approx(high, abs=1e-4)


def test_interval_bounds_leave_two_and_a_half_percent_in_each_tail():
    low, high = interval(27)
    assert poisson.sf(26, low) == pytest.approx(0.025)  # P(X ≥ 27 | low)
    assert poisson.cdf(27, high) == pytest.approx(0.025)  # P(X ≤ 27 | high)


def test_rate_interval_is_the_count_interval_scaled():
    low, high = rate_interval(27, 14569)
    c_low, c_high = interval(27)
    assert (low, high) == pytest.approx((c_low / 14569 * 100_000, c_high / 14569 * 100_000))
    assert low < 27 / 14569 * 100_000 < high


def test_add_intervals():
    f = pd.DataFrame({"count": pd.array([10, pd.NA], dtype="Int64")})
    out = add_intervals(f)
    assert out["count_low"].iloc[0] == pytest.approx(4.7954, abs=1e-4)
    assert pd.isna(out["count_high"].iloc[1])
    assert out["small_count"].iloc[0] == False  # noqa: E712 - nullable boolean
