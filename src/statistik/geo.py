"""The shipped map of the municipalities (simplified DAGI boundaries) and outlines of groups of them.

`data/kommuner_forenklet.geojson` is built by `scripts/build_map.py` as a coverage: neighbouring
municipalities share identical border vertices. The outline of any group (the police district of the
setting, or each of the 12 districts) is therefore the set of edges that belong to exactly one
municipality of the group; no geometry library is needed at run time.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from functools import cache

from statistik import config

MAP_FILE = config.DATA_DIR / "kommuner_forenklet.geojson"
ATTRIBUTION = "Kort: Styrelsen for Dataforsyning og Infrastruktur (DAGI)"


@cache
def municipalities() -> dict:
    """The GeoJSON FeatureCollection, one feature per municipality, `id` = DST code ('101')."""
    return json.loads(MAP_FILE.read_text(encoding="utf-8"))


def codes() -> set[str]:
    """DST codes of the municipalities on the map."""
    return {f["id"] for f in municipalities()["features"]}


def police_districts() -> dict[int, list[str]]:
    """Police district number → its municipalities, as DAGI draws them."""
    out: dict[int, list[str]] = {}
    for f in municipalities()["features"]:
        if f["properties"]["politikreds"] is not None:
            out.setdefault(f["properties"]["politikreds"], []).append(f["id"])
    return out


def _rings(geometry: dict) -> Iterable[list]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    for polygon in polygons:
        yield from polygon


def outline(members: Iterable[str]) -> tuple[list[float | None], list[float | None]]:
    """Longitudes and latitudes of the group's outer border, segments separated by None (for a line trace)."""
    wanted = set(members)
    edges: Counter = Counter()
    for f in municipalities()["features"]:
        if f["id"] not in wanted:
            continue
        for ring in _rings(f["geometry"]):
            for a, b in zip(ring, ring[1:]):
                edges[tuple(sorted((tuple(a), tuple(b))))] += 1
    lons: list[float | None] = []
    lats: list[float | None] = []
    for (a, b), n in edges.items():
        if n == 1:
            lons += [a[0], b[0], None]
            lats += [a[1], b[1], None]
    return lons, lats
