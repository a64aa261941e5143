"""One scan per filter for every pane: counts per block, day, place and point, kept in memory.

A search (or a type, actor or date filter) cannot be answered by the region and point indexes:
each pane scanned every note itself. The chronology's count, the counts over time, the region
tree and the map each paid a full `contains()` scan of ten million notes (2.5 s each at 10M).
Here one scan groups the matches at once (GROUPING SETS) by block of rows, place, status and
point (the grain of the point index, db/point_index.py) and by day, into a small table of an
in-memory database attached to the connection: every cursor of the explorer sees it, so
whichever pane asks first pays the scan and the others read a few thousand rows. The places
are the same columns as the indexes, so the panes' SQL runs against it unchanged but for
`sum(n)` in place of `count(*)`.

A summary is keyed by the filter without its places and status (the region tree counts under
exactly that, and a place or status condition is answered from the summary's columns). It holds no
incident, only counts: a few thousand rows at most per place and block. The database is opened
read-only, so a summary never goes stale within a connection; a reload opens a new connection,
whose attached database starts empty. The last KEEP summaries are kept.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from db.derived import ROW_BLOCK
from db.place_terms import Group
from db.region_index import PLACE_COLUMNS
from db.scratch import attach_memory, drop_tables
from db.search_index import candidate_ranges, narrowed

if TYPE_CHECKING:
    import duckdb

SCRATCH = "rasd_scratch"
"""The in-memory database attached beside the file (shared by every cursor of a connection)."""
KEEP = 6
"""Summaries kept per connection: the last few filters (typing a search, then stepping back)."""
POINT_COLUMNS = ("geo_precision", "longitude", "latitude")
GROUPED = ("block", *PLACE_COLUMNS, *POINT_COLUMNS)
"""The grain of the per-place rows: the point index's (db/point_index.py)."""

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _name(clause: str, params: list[Any]) -> str:
    digest = hashlib.sha256(repr((clause, params)).encode()).hexdigest()[:24]
    return f"m_{digest}"


def _lock(name: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(name, threading.Lock())


def _exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    row = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND table_name = ?",
        [SCRATCH, name],
    ).fetchone()
    return bool(row and row[0])


def _attach(con: duckdb.DuckDBPyConnection) -> None:
    attach_memory(con, SCRATCH)


def _forget_old(con: duckdb.DuckDBPyConnection, keep: str) -> None:
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND table_name <> ? "
        "ORDER BY table_oid DESC",
        [SCRATCH, keep],
    ).fetchall()
    old = [name for (name,) in rows[KEEP - 1 :]]
    drop_tables(con, [f"{SCRATCH}.{name}" for name in old])
    with _locks_guard:
        for name in old:
            _locks.pop(name, None)


def match_summary(
    con: duckdb.DuckDBPyConnection,
    clause: str,
    params: list[Any],
    groups: Sequence[Group],
    source: str = "incidents",
) -> str:
    """The summary table (qualified name) of the rows a WHERE clause selects, built on first use.

    `clause` holds every condition of a filter but its places and status (db.queries builds it,
    `summary_source`); `groups` are its search words (db/place_terms.py), whose blocks alone are
    scanned (the search index). Cursors asking for the same summary at once wait for the first
    one's scan; `source` is what the clause reads (the incidents, or db/word_index.py's
    BESIDE). Columns:
    by_day (false: a row per block, place, status and point; true: a row per day and status),
    block, the places, status, geo_precision, longitude, latitude, event_date, n, deaths.
    """
    name = _name(f"{source} {clause}", params)
    qualified = f"{SCRATCH}.{name}"
    _attach(con)
    with _lock(name):
        if _exists(con, name):
            return qualified
        if groups:
            clause, params = narrowed(clause, params, candidate_ranges(con, groups))
        columns = ", ".join(c for c in GROUPED if c != "block")
        # built under a private name and renamed: a cursor never sees half a summary
        building = f"{name}_next"
        con.execute(f"DROP TABLE IF EXISTS {SCRATCH}.{building}")
        con.execute(
            f"CREATE TABLE {SCRATCH}.{building} AS "
            f"SELECT grouping(event_date) = 0 AS by_day, block, {columns}, event_date, "
            "count(*) AS n, coalesce(sum(fatalities), 0) AS deaths FROM ("
            f"SELECT rowid // {ROW_BLOCK} AS block, {columns}, event_date, fatalities "
            f"FROM {source} {clause}) "
            f"GROUP BY GROUPING SETS (({', '.join(GROUPED)}), (event_date, status))",
            params,
        )
        con.execute(f"ALTER TABLE {SCRATCH}.{building} RENAME TO {name}")
        _forget_old(con, name)
    return qualified


def forget_summaries(con: duckdb.DuckDBPyConnection) -> None:
    """Drop every summary of this connection (the benchmark times a search's first scan)."""
    _attach(con)
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ?", [SCRATCH]
    ).fetchall()
    drop_tables(con, [f"{SCRATCH}.{name}" for (name,) in rows])
