"""Incidents out, in the formats other tools read: CSV, JSON, Parquet and GeoJSON (for QGIS).

CSV, JSON and Parquet carry every column and import back unchanged (`rasd import incidents`).
JSON and Parquet are bundles: the first incident of each report also carries the report itself
(column `report`: every column of `sources`, its text exactly as stored), so an export imported
elsewhere shows the same Source pane; a report is written once however many incidents it has.
`evidence` is a JSON object in JSON files and JSON text elsewhere. `sources_only` writes the
reports alone, one row per report. Files appear whole or not at all: written to a temporary
name, then renamed, through db.safe_write: never over the database, a device or a FIFO; an
existing file's mode and owner kept, a new one 0644 less the umask.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from db.columns import INCIDENT_COLUMNS, json_value
from db.evidence import parse_evidence
from db.queries import SOURCE_COLUMNS, Filter, one_row, where, where_settled
from db.safe_write import Protected, atomic_path
from db.sources import source_struct_sql
from db.wording import counted

if TYPE_CHECKING:
    import duckdb

FORMATS = ("csv", "json", "parquet", "geojson")
BATCH = 10_000


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    rows: int
    skipped: int = 0
    """GeoJSON only: incidents without coordinates (a point needs them)."""
    sources: int = 0
    """Reports written (JSON and Parquet bundles, and `sources_only`)."""


def summary_line(result: ExportResult, fmt: str, sources_only: bool = False) -> str:
    """What was written, as `rasd export` and the explorer's `e` say it (the path unshown:
    callers sanitise it)."""
    if sources_only:
        return f"{counted(result.rows, 'report')} as {fmt}"
    note = f" ({result.skipped:,} without coordinates left out)" if result.skipped else ""
    if fmt in ("json", "parquet"):
        note += f" with their {counted(result.sources, 'report')}"
    elif fmt == "csv":
        note += " (reports are not in CSV: export JSON or Parquet to keep them)"
    return f"{counted(result.rows, 'incident')} as {fmt}{note}"


def format_for(path: Path, explicit: str | None) -> str:
    if explicit:
        return explicit
    suffix = path.suffix.lower().lstrip(".")
    return {"geojson": "geojson", "json": "json", "parquet": "parquet", "pq": "parquet"}.get(
        suffix, "csv"
    )


def export(
    con: duckdb.DuckDBPyConnection,
    f: Filter,
    out: Path,
    fmt: str,
    sources_only: bool = False,
    protect: Protected = (),
) -> ExportResult:
    """Write the matching incidents to `out` through db.safe_write (never over `protect`)."""
    clause, params = where_settled(con, f)
    columns = ", ".join(INCIDENT_COLUMNS)
    if sources_only and fmt == "geojson":
        raise ValueError("--sources-only writes CSV, JSON or Parquet, not GeoJSON")
    with atomic_path(out, protect=protect) as tmp:
        sources = 0
        if sources_only:
            # every report, unless a filter other than the status narrows them to its incidents'
            narrowed = where(f.without_status())[0] != ""
            wanted = (
                f"WHERE source_id IN (SELECT source_id FROM incidents {clause})" if narrowed else ""
            )
            params = params if narrowed else []
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE export_rows AS SELECT {', '.join(SOURCE_COLUMNS)} "
                f"FROM sources {wanted} ORDER BY published DESC NULLS LAST, source_id",
                params,
            )
            rows = sources = one_row(con.execute("SELECT count(*) FROM export_rows"))[0]
            skipped = 0
            _copy(con, tmp, fmt)
        elif fmt == "geojson":
            rows, skipped = _geojson(con, clause, params, tmp)
        else:
            order = "event_date DESC, event_id DESC"
            evidence = "evidence::JSON AS evidence" if fmt == "json" else "evidence"
            selected = ", ".join(
                evidence if c == "evidence" else f"i.{c}" for c in INCIDENT_COLUMNS
            )
            bundle, joins, more = "", "", []
            if fmt != "csv":  # the first incident of each report carries the report
                # a join to one row per report, not a window over every incident (10M rows)
                firsts = (
                    "SELECT source_id, max_by(event_id, (event_date, event_id)) AS event_id "
                    f"FROM incidents {clause}{' AND' if clause else ' WHERE'} "
                    "source_id IS NOT NULL GROUP BY source_id"
                )
                bundle = f", {source_struct_sql('s')} AS report"
                joins = (
                    f"LEFT JOIN ({firsts}) f ON f.event_id = i.event_id AND "
                    "f.source_id = i.source_id LEFT JOIN sources s ON s.source_id = f.source_id"
                )
                more = list(params)
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE export_rows AS SELECT {selected}{bundle} "
                f"FROM (SELECT {columns} FROM incidents {clause}) i {joins} ORDER BY {order}",
                [*params, *more],
            )
            rows, sources = one_row(
                con.execute(
                    "SELECT count(*), " + ("count(report)" if bundle else "0") + " FROM export_rows"
                )
            )
            skipped = 0
            _copy(con, tmp, fmt)
    return ExportResult(Path(os.path.realpath(out)), rows, skipped, sources)


def _copy(con: duckdb.DuckDBPyConnection, tmp: Path, fmt: str) -> None:
    """Temp table `export_rows` to `tmp` in `fmt`, by DuckDB (streamed, any size)."""
    options = {
        "csv": "FORMAT csv, HEADER true",
        "json": "FORMAT json, ARRAY true",
        "parquet": "FORMAT parquet",
    }[fmt]
    target = str(tmp).replace("'", "''")
    con.execute(f"COPY export_rows TO '{target}' ({options})")
    con.execute("DROP TABLE export_rows")


def _geojson(
    con: duckdb.DuckDBPyConnection, clause: str, params: list, tmp: Path
) -> tuple[int, int]:  # noqa: E501
    """A FeatureCollection of points ([longitude, latitude], RFC 7946), streamed in batches."""
    columns = ", ".join(INCIDENT_COLUMNS)
    skipped = one_row(
        con.execute(
            f"SELECT count(*) FROM incidents {clause}"
            + (" AND" if clause else " WHERE")
            + " (latitude IS NULL OR longitude IS NULL)",
            params,
        )
    )[0]
    located = (" AND" if clause else " WHERE") + " latitude IS NOT NULL AND longitude IS NOT NULL"
    cur = con.execute(
        f"SELECT {columns} FROM incidents {clause}{located} "
        "ORDER BY event_date DESC, event_id DESC",
        params,
    )
    rows = 0
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write('{"type": "FeatureCollection", "features": [\n')
        while batch := cur.fetchmany(BATCH):
            for row in batch:
                props = {c: json_value(v) for c, v in zip(INCIDENT_COLUMNS, row, strict=True)}
                props["evidence"] = parse_evidence(props["evidence"]) or None
                feature = {
                    "type": "Feature",
                    "id": props["event_id"],
                    "geometry": {
                        "type": "Point",
                        "coordinates": [props["longitude"], props["latitude"]],
                    },
                    "properties": props,
                }
                fh.write((",\n" if rows else "") + json.dumps(feature, ensure_ascii=False))
                rows += 1
        fh.write("\n]}\n")
    return rows, skipped
