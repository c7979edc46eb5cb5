"""Page models computed from the real store: the numbers a council member reads."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from conftest import SAMPLES, TODAY, write
from statistik.ingest import import_file
from statistik.periods import Period
from statistik.views import annotations, choices, common, comparison, municipalities, overview, status, trends

Q4_2025 = Period("Q", dt.date(2025, 10, 1))


def test_overview_card_for_burglary_is_the_district_total_of_the_latest_quarter(con):
    card = overview.card(con, common.focus_trends(con)[3])
    assert card.trend.title == "Indbrud i beboelser"
    assert card.period == Q4_2025 and card.source == "Danmarks Statistik"
    # 2025K4: København 314 + Frederiksberg 33 + Dragør 10 + Tårnby 41
    assert (card.change.current, card.change.previous) == (398, 239)
    # +66,5 %, but residential burglaries in the district swing that much from year to year:
    # the exact Poisson test said p < 0,001; allowing for normal variation it is about 0,1.
    assert card.verdict.significant is False and 0.05 < card.verdict.p_value < 0.3
    assert card.verdict.words() == ["Stigningen kan skyldes tilfældig variation.",
                                    f"Inden for det forventede ({card.verdict.expected_low}–{card.verdict.expected_high})."]
    assert card.verdict.expected_low < 398 < card.verdict.expected_high
    assert (card.rolling.current, card.rolling.previous) == (1155, 959)
    assert card.rolling_label == "1. kvt. 2025 – 4. kvt. 2025"
    assert len(card.spark) == 12 and int(card.spark.iloc[-1]) == 398


def test_police_categories_without_figures_show_the_broader_dst_category(con):
    cards = {c.trend.category: c for c in overview.cards(con)}
    pickpocketing = cards["lomme-og-tricktyveri"]
    assert pickpocketing.empty
    assert pickpocketing.context.trend.title == "Andre tyverier"
    assert pickpocketing.context.change.current == 4249 + 291 + 10 + 226
    assert cards["opioider"].context.trend.title == "Lov om euforiserende stoffer"
    assert cards["kontaktbedrageri"].context is None


def test_uploaded_police_figures_fill_the_card(con):
    import_file(con, SAMPLES / "eksempel_lang_2025-09.csv", user="a", today=TODAY)
    card = overview.card(con, common.focus_trends(con)[0])
    assert card.source == "Københavns Politi" and card.period == Period("M", dt.date(2025, 9, 1))
    assert card.change.current == 122 + 18 + 5 + 10 and card.change.previous is None
    assert not card.verdict.tested and card.verdict.words() == []


def _plain(card):
    """A card as comparable values (its sparkline as a list, its context the same way)."""
    fields = {k: v for k, v in vars(card).items() if k not in ("spark", "context")}
    spark = None if card.spark is None else list(card.spark.items())
    return fields, spark, None if card.context is None else _plain(card.context)


@pytest.mark.parametrize("area", ["pk11", "155"])
@pytest.mark.parametrize("samples", [(), ("eksempel_lang_2025-09.csv", "eksempel_anmeldelser_2025-11.csv")])
def test_the_overview_worked_out_together_equals_each_card_on_its_own(con, area, samples):
    """`cards` reads and works out all trends at once (and judges them per source and period together):
    the same cards as one at a time, with DST's figures only (police trends shown by their broader
    category) and with police figures of two months."""
    for sample in samples:
        import_file(con, SAMPLES / sample, user="a", today=TODAY)
    together = overview.cards(con, area)
    alone = [overview.card(con, trend, area) for trend in common.focus_trends(con)]
    assert sorted(map(_plain, together), key=repr) == sorted(map(_plain, alone), key=repr)
    assert any(c.source == "Københavns Politi" for c in together) == bool(samples)
    assert any(c.context for c in together) != bool(samples)


def test_dragoer_target_met_and_missed_per_year(con):
    [target] = overview.target_cards(con)
    years = dict(zip(target.years["year"], target.years["met"]))
    assert years[2023] is False or not years[2023]
    assert years[2024] and years[2025]
    assert target.status.count == 24 and target.status.met


def test_trend_rates_use_the_population_of_the_year(con):
    trend = trends.trend(con, ["155"], ["1320"], "Y", "rate")
    row = trend.data[trend.data["period_start"] == "2024-01-01"].iloc[0]
    assert round(row["value"], 1) == 185.3  # 27 / 14.569 * 100.000
    assert row["low"] < row["value"] < row["high"]
    assert any("FOLK1A" in note for note in trend.notes)


def test_trend_of_quarterly_figures_by_month_is_refused_with_a_reason(con):
    trend = trends.trend(con, ["155"], ["1320"], "M", "antal")
    assert trend.empty
    assert "kun tal pr. kvartal" in trend.notes[0]


def test_trend_title_says_what_where_and_when(con):
    trend = trends.trend(con, ["pk11", "155"], ["1320"], "Q", "antal")
    assert trend.title == (
        "Indbrud i beboelser, Københavns Politikreds og Dragør, 1. kvt. 2016 – 4. kvt. 2025")


def test_index_has_the_base_year_at_100(con):
    trend = trends.trend(con, ["pk11"], ["12"], "Y", "indeks", base_year=2020)
    base = trend.data[trend.data["period_start"] == "2020-01-01"]["value"].iloc[0]
    assert base == pytest.approx(100)


def test_municipalities_rates_against_region_country_and_all_98(con):
    result = municipalities.compare(con, "1320", "Y")
    assert result.period == Period("Y", dt.date(2025, 1, 1))
    rows = result.data.set_index("area_code")
    assert list(rows.index) == ["101", "147", "155", "185", "pk11", "084", "000"]
    assert rows.loc["155", "count"] == 24 and rows.loc["155", "population_year"] == 2025
    assert round(rows.loc["155", "rate"], 1) == round(24 / 14450 * 100000, 1)
    assert len(result.reference) == 98


def test_the_funnel_centres_on_the_national_rate_and_judges_each_municipality(con):
    result = municipalities.compare(con, "1320", "Y")
    national = result.data.set_index("area_code").loc["000"]
    assert result.national == pytest.approx(national["count"] / national["population"] * 100_000)
    limits = result.limits
    assert (limits["low_99.8"] <= limits["low_95"]).all() and (limits["high_95"] <= limits["high_99.8"]).all()
    assert ((limits["low_95"] < result.national) & (result.national < limits["high_95"])).all()
    towns = result.reference.set_index("area_code")
    assert set(towns[towns["member"]].index) == {"101", "147", "155", "185"}
    # København: 896 burglaries for 652.000 inhabitants, half the national rate: below the 95 % limit,
    # but burglaries swung so much in 2020–2024 that it is inside the 99,8 % limit.
    assert towns.loc["101", "position_95"] == "under" and towns.loc["101", "position_99.8"] == "inden for"
    assert towns.loc["155", "position_95"] == "inden for"
    words = municipalities.table(result).set_index("Område")["I forhold til landet"]
    assert words["København"] == "måske under landsniveau" and words["Dragør"] == "som landsniveau"
    assert words["Hele landet"] == "–"


def test_period_comparison_every_category_with_the_test(con):
    table = comparison.compare(con, Period("Y", dt.date(2025, 1, 1)), Period("Y", dt.date(2024, 1, 1)))
    assert len(table) == 8
    burglary = table.set_index("category_code").loc["1320"]
    assert (burglary["previous"], burglary["current"], burglary["change"]) == (959, 1155, 196)
    # The exact Poisson test called +20,4 % larger than chance (p < 0,001); it is not, for a series
    # that has swung by a fifth from one year to the next before.
    assert not bool(burglary["significant"]) and burglary["p_value"] > 0.2
    assert burglary["normal_low"] < 196 < burglary["normal_high"]
    assert burglary["expected_low"] < 1155 < burglary["expected_high"]


def test_period_comparison_in_a_small_municipality_flags_few_cases_and_zero_base(con):
    table = comparison.compare(con, Period("Q", dt.date(2024, 7, 1)), Period("Q", dt.date(2023, 7, 1)),
                               area="155").set_index("category_code")
    shop = table.loc["1316"]  # business burglary in Dragør: 0 → 3
    assert (shop["previous"], shop["current"]) == (0, 3)
    assert shop["change_note"].startswith("ingen procent")
    assert bool(shop["small"])


def test_status_shows_sources_gaps_and_revisions(con, tmp_path):
    import_file(con, SAMPLES / "eksempel_lang_2025-09.csv", user="a", today=TODAY)
    import_file(con, SAMPLES / "eksempel_anmeldelser_2025-11.csv", user="a", today=TODAY)
    sources = status.sources(con).set_index(["source", "period_kind"])
    assert sources.loc[("Danmarks Statistik", "Q"), "latest"] == "4. kvt. 2025"
    assert sources.loc[("Københavns Politi", "M"), "latest"] == "nov. 2025"
    gaps, missing = status.gaps(con)
    assert set(gaps["period"]) == {"okt. 2025"} and missing == 12  # Sept and Nov, no Oct: 4 areas × 3
    revised = (SAMPLES / "eksempel_lang_2025-09.csv").read_text(encoding="utf-8").replace(";122", ";125")
    path = tmp_path / "rettet.csv"
    path.write_text(revised, encoding="utf-8")
    import_file(con, path, user="b", today=TODAY)
    rev = status.revisions(con)
    assert rev[["period", "area", "old_value", "new_value"]].values.tolist() == [["2025-09", "København", 122, 125]]


def test_choices_put_the_district_first(con):
    codes, names = choices.areas(con)
    assert codes[:7] == ["pk11", "101", "147", "155", "185", "084", "000"]
    assert codes[7:18] == [f"pk{n}" for n in range(1, 13) if n != 11]   # the other police districts next
    assert names["pk11"] == "Københavns Politikreds" and names["pk2"] == "Østjyllands Politikreds"
    categories, _ = choices.categories(con)
    assert categories[:5] == ["kontaktbedrageri", "opioider", "lomme-og-tricktyveri", "1320", "12"]


def test_annotations_can_be_added_and_filtered(con):
    new = annotations.add_annotation(con, dt.date(2025, 12, 31), "Nytårsaften", user="a")
    frame = annotations.annotations(con)
    assert new in set(frame["id"]) and len(frame) == 16
    assert set(annotations.within(frame, dt.date(2025, 12, 1), dt.date(2025, 12, 31))["text"]) == {"Nytårsaften"}
    with pytest.raises(ValueError):
        annotations.add_annotation(con, dt.date(2025, 12, 31), " ", user="a")


def test_revisions_since_the_last_briefing(con, tmp_path):
    import_file(con, SAMPLES / "eksempel_lang_2025-09.csv", user="a", today=TODAY)
    revised = tmp_path / "rettet.csv"
    revised.write_text((SAMPLES / "eksempel_lang_2025-09.csv").read_text(encoding="utf-8").replace(";122", ";125"),
                       encoding="utf-8")
    import_file(con, revised, user="b", today=TODAY)
    assert status.last_briefing(con) is None
    con.execute("""INSERT INTO briefing (meeting_date, created_at, created_by, periods, file_format)
                   VALUES (DATE '2026-01-15', now()::TIMESTAMP + INTERVAL 1 MINUTE, 'a', '4. kvt. 2025', 'pdf')""")
    last = status.last_briefing(con)                  # a row written before drafts existed is a final one
    assert str(last.meeting_date) == "2026-01-15"
    assert status.revisions(con, last.created_at).empty
    assert len(status.revisions(con)) == 1


def test_rolling_windows_of_quarters_are_shown_at_their_last_month(con):
    from statistik.charts.trend import trend_figure
    trend = trends.trend(con, ["155"], ["1320"], "R", "antal")
    assert trend.data["period_start"].max() == __import__("pandas").Timestamp("2025-12-01")
    assert trend.title.endswith("dec. 2025 (løbende 12 måneder)")
    assert trends.table(trend)["Periode"].iloc[-1] == "dec. 2025"
    fig = trend_figure(trend.data.tail(2), title="t", y_title="y", source="s")
    line = next(t for t in fig.data if t.mode == "lines+markers")
    assert list(line.customdata) == ["12 mdr. til og med sep. 2025", "12 mdr. til og med dec. 2025"]


def test_a_period_is_compared_with_the_same_period_a_year_before(con):
    available = comparison.periods_available(con, "Q")
    assert comparison.year_before(available, Period("Q", dt.date(2025, 10, 1))) == Period("Q", dt.date(2024, 10, 1))
    oldest = available[-1]  # 1. kvt. 2016: nothing a year before, so the next older one (itself, the last)
    assert comparison.year_before(available, oldest) == oldest


def test_only_periods_a_source_covers_completely_are_offered(con, tmp_path):
    january = write(tmp_path / "jan.csv", "periode;kommune;kategori;antal\n2026-01;Dragør;Opioider;3\n")
    import_file(con, january, user="t", today=dt.date(2026, 2, 10))
    assert comparison.periods_available(con, "Y")[0] == Period("Y", dt.date(2025, 1, 1))   # 2026 has one month
    assert comparison.periods_available(con, "Q")[0] == Period("Q", dt.date(2025, 10, 1))
    assert comparison.periods_available(con, "M")[0] == Period("M", dt.date(2026, 1, 1))


def test_the_trend_band_is_the_comparison_s_expected_range(con):
    trend = trends.trend(con, ["pk11"], ["1320"], "Q", "antal")
    last = trend.data.dropna(subset=["expected_low"]).iloc[-1]
    assert last["period_start"] == pd.Timestamp("2025-10-01")
    row = comparison.compare(con, Q4_2025, Period("Q", dt.date(2024, 10, 1))).set_index("category_code").loc["1320"]
    assert (last["expected_low"], last["expected_high"]) == (row["expected_low"], row["expected_high"])
    assert len(trend.data.dropna(subset=["expected_low"])) == 4          # the last four quarters
    assert any("4. kvt. 2025: 398 anmeldelser, inden for det forventede" in note for note in trend.notes)
