"""Is it more than chance? Exact Poisson intervals, the exact test of two counts, small counts.

Counts of reported offences are treated as Poisson. Two counts are compared with the
conditional binomial test: given n1 + n2, n2 ~ Binomial(n1 + n2, t2 / (t1 + t2)), where t1
and t2 are the exposures (equal for two periods of the same length). Intervals are Garwood's
exact intervals.

Small counts: a comparison is flagged when either count is below 10 (a percent or a test on
a handful of cases says little, whichever side the handful is on); a single count is flagged
when it is below 10.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import binom, binomtest, chi2

from statistik.metrics.change import PREVIOUS_COUNT
from statistik.metrics.frame import COUNT

ALPHA = 0.05
LEVEL = 0.95
SMALL_COUNT = 10
SMALL_COUNT_NOTE = "få tilfælde — fortolk varsomt"
SIGNIFICANT = "større end tilfældig variation"
CHANCE = "kan skyldes tilfældig variation"

P_VALUE = "p_value"
IS_SIGNIFICANT = "significant"
VERDICT = "verdict"
SMALL = "small_count"
COUNT_LOW = "count_low"
COUNT_HIGH = "count_high"


@dataclass(frozen=True)
class PoissonTest:
    """The exact test of `current` against `previous`, with its plain-Danish verdict."""

    current: int
    previous: int
    p_value: float
    significant: bool
    verdict: str
    small_count: bool

    @property
    def note(self) -> str | None:
        """'få tilfælde — fortolk varsomt' when a count is small, else None."""
        return SMALL_COUNT_NOTE if self.small_count else None


def is_small(*counts: int) -> bool:
    """Whether any of the counts is below 10."""
    return any(int(c) < SMALL_COUNT for c in counts)


def intervals(counts: np.ndarray, level: float = LEVEL) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) confidence intervals for many Poisson counts at once."""
    counts = np.asarray(counts, dtype="float64")
    tail = (1 - level) / 2
    with np.errstate(invalid="ignore"):
        low = np.where(counts == 0, 0.0, chi2.ppf(tail, 2 * counts) / 2)
    return low, chi2.ppf(1 - tail, 2 * counts + 2) / 2


def interval(count: int, level: float = LEVEL) -> tuple[float, float]:
    """Exact (Garwood) confidence interval for the mean of a Poisson count."""
    if count < 0:
        raise ValueError("Et antal kan ikke være negativt.")
    low, high = intervals(np.array([count]), level)
    return float(low[0]), float(high[0])


def rate_interval(count: int, population: int, per: int = 100_000, level: float = LEVEL) -> tuple[float, float]:
    """Exact confidence interval for a rate per `per` inhabitants."""
    low, high = interval(count, level)
    return low / population * per, high / population * per


def exact_test(
    current: int,
    previous: int,
    exposure_current: float = 1.0,
    exposure_previous: float = 1.0,
    alpha: float = ALPHA,
) -> PoissonTest:
    """Two-sided exact test that two Poisson counts have the same rate (conditional binomial test)."""
    current, previous = int(current), int(previous)
    if current < 0 or previous < 0:
        raise ValueError("Et antal kan ikke være negativt.")
    total = current + previous
    if total == 0:
        p_value = 1.0
    else:
        share = exposure_current / (exposure_current + exposure_previous)
        p_value = float(binomtest(current, total, share).pvalue)
    significant = p_value < alpha
    return PoissonTest(current, previous, p_value, significant,
                       SIGNIFICANT if significant else CHANCE, is_small(current, previous))


def _equal_exposure_p_values(current: np.ndarray, previous: np.ndarray) -> np.ndarray:
    """The two-sided exact p-values for many pairs at once (equal exposure: a symmetric binomial).

    With p = 1/2 the outcomes no more likely than k are those at most min(k, n - k) or at
    least max(k, n - k), so the p-value is twice the lower tail (1 when k = n - k).
    """
    total = current + previous
    p_values = np.minimum(1.0, 2 * binom.cdf(np.minimum(current, previous), total, 0.5))
    return np.where(current == previous, 1.0, p_values)


def add_tests(frame: pd.DataFrame, alpha: float = ALPHA) -> pd.DataFrame:
    """Add p_value, significant, verdict and small_count to a frame with count and previous_count.

    Both periods are taken to be equally long. A row missing either count gets <NA> for the
    test; small_count then looks at the count there is.
    """
    f = frame.copy()
    current, previous = f[COUNT].astype("Int64"), f[PREVIOUS_COUNT].astype("Int64")
    both = (current.notna() & previous.notna()).to_numpy()
    p_values = np.full(len(f), np.nan)
    p_values[both] = _equal_exposure_p_values(current[both].to_numpy("int64"), previous[both].to_numpy("int64"))
    f[P_VALUE] = pd.array(np.where(both, p_values, None), dtype="Float64")
    f[IS_SIGNIFICANT] = (f[P_VALUE] < alpha).astype("boolean")
    verdicts = np.where(p_values < alpha, SIGNIFICANT, CHANCE)
    f[VERDICT] = pd.Series(np.where(both, verdicts, None), index=f.index, dtype="object")
    small = (current < SMALL_COUNT).fillna(False) | (previous < SMALL_COUNT).fillna(False)
    f[SMALL] = small.astype("boolean").where(current.notna() | previous.notna(), pd.NA)
    return f


def add_intervals(frame: pd.DataFrame, level: float = LEVEL) -> pd.DataFrame:
    """Add count_low and count_high (exact interval) and small_count to every row with a count."""
    f = frame.copy()
    counts = f[COUNT].astype("Int64")
    low, high = intervals(counts.to_numpy("float64", na_value=np.nan), level)
    f[COUNT_LOW] = pd.array(low, dtype="Float64")
    f[COUNT_HIGH] = pd.array(high, dtype="Float64")
    f[SMALL] = (counts < SMALL_COUNT).astype("boolean")
    return f
