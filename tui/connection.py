"""The explorer's one read-only DuckDB connection, opened off the UI thread.

DuckDB is imported here lazily: it costs ~150 ms, and the explorer paints before it is needed.
Each worker thread takes its own cursor (a cursor is a connection of its own to the same
database), so queries of different panes never share a connection between threads. A cursor
taken for a task (the chronology's count, the counts over time) interrupts the query still
running for that task's previous filter: a stale scan of ten million rows would otherwise hold
one of two cores for seconds after its answer stopped mattering.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb


class Superseded(Exception):
    """A newer generation of this task already has the database."""


class StoreConnection:
    """Opens the database on first use; `reopen()` picks up a file replaced by an import."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._con: duckdb.DuckDBPyConnection | None = None
        self._lock = threading.Lock()
        self.generation = 0
        """Bumped by `reopen()`, so panes can tell a reload from a filter change."""
        self._tasks: dict[str, tuple[int, duckdb.DuckDBPyConnection]] = {}
        self._tasks_lock = threading.Lock()

    def cursor(self, task: str | None = None, generation: int = 0) -> duckdb.DuckDBPyConnection:
        """A new cursor; for a `task`, the query of an older generation of it is interrupted.

        An older generation than the task's latest (its worker was slow to start) gets
        `Superseded` instead. Either way the worker sees an exception: run it
        `unless_superseded`.
        """
        with self._lock:
            if self._con is None:
                from db.store import open_db

                self._con = open_db(self.path, read_only=True)
            cursor = self._con.cursor()
        if task is not None:
            with self._tasks_lock:
                latest = self._tasks.get(task)
                if latest is not None and latest[0] > generation:
                    cursor.close()
                    raise Superseded(task)
                self._interrupt(task)
                self._tasks[task] = (generation, cursor)
        return cursor

    def interrupt(self, task: str) -> None:
        """Stop the task's running query now: its pane has moved on before starting the next.

        Never waits for the database to open (the UI thread calls this).
        """
        with self._tasks_lock:
            self._interrupt(task)

    def _interrupt(self, task: str) -> None:
        previous = self._tasks.pop(task, None)
        if previous is not None:
            previous[1].interrupt()

    def reopen(self) -> None:
        with self._lock:
            with self._tasks_lock:
                self._tasks.clear()
            if self._con is not None:
                self._con.close()
                self._con = None
            self.generation += 1

    def close(self) -> None:
        with self._lock:
            with self._tasks_lock:
                self._tasks.clear()
            if self._con is not None:
                self._con.close()
                self._con = None


@contextmanager
def unless_superseded(current: Callable[[], bool]) -> Iterator[None]:
    """A query that fails once its pane has moved on (it was interrupted) is dropped, not shown."""
    try:
        yield
    except Exception:
        if current():
            raise
