"""In-memory databases attached beside the opened file: what a read-only connection keeps."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

_attaching = threading.Lock()


def attach_memory(con: duckdb.DuckDBPyConnection, name: str, *tables: str) -> None:
    """Attach the in-memory database `name` once per connection, writable (an attached database
    inherits the file's read-only mode otherwise), with `tables` (CREATE TABLE IF NOT EXISTS
    statements). Neither is atomic: two cursors attaching at once, one failed with "already
    exists"; two creating one table, one failed with "Catalog write-write conflict" (the list
    and the map asking for a first search's words at once: the map showed nothing)."""
    with _attaching:
        con.execute(f"ATTACH IF NOT EXISTS ':memory:' AS {name} (READ_ONLY false)")
        for create in tables:
            con.execute(create)


def drop_tables(con: duckdb.DuckDBPyConnection, names: list[str]) -> None:
    """Drop tables of an attached database (qualified names): two cursors dropping one table at
    once conflict as creating it does."""
    with _attaching:
        for name in names:
            con.execute(f"DROP TABLE IF EXISTS {name}")
