"""`kill -9` at random moments of an import: the database is unchanged and nothing is left.

An import works on a pid-named copy beside the database (db.safe_write), so a SIGKILL leaves the
database as it was. What the dead import left (its copy, WAL, spill directory, work directory
and lock file) is removed at once by its watcher (db.safe_write.cleanup_if_killed), and
otherwise by the next rasd start (checked in tests/reliability/test_safe_write.py).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db.first_screen import is_cache
from db.safe_write import temp_owner
from tests.importers.conftest import digest, table


def listed(directory: Path) -> list[str]:
    """The directory's files but the first-screen cache a finished import writes."""
    return [n for n in os.listdir(directory) if not is_cache(n)]


REPO = Path(__file__).resolve().parents[2]


def start_import(db: Path, files: list[Path]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "import", "acled", *map(str, files), "--db", str(db)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def kill_loop(db: Path, files: list[Path], kills: int, seed: int) -> dict[str, float]:
    """Kill `kills` imports at random moments; return what happened (for the README figures).

    After each kill the directory holds the database alone, and the database is byte for byte
    (sha256) what it was, unless the kill came after the import's final rename: then it is the
    complete import, row for row (`after_rename` counts those).

    An import that finishes before its moment is a legitimate update (and tells how long an
    import takes now: the machine's load varies); the loop goes on until `kills` were killed.
    """
    rng = random.Random(seed)
    done = db.with_name("complete.duckdb")
    shutil.copy(db, done)
    started = time.monotonic()
    clean = start_import(done, files)
    assert clean.wait(timeout=120) == 0
    duration = time.monotonic() - started
    complete_rows = table(done)
    done.unlink()
    before, before_rows = digest(db), table(db)
    hits = finished = identical = after_rename = 0
    peak_leftovers = 0
    estimate = duration
    while hits < kills and hits + finished < 3 * kills:
        proc = start_import(db, files)
        started = time.monotonic()
        killed = False
        try:
            proc.wait(timeout=rng.uniform(0.05, estimate * 0.9))
            finished += 1  # completed before its moment came: a legitimate new database
            estimate = time.monotonic() - started  # the machine got faster: aim earlier
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            hits += 1
            killed = True
        left = [p for p in db.parent.iterdir() if p != db and not is_cache(p.name)]
        lock = db.with_name(db.name + ".import-lock")
        assert all(p == lock or temp_owner(p.name) == proc.pid for p in left), left
        peak_leftovers = max(peak_leftovers, sum(_size(p) for p in left))
        # the killed import's watcher removes its files at once, without waiting for a start
        deadline = time.monotonic() + 5
        while listed(db.parent) != [db.name] and time.monotonic() < deadline:
            time.sleep(0.02)
        assert listed(db.parent) == [db.name], f"seed {seed}: left after the kill"
        changed = digest(db) != before
        identical += killed and not changed
        after_rename += killed and changed
        rows = table(db)
        if changed:
            # only a finished rename may change it, and then to the complete import
            assert rows == complete_rows, f"seed {seed}: database changed by a killed import"
            before, before_rows = digest(db), rows
        else:
            assert rows == before_rows
    return {
        "kills": hits,
        "identical": identical,
        "after_rename": after_rename,
        "finished": finished,
        "import_s": duration,
        "peak_leftover_mb": peak_leftovers / 1e6,
    }


def _size(path: Path) -> int:
    """Bytes under `path` (0 for what the watcher removed meanwhile)."""
    try:
        if path.is_dir():
            return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def acled_files(shared: Path) -> list[Path]:
    return [
        shared / "data/acled/world-2022h1-sample.acled.csv",
        shared / "data/acled/mali-1997-2020.acled.csv",
    ]


@pytest.mark.e2e
def test_ten_kills_leave_the_database_and_nothing_else(
    seed_db: Path, tmp_path: Path, shared: Path
) -> None:
    db = tmp_path / "kills" / "rasd.duckdb"
    db.parent.mkdir()
    shutil.copy(seed_db, db)
    seed = random.randrange(1 << 30)
    result = kill_loop(db, acled_files(shared), kills=10, seed=seed)
    print(f"kill -9 loop (seed {seed}): {result}")
    assert result["kills"] == 10, result
    assert listed(db.parent) == [db.name]
