"""Database faults get one clear line and exit code 2, and never leave a half-written file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.fs import remount_read_only, tmpfs


def rasd(*args: str, env: dict[str, str] | None = None, user: str | None = None):
    cmd = [sys.executable, "-m", "tui.cli", *args]
    if user:
        cmd = ["setpriv", f"--reuid={user}", "--regid=65534", "--clear-groups", *cmd]
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )


def assert_one_line_error(proc: subprocess.CompletedProcess[str], *words: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert proc.stderr.startswith("rasd: ") and proc.stderr.count("\n") == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for word in words:
        assert word in proc.stderr, proc.stderr


def test_read_only_filesystem_still_browses(seed_db: Path, tmp_path: Path) -> None:
    with tmpfs(tmp_path / "ro", "64m") as mnt:
        shutil.copy(seed_db, mnt / "rasd.duckdb")
        remount_read_only(mnt)
        proc = rasd("list", "--db", str(mnt / "rasd.duckdb"), "--format", "json")
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.count('"event_id"') == 9


def test_default_database_on_a_read_only_data_dir(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "ro", "4m") as mnt:
        remount_read_only(mnt)
        proc = rasd("info", env={"XDG_DATA_HOME": str(mnt)})
        assert_one_line_error(proc, "cannot")
        assert list(mnt.iterdir()) == []


def test_no_permission_on_the_data_directory(tmp_path: Path) -> None:
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root to act as another user")
    data = tmp_path / "shared-data"
    data.mkdir()
    tmp_path.chmod(0o755)
    data.chmod(0o755)  # owned by root: nobody may read but not write
    proc = rasd("info", env={"XDG_DATA_HOME": str(data), "HOME": str(data)}, user="nobody")
    assert_one_line_error(proc, "cannot")
    assert list(data.iterdir()) == []


def test_unreadable_database_file(seed_db: Path, tmp_path: Path) -> None:
    """The store-level test is skipped for root; here root acts as `nobody` to prove it."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root to act as another user")
    tmp_path.chmod(0o755)
    path = tmp_path / "locked.duckdb"
    shutil.copy(seed_db, path)
    path.chmod(0o600)  # root's own file: nobody may not read it
    before = path.read_bytes()
    for command in (["info"], ["list"], ["show", "x"]):
        proc = rasd(*command, "--db", str(path), env={"HOME": str(tmp_path)}, user="nobody")
        assert_one_line_error(proc, "permission denied", str(path))
    assert path.read_bytes() == before


def test_disk_full_while_building_leaves_nothing(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "small", "300k") as mnt:
        proc = rasd("info", env={"XDG_DATA_HOME": str(mnt)})
        assert_one_line_error(proc)
        leftovers = (
            [p for p in (mnt / "rasd").rglob("*") if p.is_file()] if (mnt / "rasd").exists() else []
        )
        assert leftovers == []
