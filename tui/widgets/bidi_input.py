"""Text fields that show typed Arabic shaped and in visual order, with the caret where it belongs.

Textual's Input draws its value in typed (logical) order, so in a terminal without bidi Arabic
reads as reversed, disconnected letters. These subclasses keep all of Input's editing (the value
and the cursor stay logical: Left/Right, Home/End, word moves and deletion work on Arabic, Latin
and mixed text alike) and change only the drawing, through tui.text.input_view.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.command import CommandInput
from textual.geometry import Size
from textual.strip import Strip
from textual.widgets import Input

from tui.text.input_view import FieldView, field_view
from tui.text.layout import BidiMode, display_inline


class BidiInputMixin:
    """Drawing for an Input whose value may be right-to-left (mix in before Input)."""

    _first_column = 0
    """The first cell of the view that is drawn (a value wider than the field scrolls)."""

    def _bidi_mode(self) -> BidiMode:
        mode = getattr(self.app, "bidi_mode", "app")  # type: ignore[attr-defined]
        return "terminal" if mode == "terminal" else "app"

    def _field(self) -> FieldView:
        widget: Input = self  # type: ignore[assignment]
        value = widget.value
        suggestion = widget._suggestion  # noqa: SLF001
        if widget.has_focus and len(suggestion) > len(value) and suggestion.startswith(value):
            value = suggestion
        return field_view(value, widget.cursor_position, self._bidi_mode())

    def _window(self, view: FieldView, width: int) -> int:
        """First drawn column: the caret always visible, right-to-left text anchored right."""
        total = view.column(len(view.cells))
        caret = view.column(view.caret)
        if total <= width:
            return 0
        first = min(max(self._first_column, caret - width + 1), caret)
        self._first_column = max(0, min(first, total - width))
        return self._first_column

    @property
    def _cursor_offset(self) -> int:
        widget: Input = self  # type: ignore[assignment]
        view = self._field()
        width = widget.scrollable_content_region.width
        shift = self._window(view, width)
        total = view.column(len(view.cells))
        pad = max(width - total, 0) if view.rtl else 0
        return pad + view.column(view.caret) - shift

    @property
    def content_width(self) -> int:
        widget: Input = self  # type: ignore[assignment]
        return max(widget.scrollable_content_region.width, 1)  # no scrolling of Input's own

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max(container.width, 1)

    def _cell_offset_to_index(self, offset: int) -> int:
        widget: Input = self  # type: ignore[assignment]
        view = self._field()
        width = widget.scrollable_content_region.width
        total = view.column(len(view.cells))
        pad = max(width - total, 0) if view.rtl else 0
        return min(view.position_at(offset - pad + self._window(view, width)), len(widget.value))

    def render_line(self, y: int) -> Strip:
        widget: Input = self  # type: ignore[assignment]
        width = widget.scrollable_content_region.width + 1
        base = widget.rich_style
        if y != 0:
            return Strip.blank(widget.size.width, base)
        if not widget.value:
            return self._placeholder_strip(width, base)
        view = self._field()
        shift = self._window(view, width - 1)
        total = view.column(len(view.cells))
        selection = sorted(widget.selection)
        cursor_style = widget.get_component_rich_style("input--cursor")
        selected = widget.get_component_rich_style("input--selection")
        faded = widget.get_component_rich_style("input--suggestion")
        segments: list[Segment] = []
        if view.rtl and total < width - 1:
            segments.append(Segment(" " * (width - 1 - total)))
        for k, (ch, index) in enumerate(zip(view.cells, view.logical, strict=True)):
            style = Style()
            if index >= len(widget.value):
                style = faded
            if widget.has_focus and selection[0] <= index < selection[1]:
                style = style + selected
            if k == view.caret and widget.has_focus and widget._cursor_visible:  # noqa: SLF001
                style = style + cursor_style
            segments.append(Segment(ch, style))
        strip = Strip(segments)
        if not view.rtl or total >= width - 1:
            strip = strip.crop(shift, shift + width)
        return strip.extend_cell_length(width).apply_style(base)

    def _placeholder_strip(self, width: int, base: Style) -> Strip:
        widget: Input = self  # type: ignore[assignment]
        shown = display_inline(widget.placeholder, self._bidi_mode())
        style = widget.get_component_rich_style("input--placeholder")
        segments = [Segment(shown, style)] if shown else []
        if widget.has_focus and widget._cursor_visible:  # noqa: SLF001
            cursor = widget.get_component_rich_style("input--cursor")
            first = shown[:1] or " "
            segments = [Segment(first, style + cursor), Segment(shown[1:], style)]
        return Strip(segments).crop(0, width).extend_cell_length(width).apply_style(base)


class BidiInput(BidiInputMixin, Input):
    """The prompts' field (search, type, actor, dates)."""


class BidiCommandInput(BidiInputMixin, CommandInput):
    """The command palette's field."""
