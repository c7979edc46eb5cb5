"""All of Denmark: the district setting, the shipped mapping, and two other districts end to end.

Expected figures are summed here straight from the raw CSV files in data/, not through the store.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import TODAY
from statistik import config, districts
from statistik.briefing import assemble
from statistik.briefing.content import collect
from statistik.briefing.document import Heading, KeepTogether, Paragraph, Table
from statistik.cli import main
from test_pages import open_page, texts

ROOT = Path(__file__).resolve().parents[1]
STRAF11 = config.DATA_DIR / "straf11_2016K1-2025K4_koder.csv"
FOLK1A = config.DATA_DIR / "folk1a_2016-2025_koder.csv"
OESTJYLLAND = ["706", "707", "710", "727", "730", "741", "751"]
BORNHOLM = ["400", "411"]


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


RAW, POPULATION = _rows(STRAF11), _rows(FOLK1A)


def raw_count(areas: list[str], category: str, period: str) -> int:
    """The sum of the raw STRAF11 rows: a quarter '2025K4' or a year '2025'."""
    return sum(int(r["INDHOLD"]) for r in RAW if r["OMRÅDE"] in areas and r["OVERTRÆD"] == category
               and (r["TID"] == period or r["TID"][:4] == period))


def raw_population(areas: list[str], year: int) -> int:
    return sum(int(r["INDHOLD"]) for r in POPULATION if r["OMRÅDE"] in areas and r["TID"] == f"{year}K1")


@pytest.fixture
def oestjylland(monkeypatch):
    monkeypatch.setenv("STATISTIK_POLITIKREDS", "2")
    return districts.current()


@pytest.fixture
def bornholm(monkeypatch):
    monkeypatch.setenv("STATISTIK_POLITIKREDS", "12")
    return districts.current()


# --- the mapping and the setting ------------------------------------------------------------------------

def test_the_shipped_mapping_is_the_dagi_file():
    shared = ROOT.parent / "shared" / "data" / "geo" / districts.MAPPING_FILE
    if shared.is_file():
        assert (config.DATA_DIR / districts.MAPPING_FILE).read_bytes() == shared.read_bytes()


def test_twelve_districts_cover_every_municipality_once():
    every = [m for d in districts.all_districts() for m in d.members]
    assert len(every) == len(set(every)) == 99                  # 98 municipalities and Christiansø
    assert [d.number for d in districts.all_districts()] == list(range(1, 13))
    assert districts.by_code("pk2").members == tuple(OESTJYLLAND)
    assert districts.by_code("pk12").members == tuple(BORNHOLM)
    assert districts.by_code("pk12").municipalities == ("400",)
    assert districts.by_code("pk10").police == "Københavns Vestegns Politi"   # no number in DAGI
    assert districts.by_code("pk11").members == ("101", "147", "155", "185")


def test_regions_are_those_of_the_municipalities():
    assert districts.by_code("pk2").regions == ("082",)
    assert districts.by_code("pk3").regions == ("081", "082")   # Morsø and Thisted lie in Nordjylland
    assert districts.by_code("pk4").regions == ("082", "083")
    assert districts.by_code("pk11").regions == ("084",)


def test_the_setting_defaults_to_koebenhavn(monkeypatch):
    monkeypatch.delenv("STATISTIK_POLITIKREDS", raising=False)
    own = districts.current()
    assert (own.number, own.police, own.name, own.code) == (11, "Københavns Politi", "Københavns Politikreds", "pk11")


def test_district_names_resolve(oestjylland):
    assert districts.resolve("kreds") is oestjylland
    assert districts.resolve("Østjyllands Politikreds") is oestjylland
    assert districts.resolve("bornholms politi").number == 12
    assert districts.resolve("kbh").number == 11                 # the old code keeps meaning København
    assert districts.resolve("pk13") is None and districts.resolve("101") is None


@pytest.mark.parametrize("value", ["0", "13", "to", "2.0", "-1", "11a"])
def test_an_invalid_setting_is_refused_in_danish(monkeypatch, value):
    monkeypatch.setenv("STATISTIK_POLITIKREDS", value)
    with pytest.raises(config.SettingError, match="STATISTIK_POLITIKREDS .* skal være politikredsens nummer fra 1 til 12"):
        districts.current()
    assert config.problems() and repr(value) in config.problems()[0]


def test_the_command_line_refuses_an_invalid_setting_without_touching_the_store(monkeypatch, tmp_path, capsys):
    store = tmp_path / "ny.duckdb"
    monkeypatch.setenv("STATISTIK_DB", str(store))
    monkeypatch.setenv("STATISTIK_POLITIKREDS", "13")
    assert main(["summary", "--area", "kreds", "--category", "1320", "--period", "2025"]) == 2
    err = capsys.readouterr().err
    assert "STATISTIK_POLITIKREDS er sat til '13'" in err and "Traceback" not in err
    assert not store.exists()


def test_the_dashboard_shows_an_invalid_setting_instead_of_a_traceback(db_path, monkeypatch):
    monkeypatch.setenv("STATISTIK_POLITIKREDS", "99")
    from streamlit.testing.v1 import AppTest
    from test_pages import DASHBOARD
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    assert not at.exception
    assert "STATISTIK_POLITIKREDS er sat til '99'" in at.error[0].value


# --- Østjyllands Politi and Bornholms Politi through the command line ------------------------------------

@pytest.mark.parametrize("number, areas, category, period", [
    (2, OESTJYLLAND, "1320", "2025K4"), (2, OESTJYLLAND, "12", "2025"), (2, OESTJYLLAND, "TOT", "2024K2"),
    (12, BORNHOLM, "1336", "2025K4"), (12, BORNHOLM, "TOT", "2025"), (12, BORNHOLM, "1320", "2024"),
])
def test_summary_for_the_district_is_the_raw_sum(db_path, monkeypatch, capsys, number, areas, category, period):
    monkeypatch.setenv("STATISTIK_POLITIKREDS", str(number))
    assert main(["summary", "--area", "kreds", "--category", category, "--period", period, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    year = int(period[:4])
    previous = f"{year - 1}{period[4:]}"
    assert result["count"] == raw_count(areas, category, period)
    assert result["previous_count"] == raw_count(areas, category, previous)
    assert result["population_year"] == year
    assert result["rate_per_100k"] == pytest.approx(result["count"] / raw_population(areas, year) * 100_000)


def test_christiansoe_is_in_bornholms_total(db_path, bornholm, capsys):
    assert main(["summary", "--area", "kreds", "--category", "1336", "--period", "2025K4", "--json"]) == 0
    district = json.loads(capsys.readouterr().out)["count"]
    assert main(["summary", "--area", "400", "--category", "1336", "--period", "2025K4", "--json"]) == 0
    assert district == json.loads(capsys.readouterr().out)["count"] + 2        # Christiansø: 2 in 2025K4


def test_summary_names_the_district_in_words(db_path, oestjylland, capsys):
    assert main(["summary", "--area", "kreds", "--category", "1320", "--period", "2025K4"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Østjyllands Politikreds · Indbrud i beboelser · 4. kvt. 2025")
    assert f"Antal: {raw_count(OESTJYLLAND, '1320', '2025K4')} " in out


# --- the pages -----------------------------------------------------------------------------------------

def test_overview_is_oestjyllands_with_no_dragoer_target(db_path, oestjylland):
    at = open_page("oversigt")
    page = texts(at)
    assert "Østjyllands Politikreds: Syddjurs, Norddjurs, Favrskov, Odder, Randers, Samsø og Aarhus" in page
    assert "Dragør" not in page and "Københavns" not in page
    assert "Mål" not in [s.value for s in at.subheader]           # no targets of its own
    # The national set of focus trends, each the district's sum for 4. kvt. 2025.
    expected = {str(raw_count(OESTJYLLAND, c, "2025K4")) for c in ("1320", "12", "1316", "1332", "3210")}
    assert {m.value for m in at.metric} == expected and len(at.metric) == 5


def test_kommuner_shows_the_districts_municipalities_and_its_region(db_path, oestjylland):
    at = open_page("kommuner", {"kat": "1320", "type": "Y"})
    table = at.dataframe[0].value.set_index("Område")
    names = ["Syddjurs", "Norddjurs", "Favrskov", "Odder", "Randers", "Samsø", "Aarhus"]
    assert list(table.index[:9]) == [*names, "Østjyllands Politikreds", "Region Midtjylland"]
    assert table.loc["Østjyllands Politikreds", "Antal"] == raw_count(OESTJYLLAND, "1320", "2025")
    assert table.loc["Aarhus", "Antal"] == raw_count(["751"], "1320", "2025")
    rate = raw_count(OESTJYLLAND, "1320", "2025") / raw_population(OESTJYLLAND, 2025) * 100_000
    assert table.loc["Østjyllands Politikreds", "Pr. 100.000"] == pytest.approx(rate, abs=0.05)


def test_bornholms_kommuner_page(db_path, bornholm):
    at = open_page("kommuner", {"kat": "TOT", "type": "Y"})
    table = at.dataframe[0].value.set_index("Område")
    assert list(table.index[:3]) == ["Bornholm", "Bornholms Politikreds", "Region Hovedstaden"]
    assert table.loc["Bornholms Politikreds", "Antal"] == raw_count(BORNHOLM, "TOT", "2025")
    assert table.loc["Bornholm", "Antal"] == raw_count(["400"], "TOT", "2025")


def test_trends_default_to_the_district(db_path, oestjylland):
    at = open_page("udvikling", {"kategori": "1320", "periode": "Y"})
    assert at.multiselect[0].value == ["pk2"]
    table = at.dataframe[0].value.set_index("Periode")
    assert table.loc["2024", "Østjyllands Politikreds · Indbrud i beboelser"] == raw_count(OESTJYLLAND, "1320", "2024")


def test_an_old_link_to_kbh_still_opens_koebenhavn(db_path, oestjylland):
    at = open_page("udvikling", {"omraade": "kbh", "kategori": "1320", "periode": "Y"})
    assert at.multiselect[0].value == ["pk11"]
    table = at.dataframe[0].value.set_index("Periode")
    assert table.loc["2025", "Københavns Politikreds · Indbrud i beboelser"] == \
        raw_count(["101", "147", "155", "185"], "1320", "2025")


def test_targets_page_offers_only_the_districts_municipalities(db_path, oestjylland, monkeypatch):
    from statistik.views import choices, targets_admin
    from statistik.bootstrap import open_store
    con = open_store(db_path)
    assert choices.target_areas(con)[0] == OESTJYLLAND
    assert targets_admin.targets(con).empty                     # Dragør's target is Københavns
    with pytest.raises(ValueError, match="vælg en kommune i Østjyllands Politikreds"):
        targets_admin.add_target(con, "155", "1320", 30, "below", "", "a")
    targets_admin.add_target(con, "751", "1320", 1000, "below", "Aarhus: under 1000 indbrud", "a")
    assert list(targets_admin.targets(con)["Område"]) == ["Aarhus"]
    con.close()


# --- the briefing --------------------------------------------------------------------------------------

def _document_text(con) -> tuple[list[str], list[Table]]:
    """The briefing's paragraphs (label included) and tables, without rendering charts."""
    doc = assemble.build(collect(con, dt.date(2026, 1, 15), today=TODAY), {})

    def flat(blocks):
        for b in blocks:
            yield from flat(b.blocks) if isinstance(b, KeepTogether) else [b]
    blocks = list(flat(doc.blocks))
    paragraphs = [(b.label or "") + b.text for b in blocks if isinstance(b, Paragraph)]
    headings = [b.text for b in blocks if isinstance(b, Heading)]
    return paragraphs + headings, [b for b in blocks if isinstance(b, Table)]


def test_oestjyllands_briefing_speaks_of_oestjylland(con, oestjylland):
    paragraphs, tables = _document_text(con)
    text = "\n".join(paragraphs)
    assert "Østjyllands Politikreds (Syddjurs, Norddjurs, Favrskov, Odder, Randers, Samsø og Aarhus)" in text
    assert "Københavns" not in text and "Dragør" not in text
    now, before = raw_count(OESTJYLLAND, "1320", "2025K4"), raw_count(OESTJYLLAND, "1320", "2024K4")
    assert f"Indbrud i beboelser steg fra {before} i 4. kvt. 2024 til {now} i 4. kvt. 2025" in text
    burglary = next(t for t in tables if t.rows and t.rows[-1][0] == "Østjyllands Politikreds"
                    and t.header[1] == "4. kvt. 2025")
    assert [r[0] for r in burglary.rows] == ["Syddjurs", "Norddjurs", "Favrskov", "Odder", "Randers", "Samsø",
                                             "Aarhus", "Østjyllands Politikreds"]
    assert burglary.rows[-1][1:3] == [str(now), str(before)]
    assert any("Østjyllands Politikreds er summen af de syv kommuner." in n for n in burglary.notes)
    assert "Mål" not in paragraphs                             # no targets chapter: the district has none


def test_bornholms_briefing_counts_christiansoe(con, bornholm):
    paragraphs, tables = _document_text(con)
    text = "\n".join(paragraphs)
    assert "Bornholms Politikreds (Bornholm og Christiansø)" in text
    assert "Kredsens tal er summen af Bornholm og Christiansø og vises kun, når Bornholm har tal" in text
    trend_tables = [t for t in tables if t.rows and t.rows[-1][0] == "Bornholms Politikreds"]
    assert len(trend_tables) == 5
    for t in trend_tables:
        assert [r[0] for r in t.rows] == ["Bornholm", "Christiansø", "Bornholms Politikreds"]
    burglary = trend_tables[0]                                  # the first focus trend
    assert burglary.rows[-1][1:3] == [str(raw_count(BORNHOLM, "1320", "2025K4")),
                                      str(raw_count(BORNHOLM, "1320", "2024K4"))]


def test_copenhagens_events_stay_in_koebenhavn(con, monkeypatch):
    from statistik.views import annotations
    monkeypatch.setenv("STATISTIK_POLITIKREDS", "11")
    assert "Distortion" in set(annotations.annotations(con)["text"])
    monkeypatch.setenv("STATISTIK_POLITIKREDS", "2")
    assert set(annotations.annotations(con)["text"]) == {
        "Skærpede regler om opioider og elektronisk fodlænke træder i kraft", "Kommunalvalg"}


def test_oestjyllands_word_briefing(con, oestjylland):
    import io

    import docx

    from statistik.briefing import briefing_bytes
    document = docx.Document(io.BytesIO(briefing_bytes(con, dt.date(2026, 1, 15), "docx", today=TODAY)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Politikreds:\tØstjyllands Politikreds (Syddjurs, Norddjurs, Favrskov, Odder, Randers, Samsø og Aarhus)" in text
    assert "Københavns" not in text and "Distortion" not in text
    assert len(document.inline_shapes) == 5                     # a chart per focus trend, no target chart
