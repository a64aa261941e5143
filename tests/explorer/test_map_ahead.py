"""The hidden map counts its view ahead, so `4` draws it in its first frame: never a view of
another filter or size than the one shown."""

from __future__ import annotations

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
    view = app.query_one(MapView)
    await settle(pilot, app)
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
