"""One base style per repaint for line-API widgets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip

if TYPE_CHECKING:
    from textual.widget import Widget

    _WidgetBase = Widget
else:  # a plain mixin: as a Widget subclass it would take part in CSS type matching
    _WidgetBase = object


class RepaintStyle(_WidgetBase):
    """`rich_style` walks every ancestor's styles; a repaint asks once, not once per line.

    Textual's own Tree does the same with its pseudo-class state. Outside a repaint (a test
    calling `render_line` directly) `line_style` falls back to asking. List it before the
    widget base class.
    """

    _repaint_style: Style | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        self._repaint_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._repaint_style = None

    @property
    def line_style(self) -> Style:
        return self.rich_style if self._repaint_style is None else self._repaint_style
