"""In-memory databases attached beside the opened file: what a read-only connection keeps."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

_attaching = threading.Lock()


def attach_memory(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Attach the in-memory database `name` once per connection, writable (an attached database
    inherits the file's read-only mode otherwise). `ATTACH IF NOT EXISTS` is not atomic: two
    cursors attaching at once, one failed with "already exists" and its pane showed nothing."""
    with _attaching:
        con.execute(f"ATTACH IF NOT EXISTS ':memory:' AS {name} (READ_ONLY false)")
