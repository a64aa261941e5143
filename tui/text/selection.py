"""A cursor over a report's logical text, and where a logical range lands on screen.

Offsets are indices into the stored report text, the same as `span_start/span_end` in
db/data/seed.json and the evidence spans of db/evidence.py. Motions work on the logical text, so
"forward" follows reading order (right to left on screen in an Arabic line); the screen side is
`CellMap`, built from tui.text.layout's rows (which already carry, per character, the index of
the input character it shows), so a range is highlighted on exactly the cells its characters are
drawn in, after shaping, bidi reordering and wrapping.

A cell shows a *cluster*: a base character with the combining marks after it (harakat), joiners
(ZWJ, ZWNJ), and for a lam-alef ligature the alef (two logical characters, one cell). Character
motions step by cluster and a selection always covers whole clusters.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from rich.cells import get_character_cell_size

from db.extract.sentences import split_sentences
from tui.text.layout import VisualLine
from tui.text.shaping import ALEFS, HARAKAT, LAM, ZWJ, ZWNJ

# ---- clusters and characters ----------------------------------------------------------------


def continues_cluster(text: str, i: int) -> bool:
    """Whether text[i] is drawn in the cell of the character before it (so never a cursor stop)."""
    if i <= 0 or i >= len(text):
        return False
    ch = text[i]
    if ch in (ZWJ, ZWNJ) or unicodedata.combining(ch) or HARAKAT.match(ch):
        return text[i - 1] != "\n"
    if ch in ALEFS:  # the alef of a lam-alef ligature (harakat may sit between them)
        k = i - 1
        while k >= 0 and HARAKAT.match(text[k]):
            k -= 1
        return k >= 0 and text[k] == LAM
    return False


def cluster_start(text: str, i: int) -> int:
    """The first character of the cluster holding offset i."""
    while i > 0 and continues_cluster(text, i):
        i -= 1
    return i


def cluster_end(text: str, i: int) -> int:
    """The offset just past the cluster holding offset i."""
    n = len(text)
    if i >= n:
        return n
    i += 1
    while i < n and continues_cluster(text, i):
        i += 1
    return i


def last_stop(text: str) -> int:
    """Where motions to the end stop: the last character that is not a space (0 if none)."""
    end = len(text.rstrip())
    return cluster_start(text, end - 1) if end else 0


def next_char(text: str, i: int) -> int:
    """The next cluster in reading order; the last one stays put."""
    end = cluster_end(text, i)
    return end if end < len(text) else i


def previous_char(text: str, i: int) -> int:
    """The previous cluster in reading order; the first one stays put."""
    return cluster_start(text, i - 1) if i > 0 else 0


# ---- words ----------------------------------------------------------------------------------

SPACE, WORD, PUNCT = 0, 1, 2


def char_kind(text: str, i: int) -> int:
    """Space, word (letters, digits, marks: Arabic and Latin alike) or punctuation, as vim's `w`."""
    ch = text[i]
    if ch.isspace():
        return SPACE
    if ch.isalnum() or ch == "_" or continues_cluster(text, i) or unicodedata.category(ch) == "Mn":
        return WORD
    return PUNCT


def is_word_start(text: str, i: int) -> bool:
    """A non-space character whose predecessor is of another kind: where `w` and `b` stop."""
    kind = char_kind(text, i)
    return kind != SPACE and (i == 0 or char_kind(text, i - 1) != kind)


def next_word(text: str, i: int) -> int:
    """The start of the next word in reading order (vim `w`); the last stop when there is none."""
    n = len(text)
    k = i + 1
    while k < n and not is_word_start(text, k):
        k += 1
    if k < n:
        return k
    return max(i, last_stop(text)) if n else 0


def previous_word(text: str, i: int) -> int:
    """The start of this word, or of the previous one when already at a start (vim `b`)."""
    k = min(i, len(text)) - 1
    while k > 0 and not is_word_start(text, k):
        k -= 1
    return max(k, 0)


# ---- sentences, lines, paragraphs -----------------------------------------------------------


@lru_cache(maxsize=8)
def sentence_starts(text: str) -> tuple[int, ...]:
    """Where each sentence (and heading) of db.extract.sentences begins, in order."""
    return tuple(s.start for s in split_sentences(text))


def next_sentence(text: str, i: int) -> int:
    """The start of the next sentence (vim `)`); the last stop after the last sentence."""
    starts = sentence_starts(text)
    k = bisect_right(starts, i)
    return starts[k] if k < len(starts) else max(i, last_stop(text))


def previous_sentence(text: str, i: int) -> int:
    """The start of this sentence, or of the previous one when already at a start (vim `(`)."""
    starts = sentence_starts(text)
    k = bisect_left(starts, i)
    return starts[k - 1] if k > 0 else 0


def line_start(text: str, i: int) -> int:
    """The first offset of the stored line (newline-separated) holding i."""
    return text.rfind("\n", 0, i) + 1


def line_end(text: str, i: int) -> int:
    """The last cursor stop of the stored line holding i (its start when the line is empty)."""
    end = text.find("\n", i)
    end = len(text) if end < 0 else end
    return cluster_start(text, end - 1) if end > line_start(text, i) else end


def next_paragraph(text: str, i: int) -> int:
    """The start of the next stored line that has text; the last stop when there is none."""
    k = text.find("\n", i)
    while k >= 0:
        if k + 1 < len(text) and text[k + 1] != "\n":
            return k + 1
        k = text.find("\n", k + 1)
    return max(i, last_stop(text))


def previous_paragraph(text: str, i: int) -> int:
    """The start of this line, or of the previous line with text when already at a start."""
    start = line_start(text, i)
    if start < i:
        return start
    k = start - 1  # the newline that ends the line before
    while k > 0:
        begin = line_start(text, k)
        if begin < k:
            return begin
        k = begin - 1
    return 0


def span(anchor: int, cursor: int, text: str) -> tuple[int, int]:
    """The selection between two cursor stops, both included: [first, end of the last cluster)."""
    lo, hi = min(anchor, cursor), max(anchor, cursor)
    return lo, cluster_end(text, hi) if text else 0


# ---- the screen side ------------------------------------------------------------------------

SIZES: dict[str, int] = {}


def cell_size(ch: str) -> int:
    """Rich's cell width of a character (what the layout wrapped by), memoised."""
    size = SIZES.get(ch)
    if size is None:
        size = SIZES[ch] = get_character_cell_size(ch)
    return size


def cell_sizes(text: str) -> list[int]:
    """cell_size of each character (a C-speed lookup once each character has been seen)."""
    try:
        return list(map(SIZES.__getitem__, text))
    except KeyError:
        return [cell_size(ch) for ch in text]


class Cell(NamedTuple):
    """One terminal cell of a row: the logical range [lo, hi) of the characters drawn in it."""

    x: int
    lo: int
    hi: int


@dataclass(frozen=True, slots=True)
class Row:
    """A laid-out row and its cells, left to right (a wide character has two)."""

    line: VisualLine
    cells: tuple[Cell, ...]
    lo: int
    """Smallest offset drawn in the row (-1 for a blank row)."""
    hi: int
    """Just past the largest offset drawn in the row (-1 for a blank row)."""


class CellMap:
    """Logical offsets ↔ screen cells for the rows of tui.text.layout.layout_text.

    Every drawn character keeps its input offset (layout's own map); a zero-width character
    (a haraka) is drawn in the cell of the character before it in the row; a character drawn
    nowhere that continues a cluster (the alef of a lam-alef ligature, a stripped haraka, a
    joiner) belongs to its cluster's cell. A space dropped at a wrap, a newline, or a control
    removed by the sanitizer has no cell.
    """

    def __init__(self, text: str, lines: Sequence[VisualLine]) -> None:
        self.text = text
        self.lines = lines
        n = len(text)
        drawn = bytearray(n)
        starts: list[int] = []
        index: list[int] = []
        bounds: list[tuple[int, int]] = []
        for y, line in enumerate(lines):
            shown = [o for o in line.offsets if 0 <= o < n]
            for o in shown:
                drawn[o] = 1
            if shown:  # rows in order hold increasing logical ranges: a bisect finds a row
                starts.append(min(shown))
                index.append(y)
                bounds.append((starts[-1], max(shown) + 1))
            else:
                bounds.append((-1, -1))
        self._drawn = drawn
        self._ext: dict[int, int] = {}
        """Where a cell's range ends when it is followed by characters drawn nowhere that
        continue its cluster (a ligature's alef, stripped harakat, joiners): drawn end → end."""
        for found in re.finditer(b"\x00+", drawn):
            k = found.start()
            while k < found.end() and continues_cluster(text, k):
                k += 1
            if k > found.start():
                self._ext[found.start()] = k
        self._starts = starts
        self._index = index
        ext = self._ext
        self._bounds = [(lo, ext.get(hi, hi)) for lo, hi in bounds]
        self._rows: dict[int, Row] = {}

    def __len__(self) -> int:
        return len(self.lines)

    def row(self, y: int) -> Row:
        """Row y with its cells (built when first asked: a long report draws a few rows)."""
        got = self._rows.get(y)
        if got is None:
            got = self._rows[y] = self._row(y)
        return got

    def bounds(self, y: int) -> tuple[int, int]:
        """[lo, hi) of the offsets shown in row y, without building its cells ((-1, -1) when
        blank): what a repaint checks first."""
        return self._bounds[y]

    def _row(self, y: int) -> Row:
        line = self.lines[y]
        sizes = cell_sizes(line.text)
        ext = self._ext
        if min(sizes, default=1) == max(sizes, default=1) == 1:  # one cell per character
            cells = [
                Cell(x, o, ext.get(o + 1, o + 1)) for x, o in enumerate(line.offsets) if o >= 0
            ]
        else:
            groups: list[list[int]] = []  # [x, lo, hi, width] of each cell, marks folded in
            group: list[int] = [0, -1, -1, 0]
            x = 0
            for size, o in zip(sizes, line.offsets, strict=True):
                if size:
                    group = [x, o, o + 1, size] if o >= 0 else [x, -1, -1, size]
                    groups.append(group)
                    x += size
                elif o >= 0:  # a mark: drawn in the cell before it
                    if group[1] < 0:
                        group[1], group[2] = o, o + 1
                    else:
                        group[1], group[2] = min(group[1], o), max(group[2], o + 1)
            cells = []
            for gx, lo, hi, size in groups:
                if lo >= 0:
                    cells.append(Cell(gx, lo, ext.get(hi, hi)))
                    if size == 2:
                        cells.append(Cell(gx + 1, lo, ext.get(hi, hi)))
        return Row(line, tuple(cells), *self._bounds[y])

    def drawn(self, offset: int) -> bool:
        """Whether the character at `offset` has a cell (its own or its cluster's)."""
        return bool(self.cells_at(offset))

    def row_of(self, offset: int) -> int:
        """The row showing `offset`, or the nearest row before it for a character without one."""
        if not self._starts:
            return 0
        k = bisect_right(self._starts, offset) - 1
        return self._index[max(k, 0)]

    def cells_at(self, offset: int) -> list[tuple[int, int]]:
        """(row, x) of the cells showing the character at `offset`."""
        if not self.lines:
            return []
        y = self.row_of(offset)
        return [(y, c.x) for c in self.row(y).cells if c.lo <= offset < c.hi]

    def cells_in(self, start: int, end: int) -> list[tuple[int, int]]:
        """(row, x) of every cell that shows a character of [start, end), rows top to bottom."""
        if end <= start or not self.lines:
            return []
        out: list[tuple[int, int]] = []
        for y in range(self.row_of(start), len(self.lines)):
            lo, hi = self._bounds[y]
            if lo >= end:
                break
            if lo >= 0 and start < hi:
                out.extend((y, c.x) for c in self.row(y).cells if c.lo < end and start < c.hi)
        return out

    def cursor_cell(self, offset: int) -> tuple[int, int] | None:
        """Where to draw a cursor at `offset`: its cell, else the nearest drawn one before it
        (a space dropped at a wrap, a newline), else after it."""
        for k in (offset, *range(offset - 1, max(offset - 64, -1), -1)):
            cells = self.cells_at(k)
            if cells:
                return cells[0]
        for k in range(offset + 1, min(offset + 64, len(self.text))):
            cells = self.cells_at(k)
            if cells:
                return cells[0]
        return None

    def offset_at(self, y: int, x: int) -> int | None:
        """The cluster start shown at (row, x), or in the nearest cell of that row."""
        if not 0 <= y < len(self.lines) or not self.row(y).cells:
            return None
        cell = min(self.row(y).cells, key=lambda c: abs(c.x - x))
        return cluster_start(self.text, cell.lo)

    def step_on_screen(self, offset: int, dx: int) -> int:
        """One cell left (dx=-1) or right (dx=1) on screen; past the row's edge, on in reading
        order (left in a right-to-left row is forward)."""
        where = self.cursor_cell(offset)
        if where is not None:
            y, x = where
            here = cluster_start(self.text, offset)
            cells = self.row(y).cells
            ordered = cells if dx > 0 else tuple(reversed(cells))
            for c in ordered:
                if (c.x - x) * dx > 0 and cluster_start(self.text, c.lo) != here:
                    return cluster_start(self.text, c.lo)
            forward = (dx < 0) == self.row(y).line.rtl
        else:
            forward = dx > 0
        return self.skip_undrawn(
            next_char(self.text, offset) if forward else previous_char(self.text, offset), forward
        )

    def skip_undrawn(self, offset: int, forward: bool) -> int:
        """The nearest cursor stop with a cell, in the given reading direction (else `offset`)."""
        k = offset
        while 0 <= k < len(self.text) and not self._drawn[k]:
            nxt = next_char(self.text, k) if forward else previous_char(self.text, k)
            if nxt == k:
                return offset
            k = nxt
        return k if 0 <= k < len(self.text) else offset

    def vertical(self, offset: int, dy: int) -> int:
        """The cursor stop `dy` rows down (or up) nearest the same column, blank rows skipped."""
        where = self.cursor_cell(offset)
        if where is None:
            return offset
        y, x = where
        target = min(max(y + dy, 0), len(self.lines) - 1)
        step = 1 if dy > 0 else -1
        while 0 <= target < len(self.lines) and not self.row(target).cells:
            target += step
        if not 0 <= target < len(self.lines):
            return offset
        found = self.offset_at(target, x)
        return offset if found is None else found

    def row_first(self, offset: int) -> int:
        """The first character of the screen row in reading order (`0`)."""
        where = self.cursor_cell(offset)
        return offset if where is None else self.row(where[0]).lo

    def row_last(self, offset: int) -> int:
        """The last cursor stop of the screen row in reading order (`$`)."""
        where = self.cursor_cell(offset)
        if where is None:
            return offset
        return cluster_start(self.text, self.row(where[0]).hi - 1)
