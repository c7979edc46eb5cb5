"""Municipalities side by side: rates with error bars against all 98 municipalities."""

import numpy as np
import pandas as pd
import pytest

from statistik.charts.municipalities import X_TITLE, percentile_band, rate_figure

SOURCE = "Kilde: Danmarks Statistik (STRAF11), egne beregninger"
TITLE = "Vold pr. 100.000 indbyggere, 2025"


@pytest.fixture
def data():
    return pd.DataFrame({
        "label": ["København", "Frederiksberg", "Dragør", "Tårnby", "Københavns Politikreds",
                  "Region Hovedstaden", "Hele landet"],
        "rate": [617.4, 299.5, 249.1, 540.5, 566.5, 501.6, 490.7],
        "low": [598.7, 267.4, 174.5, 474.0, 550.4, 491.7, 485.1],
        "high": [636.6, 334.4, 344.9, 613.7, 582.9, 511.7, 496.4],
        "kind": ["kommune"] * 4 + ["kreds", "region", "land"],
    })


@pytest.fixture
def reference():
    return pd.DataFrame({"rate": np.linspace(200, 800, 98)})


def bars(fig):
    return [t for t in fig.data if t.type == "bar"]


def test_title_source_and_axis_title(data, reference):
    fig = rate_figure(data, reference, title=TITLE, source=SOURCE)
    assert fig.layout.title.text == TITLE
    assert SOURCE in [a.text for a in fig.layout.annotations]
    assert fig.layout.xaxis.title.text == X_TITLE


def test_horizontal_bars_in_the_given_order_with_error_bars(data, reference):
    fig = rate_figure(data, reference, title=TITLE, source=SOURCE)
    assert all(b.orientation == "h" for b in bars(fig))
    assert list(fig.layout.yaxis.categoryarray) == list(data["label"])
    assert fig.layout.yaxis.autorange == "reversed"                  # København at the top
    kommuner = next(b for b in bars(fig) if b.name == "kommune")
    assert kommuner.error_x.visible is not False
    assert list(kommuner.error_x.array) == pytest.approx([19.2, 34.9, 95.8, 73.2], abs=0.01)
    assert list(kommuner.error_x.arrayminus) == pytest.approx([18.7, 32.1, 74.6, 66.5], abs=0.01)


def test_region_and_country_are_hatched_so_they_differ_in_grey_scale(data, reference):
    fig = rate_figure(data, reference, title=TITLE, source=SOURCE)
    patterns = {b.name: b.marker.pattern.shape for b in bars(fig)}
    assert patterns["kommune"] == "" and patterns["region"] and patterns["land"]


def test_values_are_written_with_a_decimal_comma(data, reference):
    fig = rate_figure(data, reference, title=TITLE, source=SOURCE)
    values = next(t for t in fig.data if t.name == "values")
    assert [v.strip("\u00a0") for v in values.text][:2] == ["617,4", "299,5"]


def test_the_reference_band_spans_the_10th_to_90th_percentile_with_the_median(data, reference):
    fig = rate_figure(data, reference, title=TITLE, source=SOURCE)
    band = next(s for s in fig.layout.shapes if s.name == "reference-band")
    median = next(s for s in fig.layout.shapes if s.name == "reference-median")
    p10, p50, p90, n = percentile_band(reference)
    assert (band.x0, band.x1) == pytest.approx((p10, p90))
    assert median.x0 == median.x1 == pytest.approx(p50) == pytest.approx(500)
    assert n == 98
    names = [t.name for t in fig.data if t.showlegend is not False]
    assert "Alle 98 kommuner: 10.–90. percentil" in names
    assert "Alle 98 kommuner: median" in names


def test_a_missing_rate_says_so(data, reference):
    data.loc[2, ["rate", "low", "high"]] = np.nan
    fig = rate_figure(data, reference, title=TITLE, source=SOURCE)
    values = next(t for t in fig.data if t.name == "values")
    assert values.text[2].strip("\u00a0") == "ingen tal"


def test_without_reference_rates_there_is_no_band(data):
    fig = rate_figure(data, pd.DataFrame({"rate": []}), title=TITLE, source=SOURCE)
    assert not [s for s in fig.layout.shapes if (s.name or "").startswith("reference")]


def test_the_chart_grows_with_the_number_of_bars(data, reference):
    small = rate_figure(data.head(2), reference, title=TITLE, source=SOURCE)
    large = rate_figure(data, reference, title=TITLE, source=SOURCE)
    assert large.layout.height > small.layout.height
