"""Targets: Dragør under 30 residential burglaries a year, met or missed."""

import datetime as dt

import pandas as pd
import pytest

from statistik import figures
from statistik.metrics.frame import GranularityError
from statistik.metrics.targets import ABOVE, DRAGOER_BURGLARY, Target, current_status, evaluate

POLICE = "Københavns Politi"
DST = "Danmarks Statistik"


@pytest.fixture
def dragor(con):
    return figures.series(con, areas=["155"])


def monthly(values, source=POLICE, area="155", category="1320"):
    return pd.DataFrame(
        [("M", pd.Timestamp(f"{start}-01"), area, category, source, n) for start, n in values.items()],
        columns=["period_kind", "period_start", "area_code", "category_code", "source", "count"],
    )


def test_the_default_dragor_target():
    t = DRAGOER_BURGLARY
    assert (t.area, t.category, t.period_kind, t.limit, t.direction) == ("155", "1320", "Y", 30, "below")
    assert t.description == "under 30 om året"


def test_dragor_met_the_target_in_2024_and_missed_it_in_2023(dragor):
    years = evaluate(DRAGOER_BURGLARY, dragor).set_index(pd.Index(range(2016, 2026)))
    assert (years.loc[2023, "count"], bool(years.loc[2023, "met"])) == (35, False)  # 35 ≥ 30
    assert (years.loc[2024, "count"], bool(years.loc[2024, "met"])) == (27, True)  # 27 < 30
    assert (years.loc[2025, "count"], bool(years.loc[2025, "met"])) == (24, True)
    assert (years["limit"] == 30).all()


def test_exactly_the_limit_misses_a_below_target():
    assert not DRAGOER_BURGLARY.is_met(30)
    assert DRAGOER_BURGLARY.is_met(29)


def test_current_rolling_status_over_the_last_four_quarters(dragor):
    status = current_status(DRAGOER_BURGLARY, dragor)
    assert status.count == 24  # 9 + 2 + 3 + 10
    assert status.met
    assert status.source == DST
    assert (status.period_from, status.period_to) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert status.label == "1. kvt. 2025 – 4. kvt. 2025"


def test_an_incomplete_year_is_neither_met_nor_missed():
    months = monthly({f"2025-{m:02d}": 1 for m in range(1, 10)})
    years = evaluate(DRAGOER_BURGLARY, months)
    assert pd.isna(years["met"].iloc[0]) and not years["complete"].iloc[0]


def test_current_status_uses_the_newest_complete_window():
    # Police months through March 2026 are newer than DST's quarters through 2025K4.
    police = monthly({f"{y}-{m:02d}": 2 for y in (2025, 2026) for m in range(1, 13) if (y, m) <= (2026, 3)})
    dst = pd.DataFrame([("Q", pd.Timestamp(f"2025-{m:02d}-01"), "155", "1320", DST, 9) for m in (1, 4, 7, 10)],
                       columns=police.columns)
    status = current_status(DRAGOER_BURGLARY, pd.concat([police, dst]))
    assert status.source == POLICE and status.count == 24 and status.met
    assert status.label == "apr. 2025 – mar. 2026"
    # On a tie (both end December 2025) Danmarks Statistik is used; sources are never added.
    tie = current_status(DRAGOER_BURGLARY, pd.concat([police[police["period_start"] < "2026-01-01"], dst]))
    assert tie.source == DST and tie.count == 36 and not tie.met
    assert current_status(DRAGOER_BURGLARY, pd.concat([police, dst]), source=DST).count == 36


def test_no_complete_window_gives_no_status():
    assert current_status(DRAGOER_BURGLARY, monthly({"2025-01": 1})) is None


def test_an_above_target_and_a_quarterly_target(dragor):
    more_drug_cases = Target("155", "3210", "Q", 5, ABOVE, "Narkotikasager i Dragør")
    quarters = evaluate(more_drug_cases, dragor)
    assert (quarters["met"] == (quarters["count"] > 5)).all()
    assert more_drug_cases.description == "over 5 i kvartalet"


def test_a_monthly_target_cannot_be_judged_from_quarters(dragor):
    with pytest.raises(GranularityError):
        evaluate(Target("155", "1320", "M", 3), dragor)


def test_a_target_must_have_a_known_kind_and_direction():
    with pytest.raises(ValueError):
        Target("155", "1320", "W", 30)
    with pytest.raises(ValueError):
        Target("155", "1320", "Y", 30, "under")
