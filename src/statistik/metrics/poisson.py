"""The uncertainty of one count: exact Poisson intervals (Garwood), and small-count flags.

How a change between two counts is judged, allowing for the normal year-to-year variation that
makes crime counts vary more than Poisson, is `metrics.significance` and `metrics.verdicts`.

Small counts: a comparison is flagged when either count is below 10 (a percent or a test on
a handful of cases says little, whichever side the handful is on); a single count is flagged
when it is below 10.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import chi2

from statistik.metrics.frame import COUNT

LEVEL = 0.95
SMALL_COUNT = 10
SMALL_COUNT_NOTE = "få tilfælde — fortolk varsomt"

SMALL = "small_count"
COUNT_LOW = "count_low"
COUNT_HIGH = "count_high"


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


def add_intervals(frame: pd.DataFrame, level: float = LEVEL) -> pd.DataFrame:
    """Add count_low and count_high (exact interval) and small_count to every row with a count."""
    f = frame.copy()
    counts = f[COUNT].astype("Int64")
    low, high = intervals(counts.to_numpy("float64", na_value=np.nan), level)
    f[COUNT_LOW] = pd.array(low, dtype="Float64")
    f[COUNT_HIGH] = pd.array(high, dtype="Float64")
    f[SMALL] = (counts < SMALL_COUNT).astype("boolean")
    return f
