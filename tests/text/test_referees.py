"""The layout refereed by outsiders: GNU FriBidi line by line, and Unicode's own bidi tests."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from db.seed import source_text
from tui.text._unicode_tables import MIRRORS
from tui.text.bidi import line_levels, reorder_line, resolve_levels
from tui.text.layout import layout_text, logical_lines, prepare, split_paragraphs, wrap_points
from tui.text.sanitize import BIDI_FORMATTING

FRIBIDI = shutil.which("fribidi")
BIDI_CHARACTER_TEST = Path("/usr/share/unicode/BidiCharacterTest.txt")
SEED = source_text("mali-weekly-2026-01-24.ar.txt")
EXTRA = (
    "أعلنت جماعة نصرة الإسلام والمسلمين (JNIM) مسؤوليتها عن الهجوم.\n"
    "2026 كان عاما صعبا في باماكو، وقتل 5 جنود [بحسب المصادر].\n"
    "JNIM أعلنت في 18 يناير أنها (سيطرت) على الموقع.\n"
    "The digest (datelined Bamako) says الجيش المالي lost 5 soldiers on 18/01/2026."
)
MARKS = (
    "الرقم \u2066123-456\u2069 هو رقم مكتب الجماعة في باماكو منذ عام 2024.\n"
    "للاتصال: \u200e+223 76-12-34-56 أو \u200e+223 20-22-33-44 (المكتب الإقليمي).\n"
    "\u200e+223 76-12-34-56 هو رقم الهاتف الذي نشرته الجماعة.\n"
    "قال المتحدث \u2067JNIM (جماعة نصرة الإسلام) claimed it\u2069 ثم أضاف \u2068Bamako 5\u2069.\n"
    "The army said \u2067الجيش المالي: 12 قتيلا\u2069 and \u2068سيكاسو\u2069 was calm, 3-4 days.\n"
    "\u200fThe statement (in French) was short.\n"
    "\u061c12-05 هو التاريخ، و\u200f5 جنود \u2066(at least)\u2069 قتلوا في \u2067نيورو\u2069.\n"
    "\u2068نص معزول في أول الفقرة\u2069 then English follows with \u2066nested \u2067عربي \u2066Latin\u2069\u2069\u2069."
)


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def fribidi(lines: list[str], rtl: bool | None) -> list[str]:
    """Each line reordered as a paragraph: right to left, left to right, or (None) by its first
    strong character, else left to right."""
    args = [
        FRIBIDI or "fribidi",
        "--nopad",
        "--nobreak",
        "--clean",
        "--reordernsm",
        {True: "--rtl", False: "--ltr", None: "--wltr"}[rtl],
    ]
    out = subprocess.run(
        args, input="\n".join(lines) + "\n", capture_output=True, text=True, check=True
    ).stdout
    return [line.translate(INVISIBLE) for line in out.split("\n")[: len(lines)]]


INVISIBLE = {ord(ch): None for ch in BIDI_FORMATTING}


def fribidi_levels(paragraphs: list[str]) -> list[tuple[int, list[int]]]:
    """FriBidi's paragraph direction and embedding level of every character, per paragraph."""
    args = [FRIBIDI or "fribidi", "--levels", "--novisual", "--nobreak", "--basedir"]
    out = subprocess.run(
        args, input="\n".join(paragraphs) + "\n", capture_output=True, text=True, check=True
    ).stdout.split("\n")
    return [
        (1 if out[2 * k].endswith("R") else 0, [int(x) for x in out[2 * k + 1].split()])
        for k in range(len(paragraphs))
    ]


def textbook_line(text: str, levels: list[int], base: int, start: int, end: int) -> str:
    """UAX #9 L1-L4 written out plainly for one line, from FriBidi's levels; marks, isolates and
    X9-removed characters are then not written, marks stay after their base (as --reordernsm)."""
    line = list(range(start, end))
    lv = {i: levels[i] for i in line}
    for i in reversed(line):  # L1: trailing whitespace and isolate formatting characters
        if unicodedata.bidirectional(text[i]) in ("WS", "LRI", "RLI", "FSI", "PDI", "BN"):
            lv[i] = base
        else:
            break
    units: list[list[int]] = []
    for i in line:
        if unicodedata.bidirectional(text[i]) == "BN" or text[i] in BIDI_FORMATTING:
            continue
        attached = unicodedata.combining(text[i]) or unicodedata.bidirectional(text[i]) == "NSM"
        if units and attached and lv[units[-1][0]] == lv[i]:
            units[-1].append(i)
        else:
            units.append([i])
    top = max((lv[u[0]] for u in units), default=0)
    for level in range(top, 0, -1):  # L2
        out: list[list[int]] = []
        run: list[list[int]] = []
        for u in units:
            if lv[u[0]] >= level:
                run.append(u)
            else:
                out.extend(reversed(run))
                run = []
                out.append(u)
        out.extend(reversed(run))
        units = out
    return "".join(
        MIRRORS.get(text[i], text[i]) if lv[i] & 1 else text[i]  # L4
        for u in units
        for i in u
    )


@pytest.mark.referee(FRIBIDI is not None, "GNU FriBidi (Debian libfribidi-bin)")
@pytest.mark.parametrize("name,text", [("seed", SEED), ("mixed", EXTRA), ("marks", MARKS)])
def test_every_line_at_every_width_follows_fribidis_paragraph_levels(name: str, text: str) -> None:
    """Levels per paragraph from FriBidi, then each wrapped line reordered: widths 20 to 120."""
    paragraphs = [prepare(p, "app") for p, _ in split_paragraphs(text, "app")]
    reference = fribidi_levels([p.text for p in paragraphs])
    for prep, (base, levels) in zip(paragraphs, reference, strict=True):
        assert len(levels) == len(prep.text)
        assert base == prep.base
    marks = sum(ch in BIDI_FORMATTING for p in paragraphs for ch in p.text)
    assert (marks > 20) == (name == "marks")  # they reach the algorithm (and FriBidi)
    total = 0
    for width in range(20, 121):
        rows = iter(layout_text(text, width))
        for prep, (base, levels) in zip(paragraphs, reference, strict=True):
            for start, end in wrap_points(prep.text, width):
                row = next(rows)
                total += 1
                expected = textbook_line(prep.text, levels, base, start, end)
                assert row.text.strip(" ") == expected.strip(" "), (name, width, start)
    print(f"{name}: {total} lines at widths 20-120 equal to FriBidi's levels, reordered")


@pytest.mark.referee(FRIBIDI is not None, "GNU FriBidi (Debian libfribidi-bin)")
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


@pytest.mark.referee(BIDI_CHARACTER_TEST.exists(), "BidiCharacterTest.txt (Debian unicode-data)")
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
