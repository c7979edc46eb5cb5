"""What a briefing says, from the real police_store, before anything is rendered: periods, sentences, tables, log."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from conftest import SAMPLES, TODAY, write
from statistik import districts, publications
from statistik.briefing import assemble, sentences
from statistik.briefing.cells import CellBook
from statistik.briefing.content import BriefingError, collect
from statistik.briefing.sections import AreaRow, Figures
from statistik.briefing.tables import overview_table, trend_table
from statistik.ingest import import_file
from statistik.periods import Period

MEETING = dt.date(2026, 1, 15)
AREAS = ["101", "147", "155", "185"]
KBH = districts.by_code("pk11")




@pytest.fixture(scope="module")
def latest(police_store):
    return collect(police_store, MEETING, today=TODAY)


def section(briefing, category):
    return next(s for s in briefing.sections if s.trend.category == category)


def test_default_periods_are_the_latest_of_each_source(latest):
    assert latest.periods_text() == "4. kvt. 2025 (Danmarks Statistik); sep. 2025 (Københavns Politi)"
    [dst, police] = latest.sources
    assert (dst.source, dst.latest.label, police.latest.label) == ("Danmarks Statistik", "4. kvt. 2025", "sep. 2025")


def test_burglary_summary_sentence_has_direction_size_chance_and_expected_range(latest):
    burglary = section(latest, "1320")
    assert burglary.figures.source == "Danmarks Statistik"
    # +66,5 % is p = 0,11 once the district's normal year-to-year swings are allowed for (φ ≈ 15).
    assert sentences.section_sentences(burglary) == [
        "Indbrud i beboelser steg fra 239 i 4. kvt. 2024 til 398 i 4. kvt. 2025 (+66,5 %).",
        "Stigningen kan skyldes tilfældig variation.",
        "Antallet ligger inden for det forventede ud fra samme kvartal de foregående år (120–549).",
    ]


def test_the_issues_example_is_no_longer_called_significant(con):
    """'Andre tyverier steg (+5,5 %) … større end tilfældig variation' came from the exact Poisson test (p = 0,010):
    the shipped briefing, before police figures are uploaded."""
    text = sentences.section_sentences(section(collect(con, MEETING), "lomme-og-tricktyveri"))
    assert text[1] == "Den bredere kategori Andre tyverier steg fra 4.526 i 4. kvt. 2024 til 4.776 i 4. kvt. 2025 (+5,5 %)."
    assert text[2] == "Stigningen kan skyldes tilfældig variation."
    assert not any("større end tilfældig variation" in t for t in text)


def test_the_dragoer_target_sentence(latest):
    [cells] = latest.targets
    assert sentences.target_sentences(cells)[0] == \
        "Dragør nåede partnerskabsmålet: 24 indbrud i de seneste 12 måneder (mål: under 30)."
    assert cells.window_label == "1. kvt. 2025 – 4. kvt. 2025"
    assert [y for y, _ in cells.years][-3:] == [2023, 2024, 2025]


def test_the_target_falls_back_to_a_complete_year_of_another_source(con, tmp_path):
    """Police burglaries for 2026-01…10 have no complete 12 months: the target is DST's 2025, not 'mangler tal'."""
    rows = [f"2026-{m:02d};{town};Indbrud i beboelser;{n}" for m in range(1, 11)
            for town, n in (("København", 30), ("Frederiksberg", 5), ("Dragør", 2), ("Tårnby", 4))]
    import_file(con, write(tmp_path / "politi.csv", "periode;kommune;kategori;antal\n" + "\n".join(rows) + "\n"),
                user="t", today=TODAY)
    [cells] = collect(con, dt.date(2026, 12, 1)).targets
    assert cells.book.source == "Danmarks Statistik"
    assert sentences.target_sentences(cells) == [
        "Dragør nåede partnerskabsmålet: 24 indbrud i de seneste 12 måneder (mål: under 30).",
        "Opgjort for 1. kvt. 2025 – 4. kvt. 2025."]
    chosen = collect(con, dt.date(2026, 12, 1), period="2025K4").targets[0]
    assert (chosen.book.source, chosen.count) == ("Danmarks Statistik", 24)


def test_police_figures_without_last_year_say_so(latest):
    [text] = sentences.section_sentences(section(latest, "kontaktbedrageri"))
    assert text == ("Kontaktbedrageri: 155 i sep. 2025 (Københavns Politi). "
                    "Der er ingen tal for sep. 2024 at sammenligne med.")


def test_a_chosen_quarter_overrides_the_focus_period_and_a_fall_is_called_so(police_store):
    b = collect(police_store, MEETING, period="2025K2")
    assert sentences.section_sentences(section(b, "1320"))[0] == \
        "Indbrud i beboelser faldt fra 280 i 2. kvt. 2024 til 226 i 2. kvt. 2025 (−19,3 %)."
    # Police figures are monthly and only for September: no second quarter, so the broader DST category.
    pickpocketing = section(b, "lomme-og-tricktyveri")
    assert pickpocketing.empty and pickpocketing.context.name == "Andre tyverier"
    text = sentences.section_sentences(pickpocketing, "2. kvt. 2025")
    assert text[0] == "Lomme- og tricktyveri: ingen tal for 2. kvt. 2025."
    assert text[1].startswith("Den bredere kategori Andre tyverier faldt fra 4.140 i 2. kvt. 2024 til 3.912")


def test_a_chosen_year_sums_the_quarters(police_store):
    b = collect(police_store, MEETING, period="2025")
    burglary = section(b, "1320").figures
    assert burglary.period == Period("Y", dt.date(2025, 1, 1))
    assert burglary.book.count(burglary.district.current) == 1155
    assert burglary.district.rolling is None                     # a year is its own 12 months


def test_a_chosen_month_uses_the_police_figures(police_store):
    b = collect(police_store, MEETING, period="2025-09")
    burglary = section(b, "1320").figures
    assert burglary.source == "Københavns Politi"               # DST quarters are never cut into months
    assert burglary.book.count(burglary.district.current) == 52 + 11 + 4 + 7


def test_an_unknown_period_or_threshold_is_refused_in_danish(police_store):
    with pytest.raises(BriefingError, match="Ukendt periode"):
        collect(police_store, MEETING, period="2025Q9x")
    with pytest.raises(BriefingError, match="mindst 2"):
        collect(police_store, MEETING, suppress_below=1)


def test_without_police_figures_the_sections_say_so_briefly(con):
    b = collect(con, MEETING)
    assert sentences.section_sentences(section(b, "kontaktbedrageri")) == \
        ["Kontaktbedrageri: ingen tal endnu (politiets egne tal er ikke uploadet)."]
    opioids = sentences.section_sentences(section(b, "opioider"))
    assert opioids[1].startswith("Den bredere kategori Lov om euforiserende stoffer")
    overview = overview_table(b.sections)
    assert ["Kontaktbedrageri", "–", "–", "–", "–", "–", "–", "ingen tal"] in overview.rows
    assert any(r[0] == "Andre tyverier (bredere kategori)" for r in overview.rows)


def test_trend_table_by_municipality(latest):
    table = trend_table(section(latest, "1320").figures)
    assert table.header[:5] == ["Område", "4. kvt. 2025", "4. kvt. 2024", "Ændring", "Ændring i %"]
    rows = {r[0]: r for r in table.rows}
    assert rows["Københavns Politikreds"][1:6] == ["398", "239", "+159", "+66,5 %", "1.155"]
    assert rows["Dragør"][1:5] == ["10", "6", "+4", "–"]                # no percent when a count is under 10
    assert table.bold_rows == {4}
    assert table.source == "Kilde: Danmarks Statistik (STRAF11, FOLK1A), egne beregninger"


def test_never_a_percent_on_a_base_of_zero(latest):
    violence = {r[0]: r for r in trend_table(section(latest, "12").figures).rows}
    assert violence["Dragør"][1:5] == ["11", "0", "+11", "–"]


def test_suppressed_tables_hide_the_small_count_and_enough_others_with_one_mark(police_store):
    b = collect(police_store, MEETING, period="2025K3", suppress_below=5)
    table = trend_table(section(b, "1320").figures)
    rows = {r[0]: r for r in table.rows}
    assert rows["Dragør"][1] == "skjult"                           # 3 burglaries in 3. kvt. 2025
    assert rows["Københavns Politikreds"][1] == "262"
    assert rows["Dragør"][3:5] == ["skjult", "skjult"]             # change and percent of a hidden count
    column = [r[1] for r in table.rows[:-1]]
    assert column.count("skjult") >= 3                             # 2 complements: ±5 for each hidden cell
    assert not any("<5" in c for r in table.rows for c in r)
    assert any("«skjult»" in n for n in table.notes)
    text = " ".join(sentences.section_sentences(section(b, "1320")))
    assert "262" in text                                          # the district's own count is large


def synthetic(current: int, previous: int) -> Figures:
    from statistik.metrics.district import with_district
    frame = pd.DataFrame([
        {"period_kind": "Q", "period_start": pd.Timestamp(day), "area_code": area, "category_code": "x",
         "source": "Danmarks Statistik", "count": count}
        for day, total in (("2024-10-01", previous), ("2025-10-01", current))
        for area, count in zip(AREAS, [total, 0, 0, 0])
    ])
    book = CellBook("x", "Danmarks Statistik", with_district(frame, KBH), KBH)
    q4 = dt.date(2025, 10, 1)
    rows = [AreaRow(a, a, (a, q4, 3), (a, dt.date(2024, 10, 1), 3), None, None) for a in [*AREAS, "pk11"]]
    return Figures("x", "X", book, Period("Q", q4), rows)


def test_unchanged_small_and_zero_base_sentences():
    # One reference year (40 the year before) and no history to learn from: STRAF11's curve gives the range.
    assert sentences.change_sentences(synthetic(40, 40), "Røverier") == \
        ["Røverier er uændret: 40 i både 4. kvt. 2024 og 4. kvt. 2025.",
         "Antallet ligger inden for det forventede ud fra samme kvartal de foregående år (7–95)."]
    small = sentences.change_sentences(synthetic(3, 0), "Røverier")
    assert small[0] == "Røverier steg fra 0 i 4. kvt. 2024 til 3 i 4. kvt. 2025."   # no percent on 0
    assert "få tilfælde" in small[-1]
    hidden = synthetic(3, 12)
    hidden.book.suppression.below = 5
    hidden.book.suppression.hidden = {r.current for r in hidden.rows}
    [text] = sentences.change_sentences(hidden, "Røverier")
    assert text.startswith("Røverier: et skjult antal i 4. kvt. 2025")
    assert " 3 " not in text


def final(con, meeting, below=None) -> int:
    return publications.record(con, meeting=meeting, created_by="t", periods="x", suppress_below=below,
                               file_format="pdf", organisation="x", members=AREAS)


def test_revisions_since_the_previous_final_briefing(con, tmp_path):
    import_file(con, SAMPLES / "eksempel_lang_2025-09.csv", user="t", today=TODAY)
    assert "Ingen tal er revideret." in assemble.build(collect(con, MEETING), {}).texts()
    entry = final(con, dt.date(2025, 11, 20))
    now = collect(con, MEETING)
    assert now.previous.id == entry
    assert "Ingen tal er revideret siden forrige bilag." in assemble.build(now, {}).texts()

    revised = write(tmp_path / "rettelse.csv", "periode;kommune;kategori;antal\n2025-09;Tårnby;Opioider;7\n")
    import_file(con, revised, user="a", today=TODAY)
    after = collect(con, MEETING, suppress_below=5)
    [revision] = after.revisions
    assert (revision.area_name, revision.old, revision.new) == ("Tårnby", 2, 7)
    texts = assemble.build(after, {}).texts()
    i = texts.index("Revisioner siden forrige bilag")
    assert texts[i + 9:i + 13] == ["sep. 2025", "Tårnby", "Opioider", "skjult"]    # 2 was never printed
    assert not any("rettelse.csv" in t for t in texts)                              # the data in words
    assert any(t.startswith("Siden forrige bilag") and "fra Københavns Politi" in t for t in texts)

    # The same meeting again (the Word file after the PDF) still reports the changes since the one before.
    final(con, MEETING, 5)
    assert collect(con, MEETING).previous.id == entry


def test_a_draft_writes_nothing_and_a_drafts_meeting_does_not_count_as_previous(con):
    from conftest import table_contents
    before = table_contents(con)
    collect(con, MEETING, suppress_below=5)
    assert table_contents(con) == before
    assert collect(con, MEETING).previous is None
