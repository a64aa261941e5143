"""What a one-line text field shows: its logical value shaped and ordered, and where the caret is.

The value stays in logical (typed) order, so editing (Left/Right, Home/End, word moves,
deletion) works on it as it does on Latin text. Only the drawing changes: the value goes through
the report's pipeline (sanitize, shape, UAX #9 levels, reorder) and each drawn cell keeps the
index of the character it shows. The caret is drawn on the cell of the character it stands
before in logical order (the one Delete would remove); at the end of the value, on a blank cell
at the end of the paragraph: the right for left-to-right text, the left for right-to-left.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, get_character_cell_size

from tui.text.layout import BidiMode, layout_text


@dataclass(frozen=True, slots=True)
class FieldView:
    """A field's value as drawn, one cell per entry."""

    cells: tuple[str, ...]
    """Each drawn character with its marks (wide ones take two cells but are one entry)."""
    logical: tuple[int, ...]
    """Per entry: the index in the value it shows, or -1 for the blank end cell."""
    caret: int
    """The entry the caret is drawn on."""
    rtl: bool

    @property
    def text(self) -> str:
        return "".join(self.cells)

    def column(self, entry: int) -> int:
        """The cell column of an entry."""
        return sum(cell_len(c) for c in self.cells[:entry])

    def entry_at(self, column: int) -> int:
        """The entry under a cell column (clamped to the ends)."""
        x = 0
        for k, ch in enumerate(self.cells):
            x += cell_len(ch)
            if column < x:
                return k
        return len(self.cells) - 1

    def position_at(self, column: int) -> int:
        """The caret position (logical index) for a click at a cell column."""
        k = self.entry_at(column)
        index = self.logical[k]
        return self.end if index < 0 else index

    @property
    def end(self) -> int:
        return max((i for i in self.logical if i >= 0), default=-1) + 1


def field_view(value: str, cursor: int, mode: BidiMode = "app") -> FieldView:
    """The drawn form of `value` with the caret before logical index `cursor`."""
    width = max(sum(get_character_cell_size(c) for c in value) + 4, 1)
    lines = layout_text(value.replace("\n", " "), width, mode)
    line = lines[0]
    pairs: list[tuple[str, int]] = []
    for ch, o in zip(line.text, line.offsets, strict=True):
        if o < 0:
            continue
        if get_character_cell_size(ch) == 0:  # a mark is drawn in its letter's cell
            if pairs:
                pairs[-1] = (pairs[-1][0] + ch, pairs[-1][1])
            continue  # with no letter before it, nothing to draw it on
        pairs.append((ch, o))
    rtl = line.rtl and mode == "app"
    if rtl:
        pairs.insert(0, (" ", -1))
    else:
        pairs.append((" ", -1))
    cells = tuple(ch for ch, _ in pairs)
    logical = tuple(o for _, o in pairs)
    after = [(o, k) for k, o in enumerate(logical) if o >= cursor]
    caret = min(after)[1] if after else logical.index(-1)
    return FieldView(cells, logical, caret, rtl)
