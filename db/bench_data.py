"""Benchmark databases from ../shared/bench/make_events.py output (Parquet, ACLED columns).

Large synthetic tables go straight from Parquet into a store built exactly like an import's
result (canonical regions, folded search column, date order, search index), without the CSV
detour that would dominate the benchmark's set-up time.
"""

from __future__ import annotations

from pathlib import Path

from db.columns import INCIDENT_COLUMNS
from db.importers.common import region_terms_table, search_text_sql
from db.rows import scalar
from db.seed import order_incidents
from db.store import atomic_database

NOT_IN_ACLED = {
    "source_id",
    "span_start",
    "span_end",
    "location_ar",
    "reported_date",
    "claimed_by",
    "confidence",
    "evidence",
}


def build_from_events(parquet: Path, out: Path) -> int:
    """A rasd database at `out` holding every row of a make_events Parquet file."""
    with atomic_database(out) as con:
        available = {
            r[0]
            for r in con.execute(
                "DESCRIBE SELECT * FROM read_parquet(?)", [str(parquet)]
            ).fetchall()
        }
        select = []
        for column in INCIDENT_COLUMNS:
            if column == "event_id":
                select.append("event_id_cnty AS event_id")
            elif column == "dataset":
                select.append("'acled' AS dataset")
            elif column == "status":
                select.append("'coded' AS status")
            elif column in NOT_IN_ACLED or column not in available:
                select.append(f"NULL AS {column}")
            else:
                select.append(column)
        con.execute(
            f"CREATE TEMP TABLE checked AS SELECT {', '.join(select)} FROM read_parquet(?)",
            [str(parquet)],
        )
        region_terms_table(con, "checked")
        columns = ", ".join(
            "rt.canonical AS admin1" if c == "admin1" else f"c.{c}" for c in INCIDENT_COLUMNS
        )
        con.execute(
            f"INSERT INTO incidents ({', '.join(INCIDENT_COLUMNS)}, search_text) "
            f"SELECT {columns}, {search_text_sql('c')} FROM checked c "
            "LEFT JOIN region_terms rt ON rt.name IS NOT DISTINCT FROM c.admin1"
        )
        con.execute("DROP TABLE checked")
        order_incidents(con)
        return scalar(con.execute("SELECT count(*) FROM incidents"))
