"""The installed `rasd` in a real terminal (tmux), locally and over a real SSH session.

What a user sees is checked on `capture-pane`: the newest incident, its Arabic source text in
visual order equal to GNU FriBidi's, a region filter set by keys with its count, and a clean exit
(alternate screen and mouse modes off).
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from rich.cells import cell_len, get_character_cell_size

from db.queries import Filter, count_incidents, get_incident, list_incidents
from db.store import open_db
from tests.e2e.sshd import sshd
from tests.e2e.terminal import Tmux, rasd_command, tmux
from tui.text.layout import display_inline, logical_lines

pytestmark = pytest.mark.e2e
FRIBIDI = shutil.which("fribidi")


@pytest.fixture
def db(seed_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "rasd.duckdb"
    shutil.copy(seed_db, path)
    return path


def newest(db: Path):
    con = open_db(db)
    try:
        row = list_incidents(con, Filter(), limit=1)[0]
        return get_incident(con, row.event_id)
    finally:
        con.close()


def explore_session(term: Tmux, db: Path) -> None:
    incident = newest(db)
    screen = term.wait_text("9 incidents")
    screen = term.wait_stable()
    assert incident["event_date"].isoformat() in screen
    words = [w for w in incident.span_text.split() if len(w) > 3][:4]
    assert words and all(display_inline(w) in screen for w in words), screen
    # filter to one region by keys: the command palette's "jump to region"
    term.keys("C-p")
    term.wait_text("Search for commands")
    term.keys("kayes", literal=True)
    term.wait_text("Jump to region Kayes")
    term.keys("Enter")
    con = open_db(db)
    expected = count_incidents(con, Filter(admin1="Kayes"))
    con.close()
    screen = term.wait_text(f"{expected} incidents")
    assert "All › Mali › Kayes" in screen.splitlines()[0] or "Kayes" in screen.splitlines()[0]
    term.keys("q")
    assert term.dead_status() == 0
    assert term.pane("#{alternate_on}") == "0"
    for flag in ("mouse_any_flag", "mouse_button_flag", "mouse_standard_flag", "mouse_sgr_flag"):
        assert term.pane("#{" + flag + "}") in ("0", ""), flag


def test_explorer_in_tmux(db: Path) -> None:
    with tmux(rasd_command("--db", str(db)), 120, 40) as term:
        explore_session(term, db)


def test_explorer_over_ssh(db: Path, tmp_path: Path) -> None:
    with sshd(tmp_path / "ssh") as server:
        remote = rasd_command(
            "--db",
            str(db),
            HOME=str(tmp_path / "home"),
            XDG_DATA_HOME=str(tmp_path / "data"),
            XDG_CONFIG_HOME=str(tmp_path / "config"),
        )
        with tmux(server.command(remote), 120, 40) as term:
            explore_session(term, db)


def fribidi_rows(text: str, width: int) -> list[str]:
    """Each wrapped line as FriBidi orders it, aligned like rasd (RTL right, LTR left)."""
    lines = logical_lines(text, width)
    out: list[str] = [""] * len(lines)
    for rtl in (True, False):
        rows = [i for i, (_, r) in enumerate(lines) if r == rtl]
        if not rows:
            continue
        args = [
            FRIBIDI or "fribidi",
            "--nopad",
            "--nobreak",
            "--reordernsm",
            "--rtl" if rtl else "--ltr",
        ]
        given = "\n".join(lines[i][0] for i in rows) + "\n"
        result = subprocess.run(args, input=given, capture_output=True, text=True, check=True)
        for i, visual in zip(rows, result.stdout.split("\n"), strict=False):
            out[i] = visual
    return [unicodedata.normalize("NFKC", r).strip() for r in out]


def pane_rows(screen: str, width: int) -> list[str]:
    """The rows inside the source pane's border, without the scrollbar column."""
    rows = []
    for line in screen.splitlines():
        if line.startswith("│") and cell_len(line) >= width + 2:
            rows.append(unicodedata.normalize("NFKC", cells(line, 1, width)).strip())
    return rows


def cells(line: str, start: int, width: int) -> str:
    """The characters in cell columns [start, start + width), marks with their letters."""
    out: list[str] = []
    x = 0
    for ch in line:
        if start <= x < start + width or (
            get_character_cell_size(ch) == 0 and out and x <= start + width
        ):
            out.append(ch)
        x += get_character_cell_size(ch)
    return "".join(out)


def assert_report_matches_fribidi(screen: str, text: str, pane_width: int) -> None:
    width = pane_width - 3  # two border cells and the scrollbar
    reference = fribidi_rows(text, width)
    rows = pane_rows(screen, width)
    best = (0, 0)
    for r in range(len(rows)):
        for k in range(len(reference)):
            n = 0
            while r + n < len(rows) and k + n < len(reference) and rows[r + n] == reference[k + n]:
                n += 1
            if n > best[0] and r + n == len(rows):
                best = (n, r)
    n, r = best
    assert n >= 5, "\n".join(rows)  # every row from r to the pane's bottom equals FriBidi's


@pytest.mark.referee(FRIBIDI is not None, "GNU FriBidi (Debian libfribidi-bin)")
def test_source_pane_equals_fribidi_at_80x24_and_50x20(db: Path) -> None:
    text = newest(db).source.text
    with tmux(rasd_command("--db", str(db)), 80, 24) as term:
        term.wait_text("9 incidents")
        term.keys("3")
        term.wait_stable()
        assert_report_matches_fribidi(term.wait_stable(), text, 80)
        term.resize(50, 20)
        term.wait_stable()
        assert_report_matches_fribidi(term.wait_stable(), text, 50)
        term.resize(80, 24)
        term.wait_stable()
        assert_report_matches_fribidi(term.wait_stable(), text, 80)
        term.keys("q")
        assert term.dead_status() == 0
