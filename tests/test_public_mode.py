"""The public dashboard (STATISTIK_OFFENTLIG=1): visitors see only figures a final public briefing printed."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from streamlit.testing.v1 import AppTest

from statistik import publications
from statistik.bootstrap import open_store
from statistik.briefing import disclose
from statistik.briefing.content import collect
from statistik.views import published, status, trends
from test_pages import DASHBOARD
from test_upload_page import logged_in, users  # noqa: F401  (fixture)

MEETING = dt.date(2025, 11, 20)


def publish(con, period="2025K3", below=5):
    """A final public briefing recorded as the Bilag page would (without rendering the file)."""
    b = collect(con, MEETING, period=period, suppress_below=below, final=True)
    cells, figures = disclose.published_cells(b.books)
    publications.record(con, meeting=MEETING, created_by="kim", periods=b.periods_text(), suppress_below=below,
                        file_format="pdf", organisation="x", members=b.books.members, cells=cells, figures=figures)
    return b


@pytest.fixture
def public_store(db_path, monkeypatch):
    """The seeded store with one public final briefing (3. kvt. 2025, under 5 hidden), in public mode."""
    con = open_store(db_path)
    b = publish(con)
    con.close()
    monkeypatch.setenv("STATISTIK_OFFENTLIG", "1")
    return db_path, b


def printed(b) -> dict[tuple, int]:
    """(area, period start) → value of every burglary quarter the briefing printed."""
    book = next(s.figures.book for s in b.sections if s.figures and s.figures.category == "1320")
    return {(area, day): book.count((area, day, 3)) for (area, day, months) in book.published
            if months == 3 and not book.suppression.hides((area, day, 3))}


def test_without_publications_a_visitor_sees_no_figure(con):
    with published.only_published(con):
        trend = trends.trend(con, ["155", "kbh"], ["1320"], "Q", "antal")
    assert trend.data["value"].isna().all()


def test_a_visitor_sees_exactly_the_published_quarters_and_the_rest_as_gaps(public_store):
    db_path, b = public_store
    con = open_store(db_path)
    shown = printed(b)
    with published.only_published(con):
        trend = trends.trend(con, ["101", "147", "155", "185", "pk11"], ["1320"], "Q", "antal")
    codes = {"København": "101", "Frederiksberg": "147", "Dragør": "155", "Tårnby": "185",
             "Københavns Politikreds": "pk11"}
    seen = 0
    for row in trend.data.itertuples():
        key = (codes[row.series.split(" · ")[0]], row.period_start.date())
        if math.isnan(row.value):
            assert key not in shown or shown[key] is None
        else:
            assert shown.get(key) == row.value, key          # never a figure the briefing did not print
            seen += 1
    assert seen >= 40
    dragoer_q3 = [r for r in trend.data.itertuples() if r.series.startswith("Dragør")
                  and r.period_start.date() == dt.date(2025, 7, 1)]
    assert math.isnan(dragoer_q3[0].value)                    # 3 burglaries: hidden, a gap, not 0
    con.close()


def test_revisions_on_datastatus_show_only_published_values(public_store, tmp_path):
    db_path, _ = public_store
    con = open_store(db_path)
    from statistik.ingest import import_file
    fix = tmp_path / "ret.csv"
    fix.write_text("periode;kommune;kategori;antal\n2025K3;Dragør;Indbrud i beboelser;4\n"
                   "2025K3;København;Indbrud i beboelser;200\n", encoding="utf-8")
    import_file(con, fix, user="a", source="Danmarks Statistik")
    with published.only_published(con):
        frame = status.revisions(con)
    rows = {r.area_code: r for r in frame.itertuples()}
    assert rows["155"].old_value is __import__("pandas").NA        # 3 was hidden, 4 was never printed
    assert rows["101"].new_value is __import__("pandas").NA and not __import__("pandas").isna(rows["101"].old_value)
    con.close()


def test_the_trend_page_hides_to_visitors_and_shows_analysts_everything(public_store, users):
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.query_params.update({"omraade": ["155"], "kategori": ["1320"], "periode": "Q"})
    at.run()
    at.switch_page("app_pages/udvikling.py").run()
    assert not at.exception
    visitor = at.dataframe[0].value
    column = next(c for c in visitor.columns if "Dragør" in c)
    q3 = visitor["Periode"] == "3. kvt. 2025"
    assert visitor.loc[q3, column].isna().all()                # hidden: missing, never 0
    assert visitor[column].notna().sum() >= 3                   # the printed quarters are there
    analyst = logged_in("kim")
    analyst.query_params.update({"omraade": ["155"], "kategori": ["1320"], "periode": "Q"})
    analyst.switch_page("app_pages/udvikling.py").run()
    table = analyst.dataframe[0].value
    assert table.loc[table["Periode"] == "3. kvt. 2025", column].tolist() == [3]


def test_a_missing_cell_reads_as_the_hidden_mark_in_public_mode(con):
    from statistik import formatting
    assert formatting.cell(None) == "–"
    with published.only_published(con):
        assert formatting.cell(None) == "skjult" and formatting.cell(float("nan"), "int") == "skjult"
        assert formatting.cell(12, "int") == "12"
    assert formatting.cell(None) == "–"


@pytest.mark.parametrize("page", ["oversigt", "udvikling", "kommuner", "sammenligning", "datastatus", "om_data"])
def test_every_page_runs_for_a_visitor_of_a_public_dashboard(public_store, page):
    from test_pages import open_page
    at = open_page(page)
    assert at.title and not at.exception


def test_a_briefing_from_before_the_district_setting_still_publishes_the_district(public_store):
    db_path, _ = public_store
    con = open_store(db_path)
    before = publications.shown_figures(con)
    assert any(key[2] == "pk11" for key in before)
    con.execute("UPDATE publication_cell SET area_code = 'kbh' WHERE area_code = 'pk11'")  # as it was recorded then
    assert publications.shown_figures(con) == before
    con.close()
