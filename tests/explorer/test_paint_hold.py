"""A filter change paints its answer first, not the cleared screen before it (tui/paint_hold.py),
and a long count says how far it is meanwhile."""

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


def counts_take_a_second(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on the list's count takes a second, as a search's does over millions of notes."""
    from db.pager import IncidentPager

    counting = IncidentPager.prepare

    def slow_count(self: IncidentPager) -> int:
        time.sleep(1.0)
        return counting(self)

    monkeypatch.setattr(IncidentPager, "prepare", slow_count)


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
    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        app.paint_hold = PaintHold(app, limit=30.0)
        counts_take_a_second(monkeypatch)
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


async def test_with_the_map_shown_the_first_frame_has_its_dots_too(
    db_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The map's counts land after the list's, in a frame of their own 30-50 ms later at 10M:
    with the map shown, the hold waits for them as well, and the other panes' loads after it."""
    import tui.widgets.map
    from tui.widgets.map import MapView

    counting = tui.widgets.map.map_counts

    def slow_map(con, f, view):  # noqa: ANN001, ANN202
        time.sleep(0.3)  # the list's count comes first
        return counting(con, f, view)

    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("4")
        await settle(pilot, app)
        map_view = app.query_one(MapView)
        app.paint_hold = PaintHold(app, limit=30.0)
        monkeypatch.setattr(tui.widgets.map, "map_counts", slow_map)
        frames: list[tuple[Filter | None, int | None, str]] = []
        original = app._display

        def display(screen, renderable) -> None:  # noqa: ANN001
            if renderable is not None:
                total = map_view.counts.total if map_view.counts is not None else None
                frames.append((map_view.counted_filter, total, screen_text(app)))
            original(screen, renderable)

        app._display = display  # type: ignore[method-assign]
        path = ("Mali", "Sikasso")
        wanted = Filter().with_region(country=path[0], admin1=path[1])
        n = expected_count(db_copy, wanted)
        app.post_message(RegionsTree.Chosen(path))
        await wait_for(pilot, lambda: bool(frames), "a frame")
        counted, total, text = frames[0]
        assert counted == wanted and total == n  # the map's own counts, in the first frame
        assert f"{n:,} incident" in text and "counting…" not in text
        await settle(pilot, app)
        assert not app.paint_hold.held
        assert app.query_one(RegionsTree).root.children  # the tree loaded after the hold


async def test_a_long_count_says_how_far_it_is(
    db_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search scans every note (seconds at 10M): the list's title says how far it is, then
    its count."""
    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        counts_take_a_second(monkeypatch)
        asked: list[tuple[str, ...]] = []

        def progress(*tasks: str) -> float:
            asked.append(tasks)
            return 42.4

        monkeypatch.setattr(app.store, "progress", progress)
        app.filter = Filter(search="مالي")
        await wait_for(pilot, lambda: "counting… 42%" in screen_text(app), "the progress")
        assert "chronology-count" in asked[-1]
        await wait_for(pilot, lambda: chronology(app).total is not None, "the count")
        await settle(pilot, app)
        n = expected_count(db_copy, app.filter)
        text = screen_text(app)
        assert f"{n:,} incident" in text and "counting…" not in text
        calls = len(asked)
        await pilot.pause(0.6)
        assert len(asked) == calls  # no longer asked once counted


async def test_a_count_that_fails_is_not_shown_as_still_counting(
    db_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from db.pager import IncidentPager

    def failing(self: IncidentPager) -> int:
        time.sleep(0.4)
        raise OSError("the disk went away")

    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        monkeypatch.setattr(IncidentPager, "prepare", failing)
        monkeypatch.setattr(app.store, "progress", lambda *tasks: 42.0)
        app.filter = Filter(search="مالي")
        await wait_for(pilot, lambda: "database error" in screen_text(app), "the error")
        await pilot.pause(0.8)  # the progress is read every 0.25 s while counting
        assert "database error" in screen_text(app) and "42%" not in screen_text(app)


async def test_a_failed_query_of_any_pane_is_said(
    db_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual tells a worker's failure only to its widget: the counts over time failing on a
    vanished database were said nowhere."""
    import tui.widgets.timeline

    def failing(*args: object) -> None:
        raise OSError("the disk went away")

    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        monkeypatch.setattr(tui.widgets.timeline, "counts_over_time", failing)
        app.filter = Filter(event_types=("Battles",))
        await wait_for(pilot, lambda: app.last_error == "the disk went away", "the error said")
        assert "database error" in screen_text(app)
