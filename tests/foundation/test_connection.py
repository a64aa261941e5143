"""The explorer's connection: a newer query for the same task interrupts the stale one."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

import duckdb
import pytest

from tui.connection import StoreConnection, Superseded, unless_superseded

SIGNALLING = (
    "SELECT count(*) FROM (SELECT 1 FROM range(1) WHERE {started}()) s, range(1000000000000) a"
)
"""A query that never ends on its own and calls {started}() once it is executing (an interrupt
before that would be lost, and the query would then never end)."""


class Endless(threading.Thread):
    """A worker running SIGNALLING on a cursor taken for `task`; `started` is set once it runs."""

    def __init__(
        self, store: StoreConnection, task: str, generation: int = 1, progress: bool = False
    ) -> None:
        super().__init__(daemon=True)
        self.store, self.task, self.generation = store, task, generation
        self.progress = progress
        self.started = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        cursor = self.store.cursor(self.task, self.generation, progress=self.progress)

        def started() -> bool:
            self.started.set()
            return True

        name = f"started_{id(self)}"  # functions are shared by the cursors of one database
        cursor.create_function(name, started, [], "BOOLEAN", side_effects=True)
        try:
            cursor.execute(SIGNALLING.format(started=name)).fetchall()
        except Exception as exc:  # noqa: BLE001
            self.error = exc

    def running(self) -> Endless:
        self.start()
        assert self.started.wait(30), "the query did not start"
        return self

    def stopped_by_interrupt(self) -> bool:
        self.join(timeout=30)
        return not self.is_alive() and "Interrupt" in type(self.error).__name__


def test_newer_cursor_for_a_task_interrupts_the_older_query(seed_db: Path) -> None:
    store = StoreConnection(seed_db)
    timeline = Endless(store, "timeline").running()
    counting = Endless(store, "chronology-count").running()  # another task: timeline runs on
    newer = store.cursor("timeline", 2)
    assert timeline.stopped_by_interrupt()
    assert counting.is_alive()  # a cursor for one task never stops another's query
    assert newer.execute("SELECT count(*) FROM incidents").fetchone() == (9,)
    store.interrupt("chronology-count")
    assert counting.stopped_by_interrupt()
    store.close()


def test_a_long_query_says_how_far_it_is_when_asked_to(seed_db: Path) -> None:
    """The list's count of a search scans every note for seconds at 10M: its pane title says
    how far it is ("counting… 40%"), read from DuckDB while it runs."""
    store = StoreConnection(seed_db)
    quiet = Endless(store, "timeline").running()
    assert store.progress("timeline") is None  # not tracked: nothing to say
    counting = Endless(store, "chronology-count", progress=True).running()
    seen = []
    for _ in range(100):
        done = store.progress("chronology-count", "timeline")
        if done is not None:
            seen.append(done)
        if len(seen) > 3:
            break
        time.sleep(0.02)
    assert seen and all(0 <= p <= 100 for p in seen)
    store.interrupt("chronology-count")
    store.interrupt("timeline")
    assert counting.stopped_by_interrupt() and quiet.stopped_by_interrupt()
    assert store.progress("chronology-count", "timeline") is None  # nothing runs
    store.close()


def test_failures_of_superseded_work_are_dropped() -> None:
    with unless_superseded(lambda: False):
        raise RuntimeError("interrupted")
    with pytest.raises(RuntimeError), unless_superseded(lambda: True):
        raise RuntimeError("a real failure of the current query")


def test_a_cursor_asked_for_late_by_an_older_generation_is_interrupted(seed_db: Path) -> None:
    """A slow-starting stale worker cannot interrupt the query that superseded it."""
    store = StoreConnection(seed_db)
    current = Endless(store, "timeline", 5).running()
    with pytest.raises(Superseded):
        store.cursor("timeline", 4)
    assert current.is_alive()  # the current query runs on
    store.interrupt("timeline")  # its pane moves on: it stops now
    assert current.stopped_by_interrupt()
    store.close()


def run_endless(cursor: duckdb.DuckDBPyConnection, started: threading.Event) -> None:
    """Run SIGNALLING on `cursor` until it is interrupted; `started` is set once it executes."""

    def signal() -> bool:
        started.set()
        return True

    name = f"started_{id(started)}"  # functions are shared by the cursors of one database
    cursor.create_function(name, signal, [], "BOOLEAN", side_effects=True)
    cursor.execute(SIGNALLING.format(started=name)).fetchall()


@contextmanager
def endless(cursor: duckdb.DuckDBPyConnection) -> Iterator[tuple[threading.Thread, dict]]:
    """A query that never ends on its own, running in a thread, yielded once it is executing
    (it says so through a function it calls: polling the cursor for "busy" missed it at times,
    and an interrupt sent before the query runs is lost); stopped whatever happens."""
    out: dict[str, object] = {}
    started = threading.Event()

    def run() -> None:
        try:
            run_endless(cursor, started)
        except Exception as exc:  # noqa: BLE001
            out["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    try:
        assert started.wait(30), f"the query never started: {out}"
        yield worker, out
    finally:
        with suppress(duckdb.Error):
            cursor.interrupt()
        worker.join(timeout=10)


@pytest.mark.parametrize("task", [None, "timeline"])
def test_reopen_while_a_query_runs_interrupts_it(seed_db: Path, task: str | None) -> None:
    """Ctrl+R during a slow search: the close waits for no query and never meets a busy one."""
    store = StoreConnection(seed_db)
    cursor = store.cursor(task)
    with endless(cursor) as (worker, out):
        store.reopen()  # raised "connection is busy" and left the query running
        worker.join(timeout=10)
        assert not worker.is_alive()
        assert "Interrupt" in type(out["error"]).__name__
    assert store.generation == 1
    assert store.cursor().execute("SELECT count(*) FROM incidents").fetchone() == (9,)
    with pytest.raises(duckdb.ConnectionException, match="closed"):
        cursor.execute("SELECT 1")  # the old connection was closed before the new one opened
    store.close()


def test_close_while_queries_run_interrupts_them(seed_db: Path) -> None:
    """A signal during a search: the exit closes the database at once, without a traceback."""
    store = StoreConnection(seed_db)
    with ExitStack() as stack:
        runs = [
            stack.enter_context(endless(store.cursor(task)))
            for task in (None, "timeline", "chronology-count")
        ]
        started = time.perf_counter()
        store.close()
        assert time.perf_counter() - started < 2
        for worker, out in runs:
            worker.join(timeout=10)
            assert "Interrupt" in type(out["error"]).__name__


def test_reopen_twice_while_a_query_runs_then_read(seed_db: Path) -> None:
    """Two reloads in a row with a query still unwinding: the next reader waits for it."""
    store = StoreConnection(seed_db)
    with endless(store.cursor()) as (worker, _):
        store.reopen()
        store.reopen()
        assert store.cursor().execute("SELECT count(*) FROM incidents").fetchone() == (9,)
        worker.join(timeout=10)
        assert not worker.is_alive()
    store.close()


def test_stamp_checks_are_answered_once_per_connection(db_copy: Path) -> None:
    """The cursors of the explorer's read-only connection share what the index checks found
    (the file cannot change under it); a reopened connection checks again, and a connection
    of its own (an import's, which changes the stamps) is never answered from memory."""
    from db.derived import known_fact, stamp_matches
    from db.region_index import STAMP_KEY, region_index_is_current

    store = StoreConnection(db_copy)
    assert region_index_is_current(store.cursor())
    asked_again = lambda: pytest.fail("checked again on the same connection")  # noqa: E731
    assert known_fact(store.cursor(), f"stamp:{STAMP_KEY}", asked_again) is True
    store.reopen()
    assert known_fact(store.cursor(), f"stamp:{STAMP_KEY}", lambda: "checked") == "checked"
    store.close()

    writer = duckdb.connect(str(db_copy))
    try:
        assert stamp_matches(writer, STAMP_KEY)
        writer.execute("UPDATE meta SET value = '-1' WHERE key = ?", [STAMP_KEY])
        assert not stamp_matches(writer, STAMP_KEY)
    finally:
        writer.close()
