"""Every page under AppTest, with the real store and with an empty one: what the user sees."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import shown
from statistik import uploads
from statistik.bootstrap import open_store

DASHBOARD = str(Path(__file__).resolve().parents[1] / "dashboard.py")
PAGES = ["oversigt", "udvikling", "kommuner", "kort", "sammenligning", "bilag", "datastatus", "om_data"]


def open_page(page: str, query: dict | None = None) -> AppTest:
    """Run the dashboard and switch to one page."""
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    if query:
        at.query_params.update(query)
    at.run()
    if page != "oversigt":
        at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def empty_store(db_path):
    """The seeded store with the shipped figures undone: reference data, no figures."""
    con = open_store(db_path)
    for upload_id in (2, 1):
        uploads.undo(con, upload_id, user="test", allow_shipped=True)
    con.close()
    return db_path


def texts(at: AppTest) -> str:
    """Everything written on the page, as one string (Markdown's backslash escapes taken off, as shown)."""
    parts = [e.value for kind in ("markdown", "caption", "info", "warning", "success", "title", "subheader")
             for e in getattr(at, kind)]
    return "\n".join(shown(str(p)) for p in parts)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_an_empty_store(empty_store, page):
    at = open_page(page)
    assert at.title


def test_overview_cards_show_the_latest_quarter_and_the_target(db_path):
    at = open_page("oversigt")
    metrics = {m.value for m in at.metric}
    assert {"398", "1.133", "24"} <= metrics  # burglary, violence (2025K4), Dragør 12 months
    page = texts(at)
    assert "Samme periode året før: 239" in page
    assert "Målet er **nået**" in page
    assert "Ingen tal endnu." in page and "Andre tyverier 4. kvt. 2025: 4.776" in page


def test_overview_on_an_empty_store_says_how_to_add_figures(empty_store):
    at = open_page("oversigt")
    assert not at.metric
    assert texts(at).count("Ingen tal endnu.") == 5


def test_trends_page_follows_the_filters_in_the_link(db_path):
    at = open_page("udvikling", {"omraade": "155", "kategori": "1320", "periode": "Y", "maal": "rate"})
    assert at.dataframe, texts(at)
    table = at.dataframe[0].value.set_index("Periode")
    assert round(float(table.loc["2024", "Dragør · Indbrud i beboelser"]), 1) == 185.3
    assert "FOLK1A 2016–2025" in texts(at)


def test_trends_filters_survive_moving_between_pages(db_path):
    at = open_page("udvikling", {"omraade": "155", "kategori": "1320", "periode": "Y"})
    at.switch_page("app_pages/oversigt.py").run()
    at.switch_page("app_pages/udvikling.py").run()
    assert at.multiselect[0].value == ["155"]
    assert at.query_params["omraade"] in ("155", ["155"])


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_a_store_without_population(db_path, page):
    """The shipped FOLK1A undone (an analyst may): the figures are there, the rates cannot be."""
    con = open_store(db_path)
    uploads.undo(con, 2, user="test", allow_shipped=True)
    con.close()
    at = open_page(page, {"kat": "1320"})
    assert at.title
    if page == "kommuner":
        assert "intet folketal" in texts(at)


def test_municipalities_page_shows_rates_with_population_year(db_path):
    at = open_page("kommuner", {"kat": "1320", "type": "Y"})
    table = at.dataframe[0].value.set_index("Område")
    assert table.loc["Dragør", "Antal"] == 24
    assert round(table.loc["Dragør", "Pr. 100.000"], 1) == 166.1
    assert table.loc["København", "I forhold til landet"] == "måske under landsniveau"
    assert "Folketal 1. januar 2025 (FOLK1A)" in texts(at)


def test_comparison_page_lists_every_category_with_the_test(db_path):
    at = open_page("sammenligning", {"omr": "kbh", "type": "Y", "p": "2025", "foer": "2024"})
    table = at.dataframe[0].value.set_index("Kategori")
    assert len(table) == 8
    assert (table.loc["Indbrud i beboelser", "2024"], table.loc["Indbrud i beboelser", "2025"]) == (959, 1155)
    assert table.loc["Indbrud i beboelser", "Vurdering"] == "Stigningen kan skyldes tilfældig variation"
    assert table.loc["Indbrud i beboelser", "Forventet niveau"].endswith("inden for det forventede")
    assert "Af de 8 vurderinger ventes 0,4" in texts(at)


def test_data_status_lists_sources_and_imports(db_path):
    at = open_page("datastatus")
    sources = at.dataframe[0].value
    assert sources.iloc[0]["Kilde"] == "Danmarks Statistik" and sources.iloc[0]["Seneste periode"] == "4. kvt. 2025"
    imports = at.dataframe[-1].value
    assert list(imports["Fil"]) == ["folk1a_2016-2025_koder.csv", "straf11_2016K1-2025K4_koder.csv"]


def test_about_page_cites_the_source_and_lists_the_annotations(db_path):
    at = open_page("om_data")
    assert "Kilde: Danmarks Statistik (STRAF11, FOLK1A)" in texts(at)
    assert "Distortion" in set(at.dataframe[0].value["Tekst"])


def test_briefing_page_offers_a_draft_for_the_meeting(db_path):
    at = open_page("bilag")
    assert "Lav udkast" in {b.label for b in at.button}
    assert "Der er endnu ikke gjort et bilag endeligt." in texts(at)
    at.date_input[0].set_value(__import__("datetime").date(2026, 1, 15)).run()
    assert "**Bilag til mødet 15. januar 2026**, tal under 5 skjult" in texts(at)

def test_a_page_draws_a_figure_once_while_what_it_shows_is_the_same(db_path, monkeypatch):
    """Plotly figures are kept per arguments (`components.figure`): a second run draws nothing, a
    different period draws again, and the figure shown is the same."""
    from statistik.charts import comparison as charts
    drawn = []
    real = charts.change_figure
    monkeypatch.setattr(charts, "change_figure", lambda *a, **k: drawn.append(k["width"]) or real(*a, **k))
    at = open_page("sammenligning", {"p": "2023", "foer": "2022"})
    first = len(drawn)
    assert first >= 2 and None in drawn                     # wide and phone layouts of each source
    shown = [c.proto.spec for c in at.get("plotly_chart")]
    at.run()
    assert len(drawn) == first and [c.proto.spec for c in at.get("plotly_chart")] == shown
    at.selectbox[2].set_value("2024").run()
    assert len(drawn) > first
