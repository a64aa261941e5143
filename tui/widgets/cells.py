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


def _shown(logical: str, mode: BidiMode) -> str:
    return display_inline(logical, mode) if mode in ("app", "terminal") else logical


@lru_cache(maxsize=16384)
def fit(text: str | None, width: int, mode: BidiMode = "app") -> str:
    """`text` for display in exactly `width` cells (padded or truncated with an ellipsis)."""
    if width <= 0:
        return ""
    if not text:
        return " " * width
    logical = sanitize(text).replace("\n", " ")
    shown = _shown(logical, mode)
    if cell_len(shown) <= width:
        return set_cell_size(shown, width)
    rtl = paragraph_level(logical) == 1
    lo, hi = 0, len(logical)
    best, kept = "", 0
    while lo <= hi:  # longest logical prefix that fits with the ellipsis
        mid = (lo + hi) // 2
        candidate = display_inline(logical[:mid].rstrip(), mode)
        if cell_len(candidate) + 1 <= width:
            best, kept, lo = candidate, mid, mid + 1
        else:
            hi = mid - 1
    if rtl and kept < len(logical) and not logical[kept].isspace():
        # an Arabic word cut short takes a final letter's shape and reads as another word
        # ("عبد ال…"): end at the last whole word, when that keeps at least half
        space = logical.rfind(" ", 0, kept)
        if space >= kept // 2 and space > 0:
            best = display_inline(logical[:space].rstrip(), mode)
    return set_cell_size(ELLIPSIS + best if rtl else best + ELLIPSIS, width)


@lru_cache(maxsize=16384)
def fit_first(forms: tuple[str, ...], width: int, mode: BidiMode = "app") -> str:
    """The first of `forms` (fullest first) that fits `width` cells whole, else the last cut by
    `fit`: a place keeps its Latin name whole rather than show a word cut off its Arabic one
    ("Nioro ني…")."""
    for form in forms[:-1]:
        shown = _shown(sanitize(form).replace("\n", " "), mode)
        if cell_len(shown) <= width:
            return set_cell_size(shown, width)
    return fit(forms[-1] if forms else None, width, mode)


def place_forms(location: str | None, location_ar: str | None) -> tuple[str, ...]:
    """A place's names, fullest first: both, then the Latin alone."""
    both = " ".join(p for p in (location, location_ar) if p)
    return (both, location) if location and location_ar else ((both,) if both else ())
