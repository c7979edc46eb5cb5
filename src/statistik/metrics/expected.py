"""The expected range ("forventet niveau"): where a period's count would lie if it went as in earlier years.

For a period t, the reference values are the same period in the three years before (t − 12,
t − 24 and t − 36 months), so the season is the same, as in the Farrington algorithm public-health
agencies use to flag outbreaks (Farrington et al. 1996). The expected count is the reference
years' rate at t's exposure: the solution of the intercept-only quasi-Poisson GLM with log
exposure as offset (`tests/test_metrics_expected.py` checks it against statsmodels' fit), with
the uncertainty Var μ̂ = μ² / Σ reference counts at φ = 1.

How far a count strays from it is measured, not assumed: every period of the series in the five
years before was forecast the same way from its own earlier years, and the forecast errors
x = (y − μ)² / (μ + Var μ̂) give the dispersion φ_f with the machinery of `metrics.dispersion`
(pooled Gamma GLM over the same category in other areas, the series' own errors, shrinkage).
Slow swings and trends that the mean of earlier years cannot follow thus widen the range instead
of producing false alarms (a Farrington-style trend term was tried and left out: on short
wandering series it extrapolates).

The range is the central 95 % of a negative binomial with mean μ and variance φ_f·(μ + Var μ̂),
averaged over the uncertainty of φ_f like the test (`metrics.significance`). A count above the
range is "over det forventede", below it "under det forventede", else "inden for det forventede".
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import nbinom, poisson

from statistik.metrics import dispersion as md
from statistik.metrics.dispersion import PHI, PHI_DF, SIZE
from statistik.metrics.exposure import EXPOSURE
from statistik.metrics.frame import COUNT, KIND, SERIES_KEYS, START, month_number
from statistik.metrics.significance import _phi_nodes
from statistik.periods import MONTH, QUARTER, YEAR

REFERENCE_YEARS = 3
LEVEL = 0.95
EXPECTED = "expected"
EXPECTED_LOW = "expected_low"
EXPECTED_HIGH = "expected_high"
EXPECTED_YEARS = "expected_years"
POSITION = "expected_position"

ABOVE, WITHIN, BELOW = "over", "inden for", "under"
WORDS = {ABOVE: "over det forventede", WITHIN: "inden for det forventede", BELOW: "under det forventede"}


def _mixture_cdf(k: np.ndarray, mu: np.ndarray, variance: np.ndarray) -> np.ndarray:
    """P(Y ≤ k) per row, Y a negative binomial (Poisson where the variance is μ) averaged over the columns."""
    mu = mu[:, None]
    poisson_like = variance <= mu * (1 + 1e-9)
    p = np.where(poisson_like, 0.5, mu / np.where(poisson_like, 2 * mu, variance))
    size = mu * p / (1 - p)
    out = np.where(poisson_like, poisson.cdf(k[:, None], mu), nbinom.cdf(k[:, None], size, p))
    return out.mean(axis=1)


def quantiles(mu, parameter_variance, phi, df) -> tuple[np.ndarray, np.ndarray]:
    """The central LEVEL range of counts with mean μ and variance φ·(μ + Var μ̂), φ averaged over its uncertainty.

    Rows are computed together: each quantile is found by bisection on whole counts.
    """
    mu, parameter_variance, phi, df = (np.asarray(v, dtype="float64") for v in (mu, parameter_variance, phi, df))
    tail = (1 - LEVEL) / 2
    nodes = np.where(np.isfinite(df)[:, None], _phi_nodes(phi, np.where(np.isfinite(df), df, 1.0)), phi[:, None])
    variance = nodes * (mu + parameter_variance)[:, None]
    out = []
    for level in (tail, 1 - tail):
        low = np.zeros(mu.size)                     # F(low − 1) < level ≤ F(high) holds throughout
        high = np.ceil(mu + 12 * np.sqrt(variance.max(axis=1)) + 10)
        while np.any(high - low > 0):
            middle = np.floor((low + high) / 2)
            reached = _mixture_cdf(middle, mu, variance) >= level
            high = np.where(reached, middle, high)
            low = np.where(reached, low, middle + 1)
        out.append(high)
    return out[0], out[1]


EXPECTED_VARIANCE = "expected_variance"
FORECAST_DF = 0.5     # degrees of freedom per forecast error: neighbouring years share reference years
# log(φ_f − 1) = a + b · log μ for the forecast errors, measured on STRAF11 2016–2025 like
# `metrics.dispersion.DEFAULT_CURVES`; monthly series use the quarterly curve.
FORECAST_CURVES = {QUARTER: (-0.47, 0.52), YEAR: (-0.36, 0.54)}
FORECAST_CURVES[MONTH] = FORECAST_CURVES[QUARTER]


def forecasts(frame: pd.DataFrame) -> pd.DataFrame:
    """Add expected (μ), expected_variance (Var μ̂ at φ = 1) and expected_years to every row, from earlier years only."""
    keys = [*SERIES_KEYS, KIND]
    f = frame.reset_index(drop=True).copy()
    f["_m"] = month_number(f[START])
    known = f[f[COUNT].notna()][[*keys, "_m", COUNT, EXPOSURE]]
    total, exposure, years = (np.zeros(len(f)) for _ in range(3))
    for k in range(1, REFERENCE_YEARS + 1):
        earlier = known.assign(_m=known["_m"] + 12 * k)
        hit = f[[*keys, "_m"]].merge(earlier, on=[*keys, "_m"], how="left")
        found = hit[COUNT].notna().to_numpy()
        total += np.where(found, hit[COUNT].to_numpy("float64", na_value=0.0), 0.0)
        exposure += np.where(found, hit[EXPOSURE].to_numpy("float64", na_value=0.0), 0.0)
        years += found
    cases = np.maximum(total, 0.5)        # no case in the reference years: half a case (Jeffreys)
    with np.errstate(invalid="ignore", divide="ignore"):
        mu = np.where(years > 0, cases / exposure * f[EXPOSURE].to_numpy("float64"), np.nan)
    f[EXPECTED] = mu
    f[EXPECTED_VARIANCE] = mu ** 2 / cases
    f[EXPECTED_YEARS] = years.astype("int64")
    return f.drop(columns="_m")


def forecast_errors(f: pd.DataFrame, before=None) -> pd.DataFrame:
    """The residuals of `forecasts` in the years before `before`, for `metrics.dispersion.dispersions`."""
    r = md.recent(f[f[COUNT].notna() & (f[EXPECTED_YEARS] > 0)], before)
    scale = np.sqrt(r[EXPECTED] + r[EXPECTED_VARIANCE])
    u = (r[COUNT].astype("float64") - r[EXPECTED]) / scale
    out = r[[*SERIES_KEYS, KIND, START]].copy()
    out["year"] = r[START].dt.year
    out[SIZE] = r[EXPECTED]
    out["u"], out["x"] = u, u ** 2
    return out.reset_index(drop=True)


def forecast_models(pool: pd.DataFrame, starts, wanted=None) -> dict[pd.Timestamp, dict[md.GroupKey, md.Pooled]]:
    """The pooled models of the forecast errors before each of `starts`, for the (kind, source, category) `wanted`
    (all of the pool's when None). `pool` is plain periods of one kind with count and exposure."""
    f = forecasts(pool)
    wanted = list(wanted) if wanted is not None else md.groups(pool)
    return {start: md.pooled(forecast_errors(f, start), wanted, FORECAST_CURVES, FORECAST_DF)
            for start in pd.to_datetime(list(starts)).unique()}


def add_expected(frame: pd.DataFrame, starts, models: dict[pd.Timestamp, dict] | None = None) -> pd.DataFrame:
    """Add expected, expected_low, expected_high, expected_years and expected_position to the rows starting in `starts`.

    `frame` has plain periods of one kind with count and exposure, for the series to judge and
    those to pool from — or only those to judge, with `models` (`forecast_models` of the pool).
    Each period's normal variation is learnt from the years before it, so a period's range is the
    same whichever other periods are asked for with it (and when later figures arrive). Other
    rows and rows without a reference year get <NA>.
    """
    keys = [*SERIES_KEYS, KIND]
    f = forecasts(frame)
    phi, df = np.full(len(f), np.nan), np.full(len(f), np.nan)
    wanted = np.zeros(len(f), dtype=bool)
    for start in pd.to_datetime(list(starts)).unique():
        rows = (f[START] == start) & (f[EXPECTED_YEARS] > 0)
        if not rows.any():
            continue
        spread = md.dispersions(f, forecast_errors(f, start), FORECAST_CURVES, FORECAST_DF,
                                models=(models or {}).get(start))
        matched = f.loc[rows, keys].merge(spread[[*keys, PHI, PHI_DF]], on=keys, how="left")
        phi[rows.to_numpy()], df[rows.to_numpy()] = matched[PHI].to_numpy(), matched[PHI_DF].to_numpy()
        wanted |= rows.to_numpy()
    low, high = np.full(len(f), np.nan), np.full(len(f), np.nan)
    if wanted.any():
        low[wanted], high[wanted] = quantiles(f[EXPECTED].to_numpy("float64")[wanted],
                                              f[EXPECTED_VARIANCE].to_numpy("float64")[wanted], phi[wanted], df[wanted])
    expected = np.where(wanted, f[EXPECTED].to_numpy("float64"), np.nan)
    for column, values in ((EXPECTED, expected), (EXPECTED_LOW, low), (EXPECTED_HIGH, high)):
        f[column] = pd.array(np.where(np.isnan(values), None, values), dtype="Float64")
    f[EXPECTED_YEARS] = pd.array(np.where(wanted, f[EXPECTED_YEARS], None), dtype="Int64")
    f[POSITION] = position(f[COUNT], f[EXPECTED_LOW], f[EXPECTED_HIGH])
    return f.drop(columns=[EXPECTED_VARIANCE])


def position(count: pd.Series, low: pd.Series, high: pd.Series) -> pd.Series:
    """'over', 'inden for' or 'under' the expected range; <NA> without a count or a range."""
    c, lo, hi = (pd.to_numeric(s, errors="coerce").astype("float64") for s in (count, low, high))
    known = c.notna() & lo.notna() & hi.notna()
    out = np.where(c > hi, ABOVE, np.where(c < lo, BELOW, WITHIN))
    return pd.Series(np.where(known, out, None), index=count.index, dtype="object")
