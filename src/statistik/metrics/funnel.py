"""Funnel plot limits: how far a municipality's rate may stray from the national rate by chance alone.

A municipality of N inhabitants at the national rate r would expect E = r·N / 100.000 cases. By
Poisson chance and normal year-to-year variation its count varies like a negative binomial with
mean E and variance φ(E)·E, φ from the pooled dispersion curve of the category
(`metrics.dispersion`): small municipalities stray further in rate, hence the funnel. The 95 %
and 99,8 % limits are that distribution's quantiles, made continuous in N as Spiegelhalter
(2005, "Funnel plots for comparing institutional performance") does for exact Poisson limits:
with r the quantile and F the distribution function, the limit is r − (F(r) − p) / (F(r) − F(r − 1)).
A rate outside the 99,8 % limits is very unlikely to be chance; one between the 95 % and 99,8 %
limits is worth a look, and about 1 in 20 municipalities will be there by chance.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import nbinom, poisson

from statistik.metrics.dispersion import Curve
from statistik.metrics.rates import PER_100K

LEVELS = (0.95, 0.998)


def count_limit(expected, phi, probability: float) -> np.ndarray:
    """The continuous `probability` quantile of the count for each expected count (Spiegelhalter's interpolation).

    The count is negative binomial with mean E and variance φ·E (Poisson where φ is 1).
    """
    expected = np.atleast_1d(np.asarray(expected, dtype="float64"))
    phi = np.broadcast_to(np.maximum(np.asarray(phi, dtype="float64"), 1.0), expected.shape)
    poisson_like = phi < 1 + 1e-9
    p = np.where(poisson_like, 0.5, 1.0 / phi)
    size = expected * p / (1 - p)
    def cdf(k):
        return np.where(poisson_like, poisson.cdf(k, expected), nbinom.cdf(k, size, p))
    r = np.where(poisson_like, poisson.ppf(probability, expected), nbinom.ppf(probability, size, p))
    above, below = cdf(r), cdf(r - 1)
    step = np.where(above > below, (above - probability) / np.where(above > below, above - below, 1.0), 0.0)
    return np.maximum(r - step, 0.0)


def limits(population, rate: float, curve: Curve, levels=LEVELS, per: int = PER_100K) -> dict:
    """{level: (lower, upper)} rate limits for each population."""
    population = np.asarray(population, dtype="float64")
    expected = rate * population / per
    phi = curve.phi(expected)
    return {level: (count_limit(expected, phi, (1 - level) / 2) / population * per,
                    count_limit(expected, phi, (1 + level) / 2) / population * per) for level in levels}


def position(count, population, rate: float, curve: Curve, level: float) -> np.ndarray:
    """'over', 'inden for' or 'under' the funnel at `level` for each municipality's count and population."""
    expected = rate * np.asarray(population, dtype="float64") / PER_100K
    phi = curve.phi(expected)
    low, high = count_limit(expected, phi, (1 - level) / 2), count_limit(expected, phi, (1 + level) / 2)
    count = np.asarray(count, dtype="float64")
    return np.where(count > high, "over", np.where(count < low, "under", "inden for"))
