"""A search's one-scan summary counts exactly what a direct scan counts, in every pane.

The chronology's count, the counts over time, the region tree and the map read a search's (or a
type, actor or date filter's) counts from one shared summary (db/match_summary.py). Each is
checked here against a direct SQL count over the incidents and, for the words, against Python's
own substring test on the stored search column, on a synthetic 15k database (30 % Arabic notes)
and on the real ACLED samples.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
import pytest

from db.folding import fold
from db.geo import fit
from db.map_queries import filter_extent, map_counts
from db.match_summary import SCRATCH
from db.pager import IncidentPager
from db.queries import (
    UNKNOWN,
    Filter,
    count_incidents,
    counts_over_time,
    region_children,
    search_groups,
    where,
)
from db.rows import scalar
from db.scratch import attach_memory
from db.search_index import candidate_ranges
from db.store import open_db
from tui.cli import main as rasd_main

WORDS = [
    "كمين",  # Arabic, a common word
    "كَمِين",  # the same with harakat: folded away
    "الهجوم",
    "menaka",
    "attack",
    "armed clash",  # two words, both required
    "قتلى مدنيين",
    "Ménaka",  # accents folded
    "zzqx",  # absent
]


@pytest.fixture(scope="module")
def events_15k(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from db.bench_data import build_from_events
    from tests.conftest import shared_dir

    work = tmp_path_factory.mktemp("k15")
    parquet = work / "events.parquet"
    script = shared_dir() / "bench" / "make_events.py"
    subprocess.run(
        [sys.executable, str(script), "--rows", "15000", "--out", str(parquet)]
        + ["--format", "parquet"],
        check=True,
        capture_output=True,
    )
    path = work / "events.duckdb"
    build_from_events(parquet, path)
    return path


@pytest.fixture(scope="module")
def acled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import shared_dir

    db = tmp_path_factory.mktemp("acled") / "acled.duckdb"
    data = shared_dir() / "data" / "acled"
    files = [str(data / n) for n in ("mali-1997-2020.acled.csv", "world-2022h1-sample.acled.csv")]
    assert rasd_main(["import", "acled", *files, "--db", str(db)]) == 0
    return db


def direct(con, f: Filter, select: str = "count(*)", tail: str = "") -> list[tuple]:
    clause, params = where(f)
    return con.execute(f"SELECT {select} FROM incidents {clause} {tail}", params).fetchall()


def check_every_pane(con, f: Filter) -> int:
    """Every pane's figure for `f` against a direct scan; returns the count."""
    expected = direct(con, f)[0][0]
    assert count_incidents(con, f) == expected
    assert IncidentPager(con, f).prepare() == expected
    days = dict(direct(con, f, "event_date, count(*)", "GROUP BY event_date"))
    _, series = counts_over_time(con, f, "day")
    assert {d: n for d, n in series if n} == days
    # the tree's countries and the first country's regions, under the filter without places
    countries = region_children(con, f)
    for path in ((), *((countries[0].path,) if countries else ())):
        base = f.without_places()
        levels = ("country", "admin1")[: len(path) + 1]
        conds = " AND ".join(f"{lv} IS NOT DISTINCT FROM ?" for lv in levels[:-1])
        clause, params = where(base)
        clause = f"{clause} AND {conds}" if conds and clause else clause or f"WHERE {conds}"
        rows = con.execute(
            f"SELECT {levels[-1]}, count(*), coalesce(sum(fatalities), 0) FROM incidents "
            f"{clause} GROUP BY ALL",
            [*params, *path],
        ).fetchall()
        want = {(UNKNOWN if k is None else k): (n, d) for k, n, d in rows}
        got = {r.path[-1]: (r.incidents, r.fatalities) for r in region_children(con, f, path)}
        assert got == want, path
    extent = filter_extent(con, f)
    if expected:
        assert extent is not None
        assert map_counts(con, f, fit(extent, 76, 17)).total == expected
    return expected


@pytest.mark.parametrize("db", ["events_15k", "acled"])
def test_search_counts_equal_a_direct_scan_and_python(db: str, request) -> None:
    con = open_db(request.getfixturevalue(db))
    texts = [t for (t,) in con.execute("SELECT search_text FROM incidents").fetchall()]
    found = 0
    for text in WORDS:
        f = Filter(search=text)
        n = check_every_pane(con, f)
        groups = search_groups(text)  # a place's spellings are alternatives
        matches = sum(
            all(any(all(w in t for w in spelling) for spelling in g) for g in groups) for t in texts
        )
        assert n == matches, text
        found += n > 0
    assert found >= 3, "the words find incidents"
    assert fold("كَمِين") == "كمين"
    con.close()


def test_combined_filters_and_places(events_15k: Path) -> None:
    con = open_db(events_15k)
    mali = region_children(con, Filter())[0].path[0]
    filters = [
        Filter(search="attack", country=mali),
        Filter(search="كمين", event_types=("Battles",)),
        Filter(search="menaka", date_from=dt.date(2020, 1, 1), date_to=dt.date(2024, 12, 31)),
        Filter(actor="jnim"),
        Filter(event_types=("Protests",), country=mali, admin1="Gao"),
        Filter(search="attack", admin1=UNKNOWN),
        Filter(search="attack", statuses=("proposed",)),
    ]
    for f in filters:
        check_every_pane(con, f)
    con.close()


def test_the_panes_share_one_scan(events_15k: Path) -> None:
    """Four cursors asking at once build one summary; a region or status reuses it."""
    con = open_db(events_15k)
    f = Filter(search="attack")
    cursors = [con.cursor() for _ in range(4)]
    out: list[int] = []
    threads = [
        threading.Thread(target=lambda c=c: out.append(count_incidents(c, f))) for c in cursors
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    tables = f"SELECT count(*) FROM duckdb_tables() WHERE database_name = '{SCRATCH}'"
    assert len(out) == 4 and len(set(out)) == 1 and out[0] > 0
    assert scalar(con.execute(tables)) == 1
    region_children(con, f, ())
    counts_over_time(con, f)
    count_incidents(con, Filter(search="attack", country="Mali", statuses=("coded",)))
    assert scalar(con.execute(tables)) == 1
    count_incidents(con, Filter(search="attacks"))
    assert scalar(con.execute(tables)) == 2
    con.close()


def _at_once(
    cursors: list[duckdb.DuckDBPyConnection], work: Callable[[Any], object]
) -> list[Exception]:
    """`work(cursor)` on every cursor at the same moment; the errors they raised."""
    start = threading.Barrier(len(cursors))
    errors: list[Exception] = []

    def run(cursor: duckdb.DuckDBPyConnection) -> None:
        start.wait()
        try:
            work(cursor)
        except duckdb.Error as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(c,)) for c in cursors]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_cursors_attaching_the_scratch_database_at_once_all_succeed() -> None:
    """`ATTACH IF NOT EXISTS` from two cursors at once failed one of them ("already exists"):
    the map's count of a search then showed nothing."""
    for _ in range(30):
        con = duckdb.connect()
        assert (
            _at_once([con.cursor() for _ in range(8)], partial(attach_memory, name=SCRATCH)) == []
        )
        con.close()


def test_panes_looking_up_a_first_searchs_words_at_once_all_succeed(seed_db: Path) -> None:
    """The list and the map look a new search's words up at once: creating the table that keeps
    them from two cursors failed one ("Catalog write-write conflict", 15 rounds in 30), and the
    map showed nothing for that search."""
    for _ in range(20):
        con = open_db(seed_db, read_only=True)
        cursors = [con.cursor() for _ in range(4)]
        assert _at_once(cursors, lambda c: candidate_ranges(c, search_groups("zzzz"))) == []
        con.close()
