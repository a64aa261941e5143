"""A raster of braille dots (2 wide, 4 high per terminal cell), drawn with points and lines.

Unicode braille patterns U+2800..U+28FF: each of the eight dots of a cell is one bit.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

BASE = 0x2800
DOT_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
"""DOT_BITS[row][column] for the dots of one cell (row 0 at the top)."""
FILL_ORDER = ((0, 3), (1, 3), (0, 2), (1, 2), (0, 1), (1, 1), (0, 0), (1, 0))
"""(column, row) of the dots a density level lights, bottom up: level n lights the first n."""
LEVELS = len(FILL_ORDER)


def glyph(bits: int) -> str:
    return chr(BASE + (bits & 0xFF))


def dot_bit(x: int, y: int) -> int:
    """The bit of dot (x, y) within its cell."""
    return DOT_BITS[y % 4][x % 2]


def weight_bits(level: int) -> int:
    """The dots of a density level (0..8): more dots, more incidents."""
    bits = 0
    for column, row in FILL_ORDER[: max(0, min(level, LEVELS))]:
        bits |= DOT_BITS[row][column]
    return bits


def density_level(count: int, peak: int) -> int:
    """1..8 on a log scale where `peak` (the view's busiest cell) is 8; 0 for no incidents."""
    if count <= 0:
        return 0
    if peak <= 1:
        return 1
    level = 1 + math.floor((LEVELS - 1) * math.log(count) / math.log(peak) + 1e-9)
    return max(1, min(LEVELS, level))


def level_floors(peak: int) -> list[int]:
    """The smallest count that reaches each level 1..8 for this peak (a level may be empty)."""
    floors = []
    for level in range(1, LEVELS + 1):
        if peak <= 1:
            floors.append(1 if level == 1 else 0)
            continue
        n = max(1, math.ceil(peak ** ((level - 1) / (LEVELS - 1)) - 1e-9))
        while density_level(n, peak) < level:
            n += 1
        while n > 1 and density_level(n - 1, peak) >= level:
            n -= 1
        floors.append(n if density_level(n, peak) == level else 0)
    return floors


class Canvas:
    """Cells of braille bits; dots outside the canvas are ignored (lines are clipped)."""

    def __init__(self, width: int, height: int) -> None:
        self.width = max(width, 0)
        self.height = max(height, 0)
        self.bits = bytearray(self.width * self.height)

    @property
    def dots(self) -> tuple[int, int]:
        return self.width * 2, self.height * 4

    def set(self, x: int, y: int) -> None:
        if 0 <= x < self.width * 2 and 0 <= y < self.height * 4:
            self.bits[(y // 4) * self.width + x // 2] |= dot_bit(x, y)

    def is_set(self, x: int, y: int) -> bool:
        if not (0 <= x < self.width * 2 and 0 <= y < self.height * 4):
            return False
        return bool(self.bits[(y // 4) * self.width + x // 2] & dot_bit(x, y))

    def cell(self, cx: int, cy: int) -> int:
        if 0 <= cx < self.width and 0 <= cy < self.height:
            return self.bits[cy * self.width + cx]
        return 0

    def line(self, x0: float, y0: float, x1: float, y1: float) -> None:
        """The dots a segment passes through (fractional dot coordinates)."""
        w, h = self.dots
        if (
            (x0 < 0 and x1 < 0)
            or (y0 < 0 and y1 < 0)
            or (x0 >= w and x1 >= w)
            or (y0 >= h and y1 >= h)
        ):
            return
        steps = int(max(abs(x1 - x0), abs(y1 - y0))) + 1
        if steps > 4 * (w + h):  # a huge segment: walk only its visible part
            x0, y0, x1, y1 = _clip(x0, y0, x1, y1, w, h)
            steps = int(max(abs(x1 - x0), abs(y1 - y0))) + 1
        for i in range(steps + 1):
            t = i / steps
            self.set(math.floor(x0 + (x1 - x0) * t), math.floor(y0 + (y1 - y0) * t))

    def polyline(self, points: Iterable[tuple[float, float]]) -> None:
        previous: tuple[float, float] | None = None
        for point in points:
            if previous is not None:
                self.line(previous[0], previous[1], point[0], point[1])
            previous = point

    def rows(self) -> list[str]:
        """The canvas as text, one string per row of cells (blank cells are U+2800)."""
        return [
            "".join(glyph(b) for b in self.bits[r * self.width : (r + 1) * self.width])
            for r in range(self.height)
        ]


def _clip(
    x0: float, y0: float, x1: float, y1: float, w: int, h: int
) -> tuple[float, float, float, float]:
    """Liang-Barsky clipping of a segment to [0, w] x [0, h] (unchanged when it misses)."""
    dx, dy = x1 - x0, y1 - y0
    lo, hi = 0.0, 1.0
    for p, q in ((-dx, x0), (dx, w - x0), (-dy, y0), (dy, h - y0)):
        if p == 0:
            if q < 0:
                return x0, y0, x0, y0
            continue
        t = q / p
        if p < 0:
            lo = max(lo, t)
        else:
            hi = min(hi, t)
    if lo > hi:
        return x0, y0, x0, y0
    return x0 + dx * lo, y0 + dy * lo, x0 + dx * hi, y0 + dy * hi
