"""Kort: the shipped simplified DAGI map, rates for all 98 municipalities, the district outlined, hidden
counts drawn as 'skjult', and a click or a choice that opens the municipality's trend."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

from statistik import geo
from statistik.charts import maps as map_chart
from statistik.views import maps
from test_pages import open_page

ROOT = Path(__file__).resolve().parents[1]
DAGI = ROOT.parent / "shared" / "data" / "geo"
sys.path.insert(0, str(ROOT / "scripts"))
import build_map  # noqa: E402


@pytest.fixture(scope="module")
def dagi():
    if not (DAGI / "kommuner.geojson").exists():
        pytest.skip("DAGI-filerne i ../shared/data/geo/ findes ikke her")
    source = json.loads((DAGI / "kommuner.geojson").read_text(encoding="utf-8"))
    parts = {}
    for f in source["features"]:
        parts.setdefault(f["properties"]["KOMKODE"][-3:], []).append(shapely.force_2d(shape(f["geometry"])))
    return {code: shapely.union_all(p) for code, p in parts.items()}


def test_the_shipped_map_is_small_and_has_every_dagi_municipality(dagi):
    assert geo.MAP_FILE.stat().st_size < 400 * 1024
    shipped = {f["id"]: shape(f["geometry"]) for f in geo.municipalities()["features"]}
    assert set(shipped) == set(dagi) and len(shipped) == 99       # 98 municipalities and Christiansø
    for code, original in dagi.items():
        simple = shipped[code]
        if original.area * build_map.KM2_PER_DEG2 > 5:              # Christiansø is a few rocks
            assert abs(simple.area - original.area) / original.area < 0.15, code
        assert simple.centroid.distance(original.centroid) < 0.03, code   # about 2 km
        assert original.buffer(0.02).contains(simple.representative_point()), code


def test_the_script_rebuilds_exactly_the_shipped_file(dagi):
    assert json.loads(json.dumps(build_map.build(DAGI))) == geo.municipalities()


def test_municipalities_are_in_their_dagi_police_districts():
    districts = geo.police_districts()
    assert sorted(districts[11]) == ["101", "147", "155", "185"]
    assert sorted(districts[12]) == ["400", "411"]
    assert sum(len(m) for m in districts.values()) == 99


def test_each_municipality_is_clicked_at_a_point_inside_it_and_inside_no_other():
    """The map's hover and click point of a municipality lies in it, not in a hole of it (København's bounding
    box has its middle in Frederiksberg) nor in a neighbour."""
    import numpy as np
    features = {f["id"]: geo.polygons(f["geometry"]) for f in geo.municipalities()["features"]}
    for code, (lon, lat) in geo.inner_points().items():
        point = np.array([[lon, lat]])
        holders = {other for other, polygons in features.items()
                   if any(geo.contains(polygon, point)[0] for polygon in polygons)}
        assert holders == {code}, (code, holders)


def test_the_outline_leaves_out_borders_inside_the_group():
    lons, lats = geo.outline(["101", "147"])
    outline = {tuple(sorted(((a, b), (c, d)))) for a, b, c, d in zip(lons[::3], lats[::3], lons[1::3], lats[1::3])}
    alone = {tuple(sorted(((a, b), (c, d)))) for a, b, c, d in
             zip(*(v[::3] for v in geo.outline(["147"])), *(v[1::3] for v in geo.outline(["147"])))}
    # Frederiksberg lies inside København: none of its border is on the outline of the two together.
    assert outline and not (outline & alone)


def test_rates_for_all_98_municipalities_from_the_real_figures(con):
    latest = maps.map_rates(con, "1320")
    assert latest.label == "1. kvt. 2025 – 4. kvt. 2025" and len(latest.data) == 98
    dragor = latest.data.set_index("area_code").loc["155"]
    assert (dragor["count"], round(dragor["rate"], 1), dragor["population_year"]) == (24, 166.1, 2025)
    year = maps.map_rates(con, "1320", "2024").data.set_index("area_code").loc["155"]
    assert round(year["rate"], 1) == 185.3
    assert maps.years(con, "1320")[:2] == [2025, 2024]


def test_hidden_counts_are_skjult_never_zero(con):
    view = maps.map_rates(con, "1320", "2024", hide_below=10)
    rows = view.data.set_index("name")
    assert rows.loc["Fanø", "hidden"] and rows.loc["Fanø", "rate"] is not None
    assert str(rows.loc["Fanø", "rate"]) == "<NA>" and str(rows.loc["Fanø", "count"]) == "<NA>"
    assert not rows.loc["Læsø", "hidden"] and rows.loc["Læsø", "count"] == 0        # a real 0 is shown
    table = maps.table(view).set_index("Kommune")
    assert table.loc["Fanø", "Antal"] == "skjult" and table.loc["Fanø", "Pr. 100.000"] == "skjult"
    fig = map_chart.map_figure(view.data, title="t", source="Kilde: x", district_name="Kreds",
                               district=["101", "147", "155", "185"])
    points = next(t for t in fig.data if t.name == map_chart.POINTS)
    fano = list(points.customdata[:, 1]).index("Fanø")
    assert points.text[fano] == "skjult"
    fills = {t.name: t.fillcolor for t in fig.data if t.fill == "toself"}
    assert fills[rows.loc["Fanø", "area_code"]] == map_chart.HIDDEN_COLOR
    assert map_chart.HIDDEN_NAME in {t.name for t in fig.data}


def test_the_outline_follows_the_district_setting(con, monkeypatch):
    monkeypatch.setenv("STATISTIK_POLITIKREDS", "12")
    page = maps.page(con, maps.map_rates(con, "1320"), "Indbrud i beboelser", police_districts=False)
    outline = next(t for t in page.figure.data if t.name == "Bornholms Politikreds")
    xs = [x for x in outline.x if x is not None]
    assert 14.6 * 0.55 < min(xs) and max(xs) < 15.2 * 0.57        # Bornholm, not Copenhagen


def test_the_map_page_shows_the_map_the_table_and_the_attribution(db_path):
    at = open_page("kort", {"kat": "1320", "kortperiode": "2024"})
    table = at.dataframe[0].value.set_index("Kommune")
    assert len(table) == 98 and round(table.loc["Dragør", "Pr. 100.000"], 1) == 185.3
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    notes = [a["text"] for a in spec["layout"]["annotations"]]
    assert "Kort: Styrelsen for Dataforsyning og Infrastruktur (DAGI)" in notes
    assert at.get("plotly_chart")[0].proto.alt.startswith("Kort: Indbrud i beboelser pr. 100.000 indbyggere, 2024.")
    assert "mapbox" not in json.dumps(spec) and "topojson" not in json.dumps(spec)     # no tiles, no CDN


def test_choosing_a_municipality_opens_its_trend(db_path):
    at = open_page("kort", {"kat": "1320"})
    next(s for s in at.selectbox if s.label == "Se udviklingen for en kommune").set_value("185")
    next(b for b in at.button if b.label == "Vis udvikling").click().run()
    assert at.title[0].value == "Udvikling over tid"
    assert at.multiselect[0].value == ["185"] and at.multiselect[1].value == ["1320"]
