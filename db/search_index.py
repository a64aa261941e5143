"""Which blocks of rows can hold a search word, so a search scans only those.

`contains(search_text, word)` over ten million folded notes takes seconds; a word that is rare or
absent then costs as much as a common one. This table lists, for each block of 65,536 rows (in
physical order), the distinct space-separated tokens of `search_text`. A row contains a word
without spaces only if one of its tokens does, so the blocks found here are exactly the blocks
worth scanning. It is rebuilt whenever the table is re-ordered (`db.seed.order_incidents`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from db.derived import ROW_BLOCK, stamp_matches, stamp_rows
from db.place_terms import Group
from db.scratch import attach_memory
from db.word_index import BITS, COLUMNS
from db.word_index import STAMP as WORD_STAMP

if TYPE_CHECKING:
    import duckdb

MAX_RANGES = 48
"""Beyond this many separate row ranges a scan with early stop is cheaper than the ranges."""


def build_search_index(con: duckdb.DuckDBPyConnection) -> None:
    """From the word index when it is current (its common tokens' bits OR-ed per block, and
    the rare ones' few bytes: 0.3 s at 1M rows instead of 2.4 s splitting every note again)."""
    if stamp_matches(con, WORD_STAMP):
        which = " ".join(f"WHEN {c} THEN p.{name}" for c, name in enumerate(COLUMNS))
        present = ", ".join(f"bit_or({name}) AS {name}" for name in COLUMNS)
        con.execute(
            "CREATE OR REPLACE TABLE search_blocks AS "
            f"WITH per_block AS (SELECT rid // {ROW_BLOCK} AS block, {present} "
            "FROM search_rows GROUP BY block) "
            "SELECT block, word FROM ("
            "SELECT p.block, t.token AS word FROM per_block p, search_tokens t "
            f"WHERE ((CASE t.id // {BITS} {which} END) >> (t.id % {BITS})) & 1 = 1 "
            f"UNION ALL SELECT DISTINCT rid // {ROW_BLOCK} AS block, "
            "unnest(string_split(rest, ' ')) AS word FROM search_rows WHERE rest <> '') "
            "ORDER BY word"
        )
    else:
        con.execute(
            "CREATE OR REPLACE TABLE search_blocks AS SELECT block, word FROM ("
            f"SELECT DISTINCT rowid // {ROW_BLOCK} AS block, "
            "unnest(string_split(search_text, ' ')) AS word FROM incidents) ORDER BY word"
        )
    stamp_rows(con, "search_index_rows")


WORDS = "rasd_words"
"""An in-memory database attached beside the file: the blocks of each word looked up."""
BLOCKS_TABLE = f"CREATE TABLE IF NOT EXISTS {WORDS}.blocks (word VARCHAR, blocks BIGINT[])"


def _word_blocks(con: duckdb.DuckDBPyConnection, word: str) -> set[int]:
    """Blocks holding a word, looked up once per connection: the look-up scans every distinct
    token (0.3-0.7 s at 10M rows, where each event id is one), and a search asks it twice, for
    its first page and for its count. The database is opened read-only, so an answer never goes
    stale within a connection (a reload opens a new one, whose attached database is empty)."""
    attach_memory(con, WORDS, BLOCKS_TABLE)
    known = con.execute(f"SELECT blocks FROM {WORDS}.blocks WHERE word = ?", [word]).fetchone()
    if known is not None:
        return set(known[0])
    found = {
        int(b)
        for (b,) in con.execute(
            "SELECT DISTINCT block FROM search_blocks WHERE contains(word, ?)", [word]
        ).fetchall()
    }
    con.execute(f"INSERT INTO {WORDS}.blocks VALUES (?, ?)", [word, sorted(found)])
    return found


def candidate_ranges(
    con: duckdb.DuckDBPyConnection, groups: Sequence[Group]
) -> list[tuple[int, int]] | None:
    """Rowid ranges [lo, hi) that may hold rows matching every group (db/place_terms.py: one
    of its spellings, each word of it); None: scan everything."""
    if not groups or not stamp_matches(con, "search_index_rows"):
        return None
    blocks: set[int] | None = None
    for group in groups:
        found: set[int] = set()
        for spelling in group:
            found |= set.intersection(*(_word_blocks(con, w) for w in spelling))
        blocks = found if blocks is None else blocks & found
        if not blocks:
            return []
    assert blocks is not None
    ranges: list[tuple[int, int]] = []
    for b in sorted(blocks):
        lo, hi = b * ROW_BLOCK, (b + 1) * ROW_BLOCK
        if ranges and ranges[-1][1] == lo:
            ranges[-1] = (ranges[-1][0], hi)
        else:
            ranges.append((lo, hi))
    return ranges if len(ranges) <= MAX_RANGES else None


def narrowed(
    clause: str, params: list[Any], ranges: list[tuple[int, int]] | None
) -> tuple[str, list[Any]]:
    """A WHERE clause narrowed to the row ranges a search can match in (None: all rows)."""
    if ranges is None:
        return clause, params
    if not ranges:
        return "WHERE false", []
    spans = " OR ".join("(rowid >= ? AND rowid < ?)" for _ in ranges)
    bounds = [v for r in ranges for v in r]
    cond = f"({spans})"
    return (f"{clause} AND {cond}" if clause else f"WHERE {cond}"), [*params, *bounds]
