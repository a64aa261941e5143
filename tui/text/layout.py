"""Text from data laid out for a terminal that does no bidi: sanitize, shape, wrap, reorder, align.

The order matters. Shaping comes before measuring (lam-alef ligatures make text shorter);
wrapping works on the logical, shaped paragraph (reordering first would put the end of a
paragraph on its first line); each wrapped line is then reordered with the embedding levels of
its whole paragraph (UAX #9 L1-L4), so a line that starts with a number or a Latin word inside an
Arabic paragraph keeps its place. Every character keeps the index of the input character it
shows, so a highlighted span and a copied selection refer to the stored text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rich.cells import cell_len, get_character_cell_size

from tui.text import shaping
from tui.text.bidi import bidi_class, paragraph_level, reorder_line, resolve_levels
from tui.text.emoji import for_terminal
from tui.text.sanitize import BIDI_FORMATTING, sanitize_with_map
from tui.text.shaping import Harakat, shape_with_map

BidiMode = Literal["app", "terminal", "logical"]
"""How Arabic reaches the screen, the same type from the command line to every pane. `app`: rasd
shapes it and puts it in visual order; `terminal`: logical order for a terminal that does bidi
itself (rasd's bidi controls removed); `logical`: as stored, for pipes and files (commands only;
laid out as `terminal`)."""
RTL_CLASSES = frozenset(("R", "AL", "AN", "RLE", "RLO", "RLI", "LRE", "LRO", "LRI", "FSI"))
PLACEHOLDER = "?"
"""Shown for a double-width character in a one-cell-wide pane (it cannot fit)."""


@dataclass(frozen=True, slots=True)
class VisualLine:
    """One terminal row of laid-out text."""

    text: str
    """Exactly the requested width in cells, padding included."""
    offsets: tuple[int, ...]
    """Per character of `text`: the index in the original input, or -1 for padding."""
    rtl: bool
    """The direction of the paragraph this row belongs to."""
    paragraph: int
    """Index of the paragraph (newline-separated, after sanitizing) in the input."""


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A sanitized paragraph, shaped (app mode), with its resolved bidi levels."""

    text: str
    where: tuple[int, ...]
    """Per character of `text`: index into the sanitized paragraph."""
    levels: tuple[int, ...]
    base: int
    simple: bool
    """No right-to-left content: the visual order is the logical order."""


def split_paragraphs(text: str, mode: BidiMode = "terminal") -> list[tuple[str, list[int]]]:
    """Sanitized paragraphs with the original index of each of their characters.

    In app mode marks and isolates stay in: the bidi algorithm applies them, then _visible drops
    them. A terminal that does bidi gets neither (sanitize.py says why).
    """
    clean, where = sanitize_with_map(text, keep_bidi=mode == "app")
    out: list[tuple[str, list[int]]] = []
    start = 0
    for k, ch in enumerate(clean):
        if ch == "\n":
            out.append((clean[start:k], where[start:k]))
            start = k + 1
    out.append((clean[start:], where[start:]))
    return out


@lru_cache(maxsize=4096)
def prepare(paragraph: str, mode: BidiMode) -> Paragraph:
    """Shaping and levels for one paragraph (cached: resizing reuses them)."""
    if mode == "app":
        shaped, where = shape_with_map(paragraph)
    else:
        shaped, where = paragraph, list(range(len(paragraph)))
    simple = mode != "app" or not any(bidi_class(ch) in RTL_CLASSES for ch in shaped)
    if simple:
        levels = [0] * len(shaped)
        base = paragraph_level(shaped)
    else:
        levels, base = resolve_levels(shaped)
    return Paragraph(shaped, tuple(where), tuple(levels), base, simple)


def wrap_points(text: str, width: int) -> list[tuple[int, int]]:
    """[start, end) of each line: greedy at spaces by cell width; spaces at a break are dropped.

    A word wider than the line is cut by cells. Zero-width characters (combining marks) stay
    with the character before them.
    """
    if not text:
        return [(0, 0)]
    sizes = [get_character_cell_size(ch) for ch in text]
    lines: list[tuple[int, int]] = []
    n = len(text)
    start = 0
    while start < n:
        used = 0
        k = start
        last_break = -1  # index of a space where the line may end
        while k < n:
            size = sizes[k]
            if text[k] == " ":
                last_break = k
            if used + size > width and k > start:
                break
            used += size
            k += 1
        if k >= n:
            lines.append((start, n))
            break
        if text[k] == " ":
            end = k
        elif last_break > start:
            end = last_break
        else:
            end = k  # no space on the line: cut the word
        while end > start and text[end - 1] == " ":
            end -= 1  # trailing spaces at the break go
        nxt = end
        while nxt < n and text[nxt] == " ":
            nxt += 1
        if end == start and nxt == start:  # a character wider than the line
            nxt = start + 1
            end = start + 1
        lines.append((start, end))
        start = nxt
    return lines or [(0, 0)]


def logical_lines(text: str, width: int, mode: BidiMode = "app") -> list[tuple[str, bool]]:
    """Each wrapped line's logical (shaped) text and paragraph direction: the referee's input."""
    out = []
    for paragraph, _ in split_paragraphs(text, mode):
        prep = prepare(paragraph, mode)
        for start, end in wrap_points(prep.text, max(width, 1)):
            out.append((prep.text[start:end], prep.base == 1))
    return out


def _fit(chars: list[str], where: list[int], width: int) -> tuple[list[str], list[int]]:
    """Replace characters that cannot fit a very narrow line (a wide character at width 1)."""
    if sum(get_character_cell_size(c) for c in chars) <= width:
        return chars, where
    out_c, out_w, used = [], [], 0
    for ch, w in zip(chars, where, strict=True):
        size = get_character_cell_size(ch)
        if used + size > width:
            ch, size = PLACEHOLDER, 1
            if used + size > width:
                break
        out_c.append(ch)
        out_w.append(w)
        used += size
    return out_c, out_w


def _visible(chars: list[str], idx: list[int]) -> tuple[list[str], list[int]]:
    """Marks and isolates have done their work in the levels: they are not written."""
    if not any(ch in BIDI_FORMATTING for ch in chars):
        return chars, idx
    kept = [k for k, ch in enumerate(chars) if ch not in BIDI_FORMATTING]
    return [chars[k] for k in kept], [idx[k] for k in kept]


@lru_cache(maxsize=8192)
def _layout_paragraph(
    paragraph: str, width: int, mode: BidiMode
) -> tuple[tuple[str, tuple[int, ...]], ...]:  # noqa: E501
    """Rows of one paragraph: (text, index into the sanitized paragraph or -1)."""
    prep = prepare(paragraph, mode)
    rows = []
    for start, end in wrap_points(prep.text, width):
        if prep.simple:
            chars = list(prep.text[start:end])
            idx = list(range(start, end))
        else:
            visual, idx = reorder_line(prep.text, list(prep.levels), prep.base, start, end)
            chars = list(visual)
        chars, idx = for_terminal(*_visible(chars, idx))
        where = [prep.where[k] for k in idx]
        chars, where = _fit(chars, where, width)
        pad = width - sum(get_character_cell_size(c) for c in chars)
        if prep.base == 1 and mode == "app":
            text = " " * pad + "".join(chars)
            offsets = (-1,) * pad + tuple(where)
        else:
            text = "".join(chars) + " " * pad
            offsets = tuple(where) + (-1,) * pad
        rows.append((text, offsets))
    return tuple(rows)


def layout_text(text: str, width: int, mode: BidiMode = "app") -> list[VisualLine]:
    """Rows for a pane `width` cells wide: RTL paragraphs right-aligned, LTR left-aligned.

    In `terminal` mode the text stays logical (the terminal orders it) and is left-aligned.
    """
    width = max(width, 1)
    out: list[VisualLine] = []
    for number, (paragraph, where) in enumerate(split_paragraphs(text, mode)):
        rtl = prepare(paragraph, mode).base == 1
        for row, offsets in _layout_paragraph(paragraph, width, mode):
            mapped = tuple(where[k] if k >= 0 else -1 for k in offsets)
            out.append(VisualLine(row, mapped, rtl, number))
    return out


@lru_cache(maxsize=16384)
def display_inline(text: str, mode: BidiMode = "app") -> str:
    """A value on one line (newlines become spaces), sanitized; shaped and ordered in app mode."""
    clean = sanitize_with_map(text, keep_bidi=mode == "app")[0].replace("\n", " ")
    if mode != "app":
        return "".join(for_terminal(list(clean), list(range(len(clean))))[0])
    prep = prepare(clean, mode)
    if prep.simple:
        shown = prep.text
    else:
        shown = reorder_line(prep.text, list(prep.levels), prep.base, 0, len(prep.text))[0]
    chars = [ch for ch in shown if ch not in BIDI_FORMATTING]
    return "".join(for_terminal(chars, list(range(len(chars))))[0])


def set_harakat(choice: Harakat) -> None:
    """Keep or strip harakat everywhere from now on (cached layouts of the other choice go)."""
    shaping.set_default_harakat(choice)
    prepare.cache_clear()
    _layout_paragraph.cache_clear()
    display_inline.cache_clear()


FSI, PDI = "\u2068", "\u2069"
ELLIPSIS = "…"


def isolate(text: str) -> str:
    """`text` as one bidi isolate (FSI … PDI), for a piece of data inside a composed value.

    Each piece keeps its own direction and the pieces stay in the composer's order ("place ›
    region"). Isolates inside the data that do not pair up are dropped first, so the data cannot
    close ours or leave one open.
    """
    opened: list[int] = []
    unmatched: set[int] = set()
    for i, ch in enumerate(text):
        if ch in "\u2066\u2067\u2068":
            opened.append(i)
        elif ch == PDI:
            if opened:
                opened.pop()
            else:
                unmatched.add(i)
    unmatched.update(opened)
    inner = "".join(ch for i, ch in enumerate(text) if i not in unmatched)
    return FSI + inner + PDI


def wrap_value(text: str, width: int, mode: BidiMode = "app") -> list[str]:
    """A one-paragraph value (a card field) as rows of at most `width` cells.

    Wrapped with the paragraph's levels, then each row reordered (as the report is), so a long
    Arabic title reads in order from its first row. One row comes back without padding; several
    come back padded to `width` (right-aligned when the paragraph is right-to-left).
    """
    rows = layout_text(text.replace("\n", " "), width, mode)
    if len(rows) == 1:
        row = rows[0]
        return ["".join(ch for ch, o in zip(row.text, row.offsets, strict=True) if o >= 0)]
    return [row.text for row in rows]


def fit_inline(text: str, cells: int, mode: BidiMode = "app") -> str:
    """display_inline(text) in at most `cells` cells, cut at the logical end with `…`.

    Cut at a space when one is near (within a third of the room), else inside a word. The cut is
    made on the logical text, so an Arabic title keeps its beginning (drawn at the right).
    """
    shown = display_inline(text, mode)
    if cell_len(shown) <= cells:
        return shown
    if cells < 1:
        return ""
    clean = sanitize_with_map(text, keep_bidi=mode == "app")[0].replace("\n", " ")
    lo, hi = 0, len(clean)
    while lo < hi:  # the longest prefix that fits with its ellipsis
        mid = (lo + hi + 1) // 2
        if cell_len(display_inline(clean[:mid].rstrip() + ELLIPSIS, mode)) <= cells:
            lo = mid
        else:
            hi = mid - 1
    space = clean.rfind(" ", 0, lo + 1)
    if space > 0 and space >= lo - max(cells // 3, 1):
        lo = space
    return display_inline(clean[:lo].rstrip() + ELLIPSIS, mode)


def display_block(text: str, width: int, mode: BidiMode = "app") -> str:
    """Sanitized text for a box `width` cells wide that wraps (a toast, a help line).

    Text with right-to-left content is wrapped here with its paragraphs' levels and each row
    reordered (app mode), so the box's own wrapping never splits a reordered line; other text
    is left for the box to wrap.
    """
    clean = sanitize_with_map(text)[0]
    if mode != "app" or not any(bidi_class(ch) in RTL_CLASSES for ch in clean):
        return clean
    return "\n".join(
        row.text if row.rtl else row.text.rstrip() for row in layout_text(text, max(width, 1), mode)
    )
