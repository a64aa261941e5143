"""The main database as readers see it once coding is merged in (db/coding.py writes the coding).

A reader's connection is normally the main file opened read-only, and stays exactly that while
no incident is coded. With coding present, `overlaid` returns instead an in-memory database in
which every query of db/ runs unchanged:

- the main file is attached read-only as `base`, and the coding file only for the moment of
  copying its current versions (`coding_current`, a few thousand rows at most), then detached:
  the coder's next save is never blocked for longer than that copy;
- `incidents` is a view: the main table without the rows coding replaced, plus the coded
  versions. It exposes a `rowid` column, so the pager's windows by row number still work: a
  coded version keeps its main row's number when its date did not change, and otherwise (a
  new incident, a date edited) takes the number of the first main row that sorts after it, as
  if inserted there; `coding_moved` in meta tells the pager that numbers are then no longer
  dense, and it orders a window by (rowid, date, id) instead of counting rowids;
- the indexes counted per block of rows are corrected, not dropped: `region_blocks` and
  `point_blocks` are copied (≈100k rows) with the replaced rows subtracted and the coded ones
  added in their blocks; `search_blocks` gains the coded versions' words; the stamps in `meta`
  that say an index is current move to the overlaid count, so they stay trusted;
- every other table of the main file is a view of it, and any other index stamped with the
  row count (the sort index, db/sort_index.py) is marked out of date: it is scanned around;
- `sources` also holds the reports stored in the coding file (imported beside a large
  database, db/importers/report.py), copied with the versions.

Reads at ten million incidents are measured in the README ("Coding: how saves reach everyone").
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from db.appended import attach_valid, quoted
from db.columns import INCIDENT_COLUMNS
from db.derived import OVERLAY_KEY, ROW_BLOCK
from db.paths import StoreError, appended_path, coding_path
from db.region_index import BLOCK_TABLES, CORRECTED_COLUMNS, write_corrected
from db.rows import scalar

if TYPE_CHECKING:
    import duckdb

RETRY_SECONDS = 5.0
"""How long a save (or a reader's load) waits for the other side's few milliseconds."""

FILE_LOCK = threading.Lock()
"""One access to a coding file at a time within a process: DuckDB's file lock is per process,
so a reader and the coder in one process would not exclude each other."""

T = TypeVar("T")

STAMPS = (
    "region_index_rows",
    "point_index_rows",
    "sort_index_rows",
    "search_index_rows",
    "word_index_rows",
)
"""Indexes that stay trusted over coding: corrected per block here (db/sort_index.py's
fatalities copy is not: read only on the plain table), or (the word index, db/word_index.py)
asked for the main rows alone while the coded versions are scanned."""
MOVED_KEY = "coding_moved"
"""In meta when coded versions sit out of the main table's row order (see module doc)."""
CODED_RIDS = -(1 << 40)
"""Where the coded versions' `rid`s start (down): below any appended row's."""
DERIVED = ("incidents", "meta", "search_blocks", *BLOCK_TABLES)


def _is_lock_conflict(exc: duckdb.Error) -> bool:
    message = str(exc).lower()
    return "lock" in message or "conflict" in message or "already attached" in message


def with_retry(path: Path, action: Callable[[], T]) -> T:
    """`action()` retried while the file is locked by another process's brief access."""
    import duckdb

    deadline = time.monotonic() + RETRY_SECONDS
    delay = 0.005
    while True:
        try:
            with FILE_LOCK:
                return action()
        except duckdb.Error as exc:
            if not _is_lock_conflict(exc) or time.monotonic() > deadline:
                first = str(exc).splitlines()[0]
                raise StoreError(f"{path}: cannot use the coding database ({first})") from exc
        time.sleep(delay)
        delay = min(delay * 2, 0.1)


def overlaid(
    path: Path, configure: Callable[[duckdb.DuckDBPyConnection], None], coding_too: bool = True
) -> duckdb.DuckDBPyConnection | None:
    """A connection to `path` with its coding (unless not `coding_too`: the coder's view of
    the rows as imported) and appended rows merged in; None when there are neither.

    `configure` is db.store's per-connection setup (passed in: the store imports this module).
    """
    coding = coding_path(path)
    has_coding = coding_too and coding.exists() and with_retry(coding, lambda: _has_coding(coding))
    if not has_coding and not appended_path(path).exists():
        return None  # the plain table, at the plain table's cost
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        configure(con)
        con.execute(f"ATTACH {quoted(str(path))} AS base (READ_ONLY)")
        # kept attached (read-only, never copied: a million rows): an import renames a new
        # one into place, this connection keeps reading the one it opened
        appended = attach_valid(con, path, "appended")

        def copy() -> None:
            con.execute(f"ATTACH {quoted(str(coding))} AS coding (READ_ONLY)")
            try:
                con.execute(
                    "CREATE OR REPLACE TABLE coding_current AS SELECT * FROM coding.current"
                )
                if _has_table(con, "sources", "coding"):  # reports stored beside (db/coding.py)
                    con.execute(
                        "CREATE OR REPLACE TABLE coding_sources AS SELECT * FROM coding.sources"
                    )
            finally:
                con.execute("DETACH coding")

        if has_coding:
            with_retry(coding, copy)
        else:
            con.execute(
                "CREATE TABLE coding_current AS SELECT *, 0 AS revision, '' AS coded_by, "
                "NULL::TIMESTAMP AS coded_at, '' AS action, NULL::DATE AS base_date "
                "FROM base.incidents LIMIT 0"
            )
        reports = _has_table(con, "coding_sources") and scalar(
            con.execute("SELECT count(*) FROM coding_sources")
        )
        coded = scalar(con.execute("SELECT count(*) FROM coding_current"))
        if not coded and not reports and not appended:
            con.close()
            return None
        _build(con, appended)
    except BaseException:
        with contextlib.suppress(Exception):
            con.close()
        raise
    return con


def _has_table(con: duckdb.DuckDBPyConnection, table: str, database: str | None = None) -> bool:
    """Whether `database` (else the connection's own) has `table` (a coding file made before
    reports were stored in it has no `sources`)."""
    found = con.execute(
        "SELECT 1 FROM duckdb_tables() WHERE table_name = ? "
        "AND database_name = coalesce(?, current_database())",
        [table, database],
    ).fetchone()
    return found is not None


def _has_coding(coding: Path) -> bool:
    import duckdb

    con = duckdb.connect(str(coding), read_only=True)
    try:
        if con.execute("SELECT EXISTS (SELECT 1 FROM revisions)").fetchone() == (True,):
            return True
        return _has_table(con, "sources") and con.execute(
            "SELECT EXISTS (SELECT 1 FROM sources)"
        ).fetchone() == (True,)
    finally:
        con.close()


def _build(con: duckdb.DuckDBPyConnection, appended: bool) -> None:
    columns = ", ".join((*INCIDENT_COLUMNS, "search_text"))
    # the rows as imported: the main file's not replaced by appended ones, and those
    # (`origin` 0 and 1; coded versions are 2), numbered in one order (db/appended.py)
    present = f"SELECT rowid AS rowid, 0 AS origin, {columns} FROM base.incidents" + (
        " WHERE rowid NOT IN (SELECT base_rowid FROM appended.replaced) "
        f"UNION ALL SELECT vrow AS rowid, 1 AS origin, {columns} FROM appended.added"
        if appended
        else ""
    )
    con.execute(f"CREATE VIEW imported AS {present}")
    _find_touched(con)
    base_count = scalar(con.execute("SELECT count(*) FROM base.incidents"))
    ordered = (
        con.execute("SELECT 1 FROM base.meta WHERE key = 'physical_order'").fetchone() is not None
    )
    _number_rows(con, columns, ordered, base_count)
    # `rid`: one number per row (the main file's row number, else a negative one), by which a
    # search finds the rows the word index and a scan of the others hold (db/word_index.py)
    con.execute(
        f"CREATE VIEW incidents AS SELECT rowid AS rowid, rowid AS rid, 0 AS origin, {columns} "
        "FROM base.incidents WHERE rowid NOT IN "
        "(SELECT base_rowid FROM coding_touched WHERE origin = 0)"
        + (
            " AND rowid NOT IN (SELECT base_rowid FROM appended.replaced) "
            "UNION ALL SELECT vrow AS rowid, -1 - aid AS rid, 1 AS origin, "
            f"{columns} FROM appended.added "
            "WHERE event_id NOT IN (SELECT event_id FROM coding_current)"
            if appended
            else ""
        )
        + f" UNION ALL SELECT vrow AS rowid, {CODED_RIDS} - rowid AS rid, 2 AS origin, "
        f"{columns} FROM coding_rows"
    )
    count = scalar(con.execute("SELECT count(*) FROM imported"))
    count -= scalar(con.execute("SELECT count(*) FROM coding_touched"))
    count += scalar(con.execute("SELECT count(*) FROM coding_rows"))
    tables = {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'base' "
            "AND schema_name = 'main'"
        ).fetchall()
    }
    current = _meta(con, base_count, count, ordered, appended)
    blocks = "appended" if appended else "base"
    for table in BLOCK_TABLES:
        _blocks(con, table, tables, current, blocks)
    if "search_blocks" in tables:
        con.execute(
            "CREATE VIEW search_blocks AS SELECT block, word FROM base.search_blocks UNION ALL "
            f"SELECT DISTINCT vrow // {ROW_BLOCK} AS block, "
            "unnest(string_split(search_text, ' ')) AS word FROM coding_rows"
        )
    if _has_table(con, "coding_sources") and "sources" in tables:
        con.execute(
            "CREATE VIEW sources AS SELECT * FROM base.main.sources "
            "UNION ALL BY NAME SELECT * FROM coding_sources "
            # a report stored beside and later imported into the file too (an export bundle)
            "WHERE source_id NOT IN (SELECT source_id FROM base.main.sources)"
        )
        tables = tables - {"sources"}
    for table in sorted(tables - set(DERIVED)):
        con.execute(f'CREATE VIEW "{table}" AS SELECT * FROM base.main."{table}"')


def _find_touched(con: duckdb.DuckDBPyConnection) -> None:
    """`coding_touched`: the imported rows coded versions replace, with their row numbers.

    Looked for among the rows of their recorded dates (`base_date`; the table is in date order,
    so a few reports' dates are a few row groups); should that not find them all (an import
    changed a date since), among every id: one scan of ten million ids, 0.6-1.7 s.
    """
    select = (
        "CREATE OR REPLACE TABLE coding_touched AS SELECT b.rowid AS base_rowid, b.origin, "
        f"b.event_id, b.event_date, {', '.join('b.' + c for c in CORRECTED_COLUMNS)} "
        "FROM imported b "
    )
    con.execute(
        select + "WHERE b.event_date IN (SELECT base_date FROM coding_current) "
        "AND b.event_id IN (SELECT event_id FROM coding_current WHERE base_date IS NOT NULL)"
    )
    found = scalar(con.execute("SELECT count(*) FROM coding_touched"))
    wanted = scalar(con.execute("SELECT count(*) FROM coding_current WHERE base_date IS NOT NULL"))
    if found != wanted:
        con.execute(select + "SEMI JOIN coding_current c ON c.event_id = b.event_id")
        return
    # proposals stored beside the file (no main row when stored) whose report was imported
    # into the file since (an export bundle): among that report's rows, else they show twice
    both = _has_table(con, "coding_sources") and scalar(
        con.execute(
            "SELECT count(*) FROM base.main.sources "
            "WHERE source_id IN (SELECT source_id FROM coding_sources)"
        )
    )
    if both:  # rare: the scan of every row's report id runs then alone
        columns = select.removeprefix("CREATE OR REPLACE TABLE coding_touched AS ")
        con.execute(
            f"INSERT INTO coding_touched {columns}"
            "WHERE b.source_id IN (SELECT source_id FROM base.main.sources "
            "WHERE source_id IN (SELECT source_id FROM coding_sources)) "
            "AND b.event_id IN (SELECT event_id FROM coding_current WHERE base_date IS NULL)"
        )


def _number_rows(
    con: duckdb.DuckDBPyConnection, columns: str, ordered: bool, base_count: int
) -> None:
    """`coding_rows`: the coded versions, each with the row number it takes in the view."""
    con.execute(
        "CREATE TEMP TABLE coding_moved AS SELECT c.event_id, c.event_date FROM coding_current c "
        "LEFT JOIN coding_touched t ON t.event_id = c.event_id "
        "WHERE t.event_id IS NULL OR t.event_date <> c.event_date"
    )
    if ordered:  # as if inserted before the first main row that sorts after it
        con.execute(
            "CREATE TEMP TABLE coding_place AS "
            "WITH days AS (SELECT event_date, count(*) AS n FROM base.incidents "
            "WHERE event_date >= (SELECT min(event_date) FROM coding_moved) GROUP BY event_date), "
            "same_day AS (SELECT m.event_id, count(b.event_id) AS n FROM coding_moved m "
            "LEFT JOIN base.incidents b ON b.event_date = m.event_date "
            "AND b.event_id > m.event_id GROUP BY m.event_id) "
            "SELECT m.event_id, coalesce((SELECT sum(d.n) FROM days d "
            "WHERE d.event_date > m.event_date), 0) + s.n AS vrow "
            "FROM coding_moved m JOIN same_day s ON s.event_id = m.event_id"
        )
    else:  # the pager reads an unordered table by OFFSET: any number apart will do
        con.execute(
            "CREATE TEMP TABLE coding_place AS SELECT event_id, "
            f"{base_count} + row_number() OVER (ORDER BY event_id) AS vrow FROM coding_moved"
        )
    con.execute(
        f"CREATE TABLE coding_rows AS SELECT coalesce(p.vrow, t.base_rowid)::BIGINT AS vrow, "
        f"{', '.join('c.' + c for c in columns.split(', '))} FROM coding_current c "
        "LEFT JOIN coding_touched t ON t.event_id = c.event_id "
        "LEFT JOIN coding_place p ON p.event_id = c.event_id"
    )


def _meta(
    con: duckdb.DuckDBPyConnection, base_count: int, count: int, ordered: bool, appended: bool
) -> set[str]:
    """meta with the index stamps moved to the overlaid count; returns the current indexes."""
    con.execute("CREATE TABLE meta AS SELECT * FROM base.meta")
    current = set()
    stamps = dict(con.execute("SELECT key, value FROM meta").fetchall())
    if appended:  # the per-block counts are the appendix's, with both runs counted
        stamps.update(con.execute("SELECT key, value FROM appended.meta").fetchall())
    for key in STAMPS:
        if key not in stamps:
            continue
        fresh = stamps[key] == str(base_count)
        if appended and key == "search_index_rows":
            fresh = False  # its words per block are not counted for the appended rows: scanned
        if fresh:
            current.add(key)
        con.execute("DELETE FROM meta WHERE key = ?", [key])
        con.execute("INSERT INTO meta VALUES (?, ?)", [key, str(count) if fresh else "-1"])
    # any other index stamped with the row count (db/sort_index.py's) is not corrected here:
    # marked out of date, its queries scan the overlaid rows instead
    con.execute(
        "UPDATE meta SET value = '-1' WHERE suffix(key, '_rows') AND NOT list_contains(?, key)",
        [list(STAMPS)],
    )
    con.execute(
        "UPDATE meta SET value = (SELECT string_agg(DISTINCT s, ',' ORDER BY s) FROM "
        "(SELECT unnest(string_split(value, ',')) AS s UNION SELECT status FROM coding_rows"
        + (" UNION SELECT DISTINCT status FROM appended.added" if appended else "")
        + ") WHERE s <> '') WHERE key = 'statuses'"
    )
    moved = scalar(con.execute("SELECT count(*) FROM coding_moved"))
    if appended:
        moved += scalar(con.execute("SELECT count(*) FROM appended.added"))
    con.execute("INSERT INTO meta VALUES (?, ?)", [OVERLAY_KEY, str(count)])
    if ordered and moved:
        con.execute("INSERT INTO meta VALUES (?, ?)", [MOVED_KEY, str(moved)])
    return current


def _blocks(
    con: duckdb.DuckDBPyConnection, table: str, tables: set[str], current: set[str], source: str
) -> None:
    """A per-block count table with the replaced rows taken out and the coded ones put in,
    from `source`'s (the main file's, or the appendix's that counts both runs)."""
    if table not in tables:
        return
    if BLOCK_TABLES[table][0] not in current:
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM base.{table}")
        return
    write_corrected(con, table, source, ("coding_touched", "base_rowid"), ("coding_rows", "vrow"))


def overlay_state(con: duckdb.DuckDBPyConnection) -> tuple[bool, bool]:
    """(coding merged in, row numbers no longer dense and unique): with coding, a scan no longer
    returns rows in row order, so a window must say ORDER BY rowid (db/pager.py)."""
    keys = {
        r[0]
        for r in con.execute(
            "SELECT key FROM meta WHERE key IN (?, ?)", [OVERLAY_KEY, MOVED_KEY]
        ).fetchall()
    }
    return OVERLAY_KEY in keys, MOVED_KEY in keys


def rows_moved(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether row numbers are no longer dense and unique (coded versions out of place)."""
    return overlay_state(con)[1]


@dataclass(frozen=True, slots=True)
class Audit:
    """Who coded an incident last, when (UTC), and how many coded versions it has had."""

    coded_by: str | None
    coded_at: dt.datetime | None
    revision: int
    """0: as imported, never coded."""


def coding_audit(con: duckdb.DuckDBPyConnection, event_id: str) -> Audit:
    """The audit of one incident on a reader's connection (`rasd show`)."""
    has_coding = con.execute(
        "SELECT 1 FROM duckdb_tables() WHERE table_name = 'coding_current' "
        "AND database_name = current_database()"
    ).fetchone()
    if has_coding is None:
        return Audit(None, None, 0)
    row = con.execute(
        "SELECT coded_by, coded_at, revision, action FROM coding_current WHERE event_id = ?",
        [event_id],
    ).fetchone()
    if row is None or row[3] == "import":  # a report's proposal stored beside: nobody coded it
        return Audit(None, None, 0)
    return Audit(row[0], row[1], int(row[2]))
