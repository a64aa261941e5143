"""ACLED exports as they really are: every layout since the 1997 data, CSV or gzipped CSV.

`event_id_cnty` is the key: a newer export updates changed rows and adds new ones. ACLED's
fatality figure is kept as ACLED wrote it (0 when it had no figure); `dataset = 'acled'` says where
it came from. Numeric interaction codes (older exports) become ACLED's text labels.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from db.importers.common import (
    ImportFailed,
    ImportSummary,
    StepFn,
    merge_staged,
    no_step,
    raw_columns,
    read_csv_file,
)
from db.rows import scalar
from db.validation import LAT_SQL, LON_SQL, MAX_FATALITIES, PRECISIONS

INTER_LABELS = {
    "0": "No other actor",
    "1": "State forces",
    "2": "Rebel groups",
    "3": "Political militias",
    "4": "Identity militias",
    "5": "Rioters",
    "6": "Protesters",
    "7": "Civilians",
    "8": "External/Other forces",
}
"""ACLED's actor-type codes (inter1, inter2; interaction = two codes)."""

SOURCES: dict[str, tuple[str, ...]] = {
    "event_id": ("event_id_cnty",),
    "event_date": ("event_date",),
    "time_precision": ("time_precision",),
    "disorder_type": ("disorder_type",),
    "event_type": ("event_type",),
    "sub_event_type": ("sub_event_type",),
    "actor1": ("actor1",),
    "assoc_actor_1": ("assoc_actor_1", "ally_actor_1"),
    "inter1": ("inter1",),
    "actor2": ("actor2",),
    "assoc_actor_2": ("assoc_actor_2", "ally_actor_2"),
    "inter2": ("inter2",),
    "interaction": ("interaction",),
    "civilian_targeting": ("civilian_targeting",),
    "iso": ("iso",),
    "region": ("region",),
    "country": ("country",),
    "admin1": ("admin1",),
    "admin2": ("admin2",),
    "admin3": ("admin3",),
    "location": ("location",),
    "latitude": ("latitude",),
    "longitude": ("longitude",),
    "geo_precision": ("geo_precision",),
    "source": ("source",),
    "source_scale": ("source_scale",),
    "notes": ("notes",),
    "fatalities": ("fatalities",),
    "tags": ("tags",),
    "timestamp": ("timestamp",),
}
REQUIRED = ("event_id_cnty", "event_date", "event_type", "country")

DATE_SQL = (
    "coalesce(try_cast({v} AS DATE), try_strptime({v}, '%d %B %Y')::DATE, "
    "try_strptime({v}, '%d-%B-%Y')::DATE, try_strptime({v}, '%d/%m/%Y')::DATE)"
)


def inter_table(con: duckdb.DuckDBPyConnection) -> None:
    rows = list(INTER_LABELS.items())
    for a, label_a in INTER_LABELS.items():
        for b, label_b in INTER_LABELS.items():
            if a == "0":
                continue
            label = f"{label_a} only" if b == "0" else f"{label_a}-{label_b}"
            rows.append((a + b, label))
    con.execute("CREATE OR REPLACE TEMP TABLE inter_codes (code VARCHAR, label VARCHAR)")
    con.executemany("INSERT INTO inter_codes VALUES (?, ?)", rows)


def column_exprs(present: dict[str, str]) -> dict[str, str]:
    """Raw text expression for each target column (NULL when the layout lacks it)."""
    out = {}
    for target, names in SOURCES.items():
        found = next((present[n] for n in names if n in present), None)
        quoted = found.replace('"', '""') if found else None
        column = f'r."{quoted}"'
        out[target] = (
            (long_text_sql(column) if target in LONG_TEXT else f"nullif(trim({column}), '')")
            if quoted
            else "NULL::VARCHAR"
        )
    return out


LONG_TEXT = frozenset({"notes"})
"""Columns long enough that trim()'s walk over every character shows (notes: 0.9 s of a
1M import's 415 MB, against 0.2 s to look at both ends first)."""
SPACE_SEPARATORS = " \u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
"""Unicode's space separators (Zs): what DuckDB's trim() takes off either end (checked over every
code point by tests/importers/test_acled.py)."""


def long_text_sql(column: str) -> str:
    """`nullif(trim(column), '')` that calls trim() only when an end is a space separator."""
    ends = " OR ".join(
        f"prefix({column}, '{c}') OR suffix({column}, '{c}')" for c in SPACE_SEPARATORS
    )
    return f"CASE WHEN {ends} THEN nullif(trim({column}), '') ELSE nullif({column}, '') END"


def stage(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Define the temp view `staged` over `raw`; returns the number of header lines (1 or 2)."""
    columns = raw_columns(con)
    present = {c.strip().lower().lstrip("\ufeff"): c for c in columns}
    missing = [c for c in REQUIRED if c not in present]
    if missing:
        raise ImportFailed(
            path, f"not an ACLED export: missing column(s) {', '.join(missing)}", line=1
        )
    e = column_exprs(present)
    hxl = scalar(
        con.execute(f"SELECT count(*) FROM raw r WHERE rn = 1 AND {e['event_id']} LIKE '#%'")
    )
    inter_table(con)
    v = e
    date = DATE_SQL.format(v=v["event_date"])
    num = "try_cast({x} AS DOUBLE)"
    integer = "try_cast(try_cast({x} AS DOUBLE) AS BIGINT)"
    fat = integer.format(x=v["fatalities"])
    lat, lon = num.format(x=v["latitude"]), num.format(x=v["longitude"])
    tp, gp = integer.format(x=v["time_precision"]), integer.format(x=v["geo_precision"])
    reason = f"""CASE
        WHEN {v["event_id"]} IS NULL THEN 'missing event_id_cnty'
        WHEN {date} IS NULL THEN 'invalid event_date: ' || coalesce({v["event_date"]}, '(empty)')
        WHEN {v["event_type"]} IS NULL THEN 'missing event_type'
        WHEN {v["latitude"]} IS NOT NULL AND ({lat} IS NULL OR NOT {lat} BETWEEN {LAT_SQL})
            THEN 'latitude out of range or not a number: ' || {v["latitude"]}
        WHEN {v["longitude"]} IS NOT NULL AND ({lon} IS NULL OR NOT {lon} BETWEEN {LON_SQL})
            THEN 'longitude out of range or not a number: ' || {v["longitude"]}
        WHEN {v["fatalities"]} IS NOT NULL
            AND ({fat} IS NULL OR {fat} < 0 OR {fat} > {MAX_FATALITIES})
            THEN 'invalid fatalities: ' || {v["fatalities"]}
        WHEN {v["time_precision"]} IS NOT NULL AND coalesce({tp} NOT IN {PRECISIONS}, true)
            THEN 'invalid time_precision: ' || {v["time_precision"]}
        WHEN {v["geo_precision"]} IS NOT NULL AND coalesce({gp} NOT IN {PRECISIONS}, true)
            THEN 'invalid geo_precision: ' || {v["geo_precision"]}
        END"""
    con.execute(f"""
        CREATE OR REPLACE TEMP VIEW staged AS SELECT
            r.rn - {hxl} AS rn,
            {v["event_id"]} AS event_id,
            {date} AS event_date,
            {tp}::TINYINT AS time_precision,
            {v["disorder_type"]} AS disorder_type,
            {v["event_type"]} AS event_type,
            {v["sub_event_type"]} AS sub_event_type,
            {v["actor1"]} AS actor1,
            {v["assoc_actor_1"]} AS assoc_actor_1,
            coalesce(i1.label, {v["inter1"]}) AS inter1,
            {v["actor2"]} AS actor2,
            {v["assoc_actor_2"]} AS assoc_actor_2,
            coalesce(i2.label, {v["inter2"]}) AS inter2,
            coalesce(ia.label, {v["interaction"]}) AS interaction,
            {v["civilian_targeting"]} AS civilian_targeting,
            try_cast({v["iso"]} AS INTEGER) AS iso,
            {v["region"]} AS region,
            {v["country"]} AS country,
            {v["admin1"]} AS admin1,
            {v["admin2"]} AS admin2,
            {v["admin3"]} AS admin3,
            {v["location"]} AS location,
            {lat} AS latitude,
            {lon} AS longitude,
            {gp}::TINYINT AS geo_precision,
            {v["source"]} AS source,
            {v["source_scale"]} AS source_scale,
            {v["notes"]} AS notes,
            {fat}::INTEGER AS fatalities,
            {v["tags"]} AS tags,
            {integer.format(x=v["timestamp"])} AS timestamp,
            'acled' AS dataset,
            NULL::VARCHAR AS source_id,
            NULL::INTEGER AS span_start,
            NULL::INTEGER AS span_end,
            NULL::VARCHAR AS location_ar,
            NULL::DATE AS reported_date,
            NULL::VARCHAR AS claimed_by,
            'coded' AS status,
            NULL::DOUBLE AS confidence,
            NULL::VARCHAR AS evidence,
            {reason} AS reason
        FROM raw r
        LEFT JOIN inter_codes i1 ON i1.code = {v["inter1"]}
        LEFT JOIN inter_codes i2 ON i2.code = {v["inter2"]}
        LEFT JOIN inter_codes ia ON ia.code = {v["interaction"]}
        WHERE NOT (r.rn = 1 AND {hxl} = 1)
    """)  # noqa: S608 - identifiers come from the fixed SOURCES table
    return 1 + hxl


def import_acled(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    workdir: Path,
    skip_invalid: bool = False,
    step: StepFn = no_step,
) -> ImportSummary:
    """Import one ACLED file into the open (writable) connection."""
    summary = ImportSummary(str(path), step)
    summary.phase("read")
    source, csv_rejects = read_csv_file(con, path, workdir, summary)
    summary.phase("stage")
    header_lines = stage(con, path)
    merge_staged(con, summary, path, header_lines, csv_rejects, skip_invalid, source)
    return summary
