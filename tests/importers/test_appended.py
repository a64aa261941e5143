"""Imports beside a large database (db/appended.py): the main file is only read, and every
query over it and its appended rows equals the same query over a database into which the same
files were imported the ordinary way (counts in the tree, list, windows at any depth, search,
sorts, the map), with coding on top too; `rasd reindex` and the next import that rewrites the
file fold the rows in; an appendix made for another order of rows is never merged in."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

import duckdb
import pytest

from db import (
    appended,
    first_screen,
    overlay,
    pager,
    point_index,
    region_index,
    search_index,
    sort_index,
)
from db import word_index as word_index_module
from db.coding import CodingStore
from db.importers import appending
from db.paths import appended_path
from db.queries import (
    UNKNOWN,
    Filter,
    get_incident,
)
from db.sort_index import Sort, SortedPager
from db.store import open_db
from db.word_index import word_index
from tests.every_query import every_answer
from tests.importers.conftest import digest, rasd, table

BLOCK = 32
PLACES = [
    ("Mopti", "Djenne", "Djenne"),
    ("Gao", "Ansongo", "Ansongo"),
    ("", "", ""),
    ("Tombouctou", "Goundam", "Goundam"),
]
WORDS = ["كمين", "عبوة", "اختطاف", "ambush", "jnim", "convoy"]
TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians"]
FILTERS = [
    Filter(),
    Filter(country="Mali"),
    Filter(country="Mali", admin1="Mopti"),
    Filter(country="Mali", admin1="Tombouctou", admin2="Goundam"),
    Filter(country="Mali", admin1=UNKNOWN),
    Filter(region="ansongo"),
    Filter(search="كمين"),
    Filter(search="zzrare"),
    Filter(search="ambush", country="Mali"),
    Filter(event_types=("Battles",)),
    Filter(date_from=dt.date(2020, 3, 1), date_to=dt.date(2020, 6, 30)),
]
HEADER = "event_id_cnty,event_date,event_type,country,admin1,admin2,location,notes,fatalities"


def _line(event_id: str, date: str, rng: random.Random, note: str | None = None) -> str:
    admin1, admin2, location = rng.choice(PLACES)
    notes = note or " ".join(rng.sample(WORDS, 2))
    deaths = rng.choice(["0", "2", "5", ""])
    kind = rng.choice(TYPES)
    return f'{event_id},{date},{kind},Mali,{admin1},{admin2},{location},"{notes}",{deaths}'


def _date(rng: random.Random) -> str:
    return f"2020-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text(HEADER + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (region_index, point_index, search_index, sort_index, overlay):
        monkeypatch.setattr(module, "ROW_BLOCK", BLOCK)
    monkeypatch.setattr(pager, "BLOCK", BLOCK)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path, Path]:
    """The first file (600 incidents); a second with 150 new ones (on the same days as stored
    ones, ids on either side of theirs, and days the file has none of), 40 changed (dates,
    places, tolls) and 30 unchanged; a third changing some of the second's and adding more."""
    rng = random.Random(3)
    first = {f"MLI{i:04d}": _line(f"MLI{i:04d}", _date(rng), rng) for i in range(600)}
    second = []
    for i in range(150):
        event_id = rng.choice(["MLA", "MLZ", "MLI1"]) + f"{i:03d}"
        second.append(_line(event_id, _date(rng) if i % 5 else "2019-01-01", rng))
    changed = rng.sample(sorted(first), 70)
    for event_id in changed[:40]:
        second.append(_line(event_id, _date(rng), rng, note="zzrare ambush"))
    second.extend(first[event_id] for event_id in changed[40:])
    third = [_line(f"MLA{i:03d}", _date(rng), rng, note="كمين zzrare") for i in range(0, 150, 7)]
    third += [_line(f"MLB{i:03d}", _date(rng), rng) for i in range(20)]
    third += [_line(event_id, "2018-05-05", rng) for event_id in changed[:5]]
    return (
        _write(tmp_path / "first.csv", list(first.values())),
        _write(tmp_path / "second.csv", second),
        _write(tmp_path / "third.csv", third),
    )


def _everything(con: duckdb.DuckDBPyConnection) -> list:
    return every_answer(con, FILTERS)


def _same_answers(beside: Path, plain: Path) -> None:
    con, ref = open_db(beside), open_db(plain)
    try:
        assert _everything(con) == _everything(ref)
    finally:
        con.close()
        ref.close()


def _import(capsys, db: Path, *files: Path) -> str:
    code, out, err = rasd(capsys, "import", "acled", *map(str, files), "--db", str(db))
    assert code == 0, err
    return out


@pytest.fixture
def pair(
    tmp_path: Path,
    files: tuple[Path, Path, Path],
    small_blocks: None,
    capsys,
) -> tuple[Path, Path]:
    """The first file imported into two databases: one that takes appends, one that does not."""
    beside, plain = tmp_path / "beside.duckdb", tmp_path / "plain.duckdb"
    _import(capsys, beside, files[0])
    shutil.copy(beside, plain)
    return beside, plain


def _both(monkeypatch: pytest.MonkeyPatch, capsys, beside: Path, plain: Path, file: Path) -> None:
    """`file` imported beside the one file and into the other."""
    _takes(monkeypatch, True)
    _import(capsys, beside, file)
    _takes(monkeypatch, False)
    _import(capsys, plain, file)


def _takes(monkeypatch: pytest.MonkeyPatch, yes: bool) -> None:
    """Whether the next import goes beside (the test files are far below the real sizes)."""
    monkeypatch.setattr(appended, "APPEND_FROM_ROWS", 1 if yes else 10**12)
    monkeypatch.setattr(appended, "MERGE_SHARE", 1.0)


@pytest.mark.parametrize("common", [0.0, 2.0], ids=["scanned", "looked-up"])
def test_every_query_over_appended_rows_equals_the_same_import_written_into_the_file(
    pair: tuple[Path, Path],
    files: tuple[Path, Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys,
    common: float,
) -> None:
    monkeypatch.setattr(word_index_module, "OVERLAID_SHARE", common)
    beside, plain = pair
    before = digest(beside)
    for file in files[1:]:
        _takes(monkeypatch, True)
        out_beside = _import(capsys, beside, file)
        _takes(monkeypatch, False)
        out_plain = _import(capsys, plain, file)
        # the same summary (read, inserted, updated, unchanged), the main file untouched
        assert out_beside.splitlines()[0] == out_plain.splitlines()[0], out_beside
        assert appended_path(beside).exists(), out_beside
        assert digest(beside) == before
    con, ref = open_db(beside), open_db(plain)
    try:
        assert overlay.rows_moved(con)  # the windows took the ordered path over both runs
        assert region_index.region_index_is_current(con)  # the counted blocks still answer
        by_deaths = SortedPager(con, Filter(), Sort("fatalities"))
        assert by_deaths._indexed and not by_deaths._copy  # the cells, corrected
        words = word_index(con)
        assert words is not None and words.overlaid
        assert _everything(con) == _everything(ref)
        assert get_incident(con, "MLA000") == get_incident(ref, "MLA000")
    finally:
        con.close()
        ref.close()
    assert table(beside) == table(plain)


def test_the_summary_counts_what_changed(
    pair: tuple[Path, Path], files: tuple[Path, Path, Path], monkeypatch, capsys
) -> None:
    beside, _ = pair
    _takes(monkeypatch, True)
    out = _import(capsys, beside, files[1])
    assert "read 220, inserted 150, updated 40, unchanged 30, rejected 0" in out
    assert "appended" in out  # where the rows went, and how they get into the file
    kept = digest(appended_path(beside))
    again = _import(capsys, beside, files[1])  # the same file again: nothing changes
    assert "inserted 0, updated 0, unchanged 220" in again
    assert digest(appended_path(beside)) == kept  # not even rewritten


def test_coding_over_appended_rows_equals_it_written_out(
    pair: tuple[Path, Path], files: tuple[Path, Path, Path], monkeypatch, capsys
) -> None:
    """A coded version of an appended incident (and of a main one it replaced) wins, once."""
    beside, plain = pair
    _both(monkeypatch, capsys, beside, plain, files[1])
    ids = [line.split(",")[0] for line in files[1].read_text().splitlines()[1:]]
    new, changed = ids[:150], ids[150:190]
    for db in (beside, plain):
        with CodingStore.open(db, user="t") as store:
            store.save({"event_date": "2022-02-02", "fatalities": 11}, new[0])  # moved
            store.save({"admin1": "Gao", "admin2": "Ansongo", "location": "Ansongo"}, new[1])
            store.save({"fatalities": 3}, changed[0])
            store.reject(changed[1])
    con, ref = open_db(beside), open_db(plain)
    try:
        assert _everything(con) == _everything(ref)
        once = "SELECT count(*) FROM incidents WHERE event_id = ?"
        assert con.execute(once, [new[0]]).fetchone() == (1,)
        assert con.execute(once, [changed[0]]).fetchone() == (1,)
    finally:
        con.close()
        ref.close()


def test_reindex_folds_the_appended_rows_into_the_file(
    pair: tuple[Path, Path], files: tuple[Path, Path, Path], monkeypatch, capsys
) -> None:
    beside, plain = pair
    _both(monkeypatch, capsys, beside, plain, files[1])
    code, out, err = rasd(capsys, "reindex", "--db", str(beside))
    assert code == 0, err
    assert "merged" in out
    assert not appended_path(beside).exists()
    assert table(beside) == table(plain)
    con, ref = open_db(beside), open_db(plain)
    try:
        assert not overlay.overlay_state(con)[0]  # the plain file again, every index its own
        assert _everything(con) == _everything(ref)
    finally:
        con.close()
        ref.close()


def test_the_import_that_rewrites_the_file_folds_them_in(
    pair: tuple[Path, Path], files: tuple[Path, Path, Path], monkeypatch, capsys
) -> None:
    """Past MERGE_SHARE (or below APPEND_FROM_ROWS) the next import rewrites the file, with
    the appended rows in it."""
    beside, plain = pair
    _takes(monkeypatch, True)
    _import(capsys, beside, files[1])
    monkeypatch.setattr(appended, "MERGE_SHARE", 0.25)  # 190 appended to 600: past it
    out = _import(capsys, beside, files[2])
    assert not appended_path(beside).exists()
    _takes(monkeypatch, False)
    assert _import(capsys, plain, files[1], files[2]).splitlines()[1] == out.splitlines()[0]
    assert table(beside) == table(plain)


def test_an_appendix_for_another_order_of_rows_is_never_merged_in(
    pair: tuple[Path, Path], files: tuple[Path, Path, Path], monkeypatch, capsys, tmp_path
) -> None:
    """The file re-ordered by other means since (here: the same file imported again into a
    copy that replaced it) makes the appendix's row numbers meaningless: readers leave it out
    and the next writer deletes it."""
    beside, plain = pair
    _takes(monkeypatch, True)
    _import(capsys, beside, files[1])
    stale = appended_path(beside).read_bytes()
    _takes(monkeypatch, False)
    _import(capsys, plain, files[1])
    _takes(monkeypatch, True)
    shutil.copy(plain, beside)  # another generation of the file
    appended_path(beside).write_bytes(stale)
    _same_answers(beside, plain)
    code, out, _ = rasd(capsys, "reindex", "--db", str(beside))
    assert code == 0 and "nothing to do" in out
    assert not appended_path(beside).exists()  # removed: it can never be merged in
    appended_path(beside).write_bytes(stale)
    _import(capsys, beside, files[2])
    assert appended_path(beside).exists()  # the new appendix, for this file's order
    _takes(monkeypatch, False)
    _import(capsys, plain, files[2])
    assert table(beside) == table(plain)


def test_the_first_screen_cache_follows_the_appended_rows(
    pair: tuple[Path, Path], files: tuple[Path, Path, Path], monkeypatch, capsys
) -> None:
    """The explorer's first frame (db/first_screen.py) is keyed by the appendix too: the one
    written before rows were appended is never shown after; the import writes the new one."""
    beside, _ = pair
    cache = first_screen.cache_path(beside)
    before = cache.read_bytes()
    assert first_screen.read(beside, Filter(), Sort()) is not None
    _takes(monkeypatch, True)
    _import(capsys, beside, files[1])
    after = first_screen.read(beside, Filter(), Sort())
    assert after is not None and after[0].total == 750  # 600 and 150 new
    cache.write_bytes(before)  # as if the import had not rewritten it
    assert first_screen.read(beside, Filter(), Sort()) is None


def test_info_says_how_many_incidents_are_appended(
    pair: tuple[Path, Path], files: tuple[Path, Path, Path], monkeypatch, capsys
) -> None:
    beside, _ = pair
    _takes(monkeypatch, True)
    _import(capsys, beside, files[1])
    code, out, _ = rasd(capsys, "info", "--db", str(beside))
    assert code == 0
    assert "appended:   190 incidents imported beside the file (beside.appended.duckdb" in out
    assert "incidents:  750" in out


def test_a_failed_import_beside_leaves_both_files_as_they_were(
    pair: tuple[Path, Path], files: tuple[Path, Path, Path], monkeypatch, capsys, tmp_path
) -> None:
    beside, _ = pair
    _takes(monkeypatch, True)
    _import(capsys, beside, files[1])
    main_before, appended_before = digest(beside), digest(appended_path(beside))
    lines = files[2].read_text(encoding="utf-8").splitlines()
    bad = _write(tmp_path / "bad.csv", [*lines[1:], "MLQ1,not a date,Battles,Mali,,,,x,0"])
    code, _, err = rasd(capsys, "import", "acled", str(bad), "--db", str(beside))
    assert code == 1 and "invalid event_date" in err and "unchanged" in err
    assert digest(beside) == main_before
    assert digest(appended_path(beside)) == appended_before
    assert sorted(p.name for p in beside.parent.iterdir() if p.name.startswith(".")) == [
        first_screen.cache_path(beside).name
    ]  # no temporary file left beside them


def test_a_file_without_a_generation_is_rewritten_once_then_takes_appends(
    pair: tuple[Path, Path], files: tuple[Path, Path, Path], monkeypatch, capsys
) -> None:
    """A database written by an older rasd has no token for its order of rows: appended rows
    could not be told stale, so its next import rewrites it (and gives it one)."""
    beside, _ = pair
    con = duckdb.connect(str(beside))
    con.execute("DELETE FROM meta WHERE key = ?", [appended.GENERATION_KEY])
    con.close()
    _takes(monkeypatch, True)
    assert not appended.state(beside).takes_appends
    _import(capsys, beside, files[1])
    assert not appended_path(beside).exists()
    assert appended.state(beside).generation is not None
    _import(capsys, beside, files[2])
    assert appended.state(beside).added > 0


@pytest.mark.parametrize("runs", [1, 8], ids=["written-as-one", "one-run-each"])
def test_files_in_one_command_and_runs_written_as_one_equal_the_file(
    pair: tuple[Path, Path], files: tuple[Path, Path, Path], monkeypatch, capsys, runs: int
) -> None:
    """Two files in one command (the second merged against the first's rows), then a third
    import: past MAX_RUNS the runs are written as one table again."""
    monkeypatch.setattr(appending, "MAX_RUNS", runs)
    monkeypatch.setattr(word_index_module, "OVERLAID_SHARE", 2.0)  # rows found by their rid
    beside, plain = pair
    _takes(monkeypatch, True)
    _import(capsys, beside, files[1], files[2])
    _import(capsys, beside, files[0])  # the first file again: its changed rows come back
    _takes(monkeypatch, False)
    _import(capsys, plain, files[1], files[2])
    _import(capsys, plain, files[0])
    con = duckdb.connect(str(appended_path(beside)), read_only=True)
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    con.close()
    # a run per file; past MAX_RUNS, one
    assert {t for t in tables if t.startswith("run_")} == (
        {"run_0"} if runs == 1 else {"run_0", "run_1", "run_2"}
    )
    _same_answers(beside, plain)
