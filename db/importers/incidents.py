"""rasd's own incident files: exactly what `rasd export` writes (CSV, JSON or Parquet).

Columns are read with the store's own types, so an export imported again is the same data:
dates, NULLs, floats and Arabic text unchanged. JSON and Parquet bundles carry the reports of
their incidents (column `report`, see db/export.py), which are restored with them; a file of
reports alone (`rasd export --sources-only`) restores just the reports.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from db.columns import INCIDENT_COLUMNS
from db.importers.common import (
    CsvInput,
    ImportFailed,
    ImportSummary,
    Reject,
    StepFn,
    check_input_file,
    merge_staged,
    no_step,
    read_csv_file,
)
from db.queries import one_row
from db.sources import SOURCE_STRUCT, SOURCE_TYPES, merge_sources

FORMATS = ("csv", "json", "parquet")
MAX_JSON_OBJECT = 1 << 27
"""A bundle's object holds a whole report: DuckDB's 16 MB default is too small for some."""


def column_types(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    rows = con.execute("DESCRIBE incidents").fetchall()
    return {name: kind for name, kind, *_ in rows if name in INCIDENT_COLUMNS}


def detect_format(path: Path) -> str:
    name = path.name.lower().removesuffix(".gz")
    for fmt in FORMATS:
        if name.endswith("." + fmt):
            return fmt
    with path.open("rb") as fh:
        head = fh.read(4)
    if head == b"PAR1":
        return "parquet"
    return "json" if head.lstrip()[:1] in (b"[", b"{") else "csv"


def import_incidents(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    workdir: Path,
    skip_invalid: bool = False,
    step: StepFn = no_step,
) -> ImportSummary:
    summary = ImportSummary(str(path), step)
    summary.phase("read")
    check_input_file(path)
    fmt = detect_format(path)
    types = column_types(con)
    csv_rejects: list[Reject] = []
    source: CsvInput | None = None
    try:
        if fmt != "csv" and _is_sources_file(con, path, fmt):
            return _import_sources(con, path, fmt, summary)
        if fmt == "csv":
            source, csv_rejects = read_csv_file(con, path, workdir, summary)
        elif fmt == "json":
            columns = _struct(types)[:-1] + f", 'report': '{SOURCE_STRUCT}'}}"
            con.execute(
                "CREATE OR REPLACE TEMP TABLE raw AS SELECT row_number() OVER () AS rn, * "
                f"FROM read_json(?, format = 'auto', columns = {columns}, "
                f"maximum_object_size = {MAX_JSON_OBJECT})",
                [str(path)],
            )
        else:
            con.execute(
                "CREATE OR REPLACE TEMP TABLE raw AS SELECT row_number() OVER () AS rn, * "
                "FROM read_parquet(?)",
                [str(path)],
            )
    except duckdb.Error as exc:
        raise ImportFailed(path, f"cannot read as {fmt} ({str(exc).splitlines()[0]})") from exc
    present = {r[0] for r in con.execute("DESCRIBE raw").fetchall()}
    missing = [c for c in ("event_id", "event_date", "event_type", "dataset") if c not in present]
    if missing:
        raise ImportFailed(path, f"not a rasd incident file: missing {', '.join(missing)}", line=1)
    if "report" in present and fmt != "csv":
        try:
            con.execute(
                "CREATE OR REPLACE TEMP TABLE incoming_sources AS SELECT "
                + ", ".join(f"try_cast(report.{c} AS {t}) AS {c}" for c, t in SOURCE_TYPES.items())
                + " FROM raw WHERE report IS NOT NULL"
            )
        except duckdb.Error as exc:
            message = str(exc).splitlines()[0]
            raise ImportFailed(path, f"the reports in this file are malformed ({message})") from exc
        _note_sources(summary, *merge_sources(con, "incoming_sources", path))
    select = []
    for column in INCIDENT_COLUMNS:
        kind = types[column]
        if column == "status" and column not in present:
            select.append("'coded' AS status")  # files written before proposals existed
        elif column not in present:
            select.append(f"NULL::{kind} AS {column}")
        elif kind == "VARCHAR":
            select.append(f"r.{column}::VARCHAR AS {column}")
        else:
            select.append(f"try_cast(r.{column} AS {kind}) AS {column}")
    checks = " ".join(
        f"WHEN r.{c} IS NOT NULL AND try_cast(r.{c} AS {types[c]}) IS NULL "
        f"THEN 'invalid {c}: ' || r.{c}::VARCHAR"
        for c in INCIDENT_COLUMNS
        if c in present and types[c] != "VARCHAR"
    )
    summary.phase("stage")
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW staged AS SELECT r.rn AS rn, {', '.join(select)}, "
        "CASE WHEN r.event_id IS NULL THEN 'missing event_id' "
        "WHEN r.event_type IS NULL THEN 'missing event_type' "
        "WHEN r.dataset IS NULL THEN 'missing dataset' "
        + (
            "WHEN r.evidence IS NOT NULL AND NOT json_valid(r.evidence::VARCHAR) "
            "THEN 'invalid evidence (not JSON)' "
            if "evidence" in present
            else ""
        )
        + (
            "WHEN r.status IS NULL OR r.status::VARCHAR NOT IN ('coded', 'proposed', 'rejected') "
            "THEN 'invalid status: ' || coalesce(r.status::VARCHAR, '(empty)') "
            if "status" in present
            else ""
        )
        + f"{checks} "
        "WHEN try_cast(r.event_date AS DATE) IS NULL THEN 'missing event_date' END AS reason "
        "FROM raw r"
    )
    merge_staged(con, summary, path, 1 if fmt == "csv" else 0, csv_rejects, skip_invalid, source)
    return summary


def _is_sources_file(con: duckdb.DuckDBPyConnection, path: Path, fmt: str) -> bool:
    """A file of reports alone: their columns, no incident's."""
    reader = (
        "read_parquet(?)"
        if fmt == "parquet"
        else (f"read_json(?, format = 'auto', maximum_object_size = {MAX_JSON_OBJECT})")
    )
    names = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {reader}", [str(path)]).fetchall()}
    return "event_id" not in names and {"source_id", "text", "sha256"} <= names


def _import_sources(
    con: duckdb.DuckDBPyConnection, path: Path, fmt: str, summary: ImportSummary
) -> ImportSummary:
    if fmt == "parquet":
        reader = "read_parquet(?)"
    else:
        columns = "{" + ", ".join(f"'{c}': '{t}'" for c, t in SOURCE_TYPES.items()) + "}"
        reader = (
            f"read_json(?, format = 'auto', columns = {columns}, "
            f"maximum_object_size = {MAX_JSON_OBJECT})"
        )
    described = con.execute(f"DESCRIBE SELECT * FROM {reader}", [str(path)]).fetchall()
    present = {r[0] for r in described}
    select = ", ".join(
        f"try_cast({c} AS {t}) AS {c}" if c in present else f"NULL::{t} AS {c}"
        for c, t in SOURCE_TYPES.items()
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE incoming_sources AS SELECT {select} FROM {reader}",
        [str(path)],
    )
    summary.read = one_row(con.execute("SELECT count(*) FROM incoming_sources"))[0]
    _note_sources(summary, *merge_sources(con, "incoming_sources", path))
    return summary


def _note_sources(summary: ImportSummary, added: int, unchanged: int) -> None:
    summary.notes.append(f"reports: {added:,} added, {unchanged:,} already stored")


def _struct(types: dict[str, str]) -> str:
    fields = ", ".join(f"'{name}': '{kind}'" for name, kind in types.items())
    return "{" + fields + "}"
