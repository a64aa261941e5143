"""The explorer's one read-only DuckDB connection, opened off the UI thread.

DuckDB is imported here lazily: it costs ~150 ms, and the explorer paints before it is needed.
Each worker thread takes its own cursor (a cursor is a connection of its own to the same
database), so queries of different panes never share a connection between threads. A cursor
taken for a task (the chronology's count, the counts over time) interrupts the query still
running for that task's previous filter: a stale scan of ten million rows would otherwise hold
one of two cores for seconds after its answer stopped mattering.

A reload (`reopen()`) and the exit (`close()`) interrupt every running cursor first: DuckDB
refuses to close a connection while one of its cursors is inside a call ("connection is busy"),
and a search on a million rows would otherwise hold it for seconds. The old connection is closed
once its cursors have let go, always before the file is opened again (DuckDB would otherwise hand
back the still-open database, not the file an import put in its place).
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb


class Superseded(Exception):
    """A newer generation of this task already has the database."""


class StillBusy(Exception):
    """A reload's interrupted queries still hold the old connection (they take milliseconds)."""


CLOSE_WAIT = 5.0
"""Seconds to wait for interrupted cursors to let go of a connection (they take milliseconds)."""


TRACK_PROGRESS = "SET enable_progress_bar = true; SET enable_progress_bar_print = false"
"""DuckDB tracks a query's progress only with its progress bar on (here never printed)."""


class StoreConnection:
    """Opens the database on first use; `reopen()` picks up a file replaced by an import."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._con: duckdb.DuckDBPyConnection | None = None
        self._facts: dict[str, object] = {}
        """What the open connection's cursors found out about its database (db/derived.py)."""
        self._lock = threading.Lock()
        self.generation = 0
        """Bumped by `reopen()`, so panes can tell a reload from a filter change."""
        self._tasks: dict[str, tuple[int, duckdb.DuckDBPyConnection]] = {}
        self._tasks_lock = threading.Lock()
        self._cursors: weakref.WeakSet[duckdb.DuckDBPyConnection] = weakref.WeakSet()
        """The cursors of `_con` still referenced: a worker may be running a query on any."""
        self._retired: list[tuple[duckdb.DuckDBPyConnection, list[duckdb.DuckDBPyConnection]]] = []
        """Connections given up by `reopen()`, with their cursors, until they are closed."""

    def cursor(
        self, task: str | None = None, generation: int = 0, progress: bool = False
    ) -> duckdb.DuckDBPyConnection:
        """A new cursor; for a `task`, the query of an older generation of it is interrupted.

        `progress`: its queries track how far they are (`progress()`), for a scan that takes
        seconds; a statement more, so only there.

        An older generation than the task's latest (its worker was slow to start) gets
        `Superseded` instead. Either way the worker sees an exception: run it
        `unless_superseded`.
        """
        with self._lock:
            if not self._close_retired(CLOSE_WAIT):
                raise StillBusy("the previous reading of the database does not stop")
            from db.derived import share_facts
            from db.store import open_db

            if self._con is None:
                self._con = open_db(self.path, read_only=True)
                self._facts = {}
            cursor = self._con.cursor()
            self._cursors.add(cursor)
            share_facts(cursor, self._facts)  # read-only: its stamps hold until reopened
        if progress:  # a setting of each connection, not inherited from the one it came from
            cursor.execute(TRACK_PROGRESS)
        if task is not None:
            with self._tasks_lock:
                latest = self._tasks.get(task)
                if latest is not None:
                    if latest[0] > generation:
                        cursor.close()
                        raise Superseded(task)
                    _stop(latest[1])
                self._tasks[task] = (generation, cursor)
        return cursor

    def progress(self, *tasks: str) -> float | None:
        """How far the furthest running query of `tasks` is, 0-100; None when none of them runs
        one that tracks it (`cursor(progress=True)`)."""
        import duckdb

        with self._tasks_lock:
            cursors = [self._tasks[t][1] for t in tasks if t in self._tasks]
        done: float | None = None
        for cursor in cursors:
            with suppress(duckdb.Error):
                p = cursor.query_progress()
                if p >= 0:
                    done = p if done is None else max(done, p)
        return done

    def interrupt(self, task: str) -> None:
        """Stop the task's running query now: its pane has moved on before starting the next.

        Never waits for the database to open (the UI thread calls this).
        """
        with self._tasks_lock:
            previous = self._tasks.pop(task, None)
            if previous is not None:
                _stop(previous[1])

    def reopen(self) -> None:
        """Read the file again (an import replaced it); every running query is interrupted.

        Waits for no query to stop (the UI thread calls this): the connection is closed here if
        nothing runs on it, else by a thread of its own (or the next `cursor()`, whichever comes
        first), interrupting again until its queries let go.
        """
        with self._lock:
            self._retire()
            self.generation += 1
            if not self._close_retired(0):
                threading.Thread(target=self._close_later, name="rasd-close", daemon=True).start()

    def _close_later(self) -> None:
        with self._lock:
            self._close_retired(CLOSE_WAIT)

    def close(self, timeout: float = CLOSE_WAIT) -> None:
        """Interrupt what runs, then close; a connection still busy after `timeout` is let be."""
        with self._lock:
            self._retire()
            self._close_retired(timeout)

    def _retire(self) -> None:
        with self._tasks_lock:
            self._tasks.clear()
            if self._con is not None:
                self._retired.append((self._con, list(self._cursors)))
                self._con = None
                self._cursors = weakref.WeakSet()
            for _, cursors in self._retired:
                for cursor in cursors:
                    _stop(cursor)

    def _close_retired(self, timeout: float) -> bool:
        """Close the retired connections, interrupting again until their cursors let go.

        Again, because an interrupt that lands between two calls of a worker is lost, and its next
        query would run to the end. Interrupts and closes hold `_tasks_lock`: never both at once
        on one cursor.
        """
        if not self._retired:
            return True
        import duckdb

        deadline = time.monotonic() + timeout
        while self._retired:
            con, cursors = self._retired[-1]
            with self._tasks_lock:
                try:
                    con.close()  # refuses (and closes nothing) while a cursor is in a call
                except duckdb.ResourceInUseException:
                    for cursor in cursors:
                        _stop(cursor)
                else:
                    self._retired.pop()
                    continue
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.002)
        return True


def _stop(cursor: duckdb.DuckDBPyConnection) -> None:
    """Interrupt the cursor's query, if any; a cursor already closed has none."""
    import duckdb

    with suppress(duckdb.ConnectionException):
        cursor.interrupt()


@contextmanager
def unless_superseded(current: Callable[[], bool]) -> Iterator[None]:
    """A query that fails once its pane has moved on (it was interrupted) is dropped, not shown."""
    try:
        yield
    except Exception:
        if current():
            raise
