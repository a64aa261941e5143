"""arabic-reshaper as a second, independent referee for rasd's own shaping.

The runtime shapes with tui/text/shaping.py because arabic-reshaper's output does not map one
for one onto its input (ZWJ deleted, offsets drift, IndexError on some strings). On the text it
does handle (no ZWJ/ZWNJ) the two must agree glyph for glyph, as FriBidi and python-bidi referee
the reordering.
"""

from __future__ import annotations

from pathlib import Path

import arabic_reshaper
from hypothesis import given, settings
from hypothesis import strategies as st

from db.seed import source_text
from tui.text.shaping import shape

REPORTS = sorted((Path(__file__).parents[1] / "extract" / "reports").glob("*.txt"))

KEEP_HARAKAT = arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": "no"})
"""arabic-reshaper's default deletes harakat (rasd's `strip`); this one keeps them (`keep`)."""

ALPHABET = (
    [chr(c) for c in range(0x0621, 0x064B)]  # hamza .. yeh
    + ["\u064b", "\u064e", "\u0650", "\u0651", "\u0652"]  # harakat (stripped by both)
    + [
        "\u0640",
        "\u0671",
        "\u067e",
        "\u0686",
        "\u06a4",
        "\u06af",
        "\u06cc",
    ]  # tatweel, extended letters
    + [" ", "a", "Z", "1", "٣", ".", "،", "(", ")", "-", "\n"]
)


def test_the_seed_report_shapes_as_arabic_reshaper_does() -> None:
    text = source_text("mali-weekly-2026-01-24.ar.txt")
    assert shape(text, "strip") == arabic_reshaper.reshape(text)
    assert shape(text, "keep") == KEEP_HARAKAT.reshape(text)


def test_the_extractor_test_reports_shape_as_arabic_reshaper_does() -> None:
    assert len(REPORTS) >= 8, "the extractor's test reports moved"
    for path in REPORTS:
        text = path.read_text(encoding="utf-8")
        assert shape(text, "strip") == arabic_reshaper.reshape(text), path.name
        assert shape(text, "keep") == KEEP_HARAKAT.reshape(text), path.name


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_any_letters_harakat_and_tatweel_shape_as_arabic_reshaper_does(text: str) -> None:
    assert shape(text, "strip") == arabic_reshaper.reshape(text)
    assert shape(text, "keep") == KEEP_HARAKAT.reshape(text)
