"""Values fitted into table cells (tui/widgets/cells.py): always the cell's width, cut where
the reading ends, an Arabic name cut at a word's end, a place's Latin name before a cut."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from tui.text.layout import display_inline
from tui.widgets.cells import ELLIPSIS, fit, fit_first, place_forms

ARABIC_WORD = st.text(st.sampled_from("ابتثجحخدذرزسشصضطظعغفقكلمنهوي"), min_size=1, max_size=8)
ARABIC = st.lists(ARABIC_WORD, min_size=1, max_size=5).map(" ".join)
LATIN = st.text(st.sampled_from("abcdefghijklmnop"), min_size=1, max_size=14)


@given(st.one_of(ARABIC, LATIN), st.integers(1, 30))
def test_a_value_takes_exactly_its_width(text: str, width: int) -> None:
    assert cell_len(fit(text, width)) == width


@given(ARABIC, st.integers(2, 30))
def test_an_arabic_value_is_cut_at_a_words_end(text: str, width: int) -> None:
    """A word cut short takes a final letter's shape and reads as another word ("عبد ال…")."""
    shown = fit(text, width).rstrip()
    if ELLIPSIS not in shown:
        return
    assert shown.startswith(ELLIPSIS)  # where an Arabic reading ends: on the left
    kept = shown[1:]
    words = text.split(" ")
    whole = [display_inline(" ".join(words[:n])) for n in range(1, len(words))]
    if any(cell_len(w) >= (width - 1) // 2 and cell_len(w) + 1 <= width for w in whole):
        assert kept in whole, (text, width, shown)


def test_the_place_gives_way_to_its_latin_name() -> None:
    forms = place_forms("Nioro du Sahel", "نيورو الساحل")
    assert fit_first(forms, 40) == display_inline("Nioro du Sahel نيورو الساحل").ljust(40)
    assert fit_first(forms, 16) == "Nioro du Sahel  "  # not "Nioro du Sahel ﻞ…"
    assert fit_first(forms, 9) == "Nioro du…"
    assert place_forms(None, "معسكر") == ("معسكر",) and place_forms(None, None) == ()
    assert fit_first(place_forms(None, "معسكر القائد عبد الحق"), 20).startswith("…")
