"""Data values fitted into fixed-width table cells, Arabic shaped and ordered first.

Truncation happens on the logical text (so an RTL value loses its end, not its start), and the
ellipsis goes where the reading ends: on the right for LTR, on the left for RTL.
"""

from __future__ import annotations

from functools import lru_cache

from rich.cells import cell_len, set_cell_size

from tui.text.bidi import paragraph_level
from tui.text.layout import BidiMode, display_inline
from tui.text.sanitize import sanitize

ELLIPSIS = "…"


@lru_cache(maxsize=16384)
def fit(text: str | None, width: int, mode: BidiMode = "app") -> str:
    """`text` for display in exactly `width` cells (padded or truncated with an ellipsis)."""
    if width <= 0:
        return ""
    if not text:
        return " " * width
    logical = sanitize(text).replace("\n", " ")
    shown = display_inline(logical, mode) if mode in ("app", "terminal") else logical
    if cell_len(shown) <= width:
        return set_cell_size(shown, width)
    rtl = paragraph_level(logical) == 1
    lo, hi = 0, len(logical)
    best = ""
    while lo <= hi:  # longest logical prefix that fits with the ellipsis
        mid = (lo + hi) // 2
        candidate = display_inline(logical[:mid].rstrip(), mode)
        if cell_len(candidate) + 1 <= width:
            best, lo = candidate, mid + 1
        else:
            hi = mid - 1
    return set_cell_size(ELLIPSIS + best if rtl else best + ELLIPSIS, width)
