"""The chronology sorted by any column, any window at a small cost, at any depth.

A full sort of ten million incidents per page costs seconds. Every sort column has a small domain
(fatalities: a few hundred values; types, regions, first actors: a few hundred or thousand), and
the table is physically newest first. So the matches are counted once per (value, block of
rowids) cell: a few thousand to thirty thousand numbers even at 10M. A window at offset N finds
its cell by bisection over the cells in sort order and reads only that cell's block (65,536
rows), newest first within a value. Without a filter the cells come from `sort_blocks_*`
tables built with the incidents (db/seed.py `order_incidents`), so a sort key answers in
milliseconds at 10M; with a filter one aggregate scan counts them (as the date order does).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING, Any, Literal

from db.columns import SORT_COLUMNS, sort_table
from db.derived import ROW_BLOCK, stamp_matches, stamp_rows
from db.overlay import overlay_state
from db.pager import clamp_window
from db.queries import (
    ROW_COLUMNS,
    Filter,
    IncidentRow,
    Order,
    settle_statuses,
    where,
    where_settled,
)
from db.rows import scalar

if TYPE_CHECKING:
    import duckdb

SortKey = Literal["date", "fatalities", "type", "actor", "region"]
SORT_KEYS: tuple[SortKey, ...] = ("date", "fatalities", "type", "actor", "region")

MAX_CELL_QUERIES = 4
"""A window over more cells than this is read in one query (see `_batched`)."""


@dataclass(frozen=True, slots=True)
class Sort:
    """A chronology order: a column and a direction."""

    key: SortKey = "date"
    order: Order = "desc"

    def label(self) -> str:
        return f"{self.key} {'↓' if self.order == 'desc' else '↑'}"


SORTED_COPY = "sorted_fatalities"
"""The row columns in fatalities order: the deadliest first is the sort analysts ask for most,
and its top values are sparse (a page spans a hundred cells), so it is kept ready."""


ROW_ORDER: dict[Order, str] = {
    "desc": "rowid ASC, event_date DESC, event_id DESC",
    "asc": "rowid DESC, event_date ASC, event_id ASC",
}
"""Newest first within a value: rowid order, and date then id where coding gave two rows one
number (db/overlay.py); on a plain table rowids are unique and the rest never decides."""


def _order_sql(cols: tuple[str, ...], order: Order) -> str:
    """ORDER BY text: `desc` is values high to low, unknowns last, newest first within a value;
    `asc` is exactly its reverse."""
    if order == "desc":
        return ", ".join(f"{c} DESC NULLS LAST" for c in cols) + f", {ROW_ORDER['desc']}"
    return ", ".join(f"{c} ASC NULLS FIRST" for c in cols) + f", {ROW_ORDER['asc']}"


def build_sort_index(con: duckdb.DuckDBPyConnection) -> None:
    """Count the incidents per (value, block) for every sort key, and keep the fatalities order
    (after `order_incidents`: the cells and the copy rely on rowid being newest first)."""
    for key, cols in SORT_COLUMNS.items():
        names = ", ".join(cols)
        con.execute(
            f"CREATE OR REPLACE TABLE {sort_table(key)} AS SELECT {names}, "
            f"rowid // {ROW_BLOCK} AS block, count(*) AS n FROM incidents "
            f"GROUP BY {names}, block"
        )
    con.execute(
        f"CREATE OR REPLACE TABLE {SORTED_COPY} AS SELECT {', '.join(ROW_COLUMNS)} FROM incidents "
        f"ORDER BY {_order_sql(SORT_COLUMNS['fatalities'], 'desc')}"
    )
    stamp_rows(con, "sort_index_rows")


class SortedPager:
    """Windows of one filter's matches in one sort; `total` is known after `prepare()`."""

    def __init__(self, con: duckdb.DuckDBPyConnection, f: Filter, sort: Sort) -> None:
        assert sort.key != "date", "the date order is db.pager.IncidentPager's"
        self.con = con
        self.filter = settle_statuses(con, f)
        self.sort = sort
        self.cols = SORT_COLUMNS[sort.key]
        self._cells: list[tuple[Any, ...]] = []  # (*value, block) in sort order
        self._cumulative: list[int] = []
        self.total = -1
        clause, _ = where(self.filter)
        self._indexed = not clause and stamp_matches(con, "sort_index_rows")
        self._copy = self._indexed and sort.key == "fatalities" and not overlay_state(con)[0]
        """The fatalities order read from its sorted copy: not over coding or appended rows
        (db/overlay.py corrects the counts per cell, not the copy)."""

    def _counts(self) -> list[tuple[Any, ...]]:
        """(*value, block, n) per cell, in the `desc` order (DuckDB sorts: its collation is the
        one the windows' ORDER BY uses)."""
        clause, params = where(self.filter)
        names = ", ".join(self.cols)
        order = ", ".join(f"{c} DESC NULLS LAST" for c in self.cols) + ", block"
        if self._indexed:
            table = sort_table(self.sort.key)
            return self.con.execute(
                f"SELECT {names}, block, n FROM {table} ORDER BY {order}"
            ).fetchall()
        return self.con.execute(
            f"SELECT {names}, rowid // {ROW_BLOCK} AS block, count(*) FROM incidents {clause} "
            f"GROUP BY {names}, block ORDER BY {order}",
            params,
        ).fetchall()

    def prepare(self) -> int:
        """Count matches per (value, block) and lay the cells out in sort order."""
        if self._copy:
            self.total = scalar(self.con.execute(f"SELECT count(*) FROM {SORTED_COPY}"))
            return self.total
        counted = self._counts()
        if self.sort.order == "asc":
            counted.reverse()
        self._cells = [tuple(r[:-1]) for r in counted]
        self._cumulative = [0, *accumulate(int(r[-1]) for r in counted)]
        self.total = self._cumulative[-1]
        return self.total

    def window(self, offset: int, limit: int) -> list[IncidentRow]:
        """Rows [offset, offset + limit) in this sort: only the cells that hold them are read."""
        if self.total < 0:
            self.prepare()
        offset, limit = clamp_window(self.total, offset, limit)
        if limit == 0:
            return []
        if self._copy:
            return self._from_copy(offset, limit)
        first = bisect.bisect_right(self._cumulative, offset) - 1
        last = bisect.bisect_right(self._cumulative, offset + limit - 1) - 1
        if last - first < MAX_CELL_QUERIES:
            return self._by_cells(first, offset - self._cumulative[first], limit)
        return self._batched(first, last, offset, limit)

    def _from_copy(self, offset: int, limit: int) -> list[IncidentRow]:
        lo = offset if self.sort.order == "desc" else self.total - offset - limit
        rows = self.con.execute(
            f"SELECT {', '.join(ROW_COLUMNS)} FROM {SORTED_COPY} "
            "WHERE rowid >= ? AND rowid < ? ORDER BY rowid",
            [lo, lo + limit],
        ).fetchall()
        out = [IncidentRow(*r) for r in rows]
        if self.sort.order == "asc":
            out.reverse()
        return out

    def _cell_conditions(self, cell: tuple[Any, ...]) -> tuple[list[str], list[Any]]:
        conds, args = [], []
        for col, v in zip(self.cols, cell[:-1], strict=True):
            if v is None:
                conds.append(f"{col} IS NULL")
            else:
                conds.append(f"{col} = ?")
                args.append(v)
        conds.append("rowid >= ? AND rowid < ?")
        args += [cell[-1] * ROW_BLOCK, (cell[-1] + 1) * ROW_BLOCK]
        return conds, args

    def _by_cells(self, i: int, skip: int, limit: int) -> list[IncidentRow]:
        """A window over a few cells: one query per cell, each inside one block."""
        clause, params = where(self.filter)
        out: list[IncidentRow] = []
        while len(out) < limit and i < len(self._cells):
            conds, args = self._cell_conditions(self._cells[i])
            if clause:
                conds.insert(0, clause.removeprefix("WHERE "))
            rows = self.con.execute(
                f"SELECT {', '.join(ROW_COLUMNS)} FROM incidents WHERE {' AND '.join(conds)} "
                f"ORDER BY {ROW_ORDER[self.sort.order]} LIMIT ? OFFSET ?",
                [*params, *args, limit - len(out), skip],
            ).fetchall()
            out.extend(IncidentRow(*r) for r in rows)
            skip = 0
            i += 1
        return out

    def _batched(self, first: int, last: int, offset: int, limit: int) -> list[IncidentRow]:
        """A window over many small cells (the deadliest incidents, one or two per value): one
        query for the values they hold, skipping the cells of those values that come before."""
        cells = self._cells[first : last + 1]
        values = {c[:-1] for c in cells}
        before = sum(
            self._cumulative[k + 1] - self._cumulative[k]
            for k in range(first)
            if self._cells[k][:-1] in values
        )
        clause, params = where(self.filter)
        conds = [clause.removeprefix("WHERE ")] if clause else []
        ors, args = [], []
        for value in values:
            parts = []
            for col, v in zip(self.cols, value, strict=True):
                if v is None:
                    parts.append(f"{col} IS NULL")
                else:
                    parts.append(f"{col} = ?")
                    args.append(v)
            ors.append("(" + " AND ".join(parts) + ")")
        conds.append("(" + " OR ".join(ors) + ")")
        skip = offset - self._cumulative[first] + before
        rows = self.con.execute(
            f"SELECT {', '.join(ROW_COLUMNS)} FROM incidents WHERE {' AND '.join(conds)} "
            f"ORDER BY {_order_sql(self.cols, self.sort.order)} LIMIT ? OFFSET ?",
            [*params, *args, limit, skip],
        ).fetchall()
        return [IncidentRow(*r) for r in rows]

    def head(self, limit: int) -> list[IncidentRow]:
        return self.window(0, limit)


def sorted_position(
    con: duckdb.DuckDBPyConnection, f: Filter, sort: Sort, event_id: str
) -> int | None:
    """Where an incident sits in a sorted list (0-based), or None when it does not match.

    One numbering of the matches in the sort's exact order: a sort's worth of work, run only
    when the explorer jumps to an incident (next/previous of a report), never per page.
    """
    clause, params = where_settled(con, f)
    row = con.execute(
        f"SELECT pos FROM (SELECT event_id, row_number() OVER (ORDER BY "
        f"{_order_sql(SORT_COLUMNS[sort.key], sort.order)}) - 1 AS pos FROM incidents {clause}) "
        "WHERE event_id = ?",
        [*params, event_id],
    ).fetchone()
    return None if row is None else int(row[0])
