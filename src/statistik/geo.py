"""The shipped map of the municipalities (simplified DAGI boundaries) and outlines of groups of them.

`data/kommuner_forenklet.geojson` is built by `scripts/build_map.py` as a coverage: neighbouring
municipalities share identical border vertices. The outline of any group (the police district of the
setting, or each of the 12 districts) is therefore the set of edges that belong to exactly one
municipality of the group; no geometry library is needed at run time.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable
from functools import cache

import numpy as np

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


@cache
def inner_points() -> dict[str, tuple[float, float]]:
    """A point (longitude, latitude) inside each municipality's largest piece, well away from its borders: where
    the map puts its hover text and click. The middle of a bounding box can lie outside the municipality
    (København's lies in Frederiksberg, a hole in it)."""
    return {f["id"]: _inner_point(max(polygons(f["geometry"]), key=_area)) for f in municipalities()["features"]}


def polygons(geometry: dict) -> list[list]:
    """The polygons of a Polygon or MultiPolygon: each its outer ring, then its holes."""
    return geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]


def _area(polygon: list) -> float:
    ring = np.asarray(polygon[0], dtype=float)
    return abs(float(np.dot(ring[:-1, 0], ring[1:, 1]) - np.dot(ring[1:, 0], ring[:-1, 1]))) / 2


def contains(polygon: list, points: np.ndarray) -> np.ndarray:
    """Which of `points` (n x 2: longitude, latitude) lie inside `polygon` (its outer ring, not its holes)."""
    inside = np.zeros(len(points), dtype=bool)
    px, py = points[:, 0:1], points[:, 1:2]
    for ring in polygon:
        r = np.asarray(ring, dtype=float)
        a, b = r[:-1], r[1:]                       # GeoJSON rings are closed
        spans = (a[:, 1] > py) != (b[:, 1] > py)
        with np.errstate(divide="ignore", invalid="ignore"):
            crossing_x = a[:, 0] + (py - a[:, 1]) * (b[:, 0] - a[:, 0]) / (b[:, 1] - a[:, 1])
        inside ^= (spans & (px < crossing_x)).sum(axis=1) % 2 == 1
    return inside


def _inner_point(polygon: list, steps: int = 24) -> tuple[float, float]:
    """Of a grid over the polygon, the point inside it farthest from its edges (in km-like units)."""
    outer = np.asarray(polygon[0], dtype=float)
    (x0, y0), (x1, y1) = outer.min(axis=0), outer.max(axis=0)
    gx, gy = np.meshgrid(np.linspace(x0, x1, steps + 2)[1:-1], np.linspace(y0, y1, steps + 2)[1:-1])
    points = np.column_stack([gx.ravel(), gy.ravel()])
    points = points[contains(polygon, points)]
    if not len(points):
        return float((x0 + x1) / 2), float((y0 + y1) / 2)
    scale = np.array([math.cos(math.radians((y0 + y1) / 2)), 1.0])   # a degree of longitude is shorter
    nearest = np.full(len(points), np.inf)
    for ring in polygon:
        r = np.asarray(ring, dtype=float) * scale
        a, d = r[:-1], r[1:] - r[:-1]
        p = points[:, None, :] * scale - a
        t = np.clip((p * d).sum(axis=2) / np.maximum((d * d).sum(axis=1), 1e-18), 0, 1)
        nearest = np.minimum(nearest, np.linalg.norm(p - t[..., None] * d, axis=2).min(axis=1))
    best = points[int(nearest.argmax())]
    return float(best[0]), float(best[1])


def _rings(geometry: dict) -> Iterable[list]:
    for polygon in polygons(geometry):
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
