"""Incidents out, in the formats other tools read: CSV, JSON, Parquet and GeoJSON (for QGIS).

CSV, JSON and Parquet carry every column and import back unchanged (`rasd import incidents`).
Files appear whole or not at all: written to a temporary name, then renamed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db.columns import INCIDENT_COLUMNS
from db.queries import Filter, where

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


def format_for(path: Path, explicit: str | None) -> str:
    if explicit:
        return explicit
    suffix = path.suffix.lower().lstrip(".")
    return {"geojson": "geojson", "json": "json", "parquet": "parquet", "pq": "parquet"}.get(
        suffix, "csv"
    )


def export(con: duckdb.DuckDBPyConnection, f: Filter, out: Path, fmt: str) -> ExportResult:
    clause, params = where(f)
    columns = ", ".join(INCIDENT_COLUMNS)
    out = out.resolve()
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if fmt == "geojson":
            rows, skipped = _geojson(con, clause, params, tmp)
        else:
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE export_rows AS SELECT {columns} FROM incidents "
                f"{clause} ORDER BY event_date DESC, event_id DESC",
                params,
            )
            rows = con.execute("SELECT count(*) FROM export_rows").fetchone()[0]
            options = {"csv": "FORMAT csv, HEADER true",
                       "json": "FORMAT json, ARRAY true",
                       "parquet": "FORMAT parquet"}[fmt]  # fmt: skip
            target = str(tmp).replace("'", "''")
            con.execute(f"COPY export_rows TO '{target}' ({options})")
            con.execute("DROP TABLE export_rows")
            skipped = 0
        os.replace(tmp, out)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return ExportResult(out, rows, skipped)


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _geojson(con: duckdb.DuckDBPyConnection, clause: str, params: list, tmp: Path) -> tuple[int, int]:  # noqa: E501
    """A FeatureCollection of points ([longitude, latitude], RFC 7946), streamed in batches."""
    columns = ", ".join(INCIDENT_COLUMNS)
    skipped = con.execute(
        f"SELECT count(*) FROM incidents {clause}"
        + (" AND" if clause else " WHERE") + " (latitude IS NULL OR longitude IS NULL)",
        params,
    ).fetchone()[0]
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
                props = {c: _json_value(v) for c, v in zip(INCIDENT_COLUMNS, row, strict=True)}
                feature = {
                    "type": "Feature",
                    "id": props["event_id"],
                    "geometry": {"type": "Point",
                                 "coordinates": [props["longitude"], props["latitude"]]},
                    "properties": props,
                }  # fmt: skip
                fh.write((",\n" if rows else "") + json.dumps(feature, ensure_ascii=False))
                rows += 1
        fh.write("\n]}\n")
    return rows, skipped
