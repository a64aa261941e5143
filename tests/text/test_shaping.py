"""Shaping by Unicode's joining rules: ZWJ/ZWNJ, lam-alef, and a map that never drifts."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import duckdb
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tui.cli import main
from tui.text.layout import layout_text
from tui.text.shaping import HARAKAT, ZWJ, ZWNJ, _tables, joining_type, shape, shape_with_map

ARABIC_SHAPING = Path("/usr/share/unicode/ArabicShaping.txt")
BAMAKO = "باماكو"


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def highlighted(text: str, start: int, end: int, width: int) -> list[tuple[int, int, str]]:
    """(row, column, character) of every cell the span [start, end) marks."""
    out = []
    for y, line in enumerate(layout_text(text, width)):
        for x, (ch, offset) in enumerate(zip(line.text, line.offsets, strict=True)):
            if start <= offset < end:
                out.append((y, x, ch))
    return out


@pytest.mark.parametrize("where", range(len(BAMAKO) + 1))
@pytest.mark.parametrize("joiner", [ZWJ, ZWNJ])
def test_span_over_bamako_marks_exactly_its_six_letters(where: int, joiner: str) -> None:
    word = BAMAKO[:where] + joiner + BAMAKO[where:]
    text = f"قتل 5 جنود في {word} يوم الخميس"
    start = text.index(word)
    cells = highlighted(text, start, start + len(word), 60)
    assert len(cells) == 6
    assert len({y for y, _, _ in cells}) == 1
    columns = [x for _, x, _ in cells]
    assert columns == list(range(columns[0], columns[0] + 6))  # contiguous
    assert sorted(nfkc("".join(ch for _, _, ch in cells))) == sorted(BAMAKO)


def test_zwj_forces_joining_and_zwnj_breaks_it() -> None:
    # beh followed by ZWJ takes its initial form even at the end of a word
    assert shape("ب" + ZWJ) == "\ufe91"
    assert shape(ZWJ + "ب") == "\ufe90"  # final
    assert shape("بب") == "\ufe91\ufe90"
    assert shape("ب" + ZWNJ + "ب") == "\ufe8f\ufe8f"  # both isolated
    # lam-alef: ZWJ between keeps the letters apart but joined, ZWNJ apart and unjoined
    assert shape("ل" + ZWJ + "ا") == "\ufedf\ufe8e"
    assert shape("ل" + ZWNJ + "ا") == "\ufedd\ufe8d"


def test_lam_alef_is_one_cell_in_every_context() -> None:
    for text, expected in [
        ("لا", "\ufefb"),
        ("سلا", "\ufeb3\ufefc"),
        ("لَا", "\ufefb"),  # harakat between lam and alef
        ("لأ", "\ufef7"),
        ("لإ", "\ufef9"),
        ("لآ", "\ufef5"),
    ]:
        assert shape(text, "strip") == expected, text
    shaped, where = shape_with_map("قال" + ZWJ + " لا")
    assert nfkc(shaped) == "قال لا"
    assert where == [0, 1, 2, 4, 5]


def test_text_that_made_the_reshaper_raise(db_copy: Path, capsys) -> None:
    text = "قال" + ZWJ + " لا"
    shaped, where = shape_with_map(text)
    assert shaped[-1] == "\ufefb" and shaped[2] == "\ufedf"  # lam before ZWJ joins
    con = duckdb.connect(str(db_copy))
    con.execute("UPDATE sources SET title = ?", [text])
    con.close()
    code = main(
        ["show", "RASD-ML-20260124-05", "--db", str(db_copy), "--bidi", "app", "--width", "60"]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "\ufefb" in out and ZWJ not in out


@pytest.mark.referee(ARABIC_SHAPING.exists(), "ArabicShaping.txt (Debian unicode-data)")
def test_joining_types_agree_with_arabic_shaping_txt() -> None:
    """Every letter we can draw joins as ArabicShaping.txt says, except where Unicode has no glyph."""
    listed = {}
    for line in ARABIC_SHAPING.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            fields = [f.strip() for f in line.split(";")]
            listed[chr(int(fields[0], 16))] = fields[2]
    letters = _tables()[0]
    checked = 0
    for ch, forms in letters.items():
        if ch not in listed:
            continue
        checked += 1
        if all(forms) or (listed[ch] == "R" and forms[3]):
            assert joining_type(ch) == listed[ch], hex(ord(ch))
        else:  # Unicode has no glyph for some forms: the letter joins on fewer sides
            assert "URD".index(joining_type(ch)) <= "URD".index(listed[ch]), hex(ord(ch))
    assert checked > 70
    assert joining_type(ZWJ) == "C" and joining_type(ZWNJ) == "U"
    assert joining_type("\u064e") == "T"  # fatha


# ---- properties -----------------------------------------------------------------------------

PIECES = list("بماكولاأإآسةءى ي") + [ZWJ, ZWNJ, "\u0651", "\u064e", "\u200e", "\u0640", "a", "1"]
ARABICISH = st.text(st.sampled_from(PIECES), max_size=60)
ANY = st.text(st.characters(codec="utf-8"), max_size=60)


def _expected_indices(text: str, harakat: str) -> list[int]:
    """Input characters that must appear: all but joiners (and harakat when stripped)."""
    return [
        i
        for i, ch in enumerate(text)
        if not (harakat == "strip" and HARAKAT.match(ch)) and ch not in (ZWJ, ZWNJ)
    ]


@settings(max_examples=400, deadline=None)
@given(st.one_of(ARABICISH, ANY, st.text(st.sampled_from(PIECES) | st.characters(), max_size=40)))
@pytest.mark.parametrize("harakat", ["strip", "keep"])
def test_map_never_drifts(harakat: str, text: str) -> None:
    shaped, where = shape_with_map(text, harakat)  # type: ignore[arg-type]
    assert len(where) == len(shaped)
    assert where == sorted(set(where))  # one output character per input position, in order
    covered = set(where)
    for ch, i in zip(shaped, where, strict=True):
        source = text[i]
        if nfkc(ch) == nfkc(source) or ch == source:
            continue
        # a lam-alef ligature shows the lam and the next alef (harakat between may be gone)
        rest = [c for c in text[i + 1 :] if not HARAKAT.match(c)]
        assert source == "ل" and rest and nfkc(ch) == "ل" + rest[0], (ch, source)
        covered.add(text.index(rest[0], i + 1))
    if any("\u0600" <= c <= "\u08ff" for c in text):
        assert covered == set(_expected_indices(text, harakat))
    else:
        assert shaped == text


def _splits_a_ligature(text: str, start: int, end: int) -> bool:
    bare = [i for i, ch in enumerate(text) if not HARAKAT.match(ch)]
    for a, b in zip(bare, bare[1:], strict=False):
        if text[a] == "ل" and text[b] in "اأإآ" and (a < start <= b or a < end <= b):
            return True
    return False


@settings(max_examples=300, deadline=None)
@given(ARABICISH, st.data())
def test_highlight_marks_exactly_the_spans_characters(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    width = data.draw(st.integers(4, 80))
    assume(not _splits_a_ligature(text, start, end))
    cells = [ch for _, _, ch in highlighted(text, start, end, width)]
    invisible = {ZWJ, ZWNJ, "\u200e", " "}
    shown = [c for c in nfkc("".join(cells)) if c not in invisible]
    inside = [c for c in text[start:end] if c not in invisible]  # harakat kept (the default)
    assert sorted(shown) == sorted(inside)
