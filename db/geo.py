"""Outlines for the map and the geometry on them: projection, point in polygon, viewports.

The outlines are Natural Earth 4.1's (its 2018 view of borders, not a statement on disputed
ones), simplified per zoom level by scripts/build_geo.py into db/data/geo.json.gz. The
projection is equirectangular with a cos(latitude) correction at the view's centre. A braille
dot is half a terminal cell wide and a quarter of it high, and a cell is about twice as high as
it is wide, so a dot is square: one scale (degrees of latitude per dot) serves both axes.
"""

from __future__ import annotations

import gzip
import json
import math
import threading
from dataclasses import dataclass
from functools import cache
from importlib import resources

Ring = tuple[tuple[float, float], ...]
BBox = tuple[float, float, float, float]
"""(west, south, east, north) in degrees."""

DOTS_X, DOTS_Y = 2, 4
"""Braille dots per terminal cell."""
FINE_BELOW = 0.12
"""Degrees per dot under which the finer (1:50m) outlines are drawn."""
MIN_SCALE, MAX_SCALE = 0.005, 6.0
"""Degrees per dot at the closest and the farthest zoom."""


@dataclass(frozen=True, slots=True)
class Shape:
    """A country or a first-level region: polygons of rings (the first ring outer, then holes)."""

    name: str
    country: str
    iso: int | None
    polygons: tuple[tuple[Ring, ...], ...]
    bbox: BBox
    label: tuple[float, float] | None = None
    plain: tuple[tuple[BBox, tuple[Ring, ...]], ...] = ()
    """The polygons whose outer ring does not cross ±180°, with that ring's box: what
    `contains` tests (found once: the map asks for every region-only group on every draw)."""

    def contains(self, lon: float, lat: float) -> bool:
        west, south, east, north = self.bbox
        if not (west <= lon <= east and south <= lat <= north):
            return False
        for (west, south, east, north), polygon in self.plain:
            if not (west <= lon <= east and south <= lat <= north):
                continue
            if point_in_ring(lon, lat, polygon[0]) and not any(
                point_in_ring(lon, lat, hole) for hole in polygon[1:]
            ):
                return True
        return False

    @property
    def main_bbox(self) -> BBox:
        """The bounding box of the largest polygon (France without its overseas parts)."""
        plain = [p for p in self.polygons if not _wraps(p[0])] or list(self.polygons)
        biggest = max(plain, key=lambda p: _bbox_area(_bbox(p[0])))
        return _bbox(biggest[0])


class Geo:
    """The packaged outlines, each level decoded on first use: the world view needs only the
    coarse one (decoding the fine one too took 21 of the map's first 45 ms)."""

    def __init__(self, data: dict) -> None:
        self._data = data
        self._lock = threading.Lock()  # the map's count and cursor workers both draw on it
        self._countries: dict[str, tuple[Shape, ...]] = {}
        self._admin1: tuple[Shape, ...] | None = None

    def countries(self, level: str) -> tuple[Shape, ...]:
        """Per level ("coarse", "fine")."""
        shapes = self._countries.get(level)  # decoded: no lock (the screen draws from it)
        if shapes is None:
            with self._lock:
                shapes = self._countries.get(level)
                if shapes is None:
                    quantum = self._data["quantum"]
                    items = self._data["countries"][level]
                    shapes = tuple(_shape(c, c["name"], quantum) for c in items)
                    self._countries[level] = shapes
        return shapes

    @property
    def admin1(self) -> tuple[Shape, ...]:
        shapes = self._admin1
        if shapes is None:
            with self._lock:
                shapes = self._admin1
                if shapes is None:
                    quantum = self._data["quantum"]
                    shapes = tuple(_shape(a, a["country"], quantum) for a in self._data["admin1"])
                    self._admin1 = shapes
        return shapes


def point_in_ring(lon: float, lat: float, ring: Ring) -> bool:
    """Even-odd ray casting; points exactly on an edge may fall either way."""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _wraps(ring: Ring) -> bool:
    """Whether a ring crosses ±180° (a Fiji or Chukotka sliver): its inside is not its box's."""
    return any(abs(ring[i][0] - ring[i - 1][0]) > 180 for i in range(1, len(ring)))


def _bbox(ring: Ring) -> BBox:
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    return (min(xs), min(ys), max(xs), max(ys))


def _bbox_area(b: BBox) -> float:
    return (b[2] - b[0]) * (b[3] - b[1])


def _decode(rings: list[list[int]], quantum: float) -> tuple[Ring, ...]:
    out = []
    for ring in rings:
        x = y = 0
        points = []
        for i in range(0, len(ring), 2):
            x += ring[i]
            y += ring[i + 1]
            points.append((x * quantum, y * quantum))
        out.append(tuple(points))
    return tuple(out)


def _shape(item: dict, country: str, quantum: float) -> Shape:
    polygons = tuple(_decode(p, quantum) for p in item["polygons"])
    boxes = [_bbox(p[0]) for p in polygons]
    bbox = (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
    label = tuple(item["label"]) if item.get("label") else None
    plain = tuple((box, p) for box, p in zip(boxes, polygons, strict=True) if not _wraps(p[0]))
    return Shape(item["name"], country, item.get("iso"), polygons, bbox, label, plain)  # type: ignore[arg-type]


@cache
def load_geo() -> Geo:
    """The packaged outlines (read once, about 15 ms; each level decoded when first drawn)."""
    raw = (resources.files("db") / "data" / "geo.json.gz").read_bytes()
    return Geo(json.loads(gzip.decompress(raw)))


def country_at(lon: float, lat: float) -> Shape | None:
    for shape in load_geo().countries("fine"):
        if shape.contains(lon, lat):
            return shape
    return None


def admin1_at(lon: float, lat: float) -> Shape | None:
    for shape in load_geo().admin1:
        if shape.contains(lon, lat):
            return shape
    return None


def admin1_shape(country: str | None, name: str | None) -> Shape | None:
    for shape in load_geo().admin1:
        if shape.name == name and (country is None or shape.country == country):
            return shape
    return None


@dataclass(frozen=True, slots=True)
class Viewport:
    """What the map shows: a centre, a scale (degrees of latitude per dot) and a size in cells."""

    lon: float
    lat: float
    scale: float
    width: int
    height: int

    @property
    def stretch(self) -> float:
        """cos(latitude) at the centre: degrees of longitude per dot = scale / stretch."""
        return max(math.cos(math.radians(self.lat)), 0.2)

    @property
    def dot_lon(self) -> float:
        return self.scale / self.stretch

    @property
    def dot_lat(self) -> float:
        return self.scale

    @property
    def dots(self) -> tuple[int, int]:
        return self.width * DOTS_X, self.height * DOTS_Y

    @property
    def west(self) -> float:
        return self.lon - self.dots[0] * self.dot_lon / 2

    @property
    def north(self) -> float:
        return self.lat + self.dots[1] * self.dot_lat / 2

    @property
    def bbox(self) -> BBox:
        w, h = self.dots
        return (self.west, self.north - h * self.dot_lat, self.west + w * self.dot_lon, self.north)

    @property
    def level(self) -> str:
        return "fine" if self.scale < FINE_BELOW else "coarse"

    def to_dot(self, lon: float, lat: float) -> tuple[float, float]:
        """Dot coordinates (x right, y down), fractional; the dot is their floor."""
        return (lon - self.west) / self.dot_lon, (self.north - lat) / self.dot_lat

    def dot_center(self, x: int, y: int) -> tuple[float, float]:
        return self.west + (x + 0.5) * self.dot_lon, self.north - (y + 0.5) * self.dot_lat

    def cell_bbox(self, cx: int, cy: int) -> BBox:
        west = self.west + cx * DOTS_X * self.dot_lon
        north = self.north - cy * DOTS_Y * self.dot_lat
        return (west, north - DOTS_Y * self.dot_lat, west + DOTS_X * self.dot_lon, north)

    def zoomed(self, factor: float) -> Viewport:
        scale = min(MAX_SCALE, max(MIN_SCALE, self.scale * factor))
        return Viewport(self.lon, self.lat, scale, self.width, self.height)

    def panned(self, cells_x: float, cells_y: float) -> Viewport:
        lon = self.lon + cells_x * DOTS_X * self.dot_lon
        lat = min(85.0, max(-85.0, self.lat - cells_y * DOTS_Y * self.dot_lat))
        lon = (lon + 180.0) % 360.0 - 180.0
        return Viewport(lon, lat, self.scale, self.width, self.height)

    def resized(self, width: int, height: int) -> Viewport:
        return Viewport(self.lon, self.lat, self.scale, width, height)


def fit(bbox: BBox, width: int, height: int, margin: float = 0.08) -> Viewport:
    """The closest view showing all of `bbox` in `width` x `height` cells."""
    west, south, east, north = bbox
    lat = (south + north) / 2
    lon = (west + east) / 2
    stretch = max(math.cos(math.radians(lat)), 0.2)
    dots_x, dots_y = max(width, 1) * DOTS_X, max(height, 1) * DOTS_Y
    span_x = max(east - west, 0.05) * stretch * (1 + 2 * margin)
    span_y = max(north - south, 0.05) * (1 + 2 * margin)
    scale = max(span_x / dots_x, span_y / dots_y)
    scale = min(MAX_SCALE, max(MIN_SCALE, scale))
    return Viewport(lon, lat, scale, width, height)


WORLD: BBox = (-170.0, -58.0, 180.0, 78.0)
