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

ENDLESS = "SELECT count(*) FROM range(1000000000000) a"


def _run(store: StoreConnection, task: str, out: dict[str, object], generation: int = 1) -> None:
    started = time.perf_counter()
    try:
        out["result"] = store.cursor(task, generation).execute(ENDLESS).fetchall()
    except Exception as exc:  # noqa: BLE001
        out["error"] = exc
    out["seconds"] = time.perf_counter() - started


def test_newer_cursor_for_a_task_interrupts_the_older_query(seed_db: Path) -> None:
    store = StoreConnection(seed_db)
    out: dict[str, object] = {}
    worker = threading.Thread(target=_run, args=(store, "timeline", out))
    worker.start()
    time.sleep(0.3)
    other = store.cursor("chronology-count")  # another task leaves it running
    time.sleep(0.2)
    assert worker.is_alive()
    newer = store.cursor("timeline", 2)
    worker.join(timeout=10)
    assert not worker.is_alive()
    assert "Interrupt" in type(out["error"]).__name__
    assert newer.execute("SELECT count(*) FROM incidents").fetchone() == (9,)
    assert other.execute("SELECT 1").fetchone() == (1,)
    store.close()


def test_failures_of_superseded_work_are_dropped() -> None:
    with unless_superseded(lambda: False):
        raise RuntimeError("interrupted")
    with pytest.raises(RuntimeError), unless_superseded(lambda: True):
        raise RuntimeError("a real failure of the current query")


def test_a_cursor_asked_for_late_by_an_older_generation_is_interrupted(seed_db: Path) -> None:
    """A slow-starting stale worker cannot interrupt the query that superseded it."""
    store = StoreConnection(seed_db)
    current: dict[str, object] = {}
    worker = threading.Thread(target=_run, args=(store, "timeline", current, 5))
    worker.start()
    time.sleep(0.3)
    with pytest.raises(Superseded):
        store.cursor("timeline", 4)
    assert worker.is_alive()  # the current query runs on
    store.interrupt("timeline")  # its pane moves on: it stops now
    worker.join(timeout=10)
    assert not worker.is_alive()
    assert "Interrupt" in type(current["error"]).__name__
    store.close()



def wait_until_busy(cursor: duckdb.DuckDBPyConnection, timeout: float = 30) -> None:
    """Until the cursor is inside a call (DuckDB refuses any other call on it meanwhile)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            cursor.description  # noqa: B018
        except duckdb.ResourceInUseException:
            return
        time.sleep(0.005)
    raise AssertionError("the query never started")


@contextmanager
def endless(cursor: duckdb.DuckDBPyConnection) -> Iterator[tuple[threading.Thread, dict]]:
    """A query that never ends on its own, running in a thread; stopped whatever happens."""
    out: dict[str, object] = {}

    def run() -> None:
        try:
            out["result"] = cursor.execute(ENDLESS).fetchall()
        except Exception as exc:  # noqa: BLE001
            out["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    try:
        wait_until_busy(cursor)
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
        runs = [stack.enter_context(endless(store.cursor(task)))
                for task in (None, "timeline", "chronology-count")]  # fmt: skip
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
