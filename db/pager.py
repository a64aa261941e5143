"""Any window of a filtered, date-ordered incident list at the same small cost, at any depth.

The incidents table is kept physically in the default order (newest first; `order_incidents`), so
rowid order is date order. Without a filter a window is a rowid range. With a filter, one
aggregate query counts matches per block of rowids (a few hundred numbers even at 10 million
incidents); a window at offset N then scans only the block(s) where the N-th match lies. OFFSET on
the whole table costs seconds at depth; this costs milliseconds, and memory does not grow with
the number of incidents.
"""

from __future__ import annotations

import bisect
from itertools import accumulate
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # duckdb costs ~150 ms to import: the explorer paints first
    import duckdb

from db.derived import ROW_BLOCK
from db.overlay import overlay_state
from db.queries import (
    ROW_COLUMNS,
    Filter,
    IncidentRow,
    Order,
    is_region_only,
    list_incidents,
    search_groups,
    settle_statuses,
    summary_source,
    where,
)
from db.region_index import block_counts
from db.rows import scalar
from db.search_index import candidate_ranges, narrowed
from db.word_index import words_for

BLOCK = ROW_BLOCK
"""Rowids per block of the match index: small enough to scan in a few ms, few enough to hold."""
HEAD_PROBE_ROWS = 4 * ROW_BLOCK
"""The first rows a search's first page is looked for in before the search index is asked:
a word in one note of 2,000 fills a page there; a scan of them takes ~40 ms at most."""


def is_ordered(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether rowid order is the default order (set by `order_incidents`)."""
    row = con.execute("SELECT value FROM meta WHERE key = 'physical_order'").fetchone()
    return row is not None and row[0] == "event_date DESC, event_id DESC"


def clamp_window(total: int, offset: int, limit: int) -> tuple[int, int]:
    """(offset, limit) of a window kept inside a list of `total` rows."""
    offset = max(0, offset)
    return offset, max(0, min(limit, total - offset))


class IncidentPager:
    """Windows of one filter's matches, in either order; `total` is known after `prepare()`."""

    def __init__(self, con: duckdb.DuckDBPyConnection, f: Filter, order: Order = "desc") -> None:
        self.con = con
        self.filter = settle_statuses(con, f)
        self.order = order
        self.ordered = is_ordered(con)
        overlaid, moved = overlay_state(con)
        self.dense = self.ordered and not moved
        """Row numbers 0..n-1, one per incident; not so once coding moved rows (db/overlay.py),
        when a window is found by the blocks that hold it."""
        self.scan_ordered = not overlaid
        """A scan returns rows in row order: not over coding, whose view says ORDER BY."""
        self._blocks: list[int] = []  # block number of each non-empty block
        self._cumulative: list[int] = []  # matches before each block
        self.total = -1
        self._ranges: list[tuple[int, int]] | None = None
        self._ranges_known = False

    def _where(self) -> tuple[str, list]:
        """The filter's WHERE clause, narrowed to the row ranges a search can match in."""
        clause, params = where(self.filter)
        if not self.ordered or not self.filter.search:
            return clause, params
        if not self._ranges_known:
            self._ranges = candidate_ranges(self.con, search_groups(self.filter.search))
            self._ranges_known = True
        return narrowed(clause, params, self._ranges)

    def prepare(self) -> int:
        """Count matches per block: one scan of the table, or of the region index for places."""
        clause, params = where(self.filter)
        if not self.ordered:
            self.total = scalar(
                self.con.execute(f"SELECT count(*) FROM incidents {clause}", params)
            )
            return self.total
        if not clause and self.dense:
            # every row matches: a window is a rowid range (`_forward`), only the count is needed
            # (DuckDB keeps it; the GROUP BY over every rowid took ~0.2 s at 10M)
            self.total = scalar(self.con.execute("SELECT count(*) FROM incidents"))
            return self.total
        rows = None
        if is_region_only(self.filter):
            # the index: far fewer rows (and with no filter at all, over rows out of the main
            # file's order, db/overlay.py: 5 ms instead of 45-100 for 11M row numbers)
            rows = block_counts(self.con, clause, params, BLOCK)
        elif clause and BLOCK % ROW_BLOCK == 0:
            # a search, type, actor or date filter: its summary, shared with the other panes
            table, where_summary, summary_params = summary_source(self.con, self.filter)
            rows = [
                (int(b), int(n))
                for b, n in self.con.execute(
                    f"SELECT block // {BLOCK // ROW_BLOCK} AS b, sum(n) FROM {table} "
                    f"{where_summary} GROUP BY b ORDER BY b",
                    summary_params,
                ).fetchall()
            ]
        if rows is None:
            clause, params = self._where()
            rows = self.con.execute(
                f"SELECT rowid // {BLOCK} AS b, count(*) FROM incidents {clause} "
                "GROUP BY b ORDER BY b",
                params,
            ).fetchall()
        self._blocks = [b for b, _ in rows]
        counts = [n for _, n in rows]
        self._cumulative = [0, *accumulate(counts)]
        self.total = self._cumulative[-1]
        return self.total

    def window(self, offset: int, limit: int) -> list[IncidentRow]:
        """Rows [offset, offset + limit) of the list in this pager's order."""
        if self.total < 0:
            self.prepare()
        offset, limit = clamp_window(self.total, offset, limit)
        if limit == 0:
            return []
        if not self.ordered:
            return list_incidents(self.con, self.filter, limit, offset, self.order)
        if self.order == "desc":
            return self._forward(offset, limit)
        # ascending = the descending list read from its end, reversed
        rows = self._forward(self.total - offset - limit, limit)
        rows.reverse()
        return rows

    def head(self, limit: int) -> list[IncidentRow]:
        """The first rows in newest-first order without counting all matches first.

        A search over millions of notes takes seconds to count; its newest matches come from the
        front of the date-ordered table, so they show before the count (and `prepare`) is done.
        """
        if not self.ordered:
            return list_incidents(self.con, self.filter, limit, 0, "desc")
        if self.filter.search and not self._ranges_known:
            # a common word's newest matches lie in the first rows: found there without asking
            # the search index, whose look-up scans every distinct word (0.3-0.7 s at 10M)
            clause, params = where(self.filter)
            first = "rowid < ?"
            rows = self._head_rows(
                f"{clause} AND {first}" if clause else f"WHERE {first}",
                [*params, HEAD_PROBE_ROWS],
                limit,
            )
            if len(rows) == limit:
                return rows
        words = (
            words_for(self.con, search_groups(self.filter.search)) if self.filter.search else None
        )
        # a rare word: its rows looked up in the word index (0.1-0.3 s at 10M), else the
        # blocks its words are in scanned
        clause, params = where(self.filter, words=words) if words else self._where()
        return self._head_rows(clause, params, limit)

    def _head_rows(self, clause: str, params: list, limit: int) -> list[IncidentRow]:
        cur = self.con.execute(
            f"SELECT {', '.join(ROW_COLUMNS)} FROM incidents {clause} {self._row_order()} LIMIT ?",
            [*params, limit],
        )
        return [IncidentRow(*row) for row in cur.fetchall()]

    def _row_order(self) -> str:
        """Scan order is row order, except over coding (ties of a shared number: newest first)."""
        return "" if self.scan_ordered else "ORDER BY rowid, event_date DESC, event_id DESC"

    def _forward(self, offset: int, limit: int) -> list[IncidentRow]:
        """Rows [offset, offset + limit) in rowid (= newest first) order: the blocks that hold
        them bound the scan (the search index's ranges would add nothing)."""
        clause, params = where(self.filter)
        if not clause and self.dense:  # every row matches: the window is a rowid range
            lo, hi, skip = offset, offset + limit, 0
        else:
            first = bisect.bisect_right(self._cumulative, offset) - 1
            last = bisect.bisect_right(self._cumulative, offset + limit - 1) - 1
            lo = self._blocks[first] * BLOCK
            hi = (self._blocks[last] + 1) * BLOCK
            skip = offset - self._cumulative[first]
        bounds = "rowid >= ? AND rowid < ?"
        clause = f"{clause} AND {bounds}" if clause else f"WHERE {bounds}"
        if self.scan_ordered:
            sql = (
                f"SELECT {', '.join(ROW_COLUMNS)} FROM incidents {clause} "
                "ORDER BY rowid LIMIT ? OFFSET ?"
            )
            cur = self.con.execute(sql, [*params, lo, hi, limit, skip])
            return [IncidentRow(*row) for row in cur.fetchall()]
        # over coding the view's rows come unsorted: sort the window's keys alone, then read
        # its rows (a 65,536-row block sorted with every shown column: 68 ms at 10M; so: ~25)
        keys = (
            f"SELECT rowid AS r, event_date AS d, event_id AS e FROM incidents {clause} "
            f"{self._row_order()} LIMIT ? OFFSET ?"
        )
        columns = ", ".join(f"i.{c}" for c in ROW_COLUMNS)
        inner = clause.replace("rowid", "i.rowid")
        sql = (
            f"WITH w AS ({keys}) SELECT {columns} FROM incidents i JOIN w "
            f"ON i.rowid = w.r AND i.event_id = w.e {inner} ORDER BY w.r, w.d DESC, w.e DESC"
        )
        cur = self.con.execute(sql, [*params, lo, hi, limit, skip, *params, lo, hi])
        return [IncidentRow(*row) for row in cur.fetchall()]
