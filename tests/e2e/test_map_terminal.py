"""The map pane in a real terminal over a real SSH session, at 80x24 and with NO_COLOR."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from db.queries import Filter, count_incidents
from db.rows import scalar
from db.store import open_db
from tests.e2e.sshd import sshd
from tests.e2e.terminal import rasd_command, tmux

pytestmark = pytest.mark.e2e
BRAILLE = re.compile("[\u2801-\u28ff]")


def test_map_over_ssh_at_80x24_without_colour(seed_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "rasd.duckdb"
    shutil.copy(seed_db, db)
    con = open_db(db, read_only=True)
    unplaced = scalar(con.execute("SELECT count(*) FROM incidents WHERE latitude IS NULL"))
    total = count_incidents(con, Filter())
    con.close()
    with sshd(tmp_path / "ssh") as server:
        remote = rasd_command(
            "--db",
            str(db),
            HOME=str(tmp_path / "home"),
            NO_COLOR="1",
            XDG_DATA_HOME=str(tmp_path / "data"),
            XDG_CONFIG_HOME=str(tmp_path / "config"),
        )
        with tmux(server.command(remote), 80, 24) as term:
            term.wait_text(f"{total} incidents")
            term.keys("4")
            screen = term.wait_text(f"{unplaced} without coordinates")
            # the chronology's incident (◉) is looked up when the map shows, unless the view
            # counted ahead already had it: it may come a frame after the dots and the cursor's line
            screen = term.wait_for(lambda s: "this cell:" in s and "◉" in s)
            lines = screen.splitlines()
            assert "Map [4]" in screen and "Chronology" not in screen  # the map takes the screen
            assert len(BRAILLE.findall(screen)) > 100, screen  # outlines drawn in braille
            assert f"{total - unplaced} on the map" in screen
            assert any("Mali" in line for line in lines), screen  # the cursor's region
            scale = re.search(r"cell ≈ ([\d,]+) km", screen)
            assert scale is not None
            term.keys("+")
            zoomed = term.wait_for(
                lambda s: (
                    (m := re.search(r"cell ≈ ([\d,]+) km", s)) is not None
                    and m.group(1) != scale.group(1)
                )
            )
            assert "without coordinates" in zoomed
            term.keys("q")
            assert term.dead_status() == 0
            assert term.pane("#{alternate_on}") == "0"
