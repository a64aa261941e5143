"""Emoji: VS16 stays with its emoji in visual order, and every row's width is the terminal's."""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len, get_character_cell_size

from tests.e2e.terminal import tmux
from tui.text.layout import display_inline, layout_text

SAMPLES = [
    "قال 😀\ufe0f ثم ❤\ufe0f و👍🏽 في باماكو",
    "The army ❤\ufe0f 1\ufe0f\u20e3 #\ufe0f\u20e3 👨\u200d👩\u200d👧 🇲🇱 ok",
    "🏳\ufe0f\u200d🌈 x\u200dy ☺\ufe0f ✌\ufe0f 中文 ⌚ é e\u0301",
    "سيكاسو 🇲🇱 ❤\ufe0f\u200d🔥 (JNIM) 👍\U0001f3fd 5 قتلى 😀😀",
    "\U0001f3fd alone, \ufe0f alone, \u200d alone ب\ufe0f 1\u0301\ufe0f ☺\u0301\ufe0f",
]


def test_vs16_stays_after_its_emoji_in_right_to_left_text() -> None:
    shown = display_inline("قال 😀\ufe0f اليوم")
    assert "😀\ufe0f" in shown and "\ufe0f😀" not in shown
    row = layout_text("قال 😀\ufe0f اليوم", 30)[0].text
    assert row.index("\ufe0f") == row.index("😀") + 1


def test_every_row_counts_the_same_per_character_and_as_rich_draws_it() -> None:
    for text in SAMPLES:
        for width in (12, 20, 40):
            for line in layout_text(text, width):
                assert cell_len(line.text) == width, (text, width, line.text)
                assert sum(get_character_cell_size(c) for c in line.text) == width


EMOJI = st.text(
    st.sampled_from(
        [
            "😀",
            "❤",
            "\ufe0f",
            "\u200d",
            "👍",
            "\U0001f3fd",
            "🇲",
            "🇱",
            "\u20e3",
            "1",
            " ",
            "ب",
            "ا",
            "x",
            "中",
            "\u0301",
        ]
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(EMOJI, st.integers(min_value=2, max_value=40))
def test_rows_are_exactly_the_width_with_any_emoji_sequence(text: str, width: int) -> None:
    for mode in ("app", "terminal"):
        for line in layout_text(text, width, mode):
            assert cell_len(line.text) == width
            assert sum(get_character_cell_size(c) for c in line.text) == width


PROBE = """
import json, os, sys, termios, tty
rows = json.load(open(sys.argv[1], encoding="utf-8"))
fd = sys.stdin.fileno()
old = termios.tcgetattr(fd)
tty.setraw(fd)
cols = []
try:
    for row in rows:
        os.write(1, ("\\r\\x1b[2K" + row + "\\x1b[6n").encode())
        answer = b""
        while not answer.endswith(b"R"):
            answer += os.read(fd, 1)
        cols.append(int(answer.split(b";")[1][:-1]) - 1)
finally:
    termios.tcsetattr(fd, termios.TCSADRAIN, old)
json.dump(cols, open(sys.argv[2] + ".tmp", "w"))
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
"""


@pytest.mark.referee(shutil.which("tmux") is not None, "tmux")
def test_tmux_draws_each_row_in_exactly_the_cells_we_count(tmp_path: Path) -> None:
    rows = [line.text for text in SAMPLES for w in (20, 33) for line in layout_text(text, w)]
    widths = [cell_len(row) for row in rows]
    (tmp_path / "probe.py").write_text(PROBE)
    (tmp_path / "rows.json").write_text(json.dumps(rows), encoding="utf-8")
    out = tmp_path / "cols.json"
    command = f"{sys.executable} {tmp_path / 'probe.py'} {tmp_path / 'rows.json'} {out}"
    with tmux(command, width=60, height=5):
        deadline = time.monotonic() + 30
        while not out.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert out.exists(), "the probe did not finish"
    shown = json.loads(out.read_text())
    assert [c for c in shown] == widths, [
        (r, c, w) for r, c, w in zip(rows, shown, widths, strict=True) if c != w
    ]
