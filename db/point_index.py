"""Incident counts per point and per block of rows, so the map need not scan every incident.

The map counts incidents per braille dot of its view. Incidents sit at far fewer points than
there are incidents (a gazetteer's places: hundreds of thousands at most), so this table holds,
for each block of ROW_BLOCK rowids, each place (the region index's columns: a region filter is
answered too), each status and each point, how many incidents are there: about as many rows as
the region index. A filter of region and status conditions only is answered from it exactly,
the same GROUP BY per dot over far fewer rows. Rebuilt with the region index whenever the table
is re-ordered (db.seed.order_incidents); see db/derived.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from db.derived import ROW_BLOCK, stamp_matches, stamp_rows
from db.region_index import PLACE_COLUMNS

if TYPE_CHECKING:
    import duckdb

STAMP_KEY = "point_index_rows"


def build_point_index(con: duckdb.DuckDBPyConnection) -> None:
    places = ", ".join(PLACE_COLUMNS)
    con.execute(
        "CREATE OR REPLACE TABLE point_blocks AS "
        f"SELECT rowid // {ROW_BLOCK} AS block, {places}, geo_precision, longitude, latitude, "
        "count(*) AS n FROM incidents GROUP BY ALL"
    )
    stamp_rows(con, STAMP_KEY)


def point_index_is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether point_blocks matches the incidents (False when absent: an older database)."""
    return stamp_matches(con, STAMP_KEY)
