"""The pooled models kept per history: the same verdicts as fitting everything each time, refitted only when
the history they learn from changes."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from statistik.metrics import dispersion as md, expected as me, frame as mf, series, verdicts as mv
from statistik.periods import Period
from statistik.views import comparison, variation
from statistik.views.common import population_with_district, series_with_district

SEP_2025, SEP_2024 = Period("M", dt.date(2025, 9, 1)), Period("M", dt.date(2024, 9, 1))
Q4_2025, Q4_2024 = Period("Q", dt.date(2025, 10, 1)), Period("Q", dt.date(2024, 10, 1))
AREAS = ["pk11", "101", "147", "155", "185"]


def everything_at_once(con, current, previous, areas, categories=None):
    """The engine as it was: every stored area read and every model fitted for this one call."""
    frame = series_with_district(con, variation.areas(con), None, None)
    return mv.compare(frame, population_with_district(con), current, previous, areas=areas, categories=categories)


@pytest.fixture
def fits(monkeypatch):
    """How many (kind, source, category) models are fitted from here on."""
    counted = []
    fit = md.pooled

    def counting(residuals, groups, *args, **kwargs):
        groups = list(groups)
        counted.extend(groups)
        return fit(residuals, groups, *args, **kwargs)

    variation.clear()
    monkeypatch.setattr(md, "pooled", counting)
    return counted


@pytest.mark.parametrize("current, previous", [(Q4_2025, Q4_2024), (SEP_2025, SEP_2024)])
def test_kept_models_give_the_verdicts_of_fitting_everything(police_history, current, previous):
    variation.clear()
    kept = comparison.verdicts(police_history, current, previous, AREAS)
    assert kept["p_value"].notna().sum() >= 15
    pd.testing.assert_frame_equal(kept, everything_at_once(police_history, current, previous, AREAS),
                                  check_dtype=False)


def test_a_verdict_does_not_depend_on_what_else_is_judged(police_history):
    """The police's categories have too few series to pool alone; they pool over the source whether one
    category or all are asked for (the overview card and the comparison page agree)."""
    variation.clear()
    every = comparison.verdicts(police_history, SEP_2025, SEP_2024, ["pk11"]).set_index(mf.CATEGORY)
    one = comparison.verdicts(police_history, SEP_2025, SEP_2024, ["pk11"], ["opioider"]).set_index(mf.CATEGORY)
    assert one.loc["opioider", md.PRIOR_BASIS] == "kilde"
    assert one.loc["opioider", mv.P_VALUE] == every.loc["opioider", mv.P_VALUE]
    assert one.loc["opioider", me.EXPECTED_HIGH] == every.loc["opioider", me.EXPECTED_HIGH]


def test_models_are_fitted_once_per_history(con, fits):
    comparison.verdicts(con, Q4_2025, Q4_2024, ["pk11"], ["1320"])
    assert fits == [("Q", "Danmarks Statistik", "1320")] * 2          # year on year, forecast errors
    comparison.verdicts(con, Q4_2025, Q4_2024, ["101", "155"], ["1320"])
    con.execute("INSERT OR REPLACE INTO meta VALUES ('anything', 'else')")
    comparison.verdicts(con, Q4_2025, Q4_2024, ["pk11"], ["1320"])
    assert len(fits) == 2                                               # other areas, another write: kept

    # A later quarter changes the verdict's own count but not the history the models learn from.
    con.execute("UPDATE figure SET count = count + 50 WHERE category_code = '1320' AND period_start = '2025-10-01'")
    changed = comparison.verdicts(con, Q4_2025, Q4_2024, ["pk11"], ["1320"])
    assert len(fits) == 2 and changed["count"].iloc[0] == 398 + 4 * 50

    # A revised figure in the years before is new history: fitted again.
    con.execute("UPDATE figure SET count = count + 1 WHERE category_code = '1320' AND area_code = '851' "
                "AND period_start = '2023-04-01'")
    comparison.verdicts(con, Q4_2025, Q4_2024, ["pk11"], ["1320"])
    assert len(fits) == 4


def test_the_trend_band_is_that_of_fitting_everything(con):
    variation.clear()
    shown = series.aggregate(series_with_district(con, ["pk11", "155"], ["1320"]), "Q")
    band = comparison.expected_ranges(con, shown, "Q")
    pool = mv.prepared(series_with_district(con, variation.areas(con), ["1320"]), population_with_district(con), "Q")
    full = me.add_expected(pool, sorted(band[mf.START].unique())).set_index([mf.AREA, mf.START])
    assert len(band) == 8                                   # the last four quarters of two series
    for _, row in band.iterrows():
        expected = full.loc[(row[mf.AREA], row[mf.START])]
        assert (row[me.EXPECTED_LOW], row[me.EXPECTED_HIGH]) == (expected[me.EXPECTED_LOW], expected[me.EXPECTED_HIGH])


def test_kept_results_follow_the_store_and_the_public_mask(db_path):
    """Results are kept per read-only snapshot; a write that changes figures, or a visitor of a public
    dashboard (who sees only published figures), gets results of their own."""
    from statistik.store import Store
    from statistik.views import published
    variation.clear()
    store = Store(db_path)
    before = comparison.verdicts(store.read(), Q4_2025, Q4_2024, ["155"], ["1320"])
    with published.only_published(store.read()):
        hidden = comparison.verdicts(store.read(), Q4_2025, Q4_2024, ["155"], ["1320"])
    assert before["count"].iloc[0] == 10 and hidden.empty         # nothing published: no figure to judge
    with store.write(purpose="test") as con:
        con.execute("UPDATE figure SET count = 12 WHERE area_code = '155' AND category_code = '1320' "
                    "AND period_start = '2025-10-01'")
    assert comparison.verdicts(store.read(), Q4_2025, Q4_2024, ["155"], ["1320"])["count"].iloc[0] == 12
