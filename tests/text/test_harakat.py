"""Harakat kept as combining marks on their letter's cell (default) or stripped (--harakat)."""

from __future__ import annotations

import shutil
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from rich.cells import cell_len

from db.seed import source_text
from tests.e2e.terminal import tmux
from tui.cli import main
from tui.text.layout import layout_text, set_harakat
from tui.text.shaping import HARAKAT, shape, shape_with_map

SEED = source_text("mali-weekly-2026-01-24.ar.txt")
VOCALISED = [p for p in SEED.split("\n") if HARAKAT.search(p)]


@pytest.fixture
def strip_then_restore():
    yield
    set_harakat("keep")


def test_kept_harakat_follow_their_letter_and_take_no_cell() -> None:
    shaped, where = shape_with_map("سيكاسّو", "keep")
    assert shaped[where.index(5)] == "\u0651" and where.index(5) == where.index(4) + 1
    assert cell_len(shaped) == cell_len(shape("سيكاسو", "keep")) == 6
    assert shape("سيكاسّو", "strip") == shape("سيكاسو", "strip")
    assert shape("لَا", "keep") == "\ufefb\u064e"  # the ligature keeps its mark


def test_keep_and_strip_wrap_alike_and_marks_sit_on_their_letters(strip_then_restore) -> None:
    assert VOCALISED
    text = "\n".join(VOCALISED)
    for width in (20, 37, 60):
        set_harakat("keep")
        kept = layout_text(text, width)
        set_harakat("strip")
        stripped = layout_text(text, width)
        assert len(kept) == len(stripped)
        for k, s in zip(kept, stripped, strict=True):
            assert cell_len(k.text) == cell_len(s.text) == width
            assert "".join(c for c in k.text if not HARAKAT.match(c)) == s.text
            for x, ch in enumerate(k.text):  # every mark right after the letter it belongs to
                if HARAKAT.match(ch):
                    before, mark = k.offsets[x - 1], k.offsets[x]
                    assert before < mark and all(HARAKAT.match(c) for c in text[before + 1 : mark])
    set_harakat("keep")
    assert any(HARAKAT.search(line.text) for line in layout_text(text, 40))


def test_option_environment_and_config(db_copy: Path, capsys, monkeypatch, tmp_path) -> None:
    def shown(*extra: str) -> str:
        code = main(
            [
                "show",
                "RASD-ML-20260124-01",
                "--db",
                str(db_copy),
                "--bidi",
                "app",
                "--width",
                "80",
                *extra,
            ]
        )
        assert code == 0
        return capsys.readouterr().out

    try:
        assert HARAKAT.search(shown())  # default: keep
        assert not HARAKAT.search(shown("--harakat", "strip"))
        monkeypatch.setenv("RASD_HARAKAT", "strip")
        assert not HARAKAT.search(shown())
        assert HARAKAT.search(shown("--harakat", "keep"))
        monkeypatch.delenv("RASD_HARAKAT")
        config = Path(tmp_path / "config" / "rasd")
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
        config.mkdir(parents=True)
        (config / "config.toml").write_text('harakat = "strip"\n')
        assert not HARAKAT.search(shown())
        (config / "config.toml").write_text('harakat = "loud"\n')
        assert main(["show", "RASD-ML-20260124-01", "--db", str(db_copy)]) == 2
        assert "must be keep or strip" in capsys.readouterr().err
    finally:
        set_harakat("keep")


PRINT = """
import sys, time, json
rows = json.load(open(sys.argv[1], encoding="utf-8"))
sys.stdout.write("\\x1b[H\\x1b[2J" + "\\r\\n".join(rows))
sys.stdout.flush()
time.sleep(60)
"""


@pytest.mark.referee(shutil.which("tmux") is not None, "tmux")
def test_tmux_draws_kept_harakat_without_moving_a_cell(tmp_path: Path, strip_then_restore) -> None:
    import json

    width = 50
    text = "\n".join(VOCALISED)
    set_harakat("strip")
    stripped = [line.text for line in layout_text(text, width)][:20]
    set_harakat("keep")
    kept = [line.text for line in layout_text(text, width)][:20]
    assert any(HARAKAT.search(row) for row in kept)
    (tmp_path / "print.py").write_text(PRINT)
    (tmp_path / "rows.json").write_text(json.dumps(kept), encoding="utf-8")
    command = f"{sys.executable} {tmp_path / 'print.py'} {tmp_path / 'rows.json'}"
    with tmux(command, width=width, height=len(kept) + 2) as term:
        deadline = time.monotonic() + 20
        screen = ""
        while time.monotonic() < deadline:
            screen = term.cmd("capture-pane", "-p", "-t", "t")
            if len(screen.splitlines()) >= len(kept) and screen.splitlines()[len(kept) - 1].strip():
                break
            time.sleep(0.05)
        rows = screen.splitlines()[: len(kept)]
        for y, (row, plain) in enumerate(zip(rows, stripped, strict=True)):
            # the same base characters in the same columns: each mark stayed in its letter's cell
            assert "".join(c for c in row if not HARAKAT.match(c)).rstrip() == plain.rstrip(), y
            assert unicodedata.normalize("NFC", row.rstrip()) == unicodedata.normalize(
                "NFC", kept[y].rstrip()
            ), y
