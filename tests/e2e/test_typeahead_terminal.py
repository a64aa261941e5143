"""Keys typed in one burst after a prompt key land in the prompt (a real terminal, tmux)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.e2e.terminal import rasd_command, tmux

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_prompt_keys_typed_in_one_burst(
    seed_db: Path, tmp_path: Path, size: tuple[int, int]
) -> None:
    db = tmp_path / "rasd.duckdb"
    shutil.copy(seed_db, db)
    with tmux(rasd_command("--db", str(db)), *size) as term:
        term.wait_text("9 incidents")
        term.wait_stable()
        term.keys("/ambush", "Enter")  # one send-keys: one burst
        screen = term.wait_for(lambda s: "search:" in s.splitlines()[0])
        assert "ambush" in screen.splitlines()[0], screen
        term.wait_stable()
        term.keys("tbattles", "Enter")
        screen = term.wait_for(lambda s: "type:" in s.splitlines()[0])
        assert "Battles" in screen.splitlines()[0] and "ambush" in screen.splitlines()[0], screen
        assert "bidi mode" not in term.wait_stable(), "a typed b ran as a command"
