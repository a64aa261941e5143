"""Incident counts per place and per block of rows, so region counts need not scan every row.

Counting the incidents of one region at ten million rows scans the whole table (20-40 ms), and
both expanding a node of the region tree and filtering by a region do it. This table holds, for
each block of ROW_BLOCK rowids (in physical order) and each place (country, admin1, admin2,
location, location_ar), how many incidents and deaths it has: about 90,000 rows at ten million
incidents. A filter made only of region conditions is answered from it exactly. It is rebuilt
whenever the table is re-ordered (`db.seed.order_incidents`); see db/derived.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from db.columns import SORT_COLUMNS, sort_table
from db.derived import ROW_BLOCK, known_fact, stamp_matches, stamp_rows

if TYPE_CHECKING:
    import duckdb


PLACE_COLUMNS = ("country", "admin1", "admin2", "location", "location_ar", "status")
"""The places, and the status: a filter on status (proposals shown or not) is answered too."""
STAMP_KEY = "region_index_rows"


def build_region_index(con: duckdb.DuckDBPyConnection) -> None:
    places = ", ".join(PLACE_COLUMNS)
    con.execute(
        "CREATE OR REPLACE TABLE region_blocks AS "
        f"SELECT rowid // {ROW_BLOCK} AS block, {places}, count(*) AS n, "
        "coalesce(sum(fatalities), 0) AS deaths "
        f"FROM incidents GROUP BY ALL ORDER BY {places}, block"
    )
    con.execute(
        "INSERT OR REPLACE INTO meta SELECT 'statuses', coalesce(string_agg(DISTINCT status, ',' "
        "ORDER BY status), '') FROM region_blocks"
    )
    stamp_rows(con, STAMP_KEY)


BLOCK_TABLES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "region_blocks": (STAMP_KEY, PLACE_COLUMNS, ("n", "deaths"), ("1", "coalesce(fatalities, 0)")),
    "point_blocks": (
        "point_index_rows",
        (*PLACE_COLUMNS, "geo_precision", "longitude", "latitude"),
        ("n",),
        ("1",),
    ),
    **{
        sort_table(key): ("sort_index_rows", columns, ("n",), ("1",))
        for key, columns in SORT_COLUMNS.items()
    },
}
"""The tables counting rows per block (this one, db/point_index.py's, db/sort_index.py's): their
stamp, the columns they count by, their sums and what one row adds to each."""
CORRECTED_COLUMNS = tuple(
    dict.fromkeys(
        [*(c for _, columns, _, _ in BLOCK_TABLES.values() for c in columns), "fatalities"]
    )
)
"""What a row counted for in them: kept for the rows that coding or appended rows replace."""


def write_corrected(
    con: duckdb.DuckDBPyConnection,
    table: str,
    source: str,
    removed: tuple[str, str],
    added: tuple[str, str],
) -> None:
    """`table` (one of BLOCK_TABLES) as `source`'s (a database name) with the rows of one
    relation taken out and those of another put in, each named with the column holding its
    row number: how coding (db/overlay.py) and rows appended beside a large file
    (db/importers/appending.py) keep the index instead of scanning every row."""
    _, columns, sums, ones = BLOCK_TABLES[table]
    keys = ", ".join(columns)
    minus = ", ".join(f"-{one}" for one in ones)
    totals = ", ".join(f"sum({name}) AS {name}" for name in sums)
    con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM {source}.{table} LIMIT 0")
    con.execute(
        f"INSERT INTO {table} BY NAME SELECT block, {keys}, {totals} FROM ("
        f"SELECT block, {keys}, {', '.join(sums)} FROM {source}.{table} UNION ALL "
        f"SELECT {removed[1]} // {ROW_BLOCK}, {keys}, {minus} FROM {removed[0]} UNION ALL "
        f"SELECT {added[1]} // {ROW_BLOCK}, {keys}, {', '.join(ones)} FROM {added[0]}) "
        f"GROUP BY ALL HAVING sum({sums[0]}) <> 0 ORDER BY {keys}, block"
    )


def indexed_statuses(con: duckdb.DuckDBPyConnection) -> frozenset[str] | None:
    """The statuses the incidents have, as recorded with the index; None when it is stale."""
    if not region_index_is_current(con):
        return None
    return known_fact(con, "statuses", lambda: _recorded_statuses(con))


def _recorded_statuses(con: duckdb.DuckDBPyConnection) -> frozenset[str] | None:
    row = con.execute("SELECT value FROM meta WHERE key = 'statuses'").fetchone()
    return frozenset(filter(None, row[0].split(","))) if row else None


def region_index_is_current(con: duckdb.DuckDBPyConnection) -> bool:
    return stamp_matches(con, STAMP_KEY)


def block_counts(
    con: duckdb.DuckDBPyConnection, clause: str, params: list, block: int
) -> list[tuple[int, int]] | None:
    """Matches per block of `block` rowids for a WHERE clause of region conditions only.

    None when the index cannot answer: out of date, or blocks finer than the index's.
    """
    if block % ROW_BLOCK or not region_index_is_current(con):
        return None
    rows = con.execute(
        f"SELECT block // {block // ROW_BLOCK} AS b, sum(n) FROM region_blocks {clause} "
        "GROUP BY b ORDER BY b",
        params,
    ).fetchall()
    return [(b, int(n)) for b, n in rows]
