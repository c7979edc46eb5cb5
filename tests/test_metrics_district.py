"""The police district as a derived total of København, Frederiksberg, Dragør and Tårnby."""

import csv

import pandas as pd
import pytest

from statistik import config, figures, reference
from statistik.metrics.change import with_last_year
from statistik.metrics.district import (
    district_population, district_total, with_district, with_district_population,
)
from statistik.metrics.rates import add_rates
from statistik.metrics.series import aggregate, at

STRAF11 = config.DATA_DIR / "straf11_2016K1-2025K4_koder.csv"
FOLK1A = config.DATA_DIR / "folk1a_2016-2025_koder.csv"


@pytest.fixture
def members(con):
    return reference.district_members(con)


def raw_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def test_members_are_the_four_municipalities(members):
    assert members == ["101", "147", "155", "185"]


@pytest.mark.parametrize("quarter, start", [("2024K3", "2024-07-01"), ("2016K1", "2016-01-01")])
def test_district_total_equals_the_raw_csv_for_every_category(con, members, quarter, start):
    expected = {}
    for row in raw_csv(STRAF11):
        if row["TID"] == quarter and row["OMRÅDE"] in members:
            expected[row["OVERTRÆD"]] = expected.get(row["OVERTRÆD"], 0) + int(row["INDHOLD"])
    total = at(district_total(figures.series(con, areas=members), members), pd.Timestamp(start))
    got = dict(zip(total["category_code"], total["count"].astype(int)))
    assert got == expected
    assert len(got) == 8
    assert (total["area_code"] == config.DISTRICT_CODE).all()


def test_district_burglary_2024k3_by_hand(con, members):
    total = district_total(figures.series(con, areas=members, categories=["1320"]), members)
    assert at(total, pd.Timestamp("2024-07-01"))["count"].iloc[0] == 136 + 29 + 5 + 14


def test_a_missing_member_makes_the_district_period_missing(con, members):
    burglary = figures.series(con, areas=members, categories=["1320"])
    without_taarnby_q3 = burglary[~((burglary["area_code"] == "185")
                                    & (burglary["period_start"] == pd.Timestamp("2024-07-01")))]
    total = district_total(without_taarnby_q3, members)
    q3 = at(total, pd.Timestamp("2024-07-01")).iloc[0]
    assert pd.isna(q3["count"]) and q3["members_present"] == 3
    assert pd.isna(at(aggregate(total, "Y"), pd.Timestamp("2024-01-01"))["count"].iloc[0])
    assert at(total, pd.Timestamp("2024-04-01"))["count"].iloc[0] > 0


def test_sources_are_kept_apart_in_the_district(members):
    rows = [("M", pd.Timestamp("2025-09-01"), area, "kontaktbedrageri", source, n)
            for source, n in (("Københavns Politi", 10), ("Anden kilde", 1)) for area in members]
    f = pd.DataFrame(rows, columns=["period_kind", "period_start", "area_code", "category_code", "source", "count"])
    f = f[~((f["source"] == "Anden kilde") & (f["area_code"] == "155"))]
    total = district_total(f, members).set_index("source")["count"]
    assert total["Københavns Politi"] == 40
    assert pd.isna(total["Anden kilde"])  # three of four members: never a partial sum


def test_district_population_is_the_sum_of_the_members(con, members):
    expected = sum(int(r["INDHOLD"]) for r in raw_csv(FOLK1A) if r["TID"] == "2024K1" and r["OMRÅDE"] in members)
    pop = district_population(figures.population(con), members)
    assert pop.set_index("year").loc[2024, "population"] == expected
    assert (pop["area_code"] == config.DISTRICT_CODE).all()
    assert list(pop["year"]) == list(range(2016, 2026))


def test_district_population_needs_every_member(con, members):
    population = figures.population(con)
    population = population[~((population["area_code"] == "147") & (population["year"] == 2025))]
    assert 2025 not in set(district_population(population, members)["year"])


def test_the_district_gets_the_same_metrics(con, members):
    burglary = with_district(figures.series(con, areas=members, categories=["1320"]), members)
    years = with_last_year(aggregate(burglary, "Y"))
    rated = add_rates(years, with_district_population(figures.population(con), members))
    kbh = rated[rated["area_code"] == config.DISTRICT_CODE].set_index("period_start")
    row = kbh.loc[pd.Timestamp("2025-01-01")]
    assert (row["count"], row["previous_count"]) == (1155, 959)
    pop_2025 = district_population(figures.population(con), members).set_index("year").loc[2025, "population"]
    assert row["population_year"] == 2025
    assert row["rate"] == pytest.approx(1155 / pop_2025 * 100_000)
    assert set(rated["area_code"]) == {*members, config.DISTRICT_CODE}
