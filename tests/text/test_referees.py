"""The layout refereed by outsiders: GNU FriBidi line by line, and Unicode's own bidi tests."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from db.seed import source_text
from tui.text.bidi import line_levels, reorder_line, resolve_levels
from tui.text.layout import layout_text, logical_lines

FRIBIDI = shutil.which("fribidi")
BIDI_CHARACTER_TEST = Path("/usr/share/unicode/BidiCharacterTest.txt")
SEED = source_text("mali-weekly-2026-01-24.ar.txt")
EXTRA = (
    "أعلنت جماعة نصرة الإسلام والمسلمين (JNIM) مسؤوليتها عن الهجوم.\n"
    "2026 كان عاما صعبا في باماكو، وقتل 5 جنود [بحسب المصادر].\n"
    "JNIM أعلنت في 18 يناير أنها (سيطرت) على الموقع.\n"
    "The digest (datelined Bamako) says الجيش المالي lost 5 soldiers on 18/01/2026."
)


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def fribidi(lines: list[str], rtl: bool) -> list[str]:
    args = [FRIBIDI, "--nopad", "--nobreak", "--rtl" if rtl else "--ltr"]
    out = subprocess.run(args, input="\n".join(lines) + "\n", capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    return out.split("\n")[: len(lines)]


@pytest.mark.skipif(FRIBIDI is None, reason="GNU FriBidi (Debian libfribidi-bin) not installed")
@pytest.mark.parametrize("width", [20, 40, 60, 80, 120])
@pytest.mark.parametrize("name,text", [("seed", SEED), ("mixed", EXTRA)])
def test_every_line_equals_fribidi(name: str, text: str, width: int) -> None:
    logical = logical_lines(text, width)
    visual = layout_text(text, width)
    assert len(logical) == len(visual)
    mismatches = []
    for rtl in (True, False):
        rows = [i for i, (_, r) in enumerate(logical) if r == rtl]
        if not rows:
            continue
        reference = fribidi([logical[i][0] for i in rows], rtl)
        for i, ref in zip(rows, reference, strict=True):
            if nfkc(ref) != nfkc(visual[i].text):
                mismatches.append((i, ref, visual[i].text))
    equal = len(visual) - len(mismatches)
    print(f"{name} at {width}: {equal}/{len(visual)} lines equal to FriBidi")
    assert not mismatches


def _cases():
    for line in BIDI_CHARACTER_TEST.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        fields = line.split(";")
        text = "".join(chr(int(c, 16)) for c in fields[0].split())
        levels = [-1 if x == "x" else int(x) for x in fields[3].split()]
        yield text, int(fields[1]), int(fields[2]), levels, [int(x) for x in fields[4].split()]


@pytest.mark.skipif(not BIDI_CHARACTER_TEST.exists(), reason="Debian unicode-data not installed")
def test_bidi_character_test_passes() -> None:
    total = passed = 0
    for text, direction, paragraph, levels, order in _cases():
        total += 1
        resolved, base = resolve_levels(text, None if direction == 2 else direction)
        got_levels = line_levels(text, resolved, base, 0, len(text))
        _, got_order = reorder_line(text, resolved, base, 0, len(text), keep_marks=False)
        passed += base == paragraph and got_levels == levels and got_order == order
    rate = passed / total
    print(f"BidiCharacterTest: {passed}/{total} = {rate:.2%}")
    assert total > 90_000
    assert rate == 1.0
