"""Readers see the coding: every query over the overlay equals the same query over a database
that holds the coded state outright (counts in the tree, list, info, windows, search, map)."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import duckdb
import pytest

from db import overlay, pager, point_index, region_index, search_index, sort_index
from db import word_index as word_index_module
from db.coding import CodingStore, coding_path
from db.columns import INCIDENT_COLUMNS
from db.derived import stamp_matches
from db.folding import fold
from db.queries import (
    UNKNOWN,
    Filter,
    count_incidents,
    get_incident,
    status_counts,
)
from db.seed import order_incidents
from db.sort_index import SORT_KEYS, Sort, SortedPager
from db.store import atomic_database, expected_columns, open_db
from db.word_index import word_index
from tests.coding.conftest import proposals
from tests.every_query import every_answer

ROWS = 1500
BLOCK = 32
STATUSES = ("coded", "proposed", "rejected")
WORDS = ["كمين", "عبوة", "اختطاف", "mopti", "jnim"]
PLACES = [
    ("Mali", "Mopti", "Djenne", "Djenne"),
    ("Mali", "Gao", "Ansongo", "Ansongo"),
    ("Mali", None, None, None),
    ("Niger", "Tillaberi", "Ouallam", "Ouallam"),
]
FILTERS = [
    Filter(),
    Filter(statuses=("coded",)),
    Filter(statuses=("proposed",)),
    Filter(statuses=("coded", "proposed", "rejected")),
    Filter(country="Mali"),
    Filter(country="Mali", admin1="Mopti"),
    Filter(country="Mali", admin1=UNKNOWN),
    Filter(country="Niger", admin1="Tillaberi", statuses=("coded",)),
    Filter(region="ansongo"),
    Filter(search="كمين"),
    Filter(search="zzrare"),
    Filter(search="mopti", country="Mali"),
]


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (region_index, point_index, search_index, sort_index, overlay):
        monkeypatch.setattr(module, "ROW_BLOCK", BLOCK)
    monkeypatch.setattr(pager, "BLOCK", BLOCK)


def _insert(con: duckdb.DuckDBPyConnection, rows: list[dict], work: Path) -> None:
    """Rows into incidents in one statement (executemany takes seconds per thousand rows)."""
    types = expected_columns()["incidents"]
    columns = (*INCIDENT_COLUMNS, "search_text")
    data = work / f"rows-{len(rows)}-{id(rows)}.json"
    data.write_text(json.dumps([{c: r.get(c) for c in columns} for r in rows], default=str))
    spec = "{" + ", ".join(f"'{c}': '{types[c]}'" for c in columns) + "}"
    con.execute(
        f"INSERT INTO incidents ({', '.join(columns)}) SELECT {', '.join(columns)} "
        f"FROM read_json(?, format = 'array', columns = {spec})",
        [str(data)],
    )
    order_incidents(con)


@pytest.fixture
def mixed(mixed_seed: Path, tmp_path: Path, small_blocks: None) -> Path:
    """A private copy of `mixed_seed`."""
    path = tmp_path / "mixed.duckdb"
    shutil.copy(mixed_seed, path)
    return path


@pytest.fixture(scope="module")
def mixed_seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Proposals, coded and rejected incidents over places and dates, indexed in small blocks."""
    rng = random.Random(5)
    rows = []
    for i in range(ROWS):
        country, admin1, admin2, location = rng.choice(PLACES)
        rows.append(
            {
                "event_id": f"E{i:05d}",
                "event_date": f"2020-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "event_type": "Battles",
                "dataset": "rasd",
                "country": country,
                "admin1": admin1,
                "admin2": admin2,
                "location": location,
                "fatalities": rng.choice([None, 0, 2, 5]),
                "status": rng.choices(STATUSES, weights=(6, 3, 1))[0],
                "search_text": fold(" ".join(rng.sample(WORDS, 2))),
            }
        )
    parent = tmp_path_factory.mktemp("overlay")
    path = parent / "mixed.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        for module in (region_index, point_index, search_index, sort_index):
            mp.setattr(module, "ROW_BLOCK", BLOCK)
        with atomic_database(path) as con:
            _insert(con, rows, parent)
    return path


def _code(db: Path, rng: random.Random) -> None:
    """Accept, reject, edit (dates, places, deaths) and create, as an analyst would."""
    con = open_db(db, overlay=False)
    ids = sorted(
        r[0]
        for r in con.execute("SELECT event_id FROM incidents WHERE status = 'proposed'").fetchall()
    )
    coded = sorted(
        r[0]
        for r in con.execute("SELECT event_id FROM incidents WHERE status = 'coded'").fetchall()
    )
    con.close()
    rng.shuffle(ids)
    with CodingStore.open(db, user="t") as store:
        for event_id in ids[:10]:
            store.accept(event_id)
        for event_id in ids[10:16]:
            store.reject(event_id)
        for event_id in ids[16:24] + coded[:6]:  # new dates: out of the main file's order
            store.save(
                {"event_date": f"2021-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}, event_id
            )
        for event_id in coded[6:12]:  # in place: same date, another place and toll
            store.save(
                {"admin1": "Gao", "admin2": "Ansongo", "location": "Ansongo", "fatalities": 9},
                event_id,
            )
        for k in range(6):
            store.save(
                {
                    "event_date": f"20{rng.choice(['19', '20', '22'])}-06-{k + 1:02d}",
                    "event_type": "Battles",
                    "country": "Mali",
                    "admin1": "Mopti",
                    "notes": "zzrare كمين",
                    "fatalities": k,
                }
            )
        for event_id in coded[12:14]:
            store.reject(event_id)


def _reference(db: Path, tmp_path: Path) -> Path:
    """The coded state written outright into a plain database (the direct-SQL referee)."""
    con = open_db(db, overlay=False)
    columns = (*INCIDENT_COLUMNS, "search_text")
    rows = {
        r[0]: dict(zip(columns, r, strict=True))
        for r in con.execute(f"SELECT {', '.join(columns)} FROM incidents").fetchall()
    }
    con.close()
    with CodingStore.open(db, user="t") as store:
        for event_id, revs in store._revisions.items():
            rows[event_id] = {c: revs[-1][c] for c in columns}
    path = tmp_path / "reference.duckdb"
    with atomic_database(path) as ref:
        _insert(ref, list(rows.values()), tmp_path)
    return path


def _everything(con: duckdb.DuckDBPyConnection) -> list:
    return every_answer(con, FILTERS)


@pytest.mark.parametrize("common", [0.0, 2.0], ids=["scanned", "looked-up"])
def test_every_query_over_the_overlay_equals_the_coded_state_written_out(
    mixed: Path, tmp_path: Path, common: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Searches too: every word scanned (as a common one is), or every word looked up in the
    main file's word index with the coded versions scanned (as a rare one is)."""
    monkeypatch.setattr(word_index_module, "OVERLAID_SHARE", common)
    _code(mixed, random.Random(8))
    reference = _reference(mixed, tmp_path)
    con, ref = open_db(mixed), open_db(reference)
    try:
        assert overlay.rows_moved(con)  # the windows took the slow, ordered path
        assert region_index.region_index_is_current(con)  # the corrected index still answers
        assert search_index.candidate_ranges(con, [(("zzrare",),)]) is not None
        words = word_index(con)  # searches look words up, the coded versions scanned
        assert words is not None and words.overlaid and not words.aligned
        assert _everything(con) == _everything(ref)
    finally:
        con.close()
        ref.close()


def test_no_coding_means_the_plain_table(mixed: Path) -> None:
    con = open_db(mixed)
    kinds = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE table_name = 'incidents'"
    ).fetchall()
    con.close()
    assert kinds == [("incidents",)]  # a table, not the overlay's view
    with CodingStore.open(mixed, user="t") as store:
        event_id = store.save({"event_date": "2020-01-01", "event_type": "Battles"})
        store.undo()  # a coding file, but nothing in it
    assert coding_path(mixed).exists() and event_id
    con = open_db(mixed)
    assert not con.execute("SELECT * FROM duckdb_views() WHERE view_name = 'incidents'").fetchall()
    con.close()


def test_an_accepted_proposal_counts_as_coded_and_a_rejected_one_nowhere(coded_db: Path) -> None:
    (first, _), (second, _) = proposals(coded_db)
    before = open_db(coded_db)
    coded_before = count_incidents(before, Filter(statuses=("coded",)))
    before.close()
    with CodingStore.open(coded_db, user="t") as store:
        store.accept(first)
        store.reject(second)
        store.save({"fatalities": 4}, first)
    con = open_db(coded_db)
    try:
        assert count_incidents(con, Filter(statuses=("coded",))) == coded_before + 1
        assert count_incidents(con, Filter()) == coded_before + 1  # coded + proposed shown
        assert status_counts(con)["rejected"] == 1
        incident = get_incident(con, first)
        assert incident is not None and incident.fields["fatalities"] == 4
        assert incident.source is not None  # its report still found
    finally:
        con.close()


def test_the_sort_index_is_corrected_not_its_fatalities_copy(mixed: Path, tmp_path: Path) -> None:
    """Edits in place leave the row count unchanged: the sort index's stamp alone would still
    match, and its per-value counts and its copy in fatalities order would be wrong; the counts
    are corrected per block, the copy is not read."""
    con = open_db(mixed, overlay=False)
    coded = [
        r[0]
        for r in con.execute("SELECT event_id FROM incidents WHERE status = 'coded'").fetchall()
    ][:12]
    con.close()
    with CodingStore.open(mixed, user="t") as store:
        for k, event_id in enumerate(coded):
            store.save({"fatalities": 500 + k}, event_id)
    reference = _reference(mixed, tmp_path)
    con, ref = open_db(mixed), open_db(reference)
    try:
        assert not overlay.rows_moved(con)
        assert stamp_matches(con, "sort_index_rows")  # trusted: its counts are corrected
        assert not SortedPager(con, Filter(), Sort("fatalities"))._copy
        for key in SORT_KEYS[1:]:
            ours, theirs = (
                SortedPager(con, Filter(), Sort(key)),
                SortedPager(ref, Filter(), Sort(key)),
            )
            assert ours.prepare() == theirs.prepare()
            assert ours.window(0, 40) == theirs.window(0, 40)
        assert _everything(con) == _everything(ref)
    finally:
        con.close()
        ref.close()


def test_a_replaced_row_is_found_even_when_its_recorded_date_is_stale(coded_db: Path) -> None:
    """An import may change a row's date after it was coded: the lookup by date then misses it
    and the reader looks among every id instead; never the main row and its version both."""
    (first, _), _ = proposals(coded_db)
    with CodingStore.open(coded_db, user="t") as store:
        store.save({"fatalities": 3}, first)
    for base_date in ("recorded", "1900-01-01"):
        if base_date != "recorded":
            coding = duckdb.connect(str(coding_path(coded_db)))
            coding.execute("UPDATE revisions SET base_date = ?", [base_date])
            coding.close()
        con = open_db(coded_db)
        try:
            rows = con.execute(
                "SELECT fatalities FROM incidents WHERE event_id = ?", [first]
            ).fetchall()
        finally:
            con.close()
        assert rows == [(3,)], base_date
