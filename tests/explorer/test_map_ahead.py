"""The hidden map counts its view ahead, so `4` draws it in its first frame: never a view of
another filter or size than the one shown."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import tui.app
import tui.widgets.map
from db.queries import Filter
from tests.explorer.conftest import screen_text, settle
from tests.explorer.test_map import seed_count, wait_until
from tui.app import RasdApp
from tui.widgets.map import MapView


@pytest.fixture
def counted(monkeypatch) -> list[Filter]:
    """The filters the map pane counts, in order."""
    calls: list[Filter] = []
    real = tui.widgets.map.map_counts

    def recording(con, f, view):
        calls.append(f)
        return real(con, f, view)

    monkeypatch.setattr(tui.widgets.map, "map_counts", recording)
    return calls


async def counted_ahead(pilot, app: RasdApp) -> MapView:
    await settle(pilot, app)  # the map is mounted after the first frame
    view = app.query_one(MapView)
    await wait_until(pilot, lambda: view.ahead is not None)
    assert view.counts is None  # hidden: counted ahead, not drawn
    return view


def drawn_at_its_size(view: MapView) -> bool:
    assert view.view is not None
    return (view.view.width, view.view.height) == view._map_size()


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_4_draws_the_view_counted_ahead_without_a_query(
    db_copy: Path, counted: list[Filter], size: tuple[int, int]
) -> None:
    app = RasdApp(db_copy)
    async with app.run_test(size=size) as pilot:
        view = await counted_ahead(pilot, app)
        ahead = len(counted)
        assert ahead >= 1 and counted[-1] == Filter()
        await pilot.press("4")
        # the key's own frame: counts, title and dots, before any worker could run
        assert view.counts is not None and view.counts.total == 9
        assert view.counted_filter == app.filter
        assert "Map [4] · 9 incidents" in screen_text(app)
        await settle(pilot, app)
        assert len(counted) == ahead  # nothing counted again
        assert drawn_at_its_size(view)
        assert view.ahead is None


async def test_a_filter_after_the_count_ahead_is_counted_when_shown(
    db_copy: Path, counted: list[Filter], monkeypatch
) -> None:
    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await counted_ahead(pilot, app)
        monkeypatch.setattr(tui.app, "FORESEE_AFTER", 60.0)  # no count ahead of the new filter
        await pilot.press("d", *"2026-01-18..2026-01-20", "enter")
        await settle(pilot, app)
        assert view.ahead is None  # of the old filter: dropped
        await pilot.press("4")
        await settle(pilot, app)
        assert view.counts is not None and view.counted_filter == app.filter
        assert view.counts.total == seed_count(db_copy, app.filter) < 9
        assert counted[-1] == app.filter


async def test_a_view_counted_ahead_at_another_size_is_not_drawn(
    db_copy: Path, counted: list[Filter], monkeypatch
) -> None:
    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await counted_ahead(pilot, app)
        old = view.ahead
        assert old is not None
        monkeypatch.setattr(tui.app, "FORESEE_AFTER", 60.0)
        await pilot.resize_terminal(140, 44)
        await settle(pilot, app)
        ahead = len(counted)
        shown: list[object] = []
        real = view._counted

        def recording(generation, f, drawn, *rest) -> None:
            shown.append(drawn)
            real(generation, f, drawn, *rest)

        monkeypatch.setattr(view, "_counted", recording)
        await pilot.press("4")
        await settle(pilot, app)
        assert shown and old.view not in shown  # not even for a frame
        assert len(counted) > ahead  # counted at its new size
        assert view.view is not None and view.view != old.view
        assert drawn_at_its_size(view)
        assert view.counts is not None and view.counts.total == 9


async def test_a_count_ahead_arriving_before_the_maps_layout_is_drawn_at_its_size(
    db_copy: Path, counted: list[Filter], monkeypatch
) -> None:
    """CI, 1 run in 3: the count ahead arrived after `4` showed the pane and before its layout;
    the map counted itself at 0x0 and drew a 1-cell view with no outlines, for good."""
    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await counted_ahead(pilot, app)
        ready = view.ahead
        assert ready is not None
        monkeypatch.setattr(tui.app, "FORESEE_AFTER", 60.0)
        view._foreseen = None  # still counting ahead when the pane shows
        app.query_one("#map-pane").set_class(True, "-third")
        app.query_one("#source-pane").set_class(True, "-covered")
        assert view.shown and not view.content_region.size.area  # shown, not laid out
        view._counted_ahead(ready.generation, ready.content, ready)
        await settle(pilot, app)
        assert view.counts is not None and view.counts.total == 9
        assert drawn_at_its_size(view) and view.view == ready.view


async def test_a_first_count_at_a_size_left_meanwhile_is_not_drawn(
    db_copy: Path, counted: list[Filter], monkeypatch
) -> None:
    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await counted_ahead(pilot, app)
        monkeypatch.setattr(tui.app, "FORESEE_AFTER", 60.0)
        view._foreseen = None  # not counted ahead: counted when shown
        release = threading.Event()
        real = tui.widgets.map.map_counts

        def held(con, f, v):
            assert release.wait(10)
            return real(con, f, v)

        monkeypatch.setattr(tui.widgets.map, "map_counts", held)
        shown: list[object] = []
        drawn = view._counted

        def recording(generation, f, v, *rest) -> None:
            drawn(generation, f, v, *rest)
            if view.view is v:
                shown.append(v)

        monkeypatch.setattr(view, "_counted", recording)
        await pilot.press("4")
        await wait_until(pilot, lambda: view.content_region.size.area > 0)
        first = view.content_region.size
        await pilot.resize_terminal(140, 44)  # while the first count runs
        await pilot.pause()
        assert view.content_region.size != first
        release.set()
        await settle(pilot, app)
        await wait_until(pilot, lambda: view.counts is not None)
        assert view.counts is not None and view.counts.total == 9
        assert drawn_at_its_size(view)
        assert shown == [view.view]  # the view of the first size: not even for a frame
