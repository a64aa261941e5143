"""The explorer's connection: a newer query for the same task interrupts the stale one."""

from __future__ import annotations

import threading
import time
from pathlib import Path

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
