"""Ending rasd from outside: SIGTERM, SIGHUP (the SSH connection dropped), SIGINT, and `q`.

Each leaves the terminal restored (alternate screen and mouse reporting off) and rasd gone.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from db.first_screen import is_cache
from tests.e2e.terminal import rasd_command, tmux

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("number", "code"),
    [
        (signal.SIGTERM, 143),
        (signal.SIGHUP, 129),
        (signal.SIGINT, 0),  # INT: a quit request, like q
    ],
)
def test_signal_ends_rasd_and_restores_the_terminal(
    seed_db: Path, tmp_path: Path, number: int, code: int
) -> None:
    db = tmp_path / "rasd.duckdb"
    shutil.copy(seed_db, db)
    with tmux(rasd_command("--db", str(db)), 100, 30) as term:
        term.wait_text("9 incidents")
        term.wait_stable()
        assert term.pane("#{alternate_on}") == "1"
        os.kill(int(term.pane("#{pane_pid}")), number)
        assert term.dead_status() == code
        assert term.pane("#{alternate_on}") == "0"
        for flag in ("mouse_any_flag", "mouse_sgr_flag", "mouse_button_flag"):
            assert term.pane("#{" + flag + "}") in ("0", ""), flag
    # nothing half-written (the first-screen cache is whole or absent: db/first_screen.py)
    assert sorted(p.name for p in tmp_path.iterdir() if not is_cache(p.name)) == ["rasd.duckdb"]


def test_tiny_terminal_and_resize_storm_in_tmux(seed_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "rasd.duckdb"
    shutil.copy(seed_db, db)
    with tmux(rasd_command("--db", str(db)), 20, 8) as term:
        term.wait_text("at least")
        for width, height in [(120, 40), (30, 9), (200, 60), (80, 24), (10, 4), (100, 30)] * 4:
            term.resize(width, height)
        term.resize(100, 30)
        term.wait_text("9 incidents")
        term.keys("q")
        assert term.dead_status() == 0


@pytest.fixture(scope="module")
def db_300k(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> Path:
    """Enough incidents that a search still counts when the signal comes (1M: 5 min to build
    under load here; the case is the same)."""
    from db.bench_data import build_from_events

    work = tmp_path_factory.mktemp("k300")
    parquet = work / "events.parquet"
    subprocess.run(
        [
            sys.executable,
            str(shared / "bench" / "make_events.py"),
            "--rows",
            "300000",
            "--out",
            str(parquet),
            "--format",
            "parquet",
        ],
        check=True,
        capture_output=True,
    )
    path = work / "events.duckdb"
    build_from_events(parquet, path)
    parquet.unlink()
    return path


@pytest.mark.parametrize(
    ("number", "code"),
    [
        (signal.SIGTERM, 143),
        (signal.SIGHUP, 129),
        (signal.SIGINT, 0),
    ],
)
def test_signal_during_a_search_exits_cleanly(db_300k: Path, number: int, code: int) -> None:
    """It printed `connection is busy` (a traceback from closing under the query) and exit 1."""
    with tmux(rasd_command("--db", str(db_300k)), 120, 35) as term:
        term.wait_for(lambda s: " incidents" in s and "counting" not in s, timeout=120)
        term.keys("/")
        term.wait_text("every word must match")
        term.keys("xyz qqq", literal=True)
        term.keys("Enter")  # a search matching nothing scans every row
        os.kill(int(term.pane("#{pane_pid}")), number)
        assert term.dead_status(timeout=30) == code
        screen = term.screen()
        assert "Traceback" not in screen and "busy" not in screen, screen
        assert term.pane("#{alternate_on}") == "0"
