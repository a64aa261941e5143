"""The explorer's one read-only DuckDB connection, opened off the UI thread.

DuckDB is imported here lazily: it costs ~150 ms, and the explorer paints before it is needed.
Each worker thread takes its own cursor (a cursor is a connection of its own to the same
database), so queries of different panes never share a connection between threads.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb


class StoreConnection:
    """Opens the database on first use; `reopen()` picks up a file replaced by an import."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._con: duckdb.DuckDBPyConnection | None = None
        self._lock = threading.Lock()
        self.generation = 0
        """Bumped by `reopen()`, so panes can tell a reload from a filter change."""

    def cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            if self._con is None:
                from db.store import open_db

                self._con = open_db(self.path, read_only=True)
            return self._con.cursor()

    def reopen(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None
            self.generation += 1

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None
