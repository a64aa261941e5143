"""Which incidents hold a search word, found without reading their notes.

A search scanned `contains(search_text, word)` over every folded note: 6 GB at ten million
incidents, 2.5-4.5 s for one word, and the block index (db/search_index.py) cannot help a word
found in every block. Most of those bytes are a few words: the 1,024 commonest tokens are 97 %
of the benchmark's notes, and 68 % and 79 % of the notes of the two real ACLED samples in
../shared (where the rest, and the scan of it, is then about a quarter of the notes).

So each row of `search_rows` (one per incident, `rid` its rowid) holds:
- `b0`..`b7`: 128 bits each, one per common token (`search_tokens`, its id), set when the row's
  search text has that token;
- `rest`: the row's other tokens, space-separated;
- `rest_sig`: 64 bits, one per hash of each pair of adjacent characters in `rest`.

A word without spaces is in a row's search text exactly when one of its space-separated tokens
contains it (the search splits on spaces; db/search_index.py relies on the same), so:

    contains(search_text, w)  ==  (b_i & mask_i) <> 0 for the common tokens holding w
                                  OR contains(rest, w)

and a search reads a few narrow columns (about a tenth of the bytes) instead of the notes.
`rest` holds each row's event id, so `contains(rest, w)` still ran on every row (0.25 s a word
at 10M); a row whose `rest` holds `w` has every character pair of `w`, so the signature test
`(rest_sig & sig(w)) = sig(w)` passes it, and lets through about 1 row in 1,000 that lacks it:
`contains` then runs on those alone. The common tokens are found on a sample of the rows; any
choice gives the same answers, only the speed depends on it. The index is rebuilt whenever the
table is re-ordered (`db.seed.order_incidents`) and is trusted only while its stamp matches
(else: the scan).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from db.derived import known_fact, stamp_matches, stamp_rows
from db.overlay import overlay_state
from db.place_terms import Group
from db.rows import scalar

if TYPE_CHECKING:
    import duckdb

STAMP = "word_index_rows"
ALIGNED = "word_index_aligned"
FREQUENT = 1024
"""Common tokens given a bit: 97 % of the benchmark's bytes; more bits cost build time."""
BITS = 128
COLUMNS = tuple(f"b{c}" for c in range(FREQUENT // BITS))
SAMPLED_ROWS = 100_000
"""Rows the common tokens are counted on (a system sample beyond it): 0.2 s; 500,000 took 1.2 s
of every import and left 3 % fewer bytes to `rest` (1M benchmark rows)."""
CHUNK = 1 << 20
"""Rows grouped at once while building (bounded memory at any size)."""
_PRIME = 4294967291
_GOLDEN = 2654435761
"""The character-pair hash: (a * 65599 + b) mod a prime below 2^32, times Knuth's multiplier,
bits 16-21; every step stays within 64 bits for any code point, in SQL as in Python."""
SIGNATURE_SQL = (
    "coalesce(list_aggregate(list_transform(list_zip(cps[1:-2], cps[2:]), "
    f"lambda p: 1::UBIGINT << (((((p[1] * 65599 + p[2]) % {_PRIME}) * {_GOLDEN}) >> 16) % 64)), "
    "'bit_or'), 0::UBIGINT)"
)
"""`rest_sig` of the code points `cps` of a row's rest."""


def signature(text: str) -> int:
    """SIGNATURE_SQL in Python: the bits a row's `rest_sig` has if its rest contains `text`."""
    bits = 0
    for a, b in zip(text, text[1:], strict=False):
        bits |= 1 << (((((ord(a) * 65599 + ord(b)) % _PRIME) * _GOLDEN) >> 16) % 64)
    return bits


def build_word_index(con: duckdb.DuckDBPyConnection, frequent: int = FREQUENT) -> None:
    rows = scalar(con.execute("SELECT count(*) FROM incidents"))
    percent = 100.0 * SAMPLED_ROWS / rows if rows else 100.0
    sample = f"USING SAMPLE {percent:.4f} PERCENT (system, 7)" if percent < 100 else ""
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
        # `rest` uncompressed: its bytes are read for nearly every vector of rows (some row
        # in each passes the signature), and decoding them was two thirds of a search's scan
        # (10M: 155 -> 45 ms a word, for 106 MB more)
        + ", rest VARCHAR USING COMPRESSION uncompressed, rest_sig UBIGINT)"
    )
    for lo in range(0, rows, CHUNK):
        # a row without text keeps its place (one empty token): the rows stay beside the
        # incidents, row for row, for the positional join
        con.execute(
            f"INSERT INTO search_rows SELECT * EXCLUDE (cps), {SIGNATURE_SQL} FROM ("
            "SELECT *, list_transform(string_split(rest, ''), lambda c: unicode(c)::UBIGINT) "
            f"AS cps FROM (SELECT rid, {bits}, "
            "coalesce(string_agg(token, ' ') FILTER (WHERE id IS NULL AND token <> ''), '') "
            "AS rest FROM (SELECT rid, token, id FROM ("
            "SELECT rowid AS rid, unnest(string_split(coalesce(search_text, ''), ' ')) AS token "
            "FROM incidents WHERE rowid >= ? AND rowid < ?) "
            "LEFT JOIN search_tokens USING (token)) GROUP BY rid)) ORDER BY rid",
            [lo, lo + CHUNK],
        )
    aligned = scalar(
        con.execute(
            "SELECT count(*) FILTER (WHERE i.rowid IS DISTINCT FROM s.rid) = 0 "
            "FROM incidents i POSITIONAL JOIN search_rows s"
        )
    )
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [ALIGNED, "yes" if aligned else "no"])
    stamp_rows(con, STAMP)


SHARE_SPANS = 16
SHARE_SPAN = 2048
"""Rows the share of matches is measured on: 16 runs of 2,048 spread over the table."""
BESIDE = (
    "(SELECT i.rowid AS rowid, i.*, s.* EXCLUDE (rid) "
    "FROM incidents i POSITIONAL JOIN search_rows s)"
)
"""The incidents with their word index columns, row for row (`WordIndex.aligned`)."""
BESIDE_SHARE = 0.1


def scan_condition(groups: Sequence[Group]) -> tuple[str, list[Any]]:
    """The rows holding one spelling of every group, by scanning their search text."""
    conds: list[str] = []
    params: list[Any] = []
    for group in groups:
        spellings = (" AND ".join("contains(search_text, ?)" for _ in s) for s in group)
        conds.append("(" + " OR ".join(f"({s})" for s in spellings) + ")")
        params.extend(w for s in group for w in s)
    return " AND ".join(conds), params


@dataclass(frozen=True)
class WordIndex:
    """A database's common tokens (by id), to write a search as bit tests and a short scan."""

    tokens: tuple[str, ...]
    rows: int
    aligned: bool
    """`search_rows` is row for row beside `incidents` (checked when built)."""
    overlaid: bool = False
    """Coding or appended rows are merged in (db/overlay.py): the index holds the main file's
    rows, looked up by their row numbers; the coded versions (a few thousand at most) and the
    appended rows (db/appended.py, up to a quarter of the main file's) are scanned."""

    def _common(self, word: str) -> list[int]:
        return [i for i, token in enumerate(self.tokens) if word in token]

    def _any_of(self, words: Sequence[str]) -> tuple[str, list[Any]]:
        """Rows holding one of `words`: every bit test first (DuckDB stops at the first
        true term of an OR), one per column, then the rest's."""
        masks: dict[int, int] = {}
        for i in sorted({i for w in words for i in self._common(w)}):
            masks[i // BITS] = masks.get(i // BITS, 0) | (1 << (i % BITS))
        tests = [f"({COLUMNS[c]} & CAST(? AS UHUGEINT)) <> 0" for c in sorted(masks)]
        params: list[Any] = [str(masks[c]) for c in sorted(masks)]
        for word in words:
            sig = signature(word)
            if sig:
                tests.append(
                    "((rest_sig & CAST(? AS UBIGINT)) = CAST(? AS UBIGINT) AND contains(rest, ?))"
                )
                params.extend([str(sig), str(sig), word])
            else:
                tests.append("contains(rest, ?)")
                params.append(word)
        return "(" + " OR ".join(tests) + ")", params

    def condition(self, groups: Sequence[Group], beside: bool = False) -> tuple[str, list[Any]]:
        """The rows holding one spelling of every group (each word of it): a rowid condition,
        or with `beside` the test itself, for rows read beside theirs (`BESIDE`)."""
        conds: list[str] = []
        params: list[Any] = []
        for group in groups:
            if all(len(spelling) == 1 for spelling in group):  # a word, or a place's names
                sql, more = self._any_of([w for (w,) in group])
                conds.append(sql)
                params.extend(more)
                continue
            spellings = []
            for spelling in group:
                words = [self._any_of([w]) for w in spelling]
                spellings.append("(" + " AND ".join(sql for sql, _ in words) + ")")
                params.extend(p for _, ps in words for p in ps)
            conds.append("(" + " OR ".join(spellings) + ")")
        test = " AND ".join(conds)
        if beside:
            return f"({test})", params
        looked_up = f"rowid IN (SELECT rid FROM search_rows WHERE {test})"
        if not self.overlaid:
            return looked_up, params
        # a coded version or an appended row may share a main row's number: the index
        # answers for the main file's rows alone, their own text for the others (`origin`
        # 1 and 2: the main file's branch of the view is left out of that scan, whose notes
        # are 6 GB at 10M), and every row has its own `rid` (db/overlay.py). Asked as
        # `origin = 0 AND rowid IN (…) OR origin <> 0 AND contains(…)`, the notes of every
        # row were read: 2.0 s for a rare word at 10M with a million rows appended, 0.4 s so.
        # Two IN tests, not one of a UNION ALL: for that DuckDB hashed the view's side (OOM).
        scan, scanned = scan_condition(groups)
        return (
            f"(rid IN (SELECT rid FROM search_rows WHERE {test}) "
            f"OR rid IN (SELECT rid FROM incidents WHERE origin <> 0 AND {scan}))",
            [*params, *scanned],
        )

    def likely_share(self, con: duckdb.DuckDBPyConnection, groups: Sequence[Group]) -> float:
        """The share of rows matching in SHARE_SPANS spans of rows spread over the table (a few
        ms: the spans' row groups alone are read); how to join the index's rows (`beside`)."""
        test, params = self.condition(groups, beside=True)
        step = max(self.rows // SHARE_SPANS, SHARE_SPAN)
        starts = range(0, max(self.rows - SHARE_SPAN, 0) + 1, step)
        spans = " OR ".join("(rid >= ? AND rid < ?)" for _ in starts)
        bounds = [v for lo in starts for v in (lo, lo + SHARE_SPAN)]
        row = con.execute(
            f"SELECT count(*) FILTER (WHERE {test}), count(*) FROM search_rows WHERE {spans}",
            [*params, *bounds],
        ).fetchone()
        return row[0] / row[1] if row and row[1] else 0.0

    def beside(self, con: duckdb.DuckDBPyConnection, groups: Sequence[Group]) -> bool:
        """Whether to read the index's rows beside the incidents' (a POSITIONAL JOIN) rather
        than look the matches up (a semi-join). A count with its summary at 10M, semi-join /
        beside: a word in 8 % of the rows 0.35 / 0.5 s, in 15 % 1.4 / 1.0 s, in 32 % 3.1 /
        0.7 s, in 68 % 3.4 / 0.9 s."""
        if not self.aligned:
            return False
        # asked by every pane that reads the filter's summary: measured once per connection
        return known_fact(
            con,
            f"word_index_beside:{list(groups)!r}",
            lambda: self.likely_share(con, groups) >= BESIDE_SHARE,
        )


def word_index(con: duckdb.DuckDBPyConnection) -> WordIndex | None:
    """The database's word index, if it has one that matches its incidents (else None: scan)."""
    return known_fact(con, "word_index", lambda: _load(con))


OVERLAID_SHARE = 0.25
"""Over coding, a search in more of the rows than this scans instead: the index's row numbers
are then looked up through the overlay's view (a semi-join, no row for row read), and a summary
of every pane at 10M took 6.0 s for a word in 37 % of the rows against 2.3 s scanned; for one in
0.5-11 %, 0.4-0.5 s against 2.2-2.5 s."""


def words_for(con: duckdb.DuckDBPyConnection, groups: Sequence[Group]) -> WordIndex | None:
    """The word index to look `groups` up in, or None where a scan is faster (over coding, a
    common word) or there is no index."""
    words = word_index(con)
    if words is None or not words.overlaid or not groups:
        return words
    common = known_fact(
        con,
        f"word_index_common:{list(groups)!r}",
        lambda: words.likely_share(con, groups) >= OVERLAID_SHARE,
    )
    return None if common else words


def _load(con: duckdb.DuckDBPyConnection) -> WordIndex | None:
    if not stamp_matches(con, STAMP):
        return None
    tokens = con.execute("SELECT token FROM search_tokens ORDER BY id").fetchall()
    aligned = con.execute("SELECT value FROM meta WHERE key = ?", [ALIGNED]).fetchone()
    rows = scalar(con.execute("SELECT count(*) FROM search_rows"))
    overlaid = overlay_state(con)[0]
    # over coding `incidents` is a view: no row for row join beside it
    return WordIndex(
        tuple(t for (t,) in tokens), rows, aligned == ("yes",) and not overlaid, overlaid
    )
