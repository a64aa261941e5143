"""A database made before an index existed gets it (the benchmark's databases, built once and
kept, lacked the sort index and sorted by scanning: 132 ms a sort at 10M instead of a few)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from db.derived import stamp_matches
from db.seed import DERIVED_TABLES, build_missing_derived
from db.sort_index import SORTED_COPY


def test_missing_derived_tables_are_built_and_present_ones_kept(db_copy: Path) -> None:
    con = duckdb.connect(str(db_copy))
    try:
        assert build_missing_derived(con) == []  # a database built today lacks nothing
        con.execute(f"DROP TABLE {SORTED_COPY}")
        con.execute("DELETE FROM meta WHERE key = 'sort_index_rows'")
        con.execute("UPDATE meta SET value = '8' WHERE key = 'search_index_rows'")  # stale
        assert not stamp_matches(con, "sort_index_rows")
        assert build_missing_derived(con) == ["search_index_rows", "sort_index_rows"]
        assert all(stamp_matches(con, stamp) for stamp, _ in DERIVED_TABLES)
        assert con.execute(f"SELECT count(*) FROM {SORTED_COPY}").fetchone() == (9,)
        assert build_missing_derived(con) == []
    finally:
        con.close()
