"""The explorer: composes the panes, routes their messages, owns the global keys.

The app holds the one `Filter` every pane shows; panes query in their own workers and tell the
app what the user chose through messages. DuckDB is first touched in a worker after the first
paint (see tui/connection.py).
"""

from __future__ import annotations

import asyncio
import shlex
import threading
import weakref
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import partial, wraps
from pathlib import Path
from typing import TYPE_CHECKING, Concatenate, ParamSpec, cast

from textual import events, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.driver import Driver
from textual.events import Resize
from textual.geometry import Size
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from db import first_screen
from db.queries import (
    REGION_LEVELS,
    Filter,
    SearchTooLong,
    admin1_regions,
    country_names,
    distinct_event_types,
    place_names,
    resolve_event_types,
    search_words,
)
from tui.citation import citation_line
from tui.collector import freeze_loaded, release_collector
from tui.connection import StoreConnection
from tui.filters import parse_date_range, search_too_long
from tui.keymap import load_keymap
from tui.paint_hold import PaintHold
from tui.palette import (
    PlaceEntry,
    RegionCommands,
    country_entries,
    location_entries,
    region_entries,
)
from tui.screens.palette_screen import SafeCommandPalette
from tui.status_forms import count_forms
from tui.terminal_modes import bidi_switch
from tui.text.layout import BidiMode, display_block, display_inline
from tui.text.sanitize import sanitize
from tui.theme_memory import load_theme, save_theme
from tui.view_actions import ViewActions, filter_kinds
from tui.views import View
from tui.widgets.chronology import COUNT_TASK, ChronologyView
from tui.widgets.failures import QueryFailed
from tui.widgets.filter_bar import FilterBar
from tui.widgets.footer import KeyFooter
from tui.widgets.pane import Pane
from tui.widgets.regions import RegionsTree
from tui.widgets.rtl_view import RtlView
from tui.widgets.source import SourcePane
from tui.widgets.timeline import Timeline

if TYPE_CHECKING:
    from db.coding import CodingStore
    from tui.widgets.map import MapView

MAP_NOTE = (
    "Map: borders are Natural Earth 4.1's (2018) view, drawn for orientation; they are not "
    "a statement on disputed borders. ◇ marks incidents located only to their region."
)
PROMPT_BINDINGS = frozenset(
    {"app.search", "app.filter_type", "app.filter_actor", "app.filter_dates"}
)
TYPEAHEAD_LIMIT = 1.5
"""Seconds keys are held for a prompt that does not open (a failed query): then they run."""
WIDE = 100
"""From this width on, all three panes side by side; below it, the focused pane alone."""
PROGRESS_EVERY = 0.25
"""Seconds between readings of a long count's progress (a search over millions of notes)."""
FORESEE_AFTER = 0.2
"""Seconds after a filter's count before the hidden map counts its view (the other panes'
loads come first; a key pressed meanwhile finds it not yet counted, and counts it)."""
MIN_SIZE = (40, 12)
REGIONS_MIN, REGIONS_SHARE = 28, 0.35
"""The Regions pane, wide: at least 28 cells, at most 35% of the terminal (labels fitted inside)."""
SOURCE_SHARE, LIST_LEAST = 0.4, 32
"""The third pane's share (app.tcss) and the cells the chronology keeps beside it: the Regions
pane grows for its labels only while the list keeps 32 (at 100 columns with wide labels it
took 35, leaving the list 25: the date, the mark and the dead, a place cut to 4 letters)."""
PANES = ("regions-pane", "chronology-pane", "source-pane", "map-pane")
FilterKind = str  # "region" | "search" | "type" | "actor" | "dates"
P = ParamSpec("P")


def while_shown(
    handler: Callable[Concatenate[RasdApp, P], None],
) -> Callable[Concatenate[RasdApp, P], None]:
    """A pane's message can reach the app after it has closed its screens, as it quits; the
    handler then found no pane to update and the closing app failed (CI, about 1 run in 3)."""

    @wraps(handler)
    def guarded(app: RasdApp, *args: P.args, **kwargs: P.kwargs) -> None:
        if app.screen_stack:
            handler(app, *args, **kwargs)

    return guarded


class RasdApp(ViewActions, App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "rasd"
    ALLOW_IN_MAXIMIZED_VIEW = "KeyFooter"
    """A pane zoomed with z keeps its keys (Textual's default names its own Footer)."""
    COMMANDS = App.COMMANDS | {RegionCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("1", "focus_pane('regions-pane')", "Regions", id="app.regions"),
        # priority: the focus chain holds only the shown pane when narrow, so Textual's own
        # Tab (focus_next) did nothing at 80x24
        Binding("tab", "cycle_pane(1)", "Next pane", show=False, priority=True, id="app.next_pane"),
        Binding(
            "shift+tab",
            "cycle_pane(-1)",
            "Previous pane",
            show=False,
            priority=True,
            id="app.previous_pane",
        ),
        Binding("2", "focus_pane('chronology-pane')", "Chronology", id="app.chronology"),
        Binding("3", "focus_pane('source-pane')", "Source", id="app.source"),
        Binding("4", "focus_pane('map-pane')", "Map", show=False, id="app.map"),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        Binding("slash", "search", "Search", id="app.search"),
        Binding("t", "filter_type", "Type", id="app.filter_type"),
        Binding("a", "filter_actor", "Actor", id="app.filter_actor"),
        Binding("d", "filter_dates", "Dates", id="app.filter_dates"),
        Binding("escape", "clear_last_filter", "Clear filter", id="app.clear_filter"),
        Binding("y", "copy_citation", "Copy citation", id="app.copy_citation"),
        Binding("z", "zoom", "Zoom pane", id="app.zoom"),
        Binding("e", "export", "Export view", show=False, id="app.export"),
        Binding("b", "toggle_bidi", "Bidi mode", show=False, id="app.toggle_bidi"),
        Binding("ctrl+r,f5", "reload", "Reload data", show=False, id="app.reload"),
        Binding("ctrl+z", "suspend_process", "Suspend (fg resumes)", show=False, id="app.suspend"),
    ]

    filter: reactive[Filter] = reactive(Filter, init=False)
    """Coded incidents and proposals (marked as such; see Filter.statuses), never rejected."""
    bidi_mode: reactive[BidiMode] = reactive("app", init=False)

    def __init__(
        self, db_path: Path, bidi_mode: BidiMode = "app", view: View | None = None
    ) -> None:
        super().__init__()
        self.store = StoreConnection(Path(db_path))
        self.set_reactive(RasdApp.bidi_mode, bidi_mode)
        self.start_view = view
        """A saved view to open with (`rasd --view NAME`)."""
        self.filter_stack: list[FilterKind] = []
        if view is not None:
            self.set_reactive(RasdApp.filter, view.filter)
            self.filter_stack = filter_kinds(view.filter)
        self.places: list[PlaceEntry] = []
        """Countries, regions and places for the palette's "jump to" (loaded after the start)."""
        self.regions_wanted = REGIONS_MIN
        self._width = 0
        """The terminal's width as last resized (0 before the first Resize)."""
        self.last_error: str | None = None
        self._after_count: list[Callable[[], object]] = []
        self.paint_hold = PaintHold(self)
        """A filter change paints once its list and count are in (tui/paint_hold.py)."""
        self._indexes_checked = False
        self._foresee_timer: Timer | None = None
        self._count_timer: Timer | None = None
        self._superseded: weakref.WeakSet[Worker] = weakref.WeakSet()
        """Workers that were reading when the data was reloaded: their failures are not errors."""
        self._holds = 0
        self._first_key: str | None = None
        """The database's key when the live first screen was asked for: kept once it is all in."""
        self._from_cache = False
        self._typeahead: list[events.Key] | None = None
        """Keys typed after a prompt key, before the prompt has focus (see hold_keys)."""
        keymap, self.keymap_warning = load_keymap()
        self.user_keymap = keymap
        self.set_keymap(keymap)

    # ---- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield FilterBar(id="filter-bar")
        with Horizontal(id="main"):
            with Pane("Regions", "1", id="regions-pane", classes="pane"):
                yield RegionsTree(self.store, id="regions")
            with Pane("Chronology", "2", id="chronology-pane", classes="pane"):
                yield Timeline(self.store, id="timeline")
                yield ChronologyView(self.store, id="chronology")
            yield SourcePane(self.store, id="source-pane", classes="pane")
            yield Pane("Map", "4", id="map-pane", classes="pane")  # its map: `_map()`
        yield Static(
            "rasd needs at least 40×12 cells — enlarge the terminal", id="too-small", markup=False
        )
        yield KeyFooter()

    @property
    def main_screen(self) -> Screen:
        return self.screen_stack[0]

    def on_mount(self) -> None:
        self._install_exit_guard()
        self.app_resume_signal.subscribe(self, self._repaint)
        self._chronology_status("counting…")
        self._from_cache = self._show_first_screen()
        self.query_one("#source-pane").border_title = "Source [3]"
        self._apply_size(self.size.width, self.size.height)
        self.watch(self.main_screen, "maximized", self._size_regions, init=False)
        saved = load_theme(set(self.available_themes))
        if saved is not None:
            self.theme = saved
        self.watch(self, "theme", self._remember_theme, init=False)
        self.query_one(ChronologyView).focus()
        self._write_terminal(bidi_switch(self.bidi_mode))
        self.query_one(FilterBar).show_filter(self.filter, self.bidi_mode)
        self.call_after_refresh(self._start)
        if self.keymap_warning:
            self.notify(self.keymap_warning, severity="warning", timeout=8)

    def get_driver_class(self) -> type[Driver]:
        driver = super().get_driver_class()
        if driver.__name__ == "LinuxDriver":  # Unix only: it imports termios
            from tui.hangup import HangupDriver

            return HangupDriver
        return driver

    def _install_exit_guard(self) -> None:
        """Hangups, SIGTERM and SIGINT end rasd like `q`, even with a thread stuck (tui.hangup)."""
        from tui.hangup import ExitGuard, HangupDriver, restore_terminal

        driver = self._driver
        if not isinstance(driver, HangupDriver):
            return  # headless (tests)
        if threading.current_thread() is not threading.main_thread():
            return  # not in charge of the process
        loop = asyncio.get_running_loop()

        def request_exit(code: int) -> None:
            loop.call_soon_threadsafe(self._exit_on_signal, code)

        guard = ExitGuard(request_exit, lambda: restore_terminal(driver.attrs_before))
        driver.on_gone = guard.terminal_gone
        guard.install(driver.fileno)

    def _exit_on_signal(self, code: int) -> None:
        self._write_terminal(bidi_switch("terminal"))
        self.exit(return_code=code)

    def _repaint(self, _app: App) -> None:
        """Back from Ctrl+Z (or any SIGCONT): the terminal shows nothing of ours until we draw."""
        self.screen.refresh(layout=True)

    def _show_first_screen(self) -> bool:
        """The default view from the cache beside the database (db/first_screen.py), if it
        describes this very file: shown in the first frame, replaced by live queries after it."""
        chronology = self.query_one(ChronologyView)
        sort = self.start_view.sort if self.start_view is not None else chronology.sort
        found = first_screen.read(self.store.path, self.filter, sort)
        if found is None:
            return False
        screen, _ = found
        chronology.show_cached(screen.rows, screen.total, screen.proposed, screen.countries)
        self.query_one(Timeline).series = screen.series
        tree = self.query_one(RegionsTree)
        tree.show_cached(screen.regions)
        self.regions_wanted = max(self.regions_wanted, tree.wanted_width())  # in the first frame
        self._chronology_status(*count_forms(screen.total, screen.proposed))
        return True

    def _start(self) -> None:
        """Queries start after the first paint: the screen shows before DuckDB loads."""
        release_collector()
        self._map()
        self._set_modes(self.bidi_mode)
        chronology = self.query_one(ChronologyView)
        if self.start_view is not None:
            chronology.set_reactive(ChronologyView.sort_key, self.start_view.sort.key)
            chronology.set_reactive(ChronologyView.order, self.start_view.sort.order)
        if self._from_cache:
            chronology.refresh_live()
            self.query_one(Timeline).load(self.filter, keep=True)
            self.query_one(RegionsTree).confirm()
        else:
            if first_screen.is_default_view(self.filter, chronology.sort):
                self._first_key = first_screen.identity(self.store.path)
            self.query_one(RegionsTree).load(self.filter, reveal=self.filter.region_path)
            self._load_filtered()
        self.watch(self.query_one(Timeline), "series", self._keep_first_screen, init=False)
        self._load_places()

    def _keep_first_screen(self, *_: object) -> None:
        """Once the live default view is all in (no cache was shown), keep it for next time."""
        chronology, tree = self.query_one(ChronologyView), self.query_one(RegionsTree)
        if self._first_key is None:
            return
        if not first_screen.is_default_view(self.filter, chronology.sort):
            return
        rows, series = chronology.first_rows(), self.query_one(Timeline).series
        root = tree.root
        if rows is None or chronology.total is None or series is None or tree.filter != Filter():
            return
        if root.data is None or not root.data.loaded:
            return
        regions = [n.data.count for n in root.children if n.data and n.data.count]
        screen = first_screen.FirstScreen(
            rows, chronology.total, chronology.proposed, series, regions, chronology.countries
        )
        key, self._first_key = self._first_key, None
        self._save_first_screen(screen, key)

    @work(thread=True, group="indexes", exit_on_error=False)
    def _check_indexes(self) -> None:
        """A database made by an older rasd answers rightly but by scanning: say how to fix it
        (the explorer opens it read-only and cannot build what it lacks)."""
        from db.seed import DERIVED_NAMES, missing_derived

        missing = missing_derived(self.store.cursor())
        if missing:
            names = ", ".join(DERIVED_NAMES.get(stamp, stamp) for stamp in missing)
            self.call_from_thread(
                self.notify,
                f"This database lacks its {names} (made by an older rasd): answers are right "
                f"but slower. `rasd reindex --db {shlex.quote(str(self.store.path))}` builds "
                "what it lacks.",
                timeout=12,
            )

    @work(thread=True, group="first-screen", exit_on_error=False)
    def _save_first_screen(self, screen: first_screen.FirstScreen, key: str) -> None:
        first_screen.write(self.store.path, screen, key)

    def _load_filtered(self) -> None:
        self.query_one(ChronologyView).load(self.filter)
        self.query_one(Timeline).load(self.filter)

    @work(thread=True, exclusive=True, group="palette-regions", exit_on_error=False)
    def _load_places(self) -> None:
        con = self.store.cursor()
        entries = country_entries(country_names(con)) + region_entries(admin1_regions(con))
        self.call_from_thread(setattr, self, "places", entries)
        entries = entries + location_entries(place_names(con))  # slower: a scan at 10M
        self.call_from_thread(setattr, self, "places", entries)
        self.call_from_thread(freeze_loaded)  # the last of the start-up loads: kept for good

    def _remember_theme(self, name: str) -> None:
        save_theme(name)

    @while_shown
    def on_resize(self, event: Resize) -> None:
        self._apply_size(event.size.width, event.size.height)
        self._foresee_map_later()  # at the new size

    def _apply_size(self, width: int, height: int) -> None:
        self._width = width  # the app's size is the old one until its Resize has been handled
        screen = self.main_screen
        screen.set_class(width < WIDE, "-narrow")
        screen.set_class(width < MIN_SIZE[0] or height < MIN_SIZE[1], "-too-small")
        self._size_regions()

    @while_shown
    def on_regions_tree_wanted(self, message: RegionsTree.Wanted) -> None:
        self.regions_wanted = max(self.regions_wanted, message.cells)
        self._size_regions()
        self._keep_first_screen()

    def _size_regions(self, *_: object) -> None:
        """Wide: the Regions pane grows for its labels, up to REGIONS_SHARE of the terminal
        and while the list keeps LIST_LEAST; narrow or zoomed, the style sheet's full width
        applies."""
        panes = self.main_screen.query("#regions-pane")
        if not panes:
            return
        pane = panes.first()
        width = self._width or self.size.width
        if width < WIDE or self.main_screen.maximized is not None:
            pane.styles.width = None
            return
        beside = width - int(width * SOURCE_SHARE) - LIST_LEAST
        cap = max(REGIONS_MIN, min(int(width * REGIONS_SHARE), beside))
        pane.styles.width = min(max(self.regions_wanted, REGIONS_MIN), cap)

    def _active_pane(self) -> Widget | None:
        node = self.main_screen.focused
        while node is not None:
            if isinstance(node, Widget) and node.id in PANES:
                return node
            node = node.parent  # type: ignore[assignment]
        return None

    @while_shown
    def on_descendant_focus(self) -> None:
        active = self._active_pane()
        for pane in self.query(".pane"):
            pane.set_class(pane is active, "-active")
        if active is not None:
            self._show_third(active.id)

    def _show_third(self, pane_id: str | None) -> None:
        """Wide: the map takes the source's place while it is used (3 brings the source back)."""
        if pane_id == "map-pane" and not self._map_in_third():
            content = self._map_content()
            view = self._map()
            # its view counted ahead is drawn in this layout's frame, with its count
            if content is not None and view.showing(content) and view.counts is not None:
                self._map_status(view.counts.total)
        if pane_id in ("source-pane", "map-pane"):
            on_map = pane_id == "map-pane"
            self.query_one("#map-pane").set_class(on_map, "-third")
            self.query_one("#source-pane").set_class(on_map, "-covered")

    def _map(self) -> MapView:
        """The map, mounted after the first frame (`_start`), or when first asked for if that
        is sooner: hidden until `4`, its modules and styles cost the first frame 15-30 ms."""
        found = self.query("#map")
        if found:
            return cast("MapView", found.first())
        from tui.widgets.map import MapView

        view = MapView(self.store, id="map")
        pane = self.query_one("#map-pane")
        if pane.is_attached:  # else the app is closing (a hangup at the first frame)
            pane.mount(view)
        row = self.query_one(ChronologyView).current
        if row is not None:
            view.highlight(row.event_id, row.event_date)
        return view

    def _map_in_third(self) -> bool:
        return self.query_one("#map-pane").has_class("-third")

    def _map_content(self) -> Size | None:
        """The map's cells once shown: its pane takes the third place (the source pane's when
        wide, the focused pane's when narrow) with the same size; None if unknown (zoomed)."""
        screen = self.main_screen
        if screen.maximized is not None or self._map_in_third():
            return None
        place = self._active_pane() if self.size.width < WIDE else self.query_one("#source-pane")
        if place is None or not place.region:
            return None
        view = self._map()
        pane = self.query_one("#map-pane")
        return place.region.shrink(pane.styles.gutter).shrink(view.styles.gutter).size

    def _foresee_map(self) -> None:
        """The hidden map counts its view ahead, once the filter's panes have loaded."""
        self._foresee_timer = None
        if not self.screen_stack:  # the app is closing
            return
        content = self._map_content()
        if content is not None:
            self._map().foresee(content)

    def _foresee_map_later(self) -> None:
        if self._foresee_timer is not None:
            self._foresee_timer.stop()
        self._foresee_timer = self.set_timer(FORESEE_AFTER, self._foresee_map)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every toast, widgets' too: never markup, controls removed.

        Messages carry file names, typed text and data; `[/x]` in a date crashed the app.
        """
        # Arabic in a toast is wrapped and ordered here (Textual's Toast is 60 cells, at most
        # half the screen, with padding and a border)
        room = max(min(60, self.size.width // 2) - 4, 10)
        mode: BidiMode = "terminal" if self.bidi_mode == "terminal" else "app"
        super().notify(
            display_block(message, room, mode),
            title=display_inline(title, mode),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def _write_terminal(self, sequence: str) -> None:
        """Raw mode switches for the real terminal (nothing in headless tests)."""
        driver = self._driver
        if driver is not None and not driver.is_headless:
            driver.write(sequence)
            driver.flush()

    # ---- messages from panes -------------------------------------------------------------

    @while_shown
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self._say_failure(event.worker)

    @while_shown
    def on_query_failed(self, message: QueryFailed) -> None:
        self._say_failure(message.worker)

    def _say_failure(self, worker: Worker[object]) -> None:
        """A query that failed (locked, damaged or vanished database) is said, not crashed on."""
        if worker in self._superseded:
            return
        error = worker.error
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        if self.last_error != message:
            self.last_error = message
            self.notify(
                f"{message} — Ctrl+R retries",
                title="cannot read the database",
                severity="error",
                timeout=15,
                markup=False,
            )
        self._stop_following_count()
        self._chronology_status("database error")

    @while_shown
    def on_regions_tree_chosen(self, message: RegionsTree.Chosen) -> None:
        path = message.path
        parts = dict(zip(REGION_LEVELS, path, strict=False))
        self._push_kind("region", bool(path))
        new = self.filter.with_region(**parts)
        tree = self.query_one(RegionsTree)
        if new != self.filter:
            self.filter = new
            self._after_count.insert(0, tree.open_chosen)  # the list first, then the tree opens
        else:
            tree.open_chosen()
        tree.reveal(path)  # chosen on the map: the tree follows

    @while_shown
    def on_chronology_view_highlighted(self, message: ChronologyView.Highlighted) -> None:
        self.query_one(SourcePane).show(message.event_id, message.event_date)
        if self.query("#map"):  # else the map takes the current incident when mounted
            self._map().highlight(message.event_id, message.event_date)

    @while_shown
    def on_map_view_counted(self, message: MapView.Counted) -> None:
        self._map_status(message.counts.total)
        self.paint_hold.arrived("map")

    def _map_status(self, n: int) -> None:
        self.query_one("#map-pane", Pane).show_status(count_forms(n))

    @while_shown
    def on_chronology_view_opened(self, message: ChronologyView.Opened) -> None:
        self.query_one(SourcePane).show(message.event_id, message.event_date)
        self._focus_now(self.query_one("#report", RtlView))

    @while_shown
    def on_chronology_view_counted(self, message: ChronologyView.Counted) -> None:
        self._stop_following_count()
        self._chronology_status(*count_forms(message.total, message.proposed, message.sort))
        self._map().expected = message.total
        self._foresee_map_later()
        self._keep_first_screen()
        if not self._indexes_checked:  # once the first screen has its data
            self._indexes_checked = True
            self._check_indexes()
            self._map().prepare()
        if self.paint_hold.held:  # the list and count paint first; the other panes follow
            self.paint_hold.then(partial(self._run_after_count, self.filter))
            self.paint_hold.arrived("list")
        else:
            self._run_after_count()

    def _follow_count(self) -> None:
        """Show how far the list's count is while it scans ("counting… 40%")."""
        if self._count_timer is None:
            self._count_timer = self.set_interval(PROGRESS_EVERY, self._count_progress)

    def _count_progress(self) -> None:
        if self.query_one(ChronologyView).total is not None:
            self._stop_following_count()
            return
        from tui.widgets.map import TASK as MAP_TASK  # loaded by now: the map is mounted

        done = self.store.progress(COUNT_TASK, MAP_TASK)
        if done is not None and done > 0:
            self._chronology_status(f"counting… {min(done, 99):.0f}%")

    def _stop_following_count(self) -> None:
        if self._count_timer is not None:
            self._count_timer.stop()
            self._count_timer = None

    @while_shown
    def on_chronology_view_first_rows(self) -> None:
        self.paint_hold.release()  # a search: its first page shows while it counts

    def _chronology_status(self, *forms: str) -> None:
        """The list's status: a count's forms (fullest first) or a word ("counting…")."""
        self.query_one("#chronology-pane", Pane).show_status(forms)

    @while_shown
    def on_source_pane_jump(self, message: SourcePane.Jump) -> None:
        self.query_one(ChronologyView).go_to_incident(message.event_id)

    @while_shown
    def on_source_pane_code(self, message: SourcePane.Code) -> None:
        self._open_coding(message.source_id)

    @work(thread=True, exclusive=True, group="coding-open", exit_on_error=False)
    def _open_coding(self, source_id: str) -> None:
        """The coding screen writes through its own store (db/coding); the explorer's
        connection stays read-only and reads the changes when the screen closes."""
        from db.coding import CodingLocked, CodingStore

        try:
            coding = CodingStore.open(self.store.path)
        except CodingLocked as exc:
            self.call_from_thread(self.notify, str(exc), severity="warning", timeout=8)
            return
        self.call_from_thread(self._push_coding, coding, source_id)

    def _push_coding(self, coding: CodingStore, source_id: str) -> None:
        from tui.screens.coding import CodingScreen

        def closed(_saved: bool | None) -> None:
            coding.close()
            self.action_reload()

        self.push_screen(CodingScreen(coding, source_id), closed)

    # ---- the filter -----------------------------------------------------------------------

    def _push_kind(self, kind: FilterKind, active: bool) -> None:
        self.filter_stack = [k for k in self.filter_stack if k != kind]
        if active:
            self.filter_stack.append(kind)

    def watch_filter(self, old: Filter, new: Filter) -> None:
        if self.is_running:  # the map shown: its dots in the same frame as the list
            self.paint_hold.hold("list", *(["map"] if self._map().shown else []))
        self.query_one(FilterBar).show_filter(new, self.bidi_mode)
        self._chronology_status("counting…")
        self._follow_count()
        region_only = old.without_places() == new.without_places()
        timeline = self.query_one(Timeline)
        timeline.supersede()
        self._after_count = [partial(timeline.load, new)]
        self._map().load(new)  # counts when shown, after the chronology's count
        if not region_only:
            tree = self.query_one(RegionsTree)
            tree.clear_for(new, reveal=new.region_path)
            self._after_count.append(tree.fill)
        # The chronology's own query first: the counts over time and by region scan as many rows
        # (a search scans them all) and wait for its count, so that they do not share two cores
        # with it; the old filter's counts are cleared now.
        self.query_one(ChronologyView).load(new)

    def _run_after_count(self, counted: Filter | None = None) -> None:
        """The other panes' loads; `counted`: only if the filter is still the one counted
        (else the new filter's own count runs them)."""
        if counted is not None and counted != self.filter:
            return
        pending, self._after_count = self._after_count, []
        for load in pending:
            load()

    def action_clear_last_filter(self) -> None:
        screen = self.main_screen
        if screen.maximized is not None:
            screen.minimize()
            return
        if not self.filter_stack:
            return
        kind = self.filter_stack.pop()
        f = self.filter
        if kind == "region":
            f = f.with_region()
            self.query_one(RegionsTree).move_cursor(self.query_one(RegionsTree).root)
        elif kind == "search":
            f = replace(f, search=None)
        elif kind == "type":
            f = replace(f, event_types=())
        elif kind == "actor":
            f = replace(f, actor=None)
        elif kind == "dates":
            f = replace(f, date_from=None, date_to=None)
        self.filter = f

    # ---- keys typed ahead of a prompt ------------------------------------------------------

    def hold_keys(self) -> None:
        """Keep the keys that follow a prompt key (`/ambush⏎`, `tbattles⏎` in one burst) for the
        prompt: until it has focus they would run as commands (`b`) or be lost."""
        if self._typeahead is None:
            self._typeahead = []
            self._holds += 1
            self.set_timer(TYPEAHEAD_LIMIT, partial(self._release_stale, self._holds))

    async def _release_stale(self, hold: int) -> None:
        if hold == self._holds:  # the prompt never came (a failed query): the keys run
            await self.release_keys()

    async def on_event(self, event: events.Event) -> None:
        """Keys arrive here first, then go to the focused pane and come back for the app's
        bindings: a prompt key starts holding the keys behind it on its way in."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._typeahead is not None:
                self._typeahead.append(event)
                return
            if event.key in self._prompt_keys() and self.screen is self.main_screen:
                self.hold_keys()
        await super().on_event(event)

    def _prompt_keys(self) -> set[str]:
        keys: set[str] = set()
        for binding in RasdApp.BINDINGS:
            if isinstance(binding, Binding) and binding.id in PROMPT_BINDINGS:
                chosen = self.user_keymap.get(binding.id, binding.key)
                keys.update(k.strip() for k in chosen.split(","))
        return keys

    async def release_keys(self) -> None:
        """Replay the held keys, in order, to whatever has focus now (the prompt's field)."""
        held, self._typeahead = self._typeahead, None
        self._holds += 1
        for key in held or ():
            await super().on_event(key)

    def action_search(self) -> None:
        def done(text: str | None) -> None:
            if text is None:
                return
            text = " ".join(text.split())
            try:
                search_words(text)
            except SearchTooLong as exc:
                self.notify(search_too_long(exc), severity="error")
                return
            self._push_kind("search", bool(text))
            self.filter = replace(self.filter, search=text or None)

        self._ask(
            "Search (Arabic or Latin; every word must match):",
            self.filter.search or "",
            "e.g. نيورو or Nioro",
            done,
        )

    def action_filter_actor(self) -> None:
        def done(text: str | None) -> None:
            if text is None:
                return
            text = text.strip()
            self._push_kind("actor", bool(text))
            self.filter = replace(self.filter, actor=text or None)

        self._ask("Actor contains:", self.filter.actor or "", "e.g. JNIM", done)

    def action_filter_dates(self) -> None:
        def done(text: str | None) -> None:
            if text is None:
                return
            if not text.strip():
                self._push_kind("dates", False)
                self.filter = replace(self.filter, date_from=None, date_to=None)
                return
            try:
                lo, hi = parse_date_range(text)
            except ValueError as exc:
                self.notify(str(exc), severity="error")
                return
            self._push_kind("dates", True)
            self.filter = replace(self.filter, date_from=lo, date_to=hi)

        self._ask(
            "Dates FROM..TO (YYYY, YYYY-MM or YYYY-MM-DD; either side may be empty):",
            "",
            "e.g. 2026-01-01..2026-01-20 or 2026-01",
            done,
        )

    def action_filter_type(self) -> None:
        self.hold_keys()  # the prompt opens once the type names are read
        self._load_type_names()

    @work(thread=True, exclusive=True, group="type-names", exit_on_error=False)
    def _load_type_names(self) -> None:
        rows = distinct_event_types(self.store.cursor())
        names = sorted({v for t, s, _ in rows for v in (t, s) if v})
        self.call_from_thread(self._ask_type, names)

    def _ask_type(self, names: list[str]) -> None:
        def done(text: str | None) -> None:
            if text is None:
                return
            if not text.strip():
                self._push_kind("type", False)
                self.filter = replace(self.filter, event_types=())
                return
            self.filter_by_type(text)

        self._ask("Event type or sub-type:", "", "e.g. Battles", done, suggestions=names)

    def _ask(
        self,
        title: str,
        value: str,
        placeholder: str,
        done: Callable[[str | None], None],
        suggestions: list[str] | None = None,
    ) -> None:
        from tui.screens.prompt import PromptScreen  # on first use: not on the first paint's path

        self.hold_keys()
        self.push_screen(
            PromptScreen(
                title, value, placeholder, suggestions=suggestions, on_focus=self.release_keys
            ),
            done,
        )

    @work(thread=True, exclusive=True, group="type-filter", exit_on_error=False)
    def filter_by_type(self, text: str) -> None:
        types = resolve_event_types(self.store.cursor(), text)
        self.call_from_thread(self._type_resolved, text, types)

    def _type_resolved(self, text: str, types: tuple[str, ...]) -> None:
        if not types:
            self.notify(f"no event type matches {text!r}", severity="warning", markup=False)
            return
        self._push_kind("type", True)
        self.filter = replace(self.filter, event_types=types)

    def jump_to_place(self, entry: PlaceEntry) -> None:
        """The palette's choice: filter to the country, region or place and show it in the tree."""
        self._push_kind("region", True)
        path = list(entry.path) + [None] * (len(REGION_LEVELS) - len(entry.path))
        new = self.filter.with_region(*path)
        if new != self.filter:
            self.filter = new
        self.query_one(RegionsTree).load(new, reveal=new.region_path)

    # ---- other actions ----------------------------------------------------------------------

    def action_cycle_pane(self, step: int) -> None:
        """Regions → Chronology → Source (or the map, when it is shown) and round, at any size."""
        if self.screen is not self.main_screen:  # a prompt or the palette: Tab as usual
            if step > 0:
                self.screen.focus_next()
            else:
                self.screen.focus_previous()
            return
        if self.main_screen.maximized is not None:
            self.main_screen.minimize()
        third = "map-pane" if self._map_in_third() else "source-pane"
        order = ["regions-pane", "chronology-pane", third]
        active = self._active_pane()
        here = order.index(active.id) if active is not None and active.id in order else 1
        self.action_focus_pane(order[(here + step) % len(order)])

    def action_focus_pane(self, pane_id: str) -> None:
        if pane_id == "map-pane":
            self._map()  # `4` before the map was mounted (the first frame's instant)
        pane = self.query_one(f"#{pane_id}")
        target = pane if pane.focusable else next((w for w in pane.query("*") if w.focusable), None)
        if target is not None:
            # the pane's place is laid out in the same frame as the focus, not one after it
            self._show_third(pane_id)
            self._focus_now(target)

    def _focus_now(self, widget: Widget) -> None:
        """Focus before the next key is handled: `Widget.focus()` waits for the message queue,
        so keys arriving in one burst after `1` (`1jj`) went to the pane being left."""
        self.main_screen.set_focus(widget)

    def action_help(self) -> None:
        from tui.widgets.map import MapView

        sections = [
            (
                "Everywhere",
                [
                    *RasdApp.BINDINGS,
                    Binding(
                        "ctrl+p",
                        "command_palette",
                        "Command palette: every action, jump to a region",
                    ),
                ],
            ),
            (
                "Regions [1]",
                [
                    Binding(
                        "enter",
                        "select_cursor",
                        "Filter to the node",
                    ),
                    *RegionsTree.BINDINGS,
                ],
            ),
            ("Chronology [2]", list(ChronologyView.BINDINGS)),
            ("Source [3]", [*SourcePane.BINDINGS, *RtlView.BINDINGS]),
            ("Map [4]", list(MapView.BINDINGS)),
        ]
        from tui.screens.help import HelpScreen  # on first use: not on the first paint's path

        self.push_screen(HelpScreen(sections, self.user_keymap, notes=[MAP_NOTE]))

    def action_copy_citation(self) -> None:
        shown = self.query_one(SourcePane).shown
        if shown is None:
            self.bell()
            return
        line = citation_line(shown.incident)
        self.copy_to_clipboard(line)
        self.notify(f"Copied: {line[:80]}{'…' if len(line) > 80 else ''}", timeout=3, markup=False)

    def action_zoom(self) -> None:
        screen = self.main_screen
        if screen.maximized is not None:
            screen.minimize()
            return
        pane = self._active_pane()
        if pane is not None:
            screen.maximize(pane, container=False)

    def action_toggle_bidi(self) -> None:
        self.bidi_mode = "terminal" if self.bidi_mode == "app" else "app"
        self.notify(f"bidi mode: {self.bidi_mode}", timeout=2)

    def watch_bidi_mode(self, mode: BidiMode) -> None:
        self._write_terminal(bidi_switch(mode))
        self._set_modes(mode)
        self.query_one(FilterBar).show_filter(self.filter, mode)

    def _set_modes(self, mode: BidiMode) -> None:
        self.query_one(ChronologyView).bidi_mode = mode
        self.query_one(RegionsTree).set_mode(mode)
        self.query_one(SourcePane).set_mode(mode)

    def action_reload(self) -> None:
        # what still runs reads the old connection: reopen() interrupts it, and the panes ask again
        self._superseded.update(w for w in self.workers if not w.is_finished)
        self.store.reopen()
        self._first_key = None  # what comes back may be of another file than the key's
        self.last_error = None
        self.query_one(RegionsTree).load(self.filter, reveal=self.filter.region_path)
        self.query_one(ChronologyView).reload()
        self.query_one(Timeline).load(self.filter)
        self.query_one(SourcePane).reload()
        self._map().reload()
        self._load_places()
        self.notify("data reloaded", timeout=2)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Search", "Search incidents (Arabic-aware)", self.action_search)
        yield SystemCommand("Filter by type", "Event type or sub-type", self.action_filter_type)
        yield SystemCommand("Filter by actor", "Actor name contains…", self.action_filter_actor)
        yield SystemCommand("Filter by dates", "FROM..TO", self.action_filter_dates)
        yield SystemCommand(
            "Clear last filter", "Undo the newest filter", self.action_clear_last_filter
        )
        yield SystemCommand(
            "Toggle bidi mode",
            "app: rasd orders Arabic; terminal: the terminal does",
            self.action_toggle_bidi,
        )
        yield SystemCommand(
            "Copy citation",
            "Copy the current incident as a citation line",
            self.action_copy_citation,
        )
        yield SystemCommand(
            "Zoom pane", "Show the focused pane alone (again to restore)", self.action_zoom
        )
        yield SystemCommand(
            "Reverse chronology",
            "Newest first / oldest first",
            self.query_one(ChronologyView).action_reverse,
        )
        yield SystemCommand(
            "Reload data", "Re-open the database (after an import)", self.action_reload
        )
        yield SystemCommand(
            "Map",
            "Where the incidents are (braille map, key 4)",
            partial(self.action_focus_pane, "map-pane"),
        )
        yield SystemCommand(
            "Save view…", "Keep this filter and sort under a name", self.action_save_view
        )
        yield SystemCommand(
            "Export this view…", "CSV, JSON, Parquet or GeoJSON (key e)", self.action_export
        )
        yield SystemCommand(
            "Choose columns…",
            "The chronology's columns and their order",
            self.action_choose_columns,
        )
        for name, view in self.saved_views().items():
            yield SystemCommand(
                f"Open view {sanitize(name)}",
                "a saved filter and sort",
                partial(self.apply_view, view),
            )
        yield SystemCommand("Help", "Every key", self.action_help)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not SafeCommandPalette.is_open(cast("App[object]", self)):
            self.push_screen(SafeCommandPalette(id="--command-palette"))

    async def action_quit(self) -> None:
        self._write_terminal(bidi_switch("terminal"))
        self.exit(0)

    async def on_unmount(self) -> None:
        self.store.close()
