"""Builds the default database from the curated seed file `db/data/seed.json`.

No incident is written in Python: the JSON file is the record, readable and reviewable on its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from db.appended import new_generation
from db.columns import INCIDENT_COLUMNS, search_text
from db.derived import stamp_matches
from db.overlay import overlay_state
from db.places import canonical_admin1
from db.point_index import build_point_index
from db.region_index import build_region_index
from db.rows import scalar
from db.search_index import build_search_index
from db.sort_index import build_sort_index
from db.store import atomic_database, incidents_ddl
from db.word_index import STAMP as WORD_STAMP
from db.word_index import build_word_index

SEED_DATASET = "rasd"
PHYSICAL_ORDER = "event_date DESC, event_id DESC"
"""The default chronology order, kept physically so that windows are rowid ranges (db/pager.py)."""


@cache
def seed_document() -> dict[str, Any]:
    """The curated seed file, parsed."""
    text = (resources.files("db") / "data" / "seed.json").read_text(encoding="utf-8")
    return json.loads(text)


def source_text(file_name: str) -> str:
    """A bundled report, exactly as received."""
    raw = (resources.files("db") / "data" / file_name).read_bytes()
    return raw.decode("utf-8")


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def load_seed(con: duckdb.DuckDBPyConnection) -> int:
    """Insert the seed sources and incidents; returns the number of incidents."""
    doc = seed_document()
    texts: dict[str, str] = {}
    for src in doc["sources"]:
        text = source_text(src["file"])
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if digest != src["sha256"]:
            raise ValueError(f"seed report {src['file']} changed: sha256 {digest}")
        texts[src["source_id"]] = text
        con.execute(
            "INSERT INTO sources (source_id, title, outlet, dateline_place, published, language, "
            "text, sha256, format, file_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'seed', ?)",
            [
                src["source_id"],
                src["title"],
                src["outlet"],
                src["dateline_place"],
                _date(src["published"]),
                src["language"],
                text,
                digest,
                src["file"],
            ],
        )
    rows = []
    for inc in doc["incidents"]:
        row = {c: inc.get(c) for c in INCIDENT_COLUMNS}
        row["dataset"] = SEED_DATASET
        row["status"] = "coded"
        row["admin1"] = canonical_admin1(row["admin1"])
        for key in ("event_date", "reported_date"):
            row[key] = _date(row[key])
        text = texts[inc["source_id"]]
        span = text[inc["span_start"] : inc["span_end"]]
        rows.append([row[c] for c in INCIDENT_COLUMNS] + [search_text(row, span)])
    placeholders = ", ".join("?" for _ in range(len(INCIDENT_COLUMNS) + 1))
    columns = ", ".join((*INCIDENT_COLUMNS, "search_text"))
    con.executemany(f"INSERT INTO incidents ({columns}) VALUES ({placeholders})", rows)
    order_incidents(con)
    return len(rows)


def order_incidents(
    con: duckdb.DuckDBPyConnection,
    rows_sql: str = "SELECT * FROM incidents",
    search_text: str = "s.search_text",
) -> None:
    """Make `rows_sql` the incidents table, physically in the default (newest first) order.

    Physical order makes chronology windows cheap rowid ranges (db/pager.py). The table is
    rebuilt from schema.sql's DDL, so its constraints survive; importers pass their merged
    rows here, so one sort writes the table once. `search_text` is computed from the sorted
    rows `s`: an importer folds it there, so that the sort need not carry it (half the bytes).
    """
    columns = ", ".join((*INCIDENT_COLUMNS, "search_text"))
    row_columns = ", ".join(f"s.{c}" for c in INCIDENT_COLUMNS)
    con.execute("DROP TABLE IF EXISTS incidents_next")
    con.execute(incidents_ddl("incidents_next"))
    con.execute(
        f"INSERT INTO incidents_next ({columns}) SELECT {row_columns}, {search_text} "
        f"FROM (SELECT * FROM ({rows_sql}) ORDER BY {PHYSICAL_ORDER}) s"
    )
    con.execute("DROP TABLE incidents")
    con.execute("ALTER TABLE incidents_next RENAME TO incidents")
    con.execute("INSERT OR REPLACE INTO meta VALUES ('physical_order', ?)", [PHYSICAL_ORDER])
    new_generation(con)  # row numbers of the old order mean nothing now (db/appended.py)
    for _, build in DERIVED_TABLES:
        build(con)


DERIVED_TABLES: tuple[tuple[str, Callable[[duckdb.DuckDBPyConnection], None]], ...] = (
    (WORD_STAMP, build_word_index),
    ("search_index_rows", build_search_index),  # from the word index: after it
    ("region_index_rows", build_region_index),
    ("point_index_rows", build_point_index),
    ("sort_index_rows", build_sort_index),
)
"""Every table derived from the incidents (in build order), under its meta stamp."""
DERIVED_NAMES = {
    "search_index_rows": "search index",
    WORD_STAMP: "word index",
    "region_index_rows": "region index",
    "point_index_rows": "map's point index",
    "sort_index_rows": "sort index",
}
"""What each derived table is called in messages."""


def missing_derived(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Stamps of the derived tables a database lacks or holds out of date (one made before an
    index existed answers by scanning: right, but slow).

    With coding merged in (db/overlay.py) the main file's own stamps are asked: the overlay
    marks the indexes it cannot correct out of date, which `rasd reindex` cannot change (the
    explorer told every analyst who had coded that the database was made by an older rasd).
    """
    if not overlay_state(con)[0]:
        return [stamp for stamp, _ in DERIVED_TABLES if not stamp_matches(con, stamp)]
    rows = str(scalar(con.execute("SELECT count(*) FROM base.incidents")))
    stamps = dict(con.execute("SELECT key, value FROM base.meta").fetchall())
    return [stamp for stamp, _ in DERIVED_TABLES if stamps.get(stamp) != rows]


def build_missing_derived(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Build the derived tables `missing_derived` names; returns their stamps."""
    missing = missing_derived(con)
    for stamp, build in DERIVED_TABLES:
        if stamp in missing:
            build(con)
    return missing


def build_default_database(path: Path) -> None:
    """Create the default database atomically at `path`."""
    with atomic_database(path) as con:
        load_seed(con)
