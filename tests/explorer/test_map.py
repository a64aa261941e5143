"""The map pane driven by keys (Pilot): shown by `4`, linked to every filter and to the chronology."""

from __future__ import annotations

import math
from pathlib import Path

from db.geo import admin1_shape
from db.queries import Filter, count_incidents
from db.rows import one_row, scalar
from db.store import open_db
from tests.explorer.conftest import chronology, screen_text, settle
from tui.app import RasdApp
from tui.map.draw import HIGHLIGHT_MARK
from tui.widgets.map import MapView


def seed_count(db: Path, f: Filter, cond: str = "") -> int:
    con = open_db(db, read_only=True)
    try:
        if cond:
            return scalar(con.execute(f"SELECT count(*) FROM incidents WHERE {cond}"))
        return count_incidents(con, f)
    finally:
        con.close()


async def wait_until(pilot, done, timeout: float = 30.0) -> None:
    """While the map plays, workers replace each other: wait on the state, not on them."""
    for _ in range(int(timeout / 0.05)):
        if done():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition not reached")


async def open_map(pilot, app: RasdApp) -> MapView:
    await settle(pilot, app)
    await pilot.press("4")
    await settle(pilot, app)
    return app.query_one(MapView)


async def test_key_4_shows_the_map_in_place_of_the_source(db_copy: Path) -> None:
    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert not app.query_one("#map-pane").display
        view = await open_map(pilot, app)
        assert view.has_focus and app.query_one("#map-pane").display
        assert not app.query_one("#source-pane").display
        assert view.counts is not None and view.counts.total == 9
        unplaced = seed_count(db_copy, Filter(), "latitude IS NULL")
        assert unplaced > 0
        text = screen_text(app)
        assert f"{unplaced} without coordinates" in text
        assert f"{9 - unplaced} on the map" in text
        assert "Map [4] · 9 incidents" in text
        await pilot.press("3")
        await settle(pilot, app)
        assert app.query_one("#source-pane").display and not app.query_one("#map-pane").display


async def test_the_map_follows_every_filter(db_copy: Path) -> None:
    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await open_map(pilot, app)
        await pilot.press("d", *"2026-01-18..2026-01-20", "enter")
        await settle(pilot, app)
        assert view.counts is not None
        assert view.counts.total == seed_count(db_copy, app.filter) < 9
        await pilot.press("t")
        await settle(pilot, app)
        await pilot.press(*"battles", "enter")
        await settle(pilot, app)
        assert app.filter.event_types and view.counts is not None
        assert view.counts.total == seed_count(db_copy, app.filter)
        await pilot.press("slash", *"zzzz", "enter")
        await settle(pilot, app)
        assert view.counts is not None and view.counts.total == 0
        assert "no incidents match the filter" in screen_text(app)


async def test_cursor_names_the_region_and_enter_filters_to_it(db_copy: Path) -> None:
    con = open_db(db_copy, read_only=True)
    lon, lat = one_row(
        con.execute(
            "SELECT longitude, latitude FROM incidents WHERE admin1 = 'Kayes' AND latitude IS NOT NULL "
            "LIMIT 1"
        )
    )
    con.close()
    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await open_map(pilot, app)
        assert view.view is not None
        x, y = view.view.to_dot(lon, lat)
        target = (math.floor(x) // 2, math.floor(y) // 4)
        # walk the cursor there with the keys
        while view.cursor[0] != target[0]:
            await pilot.press("l" if view.cursor[0] < target[0] else "h")
        while view.cursor[1] != target[1]:
            await pilot.press("j" if view.cursor[1] < target[1] else "k")
        await settle(pilot, app)
        assert view.info is not None and view.info.region == ("Mali", "Kayes")
        kayes = seed_count(db_copy, Filter(country="Mali", admin1="Kayes"))
        assert view.info.cell_count >= 1
        assert f"Kayes, Mali: {kayes}" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.filter.admin1 == "Kayes" and app.filter.country == "Mali"
        assert "Kayes" in screen_text(app).splitlines()[0]  # the breadcrumb
        # the view zooms to the region
        shape = admin1_shape("Mali", "Kayes")
        assert shape is not None and view.view is not None
        west, south, east, north = view.view.bbox
        assert west <= shape.bbox[0] and east >= shape.bbox[2]
        assert (east - west) < 3 * (shape.bbox[2] - shape.bbox[0])
        assert view.counts is not None and view.counts.total == kayes


async def test_zoom_pan_and_fit_keys(db_copy: Path) -> None:
    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await open_map(pilot, app)
        assert view.view is not None
        start = view.view
        await pilot.press("plus")
        await settle(pilot, app)
        assert view.view.scale < start.scale
        await pilot.press("minus", "minus")
        await settle(pilot, app)
        assert view.view.scale > start.scale
        lon = view.view.lon
        await pilot.press("L")
        await settle(pilot, app)
        assert view.view.lon > lon
        cursor = view.cursor
        await pilot.press("left", "up")
        assert view.cursor == (cursor[0] - 1, cursor[1] - 1)
        await pilot.press("f")
        await settle(pilot, app)
        assert view.view == start
        assert view.counts is not None and view.counts.total == 9


async def test_the_chronologys_incident_is_marked(db_copy: Path) -> None:
    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await open_map(pilot, app)
        current = chronology(app).current
        assert current is not None
        assert view.highlighted is not None and view.highlighted.event_id == current.event_id
        assert view.highlight_cell() is not None
        assert HIGHLIGHT_MARK in screen_text(app)


async def test_space_plays_the_range_week_by_week(db_copy: Path) -> None:
    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await open_map(pilot, app)
        await pilot.press("space")
        await wait_until(pilot, lambda: view.frame is not None)
        assert view.playing and view.frame is not None
        first = view.frame
        assert first[0].weekday() == 0 and (first[1] - first[0]).days == 6

        def week(frame) -> Filter:
            return Filter(date_from=frame[0], date_to=frame[1])

        # under load a frame may pass before its counts arrive: check whichever frame settles
        await wait_until(
            pilot, lambda: view.frame is not None and view.counted_filter == week(view.frame)
        )
        shown, counts = view.counted_filter, view.counts
        assert shown is not None and counts is not None
        assert counts.total == seed_count(db_copy, shown)
        assert "week of " in screen_text(app)
        await wait_until(pilot, lambda: view.frame is not None and view.frame[0] > first[0])
        await pilot.press("space")
        await wait_until(pilot, lambda: view.counts is not None and view.frame is None)
        await settle(pilot, app)
        assert not view.playing
        assert view.counts is not None and view.counts.total == 9


async def test_at_80x24_the_map_takes_the_screen(db_copy: Path) -> None:
    app = RasdApp(db_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_map(pilot, app)
        shown = [p.id for p in app.query(".pane") if p.display]
        assert shown == ["map-pane"]
        assert view.view is not None and view.view.width >= 70
        assert "without coordinates" in screen_text(app)
        await pilot.press("2")
        await settle(pilot, app)
        assert [p.id for p in app.query(".pane") if p.display] == ["chronology-pane"]


async def test_help_lists_the_map_keys_and_the_borders_note(db_copy: Path) -> None:
    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 100)) as pilot:  # every section on one screen
        await settle(pilot, app)
        await pilot.press("question_mark")
        await settle(pilot, app)
        text = screen_text(app)
        assert "Map [4]" in text and "map.zoom_in" in text and "app.map" in text
        assert "Natural Earth 4.1" in text and "disputed" in text


def test_the_acled_map_screenshot_is_fresh(shared: Path, tmp_path: Path) -> None:
    from tui.screenshots import ACLED_SAMPLE, ACLED_SHOTS, OUT, render_acled

    assert ACLED_SAMPLE.resolve() == (shared / "data" / "acled" / ACLED_SAMPLE.name).resolve()
    current = render_acled(tmp_path / "acled.duckdb")
    for shot in ACLED_SHOTS:
        saved = OUT / f"{shot.name}.svg"
        assert saved.read_text(encoding="utf-8") == current[shot.name], (
            f"stale {saved.name}: run `python -m tui.screenshots`"
        )
        assert (OUT / f"{shot.name}.png").exists()
