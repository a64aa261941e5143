"""Every answer the explorer's queries give for some filters: two databases that should show
the same incidents (one with coding or appended rows merged in, one with them written into
the file) must give equal lists (tests/coding/test_overlay.py, tests/importers/test_appended.py)."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from db.map_queries import filter_extent
from db.pager import IncidentPager
from db.queries import (
    Filter,
    count_incidents,
    counts_over_time,
    region_children,
    status_counts,
    summary,
)
from db.sort_index import SORT_KEYS, Sort, SortedPager

TREE_PATHS = ((), ("Mali",), ("Mali", "Mopti"), ("Mali", "Gao", "Ansongo"))


def every_answer(con: duckdb.DuckDBPyConnection, filters: Sequence[Filter]) -> list:
    """Counts, the tree, windows at every depth in both orders, the head, counts over time, the
    map's extent and every sort, for each filter."""
    out: list = [status_counts(con), summary(con), summary(con, Filter())]
    for f in filters:
        p = IncidentPager(con, f)
        total = p.prepare()
        out.append((f, total, count_incidents(con, f)))
        out.append(p.window(0, total))
        out.append([p.window(o, 7) for o in range(0, total, 41)])
        out.append(IncidentPager(con, f, "asc").window(3, 40))
        out.append(p.head(20))
        out.append(counts_over_time(con, f))
        out.append(filter_extent(con, f))
        for path in TREE_PATHS:
            out.append(region_children(con, f, path))
        for key in SORT_KEYS[1:]:
            for order in ("desc", "asc"):
                s = SortedPager(con, f, Sort(key, order))
                out.append((key, order, s.prepare(), s.window(0, total), s.window(total // 3, 9)))
    return out
