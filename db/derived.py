"""Whether a table derived from the incidents (an index) still matches them.

Each index is rebuilt with the incidents table (`db.seed.order_incidents`) and records how many
incidents it was built from; a database changed by other means then falls back to scanning.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from db.rows import scalar

if TYPE_CHECKING:
    import duckdb

T = TypeVar("T")

_FACTS: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, dict[str, object]] = (
    weakref.WeakKeyDictionary()
)
"""Per cursor of a read-only connection, the facts about its database found so far (shared by
every cursor of that connection)."""


def share_facts(cursor: duckdb.DuckDBPyConnection, facts: dict[str, object]) -> None:
    """Declare `cursor` one of a read-only connection's, whose stamps cannot change while it is
    open (a new file or new coding is a new connection): its checks are answered once per
    connection, from `facts`. Each check was two statements, run three to six times per
    query; a statement waits for Python's lock while the screen draws (1-5 ms each)."""
    _FACTS[cursor] = facts


def known_fact(con: duckdb.DuckDBPyConnection, name: str, find: Callable[[], T]) -> T:
    """`find()`, or what it gave before for this connection when its facts are shared."""
    facts = _FACTS.get(con)
    if facts is None:
        return find()
    if name not in facts:
        facts[name] = find()
    return facts[name]  # type: ignore[return-value]


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
    return known_fact(con, f"stamp:{key}", lambda: _stamp_matches(con, key))


def _stamp_matches(con: duckdb.DuckDBPyConnection, key: str) -> bool:
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
