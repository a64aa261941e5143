"""tui/text/_unicode_tables.py is what its generator makes of Unicode's files, and agrees with
Python's own unicodedata wherever Python knows the character."""

from __future__ import annotations

import unicodedata

import pytest

from tui.text._generate_tables import OUT, UCD, generate, version_of
from tui.text._unicode_tables import BRACKETS, MIRRORS


@pytest.mark.referee(
    (UCD / "BidiBrackets.txt").exists() and (UCD / "BidiMirroring.txt").exists(),
    "Unicode's data files (Debian unicode-data)",
)
def test_the_committed_tables_are_what_the_generator_makes() -> None:
    assert OUT.read_text(encoding="utf-8") == generate(UCD), (
        "stale: run `python -m tui.text._generate_tables`"
    )
    assert f"Unicode {version_of(UCD / 'BidiBrackets.txt')}" in OUT.read_text(encoding="utf-8")


def test_the_tables_agree_with_pythons_unicodedata() -> None:
    known = [ch for ch in {**BRACKETS, **MIRRORS} if unicodedata.category(ch) != "Cn"]
    assert len(known) > 400
    for ch in known:
        assert unicodedata.mirrored(ch) == 1, f"U+{ord(ch):04X} is not Bidi_Mirrored in Python"
    for ch, (pair, kind) in BRACKETS.items():
        assert BRACKETS[pair] == (ch, "c" if kind == "o" else "o")
        if unicodedata.category(ch) != "Cn":
            assert unicodedata.category(ch) == ("Ps" if kind == "o" else "Pe"), hex(ord(ch))
    assert all(MIRRORS.get(m) == ch or MIRRORS.get(m) is None for ch, m in MIRRORS.items())
