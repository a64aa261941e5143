"""The evidence cursor's motions over logical text, and logical ranges mapped to screen cells."""

from __future__ import annotations

import unicodedata
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import get_character_cell_size

from db.extract.sentences import split_sentences
from db.seed import source_text
from tui.text._unicode_tables import MIRRORS
from tui.text.layout import layout_text, set_harakat
from tui.text.selection import (
    CellMap,
    cluster_end,
    cluster_start,
    is_word_start,
    last_stop,
    line_end,
    line_start,
    next_char,
    next_paragraph,
    next_sentence,
    next_word,
    previous_char,
    previous_paragraph,
    previous_sentence,
    previous_word,
    span,
)

SEED = source_text("mali-weekly-2026-01-24.ar.txt")
PIECES = [
    "باماكو",
    "سيكاسّو",
    "لَا",
    "الإسلام",
    "قال",
    "JNIM",
    "Bamako",
    "22",
    "2026",
    "(",
    ")",
    "،",
    ".",
    "؟",
    " ",
    " ",
    " ",
    "\n",
    "ـ",
    "\u200d",
    "لا",
    "é",
]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
seed_offsets = st.integers(min_value=0, max_value=len(SEED) - 1)


def stops(text: str) -> list[int]:
    return [i for i in range(len(text)) if cluster_start(text, i) == i]


@given(texts, st.data())
def test_char_forward_then_back_returns(text: str, data) -> None:
    if not text:
        assert next_char(text, 0) == previous_char(text, 0) == 0
        return
    i = data.draw(st.sampled_from(stops(text)))
    forward = next_char(text, i)
    assert cluster_start(text, forward) == forward
    if cluster_end(text, i) < len(text):
        assert forward == cluster_end(text, i) and previous_char(text, forward) == i
    else:
        assert forward == i
    if i > 0:
        assert next_char(text, previous_char(text, i)) == i


def test_lam_alef_and_harakat_are_one_step() -> None:
    text = "قال لَا سيكاسّو"
    lam = text.index("لَا")
    assert next_char(text, lam) == lam + 3  # lam, fatha, alef: one ligature cell
    shadda = text.index("\u0651")
    assert cluster_start(text, shadda) == shadda - 1
    assert span(lam, lam, text) == (lam, lam + 3)


@given(texts, st.data())
@settings(max_examples=200)
def test_word_motion_lands_on_word_starts_only(text: str, data) -> None:
    if not text:
        return
    i = data.draw(st.integers(min_value=0, max_value=len(text) - 1))
    k = next_word(text, i)
    assert k >= i
    if k > i and k != last_stop(text):
        assert is_word_start(text, k)
        assert not any(is_word_start(text, m) for m in range(i + 1, k))  # none skipped
    b = previous_word(text, i)
    assert b <= i
    if b > 0:
        assert is_word_start(text, b)
        assert not any(is_word_start(text, m) for m in range(b + 1, i))
    if k > i and is_word_start(text, k):
        assert previous_word(text, k) <= i or is_word_start(text, previous_word(text, k))


@given(seed_offsets)
def test_word_motion_on_the_seed_never_lands_inside_a_word(i: int) -> None:
    k = next_word(SEED, i)
    assert k == i or not SEED[k].isspace()
    assert k == 0 or not (SEED[k - 1].isalnum() and SEED[k].isalnum())
    assert SEED[i].isspace() or next_word(SEED, previous_word(SEED, k)) == k


def test_sentence_motions_agree_with_the_splitter() -> None:
    starts = [s.start for s in split_sentences(SEED)]
    visited = [0]
    while (k := next_sentence(SEED, visited[-1])) != visited[-1] and k != last_stop(SEED):
        visited.append(k)
    assert visited == starts[: len(visited)] and visited[-1] == starts[-1]
    back = [visited[-1]]
    while back[-1] > 0:
        back.append(previous_sentence(SEED, back[-1]))
    assert back[::-1] == visited


@given(seed_offsets)
def test_sentence_back_goes_to_the_start_of_the_sentence_holding_the_cursor(i: int) -> None:
    sentences = split_sentences(SEED)
    k = previous_sentence(SEED, i)
    assert k in {s.start for s in sentences} | {0}
    inside = [s for s in sentences if s.start < i < s.end]
    if inside:
        assert k == inside[0].start


@given(texts, st.data())
def test_lines_and_paragraphs(text: str, data) -> None:
    if not text:
        return
    i = data.draw(st.integers(min_value=0, max_value=len(text) - 1))
    start, end = line_start(text, i), line_end(text, i)
    assert "\n" not in text[start:end] and (start == 0 or text[start - 1] == "\n")
    assert start <= end
    p = next_paragraph(text, i)
    assert p == max(i, last_stop(text)) or (text[p - 1] == "\n" and text[p] != "\n" and p > i)
    q = previous_paragraph(text, i)
    assert q <= i and (q == 0 or text[q - 1] == "\n")


# ---- the screen side ------------------------------------------------------------------------

FOLD = {ord(a): ord(min(a, b)) for a, b in MIRRORS.items()}


def glyphs(rows: list, cells: list[tuple[int, int]]) -> Counter[str]:
    """The characters drawn in these cells (marks included), as base letters (NFKC)."""
    wanted = set(cells)
    out: Counter[str] = Counter()
    for y, line in enumerate(rows):
        x = 0
        last = False
        for ch in line.text:
            size = get_character_cell_size(ch)
            inside = (y, x) in wanted if size else last
            if inside:
                out.update(unicodedata.normalize("NFKC", ch).translate(FOLD))
            last = inside if size else last
            x += size
    return out


def logical_glyphs(text: str, start: int, end: int, cmap: CellMap) -> Counter[str]:
    """What the range should show: its characters that have a cell, letters as themselves."""
    shown: Counter[str] = Counter()
    for k in range(start, end):
        if cmap.cells_at(k) and not text[k].isspace() and unicodedata.category(text[k]) != "Cf":
            shown.update(unicodedata.normalize("NFKC", text[k]).translate(FOLD))
    return shown


@given(st.sampled_from([40, 57, 80, 103, 120]), seed_offsets, st.integers(1, 400))
@settings(max_examples=60, deadline=None)
def test_cells_of_a_seed_range_show_exactly_its_characters(width: int, start: int, n: int) -> None:
    # whole clusters, as a selection always is (a ligature cell cannot show half of itself)
    last = cluster_start(SEED, min(start + n, len(SEED)) - 1)
    start, end = span(cluster_start(SEED, start), last, SEED)
    rows = layout_text(SEED, width)
    cmap = CellMap(SEED, rows)
    cells = cmap.cells_in(start, end)
    drawn = glyphs(rows, cells)
    drawn.pop(" ", None)
    assert drawn == logical_glyphs(SEED, start, end, cmap)
    for k in range(start, end):  # every drawn character of the range is inside
        assert set(cmap.cells_at(k)) <= set(cells)


@given(texts, st.integers(3, 30), st.data())
@settings(max_examples=150, deadline=None)
def test_every_character_with_a_cell_is_found_again_from_its_cell(text: str, width: int, data):
    rows = layout_text(text, width)
    cmap = CellMap(text, rows)
    for k in range(len(text)):
        for y, x in cmap.cells_at(k):
            assert cmap.offset_at(y, x) == cluster_start(text, k)
    drawn = {o for r in rows for o in r.offsets if o >= 0}
    for k in drawn:
        assert cmap.cells_at(k), (text, k)


def test_lam_alef_ligature_is_one_cell_for_both_characters() -> None:
    text = "قال الإسلام لَا"
    cmap = CellMap(text, layout_text(text, 30))
    for word in ("لا", "لإ", "لَا"):
        lam = text.index(word)
        alef = lam + len(word) - 1
        assert cmap.cells_at(lam) == cmap.cells_at(alef) and len(cmap.cells_at(lam)) == 1
        assert cmap.cells_in(alef, alef + 1) == cmap.cells_at(lam)


def test_a_range_across_a_wrap_is_on_both_rows() -> None:
    text = "شهدت مالي خلال الأسبوع الثالث من شهر يناير تصعيدا أمنيا خطيرا"
    rows = layout_text(text, 20)
    cmap = CellMap(text, rows)
    start, end = cmap.row(0).hi - 3, cmap.row(1).lo + 3  # the end of row 0, the start of row 1
    cells = cmap.cells_in(start, end)
    assert sorted(cells) == [(0, 0), (0, 1), (0, 2), (1, 17), (1, 18), (1, 19)]  # RTL ends left
    # the space dropped at the wrap has no cell; its neighbours do
    for y in range(len(rows) - 1):
        gap = cmap.row(y).hi
        if text[gap] == " ":
            assert not cmap.cells_at(gap) and cmap.cursor_cell(gap) is not None


def test_screen_steps_follow_the_row_direction() -> None:
    text = "قال الجيش\nThe army said"
    cmap = CellMap(text, layout_text(text, 30))
    q = 0
    assert cmap.step_on_screen(q, -1) == 1  # left in Arabic is forward
    assert cmap.step_on_screen(1, 1) == 0
    t = text.index("The")
    assert cmap.step_on_screen(t, 1) == t + 1
    assert cmap.vertical(t, -1) in range(0, text.index("\n"))
    assert cmap.row_first(text.index("army")) == t
    assert cmap.row_last(t) == len(text) - 1
    assert cmap.row_last(0) == text.index("\n") - 1


def test_stripped_harakat_and_wide_characters_keep_their_cells() -> None:
    text = "سيكاسّو لَا 👍 قال"
    set_harakat("strip")
    try:
        cmap = CellMap(text, layout_text(text, 30))
        shadda = text.index("\u0651")
        assert cmap.cells_at(shadda) == cmap.cells_at(shadda - 1) != []  # drawn nowhere: its letter
        fatha = text.index("\u064e")
        assert cmap.cells_at(fatha) == cmap.cells_at(fatha - 1) == cmap.cells_at(fatha + 1)
    finally:
        set_harakat("keep")
    cmap = CellMap(text, layout_text(text, 30))
    thumb = cmap.cells_at(text.index("👍"))
    assert len(thumb) == 2 and thumb[1][1] == thumb[0][1] + 1  # a wide character: two cells
