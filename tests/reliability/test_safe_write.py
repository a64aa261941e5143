"""db/safe_write.py on its own: what it refuses, what it keeps, what it leaves behind."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from db.safe_write import (
    UnsafeTarget,
    atomic_path,
    atomic_writer,
    check_target,
    remove_stale,
    temp_name,
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_file_gets_the_umask_default(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        with atomic_writer(tmp_path / "out.csv") as fh:
            fh.write(b"a\n")
    finally:
        os.umask(old)
    assert (tmp_path / "out.csv").read_bytes() == b"a\n"
    assert mode(tmp_path / "out.csv") == 0o644
    assert os.listdir(tmp_path) == ["out.csv"]


def test_existing_mode_and_owner_are_kept(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    out.write_text("old")
    out.chmod(0o640)
    if os.geteuid() == 0:
        os.chown(out, 65534, 65534)
    with atomic_writer(out, binary=False) as fh:
        fh.write("new")
    assert out.read_text() == "new"
    assert mode(out) == 0o640
    if os.geteuid() == 0:
        assert (out.stat().st_uid, out.stat().st_gid) == (65534, 65534)


def test_a_symlink_is_followed_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    with atomic_writer(link, binary=False) as fh:
        fh.write("new")
    assert link.is_symlink() and real.read_text() == "new"


@pytest.mark.parametrize("special", ["dir", "fifo", "device"])
def test_directories_fifos_and_devices_are_refused(tmp_path: Path, special: str) -> None:
    if special == "dir":
        target = tmp_path / "d"
        target.mkdir()
    elif special == "fifo":
        target = tmp_path / "p"
        os.mkfifo(target)
    else:
        target = Path("/dev/full")
    with pytest.raises(UnsafeTarget, match="refusing"):
        check_target(target)
    with pytest.raises(UnsafeTarget), atomic_writer(target):
        pytest.fail("the block must not run")


def test_protected_files_are_refused_through_any_name(tmp_path: Path) -> None:
    db = tmp_path / "rasd.duckdb"
    db.write_bytes(b"db")
    hard = tmp_path / "hard"
    os.link(db, hard)
    link = tmp_path / "link"
    link.symlink_to(db)
    for name in (db, hard, link, tmp_path / "." / "rasd.duckdb"):
        with pytest.raises(UnsafeTarget, match="is the database"):
            check_target(name, protect={db: "the database"})
    missing = tmp_path / "new.duckdb"  # a database about to be created is protected too
    with pytest.raises(UnsafeTarget, match="is the database"):
        check_target(missing, protect={missing: "the database"})
    assert db.read_bytes() == b"db"


def test_read_only_targets_are_refused_even_for_root(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.write_text("keep")
    out.chmod(0o444)
    with pytest.raises(UnsafeTarget, match="read-only"):
        check_target(out)
    assert out.read_text() == "keep"


def test_missing_directory_is_refused_unless_parents_are_made(tmp_path: Path) -> None:
    with pytest.raises(UnsafeTarget, match="no such directory"):
        check_target(tmp_path / "no" / "out.csv")
    assert check_target(tmp_path / "a" / "b" / "x", make_parents=True) == tmp_path / "a/b/x"
    assert not (tmp_path / "a").exists()


def test_failure_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.write_text("old")
    with pytest.raises(RuntimeError), atomic_writer(out) as fh:
        fh.write(b"half")
        raise RuntimeError
    assert out.read_text() == "old"
    assert os.listdir(tmp_path) == ["out"]


def test_atomic_path_without_create_and_sidecars(tmp_path: Path) -> None:
    out = tmp_path / "x.duckdb"
    with atomic_path(out, create=False, sidecars=(".wal",)) as tmp:
        assert not tmp.exists()
        tmp.write_text("db")
        Path(str(tmp) + ".wal").write_text("wal")
    assert out.read_text() == "db"
    assert os.listdir(tmp_path) == ["x.duckdb"]


def test_leftovers_of_dead_writers_are_removed_live_ones_kept(tmp_path: Path) -> None:
    target = tmp_path / "rasd.duckdb"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(dead.stdout)
    mine = temp_name(target, ".import")
    mine.write_text("live")
    theirs = temp_name(target, ".import").name.replace(f"-{os.getpid()}-", f"-{dead_pid}-")
    (tmp_path / theirs).write_text("dead")
    (tmp_path / (theirs + ".wal")).write_text("dead")
    spill = tmp_path / theirs.replace(".import", ".spill")
    spill.mkdir()
    (spill / "block").write_text("x")
    (tmp_path / ".notes.rasd-123-zz.txt").write_text("not ours")  # not our pattern: kept
    removed = remove_stale(tmp_path)
    assert len(removed) == 3
    assert sorted(os.listdir(tmp_path)) == sorted([mine.name, ".notes.rasd-123-zz.txt"])
