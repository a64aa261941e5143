"""`rasd reindex`: what an older rasd's database lacks is built, on a copy, and said."""

from __future__ import annotations

import shutil
from pathlib import Path

from db.coding import coding_store
from db.overlay import overlay_state
from db.queries import Filter
from db.seed import missing_derived
from db.sort_index import Sort, SortedPager
from db.store import open_db
from tests.explorer.conftest import settle
from tests.importers.conftest import digest, rasd, table
from tui.app import RasdApp


def without_sort_index(seed_db: Path, tmp_path: Path) -> Path:
    """The seed database as an rasd older than the sort index left it."""
    db = tmp_path / "old.duckdb"
    shutil.copy(seed_db, db)
    con = open_db(db, read_only=False)
    con.execute("DELETE FROM meta WHERE key = 'sort_index_rows'")
    con.close()
    return db


def test_reindex_builds_what_is_missing_and_nothing_else(
    seed_db: Path, tmp_path: Path, capsys
) -> None:
    db = without_sort_index(seed_db, tmp_path)
    before = table(db)
    con = open_db(db)
    assert missing_derived(con) == ["sort_index_rows"]
    con.close()
    code, out, err = rasd(capsys, "reindex", "--db", str(db))
    assert code == 0, err
    assert "built the sort index" in out
    con = open_db(db)
    assert missing_derived(con) == []
    by_deaths = SortedPager(con, Filter(), Sort("fatalities", "desc"))
    by_deaths.prepare()
    deaths = [r.fatalities or 0 for r in by_deaths.window(0, 9)]
    assert deaths == sorted(deaths, reverse=True)
    con.close()
    assert table(db) == before  # the incidents themselves are untouched
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")] == ["old.duckdb"]
    unchanged = digest(db)
    code, out, _ = rasd(capsys, "reindex", "--db", str(db))
    assert code == 0 and "nothing to do" in out
    assert digest(db) == unchanged  # with nothing to build, not even rewritten


def test_reindex_of_the_default_database_on_a_fresh_machine(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("RASD_DB", raising=False)
    code, out, err = rasd(capsys, "reindex")
    assert code == 0, err
    assert "nothing to do" in out  # the default database is built whole, as on first use
    assert (tmp_path / "data" / "rasd" / "rasd.duckdb").exists()


def test_reindex_of_a_missing_database_changes_nothing(tmp_path: Path, capsys) -> None:
    code, _, err = rasd(capsys, "reindex", "--db", str(tmp_path / "none.duckdb"))
    assert code == 1 and "no such database" in err
    assert list(tmp_path.iterdir()) == []


async def test_the_explorer_says_how_to_build_what_a_database_lacks(
    seed_db: Path, tmp_path: Path
) -> None:
    db = without_sort_index(seed_db, tmp_path)
    app = RasdApp(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        said = [n.message for n in app._notifications]
        assert any("lacks its sort index" in m and f"rasd reindex --db {db}" in m for m in said), (
            said
        )


async def test_the_explorer_says_nothing_of_a_current_database(db_copy: Path) -> None:
    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert app._indexes_checked
        assert not any("rasd reindex" in n.message for n in app._notifications)


def coded(db: Path) -> Path:
    """`db` with one incident coded beside it (the explorer then reads it overlaid)."""
    con = open_db(db, read_only=True)
    event_id = con.execute("SELECT event_id FROM incidents LIMIT 1").fetchone()
    con.close()
    assert event_id is not None
    with coding_store(db) as store:
        store.save({"notes": "seen again"}, event_id[0])
    return db


async def test_coding_is_not_taken_for_a_database_that_lacks_indexes(db_copy: Path) -> None:
    """The overlay marks the indexes it cannot correct out of date; `rasd reindex` could not
    change that, and the database was not made by an older rasd."""
    app = RasdApp(coded(db_copy))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert app._indexes_checked and overlay_state(app.store.cursor())[0]
        assert not any("rasd reindex" in n.message for n in app._notifications)


async def test_what_a_coded_database_lacks_is_still_said(seed_db: Path, tmp_path: Path) -> None:
    db = coded(without_sort_index(seed_db, tmp_path))
    app = RasdApp(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        said = [n.message for n in app._notifications]
        assert any("lacks its sort index (" in m for m in said), said
