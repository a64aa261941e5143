"""Opening, building, migrating and refusing databases."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from db import store
from db.rows import scalar
from db.seed import build_default_database
from db.store import SCHEMA_VERSION, StoreError, open_db


def test_default_database_is_built_atomically(tmp_path: Path) -> None:
    target = tmp_path / "data" / "rasd.duckdb"
    build_default_database(target)
    assert target.exists()
    assert sorted(p.name for p in target.parent.iterdir()) == ["rasd.duckdb"]
    con = open_db(target)
    assert scalar(con.execute("SELECT count(*) FROM incidents")) == 9


def test_failed_build_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "rasd.duckdb"

    def boom(con: duckdb.DuckDBPyConnection) -> int:
        raise duckdb.ConversionException("simulated failure half way")

    monkeypatch.setattr("db.seed.load_seed", boom)
    with pytest.raises(StoreError):
        build_default_database(target)
    assert list(tmp_path.iterdir()) == []


def test_read_only_opens_share_one_file(seed_db: Path) -> None:
    a = open_db(seed_db)
    b = open_db(seed_db)
    assert (
        a.execute("SELECT count(*) FROM incidents").fetchone()
        == b.execute("SELECT count(*) FROM incidents").fetchone()
    )
    with pytest.raises(duckdb.Error):
        a.execute("DELETE FROM incidents")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: None, "no such database"),
        (lambda p: p.write_bytes(b"event_id,event_date\n1,2020-01-01\n" * 10), "not a DuckDB"),
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_bytes(b""), "not a DuckDB"),
    ],
)
def test_bad_paths_give_one_line(tmp_path: Path, make, message: str) -> None:
    path = tmp_path / "x.duckdb"
    make(path)
    with pytest.raises(StoreError) as err:
        open_db(path)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_duckdb_file_that_is_not_rasd(tmp_path: Path) -> None:
    path = tmp_path / "other.duckdb"
    duckdb.connect(str(path)).execute("CREATE TABLE t(x INT)").close()
    with pytest.raises(StoreError, match="not a rasd database"):
        open_db(path)


def test_truncated_file_is_refused(seed_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "cut.duckdb"
    path.write_bytes(seed_db.read_bytes()[:20000])
    with pytest.raises(StoreError):
        open_db(path)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.duckdb"
    build_default_database(path)
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    con.close()
    with pytest.raises(StoreError, match="newer than this rasd"):
        open_db(path)


def test_older_schema_is_migrated_without_loss(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "old.duckdb"
    build_default_database(path)
    # Pretend this rasd is one version ahead, with a migration adding a column.
    monkeypatch.setattr(store, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    added = []

    def add_column(con: duckdb.DuckDBPyConnection) -> None:
        con.execute("ALTER TABLE incidents ADD COLUMN migrated_test VARCHAR")
        added.append(True)

    monkeypatch.setitem(store.MIGRATIONS, SCHEMA_VERSION, add_column)
    con = open_db(path)
    assert added == [True]
    assert scalar(con.execute("SELECT value FROM meta WHERE key='schema_version'")) == str(
        SCHEMA_VERSION + 1
    )
    assert scalar(con.execute("SELECT count(*) FROM incidents")) == 9
    assert "migrated_test" in [r[0] for r in con.execute("DESCRIBE incidents").fetchall()]


def test_failed_migration_changes_nothing(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "old.duckdb"
    build_default_database(path)
    monkeypatch.setattr(store, "SCHEMA_VERSION", SCHEMA_VERSION + 1)

    def lossy(con: duckdb.DuckDBPyConnection) -> None:
        con.execute("DELETE FROM incidents WHERE admin1 IS NULL")

    monkeypatch.setitem(store.MIGRATIONS, SCHEMA_VERSION, lossy)
    with pytest.raises(StoreError, match="lose incidents"):
        open_db(path)
    monkeypatch.setattr(store, "SCHEMA_VERSION", SCHEMA_VERSION)
    con = open_db(path)
    assert scalar(con.execute("SELECT count(*) FROM incidents")) == 9


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads everything")
def test_unreadable_file(seed_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "locked.duckdb"
    path.write_bytes(seed_db.read_bytes())
    path.chmod(0)
    with pytest.raises(StoreError, match="permission denied"):
        open_db(path)


def _hold(path: Path, read_only: bool):
    import subprocess
    import sys

    code = (
        "import duckdb, sys, time; "
        f"c = duckdb.connect({str(path)!r}, read_only={read_only}); print('held', flush=True); "
        "sys.stdin.read()"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_reader_while_a_writer_holds_the_lock(seed_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "busy.duckdb"
    path.write_bytes(seed_db.read_bytes())
    proc = _hold(path, read_only=False)
    try:
        with pytest.raises(StoreError, match=r"another process \(pid \d+\) is writing to it"):
            open_db(path)
    finally:
        proc.kill()
        proc.wait()
    assert scalar(open_db(path).execute("SELECT count(*) FROM incidents")) == 9


def test_writer_while_readers_hold_the_file(seed_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "read.duckdb"
    path.write_bytes(seed_db.read_bytes())
    proc = _hold(path, read_only=True)
    try:
        with pytest.raises(StoreError, match=r"open in another process \(pid \d+\)"):
            open_db(path, read_only=False)
    finally:
        proc.kill()
        proc.wait()


def test_expected_columns_are_what_duckdb_builds_from_schema_sql() -> None:
    import duckdb

    from db.store import expected_columns, schema_sql

    con = duckdb.connect()
    con.execute(schema_sql())
    built = {
        t: {r[0]: r[1] for r in con.execute(f"DESCRIBE {t}").fetchall()}
        for (t,) in con.execute("SHOW TABLES").fetchall()
    }
    assert expected_columns() == built
    assert expected_columns()["incidents"]["event_date"] == "DATE"


def test_a_reader_keeps_duckdbs_cache_small(seed_db: Path) -> None:
    """The explorer's RSS stays under 400 MB at 10M through searches (README, Performance):
    DuckDB's cache is bounded at 128 MB for reading, and a search's panes work within it."""
    from db.queries import Filter, count_incidents, region_children

    con = open_db(seed_db)
    try:
        assert con.execute("SELECT current_setting('memory_limit')").fetchone() == ("122.0 MiB",)
        assert count_incidents(con, Filter(search="jnim")) > 0
        assert region_children(con, Filter(search="jnim"))
    finally:
        con.close()
