"""Exact Poisson test and intervals, verdicts in Danish and small-count flags."""

from math import comb

import pandas as pd
import pytest
from scipy.stats import poisson

from statistik.metrics.poisson import (
    CHANCE, SIGNIFICANT, SMALL_COUNT_NOTE, add_intervals, add_tests, exact_test, interval, is_small,
    rate_interval,
)


def two_sided_binomial_p(k, n, p):
    """The exact two-sided p-value by hand: all outcomes no more likely than the one observed."""
    pmf = [comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(n + 1)]
    return min(1.0, sum(q for q in pmf if q <= pmf[k] * (1 + 1e-7)))


def test_dragor_burglary_27_against_35_is_within_chance():
    result = exact_test(27, 35)
    # With equal exposure: 2 · P(X ≤ 27) for X ~ Binomial(62, ½).
    by_hand = 2 * sum(comb(62, i) for i in range(28)) / 2**62
    assert result.p_value == pytest.approx(by_hand, rel=1e-9)
    assert result.p_value == pytest.approx(two_sided_binomial_p(27, 62, 0.5), rel=1e-9)
    assert round(result.p_value, 3) == 0.374
    assert not result.significant
    assert result.verdict == CHANCE == "kan skyldes tilfældig variation"
    assert not result.small_count and result.note is None


def test_district_burglary_2025_against_2024_is_larger_than_chance():
    result = exact_test(1155, 959)
    assert result.p_value < 0.001
    assert result.significant and result.verdict == SIGNIFICANT == "større end tilfældig variation"


def test_unequal_exposure():
    # 10 cases in two years against 5 in one year: the same rate.
    result = exact_test(10, 5, exposure_current=2, exposure_previous=1)
    assert result.p_value == pytest.approx(two_sided_binomial_p(10, 15, 2 / 3), rel=1e-9)
    assert result.p_value == pytest.approx(1.0)


def test_small_counts_are_flagged_on_either_side():
    assert exact_test(9, 20).small_count
    assert exact_test(20, 9).small_count
    assert not exact_test(10, 10).small_count
    assert exact_test(3, 20).note == SMALL_COUNT_NOTE == "få tilfælde — fortolk varsomt"
    assert is_small(9) and not is_small(10)


def test_two_zeros_are_not_a_change():
    result = exact_test(0, 0)
    assert result.p_value == 1.0 and not result.significant and result.small_count


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


def test_add_tests_leaves_missing_comparisons_untested():
    f = pd.DataFrame({"count": pd.array([27, 5, 4], dtype="Int64"),
                      "previous_count": pd.array([35, pd.NA, 30], dtype="Int64")})
    out = add_tests(f)
    assert out["p_value"].iloc[0] == pytest.approx(exact_test(27, 35).p_value)
    assert out["verdict"].iloc[0] == CHANCE
    assert pd.isna(out["p_value"].iloc[1]) and pd.isna(out["significant"].iloc[1])
    assert out["small_count"].tolist() == [False, True, True]


def test_add_intervals():
    f = pd.DataFrame({"count": pd.array([10, pd.NA], dtype="Int64")})
    out = add_intervals(f)
    assert out["count_low"].iloc[0] == pytest.approx(4.7954, abs=1e-4)
    assert pd.isna(out["count_high"].iloc[1])
    assert out["small_count"].iloc[0] == False  # noqa: E712 - nullable boolean


def test_frame_tests_agree_with_the_single_test():
    pairs = [(a, b) for a in (0, 1, 2, 5, 9, 10, 27, 35, 100, 959) for b in (0, 1, 3, 10, 35, 62, 1155)]
    f = pd.DataFrame({"count": pd.array([a for a, _ in pairs], dtype="Int64"),
                      "previous_count": pd.array([b for _, b in pairs], dtype="Int64")})
    out = add_tests(f)
    for (a, b), p_value, verdict in zip(pairs, out["p_value"], out["verdict"]):
        single = exact_test(a, b)
        assert p_value == pytest.approx(single.p_value, rel=1e-9, abs=1e-300)
        assert verdict == single.verdict
