"""Proposals and rejected incidents: the status filter, the indexes under it, the migration."""

from __future__ import annotations

import json
import random
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db import pager, region_index, search_index
from db.evidence import FieldEvidence, decode_evidence, encode_evidence
from db.folding import fold
from db.pager import IncidentPager
from db.queries import (
    UNKNOWN,
    Filter,
    count_incidents,
    counts_over_time,
    one_row,
    region_children,
    settle_statuses,
    where,
)
from db.seed import build_default_database, order_incidents
from db.store import SCHEMA_VERSION, atomic_database, open_db
from tui.cli import main

ROWS = 3000
INDEX_BLOCK = 32
STATUSES = ("coded", "proposed", "rejected")
WORDS = ["كمين", "عبوة", "اختطاف", "قصف", "مسيرة", "jnim", "mopti"]
RARE = "نادر"
"""In a few blocks only: the search index must skip the others."""
PLACES = [
    ("Mali", "Mopti", "Djenne", "Djenne"),
    ("Mali", "Gao", "Ansongo", "Ansongo"),
    ("Mali", None, None, None),
    ("Niger", "Tillaberi", "Ouallam", "Ouallam"),
]


@pytest.fixture(scope="module")
def mixed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Coded, proposed and rejected incidents spread over places, indexed in small blocks."""
    path = tmp_path_factory.mktemp("status") / "mixed.duckdb"
    rng = random.Random(11)
    rows = []
    for i in range(ROWS):
        status = rng.choices(STATUSES, weights=(6, 3, 1))[0]
        words = fold(" ".join(rng.sample(WORDS, 2)))  # stored folded, as importers do
        if rng.random() < 0.02:
            words += " " + RARE
        rows.append(
            (f"E{i:05d}", f"E{i:05d}", *rng.choice(PLACES), rng.choice([None, 2]), status, words)
        )
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(region_index, "ROW_BLOCK", INDEX_BLOCK)
        mp.setattr(search_index, "ROW_BLOCK", INDEX_BLOCK)
        with atomic_database(path) as con:
            con.executemany(
                "INSERT INTO incidents (event_id, event_date, event_type, dataset, country, "
                "admin1, admin2, location, fatalities, status, search_text) VALUES (?, "
                "DATE '2020-01-01' + (hash(?) % 900)::INTEGER, 'Battles', 'rasd', ?, ?, ?, ?, ?, "
                "?, ?)",
                rows,
            )
            order_incidents(con)
    return path


def _scan(con: duckdb.DuckDBPyConnection, f: Filter) -> list[str]:
    clause, params = where(f)
    sql = f"SELECT event_id FROM incidents {clause} ORDER BY event_date DESC, event_id DESC"
    return [r[0] for r in con.execute(sql, params).fetchall()]


STATUS_SETS = [("coded",), ("proposed",), ("coded", "proposed")]
REGION_FILTERS = [
    {},
    {"country": "Mali"},
    {"country": "Mali", "admin1": "Mopti"},
    {"country": "Mali", "admin1": UNKNOWN},
    {"region": "ansongo"},
]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    statuses=st.sampled_from(STATUS_SETS),
    places=st.sampled_from(REGION_FILTERS),
    offset=st.integers(0, ROWS),
    limit=st.integers(1, 200),
)
def test_windows_under_a_status_filter_come_from_the_index_and_equal_a_scan(
    mixed_db, monkeypatch, statuses, places, offset, limit
):
    monkeypatch.setattr(region_index, "ROW_BLOCK", INDEX_BLOCK)
    monkeypatch.setattr(pager, "BLOCK", INDEX_BLOCK)
    asked = []
    real = region_index.block_counts
    monkeypatch.setattr(pager, "block_counts", lambda *a: asked.append(1) or real(*a))
    con = open_db(mixed_db)
    f = Filter(statuses=statuses, **places)
    p = IncidentPager(con, f)
    scan = _scan(con, f)
    assert p.prepare() == len(scan)
    assert asked  # the region index answered, status and all
    assert [r.event_id for r in p.window(offset, limit)] == scan[offset : offset + limit]
    assert all(r.status in statuses for r in p.window(offset, limit))
    con.close()


@pytest.mark.parametrize("statuses", STATUS_SETS)
@pytest.mark.parametrize("path", [(), ("Mali",), ("Mali", "Mopti")])
def test_region_counts_under_a_status_filter_equal_a_scan(mixed_db, monkeypatch, statuses, path):
    con = open_db(mixed_db)
    f = Filter(statuses=statuses)
    indexed = region_children(con, f, path)
    monkeypatch.setattr("db.queries.region_index_is_current", lambda _con: False)
    scanned = region_children(con, f, path)
    assert indexed == scanned
    levels = dict(zip(("country", "admin1", "admin2"), path, strict=False))
    assert sum(r.incidents for r in indexed) == len(_scan(con, Filter(statuses=statuses, **levels)))
    con.close()


def test_rejected_are_never_counted(mixed_db) -> None:
    con = open_db(mixed_db)
    rejected = one_row(con.execute("SELECT count(*) FROM incidents WHERE status = 'rejected'"))[0]
    assert rejected > 0
    shown = Filter(statuses=("coded", "proposed"))
    assert count_incidents(con, shown) == ROWS - rejected
    assert sum(n for _, n in counts_over_time(con, shown)[1]) == ROWS - rejected
    assert sum(r.incidents for r in region_children(con, shown)) == ROWS - rejected
    con.close()


def test_a_status_condition_is_dropped_only_when_every_incident_meets_it(mixed_db, seed_db) -> None:
    con = open_db(mixed_db)
    assert settle_statuses(con, Filter(statuses=("coded", "proposed"))).statuses is not None
    con.close()
    con = open_db(seed_db)  # all coded: no extra condition, the fast paths stay
    assert settle_statuses(con, Filter()).statuses is None
    assert settle_statuses(con, Filter(statuses=("proposed",))).statuses == ("proposed",)
    assert count_incidents(con, Filter(statuses=("proposed",))) == 0
    con.close()


def _proposals_file(seed_db: Path, tmp_path: Path, capsys) -> Path:
    """The seed's incidents again, renamed, as proposals (and one rejected)."""
    out = tmp_path / "seed.json"
    assert main(["export", str(out), "--db", str(seed_db)]) == 0
    capsys.readouterr()
    rows = json.loads(out.read_text(encoding="utf-8"))
    for i, row in enumerate(rows):
        row["event_id"] = f"P-{i}"
        row["status"] = "rejected" if i == 0 else "proposed"
        row["confidence"] = 0.5
        row["evidence"] = {"event_date": {"confidence": 0.9, "spans": [[0, 5]]}}
        row["report"] = None
    out.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return out


def test_list_info_and_export_take_status(db_copy: Path, tmp_path: Path, capsys) -> None:
    proposals = _proposals_file(db_copy, tmp_path, capsys)
    assert main(["import", "incidents", str(proposals), "--db", str(db_copy)]) == 0
    capsys.readouterr()

    def listed(*extra: str) -> list[dict]:
        assert main(["list", "--db", str(db_copy), "--format", "json", *extra]) == 0
        return json.loads(capsys.readouterr().out)

    coded, proposed, every = listed(), listed("--status", "proposed"), listed("--status", "all")
    assert len(coded) == 9 and {r["status"] for r in coded} == {"coded"}
    assert len(proposed) == 8 and {r["status"] for r in proposed} == {"proposed"}
    assert len(every) == 17
    assert proposed[0]["confidence"] == 0.5
    assert proposed[0]["evidence"] == {"event_date": {"confidence": 0.9, "spans": [[0, 5]]}}
    assert main(["list", "--db", str(db_copy), "--status", "all"]) == 0
    table = capsys.readouterr().out
    marked = [line for line in table.splitlines() if line.startswith("? ")]
    assert len(marked) == 8 and "8 proposed, not confirmed: marked ?" in table
    assert main(["info", "--db", str(db_copy), "--status", "all"]) == 0
    info = capsys.readouterr().out
    assert "incidents:  17 (all)" in info and "9 coded, 8 proposed, 1 rejected" in info
    out = tmp_path / "proposed.json"
    assert main(["export", str(out), "--db", str(db_copy), "--status", "proposed"]) == 0
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert len(exported) == 8 and exported[0]["evidence"]["event_date"]["spans"] == [[0, 5]]


def test_a_list_says_what_it_left_out(db_copy: Path, tmp_path: Path, capsys) -> None:
    """The default lists coded incidents: the proposals an import just made, and what --limit
    cut, are counted on the last line, or the list would seem to be all there is."""
    proposals = _proposals_file(db_copy, tmp_path, capsys)
    assert main(["import", "incidents", str(proposals), "--db", str(db_copy)]) == 0
    capsys.readouterr()

    def last_line(*extra: str) -> str:
        assert main(["list", "--db", str(db_copy), "--width", "100", *extra]) == 0
        return capsys.readouterr().out.splitlines()[-1]

    assert last_line() == "9 incidents; 8 proposed not listed (--status all lists them too)"
    assert last_line("--limit", "3").startswith("first 3 of 9 incidents; 8 proposed not listed")
    assert last_line("--limit", "9").startswith("9 incidents;")
    assert last_line("--status", "proposed", "--limit", "2") == (
        "first 2 of 8 incidents; 2 of those listed proposed, not confirmed: marked ?"
    )
    assert last_line("--status", "all") == "17 incidents (8 proposed, not confirmed: marked ?)"
    assert last_line("--search", "no such word anywhere") == "0 incidents"


def test_version_1_database_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "v1.duckdb"
    build_default_database(path)
    con = duckdb.connect(str(path))
    for column in ("status", "confidence", "evidence"):
        con.execute(f"ALTER TABLE incidents DROP COLUMN {column}")
    for column in ("url", "format", "forwarded_from", "encoding_note", "file_name", "imported_at"):
        con.execute(f"ALTER TABLE sources DROP COLUMN {column}")
    con.execute("ALTER TABLE region_blocks DROP COLUMN status")
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.close()
    con = open_db(path)
    try:
        version = one_row(con.execute("SELECT value FROM meta WHERE key = 'schema_version'"))
        assert version[0] == str(SCHEMA_VERSION) == "2"
        assert con.execute("SELECT status, count(*) FROM incidents GROUP BY ALL").fetchall() == [
            ("coded", 9)
        ]
        assert count_incidents(con, Filter()) == 9
        assert con.execute("SELECT count(*) FROM region_blocks WHERE status = 'coded'").fetchone()
    finally:
        con.close()


spans = st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 500)), max_size=4).map(
    lambda xs: tuple((a, a + n) for a, n in xs)
)


@given(
    st.dictionaries(
        st.sampled_from(["event_date", "admin1", "fatalities", "actor1"]),
        st.tuples(st.one_of(st.none(), st.floats(0, 1)), spans),
        max_size=4,
    )
)
def test_evidence_round_trips(fields) -> None:
    evidence = {k: FieldEvidence(c, s) for k, (c, s) in fields.items()}
    decoded = decode_evidence(encode_evidence(evidence))
    assert decoded.keys() == evidence.keys()
    for key, ev in evidence.items():
        assert decoded[key].spans == ev.spans
        if ev.confidence is None:
            assert decoded[key].confidence is None
        else:
            assert abs(decoded[key].confidence - ev.confidence) < 1e-4  # type: ignore[operator]


def test_malformed_evidence_is_left_out_not_raised() -> None:
    assert decode_evidence("not json") == {}
    assert decode_evidence('{"admin1": {"spans": [[5, 2], "x", [1, 2]]}}') == {
        "admin1": FieldEvidence(None, ((1, 2),))
    }


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    statuses=st.sampled_from(STATUS_SETS),
    word=st.sampled_from([*WORDS, RARE]),
    offset=st.integers(0, ROWS // 2),
    limit=st.integers(1, 200),
)
def test_a_search_under_a_status_filter_equals_a_scan(
    mixed_db, monkeypatch, statuses, word, offset, limit
):
    """The search index narrows the rows to scan; the status still decides which match."""
    monkeypatch.setattr(pager, "BLOCK", INDEX_BLOCK)
    monkeypatch.setattr(search_index, "ROW_BLOCK", INDEX_BLOCK)
    con = open_db(mixed_db)
    f = Filter(statuses=statuses, search=word)
    ranges = search_index.candidate_ranges(con, [((fold(word),),)])
    assert ranges is not None  # the index answered
    if word == RARE:
        assert sum(hi - lo for lo, hi in ranges) < ROWS // 2  # and skipped most rows
    p = IncidentPager(con, f)
    scan = _scan(con, f)
    assert p.prepare() == len(scan) > 0
    assert [r.event_id for r in p.window(offset, limit)] == scan[offset : offset + limit]
    assert [r.event_id for r in p.head(limit)] == scan[:limit]
    con.close()
