"""The region index answers exactly what a scan of the incidents answers, and only when current."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db import pager, region_index
from db.pager import IncidentPager
from db.queries import UNKNOWN, Filter, list_incidents, region_children
from db.rows import one_row
from db.seed import order_incidents
from db.store import atomic_database, open_db

ROWS = 4000
INDEX_BLOCK = 32
PLACES = [
    ("Mali", "Mopti", "Djenne", "Djenne", "جني"),
    ("Mali", "Mopti", "Djenne", "Djenne", "جنى"),  # the same place spelt two ways
    ("Mali", "Mopti", "Bandiagara", "Sangha", None),
    ("Mali", "Gao", "Ansongo", "Ansongo", "أنسونغو"),
    ("Mali", "Gao", None, None, None),
    ("Mali", None, None, None, None),
    ("Niger", "Tillaberi", "Ouallam", "Ouallam", "والام"),
    (None, None, None, None, None),
]


@pytest.fixture(scope="module")
def places_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Incidents spread unevenly over places, indexed in blocks of INDEX_BLOCK rows.

    Made by one INSERT ... SELECT over range(ROWS) (row by row it took 11 s): the place of row i
    is exponentially distributed over PLACES by a hash of i, its fatalities one of NULL, 0, 1, 5.
    """
    path = tmp_path_factory.mktemp("regions") / "places.duckdb"
    places = ", ".join(["(?, ?, ?, ?, ?, ?)"] * len(PLACES))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(region_index, "ROW_BLOCK", INDEX_BLOCK)
        with atomic_database(path) as con:
            con.execute(
                "INSERT INTO incidents (event_id, event_date, event_type, dataset, country, "
                "admin1, admin2, location, location_ar, fatalities) "
                "SELECT printf('E%05d', i), DATE '2020-01-01' + (hash(i) % 2000)::INTEGER, "
                "'Battles', 'rasd', p.country, p.admin1, p.admin2, p.location, p.location_ar, "
                "[NULL, 0, 1, 5][(hash(i, 'deaths') % 4)::INTEGER + 1] "
                f"FROM range(?) r(i) JOIN (VALUES {places}) "
                "p(k, country, admin1, admin2, location, location_ar) "
                "ON p.k = least(floor(-ln((hash(i, 'place') % 1000000 + 1) / 1000001) / 0.6), ?)",
                [
                    ROWS,
                    *(x for k, place in enumerate(PLACES) for x in (k, *place)),
                    len(PLACES) - 1,
                ],
            )
            order_incidents(con)
    return path


REGION_FILTERS = [
    Filter(country="Mali"),
    Filter(country="Mali", admin1="Mopti"),
    Filter(country="Mali", admin1="Mopti", admin2="Djenne"),
    Filter(country="Mali", admin1="Mopti", admin2="Djenne", location="Djenne"),
    Filter(country="Mali", admin1=UNKNOWN),
    Filter(country=UNKNOWN),
    Filter(region="جنى"),
    Filter(region="ansongo"),
    Filter(country="Chad"),
]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    f=st.sampled_from(REGION_FILTERS),
    order=st.sampled_from(["desc", "asc"]),
    offset=st.integers(0, ROWS),
    limit=st.integers(1, 300),
    per_block=st.sampled_from([1, 2, 8]),
)
def test_region_windows_from_the_index_equal_a_scan(
    places_db, monkeypatch, f, order, offset, limit, per_block
):
    monkeypatch.setattr(region_index, "ROW_BLOCK", INDEX_BLOCK)
    monkeypatch.setattr(pager, "BLOCK", INDEX_BLOCK * per_block)
    con = open_db(places_db)
    p = IncidentPager(con, f, order)
    clause_counts = region_index.block_counts(con, *_where(f), INDEX_BLOCK * per_block)
    assert clause_counts is not None  # the index answered, not the scan
    assert p.window(offset, limit) == list_incidents(con, f, limit, offset, order)
    assert p.total == len(list_incidents(con, f))
    con.close()


def _where(f: Filter) -> tuple[str, list]:
    from db.queries import where

    return where(f)


PATHS = [
    (),
    ("Mali",),
    ("Mali", "Mopti"),
    ("Mali", "Mopti", "Djenne"),
    ("Mali", UNKNOWN),
    ("Mali", "Gao", UNKNOWN),
    (UNKNOWN,),
    ("Chad",),
]


@pytest.mark.parametrize("path", PATHS)
def test_region_counts_from_the_index_equal_a_scan(places_db, monkeypatch, path) -> None:
    con = open_db(places_db)
    indexed = region_children(con, Filter(), path)
    monkeypatch.setattr("db.queries.region_index_is_current", lambda _con: False)
    scanned = region_children(con, Filter(), path)
    assert indexed == scanned
    assert sum(r.incidents for r in scanned) == len(list_incidents(con, Filter(**_levels(path))))
    if path == ("Mali", "Mopti", "Djenne"):  # the spelling most incidents use
        (djenne,) = [r for r in indexed if r.name == "Djenne"]
        n_first = one_row(
            con.execute(
                "SELECT count(*) FILTER (location_ar = 'جني'), count(*) FILTER (location_ar = 'جنى') "
                "FROM incidents WHERE location = 'Djenne'"
            )
        )
        assert djenne.name_ar == ("جني" if n_first[0] > n_first[1] else "جنى")


def _levels(path: tuple[str, ...]) -> dict[str, Any]:
    return dict(zip(("country", "admin1", "admin2", "location"), path, strict=False))


def test_an_index_out_of_date_is_not_used(places_db, tmp_path, monkeypatch) -> None:
    """Rows added behind rasd's back: counts come from the table, not the stale index."""
    monkeypatch.setattr(region_index, "ROW_BLOCK", INDEX_BLOCK)
    monkeypatch.setattr(pager, "BLOCK", INDEX_BLOCK)
    copy = tmp_path / "changed.duckdb"
    copy.write_bytes(places_db.read_bytes())
    import duckdb

    con = duckdb.connect(str(copy))
    con.execute(
        "INSERT INTO incidents (event_id, event_date, event_type, dataset, country, admin1) "
        "VALUES ('NEW', DATE '1999-01-01', 'Battles', 'rasd', 'Mali', 'Mopti')"
    )
    assert not region_index.region_index_is_current(con)
    f = Filter(country="Mali", admin1="Mopti")
    assert IncidentPager(con, f).prepare() == len(list_incidents(con, f))
    (mopti,) = [r for r in region_children(con, Filter(), ("Mali",)) if r.name == "Mopti"]
    assert mopti.incidents == len(list_incidents(con, f))
    con.close()


def test_filters_with_more_than_places_do_not_use_the_index(places_db, monkeypatch) -> None:
    con = open_db(places_db)
    monkeypatch.setattr(region_index, "block_counts", _refuse)
    monkeypatch.setattr("db.pager.block_counts", _refuse)
    monkeypatch.setattr("db.queries.region_index_is_current", _refuse)
    f = Filter(country="Mali", admin1="Mopti", event_types=("Battles",))
    assert IncidentPager(con, f).prepare() == len(list_incidents(con, f))
    counts = region_children(con, replace(f, country=None, admin1=None), ("Mali",))
    assert sum(r.incidents for r in counts) == len(list_incidents(con, replace(f, admin1=None)))


def _refuse(*_args: object) -> None:
    raise AssertionError("the region index was asked about a filter it cannot answer")
