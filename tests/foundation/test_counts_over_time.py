"""Counts over time from one scan per day equal DuckDB's own date_trunc buckets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.queries import Filter, choose_bucket, counts_over_time, where
from db.rows import one_row
from db.seed import order_incidents
from db.store import atomic_database, open_db

FIRST = dt.date(1996, 12, 25)


@pytest.fixture(scope="module")
def dated_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dates") / "dated.duckdb"
    with atomic_database(path) as con:
        con.execute(
            """
            INSERT INTO incidents (event_id, event_date, event_type, country, dataset)
            SELECT 'E' || i, ?::DATE + (hash(i) % 11000)::INTEGER, 'Battles', 'Mali', 'rasd'
            FROM range(6000) t(i)
            """,
            [FIRST],
        )
        order_incidents(con)
    return path


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.integers(0, 11000),
    span=st.integers(0, 11000),
    bucket=st.sampled_from([None, "day", "week", "month", "year"]),
)
def test_buckets_equal_date_trunc(dated_db: Path, start: int, span: int, bucket) -> None:
    con = open_db(dated_db)
    lo = FIRST + dt.timedelta(days=start)
    f = Filter(date_from=lo, date_to=lo + dt.timedelta(days=span))
    chosen, series = counts_over_time(con, f, bucket)
    clause, params = where(f)
    first, last = one_row(
        con.execute(f"SELECT min(event_date), max(event_date) FROM incidents {clause}", params)
    )
    assert chosen == (bucket or choose_bucket(first, last))
    expected = dict(
        con.execute(
            f"SELECT date_trunc('{chosen}', event_date)::DATE AS b, count(*) FROM incidents "
            f"{clause} GROUP BY b",
            params,
        ).fetchall()
    )
    assert {b: n for b, n in series if n} == expected
    if series:  # every bucket between the first and the last, empty ones as 0
        assert series[0][0] == min(expected) and series[-1][0] == max(expected)
        assert len({b for b, _ in series}) == len(series)
    con.close()
