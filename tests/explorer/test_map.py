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
from tui.widgets.regions import RegionsTree


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


async def test_the_hidden_source_is_drawn_when_it_shows_again(db_copy: Path) -> None:
    """Behind the map the Source pane keeps up with the cursor but draws nothing (each draw
    laid the report out and asked for a full layout); 3 shows the current incident's report."""
    from tui.widgets.rtl_view import RtlView
    from tui.widgets.source import SourcePane, report_text

    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_map(pilot, app)
        source, report = app.query_one(SourcePane), app.query_one("#report", RtlView)
        before = report.highlight
        await pilot.press("2", "j", "j")
        await settle(pilot, app)
        current = chronology(app).current
        assert current is not None and source.shown is not None
        assert source.shown.incident["event_id"] == current.event_id
        _, span = report_text(source.shown.incident)
        assert span != before  # the third incident's sentences are not the first's
        assert report.highlight == before  # hidden: not laid out again
        await pilot.press("3")
        await settle(pilot, app)
        assert app.query_one("#source-pane").display
        assert report.highlight == span


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
        tree = app.query_one(RegionsTree)
        assert tree.cursor_node is not None and tree.cursor_node.data is not None
        assert tree.cursor_node.data.path != ("Mali", "Kayes")
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.filter.admin1 == "Kayes" and app.filter.country == "Mali"
        # the tree's cursor is on the region, as if it had been chosen there
        node = tree.cursor_node
        assert node is not None and node.data is not None and node.data.path == ("Mali", "Kayes")
        assert app.filter == Filter().with_region(country="Mali", admin1="Kayes")
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


async def test_space_plays_the_range_frame_by_frame(db_copy: Path, monkeypatch) -> None:
    """Each window of the range is drawn with its own counts before the next one; the last one
    stays, dated, until space; Esc stops a play under way (and only then is the map's)."""
    import datetime as dt

    import tui.widgets.map as map_module

    monkeypatch.setattr(map_module, "PLAY_SECONDS", 0.05)
    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await open_map(pilot, app)
        drawn: list[tuple[tuple[dt.date, dt.date], int]] = []
        counted = view._counted

        def record(generation, f, *rest) -> None:
            counted(generation, f, *rest)
            if view.frame is not None and view.counts is not None and view.counted_filter == f:
                drawn.append((view.frame, view.counts.total))

        monkeypatch.setattr(view, "_counted", record)
        await pilot.press("space")
        await wait_until(pilot, lambda: view.frame is not None and not view.playing)
        # the seed runs from Sat 2025-12-27 to Thu 2026-01-22: five weeks, Monday to Sunday
        mondays = [dt.date(2025, 12, 22) + dt.timedelta(days=7 * i) for i in range(5)]
        frames = [frame for frame, _ in drawn]
        assert sorted(set(frames)) == [(m, m + dt.timedelta(days=6)) for m in mondays]
        assert frames == sorted(frames)  # in order, none skipped, each once or more
        for (lo, hi), total in drawn:
            assert total == seed_count(db_copy, Filter(date_from=lo, date_to=hi)), (lo, total)
        assert sum(dict(drawn).values()) == 9
        text = screen_text(app)
        assert "2026-01-19 – 2026-01-25 5/5" in text  # the end: the last window stays
        await pilot.press("space")
        await wait_until(pilot, lambda: view.frame is None and view.counted_filter == Filter())
        assert view.counts is not None and view.counts.total == 9

        # within a date filter it plays only that range; Esc stops it and clears no filter
        monkeypatch.setattr(map_module, "PLAY_SECONDS", 30.0)
        app.filter = Filter(date_from=dt.date(2026, 1, 17), date_to=dt.date(2026, 1, 20))
        app.filter_stack = ["dates"]
        await settle(pilot, app)
        drawn.clear()
        await pilot.press("space")
        await wait_until(pilot, lambda: bool(drawn))
        assert drawn[0] == ((dt.date(2026, 1, 12), dt.date(2026, 1, 18)), 2)  # two on the 18th
        assert "2026-01-17 – 2026-01-18 1/2" in screen_text(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: view.frame is None and view.counts is not None)
        assert not view.playing and app.filter.date_from == dt.date(2026, 1, 17)
        assert view.counted_filter == app.filter
        await pilot.press("escape")  # not playing: Esc is the app's again
        await settle(pilot, app)
        assert app.filter.date_from is None


def test_play_windows_keep_a_long_range_to_a_few_dozen_frames() -> None:
    import datetime as dt

    from tui.widgets.map import PLAY_FRAMES, play_windows

    weekly = play_windows(dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert [lo.isoformat() for lo, _ in weekly] == [
        "2025-12-29", "2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26"
    ]  # fmt: skip
    decade = play_windows(dt.date(1997, 1, 3), dt.date(2020, 12, 30))
    assert len(decade) <= PLAY_FRAMES
    assert decade[0][0] <= dt.date(1997, 1, 3) and decade[-1][1] >= dt.date(2020, 12, 30)
    assert all(
        b[0] - a[1] == dt.timedelta(days=1) for a, b in zip(decade, decade[1:], strict=False)
    )
    assert all(lo.weekday() == 0 and hi.weekday() == 6 for lo, hi in decade)


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


async def test_a_long_legend_is_planned_for_many_incidents(db_copy: Path) -> None:
    """Over many incidents the view leaves room for the long legend they have from the first
    count (planned for too few lines, every first view was counted twice); over few, the
    short default."""
    from tui.widgets.map import LEGEND_LINES, STATUS_LINES, TYPICAL_LEGEND, WIDE_LEGEND

    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await open_map(pilot, app)
        region = view.content_region
        assert region.width < WIDE_LEGEND and view.view is not None
        assert view.view.height == region.height - STATUS_LINES - (LEGEND_LINES + 1)
        view.expected = 1_000_000
        await pilot.press("f")
        await settle(pilot, app)
        long_legend = math.ceil(TYPICAL_LEGEND / region.width)
        assert long_legend > LEGEND_LINES + 1
        assert view.view.height == region.height - STATUS_LINES - long_legend


async def test_4_before_the_map_is_mounted_shows_it(db_copy: Path, monkeypatch) -> None:
    """The map is mounted after the first frame; `4` in the instant before must not be lost."""
    monkeypatch.setattr(RasdApp, "_start", lambda self: None)  # the first frame, held
    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        assert not app.query(MapView)
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.focused, MapView)
        assert app.query_one("#map-pane").has_class("-third")
