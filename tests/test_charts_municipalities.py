"""Kommuner: the funnel plot and its limits, checked against exact Poisson and negative-binomial quantiles."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import nbinom, poisson

from statistik.charts.municipalities import LIMIT_NAMES, MEMBERS_NAME, OTHERS_NAME, X_TITLE, funnel_figure
from statistik.metrics import funnel
from statistik.metrics.dispersion import Curve

SOURCE = "Kilde: Danmarks Statistik (STRAF11, FOLK1A), egne beregninger"
TITLE = "Indbrud i beboelser pr. 100.000 indbyggere, 2025"
POISSON = Curve(-50.0, 0.0)            # φ = 1 at every size
OVERDISPERSED = Curve(np.log(4.0), 0.0)  # φ = 4 at every size


@pytest.mark.parametrize("expected", [0.8, 3.0, 17.5, 240.0])
@pytest.mark.parametrize("probability", [0.001, 0.025, 0.975, 0.999])
def test_poisson_limits_are_the_exact_quantiles_made_continuous(expected, probability):
    limit = float(funnel.count_limit(expected, 1.0, probability)[0])
    r = poisson.ppf(probability, expected)
    assert max(r - 1, 0) <= limit <= r               # between the quantile and the count below it
    if r == 0:
        assert limit == 0                            # no count below 0 to interpolate towards
        return
    # Spiegelhalter: r − (F(r) − p) / (F(r) − F(r − 1)), so F at the limit's interpolation is p.
    f_r, f_below = poisson.cdf(r, expected), poisson.cdf(r - 1, expected)
    assert f_below + (limit - (r - 1)) * (f_r - f_below) == pytest.approx(probability)


@pytest.mark.parametrize("expected", [5.0, 60.0, 900.0])
def test_overdispersed_limits_are_negative_binomial_quantiles(expected):
    # Variance 4·E: size E/3, p = 1/4.
    for probability in (0.025, 0.975, 0.999):
        limit = float(funnel.count_limit(expected, 4.0, probability)[0])
        r = nbinom.ppf(probability, expected / 3, 0.25)
        assert r - 1 <= limit <= r


def test_rate_limits_narrow_with_population_and_widen_with_dispersion():
    population = np.array([2_000, 20_000, 200_000])
    plain = funnel.limits(population, 250.0, POISSON)
    wide = funnel.limits(population, 250.0, OVERDISPERSED)
    low, high = plain[0.95]
    assert np.all(np.diff(high - low) < 0)
    assert np.all(wide[0.95][1] > high) and np.all(wide[0.998][1] > wide[0.95][1])
    # 200.000 inhabitants at 250 per 100.000 expect 500 cases: the Poisson 97,5 % point is about 544.
    assert high[-1] * 2 == pytest.approx(poisson.ppf(0.975, 500), abs=1.0)


def test_position_against_the_funnel():
    out = funnel.position([500, 560, 430], [200_000] * 3, 250.0, POISSON, 0.95)
    assert out.tolist() == ["inden for", "over", "under"]


@pytest.fixture
def points():
    return pd.DataFrame({"label": ["København", "Frederiksberg", "Dragør", "Tårnby", "Odense", "Læsø"],
                         "population": [667_099, 105_840, 14_450, 44_034, 210_000, 1_800],
                         "rate": [134.3, 142.7, 166.1, 190.8, 300.0, 50.0],
                         "member": [True, True, True, True, False, False]})


def draw(points):
    grid = np.geomspace(1_500, 800_000, 50)
    limits = pd.DataFrame({"population": grid})
    for level, (low, high) in funnel.limits(grid, 262.8, OVERDISPERSED).items():
        limits[f"low_{level * 100:g}"], limits[f"high_{level * 100:g}"] = low, high
    return funnel_figure(points, limits, 262.8, title=TITLE, source=SOURCE)


def test_the_funnel_has_points_limits_and_the_national_line(points):
    fig = draw(points)
    assert fig.layout.title.text == TITLE and SOURCE in [a.text for a in fig.layout.annotations]
    assert fig.layout.xaxis.type == "log" and fig.layout.xaxis.title.text == X_TITLE
    named = next(t for t in fig.data if t.name == MEMBERS_NAME)
    assert list(named.text) == ["København", "Frederiksberg", "Dragør", "Tårnby"]
    assert sorted(next(t for t in fig.data if t.name == OTHERS_NAME).text) == ["Læsø", "Odense"]
    legend = [t.name for t in fig.data if t.showlegend is not False]
    assert LIMIT_NAMES[95] in legend and LIMIT_NAMES[99.8] in legend
    assert any(name.startswith("Hele landet: 262,8") for name in legend)
    assert "2.000" in fig.layout.xaxis.ticktext and "100.000" in fig.layout.xaxis.ticktext


def test_no_bars_that_invite_a_ranking(points):
    assert not [t for t in draw(points).data if t.type == "bar"]


@pytest.mark.parametrize("category", ["1320", "12"])
def test_the_names_of_every_district_s_municipalities_never_overlap_and_stay_in_the_plot(con, monkeypatch, category):
    from statistik.charts.municipalities import _plot_px, _plot_size, label_boxes
    from statistik.charts import style
    from statistik.views import municipalities
    for number in range(1, 13):
        monkeypatch.setenv("STATISTIK_POLITIKREDS", str(number))
        c = municipalities.compare(con, category, "Y")
        members = c.reference[c.reference["member"].astype(bool)]
        low, high = float(c.limits["population"].min()), float(c.limits["population"].max())
        top = float(max(c.reference["rate"].max(), c.limits["high_99.8"].max())) * 1.08
        width, height = _plot_size(style.ASSUMED_WIDTH)
        boxes = [box for _, box in label_boxes(*_plot_px(members, low, high, top, style.ASSUMED_WIDTH),
                                           list(members["label"]), (width, height))]
        for i, a in enumerate(boxes):
            assert a[0] >= 0 and a[2] <= width and a[1] >= 0 and a[3] <= height, (number, members["label"].iloc[i])
            for b in boxes[i + 1:]:
                assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (number, a, b)
