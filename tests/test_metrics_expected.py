"""The expected range: the reference years' rate, its uncertainty, and negative-binomial quantiles."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy.stats import nbinom, poisson

from statistik.metrics import expected as me
from test_metrics_dispersion import quarterly, straf11  # noqa: F401 - straf11 is a fixture


def test_the_expected_count_is_the_intercept_only_quasi_poisson_glm():
    population = pd.DataFrame({"area_code": "101", "year": [2022, 2023, 2024, 2025],
                               "population": [600_000, 610_000, 620_000, 640_000]})
    f = quarterly({"2022": [90, 80, 85, 100], "2023": [95, 80, 85, 120], "2024": [90, 80, 85, 110],
                   "2025": [90, 80, 85, 150]}, population=population)
    row = me.forecasts(f).iloc[-1]                     # 4. kvt. 2025 from 4. kvt. 2022–2024
    history = f.iloc[[3, 7, 11]]
    fit = sm.GLM(history["count"].to_numpy(float), np.ones((3, 1)), family=sm.families.Poisson(),
                 offset=np.log(history["exposure"].to_numpy())).fit()
    assert row["expected"] == pytest.approx(float(np.exp(fit.params[0])) * f["exposure"].iloc[-1], rel=1e-6)
    assert row["expected"] == pytest.approx(330 / (92 * 1_830_000) * 92 * 640_000, rel=1e-9)
    assert row["expected_variance"] == pytest.approx(row["expected"] ** 2 / 330)
    assert row["expected_years"] == 3


def test_no_reference_year_no_expectation_and_zero_cases_leave_room():
    f = me.forecasts(quarterly({"2024": [0, 0, 0, 0], "2025": [0, 0, 0, 2]}))
    assert pd.isna(f["expected"].iloc[0]) and f["expected_years"].iloc[0] == 0
    assert f["expected"].iloc[-1] == pytest.approx(0.5)      # half a case stands in for none


def test_quantiles_are_negative_binomial_when_phi_is_known():
    mu, variance, phi = np.array([100.0, 4.0]), np.array([0.0, 0.0]), np.array([3.0, 1.0])
    low, high = me.quantiles(mu, variance, phi, np.array([np.inf, np.inf]))
    p = 1 / 3
    assert (low[0], high[0]) == (nbinom.ppf(0.025, 100 * p / (1 - p), p), nbinom.ppf(0.975, 100 * p / (1 - p), p))
    assert (low[1], high[1]) == (poisson.ppf(0.025, 4), poisson.ppf(0.975, 4))


def test_an_uncertain_phi_widens_the_range():
    narrow = me.quantiles(np.array([200.0]), np.array([20.0]), np.array([5.0]), np.array([500.0]))
    wide = me.quantiles(np.array([200.0]), np.array([20.0]), np.array([5.0]), np.array([4.0]))
    assert wide[0][0] < narrow[0][0] and wide[1][0] > narrow[1][0]


def test_the_position_in_words():
    out = me.position(pd.Series([5, 20, 50, None]), pd.Series([10, 10, 10, 10]), pd.Series([40, 40, 40, 40]))
    assert out.tolist() == ["under", "inden for", "over", None]
    assert me.WORDS["over"] == "over det forventede"


@pytest.mark.parametrize("kind", ["Q", "Y"])
def test_the_shipped_forecast_curves_are_what_straf11_shows(straf11, kind):
    from statistik.metrics import dispersion as md, exposure, series
    municipalities, population = straf11
    f = exposure.add_exposure(series.aggregate(municipalities, kind), population)
    curve = md.prior_curve(me.forecast_errors(me.forecasts(f)), md.Curve(0.0, 0.5), "kategori")
    assert (curve.intercept, curve.slope) == pytest.approx(me.FORECAST_CURVES[kind], abs=0.02)
