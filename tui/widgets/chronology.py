"""The chronology pane: every matching incident in date order, read from DuckDB in windows.

It never holds the full result. The pager (db/pager.py) counts matches once per filter; rows are
fetched in blocks of BLOCK as they come into view and only the visible lines are drawn (Textual's
line API). A filter change bumps `generation`, so results of a stale query are dropped.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import TYPE_CHECKING

from rich.segment import Segment
from textual import events, work
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from db.pager import IncidentPager
from db.queries import (
    Filter,
    IncidentRow,
    Order,
    country_names,
    incident_position,
    is_region_only,
    proposal_count,
)
from db.sort_index import SORT_KEYS, Sort, SortedPager, SortKey, sorted_position
from tui.column_memory import load_columns
from tui.connection import unless_superseded
from tui.text.layout import BidiMode
from tui.widgets.chronology_columns import columns_for, format_cells, header_line, row_values
from tui.widgets.failures import SaysFailures
from tui.widgets.repaint_style import RepaintStyle

if TYPE_CHECKING:
    from tui.connection import StoreConnection

BLOCK = 128
"""Rows per fetched window: a screenful or more, a few milliseconds at any depth."""
COUNT_TASK = "chronology-count"
"""The store task of the list's count (tui/connection.py)."""
CACHED_BLOCKS = 24
"""Blocks kept, the least recently drawn dropped first: a few thousand rows, a few MB."""


class ChronologyView(RepaintStyle, ScrollView, SaysFailures, can_focus=True):
    """Incidents newest first (or oldest first); the cursor drives the source pane."""

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False, id="chronology.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="chronology.up"),
        Binding("g,home", "first", "First", show=False, id="chronology.first"),
        Binding("G,end", "last", "Last", show=False, id="chronology.last"),
        Binding(
            "pagedown,ctrl+f,space", "page_down", "Page down", show=False, id="chronology.page_down"
        ),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False, id="chronology.page_up"),
        Binding("r,S", "reverse", "Reverse order", id="chronology.reverse"),
        Binding("s", "cycle_sort", "Sort by", show=False, id="chronology.sort"),
        Binding("enter", "open", "Read source", id="chronology.open"),
    ]
    COMPONENT_CLASSES = {
        "chronology--header",
        "chronology--cursor",
        "chronology--loading",
        "chronology--claimed",
        "chronology--proposed",
    }
    DEFAULT_CSS = """
    ChronologyView { height: 1fr; }
    ChronologyView > .chronology--header { text-style: bold; }
    ChronologyView > .chronology--cursor { text-style: underline; }
    ChronologyView:focus > .chronology--cursor { text-style: reverse; }
    ChronologyView > .chronology--loading { text-style: dim italic; }
    ChronologyView > .chronology--proposed { text-style: italic; }
    """

    cursor: reactive[int] = reactive(0, always_update=False, init=False)
    order: reactive[Order] = reactive("desc", init=False)
    sort_key: reactive[SortKey] = reactive("date", init=False)
    """The column the rows are sorted on (`s` cycles; `r`/`S` flips the direction)."""
    total: reactive[int | None] = reactive(None, init=False)
    """Matches of the current filter; None while counting."""
    bidi_mode: reactive[BidiMode] = reactive("app", init=False)

    class Highlighted(Message):
        """The cursor rests on an incident."""

        def __init__(self, event_id: str, event_date: dt.date | None = None) -> None:
            super().__init__()
            self.event_id = event_id
            self.event_date = event_date

    class Opened(Message):
        """Enter on an incident: the user wants to read its source."""

        def __init__(self, event_id: str, event_date: dt.date | None = None) -> None:
            super().__init__()
            self.event_id = event_id
            self.event_date = event_date

    class FirstRows(Message):
        """A search's newest matches are in, before its count (which takes seconds at 10M)."""

    class Counted(Message):
        def __init__(self, total: int, proposed: int = 0, sort: str | None = None) -> None:
            super().__init__()
            self.total = total
            self.proposed = proposed
            """How many of them are proposals (marked, not confirmed)."""
            self.sort = sort
            """The sort, as the title says it ("fatalities ↓"); None for the default order."""

    def __init__(self, store: StoreConnection, **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.filter = Filter()
        self.generation = 0
        self._pager: IncidentPager | SortedPager | None = None
        self._pager_lock = threading.Lock()
        self._blocks: LRUCache[int, list[IncidentRow]] = LRUCache(CACHED_BLOCKS)
        self._pending: set[int] = set()
        self._head: list[IncidentRow] = []
        self._announced: str | None = None
        self._pending_jump: str | None = None
        self.proposed = 0
        """Proposals among the matches: when any, a column marks them."""
        self._stored_countries: int | None = None
        """How many countries the database holds (read once per load of the store)."""
        self.countries = False
        """The matches may come from more than one country: a Country column shows."""
        self.chosen_columns: tuple[str, ...] | None = load_columns()
        """The columns in the user's order (Ctrl+P › Choose columns…); None: the default."""

    # ---- data -------------------------------------------------------------------------------

    def load(self, f: Filter) -> None:
        """Show the incidents of a new filter, starting at the top."""
        self.filter = f
        self._restart(keep_cursor=False)

    def show_cached(
        self, rows: list[IncidentRow], total: int, proposed: int, countries: bool
    ) -> None:
        """The first screen kept beside the database (db/first_screen.py), shown before DuckDB
        loads; `refresh_live()` then queries the same view and replaces it."""
        self._head = rows
        self.proposed = proposed
        self.countries = countries
        self.total = total
        self._set_lines(total + 1)
        self.refresh()

    def refresh_live(self) -> None:
        """Query the shown view again, keeping what it shows until the answer replaces it."""
        self.generation += 1
        self._count(self.generation, self.filter, self.sort, self.cursor // BLOCK)
        self._announce()

    def first_rows(self) -> list[IncidentRow] | None:
        """The counted first block of the list, if it is loaded."""
        return self._blocks.get(0) if self._pager is not None else None

    def reload(self) -> None:
        """Re-read after the database changed, keeping the cursor where it was."""
        self._stored_countries = None
        self._restart(keep_cursor=True)

    def _restart(self, keep_cursor: bool) -> None:
        self.generation += 1
        self._pager = None
        self._blocks.clear()
        self._pending.clear()
        self._head = []
        self.total = None
        if not keep_cursor:
            self.cursor = 0
            self.scroll_to(y=0, animate=False)
        self._count(self.generation, self.filter, self.sort, self.cursor // BLOCK)
        self.refresh()

    @property
    def sort(self) -> Sort:
        return Sort(self.sort_key, self.order)

    @work(thread=True, exclusive=True, group="chronology-count", exit_on_error=False)
    def _count(self, generation: int, f: Filter, sort: Sort, block: int) -> None:
        """Count, then read the cursor's block in the same worker: one hop to the screen."""
        with unless_superseded(lambda: generation == self.generation):
            # a filter the indexes cannot answer scans every row: its progress is shown
            con = self.store.cursor(COUNT_TASK, generation, progress=not is_region_only(f))
            pager: IncidentPager | SortedPager
            if sort.key == "date":
                pager = IncidentPager(con, f, sort.order)
            else:
                pager = SortedPager(con, f, sort)
            if f.search and sort == Sort():
                # a search counts for seconds on big data: show its newest matches first
                head = pager.head(BLOCK)
                self.app.call_from_thread(self._head_loaded, generation, head)
            pager.prepare()
            block = min(block, max(pager.total - 1, 0) // BLOCK)
            rows = pager.window(block * BLOCK, BLOCK)
            proposed = proposal_count(pager.con, f)
            if self._stored_countries is None:
                self._stored_countries = len(country_names(pager.con))
            countries = f.country is None and self._stored_countries > 1
            self.app.call_from_thread(
                self._counted, generation, pager, block, rows, proposed, countries
            )

    def _head_loaded(self, generation: int, rows: list[IncidentRow]) -> None:
        if generation != self.generation:
            return
        self._head = rows
        self._set_lines(len(rows) + 1)
        self._announce()
        self.refresh()
        self.post_message(self.FirstRows())

    def _counted(
        self,
        generation: int,
        pager: IncidentPager | SortedPager,
        block: int,
        rows: list[IncidentRow],
        proposed: int = 0,
        countries: bool = False,
    ) -> None:
        if generation != self.generation:
            return
        self._pager = pager
        self.proposed = proposed
        self.countries = countries
        self._blocks.set(block, rows)
        self.total = pager.total
        n = pager.total
        self._set_lines(n + 1)
        self.cursor = min(self.cursor, max(n - 1, 0))
        label = None if self.sort == Sort() else self.sort.label()
        self.post_message(self.Counted(n, proposed, label))
        if self._pending_jump:
            self.go_to_incident(self._pending_jump)
            self._pending_jump = None
        self._ensure_visible()
        self._announce()
        self.refresh()

    def _row(self, index: int) -> IncidentRow | None:
        block, at = divmod(index, BLOCK)
        rows = self._blocks.get(block)  # and marks it recently used
        if rows is not None:
            return rows[at] if at < len(rows) else None
        if self._pager is None:
            return self._head[index] if index < len(self._head) else None
        if block not in self._pending:
            self._pending.add(block)
            self._fetch(self.generation, block)
        return None

    @work(thread=True, group="chronology-rows", exit_on_error=False)
    def _fetch(self, generation: int, block: int) -> None:
        pager = self._pager
        if pager is None:
            return
        with unless_superseded(lambda: generation == self.generation):
            with self._pager_lock:
                if generation != self.generation:
                    return
                rows = pager.window(block * BLOCK, BLOCK)
            self.app.call_from_thread(self._fetched, generation, block, rows)

    def _fetched(self, generation: int, block: int, rows: list[IncidentRow]) -> None:
        if generation != self.generation:
            return
        self._pending.discard(block)
        self._blocks.set(block, rows)
        self._announce()
        self.refresh()

    @property
    def current(self) -> IncidentRow | None:
        """The incident under the cursor, if its row is loaded."""
        count = self._row_count()
        return self._row(self.cursor) if count else None

    def _row_count(self) -> int:
        return self.total if self.total is not None else len(self._head)

    def _announce(self) -> None:
        row = self.current
        if row is not None and row.event_id != self._announced:
            self._announced = row.event_id
            self.post_message(self.Highlighted(row.event_id, row.event_date))

    def go_to_incident(self, event_id: str) -> None:
        """Move the cursor to an incident (if it matches the filter)."""
        if self._pager is None:
            self._pending_jump = event_id
            return
        self._locate(self.generation, self.filter, self.sort, event_id)

    @work(thread=True, exclusive=True, group="chronology-locate", exit_on_error=False)
    def _locate(self, generation: int, f: Filter, sort: Sort, event_id: str) -> None:
        con = self.store.cursor()
        if sort.key == "date":
            position = incident_position(con, f, event_id, sort.order)
        else:
            position = sorted_position(con, f, sort, event_id)
        self.app.call_from_thread(self._located, generation, position)

    def _located(self, generation: int, position: int | None) -> None:
        if generation == self.generation and position is not None:
            self.cursor = position

    # ---- cursor and keys ----------------------------------------------------------------------

    @property
    def page_rows(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def watch_cursor(self) -> None:
        self._ensure_visible()
        self._announce()
        self.refresh()

    def watch_order(self) -> None:
        self._restart(keep_cursor=False)

    def watch_sort_key(self) -> None:
        self._restart(keep_cursor=False)

    def watch_bidi_mode(self) -> None:
        self.refresh()

    def _ensure_visible(self) -> None:
        top = round(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + self.page_rows:
            self.scroll_to(y=self.cursor - self.page_rows + 1, animate=False, immediate=True)

    def _move(self, delta: int) -> None:
        count = self._row_count()
        if count:
            self.cursor = max(0, min(count - 1, self.cursor + delta))

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_page_down(self) -> None:
        self._move(self.page_rows)

    def action_page_up(self) -> None:
        self._move(-self.page_rows)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self._move(self._row_count())

    def action_reverse(self) -> None:
        self.order = "asc" if self.order == "desc" else "desc"

    def action_cycle_sort(self) -> None:
        """The next column to sort on: date, fatalities, type, actor, region (each high to low
        first: the deadliest, Z to A; `r` or `S` flips it)."""
        self.sort_key = SORT_KEYS[(SORT_KEYS.index(self.sort_key) + 1) % len(SORT_KEYS)]

    def action_open(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Opened(row.event_id, row.event_date))

    def on_click(self, event: events.Click) -> None:
        """A click on a row puts the cursor there (the header row does nothing)."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        index = round(self.scroll_offset.y) + offset.y - 1
        if 0 <= index < self._row_count():
            self.cursor = index

    # ---- drawing ----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        columns = columns_for(width, self.proposed > 0, self.countries, self.chosen_columns)
        if y == 0:
            style = self.get_component_rich_style("chronology--header")
            return Strip([Segment(header_line(columns).ljust(width)[:width], style)], width)
        index = round(self.scroll_offset.y) + y - 1
        count = self._row_count()
        base = self.line_style
        if index >= count:
            if count == 0 and y == 1:
                message = "counting…" if self.total is None else "no incidents match the filter"
                style = self.get_component_rich_style("chronology--loading")
                return Strip([Segment(message.ljust(width)[:width], style)], width)
            return Strip.blank(width, base)
        row = self._row(index)
        if row is None:
            style = self.get_component_rich_style("chronology--loading")
            return Strip([Segment("…".ljust(width), style)], width)
        text = format_cells(row_values(row), columns, self.bidi_mode)
        style = base
        if row.status == "proposed":
            style = base + self.get_component_rich_style("chronology--proposed", partial=True)
        if index == self.cursor:
            # the stylesheet gives the cursor a quieter style while another pane has the focus
            style = style + self.get_component_rich_style("chronology--cursor", partial=True)
        return Strip([Segment(text, style)]).crop_extend(0, width, style)  # its own length

    def _set_lines(self, lines: int) -> None:
        """The scrolled height (the header and the rows). The width stays 0: the list never
        scrolls sideways, and a new width was a layout of the whole screen on every resize
        (the map taking the Source pane's place: 15-30 ms of its first showing)."""
        self.virtual_size = Size(0, lines)

    def on_resize(self) -> None:
        self._set_lines(self._row_count() + 1)
        self._ensure_visible()
