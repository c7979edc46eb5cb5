"""Period comparison: the change per category against the range of normal variation, totals apart."""

import pandas as pd
import pytest

from statistik.charts.comparison import BAND_NAME, CHANCE_NAME, SIGNIFICANT_NAME, SMALL_NAME, change_figure

SOURCE = "Kilde: Danmarks Statistik (STRAF11), egne beregninger"
TITLE = "Anmeldelser i Tårnby: 4. kvt. 2025 mod 4. kvt. 2024"


@pytest.fixture
def data():
    return pd.DataFrame({
        "category": ["Voldsforbrydelser i alt", "Våbenloven", "Indbrud i forretning mv.", "Kontaktbedrageri",
                     "Overtrædelsens art i alt (straffelov og særlove)"],
        "change": [30, 18, -9, 5, -120],
        "normal_low": [-20, -25, -8, -6, -300],
        "normal_high": [21, 26, 8, 6, 310],
        "significant": [True, False, True, False, False],
        "small": [False, False, True, True, False],
        "change_text": ["+30 (+65,2 %)", "+18 (+41,9 %)", "−9", "+5", "−120 (−3,1 %)"],
        "total": [False, False, False, False, True],
    })


def draw(data):
    return change_figure(data, title=TITLE, source=SOURCE, x_title="Ændring i antal anmeldelser")


def points(fig):
    return {y: x for t in fig.data if getattr(t, "mode", None) == "markers" and t.x is not None for x, y in zip(t.x, t.y) if y}


def test_title_source_and_legend(data):
    fig = draw(data)
    assert fig.layout.title.text == TITLE
    assert SOURCE in [a.text for a in fig.layout.annotations]
    legend = [t.name for t in fig.data if t.showlegend]
    assert legend[:2] == [BAND_NAME, SIGNIFICANT_NAME] and CHANCE_NAME in legend and SMALL_NAME in legend


def test_every_category_at_its_change_sorted_by_the_change_with_the_total_apart(data):
    fig = draw(data)
    assert points(fig) == dict(zip(data["category"], data["change"]))
    assert list(fig.layout.yaxis.categoryarray) == ["Voldsforbrydelser i alt", "Våbenloven", "Kontaktbedrageri",
                                                    "Indbrud i forretning mv."]
    assert list(fig.layout.yaxis2.categoryarray) == ["Overtrædelsens art i alt (straffelov og særlove)"]
    assert fig.layout.xaxis2.title.text == "Ændring i antal anmeldelser"


def test_the_grey_band_is_the_range_of_normal_variation(data):
    fig = draw(data)
    bands = [t for t in fig.data if t.name == BAND_NAME]
    drawn = {y: (b, b + w) for t in bands for y, b, w in zip(t.y, t.base, t.x)}
    assert drawn["Våbenloven"] == (-25, 26)
    assert drawn["Overtrædelsens art i alt (straffelov og særlove)"] == (-300, 310)


def test_outside_the_band_is_a_black_diamond_and_a_bold_name(data):
    fig = draw(data)
    significant = [y for t in fig.data if t.name == SIGNIFICANT_NAME and t.y is not None for y in t.y]
    assert set(significant) == {"Voldsforbrydelser i alt", "Indbrud i forretning mv."}
    assert "<b>Voldsforbrydelser i alt</b>" in fig.layout.yaxis.ticktext
    assert "Våbenloven" in fig.layout.yaxis.ticktext


def test_small_counts_are_hollow_and_have_no_percent(data):
    fig = draw(data)
    hollow = {y for t in fig.data if getattr(t, "mode", None) == "markers" and str(t.marker.symbol).endswith("-open")
              for y in (t.y or []) if y}
    assert hollow == {"Indbrud i forretning mv.", "Kontaktbedrageri"}
    texts = [s.strip("\u00a0") for t in fig.data if t.name == "values" for s in t.text]
    assert "+5" in texts and "+30 (+65,2 %)" in texts


def test_without_totals_there_is_one_panel(data):
    fig = draw(data[~data["total"]])
    assert "yaxis2" not in fig.layout.to_plotly_json()


def test_on_a_phone_every_change_is_written_under_its_name_and_nothing_is_drawn_outside_the_figure(data):
    from statistik.charts import style
    fig = change_figure(data, title=TITLE, source=SOURCE, x_title="Ændring i antal anmeldelser", width=360)
    assert fig.layout.width == 360 and fig.layout.showlegend is False
    assert not [t for t in fig.data if getattr(t, "mode", None) == "text" and t.visible is not False]  # none beside
    labels = [label for axis in ("yaxis", "yaxis2") for label in fig.layout[axis].ticktext]
    for text in data["change_text"]:
        assert any(label.endswith(text) or label.endswith(f"{text}</b>") for label in labels), text
    margin = fig.layout.margin
    widest = max(style.text_width(line.replace("<b>", "").replace("</b>", ""), style.BODY_SIZE)
                 for label in labels for line in label.split("<br>"))
    assert widest + 15 <= margin.l and margin.l + margin.r <= 360 * 2 / 3      # the names fit, the plot keeps a third
