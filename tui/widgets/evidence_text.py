"""A report with a cursor and a selection, for picking the evidence of an incident by keyboard.

Usage (the coding screen):

    text = EvidenceText(id="evidence")
    text.set_report(report)                      # the stored text; offsets index into it
    text.set_highlights({"event_date": [(120, 134)], "fatalities": [(200, 215)]})
    text.set_incident((100, 240))                # the current incident's span, or None
    text.move_to(100)                            # cursor on an offset (and into view)
    text.selection                               # (start, end) logical, or None

    def on_evidence_text_selection_changed(self, event: EvidenceText.SelectionChanged): ...

The text is laid out as the Source pane lays it out (tui.widgets.rtl_view, tui.text.layout:
shaped, bidi-ordered, wrapped); tui.text.selection maps offsets to cells, so the cursor, the
selection and every highlight sit on exactly the cells of their characters. Motions follow
reading order (`w` in an Arabic line goes left on screen); `h`/`l` and the arrows go left/right
on screen, and past a row's edge on in reading order. `v` starts a selection that motions
extend, `v` again ends it (it stays, for the screen's `N`); shift+arrows extend too; Esc clears
(and, with nothing to clear, lets the screen have Esc).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual.actions import SkipAction
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from tui.text import selection as sel
from tui.text.layout import VisualLine
from tui.text.selection import CellMap, cell_size
from tui.widgets.rtl_view import RtlView

Span = tuple[int, int]
LABEL_CLASSES = tuple(f"evidence-text--label-{k}" for k in range(4))
"""Evidence highlights by label, in the order given: underline, italic, overline, double
underline (told apart without colour), then round again."""

MOTIONS: dict[str, Callable[[EvidenceText, int], int]] = {
    "left": lambda w, i: w.cell_map.step_on_screen(i, -1),
    "right": lambda w, i: w.cell_map.step_on_screen(i, 1),
    "down": lambda w, i: w.cell_map.vertical(i, 1),
    "up": lambda w, i: w.cell_map.vertical(i, -1),
    "page_down": lambda w, i: w.cell_map.vertical(i, w.page_rows),
    "page_up": lambda w, i: w.cell_map.vertical(i, -w.page_rows),
    "word": lambda w, i: sel.next_word(w.text, i),
    "word_back": lambda w, i: sel.previous_word(w.text, i),
    "sentence": lambda w, i: sel.next_sentence(w.text, i),
    "sentence_back": lambda w, i: sel.previous_sentence(w.text, i),
    "paragraph": lambda w, i: sel.next_paragraph(w.text, i),
    "paragraph_back": lambda w, i: sel.previous_paragraph(w.text, i),
    "line_start": lambda w, i: w.cell_map.row_first(i),
    "line_end": lambda w, i: w.cell_map.row_last(i),
    "top": lambda w, i: 0,
    "bottom": lambda w, i: sel.last_stop(w.text),
}
"""Each motion: the widget and the cursor → the new cursor (a logical offset)."""


STYLE_NAMES = ("cursor", "selection", "incident", *(c.split("--")[1] for c in LABEL_CLASSES))


@dataclass(frozen=True, slots=True)
class _Paint:
    """What every line of one repaint shares."""

    width: int
    base: Style
    looks: dict[str, Style]
    cursor: tuple[int, int] | None


class EvidenceText(RtlView, inherit_bindings=False):
    """The report with a cursor, a selection and labelled evidence highlights."""

    BINDINGS = [
        Binding("h,left", "move('left')", "Left (on screen)", show=False, id="evidence.left"),
        Binding("l,right", "move('right')", "Right (on screen)", show=False, id="evidence.right"),
        Binding("j,down", "move('down')", "Row down", show=False, id="evidence.down"),
        Binding("k,up", "move('up')", "Row up", show=False, id="evidence.up"),
        Binding("w", "move('word')", "Next word", show=False, id="evidence.word"),
        Binding("b", "move('word_back')", "Word back", show=False, id="evidence.word_back"),
        Binding("right_parenthesis", "move('sentence')", "Next sentence", id="evidence.sentence"),
        Binding(
            "left_parenthesis",
            "move('sentence_back')",
            "Sentence back",
            id="evidence.sentence_back",
        ),
        Binding(
            "right_curly_bracket",
            "move('paragraph')",
            "Next paragraph",
            show=False,
            id="evidence.paragraph",
        ),
        Binding(
            "left_curly_bracket",
            "move('paragraph_back')",
            "Paragraph back",
            show=False,
            id="evidence.paragraph_back",
        ),
        Binding("0,home", "move('line_start')", "Row start", show=False, id="evidence.row_start"),
        Binding(
            "dollar_sign,end", "move('line_end')", "Row end", show=False, id="evidence.row_end"
        ),
        Binding("g,ctrl+home", "move('top')", "Start of report", show=False, id="evidence.top"),
        Binding("G,ctrl+end", "move('bottom')", "End of report", show=False, id="evidence.bottom"),
        Binding(
            "pagedown,ctrl+f", "move('page_down')", "Page down", show=False, id="evidence.page_down"
        ),
        Binding("pageup,ctrl+b", "move('page_up')", "Page up", show=False, id="evidence.page_up"),
        Binding("v", "visual", "Select", id="evidence.visual"),
        Binding(
            "shift+left", "extend('left')", "Extend left", show=False, id="evidence.extend_left"
        ),
        Binding(
            "shift+right", "extend('right')", "Extend right", show=False, id="evidence.extend_right"
        ),
        Binding(
            "shift+down", "extend('down')", "Extend down", show=False, id="evidence.extend_down"
        ),
        Binding("shift+up", "extend('up')", "Extend up", show=False, id="evidence.extend_up"),
        Binding(
            "shift+home",
            "extend('line_start')",
            "Extend to row start",
            show=False,
            id="evidence.extend_row_start",
        ),
        Binding(
            "shift+end",
            "extend('line_end')",
            "Extend to row end",
            show=False,
            id="evidence.extend_row_end",
        ),
        Binding("escape", "clear", "Clear selection", show=False, id="evidence.clear"),
    ]
    COMPONENT_CLASSES = {
        "evidence-text--cursor",
        "evidence-text--selection",
        "evidence-text--incident",
        *LABEL_CLASSES,
    }
    DEFAULT_CSS = """
    EvidenceText { height: 1fr; scrollbar-size-vertical: 1; }
    EvidenceText > .evidence-text--cursor { text-style: reverse bold underline; }
    EvidenceText > .evidence-text--selection { text-style: reverse; }
    EvidenceText > .evidence-text--incident { text-style: bold; }
    EvidenceText > .evidence-text--label-0 { text-style: underline; color: $text-accent; }
    EvidenceText > .evidence-text--label-1 { text-style: italic; color: $text-success; }
    EvidenceText > .evidence-text--label-2 { text-style: overline; color: $text-warning; }
    EvidenceText > .evidence-text--label-3 { text-style: uu; color: $text-error; }
    """
    ALLOW_SELECT = False  # the keyboard selection is the selection

    cursor: reactive[int] = reactive(0, init=False)
    selection: reactive[Span | None] = reactive(None, init=False)

    class SelectionChanged(Message):
        """The selection is now [start, end) of the report, or none (start and end None)."""

        def __init__(self, evidence_text: EvidenceText, selection: Span | None) -> None:
            super().__init__()
            self.evidence_text = evidence_text
            self.selection = selection

        @property
        def start(self) -> int | None:
            return None if self.selection is None else self.selection[0]

        @property
        def end(self) -> int | None:
            return None if self.selection is None else self.selection[1]

        @property
        def control(self) -> EvidenceText:
            return self.evidence_text

    def __init__(self, text: str = "", **kwargs) -> None:
        super().__init__(text, **kwargs)
        self._map: CellMap | None = None
        self._map_for: object = None
        self._highlights: dict[str, tuple[Span, ...]] = {}
        self._anchor: int | None = None
        self._visual = False
        self._paint: _Paint | None = None

    # ---- public API -------------------------------------------------------------------------

    def set_report(self, text: str) -> None:
        """Show another report: cursor at its start, no selection, no highlights."""
        self._anchor, self._visual = None, False
        self._highlights = {}
        self.set_text(text, None)
        self.selection = None
        self.cursor = 0
        self.scroll_to(y=0, animate=False, immediate=True)

    def set_highlights(self, highlights: Mapping[str, Sequence[Span]]) -> None:
        """Evidence spans by label (a proposal's fields), each label a style of its own."""
        self._highlights = {label: tuple(spans) for label, spans in highlights.items()}
        self.refresh()

    def set_incident(self, span: Span | None) -> None:
        """The current incident's span, drawn bold (None: no incident)."""
        self._highlight = span
        self.refresh()

    def label_style(self, label: str) -> Style:
        """The style a label's highlights get (for a legend beside the text)."""
        k = list(self._highlights).index(label) if label in self._highlights else 0
        return self.get_component_rich_style(LABEL_CLASSES[k % len(LABEL_CLASSES)], partial=True)

    def move_to(self, offset: int) -> None:
        """Put the cursor on `offset` (extending the selection in visual mode) and show it."""
        self._moved(offset, extend=self._visual)
        self._follow()  # also when the cursor was already there, scrolled out of view

    def select_range(self, start: int, end: int) -> None:
        """Select [start, end) (whole clusters), cursor on its last character, not in visual."""
        text = self.text
        if not text or end <= start:
            self.action_clear()
            return
        last = sel.cluster_start(text, min(end, len(text)) - 1)
        self._anchor, self._visual = sel.cluster_start(text, max(start, 0)), False
        self.cursor = last
        self.selection = sel.span(self._anchor, last, text)
        self._anchor = None

    @property
    def visual(self) -> bool:
        """Whether motions extend the selection (`v` pressed and not yet pressed again)."""
        return self._visual

    @property
    def cell_map(self) -> CellMap:
        """Logical offsets ↔ cells for the current width and bidi mode."""
        self._relayout()
        assert self._map is not None
        return self._map

    @property
    def page_rows(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    # ---- layout -----------------------------------------------------------------------------

    def _relayout(self) -> None:
        super()._relayout()
        if self._map is None or self._map_for != self._laid_out_for:
            self._map = CellMap(self._text, self._lines)
            self._map_for = self._laid_out_for

    def validate_cursor(self, cursor: int) -> int:
        text = self.text
        if not text:
            return 0
        return sel.cluster_start(text, min(max(cursor, 0), len(text) - 1))

    def watch_cursor(self) -> None:
        self.refresh()
        self._follow()
        self.call_after_refresh(self._follow)  # again once the size is known

    def watch_selection(self, selection: Span | None) -> None:
        self.refresh()
        self.post_message(self.SelectionChanged(self, selection))

    def on_resize(self) -> None:
        super().on_resize()
        self._follow()

    def _follow(self) -> None:
        """Scroll just enough to keep the cursor's row in view."""
        height = self.scrollable_content_region.height
        if height <= 0 or not self.text:
            return
        where = self.cell_map.cursor_cell(self.cursor)
        if where is None:
            return
        y, top = where[0], round(self.scroll_offset.y)
        if y < top:
            self.scroll_to(y=y, animate=False, immediate=True)
        elif y >= top + height:
            self.scroll_to(y=y - height + 1, animate=False, immediate=True)

    # ---- actions ----------------------------------------------------------------------------

    def _moved(self, target: int, extend: bool) -> None:
        if extend:
            if self._anchor is None:
                self._anchor = self.cursor
        elif not self._visual:
            self._anchor = None  # a plain move ends a shift-selection (which stays shown)
        self.cursor = target
        if extend and self.text:
            assert self._anchor is not None
            self.selection = sel.span(self._anchor, self.cursor, self.text)

    def action_move(self, motion: str) -> None:
        self._moved(MOTIONS[motion](self, self.cursor), extend=self._visual)

    def action_extend(self, motion: str) -> None:
        self._moved(MOTIONS[motion](self, self.cursor), extend=True)

    def action_visual(self) -> None:
        """Start a selection at the cursor, or end the one being made (it stays selected)."""
        if self._visual:
            self._visual, self._anchor = False, None
            return
        if not self.text:
            self.app.bell()
            return
        self._visual, self._anchor = True, self.cursor
        self.selection = sel.span(self.cursor, self.cursor, self.text)

    def action_clear(self) -> None:
        """Drop the selection; with none, Esc goes on to the screen."""
        if self.selection is None and not self._visual:
            raise SkipAction()
        self._visual, self._anchor = False, None
        self.selection = None

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        found = self.cell_map.offset_at(offset.y + round(self.scroll_offset.y), offset.x)
        if found is not None:
            self._moved(found, extend=self._visual or event.shift)

    # ---- drawing ----------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        """One look-up per repaint of what every line needs (sizes, styles, the cursor cell)."""
        self._relayout()
        self._paint = self._paint_state()
        try:
            return super().render_lines(crop)
        finally:
            self._paint = None

    def _paint_state(self) -> _Paint:
        cmap = self.cell_map
        return _Paint(
            self.content_width,
            self.line_style,
            {name: self._style(name) for name in STYLE_NAMES},
            cmap.cursor_cell(self.cursor) if self.text else None,
        )

    def render_line(self, y: int) -> Strip:
        paint = self._paint or self._paint_state()
        width = paint.width
        index = round(self.scroll_offset.y) + y
        base = paint.base
        if index >= len(self._lines):
            return Strip.blank(width, base)
        cmap = self.cell_map
        line = self._lines[index]
        layers = self._layers(*cmap.bounds(index), paint.looks)
        where = paint.cursor
        if where is None or where[0] != index:
            lo, hi = cmap.bounds(index)
            if all(a <= lo and hi <= b for a, b, _ in layers):  # the row is in or out: one look
                style = base
                for layer in layers:
                    style += layer[2]
                return Strip(self._whole_row(line, style, base), width).crop_extend(0, width, base)
        row = cmap.row(index)
        cursor: tuple[int, int] | None = None
        if where is not None and where[0] == index:
            here = next(c for c in row.cells if c.x == where[1])
            cursor = (here.lo, here.hi)
        at: dict[int, Style] = {}
        if layers or cursor is not None:
            styles: dict[tuple[int, ...], Style] = {(): base}  # one object per look
            for cell in row.cells:
                key = tuple(
                    k for k, (lo, hi, _) in enumerate(layers) if cell.lo < hi and lo < cell.hi
                )
                if cursor == (cell.lo, cell.hi):
                    key += (-1,)
                look = styles.get(key)
                if look is None:
                    look = base
                    for k in key:
                        look += layers[k][2] if k >= 0 else paint.looks["cursor"]
                    styles[key] = look
                at[cell.x] = look
        return Strip(self._segments_of(row.line.text, at, base), width).crop_extend(0, width, base)

    @staticmethod
    def _whole_row(line: VisualLine, style: Style, base: Style) -> list[Segment]:
        """The row's text in `style`, its padding (offset -1, at one end) in `base`."""
        if style is base:
            return [Segment(line.text, base)]
        offsets = line.offsets
        if line.rtl and offsets and offsets[0] < 0:  # padding on the left (right-aligned row)
            pad = next((k for k, o in enumerate(offsets) if o >= 0), len(offsets))
            return [
                s
                for s in (Segment(line.text[:pad], base), Segment(line.text[pad:], style))
                if s.text
            ]
        end = len(offsets)
        while end and offsets[end - 1] < 0:
            end -= 1
        return [
            s for s in (Segment(line.text[:end], style), Segment(line.text[end:], base)) if s.text
        ]

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"evidence-text--{name}", partial=True)

    def _layers(self, lo: int, hi: int, looks: dict[str, Style]) -> list[tuple[int, int, Style]]:
        """(start, end, style) of every highlight touching [lo, hi), drawn in this order."""
        if lo < 0:
            return []
        out: list[tuple[int, int, Style]] = []
        for k, spans in enumerate(self._highlights.values()):
            style = looks[LABEL_CLASSES[k % len(LABEL_CLASSES)].split("--")[1]]
            out.extend((a, b, style) for a, b in spans if a < hi and lo < b)
        for span, name in ((self._highlight, "incident"), (self.selection, "selection")):
            if span is not None and span[0] < hi and lo < span[1]:
                out.append((span[0], span[1], looks[name]))
        return out

    @staticmethod
    def _segments_of(text: str, at: dict[int, Style], base: Style) -> list[Segment]:
        """Runs of equal style; a zero-width mark takes its letter's style (one cell, one look)."""
        if not at:
            return [Segment(text, base)]
        segments: list[Segment] = []
        run: list[str] = []
        current = base
        x = 0
        for ch in text:
            size = cell_size(ch)
            style = at.get(x, base) if size else current
            if style is not current and run:
                segments.append(Segment("".join(run), current))
                run = []
            current = style
            run.append(ch)
            x += size
        if run:
            segments.append(Segment("".join(run), current))
        return segments
