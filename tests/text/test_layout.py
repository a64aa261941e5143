"""Sanitizing, shaping, wrapping, ordering and aligning, one property at a time."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from tui.text.layout import display_inline, layout_text, logical_lines
from tui.text.sanitize import BIDI_CONTROLS, sanitize, sanitize_with_map
from tui.text.shaping import HARAKAT, shape, shape_with_map

ARABIC = "جماعة نصرة الإسلام والمسلمين"


def visible(text: str) -> str:
    return "".join(line.text for line in layout_text(text, 200)).strip()


# ---- sanitize -------------------------------------------------------------------------------


def test_escape_sequences_are_removed_whole() -> None:
    assert sanitize("a\x1b[2Jb") == "ab"
    assert sanitize("a\x1b]52;c;aGVsbG8=\x07b") == "ab"  # OSC 52 clipboard write
    assert sanitize("a\x1b]2;pwned\x1b\\b") == "ab"  # OSC 2 title
    assert sanitize("a\x9b31mb") == "ab"  # 8-bit CSI
    assert sanitize("a\x1bPq#0;2;0;0;0\x1b\\b") == "ab"  # DCS (sixel)
    assert sanitize("a\x1b]8;;http://x\x07link\x1b]8;;\x07b") == "alinkb"
    assert sanitize("a\x1b]2;never ends") == "a"
    assert sanitize("a\x1b(0b") == "ab"  # charset designation
    assert sanitize("a\x1b") == "a"


def test_controls_newlines_and_tabs() -> None:
    assert sanitize("a\x00\x07\x08\x7f\x85b") == "a\nb"  # NEL is a newline; the rest go
    assert sanitize("a\r\nb\rc\u2028d\u2029e") == "a\nb\nc\nd\ne"
    assert sanitize("a\tb") == "a    b"
    assert sanitize("a\x9d0;x\x9cb") == "ab"


def test_bidi_controls_cannot_spoof_numbers() -> None:
    assert sanitize("\u202e0052\u202c") == "0052"
    assert sanitize("x\u2066y\u2069\u200e\u200f\u061c") == "xy"
    assert "2500" not in visible("قتل \u202e0052\u202c شخصا")
    assert "0052" in visible("قتل \u202e0052\u202c شخصا")


def test_rich_markup_stays_literal() -> None:
    for text in ("[bold]x[/bold]", "[/bold]", "[@click=app.quit]x[/]"):
        assert visible(text) == text


def test_sanitize_map_points_at_the_source() -> None:
    text = "\x1b[1mأ\tب\r\nج"
    clean, where = sanitize_with_map(text)
    for ch, i in zip(clean, where, strict=True):
        assert ch == text[i] or text[i] in "\t\r\n"


# ---- shaping --------------------------------------------------------------------------------


def test_lam_alef_is_one_cell_and_maps_to_the_lam() -> None:
    shaped, where = shape_with_map("لا")
    assert len(shaped) == 1 and cell_len(shaped) == 1 and where == [0]
    assert unicodedata.normalize("NFKC", shaped) == "لا"


def test_harakat_removed_and_shaping_is_joined() -> None:
    assert shape("سيكاسّو", "strip") == shape("سيكاسو", "strip")
    assert not HARAKAT.search(shape("مُحَمَّد", "strip"))
    assert shape("سيكاسو") != "سيكاسو"  # presentation forms
    assert unicodedata.normalize("NFKC", shape("سيكاسو")) == "سيكاسو"


def test_environment_configuration_file_is_ignored(tmp_path, monkeypatch) -> None:
    from tui.text import shaping

    config = tmp_path / "odd.ini"
    config.write_text("[ArabicReshaper]\ndelete_harakat = no\nsupport_ligatures = no\n")
    before = shape("لا مُحَمَّد")
    monkeypatch.setenv("PYTHON_ARABIC_RESHAPER_CONFIGURATION_FILE", str(config))
    shaping._tables.cache_clear()
    try:
        assert shape("لا مُحَمَّد") == before
        monkeypatch.setenv("PYTHON_ARABIC_RESHAPER_CONFIGURATION_FILE", str(tmp_path / "missing"))
        shaping._tables.cache_clear()
        assert shape("لا مُحَمَّد") == before
    finally:
        shaping._tables.cache_clear()


# ---- order, wrap, align ---------------------------------------------------------------------


def test_brackets_are_mirrored_inside_arabic() -> None:
    shown = display_inline("أعلنت جماعة (JNIM) المسؤولية")
    assert "(JNIM)" in shown and ")JNIM(" not in shown


def test_rtl_right_aligned_ltr_left_aligned_and_paragraph_order_kept() -> None:
    lines = layout_text(f"{ARABIC}\nBamako is the capital\n{ARABIC}", 40)
    assert [line.paragraph for line in lines] == [0, 1, 2]
    assert lines[0].rtl and lines[0].text.startswith(" ") and not lines[0].text.endswith(" ")
    assert not lines[1].rtl and lines[1].text.startswith("Bamako") and lines[1].text.endswith(" ")
    assert all(cell_len(line.text) == 40 for line in lines)


def test_wrapping_happens_before_reordering() -> None:
    text = "بدأ الهجوم صباح الخميس ثم انتهى مساء الجمعة"
    lines = layout_text(text, 16)
    assert len(lines) > 1
    assert 0 in lines[0].offsets  # the paragraph's start is on its first row
    assert len(text) - 1 in lines[-1].offsets  # and its end on the last
    first = [o for o in lines[0].offsets if o >= 0]
    assert first == sorted(first, reverse=True)  # read right to left
    assert unicodedata.normalize("NFKC", lines[0].text).split()[-1][::-1] == "بدأ"


def test_a_line_starting_with_a_number_keeps_its_place() -> None:
    text = "قتل في الهجوم " + "5 جنود ماليين على الأقل"
    logical = logical_lines(text, 14)
    assert any(line.startswith("5") for line, _ in logical)
    for line in layout_text(text, 14):
        assert line.rtl


def test_span_offsets_round_trip() -> None:
    text = "مقدمة. \x1b[31mأعلنت الجماعة (JNIM) سيطرتها.\x1b[0m خاتمة."
    start = text.index("أعلنت")
    end = text.index(".\x1b[0m") + 1
    lines = layout_text(text, 18)
    marked = sorted(o for line in lines for o in line.offsets if start <= o < end)
    clean, where = sanitize_with_map(text)
    shown = {where[k] for k, ch in enumerate(clean) if start <= where[k] < end and ch != " "}
    assert shown <= set(marked)
    assert "".join(text[o] for o in marked).replace(" ", "") == text[start:end].replace(" ", "")


# ---- properties -----------------------------------------------------------------------------

UNICODE = st.text(st.characters(codec="utf-8"), max_size=120)
MIXED = st.text(
    st.sampled_from(list("abc 123()[].,-\n\t\x1b\u202e\u2067") + list("سيكاسولاأمة") + ["ّ", "َ"]),
    max_size=120,
)
ESC_C1_BIDI = set("\x1b") | {chr(c) for c in range(0x80, 0xA0)} | BIDI_CONTROLS


@settings(max_examples=300, deadline=None)
@given(st.one_of(UNICODE, MIXED), st.integers(min_value=2, max_value=200))
def test_never_raises_and_every_line_is_exactly_the_width(text: str, width: int) -> None:
    for mode in ("app", "terminal"):
        for line in layout_text(text, width, mode):
            assert cell_len(line.text) == width
            assert len(line.offsets) == len(line.text)
            assert not (set(line.text) & ESC_C1_BIDI)
            assert all(ch >= " " for ch in line.text)
            for ch, offset in zip(line.text, line.offsets, strict=True):
                assert offset == -1 or 0 <= offset < len(text)
                if offset == -1:
                    assert ch == " "


LETTERS = st.text(
    st.sampled_from(list("abcXYZ 0123456789()") + list("سيكاسولاأمةنصر") + ["ّ"]), max_size=80
)


@settings(max_examples=300, deadline=None)
@given(LETTERS, st.integers(min_value=2, max_value=120))
def test_letters_are_preserved(text: str, width: int) -> None:
    def letters(s: str) -> list[str]:
        s = unicodedata.normalize("NFKC", s)
        return sorted(ch for ch in s if ch.isalnum() and not HARAKAT.match(ch))

    shown = "".join(line.text for line in layout_text(text, width))
    assert letters(shown) == letters(sanitize(text))


@settings(max_examples=200, deadline=None)
@given(UNICODE)
def test_inline_display_is_one_clean_line(text: str) -> None:
    shown = display_inline(text)
    assert "\n" not in shown and not (set(shown) & ESC_C1_BIDI)


# ---- marks and isolates ---------------------------------------------------------------------


def test_an_isolate_keeps_a_number_range_in_order() -> None:
    text = "الرقم \u2066123-456\u2069"
    assert "123-456" in visible(text) and "456-123" not in visible(text)
    assert "123-456" in display_inline(text)
    without = "الرقم 123-456"
    assert "456-123" in visible(without)  # what the isolate is there to prevent


def test_a_phone_number_after_an_lrm_keeps_its_groups_in_order() -> None:
    for text in ("\u200e+223 76-12-34-56", "للاتصال: \u200e+223 76-12-34-56 في باماكو"):
        assert "+223 76-12-34-56" in visible(text), text
        assert "+223 76-12-34-56" in display_inline(text)
    assert "56-34-12-76 223+" in visible("للاتصال: +223 76-12-34-56 في باماكو")


def test_rlm_and_alm_are_strong_right_to_left() -> None:
    lines = layout_text("\u200fabc, def!", 30)
    assert lines[0].rtl and lines[0].text.endswith("!abc, def")  # RTL paragraph: "!" goes left
    assert layout_text("abc, def!", 30)[0].text.startswith("abc, def!")
    assert layout_text("\u061c12-05", 20)[0].rtl


def test_marks_and_isolates_are_applied_then_not_written() -> None:
    text = "قال \u2067JNIM\u2069 \u200e+223 \u2068x\u2069 \u200f\u061c"
    for line in layout_text(text, 40):
        assert not set(line.text) & BIDI_CONTROLS
        assert all(text[o] not in BIDI_CONTROLS for o in line.offsets if o >= 0)
    assert not set(display_inline(text)) & BIDI_CONTROLS
    assert not set(display_inline(text, "terminal")) & BIDI_CONTROLS


def test_embeddings_and_overrides_are_still_removed_before_the_algorithm() -> None:
    # Trojan Source: an RLO would make 0052 read 2500; an RLE would carry on past the line
    assert "0052" in visible("قتل \u202e0052\u202c شخصا")
    assert "1234" in visible("x \u202b1234 abc")
    assert "1234" in display_inline("قتل \u202d1234\u202c")
