"""The test of two counts that allows for normal variation: hand-computed cases and its invariants."""

from math import comb

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy.special import beta as beta_function

from statistik.metrics.significance import judge, p_values


def doubled_binomial_tail(k, n, s):
    """Twice the smaller binomial tail at k, at most 1: the exact Poisson test of two counts."""
    pmf = [comb(n, i) * s ** i * (1 - s) ** (n - i) for i in range(n + 1)]
    return min(1.0, 2 * min(sum(pmf[: k + 1]), sum(pmf[k:])))


def test_poisson_counts_give_the_exact_binomial_test():
    # Dragør, residential burglaries 2024 against 2023: 27 against 35.
    assert p_values(27, 35) == pytest.approx(2 * sum(comb(62, i) for i in range(28)) / 2 ** 62, rel=1e-9)
    assert round(float(p_values(27, 35)), 3) == 0.374


def test_a_rate_test_when_the_population_grew():
    # 100 cases against 80 while the population grew by a quarter: the same rate per inhabitant.
    s = 1.25 / 2.25
    assert p_values(100, 80, share=s) == pytest.approx(doubled_binomial_tail(100, 180, s), rel=1e-9)
    assert p_values(100, 80, share=s) > 0.9
    # Per day: 31 cases in March against 28 in February is no change at all.
    assert p_values(31, 28, share=31 / 59) == pytest.approx(1.0)


def test_overdispersed_counts_give_the_beta_binomial_by_hand():
    # n = 4, s = ½, φ = 2: Y ~ beta-binomial(4, 2, 2); P(Y ≥ 4) = B(6, 2) / B(2, 2) = (1/42) / (1/6).
    assert p_values(4, 0, phi=2.0) == pytest.approx(2 * (1 / 42) / (1 / 6))
    upper = sum(comb(4, k) * beta_function(k + 2, 6 - k) for k in (3, 4)) / beta_function(2, 2)
    assert p_values(3, 1, phi=2.0) == pytest.approx(2 * upper)


def test_more_normal_variation_means_larger_p_values():
    # The example: Andre tyverier in the district, 4.526 → 4.776 (+5,5 %).
    poisson = float(p_values(4776, 4526))
    assert round(poisson, 3) == 0.010
    assert p_values(4776, 4526, phi=10, df=30) > 0.4
    assert p_values(4776, 4526, phi=10, df=5) > p_values(4776, 4526, phi=10, df=500)


def test_two_zeros_are_no_change():
    p, low, high = judge(0, 0)
    assert (p, low, high) == (1.0, 0, 0)


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        p_values(-1, 3)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 900), share=st.floats(0.3, 0.7), phi=st.floats(1.0, 40.0), df=st.floats(2.0, 150.0),
       alpha=st.sampled_from([0.05, 0.01]))
def test_the_normal_range_agrees_with_the_test_on_every_count(n, share, phi, df, alpha):
    """A change outside the drawn range is exactly a change the test flags (the chart cannot disagree)."""
    k = np.arange(n + 1)
    p, low, high = judge(k, n - k, share, phi, df, alpha)
    change = 2 * k - n
    assert np.all((p < alpha) == ((change < low) | (change > high)))
    assert np.all(low <= 2 * round(n * share) - n + 1) and np.all(high >= 2 * round(n * share) - n - 1)
