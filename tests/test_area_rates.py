"""The 12 police districts as derived areas side by side: counts and rates against the raw CSV files."""

from __future__ import annotations

import datetime as dt

import pytest

from statistik import districts
from statistik.periods import Period
from statistik.views import municipalities
from statistik.views.area_rates import area_rates, district_rates
from test_districts import raw_count, raw_population
from test_pages import open_page

YEAR_2025 = Period("Y", dt.date(2025, 1, 1))
Q4_2025 = Period("Q", dt.date(2025, 10, 1))


def test_the_twelve_districts_are_their_members_summed(con):
    rates = district_rates(con, "1320", YEAR_2025).set_index("number")
    assert list(rates.index) == list(range(1, 13))
    for d in districts.all_districts():
        row = rates.loc[d.number]
        assert row["label"] == d.name and row["area_code"] == d.code
        assert row["count"] == raw_count(list(d.members), "1320", "2025")
        assert row["population"] == raw_population(list(d.municipalities), 2025)
        assert row["rate"] == pytest.approx(row["count"] / row["population"] * 100_000)
        assert row["low"] < row["rate"] < row["high"]
    assert rates["own"].tolist() == [n == 11 for n in range(1, 13)]


def test_the_own_district_follows_the_setting(con, monkeypatch):
    monkeypatch.setenv("STATISTIK_POLITIKREDS", "2")
    assert district_rates(con, "12", Q4_2025)["own"].tolist() == [n == 2 for n in range(1, 13)]


def test_twelve_months_to_the_fourth_quarter_are_the_calendar_year(con):
    year = area_rates(con, ["pk2", "751"], "12", YEAR_2025)
    window = area_rates(con, ["pk2", "751"], "12", Q4_2025, months=12)
    assert year["count"].tolist() == window["count"].tolist() == [raw_count(d, "12", "2025") for d in
                                                                   (list(districts.by_code("pk2").members), ["751"])]


def test_areas_come_back_in_the_order_asked_and_without_a_figure_are_left_out(con):
    out = area_rates(con, ["000", "pk12", "400", "pk1"], "TOT", Q4_2025)
    assert out["area_code"].tolist() == ["000", "pk12", "400", "pk1"]
    assert area_rates(con, ["pk12"], "kontaktbedrageri", Q4_2025).empty


def test_kommuner_compares_the_districts_too(con):
    result = municipalities.compare(con, "1320", "Y")
    table = result.districts.set_index("area_code")
    assert list(table.index) == districts.codes()
    assert table["member"].tolist() == [c == "pk11" for c in districts.codes()]
    for d in districts.all_districts():
        assert table.loc[d.code, "count"] == raw_count(list(d.members), "1320", "2025")
    words = municipalities.district_table(result).set_index("Politikreds")["I forhold til landet"]
    assert len(words) == 12 and all(w.endswith("landsniveau") for w in words)
    assert result.district_limits["population"].min() < table["population"].min()


def test_kommuner_page_shows_the_twelve_districts(db_path, monkeypatch):
    monkeypatch.setenv("STATISTIK_POLITIKREDS", "12")
    at = open_page("kommuner", {"kat": "1320", "type": "Y"})
    table = at.dataframe[1].value.set_index("Politikreds")
    assert len(table) == 12
    assert table.loc["Bornholms Politikreds", "Antal"] == raw_count(["400", "411"], "1320", "2025")
    assert table.loc["Østjyllands Politikreds", "Antal"] == raw_count(
        ["706", "707", "710", "727", "730", "741", "751"], "1320", "2025")


def test_the_map_lists_the_twelve_districts_when_they_are_drawn(db_path):
    at = open_page("kort", {"kat": "1320", "kortperiode": "2024", "kredse": "ja"})
    table = at.dataframe[1].value.set_index("Politikreds")
    assert len(table) == 12
    assert table.loc["Østjyllands Politikreds", "Antal"] == raw_count(
        ["706", "707", "710", "727", "730", "741", "751"], "1320", "2024")
    rate = raw_count(["400", "411"], "1320", "2024") / raw_population(["400"], 2024) * 100_000
    assert table.loc["Bornholms Politikreds", "Pr. 100.000"] == pytest.approx(rate, abs=0.05)


def test_the_map_of_the_latest_twelve_months_uses_the_same_window_for_the_districts(con):
    from statistik.views import maps
    view = maps.map_rates(con, "12")
    rows = maps.district_table(con, view).set_index("Politikreds")
    assert rows.loc["Københavns Politikreds", "Antal"] == raw_count(["101", "147", "155", "185"], "12", "2025")
