"""Oversigt per område: the district or one of its municipalities, chosen on the page and kept in the link."""

from __future__ import annotations

from types import SimpleNamespace

from statistik.views import overview
from test_pages import open_page, texts


def test_a_mayor_sees_her_own_municipality_from_the_link(db_path):
    at = open_page("oversigt", {"omr": "155"})
    assert at.selectbox[0].value == "155"
    metrics = [m.value for m in at.metric]
    assert metrics[:2] == ["10", "11"]           # Dragør: burglaries and violence, 4. kvt. 2025
    page = texts(at)
    # 10 burglaries / 14.450 inhabitants (1 January 2025) = 69,2 per 100.000
    assert "69,2 pr. 100.000 indbyggere (folketal 1. januar 2025)" in page
    assert "Samme periode året før: 6" in page
    assert "Grafen: 1. kvt. 2023 – 4. kvt. 2025" in page
    assert "Dragør, en af kommunerne i Københavns Politikreds" in page
    assert "Partnerskabsmål" in " ".join(m.value for m in at.markdown)


def test_choosing_a_municipality_changes_the_cards_and_the_link(db_path):
    at = open_page("oversigt")
    assert [m.value for m in at.metric][:2] == ["398", "1.133"]
    at.selectbox[0].set_value("185").run()
    assert [m.value for m in at.metric][:2] == ["41", "76"]
    assert at.query_params["omr"] in ("185", ["185"])
    assert not any("Partnerskabsmål" in m.value for m in at.markdown)     # Dragør's target is not Tårnby's


def test_verdicts_are_words_not_p_values(db_path):
    at = open_page("oversigt")
    page = texts(at)
    assert "Stigningen kan skyldes tilfældig variation." in page      # district burglaries, 239 → 398
    assert "Inden for det forventede (" in page
    assert "p <" not in page and "p =" not in page


def test_only_the_district_and_its_municipalities_are_offered(con):
    codes, names = overview.areas(con)
    assert codes == ["pk11", "101", "147", "155", "185"]
    assert [names[c] for c in codes[1:]] == ["København", "Frederiksberg", "Dragør", "Tårnby"]


def test_each_card_has_the_rate_of_its_latest_period(con):
    cards = {c.trend.category: c for c in overview.cards(con, "101")}
    burglary = cards["1320"]
    population = con.execute("SELECT population FROM population WHERE area_code = '101' AND year = 2025").fetchone()[0]
    assert burglary.rate == burglary.change.current / population * 100_000
    assert burglary.population_year == 2025


def test_a_fall_points_down_and_only_a_change_beyond_normal_variation_is_coloured():
    from statistik.metrics.change import Change
    from statistik.ui.components import _delta_style

    fall, rise, same = Change(30, 40, -10, -25.0), Change(50, 40, 10, 25.0), Change(40, 40, 0, 0.0)
    beyond, normal = SimpleNamespace(significant=True), SimpleNamespace(significant=False)
    assert _delta_style(fall, beyond) == {"delta_arrow": "down", "delta_color": "green"}
    assert _delta_style(rise, beyond) == {"delta_arrow": "up", "delta_color": "red"}
    assert _delta_style(rise, normal) == _delta_style(rise, None) == {"delta_arrow": "up", "delta_color": "gray"}
    assert _delta_style(same, beyond) == {"delta_arrow": "off", "delta_color": "gray"}

def test_every_card_s_arrow_follows_the_sign_of_its_change(db_path):
    from streamlit.proto.Metric_pb2 import Metric
    at = open_page("oversigt", {"omr": "147"})          # Frederiksberg: burglaries fell 45 -> 33 in 4. kvt. 2025
    deltas = [m for m in at.metric if m.proto.delta]
    assert any(m.proto.delta.startswith("−") for m in deltas)
    for m in deltas:
        falls = m.proto.delta.startswith("−")
        assert m.proto.direction == (Metric.MetricDirection.DOWN if falls else Metric.MetricDirection.UP), m.proto
