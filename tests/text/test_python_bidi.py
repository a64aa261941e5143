"""python-bidi as a second referee for reordering, independent of FriBidi (it wraps the Rust
crate unicode-bidi).

Comparable only where its model is ours: one whole paragraph reordered as one line (it cannot
reorder a wrapped line with its paragraph's levels), compared with mirrored brackets folded
(it does not apply L4), combining marks left out (it leaves them reversed, before their base,
where rasd keeps them after it, as FriBidi's --reordernsm does), and explicit formatting
characters left out (it keeps them in its output; rasd removes them).
"""

from __future__ import annotations

import unicodedata

from bidi import get_base_level, get_display
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.text.test_referees import EXTRA, FRIBIDI, MARKS, SEED, fribidi
from tui.text._unicode_tables import MIRRORS
from tui.text.bidi import paragraph_level, reorder_line, resolve_levels

EXPLICIT = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
FOLD = {ord(ch): None for ch in EXPLICIT} | {ord(a): ord(min(a, b)) for a, b in MIRRORS.items()}


def comparable(text: str) -> str:
    return "".join(ch for ch in text.translate(FOLD) if not unicodedata.combining(ch))


def ours(text: str, base: int | None = None) -> str:
    levels, level = resolve_levels(text, base)
    return reorder_line(text, levels, level, 0, len(text))[0]


def test_every_paragraph_of_the_seed_and_the_mixed_texts_reorders_as_python_bidi_does() -> None:
    paragraphs = [p for p in f"{SEED}\n{EXTRA}\n{MARKS}".split("\n") if p.strip()]
    assert len(paragraphs) > 30
    for p in paragraphs:
        assert paragraph_level(p) == get_base_level(p), p
        assert comparable(ours(p)) == comparable(get_display(p)), p


TEXT = st.text(
    alphabet=st.sampled_from(
        [*"ab XY", *"مرحبا ", *"019٠١", *"()[]{}«».,:-+/%$'!", *EXPLICIT, "\u064e", "\u0651"]
    ),
    max_size=30,
)


@settings(max_examples=400, deadline=None)
@given(TEXT, st.sampled_from([None, 0, 1]))
@example("0\u202a ", 1)  # python-bidi: "0 "; rasd and FriBidi: " 0" (L1, see below)
def test_any_mixed_line_reorders_as_python_bidi_does(text: str, base: int | None) -> None:
    """Arabic, Latin, both kinds of digits, brackets, marks, embeddings and isolates.

    Where python-bidi differs, FriBidi decides: python-bidi leaves at the embedding's level the
    whitespace that ends a line after an unterminated embedding (`0`, LRE, space, right to
    left), where UAX #9 L1 resets it to the paragraph's. Found by this test in a CI run."""
    direction = {None: None, 0: "L", 1: "R"}[base]
    mine = comparable(ours(text, base))
    if mine != comparable(get_display(text, base_dir=direction)):
        assert FRIBIDI is not None, "python-bidi differs; FriBidi (libfribidi-bin) would decide"
        rtl = {None: None, 0: False, 1: True}[base]
        assert mine == comparable(fribidi([text], rtl)[0]), "python-bidi and FriBidi both differ"
