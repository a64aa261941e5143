"""A scrollable view of laid-out Arabic (or any) text that draws its own lines.

Textual's Static re-wraps or crops pre-ordered lines and loses the start of RTL sentences, and
RichLog does not reflow on resize. This view lays text out with tui.text.layout for exactly its
content width (the vertical scrollbar takes cells from the width), draws only visible rows, and
re-lays out on resize, using the per-paragraph cache so a resize costs only the wrap.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from tui.text.layout import BidiMode, VisualLine, layout_text
from tui.widgets.repaint_style import RepaintStyle


class RtlView(RepaintStyle, ScrollView, can_focus=True):
    """Text from data, sanitized, shaped, bidi-ordered and aligned by paragraph direction."""

    BINDINGS = [
        Binding("j,down", "scroll_down", "Down", show=False, id="source.down"),
        Binding("k,up", "scroll_up", "Up", show=False, id="source.up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="source.top"),
        Binding("G,end", "scroll_end", "Bottom", show=False, id="source.bottom"),
        Binding(
            "pagedown,space,ctrl+f", "page_down", "Page down", show=False, id="source.page_down"
        ),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False, id="source.page_up"),
        Binding("c", "center_highlight", "Back to the span", id="source.center"),
    ]
    COMPONENT_CLASSES = {"rtl-view--highlight"}
    DEFAULT_CSS = """
    RtlView { height: 1fr; scrollbar-size-vertical: 1; }
    RtlView > .rtl-view--highlight { text-style: reverse bold; }
    """
    ALLOW_SELECT = True

    bidi_mode: reactive[BidiMode] = reactive("app")

    def __init__(
        self,
        text: str = "",
        *,
        bidi_mode: BidiMode = "app",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._text = text
        self._highlight: tuple[int, int] | None = None
        self._lines: list[VisualLine] = []
        self._head_of: Callable[[int], Text] | None = None
        self._head: list[Text] = []
        self._scroll_when_shown = False
        self._auto_top: int | None = None  # where scroll_to_highlight put the view last
        self._laid_out_for: tuple[int, str, int] | None = None
        self.set_reactive(RtlView.bidi_mode, bidi_mode)

    # ---- content ----------------------------------------------------------------------------

    @property
    def text(self) -> str:
        return self._text

    @property
    def highlight(self) -> tuple[int, int] | None:
        return self._highlight

    @property
    def lines(self) -> list[VisualLine]:
        self._relayout()
        return self._lines

    def set_text(self, text: str, highlight: tuple[int, int] | None = None) -> None:
        if text is not self._text and text != self._text:
            self._text = text
            self._laid_out_for = None
        self._highlight = highlight
        self._relayout()
        self.refresh()

    def set_head(self, head_of: Callable[[int], Text] | None) -> None:
        """Rows drawn above the text and scrolled with it (the Source pane's incident card):
        `head_of(width)` lays them out for the content width, again on each resize."""
        self._head_of = head_of
        self._laid_out_for = None  # laid out when next drawn (set_text usually follows)
        self.refresh()

    @property
    def head_rows(self) -> int:
        """Rows above the text: the text's line y is drawn on row head_rows + y."""
        self._relayout()
        return len(self._head)

    def watch_bidi_mode(self) -> None:
        self._laid_out_for = None
        self._relayout()
        self.refresh()

    @property
    def content_width(self) -> int:
        return max(self.scrollable_content_region.width, 1)

    def _relayout(self) -> None:
        key = (self.content_width, self.bidi_mode, id(self._text))
        if key == self._laid_out_for:
            return
        self._laid_out_for = key
        self._lines = layout_text(self._text, key[0], self.bidi_mode)
        self._head = list(self._head_of(key[0]).split("\n")) if self._head_of is not None else []
        if self._head:
            self._head.append(Text())  # a blank row between the head and the text
        self.virtual_size = Size(key[0], len(self._head) + len(self._lines))

    def on_resize(self) -> None:
        self._relayout()
        shown = self.scrollable_content_region.height > 0
        untouched = self._auto_top is not None and round(self.scroll_offset.y) == self._auto_top
        if shown and (self._scroll_when_shown or untouched):
            self.scroll_to_highlight()  # laid out anew: the span's rows moved, nobody scrolled

    def first_highlighted_line(self) -> int | None:
        if self._highlight is None:
            return None
        start, end = self._highlight
        for y, line in enumerate(self.lines):
            if any(start <= o < end for o in line.offsets):
                return len(self._head) + y
        return None

    def scroll_to_highlight(self) -> None:
        """Bring the span into view a few lines below the top, once the size is known; from
        the top (the head shown too) when the span's first rows are in view there."""

        def scroll(tries: int = 0) -> None:
            seen = self.scrollable_content_region.height
            self._scroll_when_shown = not seen  # hidden (a narrow layout's other pane): later
            y = self.first_highlighted_line()
            if y is None:
                self.scroll_to(y=0, animate=False, immediate=True)
                return
            top = 0 if self._head and y + 3 <= seen else max(y - 2, 0)
            self.scroll_to(y=top, animate=False, immediate=True)
            self._auto_top = round(self.scroll_offset.y)
            if round(self.scroll_offset.y) != min(top, self.virtual_size.height) and tries < 5:
                # clamped by a size not laid out yet (a busy machine): again after the next one
                self.call_after_refresh(scroll, tries + 1)

        scroll()
        self.call_after_refresh(scroll)

    def action_center_highlight(self) -> None:
        self.scroll_to_highlight()

    # ---- drawing ----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        self._relayout()
        width = self.content_width
        row = round(self.scroll_offset.y) + y
        base = self.line_style
        if row < len(self._head):
            head = list(self._head[row].render(self.app.console))
            return Strip(head).apply_style(base).crop_extend(0, width, base)
        index = row - len(self._head)
        if index >= len(self._lines):
            return Strip.blank(width, base)
        line = self._lines[index]
        mark = self.get_component_rich_style("rtl-view--highlight", partial=True)
        segments = self._segments(line, base, base + mark)
        selection = self.text_selection
        if selection is not None:
            segments = self._select(segments, line, row, selection, base)
        return Strip(segments, width).crop_extend(0, width, base)

    def _segments(self, line: VisualLine, base: Style, marked: Style) -> list[Segment]:
        """Runs of equal style; characters inside the highlight span are marked."""
        if self._highlight is None:
            return [Segment(line.text, base)]
        start, end = self._highlight
        segments: list[Segment] = []
        run: list[str] = []
        current = None
        for ch, offset in zip(line.text, line.offsets, strict=True):
            inside = start <= offset < end
            if inside != current and run:
                segments.append(Segment("".join(run), marked if current else base))
                run = []
            current = inside
            run.append(ch)
        if run:
            segments.append(Segment("".join(run), marked if current else base))
        return segments

    def _select(
        self, segments: list[Segment], line: VisualLine, y: int, selection: Selection, base: Style
    ) -> list[Segment]:
        span = selection.get_span(y)
        if span is None:
            return segments
        lo, hi = span
        hi = len(line.text) if hi == -1 else hi
        style = base + self.screen.get_component_rich_style("screen--selection")
        out: list[Segment] = []
        x = 0
        for seg in segments:
            for ch in seg.text:
                out.append(Segment(ch, style if lo <= x < hi else seg.style))
                x += 1
        return out

    # ---- selection: copy the logical text ---------------------------------------------------

    def logical_text_of_lines(self, first: int, last: int) -> str:
        """The stored text behind rows first..last (inclusive), in logical order."""
        return self._logical(
            [o for line in self.lines[first : last + 1] for o in line.offsets if o >= 0]
        )

    def _logical(self, offsets: list[int]) -> str:
        if not offsets:
            return ""
        lo, hi = min(offsets), max(offsets)
        return self._text[lo : hi + 1]

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """Selected rows and columns mapped back to a substring of the original text."""
        chosen: list[int] = []
        lines = self.lines
        for y, line in enumerate(lines):
            span = selection.get_span(len(self._head) + y)
            if span is None:
                continue
            lo, hi = span
            hi = len(line.text) if hi == -1 else hi
            chosen.extend(o for o in line.offsets[lo:hi] if o >= 0)
        text = self._logical(chosen)
        return (text, "\n") if text else None

    def select_all(self) -> None:
        """Select the whole text (`text_selection` is read-only: the screen owns selections)."""
        self.text_select_all()
