"""Period comparison: a dumbbell per category, significance emphasised, small counts marked."""

import pandas as pd
import pytest

from statistik.charts.comparison import SIGNIFICANT_LINE, SIGNIFICANT_NAME, SMALL_NAME, comparison_figure

SOURCE = "Kilde: Danmarks Statistik (STRAF11), egne beregninger"
TITLE = "Anmeldelser i Tårnby: 4. kvt. 2025 mod 4. kvt. 2024"


@pytest.fixture
def data():
    return pd.DataFrame({
        "category": ["Voldsforbrydelser i alt", "Våbenloven", "Indbrud i forretning mv.", "Kontaktbedrageri"],
        "current": [76, 61, 9, 5],
        "previous": [46, 43, 6, 0],
        "significant": [True, False, False, pd.NA],
        "small": [False, False, True, True],
    })


def draw(data):
    return comparison_figure(data, title=TITLE, source=SOURCE, current_label="4. kvt. 2025",
                             previous_label="4. kvt. 2024")


def markers(fig, name):
    return [t for t in fig.data if t.name == name and t.mode == "markers"]


def test_title_source_and_both_periods_in_the_legend(data):
    fig = draw(data)
    assert fig.layout.title.text == TITLE
    assert SOURCE in [a.text for a in fig.layout.annotations]
    legend = [t.name for t in fig.data if t.showlegend is not False]
    assert legend[:2] == ["4. kvt. 2024", "4. kvt. 2025"] or {"4. kvt. 2024", "4. kvt. 2025"} <= set(legend)


def test_every_category_has_its_current_and_previous_value(data):
    fig = draw(data)
    current = [(y, x) for t in markers(fig, "4. kvt. 2025") for x, y in zip(t.x, t.y)]
    previous = [(y, x) for t in markers(fig, "4. kvt. 2024") for x, y in zip(t.x, t.y)]
    assert sorted(current) == sorted(zip(data["category"], data["current"]))
    assert sorted(previous) == sorted(zip(data["category"], data["previous"]))


def test_a_significant_change_is_heavier_and_bold(data):
    fig = draw(data)
    significant = next(t for t in fig.data if t.name == SIGNIFICANT_LINE)
    other = next(t for t in fig.data if t.name == "Ændring")
    assert significant.line.width > other.line.width
    assert "Voldsforbrydelser i alt" in significant.y and "Våbenloven" not in significant.y
    assert "<b>Voldsforbrydelser i alt</b>" in fig.layout.yaxis.ticktext
    assert "Våbenloven" in fig.layout.yaxis.ticktext
    assert SIGNIFICANT_NAME in [t.name for t in fig.data if t.showlegend is not False]


def test_small_counts_get_hollow_markers_and_a_note(data):
    fig = draw(data)
    hollow = [t for t in fig.data if t.mode == "markers" and str(t.marker.symbol).endswith("-open") and len(t.y)]
    assert {y for t in hollow for y in t.y if y is not None} == {"Indbrud i forretning mv.", "Kontaktbedrageri"}
    assert SMALL_NAME in [t.name for t in fig.data]
    assert "få tilfælde — fortolk varsomt" in SMALL_NAME


def test_no_percent_on_a_base_of_zero(data):
    fig = draw(data)
    texts = [s.strip("\u00a0") for t in fig.data if t.name == "values" for s in t.text]
    assert "76 (+65 %)" in texts
    assert "5" in texts                                        # 0 → 5: no percent


def test_counts_of_very_different_size_get_a_log_axis(data):
    data.loc[0, ["current", "previous"]] = [1597, 1815]
    data.loc[3, ["current", "previous"]] = [5, 2]
    fig = draw(data)
    assert fig.layout.xaxis.type == "log"
    assert "logaritmisk" in fig.layout.xaxis.title.text
    assert "1.000" in fig.layout.xaxis.ticktext


def test_a_missing_previous_value_draws_only_the_current(data):
    data.loc[1, "previous"] = None
    fig = draw(data)
    previous = [y for t in markers(fig, "4. kvt. 2024") for y in t.y]
    assert "Våbenloven" not in previous
