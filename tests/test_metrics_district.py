"""A police district as a derived total: Københavns Politikreds, and the rule for Christiansø."""

import csv

import pandas as pd
import pytest

from statistik import config, districts, figures
from statistik.metrics.change import with_last_year
from statistik.metrics.district import (
    district_population, district_total, with_district, with_district_population,
)
from statistik.metrics.rates import add_rates
from statistik.metrics.series import aggregate, at

STRAF11 = config.DATA_DIR / "straf11_2016K1-2025K4_koder.csv"
FOLK1A = config.DATA_DIR / "folk1a_2016-2025_koder.csv"


KBH = districts.by_code("pk11")
BORNHOLM = districts.by_code("pk12")


@pytest.fixture
def members():
    return list(KBH.members)


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
    total = at(district_total(figures.series(con, areas=members), KBH), pd.Timestamp(start))
    got = dict(zip(total["category_code"], total["count"].astype(int)))
    assert got == expected
    assert len(got) == 8
    assert (total["area_code"] == KBH.code).all()


def test_district_burglary_2024k3_by_hand(con, members):
    total = district_total(figures.series(con, areas=members, categories=["1320"]), KBH)
    assert at(total, pd.Timestamp("2024-07-01"))["count"].iloc[0] == 136 + 29 + 5 + 14


def test_a_missing_member_makes_the_district_period_missing(con, members):
    burglary = figures.series(con, areas=members, categories=["1320"])
    without_taarnby_q3 = burglary[~((burglary["area_code"] == "185")
                                    & (burglary["period_start"] == pd.Timestamp("2024-07-01")))]
    total = district_total(without_taarnby_q3, KBH)
    q3 = at(total, pd.Timestamp("2024-07-01")).iloc[0]
    assert pd.isna(q3["count"]) and q3["members_present"] == 3
    assert pd.isna(at(aggregate(total, "Y"), pd.Timestamp("2024-01-01"))["count"].iloc[0])
    assert at(total, pd.Timestamp("2024-04-01"))["count"].iloc[0] > 0


def test_sources_are_kept_apart_in_the_district(members):
    rows = [("M", pd.Timestamp("2025-09-01"), area, "kontaktbedrageri", source, n)
            for source, n in (("Københavns Politi", 10), ("Anden kilde", 1)) for area in members]
    f = pd.DataFrame(rows, columns=["period_kind", "period_start", "area_code", "category_code", "source", "count"])
    f = f[~((f["source"] == "Anden kilde") & (f["area_code"] == "155"))]
    total = district_total(f, KBH).set_index("source")["count"]
    assert total["Københavns Politi"] == 40
    assert pd.isna(total["Anden kilde"])  # three of four members: never a partial sum


def test_district_population_is_the_sum_of_the_members(con, members):
    expected = sum(int(r["INDHOLD"]) for r in raw_csv(FOLK1A) if r["TID"] == "2024K1" and r["OMRÅDE"] in members)
    pop = district_population(figures.population(con), KBH)
    assert pop.set_index("year").loc[2024, "population"] == expected
    assert (pop["area_code"] == KBH.code).all()
    assert list(pop["year"]) == list(range(2016, 2026))


def test_district_population_needs_every_member(con, members):
    population = figures.population(con)
    population = population[~((population["area_code"] == "147") & (population["year"] == 2025))]
    assert 2025 not in set(district_population(population, KBH)["year"])


def test_the_district_gets_the_same_metrics(con, members):
    burglary = with_district(figures.series(con, areas=members, categories=["1320"]), KBH)
    years = with_last_year(aggregate(burglary, "Y"))
    rated = add_rates(years, with_district_population(figures.population(con), [KBH]))
    kbh = rated[rated["area_code"] == KBH.code].set_index("period_start")
    row = kbh.loc[pd.Timestamp("2025-01-01")]
    assert (row["count"], row["previous_count"]) == (1155, 959)
    pop_2025 = district_population(figures.population(con), KBH).set_index("year").loc[2025, "population"]
    assert row["population_year"] == 2025
    assert row["rate"] == pytest.approx(1155 / pop_2025 * 100_000)
    assert set(rated["area_code"]) == {*members, KBH.code}


@pytest.mark.parametrize("number", range(1, 13))
def test_every_district_total_equals_the_raw_csv(con, number):
    district = districts.all_districts()[number - 1]
    expected: dict[tuple[str, str], int] = {}
    for row in raw_csv(STRAF11):
        if row["OMRÅDE"] in district.members and row["TID"] in ("2016K1", "2025K4"):
            key = (row["OVERTRÆD"], row["TID"])
            expected[key] = expected.get(key, 0) + int(row["INDHOLD"])
    total = district_total(figures.series(con, areas=list(district.members)), district)
    got = {(c, f"{s.year}K{s.quarter}"): int(n) for c, s, n in zip(total["category_code"], total["period_start"],
                                                                 total["count"]) if s.year in (2016, 2025)
           and (s.year, s.quarter) in ((2016, 1), (2025, 4))}
    assert got == expected and len(got) == 16


def test_the_districts_and_unknown_municipality_make_the_whole_country(con):
    """Every area of STRAF11 but the regions lies in exactly one district, 998 (unknown) in none."""
    national = figures.series(con, areas=["000"])
    parts = [district_total(figures.series(con, areas=list(d.members)), d) for d in districts.all_districts()]
    parts.append(figures.series(con, areas=["998"]))
    summed = pd.concat(parts).groupby(["category_code", "period_start"])["count"].sum()
    expected = national.set_index(["category_code", "period_start"])["count"].sort_index()
    assert expected.astype("int64").to_dict() == summed.astype("int64").to_dict()
    assert len(summed) == 8 * 40


def test_christiansoe_counts_when_it_has_a_figure_and_is_never_required():
    rows = [("Q", pd.Timestamp("2025-07-01"), "400", "1336", config.DST_SOURCE, 70),
            ("Q", pd.Timestamp("2025-07-01"), "411", "1336", config.DST_SOURCE, 1),
            ("M", pd.Timestamp("2025-09-01"), "400", "kontaktbedrageri", "Bornholms Politi", 3)]
    f = pd.DataFrame(rows, columns=["period_kind", "period_start", "area_code", "category_code", "source", "count"])
    total = district_total(f, BORNHOLM).set_index("source")["count"]
    assert total[config.DST_SOURCE] == 71          # Bornholm + Christiansø
    assert total["Bornholms Politi"] == 3          # police figures name Bornholm only
    assert pd.isna(district_total(f[f["area_code"] == "411"], BORNHOLM)["count"]).all()  # never Christiansø alone


def test_bornholm_population_is_bornholms_since_folk1a_has_none_for_christiansoe(con):
    pop = district_population(figures.population(con), BORNHOLM).set_index("year")["population"]
    bornholm = figures.population(con).query("area_code == '400'").set_index("year")["population"]
    assert (pop == bornholm).all() and len(pop) == 10
