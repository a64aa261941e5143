"""Build db/data/geo.json.gz, the outlines rasd's map draws, from ../shared/geo (run by hand).

    python scripts/build_geo.py [--shared ../shared] [--out db/data/geo.json.gz]

Inputs: Natural Earth 4.1 country outlines as TopoJSON (world-atlas 2.0.2, 1:110m and 1:50m;
decoded here: quantized, delta-encoded arcs shared between countries) and Natural Earth's
admin-1 regions of Mali (GeoJSON). Every ring is simplified with Douglas-Peucker for each zoom
level and stored as delta-encoded integers of QUANTUM degrees, so the wheel carries about a
hundred kilobytes instead of the 860 KB of the sources.

Natural Earth is public domain; world-atlas's packaging is ISC (Copyright 2013-2019 Michael
Bostock; see the README's credits and ../shared/geo/SOURCES.md).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
from pathlib import Path
from typing import Any

from db.safe_write import atomic_writer

REPO = Path(__file__).resolve().parents[1]
QUANTUM = 0.01
"""Degrees per stored unit: about 1.1 km, finer than a braille dot at the closest zoom."""
LEVELS = {
    # name: (source scale, Douglas-Peucker tolerance in degrees)
    "coarse": ("110m", 0.25),
    "fine": ("50m", 0.04),
}
ADMIN1_TOLERANCE = 0.015
# Natural Earth's English names for Mali's regions -> ACLED's (rasd's canonical admin1)
ADMIN1_NAMES = {"Timbuktu": "Tombouctou", "Ségou": "Segou"}

Ring = list[tuple[float, float]]


def decode_topology(topo: dict[str, Any]) -> list[tuple[str, int | None, list[list[Ring]]]]:
    """(name, ISO numeric id, polygons as lists of rings) for each country of a TopoJSON file."""
    scale_x, scale_y = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs: list[Ring] = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # delta-encoded, quantized positions
            x += dx
            y += dy
            points.append((x * scale_x + tx, y * scale_y + ty))
        arcs.append(points)

    def ring(indexes: list[int]) -> Ring:
        out: Ring = []
        for i in indexes:
            points = arcs[i] if i >= 0 else arcs[~i][::-1]  # ~i: the arc reversed
            out.extend(points if not out else points[1:])  # arcs share their end points
        return out

    countries = []
    for geometry in topo["objects"]["countries"]["geometries"]:
        kind = geometry.get("type")
        if kind == "Polygon":
            polygons = [[ring(r) for r in geometry["arcs"]]]
        elif kind == "MultiPolygon":
            polygons = [[ring(r) for r in polygon] for polygon in geometry["arcs"]]
        else:
            continue
        iso = geometry.get("id")
        name = geometry.get("properties", {}).get("name", "")
        countries.append((name, int(iso) if iso and str(iso).isdigit() else None, polygons))
    return countries


def simplify(points: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker, iterative; the first and last points are kept."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        worst, at = 0.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if length == 0:
                d = math.hypot(px - ax, py - ay)
            else:
                d = abs(dy * (px - ax) - dx * (py - ay)) / length
            if d > worst:
                worst, at = d, i
        if at >= 0 and worst > tolerance:
            keep[at] = True
            stack.append((first, at))
            stack.append((at, last))
    return [p for p, k in zip(points, keep, strict=True) if k]


def encode_ring(points: Ring, tolerance: float) -> list[int] | None:
    """Simplified, quantized, delta-encoded [x0, y0, dx1, dy1, ...]; None when it vanishes."""
    simple = simplify(points, tolerance)
    out: list[int] = []
    px = py = 0
    previous: tuple[int, int] | None = None
    for lon, lat in simple:
        q = (round(lon / QUANTUM), round(lat / QUANTUM))
        if q == previous:
            continue
        out.extend((q[0] - px, q[1] - py))
        px, py = q
        previous = q
    return out if len(out) >= 8 else None  # fewer than 4 points: smaller than the tolerance


def encode_polygons(polygons: list[list[Ring]], tolerance: float) -> list[list[list[int]]]:
    out = []
    for polygon in polygons:
        rings = [encode_ring(r, tolerance) for r in polygon]
        if rings and rings[0] is not None:  # an outer ring too small drops its holes too
            out.append([r for r in rings if r is not None])
    return out


def read_admin1(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    regions = []
    for feature in data["features"]:
        props, geometry = feature["properties"], feature["geometry"]
        if geometry["type"] == "Polygon":
            polygons = [geometry["coordinates"]]
        else:
            polygons = geometry["coordinates"]
        rings = [[[(x, y) for x, y in r] for r in polygon] for polygon in polygons]
        name = ADMIN1_NAMES.get(props["name"], props["name"])
        regions.append(
            {
                "name": name,
                "country": "Mali",
                "label": [props["longitude"], props["latitude"]],
                "polygons": encode_polygons(rings, ADMIN1_TOLERANCE),
            }
        )
    return regions


def build(shared: Path) -> dict[str, Any]:
    world = shared / "geo" / "world"
    levels: dict[str, list[dict[str, Any]]] = {}
    for level, (scale, tolerance) in LEVELS.items():
        topo = json.loads((world / f"countries-{scale}.json").read_text(encoding="utf-8"))
        countries = []
        for name, iso, polygons in decode_topology(topo):
            encoded = encode_polygons(polygons, tolerance)
            if encoded:
                countries.append({"name": name, "iso": iso, "polygons": encoded})
        levels[level] = countries
    return {
        "about": "Natural Earth 4.1 (public domain) via world-atlas 2.0.2 (ISC, (c) 2013-2019 "
        "Michael Bostock); Mali admin-1 from Natural Earth 1:10m. Built by scripts/build_geo.py.",
        "quantum": QUANTUM,
        "tolerance": {level: tol for level, (_, tol) in LEVELS.items()},
        "countries": levels,
        "admin1": read_admin1(shared / "geo" / "mali-admin1.naturalearth.geojson"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--out", type=Path, default=REPO / "db" / "data" / "geo.json.gz")
    args = parser.parse_args()
    data = json.dumps(build(args.shared), separators=(",", ":"), ensure_ascii=False)
    # mtime=0: the same inputs give the same bytes (a rebuild shows no spurious diff)
    payload = gzip.compress(data.encode("utf-8"), compresslevel=9, mtime=0)
    with atomic_writer(args.out) as fh:
        fh.write(payload)
    print(f"{args.out}: {len(payload):,} bytes ({len(data):,} uncompressed)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
