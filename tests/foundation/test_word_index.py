"""The word index answers a search exactly as scanning every note for it does."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import db.queries
import db.word_index
from db.match_summary import forget_summaries
from db.queries import Filter, count_incidents, region_children, summary_days
from db.search_index import build_search_index
from db.store import open_db
from db.word_index import (
    BESIDE,
    BITS,
    COLUMNS,
    SIGNATURE_SQL,
    build_word_index,
    signature,
    word_index,
)
from db.word_index import STAMP as WORD_STAMP

LETTERS = "abcمنك|.(é\u0301中👍\U0010ffff"


def table(texts: Sequence[str | None]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.execute("CREATE TABLE incidents (search_text VARCHAR)")
    if texts:
        con.executemany("INSERT INTO incidents VALUES (?)", [[t] for t in texts])
    return con


def both_counts(con: duckdb.DuckDBPyConnection, word: str) -> tuple[int, int]:
    """(looked up in the index, scanned for); the index read beside the rows must agree."""
    index = word_index(con)
    assert index is not None and index.aligned
    cond, params = index.condition([((word,),)])
    indexed = con.execute(f"SELECT count(*) FROM incidents WHERE {cond}", params).fetchone()
    cond, params = index.condition([((word,),)], beside=True)
    beside = con.execute(f"SELECT count(*) FROM {BESIDE} WHERE {cond}", params).fetchone()
    scanned = con.execute(
        "SELECT count(*) FROM incidents WHERE contains(search_text, ?)", [word]
    ).fetchone()
    assert indexed is not None and scanned is not None and beside == indexed
    return indexed[0], scanned[0]


tokens = st.text(alphabet=LETTERS, min_size=0, max_size=5)
texts = st.lists(tokens, max_size=8).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.one_of(texts, st.none()), min_size=1, max_size=30),
    words=st.lists(st.text(alphabet=LETTERS, min_size=1, max_size=3), min_size=1, max_size=6),
    frequent=st.integers(min_value=0, max_value=6),
)
def test_a_word_matches_the_rows_a_scan_finds(
    rows: list[str | None], words: list[str], frequent: int
) -> None:
    """Common tokens as bits, the others in `rest`, split at any point: the same rows."""
    con = table(rows)
    build_word_index(con, frequent)
    for word in words:
        indexed, scanned = both_counts(con, word)
        assert indexed == scanned, (word, rows)


def test_tokens_beyond_the_first_columns_bits_are_found() -> None:
    """Ids past 128 live in b1, b2: each column's mask is tested on its own."""
    words = [f"w{i:03d}" for i in range(3 * BITS)]
    rows = [" ".join(words[i::7]) for i in range(7)] * 3 + ["w1 rare", None, ""]
    con = table(rows)
    build_word_index(con)
    index = word_index(con)
    assert index is not None and len(index.tokens) == len(words) + 2  # the two others too
    used = con.execute(
        "SELECT count(*) FROM search_rows WHERE " + " OR ".join(f"{c} <> 0" for c in COLUMNS[1:3])
    ).fetchone()
    assert used is not None and used[0] > 0
    for word in ("w0", "w13", "w200", "w38", "w383", "rare", "w1", "x", "w"):
        indexed, scanned = both_counts(con, word)
        assert indexed == scanned, word
    assert both_counts(con, "w383") == (3, 3)


def test_a_stale_index_is_not_used_and_answers_stay_right() -> None:
    con = table(["ambush in menaka", "menaka", "ambush"])
    build_word_index(con)
    assert word_index(con) is not None
    con.execute("INSERT INTO incidents VALUES ('menaka again')")  # changed by other means
    assert word_index(con) is None


@pytest.mark.parametrize("beside", [False, True])
@pytest.mark.parametrize(
    ("search", "n"),
    [("sikasso", 3), ("سيكاسو", 3), ("كمين", 1), ("kayes", 2), ("sikasso jnim", 3), ("zzqx", 0)],
)
def test_the_panes_counts_equal_the_scans(
    db_copy: Path, search: str, n: int, beside: bool, monkeypatch
) -> None:
    """On the seed database (built with the index), counts, days and regions as before,
    whether the index's rows are looked up or read beside the incidents'."""
    monkeypatch.setattr(db.word_index, "BESIDE_SHARE", 0.0 if beside else 2.0)
    con = open_db(db_copy, read_only=True)
    try:
        f = Filter(search=search)
        assert word_index(con) is not None
        indexed = (count_incidents(con, f), summary_days(con, f), region_children(con, f))
        assert indexed[0] == n
        forget_summaries(con)
        monkeypatch.setattr(db.queries, "words_for", lambda con, groups: None)
        scanned = (count_incidents(con, f), summary_days(con, f), region_children(con, f))
        assert indexed == scanned
    finally:
        con.close()


def test_the_block_index_built_from_the_word_index_equals_the_one_from_the_notes() -> None:
    """Three blocks of rows: common tokens (bits), rare ones (rest), a row without text."""
    con = table([])
    con.execute(
        "INSERT INTO incidents SELECT CASE WHEN i = 7 THEN NULL ELSE "
        "'w' || (i % 300) || ' x' || (i % 7) || '. u' || i || ' ' || "
        "CASE WHEN i > 140000 THEN 'late' ELSE '' END END FROM range(150000) t(i)"
    )
    build_word_index(con, 200)
    build_search_index(con)  # from the word index
    derived = set(con.execute("SELECT block, word FROM search_blocks").fetchall())
    con.execute("DELETE FROM meta WHERE key = ?", [WORD_STAMP])
    build_search_index(con)  # from the notes
    direct = set(con.execute("SELECT block, word FROM search_blocks").fetchall())
    assert derived == direct - {(b, w) for b, w in direct if w == ""}
    assert (2, "late") in derived and (0, "late") not in derived
    assert (1, "u70000") in derived and (0, "w5") in derived


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(exclude_categories=["Cs"]), max_size=40))
def test_the_signature_is_the_same_in_sql_and_python(text: str) -> None:
    """A row is let through to `contains` by the signature Python computes of the word: one
    differing bit would drop a match silently."""
    con = duckdb.connect()
    row = con.execute(
        f"SELECT {SIGNATURE_SQL} FROM (SELECT list_transform(string_split(?, ''), "
        "lambda c: unicode(c)::UBIGINT) AS cps)",
        [text],
    ).fetchone()
    assert row is not None and row[0] == signature(text)
    assert all(signature(text[i : i + 3]) & ~signature(text) == 0 for i in range(len(text)))


def test_a_common_word_is_read_beside_and_a_rare_one_looked_up() -> None:
    con = table(["ambush in menaka"] * 40 + ["ambush"] * 50 + [f"report {i}" for i in range(10)])
    build_word_index(con)
    index = word_index(con)
    assert index is not None
    assert index.likely_share(con, [(("ambush",),)]) == pytest.approx(0.9)
    assert index.likely_share(con, [(("menaka",),)]) == pytest.approx(0.4)
    assert index.likely_share(con, [(("ambush",),), (("menaka",),)]) == pytest.approx(0.4)
    assert index.likely_share(con, [(("repo",),)]) == pytest.approx(0.1)
    assert index.beside(con, [(("ambush",),)])
    assert not index.beside(con, [(("zzqx",),)])


def test_the_list_of_a_search_never_looks_its_words_up_in_the_block_index(
    db_copy: Path, monkeypatch
) -> None:
    """That look-up scans every distinct word (0.3-0.7 s a word at 10M); with the word index
    the count comes from the summary and a window is bounded by the blocks that hold it."""
    import db.pager
    from db.pager import IncidentPager

    def looked_up(*_: object) -> None:
        raise AssertionError("the block index was asked")

    monkeypatch.setattr(db.pager, "candidate_ranges", looked_up)
    monkeypatch.setattr(db.pager, "HEAD_PROBE_ROWS", 1)  # the head's look-up too
    con = open_db(db_copy, read_only=True)
    try:
        pager = IncidentPager(con, Filter(search="sikasso"))
        assert len(pager.head(2)) == 2
        assert pager.prepare() == 3
        assert [r.event_id for r in pager.window(1, 2)] == [r.event_id for r in pager.head(3)][1:]
    finally:
        con.close()


def test_how_to_read_the_index_is_measured_once_per_filter_and_connection(
    db_copy: Path, monkeypatch
) -> None:
    """Every pane reads the filter's summary through it: a query of 20-40 ms at 10M each."""
    from db.derived import share_facts
    from db.word_index import WordIndex

    measured: list[object] = []
    real = WordIndex.likely_share

    def counting(self, con, groups) -> float:
        measured.append(groups)
        return real(self, con, groups)

    monkeypatch.setattr(WordIndex, "likely_share", counting)
    con = open_db(db_copy, read_only=True)
    try:
        share_facts(con, {})
        f = Filter(search="sikasso")
        assert count_incidents(con, f) == 3
        region_children(con, f)
        summary_days(con, f)
        assert len(measured) == 1
        count_incidents(con, Filter(search="kayes"))
        assert len(measured) == 2
    finally:
        con.close()


def test_lists_exports_and_totals_of_a_search_use_the_index_and_agree(
    db_copy: Path, monkeypatch
) -> None:
    """`rasd list --search`, exports and totals read the index too (the notes are stored
    compressed for size, not for scanning)."""
    from db.queries import full_incidents, list_incidents, summary

    asked: list[object] = []
    real = db.queries.words_for

    def spying(con, groups):
        asked.append(con)
        return real(con, groups)

    con = open_db(db_copy, read_only=True)
    try:
        f = Filter(search="sikasso", statuses=None)

        def answers() -> tuple[object, ...]:
            return (
                [r.event_id for r in list_incidents(con, f)],
                [r["event_id"] for r in full_incidents(con, f)],
                summary(con, f),
            )

        monkeypatch.setattr(db.queries, "words_for", spying)
        indexed = answers()
        assert len(asked) == 3 and len(indexed[0]) == 3  # type: ignore[arg-type]
        monkeypatch.setattr(db.queries, "words_for", lambda con, groups: None)
        assert answers() == indexed
    finally:
        con.close()
