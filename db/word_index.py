"""Which incidents hold a search word, found without reading their notes.

A search scanned `contains(search_text, word)` over every folded note: 6 GB at ten million
incidents, 2.5-4.5 s for one word, and the block index (db/search_index.py) cannot help a word
found in every block. Most of those bytes are a few words: in the benchmark's notes the 1,024
commonest tokens are 97 % of them, in ACLED's English the commonest hundreds are most of it.

So each row of `search_rows` (one per incident, `rid` its rowid) holds:
- `b0`..`b7`: 128 bits each, one per common token (`search_tokens`, its id), set when the row's
  search text has that token;
- `rest`: the row's other tokens, space-separated.

A word without spaces is in a row's search text exactly when one of its space-separated tokens
contains it (the search splits on spaces; db/search_index.py relies on the same), so:

    contains(search_text, w)  ==  (b_i & mask_i) <> 0 for the common tokens holding w
                                  OR contains(rest, w)

and a search reads two narrow columns (about a tenth of the bytes) instead of the notes. The
common tokens are found on a sample of the rows; any choice gives the same answers, only the
speed depends on it. The index is rebuilt whenever the table is re-ordered
(`db.seed.order_incidents`) and is trusted only while its stamp matches (else: the scan).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from db.derived import known_fact, stamp_matches, stamp_rows
from db.place_terms import Group
from db.rows import scalar

if TYPE_CHECKING:
    import duckdb

STAMP = "word_index_rows"
FREQUENT = 1024
"""Common tokens given a bit: 97 % of the benchmark's bytes; more bits cost build time."""
BITS = 128
COLUMNS = tuple(f"b{c}" for c in range(FREQUENT // BITS))
SAMPLED_ROWS = 500_000
"""Rows the common tokens are counted on (a system sample beyond it: 1.2 s at 10M, not 26)."""
CHUNK = 1 << 20
"""Rows grouped at once while building (bounded memory at any size)."""


def build_word_index(con: duckdb.DuckDBPyConnection, frequent: int = FREQUENT) -> None:
    rows = scalar(con.execute("SELECT count(*) FROM incidents"))
    share = 100.0 * SAMPLED_ROWS / rows if rows else 100.0
    sample = f"USING SAMPLE {share:.4f} PERCENT (system, 7)" if share < 100 else ""
    con.execute("CREATE OR REPLACE TABLE search_tokens (id USMALLINT, token VARCHAR)")
    con.execute(
        "INSERT INTO search_tokens SELECT row_number() OVER (ORDER BY bytes DESC, token) - 1, "
        "token FROM (SELECT token, sum(strlen(token) + 1) AS bytes FROM ("
        "SELECT unnest(string_split(search_text, ' ')) AS token "
        f"FROM (SELECT search_text FROM incidents {sample})) "
        "WHERE token <> '' GROUP BY token ORDER BY bytes DESC, token LIMIT ?)",
        [min(frequent, FREQUENT)],
    )
    bits = ", ".join(
        f"coalesce(bit_or(1::UHUGEINT << (id % {BITS})) FILTER (WHERE id // {BITS} = {c}), 0) "
        f"AS {name}"
        for c, name in enumerate(COLUMNS)
    )
    con.execute(
        "CREATE OR REPLACE TABLE search_rows (rid BIGINT, "
        + ", ".join(f"{name} UHUGEINT" for name in COLUMNS)
        + ", rest VARCHAR)"
    )
    for lo in range(0, rows, CHUNK):
        con.execute(
            f"INSERT INTO search_rows SELECT rid, {bits}, "
            "coalesce(string_agg(token, ' ') FILTER (WHERE id IS NULL AND token <> ''), '') "
            "FROM (SELECT rid, token, id FROM ("
            "SELECT rowid AS rid, unnest(string_split(search_text, ' ')) AS token "
            "FROM incidents WHERE rowid >= ? AND rowid < ?) "
            "LEFT JOIN search_tokens USING (token)) GROUP BY rid ORDER BY rid",
            [lo, lo + CHUNK],
        )
    stamp_rows(con, STAMP)


@dataclass(frozen=True)
class WordIndex:
    """A database's common tokens (by id), to write a search as bit tests and a short scan."""

    tokens: tuple[str, ...]

    def _word(self, word: str) -> tuple[str, list[Any]]:
        masks: dict[int, int] = {}
        for i, token in enumerate(self.tokens):
            if word in token:
                masks[i // BITS] = masks.get(i // BITS, 0) | (1 << (i % BITS))
        tests = [f"({COLUMNS[c]} & CAST(? AS UHUGEINT)) <> 0" for c in sorted(masks)]
        params: list[Any] = [str(masks[c]) for c in sorted(masks)]
        return "(" + " OR ".join([*tests, "contains(rest, ?)"]) + ")", [*params, word]

    def condition(self, groups: Sequence[Group]) -> tuple[str, list[Any]]:
        """The rows holding one spelling of every group (each word of it): a rowid condition."""
        conds: list[str] = []
        params: list[Any] = []
        for group in groups:
            spellings = []
            for spelling in group:
                words = [self._word(w) for w in spelling]
                spellings.append("(" + " AND ".join(sql for sql, _ in words) + ")")
                params.extend(p for _, ps in words for p in ps)
            conds.append("(" + " OR ".join(spellings) + ")")
        return f"rowid IN (SELECT rid FROM search_rows WHERE {' AND '.join(conds)})", params


def word_index(con: duckdb.DuckDBPyConnection) -> WordIndex | None:
    """The database's word index, if it has one that matches its incidents (else None: scan)."""
    return known_fact(con, "word_index", lambda: _load(con))


def _load(con: duckdb.DuckDBPyConnection) -> WordIndex | None:
    if not stamp_matches(con, STAMP):
        return None
    tokens = con.execute("SELECT token FROM search_tokens ORDER BY id").fetchall()
    return WordIndex(tuple(t for (t,) in tokens))
