"""The regions pane: Country › admin1 › admin2 › place, with counts, loaded per expanded node.

Counts follow every filter except the region itself (the tree is where the region is chosen).
Children are queried only when a node is expanded, so the tree costs one small GROUP BY per
expansion at any size of data.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from db.queries import Filter, RegionCount, region_children
from tui.text.counts import abbreviate
from tui.text.layout import BidiMode, display_inline, fit_inline
from tui.widgets.failures import SaysFailures

if TYPE_CHECKING:
    from tui.connection import StoreConnection

MAX_DEPTH = 4
TOGGLE = Style.from_meta({"toggle": True})
"""What Textual's Tree marks its expand icon with (a click on it toggles the node)."""


@dataclass(slots=True)
class RegionNode:
    path: tuple[str, ...]
    count: RegionCount | None = None
    loaded: bool = False


def count_text(count: RegionCount, short: bool = False) -> Text:
    """ "  938 · 2,445†", or abbreviated ("  938 · 2.4k†") when room is short."""
    number = abbreviate if short else "{:,}".format
    text = Text(f"  {number(count.incidents)}", style="bold")
    if count.fatalities:
        text.append(f" · {number(count.fatalities)}†", style="dim")
    return text


@lru_cache(maxsize=4096)
def region_label(count: RegionCount, mode: BidiMode, room: int | None = None) -> Text:
    """Name, Arabic name (shaped and ordered), then incidents and fatalities, dimmed.

    Kept per node, mode and room: the tree renders each open label twice a repaint (its width,
    then its line), and repaints on every filter (10 ms of the first screen). Callers copy
    before styling it.

    In `room` cells the counts are never cut: the Arabic name goes first, then the counts are
    abbreviated, then the name ends with `…`.
    """
    style = "italic" if count.unknown else ""
    name = display_inline(count.name, mode)  # data: sanitized
    full = Text(name, style=style)
    if count.name_ar:
        full.append(" ")
        full.append(display_inline(count.name_ar, mode))
    full.append_text(count_text(count))
    if room is None or full.cell_len <= room:
        return full
    for short in (False, True):
        counts = count_text(count, short)
        if cell_len(name) + counts.cell_len <= room:
            return Text(name, style=style) + counts
    counts = count_text(count, short=True)
    cut = fit_inline(count.name, max(room - counts.cell_len, 1), mode)
    return Text(cut, style=style) + counts


class RegionsTree(Tree[RegionNode], SaysFailures):
    """Selecting a node filters the other panes; Backspace goes up one level."""

    BINDINGS = [
        Binding("backspace,h", "up_level", "Up a level", id="regions.up"),
        Binding("j", "cursor_down", "Down", show=False, id="regions.down"),
        Binding("k", "cursor_up", "Up", show=False, id="regions.up_row"),
        Binding("l", "expand", "Expand", show=False, id="regions.expand"),
        Binding("g", "scroll_home", "First", show=False, id="regions.first"),
        Binding("G", "scroll_end", "Last", show=False, id="regions.last"),
    ]

    class Wanted(Message):
        """The width (cells, border included) that shows every open label whole."""

        def __init__(self, cells: int) -> None:
            super().__init__()
            self.cells = cells

    class Chosen(Message):
        """The user chose a region (an empty path means everywhere)."""

        def __init__(self, path: tuple[str, ...]) -> None:
            super().__init__()
            self.path = path

    def __init__(self, store: StoreConnection, **kwargs) -> None:
        super().__init__(Text("All incidents"), data=RegionNode(()), **kwargs)
        self.store = store
        self.filter = Filter()
        self.bidi_mode: BidiMode = "app"
        self.generation = 0
        self.auto_expand = False
        self.guide_depth = 2
        self._reveal: tuple[str, ...] = ()
        self._cached: list[RegionCount] | None = None
        self._chosen: tuple[int, TreeNode[RegionNode]] | None = None

    def load(self, f: Filter, reveal: tuple[str, ...] = ()) -> None:
        """Rebuild for new non-region filters, re-opening the path of the chosen region."""
        self.clear_for(f, reveal)
        self.fill()

    def clear_for(self, f: Filter, reveal: tuple[str, ...] = ()) -> None:
        """Drop the counts of the old filter now; `fill()` queries the new ones (maybe later)."""
        self.filter = f
        self._reveal = reveal
        self.generation += 1
        self.root.remove_children()
        assert self.root.data is not None
        self.root.data.loaded = False
        self.root.set_label("All incidents · loading…")

    def show_cached(self, counts: list[RegionCount]) -> None:
        """The roots kept with the first screen (db/first_screen.py); `confirm()` checks them."""
        self._cached = counts
        self._add_counts(self.root, counts)
        self.root.expand()
        self.post_message(self.Wanted(self.wanted_width()))

    def confirm(self) -> None:
        """Query the roots shown from the cache: the same, the tree goes on; else it reloads."""
        self._confirm(self.generation)

    @work(thread=True, group="regions", exit_on_error=False)
    def _confirm(self, generation: int) -> None:
        counts = region_children(self.store.cursor(), self.filter, ())
        self.app.call_from_thread(self._confirmed, generation, counts)

    def _confirmed(self, generation: int, counts: list[RegionCount]) -> None:
        if generation != self.generation:
            return
        if counts == self._cached:
            self._open_way(generation, self.root)
        else:
            self.load(self.filter, self._reveal)

    def fill(self) -> None:
        self._load_children(self.generation, self.root, ())

    def reveal(self, path: tuple[str, ...]) -> None:
        """Put the cursor on the region of `path` (chosen elsewhere: the map), opening the way
        to it; levels not loaded yet open as they arrive (see _show_children)."""
        self._reveal = path
        node = self.root
        for depth in range(1, len(path) + 1):
            if node.data is None or not node.data.loaded:
                return  # its children are on their way: _show_children goes on from there
            child = next(
                (c for c in node.children if c.data is not None and c.data.path == path[:depth]),
                None,
            )
            if child is None:
                return  # not in the tree under this filter: the cursor stays
            if depth == len(path):
                self.move_cursor(child)
                return
            if child.allow_expand and not child.is_expanded:
                child.expand()  # on_tree_node_expanded loads what is missing
            node = child
        self.move_cursor(node)

    def set_mode(self, mode: BidiMode) -> None:
        self.bidi_mode = mode
        self._relabel(self.root)

    def _relabel(self, node: TreeNode[RegionNode]) -> None:
        if node.data is not None and node.data.count is not None:
            node.set_label(region_label(node.data.count, self.bidi_mode))
        for child in node.children:
            self._relabel(child)

    @work(thread=True, group="regions", exit_on_error=False)
    def _load_children(
        self, generation: int, node: TreeNode[RegionNode], path: tuple[str, ...]
    ) -> None:
        counts = region_children(self.store.cursor(), self.filter, path)
        self.app.call_from_thread(self._show_children, generation, node, counts)

    def _show_children(
        self, generation: int, node: TreeNode[RegionNode], counts: list[RegionCount]
    ) -> None:
        if generation != self.generation or node.data is None or node.data.loaded:
            return
        self._add_counts(node, counts)
        self._open_way(generation, node)

    def _add_counts(self, node: TreeNode[RegionNode], counts: list[RegionCount]) -> None:
        assert node.data is not None
        node.data.loaded = True
        if node is self.root:
            total = sum(c.incidents for c in counts)
            node.set_label(Text.assemble("All incidents  ", (f"{total:,}", "bold")))
        for count in counts:
            leaf = len(count.path) >= MAX_DEPTH or count.unknown
            child_data = RegionNode(count.path, count, loaded=leaf)
            label = region_label(count, self.bidi_mode)
            if leaf:
                node.add_leaf(label, data=child_data)
            else:
                node.add(label, data=child_data)

    def _open_way(self, generation: int, node: TreeNode[RegionNode]) -> None:
        node.expand()
        # open the way to the chosen region, and the only country when there is just one
        for child in node.children:
            assert child.data is not None
            path = child.data.path
            wanted = len(path) <= len(self._reveal) and self._reveal[: len(path)] == path
            if wanted or (node is self.root and len(node.children) == 1):
                if wanted and path == self._reveal:
                    self.move_cursor(child)
                if child.allow_expand:
                    child.expand()
                    self._load_children(generation, child, path)
        self.post_message(self.Wanted(self.wanted_width()))

    def _label_room(self, node: TreeNode[RegionNode], path: tuple[str, ...]) -> int:
        """Cells left for a label after the guides and the expand icon."""
        return len(path) * self.guide_depth + (cell_len(self.ICON_NODE) if node.allow_expand else 0)

    def render_label(self, node: TreeNode[RegionNode], base_style: Style, style: Style) -> Text:
        """Labels fitted to the pane: counts abbreviated, names cut with `…`, digits never cut."""
        data = node.data
        if data is None or data.count is None:
            return super().render_label(node, base_style, style)
        room = self.scrollable_content_region.width - self._label_room(node, data.path)
        label = region_label(data.count, self.bidi_mode, max(room, 1)).copy()
        label.stylize(style)
        if node.allow_expand:
            icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
            return Text.assemble((icon, base_style + TOGGLE), label)
        return label

    def wanted_width(self) -> int:
        """Widest open label, whole, plus guides, border and scrollbar."""
        widest = 0
        stack = [self.root]
        while stack:
            node = stack.pop()
            data = node.data
            if data is not None and data.count is not None:
                full = region_label(data.count, self.bidi_mode).cell_len
                widest = max(widest, full + self._label_room(node, data.path))
            if node.is_expanded:
                stack.extend(node.children)
        chrome = 2 + max(self.styles.scrollbar_size_vertical, 1) + 1
        return widest + chrome

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[RegionNode]) -> None:
        data = event.node.data
        if data is not None and not data.loaded:
            self._load_children(self.generation, event.node, data.path)

    def on_tree_node_selected(self, event: Tree.NodeSelected[RegionNode]) -> None:
        event.stop()
        data = event.node.data
        if data is None:
            return
        # its children open once the list has answered (`open_chosen`): opening them first drew
        # and laid out the tree, and queried, while the list's own query waited (~100 ms)
        node = event.node
        opening = node.allow_expand and not node.is_expanded
        self._chosen = (self.generation, node) if opening else None
        self.post_message(self.Chosen(data.path))

    def open_chosen(self) -> None:
        """Open the node chosen last, if it is still in the tree (the app calls this once the
        list shows the node's incidents)."""
        chosen, self._chosen = self._chosen, None
        if chosen is not None and chosen[0] == self.generation and not chosen[1].is_expanded:
            chosen[1].expand()

    def action_up_level(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        parent = node.parent if node.parent is not None else node
        self.move_cursor(parent)
        assert parent.data is not None
        self.post_message(self.Chosen(parent.data.path))

    def action_expand(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand:
            node.expand()
