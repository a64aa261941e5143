"""A filter change paints its answer first, not the cleared screen before it (tui/paint_hold.py)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from db.queries import Filter, count_incidents
from db.store import open_db
from tests.explorer.conftest import chronology, screen_text, settle, wait_for
from tui.app import RasdApp
from tui.paint_hold import PaintHold
from tui.widgets.regions import RegionsTree


def expected_count(db: Path, f: Filter) -> int:
    con = open_db(db, read_only=True)
    try:
        return count_incidents(con, f)
    finally:
        con.close()


async def test_the_first_frame_after_a_region_filter_shows_its_list_and_count(
    db_copy: Path,
) -> None:
    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        app.paint_hold = PaintHold(app, limit=30.0)  # a loaded machine never reaches it
        view = chronology(app)
        frames: list[tuple[Filter, int | None, str]] = []
        original = app._display

        def display(screen, renderable) -> None:  # noqa: ANN001
            if renderable is not None:
                frames.append((view.filter, view.total, screen_text(app)))
            original(screen, renderable)

        app._display = display  # type: ignore[method-assign]
        path = ("Mali", "Sikasso")
        wanted = Filter().with_region(country=path[0], admin1=path[1])
        n = expected_count(db_copy, wanted)
        assert 0 < n < expected_count(db_copy, Filter())
        app.post_message(RegionsTree.Chosen(path))
        await wait_for(pilot, lambda: any(f == wanted for f, _, _ in frames), "a frame")
        first = next((total, text) for f, total, text in frames if f == wanted)
        assert first[0] == n
        assert f"{n:,} incident" in first[1] and "counting…" not in first[1]
        await settle(pilot, app)
        assert not app.paint_hold.held


async def test_a_slow_answer_is_not_waited_for_beyond_the_limit(db_copy: Path) -> None:
    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        hold = PaintHold(app, limit=0.05)
        hold.hold()
        hold.hold()  # one hold at a time: one release ends it
        assert hold.held and app._batch_count == 1
        started = time.monotonic()
        await wait_for(pilot, lambda: not hold.held, "the hold to end by itself", timeout=5)
        assert time.monotonic() - started < 2
        assert app._batch_count == 0
        hold.release()  # ending it again does nothing
        assert app._batch_count == 0


async def test_a_search_paints_its_first_page_before_its_count(
    db_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search counts for seconds on big data: its newest matches end the hold, not its count."""
    from db.pager import IncidentPager

    counting = IncidentPager.prepare

    def slow_count(self: IncidentPager) -> int:
        time.sleep(1.0)
        return counting(self)

    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        app.paint_hold = PaintHold(app, limit=30.0)
        monkeypatch.setattr(IncidentPager, "prepare", slow_count)
        view = chronology(app)
        frames: list[tuple[Filter, int | None, int]] = []
        original = app._display

        def display(screen, renderable) -> None:  # noqa: ANN001
            if renderable is not None:
                frames.append((view.filter, view.total, len(view._head)))
            original(screen, renderable)

        app._display = display  # type: ignore[method-assign]
        app.filter = Filter(search="مالي")
        await wait_for(pilot, lambda: any(f.search for f, _, _ in frames), "a frame", timeout=5)
        first = next((total, head) for f, total, head in frames if f.search)
        assert first[0] is None and first[1] > 0  # the first page, still counting
        await wait_for(pilot, lambda: view.total is not None, "the count")
        await settle(pilot, app)
