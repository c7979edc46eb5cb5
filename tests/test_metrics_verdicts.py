"""The one engine behind Sammenlign, Oversigt, the briefing and `statistik compare`, on the shipped figures."""

import datetime as dt
import json

import pandas as pd
import pytest

from conftest import statistik
from statistik import formatting
from statistik.metrics import verdicts as mv
from statistik.metrics.change import FEW_CASES
from statistik.metrics.significance import p_values
from statistik.periods import Period
from statistik.views import comparison

Q4_2025, Q4_2024 = Period("Q", dt.date(2025, 10, 1)), Period("Q", dt.date(2024, 10, 1))


@pytest.fixture(scope="module")
def district_q4(seeded_template):
    from statistik.bootstrap import open_store
    con = open_store(seeded_template)
    out = comparison.verdicts(con, Q4_2025, Q4_2024, ["pk11", "155"]).set_index(["area_code", "category_code"])
    con.close()
    return out


def test_andre_tyverier_from_the_issue_is_within_normal_variation(district_q4):
    row = district_q4.loc[("pk11", "1336")]
    assert (row["count"], row["previous_count"]) == (4776, 4526)
    assert round(row["change_pct"], 1) == 5.5
    assert round(float(p_values(4776, 4526)), 3) == 0.010       # what the exact Poisson test said
    assert row["p_value"] > 0.4 and not row["significant"]
    assert row["verdict"] == mv.CHANCE == "kan skyldes tilfældig variation"
    assert row["normal_low"] < 250 < row["normal_high"]


def test_small_counts_get_the_change_in_number_only(district_q4):
    row = district_q4.loc[("155", "1320")]             # Dragør: 6 → 10 residential burglaries
    assert (row["previous_count"], row["count"], row["change"]) == (6, 10, 4)
    assert pd.isna(row["change_pct"]) and row["change_note"] == FEW_CASES
    assert bool(row["small_count"])
    words = mv.Verdict.of(row)
    assert words.change_text == "+4"
    assert words.words()[-1] == "Få tilfælde — fortolk varsomt."


def test_rates_when_the_population_grew(con):
    out = comparison.verdicts(con, Period("Y", dt.date(2025, 1, 1)), Period("Y", dt.date(2024, 1, 1)), ["101"], ["TOT"])
    population = dict(con.execute("SELECT year, population FROM population WHERE area_code = '101'").fetchall())
    e1, e0 = 365 * population[2025], 366 * population[2024]       # 2024 was a leap year
    assert out["exposure_share"].iloc[0] == pytest.approx(e1 / (e1 + e0))


def test_per_day_when_the_periods_differ_in_length():
    frame = pd.DataFrame({"period_kind": "M", "period_start": pd.to_datetime(["2025-02-01", "2025-03-01"]),
                          "area_code": "101", "category_code": "kontaktbedrageri", "source": "Politi",
                          "count": [28, 31]})
    population = pd.DataFrame(columns=["area_code", "year", "population"])
    row = mv.compare(frame, population, Period("M", dt.date(2025, 3, 1)), Period("M", dt.date(2025, 2, 1))).iloc[0]
    assert row["exposure_share"] == pytest.approx(31 / 59)
    assert row["p_value"] == pytest.approx(1.0)        # one case a day in both months


def test_periods_of_different_length_are_refused():
    with pytest.raises(ValueError, match="lige lange"):
        mv.compare(pd.DataFrame(), pd.DataFrame(), Q4_2025, Period("Y", dt.date(2024, 1, 1)))


def test_p_values_beside_a_verdict_never_read_0_050_and_no_minus_zero():
    assert formatting.p_value(0.0496) == "p < 0,05"            # significant: never "p = 0,050"
    assert formatting.p_value(0.0504) == "p = 0,050"
    assert formatting.percent(-0.0004) == "0,0 %" and formatting.signed(-0.04, 1) == "0,0"


def test_the_expected_number_of_false_alarms_is_said():
    assert mv.false_alarms(8) == pytest.approx(0.4)
    assert mv.false_alarms_text(8).startswith("Af de 8 vurderinger ventes 0,4 at vise en ændring")


@pytest.mark.parametrize("against", [None, "2023K4"])
def test_compare_json_is_the_page_s_numbers(db_path, con, against):
    """`statistik compare --json` and the Sammenlign page's table give the same numbers, area by area."""
    args = ["compare", "--period", "2025K4", "--area", "kreds", "Dragør", "--json"] + (["--against", against] if against else [])
    rows = json.loads(statistik(*args).stdout)
    required = {"area", "category", "source", "count", "previous_count", "change", "change_pct", "p_value",
                "significant", "verdict", "expected_low", "expected_high"}
    assert len(rows) == 16 and all(required <= set(r) for r in rows)
    previous = Period("Q", dt.date(2023, 10, 1)) if against else Q4_2024
    for area in ("pk11", "155"):
        page = comparison.compare(con, Q4_2025, previous, area).set_index("category_code")
        mine = [r for r in rows if r["area"] == area]
        assert len(mine) == len(page) == 8
        for r in mine:
            shown = page.loc[r["category"]]
            assert (r["period"], r["against"]) == ("2025K4", previous.code)
            assert (r["count"], r["previous_count"], r["change"]) == (shown["current"], shown["previous"], shown["change"])
            assert r["change_pct"] == (None if pd.isna(shown["change_pct"]) else pytest.approx(shown["change_pct"]))
            assert r["p_value"] == pytest.approx(shown["p_value"]) and r["significant"] == bool(shown["significant"])
            assert r["verdict"] == shown["verdict"]
            assert (r["normal_low"], r["normal_high"]) == (shown["normal_low"], shown["normal_high"])
            assert (r["expected_low"], r["expected_high"]) == (shown["expected_low"], shown["expected_high"])


def test_compare_for_every_area_and_chosen_categories(db_path):
    rows = json.loads(statistik("compare", "--period", "2025", "--against", "2023", "--area", "all", "--category",
                                "1320", "Andre tyverier", "--json").stdout)
    assert {r["category"] for r in rows} == {"1320", "1336"}
    assert len({r["area"] for r in rows}) == 107                 # 106 stored areas and the district
    assert {r["against"] for r in rows} == {"2023"}
    bad = statistik("compare", "--period", "2025", "--against", "2024K4", check_exit=1)
    assert "lige lange" in bad.stderr
