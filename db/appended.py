"""Incidents imported beside a large database: a second run of rows that readers merge in.

An import into the main file rewrites it: a private copy (4.3 GB at ten million incidents),
every row re-ordered by date (the pager's windows are row ranges, db/pager.py) and every index
rebuilt; a million ACLED rows into the 10M benchmark database took 199 s. From
APPEND_FROM_ROWS incidents on, `rasd import acled|ucdp` writes what changed to
`NAME.appended.duckdb` beside it instead (db/importers/appending.py), one new file renamed
into place; the main file is only read. It holds:

- `added` (a view of runs, one per import: db/importers/appending.py): the new and changed
  incidents, each with `vrow`, the row number of the main file's
  first row that sorts after it: the row it would be inserted before. Readers give it that
  number, so both runs read as one list in date order without re-ordering either (the overlay
  numbers coded versions so too, db/overlay.py); stored in `vrow` order, so a window's row
  range reads a few of its row groups;
- `replaced`: the main file's rows those versions replace, with what the block indexes count;
- `region_blocks`, `point_blocks` and the sort index's `sort_blocks_*`: the main file's
  per-block counts with the replaced rows taken out and the added ones put in, so region
  filters, the map and sorts keep their index;
- `meta`: the main file's `generation`, a token written with every new order of its rows
  (`new_generation`, from db.seed.order_incidents): row numbers are only meaningful for that
  order, so an appendix made for another one (the file rewritten since, a copy of another
  database put in its place) is never merged in, and the next writer deletes it.

Readers merge it as they merge coding (db/overlay.py). Searches scan the appended rows' text
(the word index holds the main file's). The next import that rewrites the
file anyway (once the appended rows reach MERGE_SHARE of its rows) and `rasd reindex` fold the
appended rows into it.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from db.paths import appended_path, check_database_file
from db.rows import scalar

if TYPE_CHECKING:
    import duckdb

APPEND_FROM_ROWS = 1_000_000
"""Main files this large take imports beside them (a report's too, db/importers/report.py):
below it, rewriting the file costs seconds at most."""
MERGE_SHARE = 0.25
"""Appended rows beyond this share of the main file's are folded into it by the next import:
each search scans them (db/word_index.py)."""
GENERATION_KEY = "generation"
"""In meta: a token for the main file's current order of rows."""


def new_generation(con: duckdb.DuckDBPyConnection) -> None:
    """A new token for a new order of the incidents (db.seed.order_incidents)."""
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [GENERATION_KEY, uuid.uuid4().hex])


def generation(con: duckdb.DuckDBPyConnection, database: str | None = None) -> str | None:
    """The generation recorded in `database`'s meta (else the connection's own)."""
    table = f"{database}.meta" if database else "meta"
    row = con.execute(f"SELECT value FROM {table} WHERE key = ?", [GENERATION_KEY]).fetchone()
    return None if row is None else str(row[0])


def attach_valid(
    con: duckdb.DuckDBPyConnection, db_path: Path, alias: str, main: str | None = "base"
) -> bool:
    """Attach the appended rows of `db_path` as `alias` when they belong to the main file
    attached as `main` (None: the connection's own), by generation; an appendix made for
    another order of rows stays out."""
    path = appended_path(db_path)
    if not path.exists():
        return False
    con.execute(f"ATTACH {quoted(str(path))} AS {alias} (READ_ONLY)")
    mine = generation(con, alias)
    if mine is None or mine != generation(con, main):
        con.execute(f"DETACH {alias}")
        return False
    return True


@dataclass(frozen=True, slots=True)
class Appendix:
    """What a main file holds and what is appended beside it (`state`)."""

    base_rows: int
    ordered: bool
    generation: str | None
    valid: bool
    """An appendix for this order of rows exists."""
    added: int
    """Rows appended beside it (0 without a valid appendix)."""
    replaced: int

    @property
    def takes_appends(self) -> bool:
        """Whether an import goes beside this file rather than rewriting it."""
        return (
            self.base_rows >= APPEND_FROM_ROWS
            and self.ordered
            and self.generation is not None
            and self.added < MERGE_SHARE * self.base_rows
        )


def state(db_path: Path) -> Appendix:
    """The main file's size and order, and its valid appendix's (read-only, no overlay)."""
    import duckdb

    check_database_file(db_path)
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH {quoted(str(db_path))} AS base (READ_ONLY)")
        rows = scalar(con.execute("SELECT count(*) FROM base.incidents"))
        ordered = (
            con.execute("SELECT 1 FROM base.meta WHERE key = 'physical_order'").fetchone()
            is not None
        )
        added = replaced = 0
        valid = attach_valid(con, db_path, "appended")
        if valid:
            added = scalar(con.execute("SELECT count(*) FROM appended.added"))
            replaced = scalar(con.execute("SELECT count(*) FROM appended.replaced"))
        return Appendix(rows, ordered, generation(con, "base"), valid, added, replaced)
    finally:
        con.close()


def quoted(text: str) -> str:
    """`text` as an SQL string literal (ATTACH takes no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def remove_stale(db_path: Path) -> None:
    """Delete an appendix that no longer belongs to the main file (folded into it, or made
    for an order of rows it no longer has); a valid one stays."""
    path = appended_path(db_path)
    if not path.exists() or state(db_path).valid:
        return
    for stale in (path, Path(f"{path}.wal")):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(stale)
