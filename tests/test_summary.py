"""The summary behind `statistik summary --area --category --period`."""

import json

import pytest

from statistik import config, districts, figures, reference
from statistik.bootstrap import open_store
from statistik.ingest import import_file
from statistik.views.summary import NoFigures, resolve_area, summary
from statistik.periods import parse_period

KEYS = {"count", "previous_count", "change", "change_pct", "rate_per_100k", "population_year",
        "p_value", "significant", "verdict", "small_count", "expected_low", "expected_high", "expected_position"}
POLICE = "Københavns Politi"


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    folder = tmp_path_factory.mktemp("store")
    con = open_store(folder / "s.duckdb")
    # A police source with monthly burglary figures for Dragør in 2024: 3 a month.
    months = "\n".join(f"2024-{m:02d};Dragør;Indbrud i beboelser;3" for m in range(1, 13))
    path = folder / "politi_2024.csv"
    path.write_text("periode;kommune;kategori;antal\n" + months + "\n", encoding="utf-8")
    import_file(con, path, user="test", source=POLICE)
    yield con
    con.close()


def test_dragor_burglary_2024(con):
    result = summary(con, "155", "1320", "2024")
    assert set(result) == KEYS
    assert (result["count"], result["previous_count"], result["change"]) == (27, 35, -8)
    assert round(result["change_pct"], 1) == -22.9
    assert result["population_year"] == 2024
    assert round(result["rate_per_100k"], 1) == 185.3  # 27 / 14.569 · 100.000
    # Exact Poisson: p = 0,374; Dragør's burglaries vary more than that from year to year.
    assert 0.374 < result["p_value"] < 1
    assert result["significant"] is False and result["verdict"] == "kan skyldes tilfældig variation"
    assert result["expected_low"] <= 27 <= result["expected_high"] and result["expected_position"] == "inden for"
    assert result["small_count"] is False


def test_the_result_is_plain_json(con):
    result = summary(con, "155", "1320", "2024")
    assert json.loads(json.dumps(result)) == result
    assert type(result["count"]) is int and type(result["significant"]) is bool


def test_the_district_by_alias_or_name(con):
    members = list(districts.current().members)
    raw = figures.series(con, areas=members, categories=["1320"], sources=[config.DST_SOURCE])
    expected = int(raw[raw["period_start"] == "2024-07-01"]["count"].sum())
    assert expected == 136 + 29 + 5 + 14
    population = figures.population(con)
    inhabitants = int(population[(population["year"] == 2024) & population["area_code"].isin(members)]
                      ["population"].sum())
    for area in ("kreds", "pk11", "kbh", "Københavns Politikreds", "københavns politi"):
        result = summary(con, area, "1320", "2024K3")
        assert result["count"] == expected
        assert result["population_year"] == 2024
        assert result["rate_per_100k"] == pytest.approx(expected / inhabitants * 100_000)


def test_dst_is_preferred_and_sources_are_never_added(con):
    assert summary(con, "155", "1320", "2024")["count"] == 27  # not 36, not 63
    assert summary(con, "155", "1320", "2024", source=POLICE)["count"] == 36


def test_a_month_comes_from_the_source_that_has_months(con):
    result = summary(con, "Dragør", "Indbrud i beboelser", "2024-09")
    assert result["count"] == 3
    assert result["previous_count"] is None and result["change"] is None and result["p_value"] is None
    assert result["small_count"] is True
    assert result["population_year"] == 2024


def test_no_source_has_the_period(con):
    with pytest.raises(NoFigures, match="kan ikke deles op i måneder"):
        summary(con, "147", "1320", "2024-09")
    with pytest.raises(NoFigures):
        summary(con, "155", "1320", "2031")


def test_no_percent_on_a_base_of_zero(con):
    # Dragør, Indbrud i forretning: 2023K3 = 0, 2024K3 = 3.
    result = summary(con, "155", "1316", "2024K3")
    assert (result["count"], result["previous_count"], result["change"]) == (3, 0, 3)
    assert result["change_pct"] is None
    assert result["small_count"] is True


def test_small_counts_are_flagged(con):
    result = summary(con, "155", "1320", "2024K2")  # 5 against 7
    assert result["small_count"] is True
    assert summary(con, "101", "1320", "2024K2")["small_count"] is False


def test_unknown_input_is_refused_in_danish(con):
    with pytest.raises(ValueError, match="Ukendt periode"):
        summary(con, "155", "1320", "sidste år")
    with pytest.raises(ValueError, match="Ukendt område"):
        summary(con, "Frederiksbjerg", "1320", "2024")
    with pytest.raises(ValueError, match="Ukendt kategori"):
        summary(con, "155", "9999", "2024")


def test_area_codes_as_written_in_files(con):
    assert resolve_area(con, "0155")[0] == "155"
    assert resolve_area(con, "dragør")[0] == "155"
    assert resolve_area(con, "Kreds")[2] == ["101", "147", "155", "185"]
    assert parse_period("2024K3").code == "2024K3"
