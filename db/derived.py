"""Whether a table derived from the incidents (an index) still matches them.

Each index is rebuilt with the incidents table (`db.seed.order_incidents`) and records how many
incidents it was built from; a database changed by other means then falls back to scanning.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from db.rows import scalar

if TYPE_CHECKING:
    import duckdb

ROW_BLOCK = 1 << 16
"""Rowids per block (in physical, date order) of region_blocks and search_blocks; the
chronology's pager counts matches per block of the same size."""


def stamp_rows(con: duckdb.DuckDBPyConnection, key: str) -> None:
    """Record how many incidents the derived table under `key` was built from."""
    rows = scalar(con.execute("SELECT count(*) FROM incidents"))
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, str(rows)])


OVERLAY_KEY = "coding_overlay"
"""In meta, with the number of incidents, when coding is merged in (db/overlay.py)."""


def stamp_matches(con: duckdb.DuckDBPyConnection, key: str) -> bool:
    """Whether the incidents still number what the derived table under `key` was built from.

    Over coding the number is the overlay's (counting its view scans every row: ~0.1 s at 10M).
    """
    rows = dict(
        con.execute(
            "SELECT key, value FROM meta WHERE key IN (?, ?)", [key, OVERLAY_KEY]
        ).fetchall()
    )
    if key not in rows:
        return False
    if OVERLAY_KEY in rows:
        return bool(rows[key] == rows[OVERLAY_KEY])
    return bool(rows[key] == str(scalar(con.execute("SELECT count(*) FROM incidents"))))
