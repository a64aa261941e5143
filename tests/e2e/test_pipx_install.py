"""rasd installed the way users install it: pipx, into a throwaway PIPX_HOME."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.e2e


def test_pipx_install_then_version_and_list(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIPX_", "VIRTUAL_ENV"))}
    env.update(
        PIPX_HOME=str(tmp_path / "pipx"),
        PIPX_BIN_DIR=str(tmp_path / "bin"),
        PIPX_MAN_DIR=str(tmp_path / "man"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        HOME=str(tmp_path / "home"),
    )
    install = subprocess.run(
        [sys.executable, "-m", "pipx", "install", "--python", sys.executable, str(REPO)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    rasd = tmp_path / "bin" / "rasd"
    version = subprocess.run([str(rasd), "--version"], capture_output=True, text=True, env=env)
    assert version.stdout.strip() == "rasd 0.1.0"
    listing = subprocess.run(
        [str(rasd), "list", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert listing.returncode == 0, listing.stderr
    rows = json.loads(listing.stdout)
    assert len(rows) == 9 and rows[0]["event_date"] == "2026-01-22"
    # first run built the default database under the user data dir, from the wheel's own data
    assert (tmp_path / "data" / "rasd" / "rasd.duckdb").exists()
