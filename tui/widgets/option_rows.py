"""The width an option list's rows are fitted to (rows cut by `fit`, never by the list)."""

from __future__ import annotations

from textual.widget import Widget


def row_width(widget: Widget, rows: int) -> int:
    """Cells for one row of `widget`, less its scroll bar's whether or not it shows yet: the
    bar comes after the first layout with no Resize, and rows fitted before it were cut by a
    cell at their end (an Arabic name's first letter)."""
    region = widget.content_region
    bar = widget.styles.scrollbar_size_vertical if rows > region.height else 0
    return max(region.width - bar, 0)
