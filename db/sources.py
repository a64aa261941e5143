"""Reports (the `sources` table) in and out: shared by `rasd import report`, export bundles and
`rasd import incidents`, so a report is checked the same way whichever way it arrives.

A report is identified by its text: its sha256 is checked against the text, and a report already
stored under another id is the same report (re-importing changes nothing). A different text under
an id already stored would silently move every span of that report's incidents, so it is refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from db.importers.common import ImportFailed
from db.queries import (
    SOURCE_COLUMNS,
    ReportOverview,
    Source,
    get_source,
    one_row,
    reports_overview,
)

if TYPE_CHECKING:
    import duckdb

SOURCE_TYPES: dict[str, str] = {
    "source_id": "VARCHAR",
    "title": "VARCHAR",
    "outlet": "VARCHAR",
    "dateline_place": "VARCHAR",
    "published": "DATE",
    "language": "VARCHAR",
    "text": "VARCHAR",
    "sha256": "VARCHAR",
    "url": "VARCHAR",
    "format": "VARCHAR",
    "forwarded_from": "VARCHAR",
    "encoding_note": "VARCHAR",
    "file_name": "VARCHAR",
    "imported_at": "TIMESTAMP",
}
"""`sources`' columns and types, as export bundles carry them."""
assert tuple(SOURCE_TYPES) == SOURCE_COLUMNS

SOURCE_STRUCT = "STRUCT(" + ", ".join(f'"{c}" {t}' for c, t in SOURCE_TYPES.items()) + ")"
"""The type of a bundle's `report` column (JSON and Parquet)."""


def source_struct_sql(alias: str) -> str:
    """A struct of every column of the sources row `alias`, NULL when there is none."""
    fields = ", ".join(f"'{c}': {alias}.{c}" for c in SOURCE_COLUMNS)
    return f"CASE WHEN {alias}.source_id IS NULL THEN NULL ELSE {{{fields}}} END"


def merge_sources(con: duckdb.DuckDBPyConnection, table: str, path: Path) -> tuple[int, int]:
    """Add the reports of temp table `table` (SOURCE_COLUMNS) to `sources`: (added, unchanged).

    Refused with the reason (nothing added) when a report lacks its text, title or language,
    its sha256 does not match its text, or its id is stored with another text.
    """
    bad = con.execute(
        f"SELECT source_id, CASE WHEN source_id IS NULL THEN 'a report without source_id' "
        "WHEN text IS NULL THEN 'report ' || source_id || ' has no text' "
        "WHEN title IS NULL THEN 'report ' || source_id || ' has no title' "
        "WHEN language IS NULL THEN 'report ' || source_id || ' has no language' "
        "WHEN sha256 IS DISTINCT FROM sha256(text) THEN 'report ' || source_id || "
        "': sha256 does not match its text (changed after export?)' END "
        f"FROM {table} WHERE source_id IS NULL OR text IS NULL OR title IS NULL "
        "OR language IS NULL OR sha256 IS DISTINCT FROM sha256(text) LIMIT 1"
    ).fetchone()
    if bad:
        raise ImportFailed(path, bad[1])
    twice = con.execute(
        f"SELECT source_id FROM {table} GROUP BY source_id HAVING count(DISTINCT sha256) > 1 "
        "LIMIT 1"
    ).fetchone()
    if twice:
        raise ImportFailed(path, f"report {twice[0]} appears twice with different texts")
    clash = con.execute(
        f"SELECT n.source_id FROM {table} n JOIN sources s ON s.source_id = n.source_id "
        "WHERE s.sha256 <> n.sha256 LIMIT 1"
    ).fetchone()
    if clash:
        raise ImportFailed(
            path,
            f"report {clash[0]} is stored with another text; importing it would move the spans "
            "of its incidents",
        )
    columns = ", ".join(SOURCE_COLUMNS)
    total = one_row(con.execute(f"SELECT count(DISTINCT source_id) FROM {table}"))[0]
    new = "NOT EXISTS (SELECT 1 FROM sources s WHERE s.source_id = n.source_id)"
    added = one_row(con.execute(f"SELECT count(DISTINCT source_id) FROM {table} n WHERE {new}"))[0]
    con.execute(
        f"INSERT INTO sources ({columns}) SELECT {columns} FROM (SELECT *, row_number() OVER "
        f"(PARTITION BY source_id ORDER BY sha256) AS k FROM {table}) n WHERE k = 1 AND {new}"
    )
    return int(added), int(total - added)


def read_source(db_path: Path, source_id: str) -> Source | None:
    """One report, read in a connection of its own (read-only, coding merged: db/overlay.py).

    For the coding screen, whose store writes only the coding file beside the database.
    """
    from db.store import open_db

    con = open_db(db_path)
    try:
        return get_source(con, source_id)
    finally:
        con.close()


def read_reports(db_path: Path) -> list[ReportOverview]:
    """Every report with its incidents per status, coding merged (`rasd code` with no report)."""
    from db.store import open_db

    con = open_db(db_path)
    try:
        return reports_overview(con)
    finally:
        con.close()
