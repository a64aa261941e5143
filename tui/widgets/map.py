"""The map pane: where the current filter's incidents are, linked to the other panes.

Counts per braille dot come from one DuckDB query per view (db/map_queries.py); the outlines are
packaged (db/geo.py). A filter change refits the view to the incidents' extent. The cursor is a
cell: it names the region under it and counts it; Enter filters to that region with the region
tree's own message. `space` plays the filter's date range on the map alone, in windows of a
week or more (at most PLAY_FRAMES of them), each drawn with its counts before the next.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget

from db.geo import (
    WORLD,
    Shape,
    Viewport,
    admin1_at,
    admin1_shape,
    country_at,
    fit,
    load_geo,
)
from db.map_queries import (
    REGION_ONLY,
    IncidentPoint,
    MapCounts,
    PlaceCount,
    count_region,
    country_for_iso,
    date_span,
    filter_extent,
    incident_point,
    map_counts,
    places_in,
)
from db.queries import Filter, is_region_only
from tui.connection import unless_superseded
from tui.map.draw import Backdrop, MapStyles, legend_items, map_rows, outlines, pack
from tui.text.sanitize import sanitize
from tui.widgets.failures import SaysFailures
from tui.widgets.regions import RegionsTree

if TYPE_CHECKING:
    import duckdb

    from tui.connection import StoreConnection

TASK = "map"
"""The store task of this pane's counting query (see tui/connection.py)."""
ZOOM = 1.6
PLAY_SECONDS = 0.8
"""Seconds each frame of `space` stays at least (longer when its counts come later)."""
PLAY_FRAMES = 48
"""At most this many frames: a long range plays in windows of several weeks."""
STATUS_LINES = 1
BACKDROPS_KEPT = 16
"""Views whose outlines are kept (a few KB each: a byte per cell, two canvases)."""
LEGEND_LINES = 2
"""Lines left for the legend under the map (one more below WIDE_LEGEND columns), or as many
as the longest legend drawn at this width: a legend longer than planned means counting the
view again with fewer rows, and views stay the same size from one filter to the next."""
WIDE_LEGEND = 100
MANY = 10_000
TYPICAL_LEGEND = 160
"""Cells of the legend over MANY incidents or more (eight weights with numbers of five digits
and more, region-only ones, the cell's size): the lines planned for it before the first count
(planned too few, the view is counted again: 30 ms of the map's first showing at 10M)."""
DRAWING = ThreadPoolExecutor(max_workers=1, thread_name_prefix="map-outlines")
"""Where a view's outlines are drawn while its counts are queried."""


@dataclass(frozen=True, slots=True)
class CursorInfo:
    """What is under the cursor cell, for the status line and Enter."""

    cell: tuple[int, int]
    region: tuple[str, ...]
    """The region tree path of the region under the cursor (empty over no land)."""
    name: str
    cell_count: int
    region_count: int | None
    places: tuple[PlaceCount, ...] = ()


@dataclass(frozen=True, slots=True)
class Foreseen:
    """A view counted while the map was hidden, at the size it will have when shown: `4` then
    draws it in its first frame (counting it there took 60-90 ms of the first showing at 10M)."""

    generation: int
    filter: Filter
    content: Size
    view: Viewport
    counts: MapCounts
    borders: Backdrop
    wanted: tuple[str, dt.date | None] | None
    point: IncidentPoint | None
    """The chronology's incident (`wanted`) on the map."""


def play_windows(
    first: dt.date, last: dt.date, frames: int = PLAY_FRAMES
) -> list[tuple[dt.date, dt.date]]:
    """Consecutive windows of whole weeks (Monday to Sunday) from `first`'s week to `last`'s:
    one week each, or as many as keep them to `frames` (a decade plays in 48 steps, not 520)."""
    monday = first - dt.timedelta(days=first.weekday())
    weeks = (last - monday).days // 7 + 1
    step = dt.timedelta(days=7 * max(math.ceil(weeks / frames), 1))
    out = []
    while monday <= last:
        out.append((monday, monday + step - dt.timedelta(days=1)))
        monday += step
    return out


class MapView(Widget, SaysFailures, can_focus=True):
    """Braille map of the current filter's incidents; the cursor names what is under it."""

    BINDINGS = [
        Binding("plus,equals_sign", "zoom(1)", "Zoom in", id="map.zoom_in"),
        Binding("minus", "zoom(-1)", "Zoom out", id="map.zoom_out"),
        Binding("h,left", "move(-1, 0)", "Cursor left", show=False, id="map.left"),
        Binding("l,right", "move(1, 0)", "Cursor right", show=False, id="map.right"),
        Binding("k,up", "move(0, -1)", "Cursor up", show=False, id="map.up"),
        Binding("j,down", "move(0, 1)", "Cursor down", show=False, id="map.down"),
        Binding("H,shift+left", "pan(-1, 0)", "Pan west", show=False, id="map.pan_west"),
        Binding("L,shift+right", "pan(1, 0)", "Pan east", show=False, id="map.pan_east"),
        Binding("K,shift+up", "pan(0, -1)", "Pan north", show=False, id="map.pan_north"),
        Binding("J,shift+down", "pan(0, 1)", "Pan south", show=False, id="map.pan_south"),
        Binding("f", "fit", "Fit to the filter", id="map.fit"),
        Binding("enter", "choose", "Filter to the region", id="map.choose"),
        Binding("space", "play", "Play week by week", id="map.play"),
        Binding("escape", "stop_playing", "Stop playing", show=False, id="map.stop"),
    ]
    COMPONENT_CLASSES = {
        "map--outline",
        "map--region",
        "map--low",
        "map--mid",
        "map--high",
        "map--region-only",
        "map--highlight",
        "map--cursor",
        "map--status",
        "map--label",
    }
    DEFAULT_CSS = """
    MapView { height: 1fr; padding: 0 1; }
    MapView > .map--outline { color: $text-muted; text-style: dim; }
    MapView > .map--region { color: $text-muted; text-style: dim; }
    MapView > .map--low { color: $warning; text-style: bold; }
    MapView > .map--mid { color: $warning-darken-2; text-style: bold; }
    MapView > .map--high { color: $error; text-style: bold; }
    MapView > .map--region-only { color: $accent; text-style: bold; }
    MapView > .map--highlight { color: $success; text-style: bold reverse; }
    MapView > .map--cursor { text-style: reverse; }
    MapView > .map--status { text-style: bold; }
    MapView > .map--label { color: $text-muted; text-style: italic; }
    """

    class Counted(Message):
        """The map drew a view: its counts, for the pane's title."""

        def __init__(self, counts: MapCounts) -> None:
            super().__init__()
            self.counts = counts

    def __init__(self, store: StoreConnection, **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.filter = Filter()
        self.generation = 0
        self.view: Viewport | None = None
        self.counts: MapCounts | None = None
        self.counted_filter: Filter | None = None
        """The filter `counts` are of (a week of it while playing)."""
        self.counted_generation = -1
        """`generation` when `counts` arrived: equal to it once the current view is drawn."""
        self.cursor: tuple[int, int] = (0, 0)
        self.info: CursorInfo | None = None
        self.highlighted: IncidentPoint | None = None
        self._wanted: tuple[str, dt.date | None] | None = None
        self.frame: tuple[dt.date, dt.date] | None = None
        """The window of the date range shown while playing (None: the whole range)."""
        self.frame_number = 0
        self._frames: list[tuple[dt.date, dt.date]] = []
        self._playing = False
        self._frame_started = 0.0
        self._timer: Timer | None = None
        """The next frame, set once the current one's counts are drawn."""
        self._stale = True
        self._refit = True
        self._backdrops: OrderedDict[tuple[float, float, float, int, int], Backdrop] = OrderedDict()
        """The outlines of the last few views (going back and forth between regions redraws
        the same borders: 5-40 ms of Python each, taken from the screen's own time)."""
        self._backdrops_lock = threading.Lock()
        self._drawn: list[Strip] | None = None
        """This repaint's lines (render_lines draws them once for every render_line)."""
        self._rows: tuple[tuple[object, ...], list[Strip]] | None = None
        """The map's rows and what they were drawn from (`_map_lines`)."""
        self._info_generation = 0
        self.expected = 0
        """The filter's incidents as the list counted them (0 until it has): how long a
        legend to plan for."""
        self._legend_lines: tuple[int, int] = (0, 0)
        """(width, lines) of the longest legend drawn at that width."""
        self._foreseen: Foreseen | None = None
        self._foreseeing: tuple[int, Size] | None = None
        """(generation, content size) of the view being counted ahead, hidden."""

    # ---- data -------------------------------------------------------------------------------

    @work(thread=True, group="map-outlines", exit_on_error=False)
    def prepare(self) -> None:
        """Decode the outlines now (about 35 ms of Python, once, after the first screen): on
        first showing they were a third of the wait for `4`, and the cursor's country look-up
        after it decoded the fine ones while the screen drew."""
        geo = load_geo()
        geo.countries("coarse")
        geo.admin1  # noqa: B018 - decoded on first use
        geo.countries("fine")

    def load(self, f: Filter) -> None:
        """A new filter: refit to its incidents and count, now if shown, else when shown."""
        self.stop_playing()
        self.filter = f
        self._refit = True
        self._stale = True
        self.generation += 1
        self.counts = None
        self._foreseen = None
        self.store.interrupt(TASK)
        self._query_if_shown()
        self.refresh()

    def reload(self) -> None:
        self._stale = True
        self.generation += 1
        self._query_if_shown()

    @property
    def shown(self) -> bool:
        return (
            self.is_mounted
            and self.display
            and self.parent is not None
            and bool(self.parent.display)
        )

    def _query_if_shown(self) -> None:
        if not (self._stale and self.shown):
            return
        content = self.content_region.size
        if not content.area:
            return  # shown but not laid out yet: counted when it is (on_show, on_resize)
        if self.showing(content) or self._foreseeing == (self.generation, content):
            return  # drawn, or drawn when the count ahead arrives
        self._stale = False
        self._count(self.generation, self._frame_filter(), self._refit, content)
        self._refit = False

    def foresee(self, content: Size) -> None:
        """Count the view the map will show at `content` cells while it is hidden (the app
        asks once the filter's count is in), so that showing it needs no query."""
        key = (self.generation, content)
        ready = self._foreseen
        if (
            self.shown
            or not self._stale
            or not content.area
            or self._foreseeing == key
            or (ready is not None and (ready.generation, ready.content) == key)
        ):
            return
        self._foreseeing = key
        self._count_ahead(
            self.generation, self._frame_filter(), self._refit, self.view, content, self._wanted
        )

    @property
    def ahead(self) -> Foreseen | None:
        """The view counted ahead while hidden, not yet shown."""
        return self._foreseen

    def showing(self, content: Size) -> bool:
        """Draw the view counted ahead if it is of this filter at `content` cells (the app calls
        this as it shows the pane, before its layout: the first frame then has the map)."""
        ready = self._foreseen
        if (
            not self._stale
            or ready is None
            or ready.generation != self.generation
            or ready.content != content
        ):
            return False
        self._foreseen = None
        self._stale = False
        self._refit = False
        if ready.wanted == self._wanted:
            self.highlighted = ready.point
        self._counted(ready.generation, ready.filter, ready.view, ready.counts, ready.borders)
        return True

    @work(thread=True, exclusive=True, group="map", exit_on_error=False)
    def _count_ahead(
        self,
        generation: int,
        f: Filter,
        refit: bool,
        view: Viewport | None,
        content: Size,
        wanted: tuple[str, dt.date | None] | None,
    ) -> None:
        ready = None
        try:
            with unless_superseded(lambda: generation == self.generation):
                con = self.store.cursor(TASK, generation)
                view, counts, borders = self._measure(con, f, refit, view, content)
                point = incident_point(con, *wanted) if wanted is not None else None
                ready = Foreseen(generation, f, content, view, counts, borders, wanted, point)
        finally:
            self.app.call_from_thread(self._counted_ahead, generation, content, ready)

    def _counted_ahead(self, generation: int, content: Size, ready: Foreseen | None) -> None:
        if self._foreseeing == (generation, content):
            self._foreseeing = None
        if ready is not None and generation == self.generation:
            self._foreseen = ready
        self._query_if_shown()  # shown meanwhile: drawn now, or counted if this one failed

    def on_show(self) -> None:
        self._query_if_shown()
        wanted = self._wanted
        if wanted is not None and (
            self.highlighted is None or self.highlighted.event_id != wanted[0]
        ):
            self._locate(*wanted)

    def _frame_filter(self) -> Filter:
        if self.frame is None:
            return self.filter
        lo, hi = self.frame
        f = self.filter
        return replace(
            f,
            date_from=max(lo, f.date_from) if f.date_from else lo,
            date_to=min(hi, f.date_to) if f.date_to else hi,
        )

    def _map_size(self, legend: int | None = None, content: Size | None = None) -> tuple[int, int]:
        """The map's cells in `content` (else its own), leaving `legend` lines (else the
        default, or the longest legend drawn at this width)."""
        region = self.content_region.size if content is None else content
        if legend is None:
            legend = LEGEND_LINES if region.width >= WIDE_LEGEND else LEGEND_LINES + 1
            if self.expected >= MANY:
                legend = max(legend, math.ceil(TYPICAL_LEGEND / max(region.width, 1)))
            width, longest = self._legend_lines
            if width == region.width:
                legend = max(legend, longest)
        return max(region.width, 1), max(region.height - STATUS_LINES - legend, 1)

    @work(thread=True, exclusive=True, group="map", exit_on_error=False)
    def _count(self, generation: int, f: Filter, refit: bool, content: Size) -> None:
        with unless_superseded(lambda: generation == self.generation):
            # the first pane to ask scans for all (db/match_summary.py): its progress is shown
            con = self.store.cursor(TASK, generation, progress=not is_region_only(f))
            view, counts, borders = self._measure(con, f, refit, self.view, content)
            self.app.call_from_thread(
                self._counted, generation, f, view, counts, borders, content, refit
            )

    def _measure(
        self,
        con: duckdb.DuckDBPyConnection,
        f: Filter,
        refit: bool,
        view: Viewport | None,
        content: Size,
    ) -> tuple[Viewport, MapCounts, Backdrop]:
        """The view of `f` at `content` cells (fitted to it, or `view` resized), its counts and
        outlines."""
        width, height = self._map_size(content=content)
        if refit or view is None:
            extent = self._filter_box(f) or filter_extent(con, f)
            view = fit(extent or WORLD, width, height)
        else:
            view = view.resized(width, height)
        # the outlines are Python and the count is DuckDB's: drawn while it counts
        borders = DRAWING.submit(self._outlines, view)
        counts = map_counts(con, f, view)
        legend = len(pack(legend_items(counts, view), width))
        if view.height > self._map_size(legend, content)[1]:  # a longer legend: fewer map rows
            self._legend_lines = (content.width, legend)
            view = view.resized(width, self._map_size(legend, content)[1])
            borders = DRAWING.submit(self._outlines, view)
            counts = map_counts(con, f, view)
        return view, counts, borders.result()

    def _filter_box(self, f: Filter) -> tuple[float, float, float, float] | None:
        """A region filter shows its whole region (its incidents may sit in one corner)."""
        shape = admin1_shape(f.country, f.admin1) if f.admin1 else None
        return shape.bbox if shape is not None else None

    def _outlines(self, view: Viewport) -> Backdrop:
        key = (view.lon, view.lat, view.scale, view.width, view.height)
        with self._backdrops_lock:  # the count's worker and the screen both ask
            backdrop = self._backdrops.get(key)
            if backdrop is None:
                backdrop = outlines(view)
                self._backdrops[key] = backdrop
                while len(self._backdrops) > BACKDROPS_KEPT:
                    self._backdrops.popitem(last=False)
            self._backdrops.move_to_end(key)
            return backdrop

    def _counted(
        self,
        generation: int,
        f: Filter,
        view: Viewport,
        counts: MapCounts,
        borders: Backdrop,
        content: Size | None = None,
        refit: bool = False,
    ) -> None:
        """Draw a view counted at `content` cells (None: the app's own figure for a view
        counted ahead, drawn before the layout), unless the map was laid out at another size
        while it was counted: that view is counted again, never drawn, not even for a frame."""
        if generation != self.generation:
            return
        size = self.content_region.size
        if content is not None and size.area and content != size:
            self.generation += 1
            self._stale = True
            self._refit = refit or self.view is None
            self._query_if_shown()
            return
        self.counted_filter = f
        self.counted_generation = generation
        moved = self.view is None or (self.view.lon, self.view.lat, self.view.scale) != (
            view.lon,
            view.lat,
            view.scale,
        )
        self.view = view
        self.counts = counts
        if moved and self.frame is None:
            self.cursor = (view.width // 2, view.height // 2)
        self.cursor = (min(self.cursor[0], view.width - 1), min(self.cursor[1], view.height - 1))
        self.post_message(self.Counted(counts))
        self._describe_cursor()
        self.refresh()
        if self._playing and self._timer is None and f == self._frame_filter():
            # this frame is drawn: the next after it has shown for PLAY_SECONDS
            shown_for = time.monotonic() - self._frame_started
            self._timer = self.set_timer(max(PLAY_SECONDS - shown_for, 0.01), self._next_frame)

    def highlight(self, event_id: str, event_date: dt.date | None) -> None:
        """Mark the chronology's current incident (looked up when the map is shown)."""
        self._wanted = (event_id, event_date)
        if self.shown:
            self._locate(event_id, event_date)

    @work(thread=True, exclusive=True, group="map-highlight", exit_on_error=False)
    def _locate(self, event_id: str, event_date: dt.date | None) -> None:
        point = incident_point(self.store.cursor(), event_id, event_date)
        self.app.call_from_thread(self._located, point)

    def _located(self, point: IncidentPoint | None) -> None:
        self.highlighted = point
        self.refresh()

    def highlight_cell(self) -> tuple[int, int] | None:
        point, view = self.highlighted, self.view
        if point is None or view is None:
            return None
        lon, lat = point.lon, point.lat
        if point.geo_precision == REGION_ONLY:
            shape = admin1_shape(point.country, point.admin1)
            if shape is not None and shape.label is not None:
                lon, lat = shape.label
        if lon is None or lat is None:
            return None
        x, y = view.to_dot(lon, lat)
        cell = (int(x // 2), int(y // 4))
        inside = 0 <= cell[0] < view.width and 0 <= cell[1] < view.height
        return cell if inside else None

    # ---- the cursor -------------------------------------------------------------------------

    def _describe_cursor(self) -> None:
        view, counts = self.view, self.counts
        if view is None or counts is None:
            return
        self._info_generation += 1
        box = view.cell_bbox(*self.cursor)
        lon, lat = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        self._query_cursor(
            self._info_generation,
            self._frame_filter(),
            self.cursor,
            box,
            lon,
            lat,
            counts.cells().get(self.cursor, 0),
        )

    @work(thread=True, exclusive=True, group="map-cursor", exit_on_error=False)
    def _query_cursor(
        self,
        generation: int,
        f: Filter,
        cell: tuple[int, int],
        box: tuple[float, float, float, float],
        lon: float,
        lat: float,
        cell_count: int,
    ) -> None:
        region: Shape | None = admin1_at(lon, lat)
        country: Shape | None = country_at(lon, lat) if region is None else None
        con = self.store.cursor()
        if region is not None:
            path: tuple[str, ...] = (region.country, region.name)
            name = f"{region.name}, {region.country}"
        elif country is not None:
            known = country_for_iso(con, country.iso) if country.iso is not None else None
            path = (known or country.name,)
            name = known or country.name
        else:
            path, name = (), "no land"
        region_count = count_region(con, f, path) if path else None
        places = tuple(places_in(con, f, box)) if cell_count else ()
        info = CursorInfo(cell, path, name, cell_count, region_count, places)
        self.app.call_from_thread(self._described, generation, info)

    def _described(self, generation: int, info: CursorInfo) -> None:
        if generation == self._info_generation:
            self.info = info
            self.refresh()

    def action_move(self, dx: int, dy: int) -> None:
        view = self.view
        if view is None:
            return
        x, y = self.cursor[0] + dx, self.cursor[1] + dy
        if 0 <= x < view.width and 0 <= y < view.height:
            self.cursor = (x, y)
            self.info = None
            self._describe_cursor()
            self.refresh()
            return
        # at the edge the view pans under the cursor
        self._set_view(view.panned(dx * max(view.width // 4, 1), dy * max(view.height // 4, 1)))

    def action_pan(self, dx: int, dy: int) -> None:
        view = self.view
        if view is not None:
            self._set_view(view.panned(dx * max(view.width // 4, 1), dy * max(view.height // 4, 1)))

    def action_zoom(self, direction: int) -> None:
        view = self.view
        if view is None:
            return
        self._set_view(view.zoomed(1 / ZOOM if direction > 0 else ZOOM))

    def action_fit(self) -> None:
        self._refit = True
        self._stale = True
        self.generation += 1
        self._query_if_shown()

    def _set_view(self, view: Viewport) -> None:
        self.view = view
        self.generation += 1
        self._stale = True
        self._query_if_shown()
        self.refresh()

    def action_choose(self) -> None:
        """Filter everything to the region under the cursor, as the region tree does."""
        info = self.info
        if info is None or not info.region or info.cell != self.cursor:
            self.app.bell()
            return
        self.stop_playing()
        self.post_message(RegionsTree.Chosen(info.region))

    # ---- playing through time ----------------------------------------------------------------

    def action_play(self) -> None:
        """Play the filter's date range; while playing or after, back to the whole range."""
        if self._playing or self.frame is not None:
            self.stop_playing()
            return
        self._start_playing(self.filter)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Esc stops playing; otherwise it is the app's (clear the last filter)."""
        if action == "stop_playing":
            return self._playing or self.frame is not None
        return True

    def action_stop_playing(self) -> None:
        self.stop_playing()

    @work(thread=True, exclusive=True, group="map-play", exit_on_error=False)
    def _start_playing(self, f: Filter) -> None:
        span = date_span(self.store.cursor(), f)
        self.app.call_from_thread(self._play_frames, f, span)

    def _play_frames(self, f: Filter, span: tuple[dt.date, dt.date] | None) -> None:
        if f != self.filter or span is None:
            self.app.bell()
            return
        self._frames = play_windows(*span)
        self.frame_number = 0
        self._playing = True
        self._next_frame()

    def _next_frame(self) -> None:
        """Show the next window (its counts are asked for now), or stop on the last one."""
        self._timer = None
        if self.frame_number >= len(self._frames):
            self._playing = False  # the end: the last window stays until space or Esc
            self.refresh()
            return
        self.frame = self._frames[self.frame_number]
        self.frame_number += 1
        self._frame_started = time.monotonic()
        self._stale = True
        self.generation += 1
        self.store.interrupt(TASK)
        self._query_if_shown()
        self.refresh()

    def stop_playing(self) -> None:
        """Back to the whole filter (a filter change, Enter, `space` or Esc)."""
        if not self._playing and self.frame is None:
            return
        self._playing = False
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._frames = []
        self.frame = None
        self._stale = True
        self.generation += 1
        self._query_if_shown()
        self.refresh()

    @property
    def playing(self) -> bool:
        return self._playing

    # ---- drawing ----------------------------------------------------------------------------

    def _styles(self) -> MapStyles:
        get = self.get_component_rich_style
        return MapStyles(
            get("map--outline"),
            get("map--region"),
            get("map--low"),
            get("map--mid"),
            get("map--high"),
            get("map--region-only"),
            get("map--highlight"),
            get("map--cursor", partial=True),
            get("map--label"),
        )

    def _status(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        if self.frame is not None:
            lo, hi = self._frame_filter().date_from, self._frame_filter().date_to
            assert lo is not None and hi is not None
            text.append("▶ " if self.playing else "■ ", style="bold")
            text.append(f"{lo.isoformat()} – {hi.isoformat()} ")
            text.append(f"{self.frame_number}/{len(self._frames)} ", style="dim")
            text.append(
                "(space/Esc: stop) " if self.playing else "(space/Esc: whole range) ", style="dim"
            )
        info = self.info
        if info is None:
            text.append("…", style="dim")
            return text
        text.append(sanitize(info.name), style="bold")
        if info.region_count is not None:
            text.append(f": {info.region_count:,}")
        text.append(f" · this cell: {info.cell_count:,}")
        if info.places:
            names = ", ".join(f"{sanitize(p.location or '?')} {p.incidents:,}" for p in info.places)
            text.append(f" ({names})", style="dim")
        return text

    def render_lines(self, crop: Region) -> list[Strip]:
        self._drawn = self._draw()  # the whole map once per repaint, not once per line
        try:
            return super().render_lines(crop)
        finally:
            self._drawn = None

    def render_line(self, y: int) -> Strip:
        lines = self._drawn if self._drawn is not None else self._draw()
        if y < len(lines):
            return lines[y]
        return Strip.blank(max(self.content_region.width, 1), self.rich_style)

    def _draw(self) -> list[Strip]:
        """Every content line: map rows, then the status line and the legend."""
        view, counts = self.view, self.counts
        width = max(self.content_region.width, 1)
        base = self.rich_style
        if view is None:
            return [self._text_line(Text("map: loading…", style="dim italic"), base, width)]
        styles = self._styles()
        legend = pack(legend_items(counts, view, styles), width)
        spare = self.content_region.height - STATUS_LINES - len(legend)
        lines = self._map_lines(view, counts, styles, base, width)
        lines = lines[: max(spare, 0)]  # a legend longer than planned takes map rows
        status = self._status()
        status.truncate(width, overflow="ellipsis")
        lines.append(self._text_line(status, base, width))
        lines.extend(self._text_line(line, base, width) for line in legend)
        return lines

    def _map_lines(
        self, view: Viewport, counts: MapCounts | None, styles: MapStyles, base: Style, width: int
    ) -> list[Strip]:
        """The map's rows, drawn again only when what they show changed (the cursor's place
        and its counts, named on the status line, arrive after the dots)."""
        key = (
            view,
            counts,
            styles,
            self.highlight_cell(),
            self.cursor if self.has_focus else None,
            base,
            width,
        )
        cached = self._rows
        if cached is not None and all(
            a is b or a == b for a, b in zip(cached[0], key, strict=True)
        ):
            return cached[1]
        rows = map_rows(view, counts, styles, key[3], key[4], self._outlines(view))
        lines = [row.crop_extend(0, width, base) for row in rows]
        self._rows = (key, lines)
        return lines

    def _text_line(self, text: Text, base: Style, width: int) -> Strip:
        segments = [s for s in text.render(self.app.console) if s.text != "\n"]
        return Strip(segments).apply_style(base).crop_extend(0, width, base)

    def on_resize(self, event: events.Resize) -> None:
        if self.view is None:
            self._query_if_shown()  # the first count waits for the first layout
            return
        width, height = self._map_size()
        if (width, height) != (self.view.width, self.view.height):
            self._refit = True
            self._set_view(self.view.resized(width, height))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
