"""The first-screen cache (db/first_screen.py): shown only for the database it describes.

Each test writes a cache for one state of a database, changes the database the ways a file
changes (replaced by another database of the same size and mtime, touched, touched back,
imported into, a write-ahead log beside it, the cache moved beside another file) and checks
that the cache is no longer taken for it, by the reader and by the explorer.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from db import first_screen
from db.coding import CodingStore, coding_path
from db.first_screen import FirstScreen, cache_path, compute, identity, read, write
from db.queries import Filter
from db.sort_index import Sort
from db.store import open_db
from tests.explorer.conftest import chronology, settle, wait_for
from tests.importers.conftest import rasd
from tests.importers.test_bad_input import csv_text, row
from tui.app import RasdApp
from tui.views import View
from tui.widgets.chronology import ChronologyView
from tui.widgets.pane import Pane


def computed(db: Path) -> FirstScreen:
    con = open_db(db)
    try:
        return compute(con)
    finally:
        con.close()


def cached(db: Path) -> FirstScreen:
    """Write the cache of `db` as it is now; fail if it cannot be read back."""
    screen = computed(db)
    assert write(db, screen, identity(db))
    found = read(db, Filter(), Sort())
    assert found is not None and found[0] == screen
    return screen


def change_a_note(db: Path, mark: str = "edited") -> None:
    """Another database of the same shape: one incident's notes differ."""
    con = open_db(db, read_only=False)
    try:
        con.execute(
            "UPDATE incidents SET notes = notes || ? WHERE event_id = "
            "(SELECT min(event_id) FROM incidents)",
            [f" ({mark})"],
        )
        con.execute("CHECKPOINT")
    finally:
        con.close()


def test_round_trip_and_only_for_the_default_view(db_copy: Path) -> None:
    screen = cached(db_copy)
    assert screen.total == 9 and screen.rows and screen.regions and screen.series[1]
    assert read(db_copy, Filter(search="x"), Sort()) is None
    assert read(db_copy, Filter(country="Mali"), Sort()) is None
    assert read(db_copy, Filter(), Sort(order="asc")) is None
    assert read(db_copy, Filter(), Sort("fatalities")) is None


def test_not_for_another_database_of_the_same_size_and_mtime(db_copy: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.duckdb"
    shutil.copy(db_copy, other)
    change_a_note(db_copy, "one")
    change_a_note(other, "two")
    cached(db_copy)
    before = os.stat(db_copy)
    assert os.stat(other).st_size == before.st_size  # the same size: the size cannot tell
    shutil.copyfile(other, db_copy)  # in place: the same inode
    os.utime(db_copy, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(db_copy)
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (
        before.st_ino,
        before.st_size,
        before.st_mtime_ns,
    )
    assert read(db_copy, Filter(), Sort()) is None


def test_not_after_a_replacement_by_rename(db_copy: Path, tmp_path: Path) -> None:
    cached(db_copy)
    other = tmp_path / "other.duckdb"
    shutil.copy(db_copy, other)
    os.replace(other, db_copy)  # the same bytes, another file
    assert read(db_copy, Filter(), Sort()) is None


def test_not_after_touch_nor_after_touching_back(db_copy: Path) -> None:
    cached(db_copy)
    before = os.stat(db_copy)
    os.utime(db_copy)
    assert read(db_copy, Filter(), Sort()) is None
    os.utime(db_copy, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert read(db_copy, Filter(), Sort()) is None  # the ctime moved: never trusted again


def test_not_after_an_import(db_copy: Path) -> None:
    cached(db_copy)
    change_a_note(db_copy)
    assert read(db_copy, Filter(), Sort()) is None


def test_not_with_a_write_ahead_log(db_copy: Path) -> None:
    cached(db_copy)
    wal = Path(f"{db_copy}.wal")
    wal.write_bytes(b"not yet checkpointed")
    assert read(db_copy, Filter(), Sort()) is None
    wal.unlink()  # the log gone, the file is again the one described
    assert read(db_copy, Filter(), Sort()) is not None


def test_not_after_a_coding_change(db_copy: Path) -> None:
    before = cached(db_copy)
    assert first_screen.companions(db_copy)[1] == coding_path(db_copy)  # db/coding.py's name
    with CodingStore.open(db_copy) as store:
        store.reject(before.rows[0].event_id)  # an analyst's change: out of every count
        assert read(db_copy, Filter(), Sort()) is None
        after = cached(db_copy)
        assert after.total == before.total - 1
        store.undo()
    assert read(db_copy, Filter(), Sort()) is None
    assert cached(db_copy).total == before.total


def test_not_beside_another_file(db_copy: Path, tmp_path: Path) -> None:
    cached(db_copy)
    other = tmp_path / "other.duckdb"
    shutil.copy(db_copy, other)
    shutil.copy(cache_path(db_copy), cache_path(other))
    assert read(other, Filter(), Sort()) is None


def test_damaged_or_foreign_caches_are_ignored(db_copy: Path) -> None:
    cached(db_copy)
    path = cache_path(db_copy)
    data = json.loads(path.read_text(encoding="utf-8"))
    for damaged in (
        "{",
        json.dumps({**data, "version": first_screen.VERSION + 1}),
        json.dumps({**data, "rows": [{"event_id": "x"}]}),
        json.dumps({**data, "total": 0}),  # fewer than the rows it holds
    ):
        path.write_text(damaged, encoding="utf-8")
        assert read(db_copy, Filter(), Sort()) is None


def test_not_written_when_the_database_changed_meanwhile(db_copy: Path) -> None:
    key = identity(db_copy)
    screen = computed(db_copy)
    change_a_note(db_copy)
    assert not write(db_copy, screen, key)
    assert not cache_path(db_copy).exists()


def fake(screen: FirstScreen) -> FirstScreen:
    """A screen no query gives: if the explorer shows it, it came from the cache."""
    return replace(screen, total=screen.total + 1000, rows=screen.rows[:1])


async def first_total(
    db: Path, monkeypatch: pytest.MonkeyPatch, view: View | None = None
) -> tuple[int | None, int | None]:
    """The count the explorer showed from the cache (None if it showed none), and the count it
    shows once settled."""
    shown: list[int] = []
    original = ChronologyView.show_cached

    def spy(self: ChronologyView, rows, total, proposed, countries) -> None:  # noqa: ANN001
        shown.append(total)
        original(self, rows, total, proposed, countries)

    monkeypatch.setattr(ChronologyView, "show_cached", spy)
    app = RasdApp(db, view=view)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await wait_for(pilot, lambda: chronology(app).total is not None, "the live count")
        return (shown[0] if shown else None), chronology(app).total


async def test_the_explorer_shows_a_matching_cache_then_live_data(
    db_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = computed(db_copy)
    assert write(db_copy, fake(screen), identity(db_copy))
    shown, live = await first_total(db_copy, monkeypatch)
    assert shown == screen.total + 1000  # the first frame came from the cache
    assert live == screen.total  # and live queries replaced it


async def test_the_explorer_never_shows_a_stale_cache(
    db_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = computed(db_copy)
    assert write(db_copy, fake(screen), identity(db_copy))
    change_a_note(db_copy)
    shown, live = await first_total(db_copy, monkeypatch)
    assert shown is None
    assert live == screen.total


async def test_the_explorer_never_shows_it_for_a_saved_view_of_another_sort(
    db_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = computed(db_copy)
    assert write(db_copy, fake(screen), identity(db_copy))
    view = View(Filter(), Sort("fatalities"))
    shown, live = await first_total(db_copy, monkeypatch, view)
    assert shown is None
    assert live == screen.total


async def test_the_first_frame_from_the_cache_is_laid_out_as_it_stays(
    db_copy: Path, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Regions pane took its labels' width and the Chronology title its fitted form a frame
    or two after the first one: the panes jumped twice in the first 100 ms, and the first frame
    showed the count cut ("Chronology [2] · 15,0…")."""
    data = tmp_path / "in.csv"
    far = dict(country="Central African Republic", iso="140", region="Middle Africa")
    data.write_text(csv_text(row("CAF1", **far), row("CAF2", **far)), encoding="utf-8")
    code, _, err = rasd(capsys, "import", "acled", str(data), "--db", str(db_copy))
    assert code == 0, err
    assert read(db_copy, Filter(), Sort()) is not None  # the import wrote the cache
    first: dict[str | None, tuple[int, str]] = {}
    original = Pane.render_lines

    def spy(self: Pane, crop):  # noqa: ANN001, ANN202
        lines = original(self, crop)
        first.setdefault(self.id, (self.size.width, str(self.border_title)))
        return lines

    monkeypatch.setattr(Pane, "render_lines", spy)
    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await wait_for(pilot, lambda: chronology(app).total is not None, "the live count")
        await settle(pilot, app)
        for pane in ("regions-pane", "chronology-pane"):
            now = app.query_one(f"#{pane}", Pane)
            assert first[pane] == (now.size.width, str(now.border_title)), pane
        assert first["regions-pane"][0] > 28  # wider than the least: the labels asked for it
        assert first["chronology-pane"][1].startswith("[2] ")  # the name gave way, not the count


async def test_the_explorer_writes_the_cache_it_did_not_find(db_copy: Path) -> None:
    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await wait_for(pilot, lambda: cache_path(db_copy).exists(), "the cache to be written")
        await settle(pilot, app)
    found = read(db_copy, Filter(), Sort())
    assert found is not None
    assert found[0] == computed(db_copy)


def test_an_import_writes_the_cache_of_what_it_made(db_copy: Path, tmp_path: Path, capsys) -> None:
    stale = cached(db_copy)
    data = tmp_path / "in.csv"
    data.write_text(csv_text(row("MLI9001"), row("MLI9002")), encoding="utf-8")
    code, _, err = rasd(capsys, "import", "acled", str(data), "--db", str(db_copy))
    assert code == 0, err
    found = read(db_copy, Filter(), Sort())
    assert found is not None  # written for the new file, not the old one
    assert found[0] == computed(db_copy)
    assert found[0].total == stale.total + 2
