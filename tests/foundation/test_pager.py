"""Windows from the block-indexed pager equal plain ORDER BY ... LIMIT OFFSET, at any depth."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db import pager
from db.pager import IncidentPager, is_ordered
from db.queries import Filter, list_incidents
from db.seed import order_incidents
from db.store import atomic_database, open_db

ROWS = 5000


@pytest.fixture(scope="module")
def synthetic_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pager") / "synthetic.duckdb"
    with atomic_database(path) as con:
        con.execute(
            """
            INSERT INTO incidents (event_id, event_date, event_type, admin1, country, dataset,
                                   fatalities, search_text)
            SELECT 'E' || lpad(i::VARCHAR, 6, '0'),
                   DATE '2000-01-01' + (hash(i) % 9000)::INTEGER,
                   ['Battles', 'Riots', 'Protests'][1 + i % 3],
                   ['Gao', 'Mopti', NULL][1 + (i // 7) % 3],
                   'Mali', 'rasd', (i % 5)::INTEGER, 'row ' || i
            FROM range(?) t(i)
            """,
            [ROWS],
        )
        order_incidents(con)
    return path


FILTERS = [
    Filter(),
    Filter(event_types=("Riots",)),
    Filter(country="Mali", admin1="Mopti"),
    Filter(admin1="\x00unknown", event_types=("Battles",)),
    Filter(date_from=dt.date(2010, 1, 1), date_to=dt.date(2012, 6, 30)),
    Filter(search="row 12"),
    Filter(event_types=("Nothing",)),
]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    f=st.sampled_from(FILTERS),
    order=st.sampled_from(["desc", "asc"]),
    offset=st.integers(0, ROWS + 10),
    limit=st.integers(1, 700),
    block_bits=st.integers(4, 12),
)
def test_pager_matches_offset_query(synthetic_db, monkeypatch, f, order, offset, limit, block_bits):
    monkeypatch.setattr(pager, "BLOCK", 1 << block_bits)
    con = open_db(synthetic_db)
    assert is_ordered(con)
    p = IncidentPager(con, f, order)
    expected = list_incidents(con, f, limit=limit, offset=offset, order=order)
    assert p.window(offset, limit) == expected
    assert p.total == len(list_incidents(con, f))
    con.close()


def test_seed_db_is_physically_ordered(seed_db: Path) -> None:
    con = open_db(seed_db)
    p = IncidentPager(con, Filter())
    assert p.prepare() == 9
    assert [r.event_id for r in p.window(0, 3)] == [
        "RASD-ML-20260124-01",
        "RASD-ML-20260124-07",
        "RASD-ML-20260124-08",
    ]
    assert [r.event_date.isoformat() for r in IncidentPager(con, Filter(), "asc").window(0, 1)] == [
        "2025-12-27"
    ]


@pytest.mark.parametrize("probe", [pager.HEAD_PROBE_ROWS, 300])
@pytest.mark.parametrize("f", [*FILTERS, Filter(search="row 4999"), Filter(search="nowhere")])
def test_head_is_the_first_window(
    synthetic_db: Path, f: Filter, probe: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found in the first rows or, when they hold too few, through the search index."""
    monkeypatch.setattr(pager, "HEAD_PROBE_ROWS", probe)
    con = open_db(synthetic_db)
    assert IncidentPager(con, f).head(50) == list_incidents(con, f, limit=50)


def test_search_index_narrows_scans_without_losing_rows(tmp_path: Path, monkeypatch) -> None:
    from db import search_index

    monkeypatch.setattr(search_index, "ROW_BLOCK", 64)
    monkeypatch.setattr(search_index, "MAX_RANGES", 10_000)
    path = tmp_path / "indexed.duckdb"
    with atomic_database(path) as con:
        con.execute(
            """
            INSERT INTO incidents (event_id, event_date, event_type, country, dataset, search_text)
            SELECT 'E' || i, DATE '2000-01-01' + i::INTEGER, 'Battles', 'Mali', 'rasd',
                   CASE WHEN i % 97 = 0 THEN 'rare word ' || i ELSE 'common text ' || i END
            FROM range(3000) t(i)
            """
        )
        order_incidents(con)
    con = open_db(path)
    for words, expected in [("rare", 31), ("common", 2969), ("absent", 0), ("rare 970", 1)]:
        f = Filter(search=words)
        ranges = search_index.candidate_ranges(con, [((w,),) for w in words.split()])
        assert ranges is not None
        covered = sum(hi - lo for lo, hi in ranges)
        if words == "rare":
            assert covered < 3000  # only blocks holding the word are scanned
        pager = IncidentPager(con, f)
        assert pager.prepare() == expected == count_all(con, f)
        assert pager.window(0, 40) == list_incidents(con, f, limit=40)
        assert pager.head(5) == list_incidents(con, f, limit=5)
    # each word's blocks are looked up once per connection, then remembered
    looked_up = con.execute("SELECT word, blocks FROM rasd_words.blocks ORDER BY word").fetchall()
    assert [w for w, _ in looked_up] == sorted({"rare", "common", "absent", "970"})
    assert dict(looked_up)["absent"] == []
    con.close()
    con = open_db(path)  # a new connection (a reload) starts with none
    again = search_index.candidate_ranges(con, [(("rare",),)])
    assert again is not None
    assert {lo // 64 + i for lo, hi in again for i in range((hi - lo) // 64)} == blocks_of_rare(con)
    con.close()


def blocks_of_rare(con) -> set[int]:
    """The blocks holding "rare", straight from the index table."""
    rows = con.execute(
        "SELECT DISTINCT block FROM search_blocks WHERE contains(word, 'rare')"
    ).fetchall()
    return {int(b) for (b,) in rows}


def count_all(con, f: Filter) -> int:
    return len(list_incidents(con, f))
