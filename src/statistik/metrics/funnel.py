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


def _distribution(expected: np.ndarray, phi: np.ndarray):
    """Per E: the frozen negative binomial with variance φ·E (the Poisson where φ is 1)."""
    p = 1.0 / np.maximum(phi, 1.0)
    size = expected * p / np.maximum(1 - p, 1e-12)
    return [poisson(e) if q >= 1 - 1e-9 else nbinom(n, q) for e, n, q in zip(expected, size, p)]


def count_limit(expected, phi, probability: float) -> np.ndarray:
    """The continuous `probability` quantile of the count for each expected count (Spiegelhalter's interpolation)."""
    expected, phi = np.atleast_1d(np.asarray(expected, dtype="float64")), np.atleast_1d(np.asarray(phi, dtype="float64"))
    phi = np.broadcast_to(phi, expected.shape)
    out = np.empty(expected.shape)
    for i, dist in enumerate(_distribution(expected, phi)):
        r = dist.ppf(probability)
        above, below = dist.cdf(r), dist.cdf(r - 1)
        out[i] = r - (above - probability) / (above - below) if above > below else r
    return np.maximum(out, 0.0)


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
