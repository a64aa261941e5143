"""Writing incidents beside a large database (what db/appended.py reads): `appending` is the
connection an import of ACLED or UCDP rows runs on instead of the main file's private copy;
`fold_into` puts appended rows back into that copy when the file is rewritten anyway."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from db.appended import GENERATION_KEY, attach_valid, quoted, state
from db.columns import INCIDENT_COLUMNS
from db.paths import appended_path, check_database_file
from db.region_index import BLOCK_TABLES, CORRECTED_COLUMNS, write_corrected
from db.rows import scalar

if TYPE_CHECKING:
    import duckdb


INCOMING_VIEW = "incidents"
"""What importers merge into (db/importers/common.py `upsert`): on an appending connection a
view of the main rows not replaced and the appended ones, so matching sees both runs."""


RUN = "run_"
"""The appended rows are kept as runs, one table per import (`run_0`, `run_1`…), each in
`vrow` order; `added` is the view of them all, with `aid`, a number per row. A later import
adds its run without copying the others (a second million took 23 s when copied in, and left
the file half again as large)."""
MAX_RUNS = 8
"""Past this many runs the next import writes them as one again (a view over many tables costs
every query its planning)."""


def is_appending(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether `con` writes an appendix (`appending`) rather than the main file's copy."""
    found = con.execute(
        "SELECT 1 FROM duckdb_tables() WHERE table_name = 'replaced' "
        "AND database_name = current_database() AND schema_name = 'main'"
    ).fetchone()
    return found is not None


def _runs(con: duckdb.DuckDBPyConnection) -> list[str]:
    names = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = 'main' AND starts_with(table_name, ?)",
            [RUN],
        ).fetchall()
    ]
    return sorted(names, key=lambda name: int(name.removeprefix(RUN)))


def _define_added(con: duckdb.DuckDBPyConnection) -> None:
    """`added`: every run, each row numbered apart (`aid`: its run in the high bits)."""
    runs = _runs(con)
    con.execute(
        "CREATE OR REPLACE VIEW added AS "
        + " UNION ALL ".join(
            f"SELECT *, rowid + {int(run.removeprefix(RUN)) << 40} AS aid FROM {run}"
            for run in runs
        )
    )


class _NothingChanged(Exception):
    """Every row read was stored already: the appendix is left as it was."""


@contextlib.contextmanager
def appending(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection that imports into a new appendix for `db_path`, renamed over the old one
    only on success, and only if anything changed (the main file is only read). Its `incidents`
    is a view: the importers' `upsert` finds it so (`is_appending`) and calls `append` instead
    of rewriting the table.

    The valid appendix so far is copied as a file (1 GB in ~1 s) and written to: copying its
    rows into a new one took a second million-row import 10 s more.
    """
    import duckdb

    from db.safe_write import atomic_path
    from db.store import IMPORT_MEMORY_LIMIT, configure, unchanged_on_failure

    check_database_file(db_path)
    target = appended_path(db_path)
    earlier = state(db_path).valid  # under the import lock: nobody replaces it meanwhile
    spill: Path | None = None
    try:
        with (
            unchanged_on_failure(db_path, "the incidents beside it"),
            atomic_path(target, suffix=".import", create=False, sidecars=(".wal",)) as tmp,
        ):
            spill = tmp.with_name(tmp.name.removesuffix(".import") + ".spill")
            if earlier:
                shutil.copyfile(target, tmp)
            con = duckdb.connect(str(tmp))
            try:
                configure(con, IMPORT_MEMORY_LIMIT)
                con.execute(f"SET temp_directory = {quoted(str(spill))}")
                con.execute(f"ATTACH {quoted(str(db_path))} AS base (READ_ONLY)")
                _start(con, fresh=not earlier)
                yield con
                if not scalar(con.execute("SELECT coalesce(sum(n), 0) FROM appended_changes")):
                    raise _NothingChanged
                finish(con)
                con.execute("CHECKPOINT")
            finally:
                con.close()
    except _NothingChanged:
        pass
    finally:
        if spill is not None:
            shutil.rmtree(spill, ignore_errors=True)


def _start(con: duckdb.DuckDBPyConnection, fresh: bool) -> None:
    """The appendix's tables (when `fresh`, else they are the copied file's) and the view
    importers merge into."""
    columns = ", ".join((*INCIDENT_COLUMNS, "search_text"))
    kept = ", ".join(CORRECTED_COLUMNS)
    if fresh:
        con.execute(
            f"CREATE TABLE {RUN}0 AS SELECT 0::BIGINT AS vrow, {columns} "
            "FROM base.incidents LIMIT 0"
        )
        _define_added(con)
        con.execute(
            "CREATE TABLE replaced AS SELECT rowid AS base_rowid, event_id, "
            f"{kept} FROM base.incidents LIMIT 0"
        )
        con.execute("CREATE TABLE meta AS SELECT * FROM base.meta WHERE key = ?", [GENERATION_KEY])
    con.execute("CREATE TEMP TABLE appended_changes (n BIGINT)")
    # dropped before the file is done (`finish`): readers attach it under another name
    con.execute(
        f"CREATE VIEW {INCOMING_VIEW} AS SELECT {columns} FROM base.incidents "
        "WHERE rowid NOT IN (SELECT base_rowid FROM replaced) "
        f"UNION ALL SELECT {columns} FROM added"
    )


def place_incoming(
    con: duckdb.DuckDBPyConnection, rows: str, writing: Callable[[], None] = lambda: None
) -> None:
    """`incoming` (what an importer merges: `rows`, every incident column and search_text) as
    a table of the appendix, each row with `vrow`: the number of the main row it sorts just
    before. Written once: as a temporary table copied into the appendix afterwards, a million
    rows took 4 s more.

    The main table is newest first, ties by id descending: the row a new one goes before is
    the same day's with the next smaller id, else the first row of an older day (the count of
    rows on or after its day); undated rows sort last. Found by an ASOF join on the main
    file's (date, id) order, from the keys alone: 1.6 s for a million rows against ten million.
    """
    total = scalar(con.execute("SELECT count(*) FROM base.incidents"))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE base_days AS SELECT event_date, "
        "sum(count(*)) OVER (ORDER BY event_date) AS upto FROM base.incidents "
        "WHERE event_date IS NOT NULL GROUP BY event_date"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE placed AS SELECT n.event_id, "
        f"coalesce(b.base_rowid, {total} - coalesce(d.upto, 0))::BIGINT AS vrow "
        f"FROM (SELECT event_id, event_date FROM ({rows})) n "
        "ASOF LEFT JOIN (SELECT rowid AS base_rowid, event_date, event_id FROM base.incidents) b "
        "ON b.event_date = n.event_date AND n.event_id > b.event_id "
        "ASOF LEFT JOIN base_days d ON n.event_date > d.event_date"
    )
    writing()
    con.execute(
        f"CREATE OR REPLACE TABLE incoming AS SELECT p.vrow, g.* FROM ({rows}) g "
        "JOIN placed p USING (event_id) ORDER BY p.vrow"
    )
    con.execute("DROP TABLE placed")
    con.execute("DROP TABLE base_days")


def append(con: duckdb.DuckDBPyConnection) -> None:
    """Keep the rows of `incoming` (`place_incoming`) listed in `fresh` (event_id, is_new) in
    the appendix: a changed incident replaces its appended version, or records the main row
    it replaces."""
    kept = ", ".join(CORRECTED_COLUMNS)
    changed = "SELECT event_id FROM fresh WHERE NOT is_new"
    runs = _runs(con)
    if scalar(con.execute("SELECT count(*) FROM fresh WHERE NOT is_new")):
        for run in runs:
            con.execute(f"DELETE FROM {run} WHERE event_id IN ({changed})")
        con.execute(
            f"INSERT INTO replaced SELECT rowid, event_id, {kept} FROM base.incidents "
            f"WHERE event_id IN ({changed}) "
            "AND rowid NOT IN (SELECT base_rowid FROM replaced)"
        )
    fresh = scalar(con.execute("SELECT count(*) FROM fresh"))
    con.execute("INSERT INTO appended_changes VALUES (?)", [fresh])
    if fresh < scalar(con.execute("SELECT count(*) FROM incoming")):  # some unchanged
        con.execute("DELETE FROM incoming WHERE event_id NOT IN (SELECT event_id FROM fresh)")
    held = scalar(con.execute("SELECT count(*) FROM added"))
    con.execute("DROP VIEW added")
    if not held:  # the first run (or every earlier row replaced since)
        for run in runs:
            con.execute(f"DROP TABLE {run}")
        con.execute(f"ALTER TABLE incoming RENAME TO {RUN}0")
    elif len(runs) >= MAX_RUNS:  # all of them written as one, in order
        every = " UNION ALL ".join(f"SELECT * FROM {run}" for run in [*runs, "incoming"])
        con.execute(f"CREATE TABLE run_next AS {every} ORDER BY vrow")
        for run in [*runs, "incoming"]:
            con.execute(f"DROP TABLE {run}")
        con.execute(f"ALTER TABLE run_next RENAME TO {RUN}0")
    else:
        last = int(runs[-1].removeprefix(RUN))
        con.execute(f"ALTER TABLE incoming RENAME TO {RUN}{last + 1}")
    _define_added(con)


def finish(con: duckdb.DuckDBPyConnection) -> None:
    """The per-block indexes with both runs counted (db/region_index.py `write_corrected`)."""
    con.execute(f"DROP VIEW {INCOMING_VIEW}")
    base_rows = str(scalar(con.execute("SELECT count(*) FROM base.incidents")))
    stamps = dict(con.execute("SELECT key, value FROM base.meta").fetchall())
    for table, (stamp, *_) in BLOCK_TABLES.items():
        if stamps.get(stamp) != base_rows:
            continue  # not current in the main file: readers scan anyway
        write_corrected(con, table, "base", ("replaced", "base_rowid"), ("added", "vrow"))
        con.execute("DELETE FROM meta WHERE key = ?", [stamp])
        con.execute("INSERT INTO meta VALUES (?, ?)", [stamp, base_rows])


def fold_into(con: duckdb.DuckDBPyConnection, db_path: Path) -> bool:
    """On the main file's writable copy (db/importers/common.py `writable_copy`): its valid
    appended rows put into the table, in place of the rows they replace. The caller re-orders
    the table (`db.seed.order_incidents`, which writes a new generation: the appendix is then
    stale, `remove_stale`). Returns whether there was anything to fold."""
    if not attach_valid(con, db_path, "appended", main=None):
        return False
    try:
        columns = ", ".join((*INCIDENT_COLUMNS, "search_text"))
        con.execute(
            "DELETE FROM incidents WHERE event_id IN (SELECT event_id FROM appended.replaced) "
            "OR event_id IN (SELECT event_id FROM appended.added)"
        )
        con.execute(f"INSERT INTO incidents ({columns}) SELECT {columns} FROM appended.added")
        return True
    finally:
        con.execute("DETACH appended")
