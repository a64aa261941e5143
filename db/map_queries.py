"""What the map asks of the store: incidents per braille dot of a viewport, in one scan.

DuckDB counts per dot (GROUP BY the dot's column and row); the map never loops over incidents.
The same scan counts what cannot be drawn as a dot, so nothing is silently dropped: incidents
without coordinates, those outside the view, and those located only to their region
(geo_precision 3), which the map draws at the region instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from db.geo import BBox, Viewport
from db.point_index import point_index_is_current
from db.queries import (
    REGION_LEVELS,
    Filter,
    count_incidents,
    is_region_only,
    settle_statuses,
    stored_statuses,
    summary_source,
    where,
    where_settled,
)

if TYPE_CHECKING:
    import duckdb

REGION_ONLY = 3
"""geo_precision of an incident located only to its region."""


@dataclass(frozen=True, slots=True)
class RegionOnly:
    """Incidents known only to their region, at one point (ACLED puts them at its centre);
    drawn at the label point of the packaged region holding it, if any."""

    incidents: int
    lon: float
    lat: float


@dataclass(frozen=True, slots=True)
class MapCounts:
    dots: dict[tuple[int, int], int] = field(default_factory=dict)
    """Incidents per dot (x, y) of the viewport."""
    region_only: tuple[RegionOnly, ...] = ()
    unplaced: int = 0
    """Incidents without coordinates."""
    outside: int = 0
    """Incidents with coordinates outside the viewport."""
    proposed: dict[tuple[int, int], int] = field(default_factory=dict)
    """Proposed (not confirmed) incidents per dot of the viewport, drawn apart."""

    @property
    def total(self) -> int:
        return (
            sum(self.dots.values())
            + sum(r.incidents for r in self.region_only)
            + (self.unplaced + self.outside + sum(self.proposed.values()))
        )

    def proposed_cells(self) -> dict[tuple[int, int], int]:
        out: dict[tuple[int, int], int] = {}
        for (x, y), n in self.proposed.items():
            key = (x // 2, y // 4)
            out[key] = out.get(key, 0) + n
        return out

    def cells(self) -> dict[tuple[int, int], int]:
        """Incidents per terminal cell (2x4 dots)."""
        out: dict[tuple[int, int], int] = {}
        for (x, y), n in self.dots.items():
            key = (x // 2, y // 4)
            out[key] = out.get(key, 0) + n
        return out


def map_counts(con: duckdb.DuckDBPyConnection, f: Filter, view: Viewport) -> MapCounts:
    """Per-dot counts for the viewport, and the counts of what is not a dot.

    The dots: one GROUP BY on the dot's column and row, rows outside the view's box skipped
    early. Then two small aggregates: without coordinates and placed (those outside the view
    are the placed ones not in a dot), and the region-only ones by point. One query with a
    CASE per row for all of it was slower at 10M (2.0 s against 1.5 s on a loaded machine).
    """
    f = settle_statuses(con, f)
    proposals = "proposed" in stored_statuses(con) and (
        f.statuses is None or "proposed" in f.statuses
    )
    table, weight, clause, params = _source(con, f)
    w, h = view.dots
    west, south, east, north = view.bbox
    dl, dt_ = view.dot_lon, view.dot_lat
    placed = (
        "latitude IS NOT NULL AND longitude IS NOT NULL "
        f"AND geo_precision IS DISTINCT FROM {REGION_ONLY}"
    )
    # a box one dot wider than the view: a cheap first cut; the dot's column and row decide
    box = "longitude >= ? AND longitude <= ? AND latitude >= ? AND latitude <= ?"
    cond = f"{clause} AND {placed} AND {box}" if clause else f"WHERE {placed} AND {box}"
    status = ", status = 'proposed' AS proposed" if proposals else ", false AS proposed"
    sql = (
        "SELECT dx, dy, proposed, " + weight + " FROM ("
        "SELECT CAST(floor((longitude - ?) / ?) AS INTEGER) AS dx, "
        f"CAST(floor((? - latitude) / ?) AS INTEGER) AS dy{status}"
        f"{', n' if weight != 'count(*)' else ''} FROM {table} {cond}) "
        "WHERE dx BETWEEN 0 AND ? AND dy BETWEEN 0 AND ? GROUP BY ALL"
    )
    args = [
        west,
        dl,
        north,
        dt_,
        *params,
        west - dl,
        east + dl,
        south - dt_,
        north + dt_,
        w - 1,
        h - 1,
    ]
    dots: dict[tuple[int, int], int] = {}
    proposed: dict[tuple[int, int], int] = {}
    for dx, dy, is_proposed, n in con.execute(sql, args).fetchall():
        (proposed if is_proposed else dots)[(dx, dy)] = int(n)
    total = (
        "SELECT coalesce(" + weight + " FILTER (WHERE latitude IS NULL "
        "OR longitude IS NULL), 0), coalesce(" + weight + f" FILTER (WHERE {placed}), 0) "
        f"FROM {table} {clause}"
    )
    unplaced, placed_total = (int(v) for v in con.execute(total, params).fetchall()[0])
    # region-only incidents sit at their region's centre: grouped by point, named after
    only = f"geo_precision = {REGION_ONLY} AND latitude IS NOT NULL AND longitude IS NOT NULL"
    rest = (
        f"SELECT round(longitude, 2), round(latitude, 2), {weight} FROM {table} "
        f"{clause + ' AND ' if clause else 'WHERE '}{only} GROUP BY ALL"
    )
    region_only = [
        RegionOnly(int(n), float(lon), float(lat))
        for lon, lat, n in con.execute(rest, params).fetchall()
    ]
    region_only.sort(key=lambda r: (-r.incidents, r.lon, r.lat))
    outside = placed_total - sum(dots.values()) - sum(proposed.values())
    return MapCounts(dots, tuple(region_only), unplaced, outside, proposed)


def _source(con: duckdb.DuckDBPyConnection, f: Filter) -> tuple[str, str, str, list[Any]]:
    """Where to count, how, and the WHERE clause that selects `f` there.

    The point index for region and status filters; for a search, type, actor or date filter
    its summary (db/match_summary.py: one scan shared with the other panes, at the same grain
    as the point index); every row only for an out-of-date index.
    """
    if not is_region_only(f):
        table, clause, params = summary_source(con, f)
        return table, "sum(n)", clause, params
    clause, params = where(f)
    if point_index_is_current(con):
        return "point_blocks", "sum(n)", clause, params
    return "incidents", "count(*)", clause, params


def filter_extent(con: duckdb.DuckDBPyConnection, f: Filter) -> BBox | None:
    """The box holding every matching incident with coordinates (None when there is none)."""
    table, _, clause, params = _source(con, settle_statuses(con, f))
    cond = "latitude IS NOT NULL AND longitude IS NOT NULL"
    cond = f"{clause} AND {cond}" if clause else f"WHERE {cond}"
    row = con.execute(
        f"SELECT min(longitude), min(latitude), max(longitude), max(latitude) FROM {table} {cond}",
        params,
    ).fetchone()
    if row is None or row[0] is None:
        return None
    return (float(row[0]), float(row[1]), float(row[2]), float(row[3]))


@dataclass(frozen=True, slots=True)
class PlaceCount:
    country: str | None
    admin1: str | None
    location: str | None
    incidents: int


def places_in(
    con: duckdb.DuckDBPyConnection, f: Filter, box: BBox, limit: int = 3
) -> list[PlaceCount]:
    """The places with most matching incidents inside `box` (west <= lon < east, ...)."""
    table, weight, clause, params = _source(con, settle_statuses(con, f))
    cond = "longitude >= ? AND longitude < ? AND latitude > ? AND latitude <= ?"
    cond = f"{clause} AND {cond}" if clause else f"WHERE {cond}"
    west, south, east, north = box
    rows = con.execute(
        f"SELECT country, admin1, location, {weight} AS n FROM {table} {cond} "
        "GROUP BY ALL ORDER BY n DESC, location LIMIT ?",
        [*params, west, east, south, north, limit],
    ).fetchall()
    return [PlaceCount(c, a, loc, int(n)) for c, a, loc, n in rows]


def country_for_iso(con: duckdb.DuckDBPyConnection, iso: int) -> str | None:
    """The country name the data uses for an ISO 3166 numeric code (spellings differ)."""
    row = con.execute(
        "SELECT country FROM incidents WHERE iso = ? AND country IS NOT NULL LIMIT 1", [iso]
    ).fetchone()
    return row[0] if row else None


@dataclass(frozen=True, slots=True)
class IncidentPoint:
    event_id: str
    lon: float | None
    lat: float | None
    geo_precision: int | None
    country: str | None
    admin1: str | None


def incident_point(
    con: duckdb.DuckDBPyConnection, event_id: str, event_date: dt.date | None = None
) -> IncidentPoint | None:
    """Where one incident is; the date turns a full scan into a seek (see get_incident)."""
    cols = "event_id, longitude, latitude, geo_precision, country, admin1"
    row = None
    if event_date is not None:
        row = con.execute(
            f"SELECT {cols} FROM incidents WHERE event_date = ? AND event_id = ?",
            [event_date, event_id],
        ).fetchone()
    if row is None:
        row = con.execute(f"SELECT {cols} FROM incidents WHERE event_id = ?", [event_id]).fetchone()
    return IncidentPoint(*row) if row else None


def date_span(con: duckdb.DuckDBPyConnection, f: Filter) -> tuple[dt.date, dt.date] | None:
    """First and last date of the filter's incidents (the range `space` plays through)."""
    clause, params = where_settled(con, f)
    row = con.execute(
        f"SELECT min(event_date), max(event_date) FROM incidents {clause}", params
    ).fetchone()
    if row is None or row[0] is None:
        return None
    return row[0], row[1]


def count_region(con: duckdb.DuckDBPyConnection, f: Filter, path: tuple[str, ...]) -> int:
    """Matches of `f` in the region of a tree path, whatever region `f` itself names."""
    parts = (*path, None, None, None, None)[: len(REGION_LEVELS)]
    return count_incidents(con, f.without_places().with_region(*parts))
