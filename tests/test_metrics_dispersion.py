"""Normal variation: year-on-year pairs, the pooled curve, shrinkage, and what STRAF11 itself shows."""

import numpy as np
import pandas as pd
import pytest

from statistik import figures
from statistik.metrics import dispersion as md, exposure, series

DST = "Danmarks Statistik"


def quarterly(values: dict[str, list[int]], area="101", category="1320", source="Sim", population=None):
    """A quarterly series per year (four counts a year) with exposure in days, or days × population."""
    rows = [("Q", pd.Timestamp(int(year), 3 * q + 1, 1), area, category, source, count)
            for year, counts in values.items() for q, count in enumerate(counts)]
    frame = pd.DataFrame(rows, columns=["period_kind", "period_start", "area_code", "category_code", "source", "count"])
    pop = population if population is not None else pd.DataFrame(columns=["area_code", "year", "population"])
    return exposure.add_exposure(frame, pop)


def test_a_pair_is_the_pearson_statistic_of_two_counts_with_one_rate():
    f = quarterly({"2023": [30, 10, 10, 10], "2024": [50, 10, 10, 10]})
    p = md.pairs(f)
    first = p[p["period_start"] == pd.Timestamp("2024-01-01")].iloc[0]
    # 91 and 90 days (2024 is a leap year): s = 91/181, n = 80.
    s = 91 / 181
    assert first["share"] == pytest.approx(s)
    assert first["x"] == pytest.approx((50 - 80 * s) ** 2 / (80 * s * (1 - s)))
    assert first["size"] == 40
    assert len(p) == 4


def test_pairs_leave_out_the_period_judged_and_later():
    f = quarterly({"2023": [30, 10, 10, 10], "2024": [50, 10, 10, 10], "2025": [5, 5, 5, 5]})
    assert md.pairs(f, before=pd.Timestamp("2025-01-01"))["year"].max() == 2024
    assert md.pairs(f)["year"].max() == 2025


def test_the_own_estimate_is_the_capped_mean_and_shrinks_towards_the_prior():
    # One series cannot be pooled: the prior is the shipped STRAF11 curve, the own estimate shrinks towards it.
    f = quarterly({"2021": [100, 100, 100, 100], "2022": [120, 80, 100, 100], "2023": [100, 100, 130, 70]})
    d = md.year_on_year(f).iloc[0]
    p = md.pairs(f)
    curve = md.Curve(*md.DEFAULT_CURVES["Q"])
    capped = np.minimum(p["x"], md.CAP * curve.phi(p["size"]))
    assert d["pairs"] == 8
    assert d["phi_own"] == pytest.approx(capped.mean() / md._CONSISTENCY)
    assert d["prior_basis"] == "standard"
    assert d["phi_prior"] == pytest.approx(float(curve.phi(d["size"])))
    own_df = md.PAIR_DF * 8 / 4          # two years of pairs; shared share ω of one series is 0 or more
    low, high = sorted([d["phi_own"], d["phi_prior"]])
    assert low <= d["phi"] <= high
    assert d["phi_df"] >= md.DEFAULT_PRIOR_DF
    assert d["phi_df"] <= md.DEFAULT_PRIOR_DF + own_df * 4 + 1e-9


def test_shrinkage_by_hand():
    prior, own, d0, d = 4.0, 10.0, 10.0, 5.0
    assert (d0 * prior + d * own) / (d0 + d) == pytest.approx(6.0)   # what `dispersions` computes


def test_a_series_without_history_gets_the_prior_at_its_size():
    f = quarterly({"2025": [40, 40, 40, 40]})
    d = md.year_on_year(f).iloc[0]
    assert d["pairs"] == 0 and pd.isna(d["phi_own"])
    assert d["phi"] == pytest.approx(float(md.Curve(*md.DEFAULT_CURVES["Q"]).phi(40)))


def test_poisson_counts_give_phi_near_one_when_pooled():
    rng = np.random.default_rng(7)
    parts = []
    for i, mean in enumerate(np.geomspace(5, 2000, 40)):
        values = {str(y): list(rng.poisson(mean, 4)) for y in range(2016, 2026)}
        parts.append(quarterly(values, area=str(100 + i)))
    d = md.year_on_year(pd.concat(parts, ignore_index=True))
    assert set(d["prior_basis"]) == {"kategori"}
    assert d["phi"].median() == pytest.approx(1.0, abs=0.15)
    assert d["phi"].max() < 1.6


@pytest.fixture(scope="module")
def straf11(seeded_template):
    from statistik.bootstrap import open_store
    con = open_store(seeded_template)
    kinds = dict(con.execute("SELECT code, kind FROM area").fetchall())
    raw = figures.series(con, sources=[DST])
    municipalities = raw[raw["area_code"].map(kinds) == "kommune"]
    population = figures.population(con)
    con.close()
    return municipalities, population


@pytest.mark.parametrize("kind", ["Q", "Y"])
def test_the_shipped_default_curves_are_what_straf11_shows(straf11, kind):
    municipalities, population = straf11
    f = exposure.add_exposure(series.aggregate(municipalities, kind), population)
    curve = md.prior_curve(md.pairs(f), md.Curve(0.0, 0.5), "kategori")
    assert (curve.intercept, curve.slope) == pytest.approx(md.DEFAULT_CURVES[kind], abs=0.02)


def test_straf11_dispersion_by_yearly_size_is_about_2_5_10_30(straf11):
    """The issue measured ≈2 under 50 a year, 5 for 50–500, 10 for 500–5 000 and 30 above."""
    municipalities, population = straf11
    f = exposure.add_exposure(series.aggregate(municipalities, "Q"), population)
    d = md.year_on_year(f)
    bands = pd.cut(d["size"] * 4, [0, 50, 500, 5000, np.inf], labels=["<50", "50-500", "500-5000", ">5000"])
    medians = d.groupby(bands, observed=True)["phi"].median()
    assert 1.3 < medians["<50"] < 2.7
    assert 2.5 < medians["50-500"] < 7
    assert 6 < medians["500-5000"] < 15
    assert 20 < medians[">5000"] < 50
