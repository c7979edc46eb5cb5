"""Is a change larger than normal variation? A test of two counts that knows crime counts vary.

Two counts y₁ (the period) and y₀ (the one compared with), with exposures e₁ and e₀, are
compared given their total n = y₁ + y₀. Poisson counts would make y₁ binomial(n, s) with
s = e₁ / (e₁ + e₀): the exact test the dashboard used before. Counts that vary φ times more
than Poisson (a gamma-mixed Poisson with variance φ·μ) make y₁ beta-binomial(n, s·n/(φ − 1),
(1 − s)·n/(φ − 1)) instead, which has about φ times the binomial variance and is the binomial
again at φ = 1. φ is estimated (`metrics.dispersion`) with ν degrees of freedom; the p-value
averages the beta-binomial p-value over that uncertainty (φ·ν/χ²_ν at 16 equally spaced
quantiles), as a t-test averages a z-test over an estimated variance.

p-values are two-sided: twice the smaller tail, at most 1. When n·s·(1 − s) is at least 100
the beta-binomial is replaced by its normal approximation with continuity correction, whose
average over φ is Student's t with ν degrees of freedom; the two agree to within a few per cent
of the p-value there and the t is thousands of times faster.

`judge` also turns the test around: the changes y₁ − y₀ that the test, at a given level,
does not call larger than normal variation. A change outside it is exactly a change the test
flags, so a chart that draws the range and the verdict in words cannot disagree.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import betabinom, binom, chi2, norm, t as student_t

NODES = 16
LARGE = 100.0       # n·s·(1 − s) from which the normal approximation is used
_MIN_EXTRA = 1e-6   # φ − 1 below this is Poisson


def _phi_nodes(phi: np.ndarray, df: np.ndarray) -> np.ndarray:
    """(rows, NODES) values of φ spread over its uncertainty: φ·ν/χ²_ν at equally spaced quantiles."""
    q = (np.arange(NODES) + 0.5) / NODES
    df = np.maximum(np.asarray(df, dtype="float64"), 0.5)
    spread = df[:, None] / chi2.ppf(q[None, :], df[:, None])
    return np.maximum(1.0, phi[:, None] * spread)


def _table(n: int, share: float, phi: float, df: float) -> np.ndarray:
    """The p-value of every y₁ = 0…n given the total n (exact, averaged over the uncertainty of φ)."""
    k = np.arange(n + 1)
    nodes = _phi_nodes(np.array([phi]), np.array([df]))[0] if np.isfinite(df) else np.array([phi])
    extra = nodes - 1.0
    poisson = extra < _MIN_EXTRA
    log_pmf = np.empty((n + 1, nodes.size))
    if poisson.any():
        log_pmf[:, poisson] = binom.logpmf(k, n, share)[:, None]
    if (~poisson).any():
        e = extra[~poisson][None, :]
        log_pmf[:, ~poisson] = betabinom.logpmf(k[:, None], n, share * n / e, (1 - share) * n / e)
    pmf = np.exp(log_pmf - log_pmf.max(axis=0))
    pmf /= pmf.sum(axis=0)
    low = np.cumsum(pmf, axis=0)                           # P(Y ≤ k)
    high = np.cumsum(pmf[::-1], axis=0)[::-1]              # P(Y ≥ k)
    return np.minimum(1.0, np.minimum(1.0, 2 * np.minimum(low, high)).mean(axis=1))


def _variance_factor(n: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """The beta-binomial's variance over the binomial's: n·φ / (n + φ − 1)."""
    return n * phi / np.maximum(n + phi - 1, 1e-12)


def _critical(df: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """The two-sided critical value of Student's t (the normal where ν is infinite)."""
    finite = np.isfinite(df)
    return np.where(finite, student_t.isf(alpha / 2, np.where(finite, df, 1.0)), norm.isf(alpha / 2))


def _arrays(*values) -> tuple[tuple, tuple[np.ndarray, ...]]:
    shape = np.broadcast(*(np.asarray(v) for v in values)).shape
    return shape, tuple(np.broadcast_to(np.asarray(v, dtype="float64"), shape).ravel().copy() for v in values)


def judge(current, previous, share=0.5, phi=1.0, df=np.inf, alpha=0.05) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(p-value, lowest and highest change y₁ − y₀ not flagged at `alpha`) for each pair of counts.

    The p-value is two-sided, for the hypothesis that `current` and `previous` have the same rate,
    allowing for dispersion φ estimated with ν = `df` degrees of freedom. `share` is
    e₁ / (e₁ + e₀): 0,5 for periods of equal exposure. Two zeros give p = 1 and the range 0…0.
    The range is computed from the same p-values, so a change outside it is exactly a flagged one.
    """
    shape, (current, previous, share, phi, df, alpha) = _arrays(current, previous, share, phi, df, alpha)
    if np.any(current < 0) or np.any(previous < 0):
        raise ValueError("Et antal kan ikke være negativt.")
    n = current + previous
    p, low, high = np.ones(n.shape), np.zeros(n.shape), np.zeros(n.shape)
    large = n * share * (1 - share) >= LARGE
    if large.any():
        m, s = n[large], share[large]
        sd = np.sqrt(m * s * (1 - s) * _variance_factor(m, phi[large]))
        z = np.maximum(np.abs(current[large] - m * s) - 0.5, 0.0) / sd
        finite = np.isfinite(df[large])
        p[large] = np.where(finite, 2 * student_t.sf(z, np.where(finite, df[large], 1.0)), 2 * norm.sf(z))
        reach = _critical(df[large], alpha[large]) * sd + 0.5     # not flagged: |y₁ − n·s| < reach
        first = np.maximum(0, np.floor(m * s - reach) + 1)
        last = np.minimum(m, np.ceil(m * s + reach) - 1)
        low[large], high[large] = 2 * first - m, 2 * last - m
    tables: dict[tuple, np.ndarray] = {}     # rows with the same total and parameters share one table
    for i in np.flatnonzero(~large & (n > 0)):
        total = int(n[i])
        key = (total, share[i], phi[i], df[i])
        if key not in tables:
            tables[key] = _table(*key)
        table = tables[key]
        p[i] = table[int(current[i])]
        kept = np.flatnonzero(table > alpha[i])
        centre = int(round(total * share[i]))
        first, last = (kept.min(), kept.max()) if kept.size else (centre, centre)
        low[i], high[i] = 2 * first - total, 2 * last - total
    return np.minimum(p, 1.0).reshape(shape), low.reshape(shape), high.reshape(shape)


def p_values(current, previous, share=0.5, phi=1.0, df=np.inf) -> np.ndarray:
    """Two-sided p-values of `judge`."""
    return judge(current, previous, share, phi, df)[0]
