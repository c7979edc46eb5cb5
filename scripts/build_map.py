"""Rebuild data/kommuner_forenklet.geojson from the DAGI boundaries in ../shared/data/geo/.

    python scripts/build_map.py [GEO_DIR]

The 311 DAGI polygons (islands are separate features) become one (multi)polygon per municipality,
simplified as a coverage with shapely's coverage_simplify (GEOS): neighbours keep one shared,
identically simplified border, so the map has no gaps or overlaps and a district's outline can be
found as the edges that only one of its municipalities has. Coordinates are rounded to 4 decimals
(about 10 m); islands smaller than MIN_AREA_KM2 are dropped unless they are all a municipality has.
Each feature carries its DST code (`kode`, '101'), `navn` and its police district (`politikreds`).
"""

from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "kommuner_forenklet.geojson"
TOLERANCE = 0.004          # degrees (about 250–450 m): a few hundred KB for the whole country
DECIMALS = 4
MIN_AREA_KM2 = 0.6
KM2_PER_DEG2 = 111.32 * 111.32 * 0.57          # at 55–56° N


def _round(geometry):
    return shapely.set_precision(geometry, 10 ** -DECIMALS, mode="pointwise")


def _polygons(geometry) -> list[Polygon]:
    return list(geometry.geoms) if isinstance(geometry, MultiPolygon) else [geometry]


def build(geo_dir: Path) -> dict:
    """The simplified FeatureCollection, one feature per municipality, sorted by code."""
    source = json.loads((geo_dir / "kommuner.geojson").read_text(encoding="utf-8"))
    parts: dict[str, list[Polygon]] = defaultdict(list)
    names: dict[str, str] = {}
    for feature in source["features"]:
        code = feature["properties"]["KOMKODE"][-3:]
        names[code] = feature["properties"]["KOMNAVN"]
        parts[code].append(shapely.force_2d(shape(feature["geometry"])))
    districts = {}
    with open(geo_dir / "politikredse_kommuner.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter=";"):
            districts[row["kommune_kode"].zfill(3)[-3:]] = int(row["politikreds_nr"])
    codes = sorted(parts)
    merged = [shapely.make_valid(shapely.union_all(parts[c])) for c in codes]
    polygons = [p for m in merged for p in _polygons(m) if isinstance(p, Polygon)]
    owner = [c for c, m in zip(codes, merged) for p in _polygons(m) if isinstance(p, Polygon)]
    simplified = shapely.coverage_simplify(polygons, TOLERANCE)
    by_code: dict[str, list[Polygon]] = defaultdict(list)
    for code, original, simple in zip(owner, polygons, simplified):
        if simple.is_empty:
            continue
        by_code[code].append((original.area * KM2_PER_DEG2, simple))
    features = []
    for code in codes:
        pieces = sorted(by_code[code], key=lambda p: -p[0])
        kept = [s for area, s in pieces if area >= MIN_AREA_KM2] or [pieces[0][1]]
        geometry = _round(MultiPolygon([q for s in kept for q in _polygons(s)]))
        features.append({"type": "Feature", "id": code,
                         "properties": {"kode": code, "navn": names[code], "politikreds": districts.get(code)},
                         "geometry": mapping(geometry)})
    return {"type": "FeatureCollection",
            "attribution": "Kort: Styrelsen for Dataforsyning og Infrastruktur (DAGI)",
            "features": features}


def main(argv: list[str]) -> None:
    geo_dir = Path(argv[0]) if argv else ROOT.parent / "shared" / "data" / "geo"
    collection = build(geo_dir)
    OUT.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(collection['features'])} kommuner, {OUT.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main(sys.argv[1:])
