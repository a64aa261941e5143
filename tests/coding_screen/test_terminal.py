"""`rasd code` in a real terminal at 80x24, locally and over SSH, beside an explorer.

The coder accepts a proposal and edits its date; an explorer that was open on the same data the
whole time shows both after Ctrl+R. Then a coder killed with SIGKILL right after a save leaves
data that opens, reads the same everywhere, and can be coded again (its lock taken over).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from db.coding import CodingStore
from tests.coding_screen.conftest import only_source
from tests.e2e.sshd import sshd
from tests.e2e.terminal import RASD, Tmux, rasd_command, tmux

pytestmark = pytest.mark.e2e

OLD_DATE, NEW_DATE = "2026-01-22", "2026-01-21"


def shown(db: Path, event_id: str) -> tuple[str, str]:
    """(status, event_date) as `rasd show` reads them in another process (coding merged)."""
    out = subprocess.run(
        [str(RASD), "show", event_id, "--db", str(db), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    row = json.loads(out.stdout)
    return row["status"], row["event_date"]


def first_proposal(db: Path) -> str:
    with CodingStore.open(db, user="reader") as store:
        rows = store.incidents(only_source(db))
    first = rows[0]
    assert first["status"] == "proposed" and first["event_date"].isoformat() == OLD_DATE
    return str(first["event_id"])


def code_session(coder: Tmux, explorer: Tmux, db: Path, event_id: str) -> None:
    explorer.wait_text("9 of them proposed")
    assert f"│? {OLD_DATE}  Sikasso" in explorer.wait_stable()  # the proposal, marked ?
    coder.wait_text("9 proposed, 0 coded")
    coder.wait_stable()
    coder.keys("a")
    coder.wait_text(f"{event_id} accepted")
    coder.keys("e")  # the form, its first field (the date) focused
    coder.wait_text("Date")
    coder.wait_stable()
    coder.keys("End", "C-u")
    coder.wait_text("YYYY-MM-DD")  # the field's placeholder: it is empty
    coder.keys(NEW_DATE, literal=True)
    coder.wait_text(f"Date           {NEW_DATE}")
    coder.keys("C-s")
    coder.wait_text(f"{event_id} edited")
    assert shown(db, event_id) == ("coded", NEW_DATE)
    # the explorer, open read-only all along, sees both changes after Ctrl+R
    explorer.keys("C-r")
    explorer.wait_text("8 of them proposed")
    screen = explorer.wait_stable()
    assert f"│  {NEW_DATE}  Sikasso" in screen, screen  # coded (no ?), on its new date
    assert f"{OLD_DATE}  Sikasso" not in screen
    coder.keys("q")
    assert coder.dead_status() == 0
    assert coder.pane("#{alternate_on}") == "0"
    explorer.keys("q")
    assert explorer.dead_status() == 0


def test_code_in_tmux_beside_an_explorer(report_db: Path) -> None:
    event_id = first_proposal(report_db)
    source_id = only_source(report_db)
    code = rasd_command("code", source_id, "--db", str(report_db))
    with (
        tmux(rasd_command("--db", str(report_db)), 80, 24) as explorer,
        tmux(code, 80, 24) as coder,
    ):
        code_session(coder, explorer, report_db, event_id)


def test_code_over_ssh_beside_an_explorer(report_db: Path, tmp_path: Path) -> None:
    event_id = first_proposal(report_db)
    source_id = only_source(report_db)
    with sshd(tmp_path / "ssh") as server:
        remote = rasd_command(
            "code",
            source_id,
            "--db",
            str(report_db),
            HOME=str(tmp_path / "home"),
            XDG_DATA_HOME=str(tmp_path / "data"),
            XDG_CONFIG_HOME=str(tmp_path / "config"),
        )
        with (
            tmux(rasd_command("--db", str(report_db)), 80, 24) as explorer,
            tmux(server.command(remote), 80, 24) as coder,
        ):
            code_session(coder, explorer, report_db, event_id)


def test_a_coder_killed_after_a_save_leaves_consistent_data(report_db: Path) -> None:
    source_id = only_source(report_db)
    event_id = first_proposal(report_db)
    with tmux(rasd_command("code", source_id, "--db", str(report_db)), 80, 24) as coder:
        coder.wait_text("9 proposed, 0 coded")
        coder.wait_stable()
        pid = int(coder.pane("#{pane_pid}"))
        coder.keys("x")
        time.sleep(0.05)  # somewhere in or after the save
        os.killpg(os.getpgid(pid), signal.SIGKILL)  # the coder, whatever shell runs it
        deadline = time.monotonic() + 15
        while coder.pane("#{pane_dead}") != "1":
            assert time.monotonic() < deadline, coder.screen()
            server = int(coder.cmd("display-message", "-p", "#{pid}").strip())
            os.kill(server, signal.SIGCHLD)  # tmux 3.3a sometimes misses the exit
            time.sleep(0.1)
    status, day = shown(report_db, event_id)
    assert status in ("proposed", "rejected") and day == OLD_DATE
    with CodingStore.open(report_db, user="next") as store:  # the dead coder's lock is taken over
        rows = {r["event_id"]: r["status"] for r in store.incidents(source_id)}
    assert rows[event_id] == status


def test_a_second_coder_is_told_who_holds_the_data(report_db: Path) -> None:
    source_id = only_source(report_db)
    with (
        CodingStore.open(report_db, user="amina"),
        tmux(rasd_command("code", source_id, "--db", str(report_db)), 80, 24) as second,
    ):
        screen = second.wait_text("amina")
        assert screen.lstrip().startswith("rasd: "), screen
        assert second.dead_status() == 2


def test_an_unknown_report_is_named(report_db: Path) -> None:
    with tmux(rasd_command("code", "no-such-report", "--db", str(report_db)), 80, 24) as term:
        screen = term.wait_text("no report 'no-such-report'")
        assert screen.lstrip().startswith("rasd: "), screen
        assert term.dead_status() == 2
    CodingStore.open(report_db).close()  # the lock was let go
